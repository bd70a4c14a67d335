"""Functions end to end through the Engine on the in-memory driver: lambdas, table functions, nested
error handling, aggregates with literal parameters and settings, SHOW / DESCRIBE FUNCTION."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

PROPS = {"ksql.streams.auto.offset.reset": "earliest", "ksql.functions.collect_list.limit": "2"}
CREATE = (
    "CREATE STREAM S (ID STRING KEY, A ARRAY<INT>, M MAP<STRING, INT>, N INT, X DOUBLE, T STRING) "
    "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
)
ROWS = [
    {"A": [3, 1, 2], "M": {"a": 1, "b": 2}, "N": 2, "X": 1.5, "T": '{"k": 12}'},
    {"A": None, "M": None, "N": None, "X": None, "T": "not json"},
    {"A": [5], "M": {"c": 3}, "N": 4, "X": -2.5, "T": "7"},
]


@pytest.fixture
def env() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    d.create_topic("tb", partitions=1)
    e = Engine(EngineConfig(service_id="fn_", synchronous=True, properties=PROPS), d)
    e.execute(CREATE)
    yield e, d
    e.close()


def values(e: Engine, d: MemoryDriver, sql: str, sink: str) -> list[Any]:
    e.execute(sql)
    d.produce("s", [Record(f"k{i}".encode(), json.dumps(r).encode(), 100 + i) for i, r in enumerate(ROWS)])
    e.drain()
    return [None if r.value is None else json.loads(r.value) for r in d.records(sink)]


def log_messages(d: MemoryDriver) -> list[str]:
    out = []
    for r in d.records("fn_ksql_processing_log"):
        err = json.loads(r.value)["message"].get("recordProcessingError")
        if err:  # the message names the column, the cause says what failed
            out.append("\n".join([err["errorMessage"], *err["cause"]]))
    return out


def test_lambdas_transform_filter_reduce(env: tuple[Engine, MemoryDriver]) -> None:
    # lambda arguments are not named like S's columns (X): AstSanitizer refuses that
    e, d = env
    out = values(
        e, d,
        "CREATE STREAM O AS SELECT ID, TRANSFORM(A, e => e * N) AS T, FILTER(A, e => e > 1) AS F, "
        "REDUCE(A, 0, (s, e) => s + e) AS R, TRANSFORM(M, (k, v) => UCASE(k), (k, v) => v * 10) AS TM, "
        "REDUCE(M, '', (s, k, v) => CONCAT(s, k)) AS RM, "
        "TRANSFORM(A, e => TRANSFORM(ARRAY[e], y => y + e)) AS NESTED FROM S;",
        "O",
    )
    assert out[0] == {
        "T": [6, 2, 4], "F": [3, 2], "R": 6, "TM": {"A": 10, "B": 20}, "RM": "ab", "NESTED": [[6], [2], [4]]
    }
    assert out[1] == {"T": None, "F": None, "R": 0, "TM": None, "RM": "", "NESTED": None}


def test_lambda_typing_errors(env: tuple[Engine, MemoryDriver]) -> None:
    e, _ = env
    with pytest.raises(KsqlError) as err:
        e.execute("CREATE STREAM O AS SELECT ID, REDUCE(A, 0, (s, e) => s + 0.5e0) AS R FROM S;")
    assert err.value.message == "Could not determine output schema for query due to error: " + (  # refused while planned: the injectors' prefix
        "Found invalid instance of generic schema when mapping LAMBDA (S, T) => S to LAMBDA (INTEGER, INTEGER) "
        "=> DOUBLE. Cannot map S to both INTEGER and DOUBLE"
    )
    with pytest.raises(KsqlError, match=r"Function 'transform' does not accept parameters \(ARRAY<INTEGER>, LAMBDA\)"):
        e.execute("CREATE STREAM O AS SELECT ID, TRANSFORM(A, (e, y) => e) AS R FROM S;")


def test_explode_zips_table_functions_and_pads_with_nulls(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    out = values(
        e, d, "CREATE STREAM O AS SELECT ID, EXPLODE(A) AS V, EXPLODE(GENERATE_SERIES(1, 2)) AS I, N FROM S;", "O"
    )
    assert out == [
        {"V": 3, "I": 1, "N": 2}, {"V": 1, "I": 2, "N": 2}, {"V": 2, "I": None, "N": 2},
        {"V": None, "I": 1, "N": None}, {"V": None, "I": 2, "N": None},
        {"V": 5, "I": 1, "N": 4}, {"V": None, "I": 2, "N": 4},
    ]


def test_cube_explode(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    out = values(e, d, "CREATE STREAM O AS SELECT ID, CUBE_EXPLODE(ARRAY[N, ARRAY_LENGTH(A)]) AS C FROM S;", "O")
    assert [r["C"] for r in out[:4]] == [[None, None], [None, 3], [2, None], [2, 3]]
    assert [r["C"] for r in out[4:5]] == [[None, None]]  # both null: one row


def test_nested_failures_are_null_arguments_and_reported(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    out = values(
        e, d,
        "CREATE STREAM O AS SELECT ID, IFNULL(CAST(T AS INT), -1) AS C, "
        "COALESCE(EXTRACTJSONFIELD(T, '$.k'), 'none') AS J, EXTRACTJSONFIELD(T, '$.k') IS NULL AS TOP FROM S;",
        "O",
    )
    assert [r["C"] for r in out] == [-1, -1, 7]  # CAST of a non-number is null in ksqlDB
    assert [r["J"] for r in out] == ["12", "none", "none"]
    assert [r["TOP"] for r in out] == [False, None, True]  # a failing call fails its whole column
    msgs = log_messages(d)
    assert any("TOP" in m and "Invalid JSON format:not json" in m for m in msgs)
    assert any("J" in m and "Invalid JSON format" in m for m in msgs)


def test_time_units_and_bytes_and_json(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    out = values(
        e, d,
        "CREATE STREAM O AS SELECT ID, FORMAT_DATE(DATEADD(DAYS, N, FROM_DAYS(0)), 'yyyy-MM-dd') AS D, "
        "TIMESTAMPADD(MINUTES, 2, FROM_UNIXTIME(0)) AS TS, INT_FROM_BYTES(TO_BYTES('AAABAA==', 'base64')) AS I, "
        "JSON_KEYS(T) AS K, TO_JSON_STRING(M) AS JS FROM S;",
        "O",
    )
    assert out[0] == {"D": "1970-01-03", "TS": 120000, "I": 256, "K": ["k"], "JS": '{"a":1,"b":2}'}
    assert out[1]["D"] is None and out[1]["K"] is None


def test_aggregates_with_literal_parameters_and_settings(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    out = values(
        e, d,
        "CREATE TABLE O AS SELECT 'all' AS G, TOPK(N, T, 2) AS TK, TOPKDISTINCT(X, 1) AS TD, COLLECT_LIST(N) AS CL, "
        "LATEST_BY_OFFSET(N, 2, false) AS L2, HISTOGRAM(T) AS H, STDDEV_SAMPLE(N) AS SD, ATTR(ID) AS A "
        "FROM S GROUP BY 'all';",
        "O",
    )
    last = out[-1]
    assert last["TK"] == [{"sort_col": 4, "col0": "7"}, {"sort_col": 2, "col0": '{"k": 12}'}]
    assert last["TD"] == [1.5]
    assert last["CL"] == [2, None]  # ksql.functions.collect_list.limit = 2
    assert last["L2"] == [None, 4]
    assert last["H"] == {'{"k": 12}': 1, "not json": 1, "7": 1}
    assert last["SD"] == pytest.approx(2 ** 0.5)
    assert last["A"] is None  # three different ids


def test_aggregate_errors_have_ksqldb_texts(env: tuple[Engine, MemoryDriver]) -> None:
    e, _ = env
    with pytest.raises(KsqlError, match=r"Function 'avg' does not accept parameters \(DECIMAL\(4, 2\)\)"):
        e.execute("CREATE TABLE O AS SELECT ID, AVG(CAST(X AS DECIMAL(4, 2))) AS V FROM S GROUP BY ID;")
    with pytest.raises(KsqlError, match="Parameter 2 passed to function TOPK must be a literal constant, but was "
                                        r"expression: '\(N \+ 1\)'"):
        e.execute("CREATE TABLE O AS SELECT ID, TOPK(N, N + 1) AS V FROM S GROUP BY ID;")
    e.execute("CREATE TABLE TB (ID STRING PRIMARY KEY, N INT) WITH (KAFKA_TOPIC='tb', VALUE_FORMAT='JSON');")
    # one function: singular (SchemaKGroupedTable.aggregate); windows come first
    with pytest.raises(KsqlError, match="The aggregation function collect_set cannot be applied to a table source"):
        e.execute("CREATE TABLE O AS SELECT ID, COLLECT_SET(N) AS V FROM TB GROUP BY ID;")
    with pytest.raises(KsqlError, match=r"^Windowing not supported for table aggregations\.$"):
        e.execute("CREATE TABLE O AS SELECT ID, COLLECT_SET(N) AS V FROM TB WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;")


def test_show_and_describe_functions(env: tuple[Engine, MemoryDriver]) -> None:
    e, _ = env
    [shown] = e.execute("SHOW FUNCTIONS;")
    assert shown["@type"] == "function_names"
    funcs = {f["name"]: (f["type"], f["category"]) for f in shown["functions"]}
    assert len(funcs) == 148
    assert funcs["EXPLODE"] == ("TABLE", "TABLE") and funcs["TOPK"] == ("AGGREGATE", "AGGREGATE")
    assert funcs["TRANSFORM"] == ("SCALAR", "LAMBDA")
    [desc] = e.execute("DESCRIBE FUNCTION explode;")
    assert desc["@type"] == "describe_function"
    assert (desc["name"], desc["type"], desc["path"], desc["version"]) == ("EXPLODE", "TABLE", "internal", "")
    # UdfFactory.eachFunction lists udfIndex.values(): HashMap order of [ARRAY<DECIMAL>] and [ARRAY<T>]
    assert [(f["arguments"][0]["type"], f["returnType"]) for f in desc["functions"]] == [
        ("ARRAY<DECIMAL>", "DECIMAL"), ("ARRAY<T>", "T")
    ]
    [topk] = e.execute("DESCRIBE FUNCTION TOPK;")
    assert ["INT", "ANY", "INT"] in [f["argumentTypes"] for f in topk["functions"]]  # listed in HashMap order
    with pytest.raises(KsqlError, match="Can't find any functions with the name 'NOPE'"):
        e.execute("DESCRIBE FUNCTION NOPE;")


def test_table_functions_inside_expressions(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    out = values(
        e, d,
        "CREATE STREAM O AS SELECT ID, EXPLODE(A) * 10 + EXPLODE(GENERATE_SERIES(1, N)) AS V, "
        "CONCAT('#', CAST(EXPLODE(A) AS STRING)) AS T FROM S;",
        "O",
    )
    # k0: A=[3, 1, 2] zipped with [1, 2]; k1: nothing to explode (A and N null); k2: A=[5] with [1..4].
    # Every column is evaluated for every row of the zip: past A's end CONCAT('#', null) is '#'
    assert out == [
        {"V": 31, "T": "#3"}, {"V": 12, "T": "#1"}, {"V": None, "T": "#2"},
        {"V": 51, "T": "#5"}, {"V": None, "T": "#"}, {"V": None, "T": "#"}, {"V": None, "T": "#"},
    ]


def test_table_function_restrictions(env: tuple[Engine, MemoryDriver]) -> None:
    e, _ = env
    cases = {
        "CREATE STREAM O AS SELECT ID, EXPLODE(EXPLODE(A)) AS V FROM S;": "Table functions cannot be nested: "
        "EXPLODE(EXPLODE())",
        "CREATE STREAM O AS SELECT ID, CASE WHEN N > 1 THEN EXPLODE(A) ELSE 0 END AS V FROM S;": "Table functions "
        "cannot be used in CASE: ",
        "CREATE TABLE O AS SELECT ID, EXPLODE(COLLECT_LIST(N)) AS V FROM S GROUP BY ID;": "Table functions cannot be "
        "used with aggregations.",
    }
    for statement, message in cases.items():
        with pytest.raises(KsqlError) as err:
            e.execute(statement)
        assert err.value.message.startswith("Could not determine output schema for query due to error: " + message), statement  # refused while planned
    e.execute("CREATE TABLE TB (ID STRING PRIMARY KEY, A ARRAY<INT>) WITH (KAFKA_TOPIC='tb', VALUE_FORMAT='JSON');")
    with pytest.raises(KsqlError, match="Table source is not supported with table functions"):
        e.execute("CREATE STREAM O AS SELECT ID, EXPLODE(A) AS V FROM TB;")


def test_fast_delimited_loop_matches_the_generic_path_on_nested_failures() -> None:
    """Nested failures are null but reported: the generated DELIMITED loop hands such rows to the generic
    path, so outputs and processing log are the same with and without it."""
    sql = (
        "CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT ID, IFNULL(CAST(S AS INT), -1) AS C, "
        "LEN(UCASE(S)) AS L, CONCAT(S, '!') AS X FROM D;"
    )
    # '""' is a null field ("" would be no record at all: a deserialization error, as Commons CSV reads it)
    rows = [(f"k{i}", v) for i, v in enumerate(["12", "abc", '""', "7", "x y"])]
    results = []
    for fast in (True, False):
        d = MemoryDriver()
        d.create_topic("d", partitions=1)
        e = Engine(EngineConfig(service_id="fp_", synchronous=True, properties=PROPS, fast_paths=fast), d)
        e.execute("CREATE STREAM D (ID STRING KEY, S STRING) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='DELIMITED');")
        e.execute(sql)
        assert next(iter(e.state.persistent.values())).pipeline.fast_path is fast
        d.produce("d", [Record(k.encode(), v.encode(), 100) for k, v in rows])
        e.drain()
        log = [json.loads(r.value)["message"]["recordProcessingError"]["errorMessage"]
               for r in d.records("fp_ksql_processing_log")]
        results.append(([json.loads(r.value) for r in d.records("O")], log))
        e.close()
    assert results[0] == results[1]
    out, log = results[0]
    assert [r["C"] for r in out] == [12, -1, -1, 7, -1]
    # SqlToJavaVisitor.visitCast: evaluateOrReturnNull logs the failed CAST as "Error processing INTEGER"
    assert log == ["Error processing INTEGER"] * 2
