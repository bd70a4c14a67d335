"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.entity.SchemaInfoTest`
(shouldCorrectlyFormatDecimalsWithPrecisionAndScale, shouldCorrectlyFormatDecimalsWithoutParameters): a
DECIMAL's SchemaInfo carries its precision and scale as `parameters`, and its type text is
`DECIMAL(10, 9)`, as DESCRIBE's field schemas and a query's header show them."""

from __future__ import annotations

from typing import Any


def test_should_correctly_format_decimals_with_precision_and_scale(res: Any) -> None:
    """SchemaInfoTest.shouldCorrectlyFormatDecimalsWithPrecisionAndScale: DESCRIBE's SchemaInfo of a
    DECIMAL(10, 9) column, with its parameters."""
    res.ok(
        "CREATE STREAM DEC_S (ID INT KEY, D DECIMAL(10, 9)) WITH (kafka_topic='KAFKA_TOPIC_2', value_format='JSON');"
    )
    entity = res.one("DESCRIBE DEC_S;")
    [_, field] = entity["sourceDescription"]["fields"]
    assert field == {
        "name": "D",
        "schema": {
            "type": "DECIMAL",
            "fields": None,
            "memberSchema": None,
            "parameters": {"precision": 10, "scale": 9},
        },
    }


def test_decimal_type_text(rest: Any) -> None:
    """SchemaInfo.toTypeString: `DECIMAL(10, 9)`, as the query header's schema shows the column."""
    _, driver, server = rest.start()
    driver.create_topic("dec", 1, 1)
    rest.ok(
        server,
        "CREATE STREAM DEC_S (ID INT KEY, D DECIMAL(10, 9)) WITH (kafka_topic='dec', value_format='JSON');",
    )
    [header, *_] = rest.query_rows(server, "SELECT * FROM DEC_S;")
    assert header["header"]["schema"] == "`ID` INTEGER, `D` DECIMAL(10, 9)"
