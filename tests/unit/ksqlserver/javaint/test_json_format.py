"""ksqlDB 0.29 io.confluent.ksql.integration.JsonFormatTest on our engine: EXTRACTJSONFIELD over a JSON
document held in a STRING column of a JSON stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

MESSAGE = (
    '{"log":{"@timestamp":"2017-05-30T16:44:22.175Z","@version":"1",'
    '"caasVersion":"0.0.2","cloud":"aws","logs":[{"entry":"first"}],"clusterId":"cp99","clusterName":"kafka",'
    '"cpComponentId":"kafka","host":"kafka-1-wwl0p","k8sId":"k8s13","k8sName":"perf","level":"ERROR",'
    '"logger":"kafka.server.ReplicaFetcherThread","message":"Found invalid messages during fetch for partition '
    '[foo512,172] offset 0 error Record is corrupt (stored crc = 1321230880, computed crc = 1139143803)",'
    '"networkId":"vpc-d8c7a9bf","region":"us-west-2","serverId":"1","skuId":"sku5","source":"kafka",'
    '"tenantId":"t47","tenantName":"perf-test","thread":"ReplicaFetcherThread-0-2","zone":"us-west-2a"},'
    '"stream":"stdout","time":2017}'
)


@pytest.fixture
def h(harness_factory: Callable[..., Any], data: Any) -> Any:
    """JsonFormatTest.before: createInitTopics, produceInitData, execInitCreateStreamQueries."""
    h = harness_factory()
    h.ensure_topics("orders_topic", "users_topic", "log_topic")
    h.produce_rows("orders_topic", data.ORDERS, "JSON", 0)
    h.produce("log_topic", "1", {"MESSAGE": MESSAGE}, 0)
    h.sql(
        "CREATE STREAM ORDERS (ORDERID STRING KEY, ORDERTIME BIGINT, ITEMID STRING, ORDERUNITS DOUBLE, "
        "TIMESTAMP STRING, PRICEARRAY ARRAY<DOUBLE>, KEYVALUEMAP MAP<STRING, DOUBLE>) "
        "WITH (value_format = 'json', kafka_topic='orders_topic');"
    )
    h.sql(
        "CREATE STREAM message_log (ROWKEY STRING KEY, message varchar) "
        "WITH (value_format = 'json', kafka_topic='log_topic');"
    )
    return h


def results(h: Any, name: str) -> dict[Any, Any]:
    h.drain()
    return h.unique_values(name)


def test_json_stream_extractor(h: Any) -> None:
    """JsonFormatTest.testJsonStreamExtractor."""
    h.sql(
        "CREATE STREAM STREAM_0 AS SELECT ROWKEY, EXTRACTJSONFIELD(message, '$.log.cloud') FROM message_log;"
    )
    assert results(h, "STREAM_0") == {"1": ("aws",)}


def test_json_stream_extractor_nested(h: Any) -> None:
    """JsonFormatTest.testJsonStreamExtractorNested."""
    h.sql(
        "CREATE STREAM STREAM_1 AS SELECT ROWKEY, EXTRACTJSONFIELD(message, '$.log.logs[0].entry') FROM message_log;"
    )
    assert results(h, "STREAM_1") == {"1": ("first",)}
