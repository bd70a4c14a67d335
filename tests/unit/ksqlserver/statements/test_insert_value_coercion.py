"""INSERT ... VALUES coerces each value with ksqlDB's STRICT rules (DefaultSqlValueCoercerTest, through
GenericExpressionResolver): numbers widen, text becomes a time type or BYTES (base64, as java.util.Base64
decodes it), everything else is refused with "Expected type T for field `F` but got ..."."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.catalog.casts import java_base64
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

CREATE = (
    "CREATE STREAM S (K STRING KEY, I INT, BI BIGINT, DB DOUBLE, DEC DECIMAL(4, 2), STR STRING, BO BOOLEAN, "
    "TS TIMESTAMP, DT DATE, TM TIME, B BYTES, A ARRAY<INT>, ST STRUCT<X INT, Y STRING>) "
    "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
)


@pytest.fixture
def env() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute(CREATE)
    yield e, d
    e.close()


def insert(env: tuple[Engine, MemoryDriver], column: str, value: str) -> Any:
    e, d = env
    e.execute(f"INSERT INTO S (K, {column}) VALUES ('k', {value});")
    return json.loads(d.records("s")[-1].value)[column]


@pytest.mark.parametrize(
    ("column", "value", "stored"),
    [
        ("BI", "3", 3),
        ("DB", "3", 3.0),
        ("DEC", "10.010", 10.01),  # trailing zeros beyond the scale drop
        ("DEC", "3", 3.0),
        ("TS", "'2018-09-01T09:01:15.000'", 1535792475000),
        ("TS", "'2018-09-01'", 1535760000000),
        ("DT", "'2018-09-01'", 17775),
        ("TM", "'09:01:15'", 32475000),
        ("B", "'IQ=='", "IQ=="),
        ("B", "'NaN'", "NaM="),  # unpadded base64 decodes (to 0x35 0xA3)
        ("B", "'\t 10 \t'", "1w=="),  # trimmed first
        ("ST", "STRUCT(X := 1)", {"X": 1, "Y": None}),
    ],
)
def test_values_coerce_strictly(env: tuple[Engine, MemoryDriver], column: str, value: str, stored: Any) -> None:
    assert insert(env, column, value) == stored


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("I", "1.5", "Expected type INTEGER for field `I` but got DECIMAL(1.5)"),
        ("I", "'101'", "Expected type INTEGER for field `I` but got STRING(101)"),  # text to number is LAX only
        ("I", "10000000000", "Expected type INTEGER for field `I` but got BIGINT(10000000000)"),
        ("DEC", "10.011", "Expected type DECIMAL(4, 2) for field `DEC` but got DECIMAL(10.011)"),
        ("DEC", "1.5e0", "Expected type DECIMAL(4, 2) for field `DEC` but got DOUBLE(1.5)"),
        ("STR", "101", "Expected type STRING for field `STR` but got INTEGER(101)"),
        ("BO", "'TrUe'", "Expected type BOOLEAN for field `BO` but got STRING(TrUe)"),
        ("TS", "'bad'", "Expected type TIMESTAMP for field `TS` but got STRING(bad). Timestamp format must be "
         "yyyy-mm-ddThh:mm:ss[.S]"),
        ("DT", "'2018-09-01T00:00:00'", "Expected type DATE for field `DT` but got STRING(2018-09-01T00:00:00). "
         "Date format must be yyyy-mm-dd"),
        ("B", "'xx='", "Expected type BYTES for field `B` but got STRING(xx=)"),
    ],
)  # fmt: skip
def test_values_that_do_not_coerce(env: tuple[Engine, MemoryDriver], column: str, value: str, message: str) -> None:
    with pytest.raises(KsqlError) as err:
        insert(env, column, value)
    assert err.value.message == f"Failed to insert values into 'S'. {message}"


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("TrUe", [78, 181, 30]),
        ("YeS", [97, 228]),
        ("nO", [156]),
        ("2147483647", [219, 94, 59, 227, 205, 250, 227]),
        ("Infinity", [34, 119, 226, 158, 43, 114]),
        ("IQ==", [33]),
        ("", []),
    ],
)
def test_java_base64_decodes_what_java_does(text: str, decoded: list[int]) -> None:
    assert list(java_base64(text)) == decoded


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "Last unit does not have enough valid bits"),
        ("x=", "Last unit does not have enough valid bits"),
        ("xx=", "Input byte array has wrong 4-byte ending unit"),
        ("IQ==x", "Input byte array has incorrect ending byte at 4"),
        ("a-b", "Illegal base64 character 2d"),
    ],
)
def test_java_base64_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        java_base64(text)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        # GenericRecordFactory's checks: the columns first, each then resolved and coerced
        ("INSERT INTO S (K, NOPE) VALUES ('k', 1);", "Failed to insert values into 'S'. Column name `NOPE` does not exist."),
        ("INSERT INTO S (K, ROWOFFSET) VALUES ('k', 1);",
         "Failed to insert values into 'S'. Inserting into column `ROWOFFSET` is not allowed."),
        # the list of columns ksqlDB prints is the one the statement named: none
        ("INSERT INTO S VALUES ('k', 1);",
         "Failed to insert values into 'S'. Expected a value for each column. Expected Columns: []. Got ['k', 1]"),
        ("INSERT INTO S (K, ROWTIME) VALUES ('k', 'x');",
         "Failed to insert values into 'S'. Expected type BIGINT for field `ROWTIME` but got STRING(x)"),
        ("INSERT INTO S (K, I) VALUES ('k', BI);",
         "Failed to insert values into 'S'. Unsupported column reference in insert value: BI"),
        # the code generator's problems are "Invalid insert value", in their short (logged) form
        ("INSERT INTO S (K, A) VALUES ('k', ARRAY[NULL]);",
         "Failed to insert values into 'S'. Invalid insert value: Cannot construct an array with all NULL elements "
         "(see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the "
         "desired type.."),
        ("INSERT INTO S (K, I) VALUES ('k', 1 + 'x');",
         "Failed to insert values into 'S'. Invalid insert value: Error processing expression.."),
        ("INSERT INTO S (K, I) VALUES ('k', NOPE(1));",
         "Failed to insert values into 'S'. Invalid insert value: Can't find any functions with the name 'NOPE'."),
        # evaluated with a logger that throws: a failing cast names its type, anything else has no text
        ("INSERT INTO S (K, DB) VALUES ('k', CAST('x' AS DOUBLE));",
         "Failed to insert values into 'S'. Error processing DOUBLE"),
        ("INSERT INTO S (K, I) VALUES ('k', 1 / 0);", "Failed to insert values into 'S'. "),
    ],
)  # fmt: skip
def test_insert_errors(env: tuple[Engine, MemoryDriver], sql: str, message: str) -> None:
    e, d = env
    with pytest.raises(KsqlError) as err:
        e.execute(sql)
    assert err.value.message == message
    assert d.records("s") == []


def test_targets_that_take_no_values(env: tuple[Engine, MemoryDriver]) -> None:
    e, _ = env
    e.execute("CREATE TABLE T (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    with pytest.raises(KsqlError, match=r"^Failed to insert values into 'T'. Value for primary key column"):
        e.execute("INSERT INTO T (V) VALUES (1);")
    e.execute("CREATE SOURCE STREAM RO (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    with pytest.raises(KsqlError, match=r"^Cannot insert values into read-only stream: RO$"):
        e.execute("INSERT INTO RO (ID, V) VALUES (1, 1);")
    e.execute("CREATE STREAM H (ID INT KEY, V INT, HS ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) "
              "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")  # fmt: skip
    with pytest.raises(KsqlError, match=r"^Cannot insert into HEADER columns: HS$"):
        e.execute("INSERT INTO H VALUES (1, 1);")  # naming no columns names the header columns too
