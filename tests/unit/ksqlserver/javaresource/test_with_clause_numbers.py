"""PARTITIONS / REPLICAS / RETENTION_MS in a WITH clause, and the Streams setting a REST server adds to its
engine's config, from ksqlDB 0.29's source.

CommonCreateConfigs defines PARTITIONS as ConfigDef.Type.INT, REPLICAS as SHORT and RETENTION_MS as LONG;
CreateSourceProperties.from / CreateSourceAsProperties.from build them through PropertiesConfig (an
AbstractConfig: ConfigDef.parseType) when AstBuilder builds the statement, and reword the ConfigException
("configuration" -> "property"); DefaultKsqlParser.prepare prefixes "Failed to prepare statement: ".
PropertiesConfig.toValues narrows any number given for a SHORT property to a short first. A PARTITIONS of 0
passes every ksqlDB check and reaches the broker: the sandbox's validate-only CreateTopics is refused
(InvalidPartitionsException) and KafkaTopicClientImpl.createTopic wraps it in a
KafkaResponseGetFailedException; the real server answers a 500 statement error naming the statement, its
message with the cause as "Caused by: ..." (ErrorMessageUtil.buildErrorMessage; observed on ksqlDB 0.29 built
from source).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.ksqlserver.conftest import Resource

PREPARE = "Failed to prepare statement: "


@pytest.fixture(scope="module")
def res() -> Iterator[Resource]:
    r = Resource()
    yield r
    r.close()


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ("partitions='x'", "Invalid value x for property PARTITIONS: Not a number of type INT"),
        ("partitions='3000000000'", "Invalid value 3000000000 for property PARTITIONS: Not a number of type INT"),
        ("partitions=1.5",
         "Invalid value 1.5 for property PARTITIONS: Expected value to be a 32-bit integer, but it was a "
         "java.math.BigDecimal"),
        ("partitions=3000000000",
         "Invalid value 3000000000 for property PARTITIONS: Expected value to be a 32-bit integer, but it was a "
         "java.lang.Long"),
        ("partitions=true",
         "Invalid value true for property PARTITIONS: Expected value to be a 32-bit integer, but it was a "
         "java.lang.Boolean"),
        ("partitions=1, replicas='two'", "Invalid value two for property REPLICAS: Not a number of type SHORT"),
        ("partitions=1, replicas=false",
         "Invalid value false for property REPLICAS: Expected value to be a 16-bit integer, but it was a "
         "java.lang.Boolean"),
        ("partitions=1, retention_ms='1 day'",
         "Invalid value 1 day for property RETENTION_MS: Not a number of type LONG"),
        ("partitions=1, retention_ms=2.5",
         "Invalid value 2.5 for property RETENTION_MS: Expected value to be a 64-bit integer, but it was a "
         "java.math.BigDecimal"),
    ],
)
def test_numeric_with_properties_are_typed(res: Resource, props: str, message: str) -> None:
    sql = f"CREATE STREAM N1 (A INT) WITH (kafka_topic='n1', value_format='JSON', {props});"
    body = res.fail(sql)
    assert body == {
        "@type": "statement_error", "error_code": 40001, "message": PREPARE + message, "statementText": sql,
        "entities": [],
    }
    # CREATE ... AS SELECT builds its properties the same way
    sql = f"CREATE STREAM N2 WITH ({props}) AS SELECT * FROM TEST_STREAM;"
    assert res.fail(sql)["message"] == PREPARE + message


def test_numbers_given_as_strings_or_wider_numbers_are_read(res: Resource) -> None:
    """Integer.parseInt of the trimmed text; a REPLICAS number of any type is narrowed (Number.shortValue)."""
    [entity] = res.ok(
        "CREATE STREAM N3 (A INT) WITH (kafka_topic='n3', value_format='JSON', partitions=' 3 ', replicas=1.0, "
        "retention_ms=3000000000);"
    )
    assert entity["commandStatus"]["status"] == "SUCCESS"
    info = res.driver.topic("n3")
    assert info is not None and info.partitions == 3


def test_zero_partitions_for_a_new_topic_is_the_brokers_refusal(res: Resource) -> None:
    sql = "CREATE STREAM N4 (A INT) WITH (kafka_topic='n4', value_format='JSON', partitions=0);"
    body = res.fail(sql, status=500)
    assert body == {
        "@type": "statement_error",
        "error_code": 50000,
        "message": "Failed to guarantee existence of topic n4\n"
                   "Caused by: Number of partitions was set to an invalid non-positive value.",
        "statementText": sql,
        "entities": [],
    }
    assert res.driver.topic("n4") is None
    sql = "CREATE STREAM N5 WITH (partitions=0) AS SELECT * FROM TEST_STREAM;"
    body = res.fail(sql, status=500)
    assert body["message"].startswith("Failed to guarantee existence of topic N5\n")
    assert body["statementText"] == sql
    # over a topic that exists, TopicValidationUtil's partition check speaks first
    body = res.fail("CREATE STREAM N6 (A INT) WITH (kafka_topic='KAFKA_TOPIC_2', value_format='JSON', partitions=0);")
    assert "KSQL expects 0 partitions (topic has 1)" in body["message"]


def test_show_properties_lists_the_application_server(res: Resource) -> None:
    """KsqlRestApplication.buildConfigWithPort: the engine's config gets `ksql.streams.application.server`,
    the inter-node listener's URL (here the bound listener), which SHOW PROPERTIES lists as a KSQL setting
    (ListPropertiesExecutor: KsqlConfig.getAllConfigPropsWithSecretsObfuscated with the Streams settings)."""
    [entity] = res.ok("SHOW PROPERTIES;")
    [listed] = [p for p in entity["properties"] if p["name"] == "ksql.streams.application.server"]
    assert listed["value"] == res.server.url and listed["scope"] == "KSQL"
    assert "ksql.streams.application.server" not in entity["overwrittenProperties"]
    assert "ksql.streams.application.server" not in entity["defaultProperties"]


def test_show_properties_lists_the_servers_streams_settings() -> None:
    """The server config's ksql.streams.state.dir and ksql.extension.dir are KsqlConfig settings like any
    other, listed with their configured values; KsqlConfigResolver resolves a `ksql.streams.*` name against
    the Kafka configs, so ksql.streams.shutdown.timeout.ms (no Kafka config) is never a default, and the
    Streams processing.guarantee KsqlConfig does not set is not listed (all observed on ksqlDB 0.29 built from
    source: 105 properties for its server config, as ours now)."""
    r = Resource(properties={"ksql.streams.state.dir": "/var/lib/x", "ksql.extension.dir": "/opt/ext"}, sources=False)
    try:
        [entity] = r.ok("SHOW PROPERTIES;")
    finally:
        r.close()
    values = {p["name"]: p["value"] for p in entity["properties"]}
    assert values["ksql.streams.state.dir"] == "/var/lib/x"
    assert values["ksql.extension.dir"] == "/opt/ext"
    assert values["ksql.streams.shutdown.timeout.ms"] == "300000"
    assert "ksql.streams.shutdown.timeout.ms" not in entity["defaultProperties"]
    assert "ksql.streams.processing.guarantee" not in values
