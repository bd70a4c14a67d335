"""Port of ksqlDB 0.29 `io.confluent.ksql.query.QueryBuilderTest`, where a user can observe it: the Kafka
Streams application id a persistent query runs under (shouldCreateExpectedServiceId:
`_confluent-ksql-<service id><ksql.persistent.prefix><query id>`), shown by EXPLAIN as its consumer group,
for CREATE AS and INSERT INTO queries (shouldBuildCreateAsPersistentQueryCorrectly,
shouldBuildInsertPersistentQueryCorrectly). The rest of the Java test checks the Kafka Streams properties
and objects handed to the mocked builders (metrics interceptors, optimization config, materialization
providers, shared runtimes) and has no effect on this engine's answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _group(p: Any, query_id: str) -> str:
    return str(p.execute(f"EXPLAIN {query_id};")[0]["queryDescription"]["consumerGroupId"])


def test_should_create_expected_service_id(make_pull: Callable[..., Any]) -> None:
    """shouldCreateExpectedServiceId, shouldBuildCreateAsPersistentQueryCorrectly and
    shouldBuildInsertPersistentQueryCorrectly (service id `plan_`, the default prefix `query_`)."""
    p = make_pull(tables=False)
    p.execute("CREATE STREAM A (ID INT KEY, X INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);")
    ctas = p.execute("CREATE TABLE T AS SELECT X, COUNT(*) AS C FROM A GROUP BY X;")[0]["commandStatus"]["queryId"]
    csas = p.execute("CREATE STREAM S AS SELECT * FROM A;")[0]["commandStatus"]["queryId"]
    insert = p.execute("INSERT INTO S SELECT * FROM A;")[0]["commandStatus"]["queryId"]
    for query_id in (ctas, csas, insert):
        assert _group(p, query_id) == f"_confluent-ksql-plan_query_{query_id}"


def test_persistent_prefix_from_config(make_pull: Callable[..., Any]) -> None:
    """shouldCreateExpectedServiceId with the Java test's `persistent-` prefix (ksql.persistent.prefix)."""
    p = make_pull(tables=False, **{"ksql.persistent.prefix": "persistent-"})
    p.execute("CREATE STREAM A (ID INT KEY, X INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);")
    query_id = p.execute("CREATE STREAM S AS SELECT * FROM A;")[0]["commandStatus"]["queryId"]
    assert _group(p, query_id) == f"_confluent-ksql-plan_persistent-{query_id}"
