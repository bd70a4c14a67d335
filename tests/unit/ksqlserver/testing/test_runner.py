"""ksql-test-runner semantics: passing and failing tests and the descriptions ksqlDB's tool prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.testing import TestFileError, run_test_files
from ksqlserver.testing.messages import NO_QUERIES, NOT_EXECUTABLE

ORDERS = """
CREATE STREAM orders (id INT KEY, item VARCHAR, qty INT, price DOUBLE)
  WITH (kafka_topic='orders', value_format='JSON');
-- only the orders of more than one item
CREATE STREAM big AS SELECT id, item, qty * price AS total FROM orders WHERE qty > 1 EMIT CHANGES;
"""
ORDER_INPUTS = [
    {"topic": "orders", "key": 1, "value": {"item": "pen", "qty": 3, "price": 1.5}, "timestamp": 10},
    {"topic": "orders", "key": 2, "value": {"item": "ink", "qty": 1, "price": 9.0}, "timestamp": 20},
    {"topic": "orders", "key": 3, "value": {"item": "pad", "qty": 2, "price": 2.25}, "timestamp": 30},
]
BIG_OUTPUTS = [
    {"topic": "BIG", "key": 1, "value": {"ITEM": "pen", "TOTAL": 4.5}, "timestamp": 10},
    {"topic": "BIG", "key": 3, "value": {"ITEM": "pad", "TOTAL": 4.5}, "timestamp": 30},
]


def write(tmp: Path, sql: str, inputs: list[dict[str, Any]] | None, outputs: list[dict[str, Any]]) -> tuple:
    (tmp / "s.sql").write_text(sql)
    (tmp / "o.json").write_text(json.dumps({"outputs": outputs}))
    if inputs is None:
        return tmp / "s.sql", None, tmp / "o.json"
    (tmp / "i.json").write_text(json.dumps({"inputs": inputs}))
    return tmp / "s.sql", tmp / "i.json", tmp / "o.json"


def run(tmp: Path, sql: str, inputs: list[dict[str, Any]] | None, outputs: list[dict[str, Any]]) -> Any:
    return run_test_files(*write(tmp, sql, inputs, outputs))


def test_a_passing_test(tmp_path: Path) -> None:
    result = run(tmp_path, ORDERS, ORDER_INPUTS, BIG_OUTPUTS)
    assert result.passed, result.message
    assert result.message == ""


def test_a_wrong_value_is_described_as_ksqldb_does(tmp_path: Path) -> None:
    outputs = [dict(BIG_OUTPUTS[0]), dict(BIG_OUTPUTS[1], value={"ITEM": "pad", "TOTAL": 4.75})]
    result = run(tmp_path, ORDERS, ORDER_INPUTS, outputs)
    assert not result.passed
    assert result.message == (
        "Topic 'BIG', message 1: Expected <3, {\"ITEM\":\"pad\",\"TOTAL\":4.75}> with timestamp=30 and "
        "headers=[] but was <3, {ITEM=pad, TOTAL=4.5}> with timestamp=30 and headers=[]"
    )


def test_a_missing_record_lists_the_actual_records(tmp_path: Path) -> None:
    outputs = [*BIG_OUTPUTS, {"topic": "BIG", "key": 2, "value": {"ITEM": "ink", "TOTAL": 9.0}}]
    result = run(tmp_path, ORDERS, ORDER_INPUTS, outputs)
    assert result.message == (
        "Topic BIG. Expected <3> records but it was <2>\nActual records: \n"
        "<1, {ITEM=pen, TOTAL=4.5}> with timestamp=10 and headers=[]\n"
        "<3, {ITEM=pad, TOTAL=4.5}> with timestamp=30 and headers=[]"
    )


def test_decimals_compare_exactly_and_an_int_is_not_a_double(tmp_path: Path) -> None:
    sql, inputs, outputs = write(tmp_path, ORDERS, ORDER_INPUTS, BIG_OUTPUTS)
    outputs.write_text(outputs.read_text().replace("4.5", "4.50", 1))
    result = run_test_files(sql, inputs, outputs)  # 4.50 has another scale than the 4.5 written
    assert result.message.startswith("Topic 'BIG', message 0: Expected <1, {\"ITEM\":\"pen\",\"TOTAL\":4.50}>")
    ints = [{"topic": "orders", "key": 9, "value": {"item": "x", "qty": 2, "price": 2.0}, "timestamp": 1}]
    result = run(tmp_path, ORDERS, ints, [{"topic": "BIG", "key": 9, "value": {"ITEM": "x", "TOTAL": 4}}])
    assert not result.passed and "{ITEM=x, TOTAL=4.0}" in result.message


def test_timestamps_count_unless_left_out(tmp_path: Path) -> None:
    outputs = [dict(BIG_OUTPUTS[0], timestamp=11), BIG_OUTPUTS[1]]
    result = run(tmp_path, ORDERS, ORDER_INPUTS, outputs)
    assert "with timestamp=11 and headers=[] but was <1, {ITEM=pen, TOTAL=4.5}> with timestamp=10" in result.message
    no_ts = [{k: v for k, v in r.items() if k != "timestamp"} for r in BIG_OUTPUTS]
    assert run(tmp_path, ORDERS, ORDER_INPUTS, no_ts).passed


def test_field_names_match_in_upper_case(tmp_path: Path) -> None:
    lower = [dict(r, value={k.lower(): v for k, v in r["value"].items()}) for r in BIG_OUTPUTS]
    assert run(tmp_path, ORDERS, ORDER_INPUTS, lower).passed


def test_insert_values_alone_and_timestamp_zero(tmp_path: Path) -> None:
    """Without an input file the records come from INSERT VALUES; an expected timestamp of 0 then
    matches any timestamp (the rows carry the insert's wall-clock time)."""
    sql = ORDERS + "INSERT INTO orders (id, item, qty, price) VALUES (5, 'cup', 4, 0.5);\n"
    out = [{"topic": "BIG", "key": 5, "value": {"ITEM": "cup", "TOTAL": 2.0}, "timestamp": 0}]
    assert run(tmp_path, sql, None, out).passed
    with_rowtime = ORDERS + "INSERT INTO orders (rowtime, id, item, qty, price) VALUES (7, 5, 'cup', 4, 0.5);\n"
    result = run(tmp_path, with_rowtime, None, [dict(out[0], timestamp=8)])
    assert not result.passed and "with timestamp=7" in result.message


def test_windowed_output(tmp_path: Path) -> None:
    sql = (
        "CREATE STREAM clicks (user VARCHAR KEY, page VARCHAR) WITH (kafka_topic='clicks', value_format='JSON');\n"
        "CREATE TABLE per_user AS SELECT user, COUNT(*) AS n FROM clicks WINDOW TUMBLING (SIZE 1 MINUTE) "
        "GROUP BY user EMIT CHANGES;\n"
    )
    inputs = [
        {"topic": "clicks", "key": "ann", "value": {"page": "a"}, "timestamp": 1000},
        {"topic": "clicks", "key": "ann", "value": {"page": "b"}, "timestamp": 2000},
        {"topic": "clicks", "key": "bob", "value": {"page": "a"}, "timestamp": 61000},
    ]
    first = {"start": 0, "end": 60000, "type": "time"}
    outputs = [
        {"topic": "PER_USER", "key": "ann", "value": {"N": 1}, "timestamp": 1000, "window": first},
        {"topic": "PER_USER", "key": "ann", "value": {"N": 2}, "timestamp": 2000, "window": first},
        {"topic": "PER_USER", "key": "bob", "value": {"N": 1}, "timestamp": 61000,
         "window": {"start": 60000, "end": 120000, "type": "TIME"}},
    ]
    assert run(tmp_path, sql, inputs, outputs).passed
    outputs[2]["window"] = first
    result = run(tmp_path, sql, inputs, outputs)
    assert result.message.startswith("Topic 'PER_USER', message 2: Expected <\"bob\", {\"N\":1}>")
    assert "but was <[bob@60000/120000], {N=1}> with timestamp=61000" in result.message


def test_a_delimited_value_prints_in_quotes(tmp_path: Path) -> None:
    sql = ORDERS + "CREATE STREAM lines WITH (value_format='DELIMITED') AS SELECT id, item, qty FROM orders;\n"
    outputs = [{"topic": "LINES", "key": 1, "value": "pen,3"}, {"topic": "LINES", "key": 2, "value": "ink,1"},
               {"topic": "LINES", "key": 3, "value": "pad,22"}]
    result = run(tmp_path, sql, ORDER_INPUTS, outputs)
    assert result.message.endswith('but was <3, "pad,2"> with timestamp=30 and headers=[]')


def test_headers_must_match(tmp_path: Path) -> None:
    """Record headers travel with the record (Kafka Streams forwards them), and the comparison counts them."""
    sql = "CREATE STREAM h (id INT KEY, v INT) WITH (kafka_topic='h', value_format='JSON');\n" \
          "CREATE STREAM h2 AS SELECT id, v FROM h;\n"
    inputs = [{"topic": "h", "key": 1, "value": {"v": 1}, "timestamp": 5,
               "headers": [{"KEY": "trace", "VALUE": "YWJj"}]}]
    out = [{"topic": "H2", "key": 1, "value": {"V": 1}, "timestamp": 5, "headers": [{"KEY": "trace", "VALUE": "YWJj"}]}]
    assert run(tmp_path, sql, inputs, out).passed
    result = run(tmp_path, sql, inputs, [{k: v for k, v in out[0].items() if k != "headers"}])
    assert result.message.endswith("with timestamp=5 and headers=[] but was "
                                   "<1, {V=1}> with timestamp=5 and headers=[{KEY=trace,VALUE=YWJj}]")


def test_an_output_topic_no_source_writes(tmp_path: Path) -> None:
    result = run(tmp_path, ORDERS, ORDER_INPUTS, [{"topic": "NOPE", "value": {"A": 1}}])
    assert result.message == (
        "io.confluent.ksql.test.TestFrameworkException: Failed to determine key type for\n"
        "topic: NOPE\nreason: No information found for topic 'NOPE'. Available topics: [orders, BIG]"
    )


def test_only_executable_statements(tmp_path: Path) -> None:
    for stmt in ("SET 'auto.offset.reset'='earliest';", "SHOW STREAMS;", "DEFINE x = 'y';"):
        result = run(tmp_path, stmt + "\n" + ORDERS, ORDER_INPUTS, BIG_OUTPUTS)
        assert result.message == NOT_EXECUTABLE, stmt
    result = run(tmp_path, ORDERS + "SELECT * FROM big EMIT CHANGES;", ORDER_INPUTS, BIG_OUTPUTS)
    assert result.message.startswith("class io.confluent.ksql.parser.tree.Query cannot be cast")


def test_no_persistent_query(tmp_path: Path) -> None:
    sql = "CREATE STREAM s (a INT) WITH (kafka_topic='s', value_format='JSON');\nINSERT INTO s (a) VALUES (1);\n"
    result = run(tmp_path, sql, None, [{"topic": "s", "value": {"A": 1}}])
    assert result.message == NO_QUERIES


def test_a_rejected_statement_fails_with_the_engines_message(tmp_path: Path) -> None:
    result = run(tmp_path, "CREATE STREAM b AS SELECT * FROM nothere;", ORDER_INPUTS, BIG_OUTPUTS)
    assert not result.passed and "NOTHERE does not exist" in result.message


def test_a_syntax_error_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(TestFileError) as err:
        run(tmp_path, ORDERS + "SELEC * FROM big;", ORDER_INPUTS, BIG_OUTPUTS)
    assert "Syntax Error" in err.value.message


def test_records_the_queries_drop_are_reported(tmp_path: Path) -> None:
    inputs = [*ORDER_INPUTS, {"topic": "orders", "key": 4, "value": "not json", "timestamp": 40}]
    result = run(tmp_path, ORDERS, inputs, BIG_OUTPUTS)
    assert result.passed  # as in ksqlDB: the bad record is logged and skipped
    assert len(result.processing_errors) == 1


def test_avro_sources_use_the_tools_own_registry(tmp_path: Path) -> None:
    """ksqlDB's tool runs AVRO statements against an in-process (mock) Schema Registry: no URL needed."""
    sql = """
    CREATE STREAM sales (title VARCHAR, total INT)
      WITH (kafka_topic='sales', partitions=1, value_format='avro');
    CREATE TABLE sold AS SELECT title, COUNT(total) AS n FROM sales GROUP BY title EMIT CHANGES;
    """
    inputs = [
        {"topic": "sales", "value": {"title": "a", "total": 1}, "timestamp": 1},
        {"topic": "sales", "value": {"title": "a", "total": 2}, "timestamp": 2},
    ]
    outputs = [
        {"topic": "SOLD", "key": "a", "value": {"N": 1}, "timestamp": 1},
        {"topic": "SOLD", "key": "a", "value": {"N": 2}, "timestamp": 2},
    ]
    result = run(tmp_path, sql, inputs, outputs)
    assert result.passed, result.message
    wrong = run(tmp_path, sql, inputs, [{**outputs[0]}, {**outputs[1], "value": {"N": 3}}])
    assert not wrong.passed and "but was <a, {N=2}>" in wrong.message


def test_a_json_string_is_not_a_boolean(tmp_path: Path) -> None:
    """ksqlDB's JSON deserialiser takes only true/false for a BOOLEAN: "true" is a bad record, dropped."""
    sql = """
    CREATE STREAM raw (id VARCHAR, ok BOOLEAN) WITH (kafka_topic='raw', partitions=1, value_format='JSON');
    CREATE STREAM good AS SELECT id, ok FROM raw PARTITION BY id;
    """
    inputs = [
        {"topic": "raw", "value": {"ID": "a", "OK": True}, "timestamp": 1},
        {"topic": "raw", "value": {"ID": "b", "OK": "true"}, "timestamp": 2},
        {"topic": "raw", "value": {"ID": "c", "OK": False}, "timestamp": 3},
    ]
    outputs = [
        {"topic": "GOOD", "key": "a", "value": {"OK": True}, "timestamp": 1},
        {"topic": "GOOD", "key": "c", "value": {"OK": False}, "timestamp": 3},
    ]
    result = run(tmp_path, sql, inputs, outputs)
    assert result.passed, result.message
    assert any("BOOLEAN" in e for e in result.processing_errors)
