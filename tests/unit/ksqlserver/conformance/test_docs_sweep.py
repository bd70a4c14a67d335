"""The docs sweep: extraction of KSQL from Markdown pages, classification, and a page run as a session.

The sample pages are written here (the ksqlDB docs live outside the repository)."""

from __future__ import annotations

import json
from pathlib import Path

from ksqlserver.conformance import docs, docs_pages

PAGE = """# A tutorial

Create a stream:

```sql
CREATE STREAM orders (id INT KEY, item VARCHAR, qty INT)
  WITH (kafka_topic='orders', value_format='json');
INSERT INTO orders (id, item, qty) VALUES (1, 'a;b', 2);
```

=== "CLI"

    ```sql
    CREATE TABLE totals AS SELECT id, SUM(qty) AS n FROM orders GROUP BY id EMIT CHANGES;
    ```

```
ksql> SELECT * FROM totals WHERE id = 1;
+----+----+
|ID  |N   |
+----+----+
|1   |2   |
```

The syntax is:

```sql
CREATE STREAM stream_name [WITH (property = value [, ...])];
```

```sql title="Since: 0.1.0"
ABS(col1)
```

In the MySQL shell:

```sql
CREATE TABLE calls (name TEXT, reason TEXT);
```

Back in the ksqlDB CLI:

```sql
CREATE SOURCE CONNECTOR c WITH ('connector.class' = 'x');
SELECT nope FROM orders EMIT CHANGES;
SELECT * FROM never_made EMIT CHANGES;
CREATE STREAM extra (id INT KEY, v VARCHAR) WITH (kafka_topic='extra', value_format='json');
CREATE STREAM extra (id INT KEY, other VARCHAR) WITH (kafka_topic='extra2', value_format='json');
CREATE STREAM orders (id INT KEY, note VARCHAR) WITH (kafka_topic='orders3', value_format='json');
-- this fails: the column does not exist
SELECT missing_col FROM orders EMIT CHANGES;
```

```bash
echo not sql
```
"""


def _statements() -> list[docs_pages.Statement]:
    return docs_pages.statements(PAGE, "tutorials/sample.md")


def test_extraction_takes_sql_blocks_indented_blocks_and_cli_prompts() -> None:
    texts = [s.text for s in _statements()]
    assert texts[0].startswith("CREATE STREAM orders")
    assert texts[1] == "INSERT INTO orders (id, item, qty) VALUES (1, 'a;b', 2);"  # ';' in a string
    assert texts[2].startswith("CREATE TABLE totals AS SELECT")
    assert texts[3] == "SELECT * FROM totals WHERE id = 1;"  # the prompt's statement, not its output
    assert not any("echo" in t for t in texts)
    assert texts[-1] == "SELECT missing_col FROM orders EMIT CHANGES;"  # the comment line dropped
    assert "this fails" in _statements()[-1].comments


def test_split_keeps_last_statement_without_semicolon_and_drops_comment_only_parts() -> None:
    parts = [t for _, t in docs_pages.split("SELECT 1 FROM s; -- a comment; and more\nSHOW STREAMS\n-- the end;")]
    assert len(parts) == 2
    assert parts[0] == "SELECT 1 FROM s;" and "SHOW STREAMS" in parts[1]


def test_classification_before_running() -> None:
    by_text = {s.text.split("\n")[0]: docs_pages.not_applicable(s) for s in _statements()}
    assert by_text["CREATE STREAM stream_name [WITH (property = value [, ...])];"] == "syntax template"
    assert by_text["ABS(col1)"] == "expression fragment"
    assert by_text["CREATE TABLE calls (name TEXT, reason TEXT);"] == "SQL for another system"
    assert by_text["CREATE SOURCE CONNECTOR c WITH ('connector.class' = 'x');"] == "needs Kafka Connect"
    assert by_text["SELECT * FROM totals WHERE id = 1;"] is None


def test_kind_of() -> None:
    assert docs_pages.kind_of("CREATE TABLE t AS SELECT * FROM s;") == "CTAS"
    assert docs_pages.kind_of("create stream s (a int) with (kafka_topic='s');") == "CREATE STREAM"
    assert docs_pages.kind_of("SELECT * FROM s EMIT CHANGES;") == "SELECT (push)"
    assert docs_pages.kind_of("SELECT * FROM t WHERE k = 1;") == "SELECT (pull)"
    assert docs_pages.kind_of("INSERT INTO s (a) VALUES (1);") == "INSERT VALUES"


def test_a_page_runs_as_one_session() -> None:
    outcomes = docs.run_page("tutorials/sample.md", "tutorials", _statements())
    status = {o.text.split("\n")[0]: (o.status, o.reason) for o in outcomes}
    # the topic of a CREATE without PARTITIONS is made up front; the INSERT feeds the CTAS; the pull query
    # reads the materialised table
    assert status["CREATE STREAM orders (id INT KEY, item VARCHAR, qty INT)"][0] == docs.OK
    assert status["INSERT INTO orders (id, item, qty) VALUES (1, 'a;b', 2);"][0] == docs.OK
    assert status["SELECT * FROM totals WHERE id = 1;"][0] == docs.OK
    # the engine's own message for a bad statement
    st, reason = status["SELECT nope FROM orders EMIT CHANGES;"]
    assert st == docs.ERROR and "NOPE" in reason
    # a source the page never creates is not held against the engine
    assert status["SELECT * FROM never_made EMIT CHANGES;"][0] == docs.NA
    # a second definition of a name: the old one is dropped, as a reader would, and the new one runs
    assert status["CREATE STREAM extra (id INT KEY, other VARCHAR) WITH (kafka_topic='extra2',"
                  " value_format='json');"][0] == docs.OK
    # a name a running query still reads: the page starts over on a fresh server
    assert status["CREATE STREAM orders (id INT KEY, note VARCHAR) WITH (kafka_topic='orders3',"
                  " value_format='json');"][0] == docs.OK
    # the block's comment says the statement fails: an error is what the docs show
    st, reason = status["SELECT missing_col FROM orders EMIT CHANGES;"]
    assert st == docs.NA and reason.startswith("documented as an error")


def test_a_failed_create_blocks_what_uses_it() -> None:
    stmts = docs_pages.statements(
        "```sql\nCREATE STREAM s (a BOGUS) WITH (kafka_topic='s', value_format='json');\n"
        "SELECT * FROM s EMIT CHANGES;\n```\n",
        "how-to-guides/x.md",
    )
    outcomes = docs.run_page("how-to-guides/x.md", "how-to-guides", stmts)
    assert [o.status for o in outcomes] == [docs.ERROR, docs.BLOCKED]


def test_function_signature_blocks_check_the_function_exists() -> None:
    page = "```sql\nABS(col1)\n```\n\n```sql\nNO_SUCH_FN(col1)\n```\n"
    stmts = docs_pages.statements(page, "developer-guide/ksqldb-reference/scalar-functions.md")
    outcomes = docs.run_page(stmts[0].page, "developer-guide/ksqldb-reference", stmts)
    assert [(o.kind, o.status) for o in outcomes] == [("FUNCTION", docs.OK), ("FUNCTION", docs.ERROR)]
    assert "NO_SUCH_FN" in outcomes[1].reason


def test_command_line_writes_counts_per_section(tmp_path: Path, capsys: object) -> None:
    (tmp_path / "tutorials").mkdir()
    (tmp_path / "tutorials" / "sample.md").write_text(PAGE)
    out = tmp_path / "out.json"
    assert docs.main([str(tmp_path), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["sections"]["tutorials"] == data["totals"]
    assert sum(data["totals"].values()) == len(_statements())
    assert data["totals"]["ok"] >= 4


def test_result_tables_printed_in_a_sql_block_are_not_statements() -> None:
    page = "```sql\nSELECT * FROM t;\n+----+\n|A   |\n+----+\n|1   |\n```\n"
    assert [s.text for s in docs_pages.statements(page, "p.md")] == ["SELECT * FROM t;"]


def test_function_examples_are_evaluated_and_compared_with_the_documented_result() -> None:
    page = (
        '```sql title="Example"\n'
        "ARRAY_DISTINCT(ARRAY[1, 1, 2]) => [1, 2]\n"
        "UCASE('a') => 'B'\n"
        'LCASE("AB") => "ab"\n'
        "ABS(col1) => some number\n"
        "```\n"
    )
    stmts = docs_pages.statements(page, "developer-guide/ksqldb-reference/scalar-functions.md")
    outcomes = docs.run_page(stmts[0].page, "developer-guide/ksqldb-reference", stmts)
    got = [(o.text.split(" =>")[0], o.status) for o in outcomes]
    assert got == [
        ("ARRAY_DISTINCT(ARRAY[1, 1, 2])", docs.OK),
        ("UCASE('a')", docs.ERROR),  # the engine says 'A': a wrong result is caught
        ('LCASE("AB")', docs.OK),  # the docs' double quotes read as a string literal
        ("ABS(col1)", docs.NA),  # prose, not a value
    ]
    assert "got 'A'" in outcomes[1].reason


def test_statements_ksqldb_rejects_must_be_rejected() -> None:
    page = "```sql\nALTER SYSTEM 'auto.offset.reset'='earliest';\n```\n"
    page_name = "developer-guide/ksqldb-reference/alter-system.md"
    [outcome] = docs.run_page(page_name, "x", docs_pages.statements(page, page_name))
    assert outcome.status == docs.NA and outcome.reason.startswith("ksqlDB rejects it too")
