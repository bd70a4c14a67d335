"""docs/how-to-guides/use-lambda-functions.md and docs/how-to-guides/substitute-variables.md: the TRANSFORM,
REDUCE and FILTER examples over Avro streams (their inserts and the rows of the sinks), the lambda syntax
and its limits, and DEFINE / UNDEFINE / SHOW VARIABLES with substitution into identifiers and literals,
escaping, quoting and disabling (ksqlDB 0.29's Transform, Reduce, Filter and Round UDFs,
VariableSubstitutor, SessionProperties' case-insensitive TreeMap of variables)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ksqlserver.console.render import entity_lines
from ksqlserver.errors import KsqlError

from .conftest import Docs

PLANNED = "Could not determine output schema for query due to error: "


def _planning_cause(message: str, sql: str) -> str:
    """The planning error's own text: a CREATE ... AS SELECT that planning refuses is answered with
    SchemaRegisterInjector's prefix before it (the raw unlogged details of its wrapper, which KsqlResource
    returns); no other statement has the prefix."""
    if message.startswith(PLANNED):
        assert re.search(r"\bAS\s+SELECT\b", sql, re.IGNORECASE | re.DOTALL), message
        return message[len(PLANNED) :]
    return message


def _error(h: Docs, sql: str, variables: dict[str, str] | None = None, props: dict[str, str] | None = None) -> str:
    with pytest.raises(KsqlError) as info:
        h.engine.execute(sql, props, variables)
    return _planning_cause(info.value.message, sql)


def _sink(h: Docs, name: str) -> tuple[list[tuple[str, str]], list[list[Any]]]:
    """The sink's columns and its rows, read back by `SELECT * FROM <name> AS final_output` as the page does."""
    h.drain()
    columns = [(c.name, str(c.type)) for c in h.source(name).schema.columns]
    return columns, h.push(f"SELECT * FROM {name} AS final_output EMIT CHANGES;")


# ---- use-lambda-functions.md ------------------------------------------------------------------------------


def test_transform_a_map(docs: Any) -> None:
    """"Apply a lambda invocation function": keys upper-cased, values plus 5 (the page shows one row per id
    from further inserts; its one insert gives one row holding both entries, in the HashMap order of
    Transform's Collectors.toMap)."""
    h = docs()
    h.sql("CREATE STREAM stream1 (\n  id INT,\n  lambda_map MAP<STRING, INTEGER>\n) WITH (\n  kafka_topic = 'stream1',"
          "\n  partitions = 1,\n  value_format = 'avro'\n);")  # fmt: skip
    h.sql("CREATE STREAM output AS\n  SELECT id, \n  TRANSFORM(lambda_map, (k, v) => UCASE(k), (k, v) => v + 5) \n"
          "  FROM stream1\n  EMIT CHANGES;")  # fmt: skip
    h.sql("INSERT INTO stream1 (\n  id, lambda_map\n) VALUES (\n  3, MAP('hello':= 15, 'goodbye':= -5)\n);")
    assert _sink(h, "OUTPUT") == (
        [("ID", "INTEGER"), ("KSQL_COL_0", "MAP<STRING, INTEGER>")], [[3, {"GOODBYE": 0, "HELLO": 20}]]
    )


def test_reduce_an_array(docs: Any) -> None:
    """"Use a reduce lambda invocation function": REDUCE([2, 3, 4, 5], 2, (s, x) => ceil(x/s)). The page
    shows 3; with INTEGER division and CEIL of an INTEGER (the source wins) the state runs 2, 1, 3, 1, 5."""
    h = docs()
    h.sql("CREATE STREAM stream2 (\n  id INT,\n  lambda_arr ARRAY<INTEGER>\n) WITH (\n  kafka_topic = 'stream2',\n"
          "  partitions = 1,\n  value_format = 'avro'\n);")  # fmt: skip
    h.sql("CREATE STREAM output2 AS\n  SELECT id, \n  REDUCE(lambda_arr, 2, (s, x) => ceil(x/s)) \n  FROM stream2\n"
          "  EMIT CHANGES;")  # fmt: skip
    h.sql("INSERT INTO stream2 (\n  id, lambda_arr\n) VALUES (\n  1, ARRAY[2, 3, 4, 5]\n);")
    assert _sink(h, "OUTPUT2") == ([("ID", "INTEGER"), ("KSQL_COL_0", "INTEGER")], [[1, 5]])


def test_filter_a_map(docs: Any) -> None:
    """"Use a filter lambda invocation function": the entries whose key contains 'name' and whose value is
    not 0."""
    h = docs()
    h.sql("CREATE STREAM stream3 (\n  id INT,\n  lambda_map MAP<STRING, INTEGER>\n) WITH (\n  kafka_topic = 'stream3',"
          "\n  partitions = 1,\n  value_format = 'avro'\n);")  # fmt: skip
    h.sql("CREATE STREAM output3 AS\n  SELECT id, \n  FILTER(lambda_map, (k, v) => instr(k, 'name') > 0 AND v != 0) \n"
          "  FROM stream3\n  EMIT CHANGES;")  # fmt: skip
    h.sql("INSERT INTO stream3 (\n  id, lambda_map\n) VALUES (\n  1, MAP('first name':= 15, 'middle':= 25, "
          "'last name':= 0, 'alt name':= 33)\n);")  # fmt: skip
    assert _sink(h, "OUTPUT3") == (
        [("ID", "INTEGER"), ("KSQL_COL_0", "MAP<STRING, INTEGER>")], [[1, {"first name": 15, "alt name": 33}]]
    )


def test_nested_transform(docs: Any) -> None:
    """"Advanced lambda use cases" as written fails three times: DECIMAL(2,3) has a scale above its
    precision, the two lambdas lack a comma, and the insert has a stray `}`. Corrected (DECIMAL(3,2)),
    ROUND of DECIMAL(3, 2) is DECIMAL(1, 0) (Round.provideDecimalSchema) and gives the page's rows."""
    h = docs()
    create = ("CREATE STREAM stream4 (\n  id INT,\n  lambda_map MAP<STRING, ARRAY<DECIMAL({})>>\n) WITH (\n"
              "  kafka_topic = 'stream4',\n  partitions = 1,\n  value_format = 'avro'\n);")  # fmt: skip
    assert _error(h, create.format("2,3")) == "Failed to prepare statement: DECIMAL precision must be >= scale: DECIMAL(2,3)"
    h.sql(create.format("3,2"))
    query = ("CREATE STREAM output4 AS\n  SELECT id, \n  TRANSFORM(lambda_map, (k, v) => concat(k, '_new'){}  (k, v) => "
             "transform(v, x => round(x))) \n  FROM stream4\n  EMIT CHANGES;")  # fmt: skip
    assert _error(h, query.format("")) == "line 3:54: Syntax Error\nSyntax error at or near '(' at line 3:54"
    h.sql(query.format(","))
    insert = ("INSERT INTO stream4 (\n  id, lambda_map\n) VALUES (\n  1, MAP('Mary':= ARRAY[1.23, 3.65, 8.45], "
              "'Jose':= ARRAY[5.23, 1.65]{})\n);")  # fmt: skip
    assert _error(h, insert.format("}")) == "line 4:70: Syntax Error\nExpecting {',', ')'}"
    h.sql(insert.format(""))
    columns, rows = _sink(h, "OUTPUT4")
    assert columns == [("ID", "INTEGER"), ("KSQL_COL_0", "MAP<STRING, ARRAY<DECIMAL(1, 0)>>")]
    assert [[i, {k: [int(x) for x in v] for k, v in m.items()}] for i, m in rows] == [
        [1, {"Mary_new": [1, 4, 8], "Jose_new": [5, 2]}]
    ]


def test_lambda_syntax(docs: Any) -> None:
    """"Syntax": one argument needs no parentheses, up to three arguments (REDUCE over a map takes
    (s, k, v)); a lambda outside an invocation function, an argument count no signature takes and a wrong
    body type fail (UdfIndex's "does not accept parameters", the parser, the type checker)."""
    h = docs()
    h.sql("CREATE STREAM s (id INT, m MAP<STRING, INTEGER>) WITH (kafka_topic='s', partitions=1, value_format='json');")
    h.sql("CREATE STREAM o AS SELECT id, TRANSFORM(ARRAY[1, 2], x => x + 5) AS T, FILTER(ARRAY[1, 2, 3], (x) => x > 1) "
          "AS F, REDUCE(m, false, (x, y, z) => x OR z > 10 AND y = 'a') AS R FROM s;")  # fmt: skip
    h.sql("INSERT INTO s (id, m) VALUES (1, MAP('a' := 11, 'b' := 1));")
    assert _sink(h, "O")[1] == [[1, [6, 7], [2, 3], True]]
    assert _error(h, "CREATE STREAM b1 AS SELECT id, REDUCE(ARRAY[1], 0, (a, b, c, d) => a) FROM s;") == (
        "Function 'reduce' does not accept parameters (ARRAY<INTEGER>, INTEGER, LAMBDA).\nValid alternatives are:\n"
        "REDUCE(ARRAY<T> list, S initialState, LAMBDA (S, T) => S biFunction)\n"
        "REDUCE(MAP<K, V> map, S initialState, LAMBDA (S, K, V) => S triFunction)\n"
        "For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;"
    )
    assert _error(h, "CREATE STREAM b2 AS SELECT id, TRANSFORM(m, (k, v) => UCASE(k)) FROM s;").startswith(
        "Function 'transform' does not accept parameters (MAP<STRING, INTEGER>, LAMBDA).\n"
    )
    assert _error(h, "CREATE STREAM b3 AS SELECT id, UCASE(x => x) FROM s;") == (
        "line 1:40: Syntax Error\nSyntax error at or near '=>' at line 1:40"
    )
    assert _error(h, "CREATE STREAM b4 AS SELECT id, TRANSFORM(ARRAY[1], x => x AND true) FROM s;") == (
        "Type error in SELECT expression: Should evaluate to boolean but is X (INTEGER) instead."
    )


# ---- substitute-variables.md ------------------------------------------------------------------------------


def test_define_and_substitute(docs: Any) -> None:
    """"In action": value_format = '${format}' and replicas = ${REPLICAS} (names are case-insensitive);
    SHOW VARIABLES lists them sorted (SessionProperties keeps a case-insensitive TreeMap, so the page's
    order is not the source's) as the CLI's table; UNDEFINE removes one."""
    h = docs()
    variables: dict[str, str] = {}
    run = lambda sql: h.engine.execute(sql, None, variables)
    run("DEFINE format = 'AVRO';")
    run("DEFINE replicas = '1';")
    run("CREATE STREAM stream1 (\n  id INT\n) WITH (\n  kafka_topic = 'stream1',\n  value_format = '${format}',\n"
        "  replicas = ${REPLICAS},\n  partitions = 1\n);")  # fmt: skip
    assert h.source("STREAM1").value_format == "AVRO"
    (listing,) = run("SHOW VARIABLES;")
    assert listing["variables"] == [{"name": "format", "value": "AVRO"}, {"name": "replicas", "value": "1"}]
    assert [line.rstrip() for line in entity_lines(listing, 80)] == [
        " Variable Name | Value", "-----------------------", " format        | AVRO", " replicas      | 1",
        "-----------------------",
    ]  # fmt: skip
    run("UNDEFINE replicas;")
    run("DEFINE FORMAT = 'JSON';")
    assert run("SHOW VARIABLES;")[0]["variables"] == [{"name": "format", "value": "JSON"}]


def test_escape_and_quotes(docs: Any) -> None:
    """"Escape substitution variables": '$${format}' is the text ${format}; a value in triple quotes keeps
    its single quotes, so it substitutes as a string literal; a plain value loses them."""
    h = docs()
    variables = {"format": "AVRO", "q": "'quoted'"}
    # the page selects FROM stream, a reserved word (SqlBase.g4): the source wins, the stream is s here. The
    # request is parsed as written before substitution (KsqlEngine.parse), so the error is at the raw text's
    # column 26 (before, the engine substituted first and reported column 25)
    with pytest.raises(KsqlError) as info:
        h.engine.start_query("SELECT '$${format}' FROM stream;", None, variables)
    assert info.value.message == "line 1:26: Syntax Error\n"
    h.sql("CREATE STREAM s (v INT) WITH (kafka_topic='s', partitions=1, value_format='json');")
    h.sql("INSERT INTO s (v) VALUES (1);")
    h.engine.execute("DEFINE t = '''x''';", None, variables)
    assert variables["t"] == "'x'"
    q = h.engine.start_query("SELECT '$${format}', '${format}', ${q}, ${t} FROM s EMIT CHANGES;", None, variables)
    try:
        h.drain()
        assert q.poll(0.1) == [["${format}", "AVRO", "quoted", "x"]]
    finally:
        q.close()


def test_substitution_contexts(docs: Any) -> None:
    """"Context for substitution variables": a stream name, column names, a topic, a format and the
    inserted values; a value that is no identifier where one stands is VariableSubstitutor's error."""
    h = docs()
    variables = {"streamName": "s9", "colName1": "c1", "colName2": "c2", "topicName": "t9", "format": "JSON",
                 "replicas": "1", "val1": "5", "val2": "x"}  # fmt: skip
    h.engine.execute("CREATE STREAM ${streamName} (\n  ${colName1} INT,\n  ${colName2} STRING\n) WITH (\n"
                     "  kafka_topic = '${topicName}',\n  format = '${format}',\n  replicas = ${replicas},\n"
                     "  partitions = 1\n);", None, variables)  # fmt: skip
    h.engine.execute("INSERT INTO ${streamName} (\n  ${colName1},\n  ${colName2}\n) VALUES (\n  ${val1},\n"
                     "  '${val2}'\n);", None, variables)  # fmt: skip
    assert [r.value for r in h.records("t9")] == [b'{"C1":5,"C2":"x"}']
    q = h.engine.start_query("SELECT * FROM ${streamName} EMIT CHANGES;", None, variables)
    try:
        h.drain()
        assert q.poll(0.1) == [[5, "x"]]
    finally:
        q.close()
    assert _error(h, "CREATE STREAM ${q} (v INT) WITH (kafka_topic='t9', format='json');", {"q": "'quoted'"}) == (
        "Illegal argument at Line: 1, Col: 15. Identifier names cannot start with '@' and may only contain "
        "alphanumeric values and '_'. Got: ''quoted''"
    )


def test_variables_cannot_be_keywords(docs: Any) -> None:
    """"You can't use variables as reserved keywords" / "Using a variable in a statement that doesn't support
    variables causes a SQL parsing error": the request is parsed before substitution (KsqlResource's
    KsqlEngine.parse), so `${kw}` in a keyword's place is a syntax error even when kw is SELECT, and no
    statement of the request runs (before, the engine substituted first and ran the query)."""
    h = docs()
    h.sql("CREATE STREAM s9 (v INT) WITH (kafka_topic='s9', partitions=1, format='json');")
    message = "line 1:17: Syntax Error\nUnknown statement '${kw}'\nDid you mean 'SHOW'?"
    assert _error(h, "DEFINE x = 'y'; ${kw} * FROM s9 EMIT CHANGES;", {"kw": "SELECT"}) == message
    with pytest.raises(KsqlError) as info:
        h.engine.start_query("${kw} * FROM s9 EMIT CHANGES;", None, {"kw": "SELECT"})
    assert info.value.message == "line 1:1: Syntax Error\nUnknown statement '${kw}'\nDid you mean 'SHOW'?"
    variables = {"kw": "SELECT"}
    _error(h, "DEFINE x = 'y'; ${kw} * FROM s9 EMIT CHANGES;", variables)
    assert "x" not in variables  # the DEFINE before it did not run


def test_disabled_substitution(docs: Any) -> None:
    """"Disable substitution variables": with ksql.variable.substitution.enable false the reference stays
    text; the page's "topic name is invalid" is, in 0.29, TopicCreateInjector's missing-topic error."""
    h = docs()
    message = _error(h, "CREATE STREAM x (v INT) WITH (kafka_topic='${topic_${env}}', format='json');", {"env": "qa"},
                     {"ksql.variable.substitution.enable": "false"})  # fmt: skip
    assert message.startswith("Topic '${topic_${env}}' does not exist. If you want to create a new topic for the "
                              "stream/table please re-run the statement")  # fmt: skip
