"""Port of ksqlDB 0.29 `io.confluent.ksql.api.client.integration.StreamStreamJoinsDeprecationNoticesIntegrationTest`
(shouldReturnDeprecationWarningMessageOnDeprecatedStatements): a stream-stream join without GRACE PERIOD
runs, and its CommandStatusEntity carries DeprecatedStatementsChecker's warning."""

from __future__ import annotations

from typing import Any

# StructuredTypesDataProvider's schema (ksql.persistence.default.format.key=JSON, headers enabled)
SCHEMA = (
    "K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, LONG BIGINT, DEC DECIMAL(4, 2), BYTES_ BYTES, "
    "ARRAY ARRAY<STRING>, MAP MAP<STRING, STRING>, STRUCT STRUCT<F1 INTEGER>, "
    "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), STRUCT STRUCT<F1 STRING, F2 INTEGER>, "
    "ARRAY_ARRAY ARRAY<ARRAY<STRING>>, ARRAY_STRUCT ARRAY<STRUCT<F1 STRING>>, "
    "ARRAY_MAP ARRAY<MAP<STRING, INTEGER>>, MAP_ARRAY MAP<STRING, ARRAY<STRING>>, "
    "MAP_MAP MAP<STRING, MAP<STRING, INTEGER>>, MAP_STRUCT MAP<STRING, STRUCT<F1 STRING>>>, "
    "TIMESTAMP TIMESTAMP, DATE DATE, TIME TIME, HEAD BYTES HEADER('h0')"
)
NOTICE = (
    "DEPRECATION NOTICE: Stream-stream joins statements without a GRACE PERIOD will not be accepted in a "
    "future ksqlDB version.\nPlease use the GRACE PERIOD clause as specified in "
    "https://docs.ksqldb.io/en/latest/developer-guide/ksqldb-reference/select-push-query/"
)


def test_should_return_deprecation_warning_message_on_deprecated_statements(rest: Any) -> None:
    """StreamStreamJoinsDeprecationNoticesIntegrationTest.shouldReturnDeprecationWarningMessageOnDeprecatedStatements"""
    _, driver, server = rest.start(
        {"ksql.persistence.default.format.key": "JSON", "ksql.headers.columns.enabled": "true"}
    )
    for name in ("STRUCTURED_TYPES_1", "STRUCTURED_TYPES_2"):
        driver.create_topic(name, 1, 1)
        rest.ok(server, f"CREATE STREAM {name} ({SCHEMA}) WITH (kafka_topic='{name}', value_format='JSON');")
    [entity] = rest.ok(
        server,
        "CREATE STREAM DEPRECATED_QUERY AS SELECT * FROM STRUCTURED_TYPES_1 AS l "
        "LEFT JOIN STRUCTURED_TYPES_2 AS r WITHIN 1 SECOND ON l.K->F1 = r.K->F1;",
    )
    assert entity["@type"] == "currentStatus"
    assert entity["commandStatus"]["status"] == "SUCCESS"
    assert "Created query with ID CSAS_DEPRECATED_QUERY_" in entity["commandStatus"]["message"]
    assert entity["warnings"] == [{"message": NOTICE}]
