"""Ports of ksqlDB 0.29's ksqldb-rest-model entity tests (io.confluent.ksql.rest.entity.*Test, ApiJsonMapperTest,
QueryIdSerializationTest): how the REST API writes its entities (ApiJsonMapper) -- field names, their order, nulls.

The Java tests round-trip entity objects through the mapper; a client sees only what the server writes, so each
case checks a response's exact text (field order included: Jackson writes the type id, then the @JsonCreator's
properties in order, then the rest, KsqlEntity's `warnings` first among them) or its parsed JSON. Deserialising
older servers' messages (shouldBeAbleToDeserializeOlderServerMessage...) and Java-only behaviour (toString,
equals, null checks in constructors) have no observable counterpart and are not ported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record


class App:
    def __init__(self, rest: Any, driver: Any, server: Any) -> None:
        self.rest, self.driver, self.server = rest, driver, server

    def ksql_text(self, sql: str) -> str:
        r = self.rest.ksql(self.server, sql)
        assert r.status_code == 200, r.text
        text: str = r.text
        return text

    def one(self, sql: str) -> dict[str, Any]:
        [entity] = self.rest.ok(self.server, sql)
        result: dict[str, Any] = entity
        return result


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[App]:
    rest = rest_module
    _, driver, server = rest.start()
    driver.create_topic("t", 1, 1)
    yield App(rest, driver, server)


# ---- CommandStatusEntityTest -------------------------------------------------------------------------------


def test_command_status_entity_serialises_in_creator_order(app: App) -> None:
    """CommandStatusEntityTest.shouldSerializeToJsonWithEmptyQueryId: @type, statementText, commandId,
    commandStatus {status, message, queryId: null}, commandSequenceNumber, warnings"""
    text = app.ksql_text("CREATE STREAM CS1 (A INTEGER) WITH (kafka_topic='t', value_format='json');")
    [entity] = json.loads(text)
    statement = json.dumps(entity["statementText"])
    seq = entity["commandSequenceNumber"]
    assert text == (
        '[{"@type":"currentStatus","statementText":' + statement + ","
        '"commandId":"stream/`CS1`/create",'
        '"commandStatus":{"status":"SUCCESS","message":"Stream created","queryId":null},'
        f'"commandSequenceNumber":{seq},"warnings":[]}}]'
    )


def test_command_status_entity_with_query_id(app: App) -> None:
    """CommandStatusEntityTest.shouldSerializeToJson: the query id of a CREATE ... AS SELECT"""
    text = app.ksql_text("CREATE STREAM CS2 AS SELECT * FROM CS1;")
    [entity] = json.loads(text)
    query_id = entity["commandStatus"]["queryId"]
    assert query_id.startswith("CSAS_CS2_")
    assert f'"commandStatus":{{"status":"SUCCESS","message":"Created query with ID {query_id}","queryId":"{query_id}"}}' in text
    assert text.endswith(',"warnings":[]}]')


def test_command_status_entity_with_warnings(app: App) -> None:
    """CommandStatusEntityTest.shouldSerializeToJsonWithWarnings: warnings [{"message": ...}] last"""
    app.driver.create_topic("t2", 1, 1)
    app.driver.create_topic("t3", 1, 1)
    app.one("CREATE STREAM CS3 (K STRING KEY, A INTEGER) WITH (kafka_topic='t2', value_format='json');")
    app.one("CREATE STREAM CS5 (K STRING KEY, B INTEGER) WITH (kafka_topic='t3', value_format='json');")
    text = app.ksql_text("CREATE STREAM CS4 AS SELECT * FROM CS3 L JOIN CS5 R WITHIN 1 SECOND ON L.K = R.K;")
    assert text.endswith(',"warnings":[{"message":"DEPRECATION NOTICE: Stream-stream joins statements without a '
                         'GRACE PERIOD will not be accepted in a future ksqlDB version.\\nPlease use the GRACE PERIOD '
                         'clause as specified in https://docs.ksqldb.io/en/latest/developer-guide/ksqldb-reference/'
                         'select-push-query/"}]}]')  # fmt: skip


# ---- KsqlErrorMessageTest ------------------------------------------------------------------------------------


def test_ksql_error_message_serialises(app: App) -> None:
    """KsqlErrorMessageTest.shouldSerializeToJson: {"@type":"generic_error","error_code":...,"message":...}"""
    r = httpx.post(app.server.url + "/close-query", json={"queryId": "foo"}, timeout=10)
    assert r.status_code == 400
    assert r.text == '{"@type":"generic_error","error_code":40000,"message":"No query with id foo"}'


def test_ksql_statement_error_message_serialises(app: App) -> None:
    """KsqlStatementErrorMessage's creator order: error_code, message, statementText, entities"""
    r = app.rest.ksql(app.server, "DROP STREAM NOPE;")
    assert r.status_code == 400
    assert list(r.json()) == ["@type", "error_code", "message", "statementText", "entities"]
    assert r.json()["@type"] == "statement_error"


# ---- ServerInfoTest / ServerMetadataTest / ServerClusterIdTest -----------------------------------------------


def test_server_info_serialises(app: App) -> None:
    """ServerInfoTest.testSerializeDeserialize: KsqlServerInfo {version, kafkaClusterId, ksqlServiceId,
    serverStatus}"""
    info = httpx.get(app.server.url + "/info", timeout=10).json()
    assert list(info) == ["KsqlServerInfo"]
    assert list(info["KsqlServerInfo"]) == ["version", "kafkaClusterId", "ksqlServiceId", "serverStatus"]
    assert info["KsqlServerInfo"]["ksqlServiceId"] == "default_"


def test_server_metadata_serialises(app: App) -> None:
    """ServerMetadataTest.shouldSerializeToJson / ServerClusterIdTest.shouldSerializeToJson: {version, clusterId:
    {scope: {path, clusters: {kafka-cluster, ksql-cluster}}, id}}"""
    metadata = httpx.get(app.server.url + "/v1/metadata", timeout=10).json()
    assert list(metadata) == ["version", "clusterId"]
    assert list(metadata["clusterId"]) == ["scope", "id"]
    assert list(metadata["clusterId"]["scope"]) == ["path", "clusters"]
    assert list(metadata["clusterId"]["scope"]["clusters"]) == ["kafka-cluster", "ksql-cluster"]
    cluster_id = httpx.get(app.server.url + "/v1/metadata/id", timeout=10).json()
    assert cluster_id == metadata["clusterId"]


# ---- SchemaDescriptionFormatTest -----------------------------------------------------------------------------


def _describe_fields(app: App, name: str, columns: str) -> list[dict[str, Any]]:
    app.one(f"CREATE STREAM {name} ({columns}) WITH (kafka_topic='t', value_format='json');")
    fields: list[dict[str, Any]] = app.one(f"DESCRIBE {name};")["sourceDescription"]["fields"]
    return fields


def test_should_format_schema_entity_correctly_for_struct(app: App) -> None:
    """SchemaDescriptionFormatTest.shouldFormatSchemaEntityCorrectlyForStruct"""
    fields = _describe_fields(
        app, "SD1", "`l1integer` INTEGER, `l1struct` STRUCT<`l2string` STRING, `l2integer` INTEGER>"
    )
    assert fields == [
        {"name": "l1integer", "schema": {"type": "INTEGER", "fields": None, "memberSchema": None}},
        {
            "name": "l1struct",
            "schema": {
                "type": "STRUCT",
                "fields": [
                    {"name": "l2string", "schema": {"type": "STRING", "fields": None, "memberSchema": None}},
                    {"name": "l2integer", "schema": {"type": "INTEGER", "fields": None, "memberSchema": None}},
                ],
                "memberSchema": None,
            },
        },
    ]


def test_should_format_schema_entity_correctly_for_map_and_array(app: App) -> None:
    """SchemaDescriptionFormatTest.shouldFormatSchemaEntityCorrectlyForMap / ...ForArray"""
    string = {"type": "STRING", "fields": None, "memberSchema": None}
    fields = _describe_fields(app, "SD2", "`mapfield` MAP<STRING, STRING>, `arrayfield` ARRAY<STRING>")
    assert fields == [
        {"name": "mapfield", "schema": {"type": "MAP", "fields": None, "memberSchema": string}},
        {"name": "arrayfield", "schema": {"type": "ARRAY", "fields": None, "memberSchema": string}},
    ]


# ---- SourceInfoTest / KafkaTopicsListTest / QueryStatusCountTest ---------------------------------------------


def test_source_info_serialises(app: App) -> None:
    """SourceInfoTest / StreamsList: type id first, then name, topic, keyFormat, valueFormat, isWindowed"""
    text = app.ksql_text("SHOW STREAMS;")
    assert (
        '{"type":"STREAM","name":"CS1","topic":"t","keyFormat":"KAFKA","valueFormat":"JSON","isWindowed":false}'
        in text
    )
    assert text.startswith('[{"@type":"streams","statementText":"SHOW STREAMS;","streams":[')
    assert text.endswith('],"warnings":[]}]')


def test_kafka_topics_list_serialises(app: App) -> None:
    """KafkaTopicsListTest.testSerde: {"name", "replicaInfo": [replicas per partition]}"""
    text = app.ksql_text("SHOW TOPICS;")
    assert '{"name":"t","replicaInfo":[1]}' in text
    assert text.startswith('[{"@type":"kafka_topics","statementText":"SHOW TOPICS;","topics":[')


def test_query_status_count_serialises(app: App) -> None:
    """QueryStatusCountTest.shouldRoundTripWhenNotEmpty: statusCount {"RUNNING": n}; RunningQuery's creator
    order, then its state"""
    [query] = [q for q in app.one("SHOW QUERIES;")["queries"] if q["sinks"] == ["CS2"]]
    assert query["statusCount"] == {"RUNNING": 1}
    assert list(query) == ["queryString", "sinks", "sinkKafkaTopics", "id", "statusCount", "queryType", "state"]


# ---- SourceDescriptionTest / QueryDescription ------------------------------------------------------------------


def test_source_description_serialises_in_creator_order(app: App) -> None:
    """SourceDescriptionTest: SourceDescription's creator properties in order (0.29's SourceDescription has no
    keyFeatures/valueFeatures: neither a creator property nor a getter)"""
    entity = app.one("DESCRIBE CS1 EXTENDED;")
    assert list(entity) == ["@type", "statementText", "sourceDescription", "warnings"]
    assert list(entity["sourceDescription"]) == [
        "name", "windowType", "readQueries", "writeQueries", "fields", "type", "timestamp", "statistics",
        "errorStats", "extended", "keyFormat", "valueFormat", "topic", "partitions", "replication", "statement",
        "queryOffsetSummaries", "sourceConstraints", "clusterStatistics", "clusterErrorStats",
    ]  # fmt: skip


def test_describe_streams_lists_the_same_source_descriptions(app: App) -> None:
    """ListSourceExecutor.describeStreams / describeTables: SourceDescriptionList of what describeSource builds
    for each source (SourceDescriptionFactory.create): the entity of DESCRIBE <name>, no serde features."""
    listed = app.one("DESCRIBE STREAMS;")
    assert listed["@type"] == "source_descriptions"
    [one] = [d for d in listed["sourceDescriptions"] if d["name"] == "CS1"]
    single = app.one("DESCRIBE CS1;")["sourceDescription"]
    assert one == single
    assert "keyFeatures" not in one and "valueFeatures" not in one


def test_query_description_serialises_in_creator_order(app: App) -> None:
    """QueryDescription's creator properties in order, then the deprecated `state`"""
    entity = app.one("EXPLAIN SELECT * FROM CS1 EMIT CHANGES;")
    assert list(entity) == ["@type", "statementText", "queryDescription", "warnings"]
    keys = list(entity["queryDescription"])
    assert keys[:13] == [
        "id", "statementText", "windowType", "fields", "sources", "sinks", "topology", "executionPlan",
        "overriddenProperties", "ksqlHostQueryStatus", "queryType", "queryErrors", "tasksMetadata",
    ]  # fmt: skip
    assert keys[-1] == "state"


@pytest.mark.parametrize(
    ("sql", "order"),
    [
        ("SHOW PROPERTIES;", ["@type", "statementText", "properties", "overwrittenProperties", "defaultProperties",
                              "warnings"]),
        ("SHOW FUNCTIONS;", ["@type", "statementText", "functions", "warnings"]),
        ("DESCRIBE FUNCTION ABS;", ["@type", "statementText", "name", "description", "author", "version", "path",
                                    "functions", "type", "warnings"]),
        ("SHOW TYPES;", ["@type", "statementText", "types", "warnings"]),
        ("SHOW VARIABLES;", ["@type", "statementText", "variables", "warnings"]),
        ("UNDEFINE nothing;", ["@type", "statementText", "message", "warnings"]),
        ("ASSERT TOPIC t;", ["@type", "statementText", "topicName", "exists", "warnings"]),
        ("SHOW QUERIES EXTENDED;", ["@type", "statementText", "queryDescriptions", "warnings"]),
        ("DESCRIBE STREAMS;", ["@type", "statementText", "sourceDescriptions", "warnings"]),
    ],
)  # fmt: skip
def test_entity_field_order(app: App, sql: str, order: list[str]) -> None:
    """PropertiesList, FunctionNameList, FunctionDescriptionList, TypeList, VariablesList, WarningEntity,
    AssertTopicEntity, QueryDescriptionList, SourceDescriptionList: their creators' order, `warnings` after
    unless the creator takes it"""
    assert list(app.one(sql)) == order


# ---- ApiJsonMapperTest / QueryIdSerializationTest ------------------------------------------------------------


def test_api_json_mapper_value_formats(app: App) -> None:
    """ApiJsonMapperTest.shouldNotLoseTrailingZerosOnDecimals (10.0 stays 10.0) / shouldSerializeTimestamp /
    shouldSerializeTime / shouldSerializeDate / shouldSerializeBytes, in a row of /query-stream"""
    app.driver.create_topic("vals", 1, 1)
    app.driver.produce("vals", [Record(None, b'{"D": 10.0, "TS": 943959600000, "T": 10000, "DT": 10, "B": "ew=="}', 0, 0)])
    app.one(
        "CREATE STREAM VALS (D DECIMAL(3, 1), TS TIMESTAMP, T TIME, DT DATE, B BYTES) "
        "WITH (kafka_topic='vals', value_format='json');"
    )
    body = {"sql": "SELECT * FROM VALS EMIT CHANGES LIMIT 1;", "properties": {"auto.offset.reset": "earliest"}}
    with httpx.Client(http2=True, http1=False, timeout=30) as client:
        r = client.post(app.server.url + "/query-stream", json=body)
    assert r.status_code == 200
    assert r.text.split("\n")[1] == '[10.0,"1999-11-30T11:00:00.000","00:00:10","1970-01-11","ew=="]'


def test_query_id_serialises_as_its_text(app: App) -> None:
    """QueryIdSerializationTest.shouldSerializeMaintainingCase: the id as a JSON string, its case kept"""
    [query] = [q for q in app.one("SHOW QUERIES;")["queries"] if q["sinks"] == ["CS2"]]
    assert query["id"] == query["id"].upper() and query["id"].startswith("CSAS_CS2_")


# ---- KsqlRequestTest -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"ksql": "SHOW STREAMS;", "streamsProperties": None},  # shouldHandleNullProps
        {"ksql": "SHOW STREAMS;", "sessionVariables": None},  # shouldHandleNullSessionVariables
        {"ksql": "SHOW STREAMS;", "commandSequenceNumber": None},  # shouldHandleNullCommandNumber
        {"ksql": "SHOW STREAMS;", "streamsProperties": {}, "requestProperties": {}, "sessionVariables": {},
         "commandSequenceNumber": None},  # shouldDeserializeFromJsonWithNullCommandNumber
    ],
)  # fmt: skip
def test_ksql_request_with_nulls(app: App, body: dict[str, Any]) -> None:
    """KsqlRequestTest.shouldHandleNullProps / ...NullSessionVariables / ...NullCommandNumber: a request with
    null members is read as one without them"""
    r = httpx.post(app.server.url + "/ksql", json=body, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()[0]["@type"] == "streams"


def test_ksql_request_short_properties(app: App) -> None:
    """KsqlRequestTest.shouldHandleShortProperties / shouldHandleNullPropertyValue: auto.offset.reset given bare
    is the streams property (not listed as overwritten: this server already runs with earliest, and
    ListPropertiesExecutor lists the values that differ)"""
    r = httpx.post(
        app.server.url + "/ksql",
        json={"ksql": "LIST PROPERTIES;", "streamsProperties": {"auto.offset.reset": "earliest"}},
        timeout=10,
    )
    [entity] = r.json()
    prop = {p["name"]: p for p in entity["properties"]}["ksql.streams.auto.offset.reset"]
    assert prop["value"] == "earliest"
    assert "ksql.streams.auto.offset.reset" not in entity["overwrittenProperties"]


def test_ksql_request_invalid_property_value(app: App) -> None:
    """KsqlRequestTest.shouldThrowOnInvalidPropertyValue: the error names the property and the value"""
    r = httpx.post(
        app.server.url + "/ksql",
        json={"ksql": "SHOW STREAMS;", "streamsProperties": {"auto.offset.reset": "not-parsable"}},
        timeout=10,
    )
    assert r.status_code == 400
    assert "auto.offset.reset" in r.json()["message"] and "not-parsable" in r.json()["message"]
    # PropertiesUtil.coerceType's KsqlException, its ConfigException cause wrapped by ErrorMessageUtil
    assert r.json() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "Failed to coerce type of value 'not-parsable' for key 'auto.offset.reset'\n"
        "Caused by: Invalid value not-parsable for configuration auto.offset.reset:\n"
        "\tString must be one of: latest, earliest, none",
    }
