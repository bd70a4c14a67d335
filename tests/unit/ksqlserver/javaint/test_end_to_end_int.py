"""ksqlDB 0.29 io.confluent.ksql.integration.EndToEndIntegrationTest on our engine.

The Java test runs each case with shared runtimes off and on (the `shared` parameter); shared runtimes (a
Confluent Cloud feature, off in 0.29) change only Kafka Streams' application ids here. What the
Java test counts with its producer and consumer interceptors (records went through Kafka clients) and the
join's repartition topic (`_confluent-ksql-default_query_CSAS_CART_EVENT_PRODUCT_1-Join-repartition`) are
Kafka Streams internals the in-memory engine does not create (it reads every partition in one process): the
tests check the rows and query ids instead. The configurable Java UDF is a Python extension here, whose
FunctionContext gets its `ksql.functions.<name>.` and `ksql.functions._global_.` settings without the prefix
(UdfLoader passes the Java UDF the full property names).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

NOW = 1_765_000_000_000
PAGE_VIEW_TOPIC = "pageviews"
USERS_TOPIC = "users"
PAGE_VIEW_STREAM = "pageviews_original"
USER_TABLE = "users_original"

UDF_MODULE = """
import json
from pathlib import Path

from ksqlserver.extensions import FunctionContext, udf


@udf("E2EConfigurableUdf", params=["BIGINT"], returns="BIGINT")
class ConfigurableUdf:
    def __init__(self, ctx: FunctionContext) -> None:
        Path(__file__).with_name("passed.json").write_text(json.dumps(ctx.config))

    def __call__(self, bar: int) -> int:
        return -1
"""


def make_harness(factory: Callable[..., Any], data: Any, shared: str = "false", **config: Any) -> Any:
    """EndToEndIntegrationTest.before."""
    h = factory(
        {
            "ksql.functions.e2econfigurableudf.some.setting": "foo-bar",
            "ksql.functions._global_.expected-param": "expected-value",
            "ksql.schema.registry.url": "http://foo:8080",
            "ksql.runtime.feature.shared.enabled": shared,
        },
        **config,
    )
    h.ensure_topics(PAGE_VIEW_TOPIC, USERS_TOPIC)
    h.produce_rows(USERS_TOPIC, data.USERS, "JSON", NOW - 10000)
    h.produce_rows(PAGE_VIEW_TOPIC, data.PAGE_VIEWS, "JSON", NOW)
    h.sql(
        f"CREATE TABLE {USER_TABLE}"
        " (userid varchar PRIMARY KEY, registertime bigint, gender varchar, regionid varchar)"
        f" WITH (kafka_topic='{USERS_TOPIC}', value_format='JSON');"
    )
    h.sql(
        f"CREATE STREAM {PAGE_VIEW_STREAM}"
        " (pageid varchar KEY, viewtime bigint, userid varchar) "
        f"WITH (kafka_topic='{PAGE_VIEW_TOPIC}', value_format='JSON');"
    )
    return h


@pytest.fixture(params=["false", "true"])
def shared(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def h(harness_factory: Callable[..., Any], data: Any, shared: str) -> Any:
    return make_harness(harness_factory, data, shared)


def schema_of(h: Any, subject: str) -> Any:
    """The subject's latest schema, a primitive `{"type": t}` as `t` (AvroSchema compares canonical forms)."""
    schema = json.loads(h.registry.latest(subject).schema.schema)
    return schema["type"] if isinstance(schema, dict) and list(schema) == ["type"] else schema


def query_ids(h: Any) -> list[str]:
    return [q["id"] for q in h.sql("SHOW QUERIES;")[0]["queries"]]


def test_should_select_all_from_users(h: Any, data: Any) -> None:
    """EndToEndIntegrationTest.shouldSelectAllFromUsers."""
    rows = h.push(f"SELECT * from {USER_TABLE} EMIT CHANGES;")
    assert all(len(row) == 4 for row in rows)
    assert {row[0] for row in rows} == {k for k, _ in data.USERS.rows}


def test_should_support_dropping_and_recreating_join_query(h: Any) -> None:
    """EndToEndIntegrationTest.shouldSupportDroppingAndRecreatingJoinQuery."""
    create = (
        "create stream cart_event_product as "
        "select pv.userid, pv.pageid, u.gender "
        f"from {PAGE_VIEW_STREAM} pv left join {USER_TABLE} u on pv.userid=u.userid;"
    )
    h.sql(create)
    assert query_ids(h) == ["CSAS_CART_EVENT_PRODUCT_0"]
    h.sql("TERMINATE CSAS_CART_EVENT_PRODUCT_0;")
    h.sql("DROP STREAM CART_EVENT_PRODUCT;")
    h.sql(create)
    assert query_ids(h) == ["CSAS_CART_EVENT_PRODUCT_1"]
    rows = h.push("SELECT * from cart_event_product EMIT CHANGES;")
    assert rows
    first = rows[0]
    assert str(first[0]).startswith("USER_")
    assert str(first[1]).startswith("PAGE_")
    assert first[2] in ("FEMALE", "MALE")


def test_should_clean_up_avro_schema_on_drop_source(h: Any, data: Any) -> None:
    """EndToEndIntegrationTest.shouldCleanUpAvroSchemaOnDropSource."""
    topic = "avro_stream_topic"
    h.sql(
        f"create stream avro_stream with (kafka_topic='{topic}',format='avro') as select * from {PAGE_VIEW_STREAM};"
    )
    h.produce_rows(PAGE_VIEW_TOPIC, data.PAGE_VIEWS, "JSON", NOW)
    h.drain()
    assert {f"{topic}-key", f"{topic}-value"} <= set(h.registry.subjects())
    h.sql("TERMINATE CSAS_AVRO_STREAM_0;")
    h.sql("DROP STREAM avro_stream DELETE TOPIC;")
    assert not {f"{topic}-key", f"{topic}-value"} & set(h.registry.subjects())
    assert topic not in h.topics()


def test_should_register_correct_primitive_schema_for_create_statements(h: Any) -> None:
    """EndToEndIntegrationTest.shouldRegisterCorrectPrimitiveSchemaForCreateStatements."""
    topic = "create_stream_topic"
    h.sql(
        "create stream s ("
        "  K INT KEY,"
        "  VAL INT"
        ") with ("
        f"  kafka_topic = '{topic}',"
        "  partitions = 1,"
        "  format = 'avro',"
        "  wrap_single_value = false);"
    )
    assert schema_of(h, f"{topic}-key") == "int"
    assert schema_of(h, f"{topic}-value") == "int"


def test_should_register_correct_primitive_schema_for_create_as_statements(h: Any) -> None:
    """EndToEndIntegrationTest.shouldRegisterCorrectPrimitiveSchemaForCreateAsStatements."""
    topic = "create_as_stream_topic"
    h.sql(
        "create stream s with ("
        f"  kafka_topic = '{topic}',"
        "  format = 'avro',"
        "  wrap_single_value = false"
        ") as "
        f"select pageid, viewtime from {PAGE_VIEW_STREAM};"
    )
    assert schema_of(h, f"{topic}-key") == "string"
    assert schema_of(h, f"{topic}-value") == "long"


def test_should_support_configurable_udfs(
    harness_factory: Callable[..., Any], data: Any, shared: str, tmp_path: Path
) -> None:
    """EndToEndIntegrationTest.shouldSupportConfigurableUdfs."""
    (tmp_path / "e2e_udf.py").write_text(UDF_MODULE)
    h = make_harness(harness_factory, data, shared, extension_dir=tmp_path)
    rows = h.push(f"SELECT E2EConfigurableUdf(registertime) AS x from {USER_TABLE} EMIT CHANGES;")
    assert rows == [[-1]] * 5
    passed = json.loads((tmp_path / "passed.json").read_text())
    assert passed == {"some.setting": "foo-bar", "expected-param": "expected-value"}
