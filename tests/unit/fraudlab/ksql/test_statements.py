"""Statement text without a server: splitting `.sql` files, `${name}` substitution, quoting, CREATE targets."""

from __future__ import annotations

import pytest

from fraudlab.ksql import StatementError, created_source, render, split_statements, sql_string


def test_split_drops_comments_and_keeps_semicolons_inside_quotes() -> None:
    text = """-- a comment; with a semicolon
CREATE STREAM A (X STRING) WITH (KAFKA_TOPIC='a;b', VALUE_FORMAT='JSON'); -- trailing
SELECT `we;ird`, "q;uoted" FROM A
  EMIT CHANGES;

INSERT INTO A (X) VALUES ('it''s; fine')"""
    assert split_statements(text) == [
        "CREATE STREAM A (X STRING) WITH (KAFKA_TOPIC='a;b', VALUE_FORMAT='JSON');",
        'SELECT `we;ird`, "q;uoted" FROM A\n  EMIT CHANGES;',
        "INSERT INTO A (X) VALUES ('it''s; fine');",  # the last statement needs no ';'
    ]
    assert split_statements("-- only a comment\n\n;  ;") == []


def test_render_substitutes_and_names_a_missing_variable() -> None:
    assert render("CREATE STREAM ${s} WITH (KAFKA_TOPIC='${t}');", {"s": "S1", "t": 7}) == (
        "CREATE STREAM S1 WITH (KAFKA_TOPIC='7');"
    )
    with pytest.raises(StatementError, match=r"no value for the variable \$\{t\}") as info:
        render("SELECT * FROM ${t};", {})
    assert info.value.statement == "SELECT * FROM ${t};" and info.value.file is None


def test_sql_string_doubles_quotes_and_created_source_names_the_target() -> None:
    assert sql_string("/tmp/it's") == "/tmp/it''s"
    assert created_source("CREATE STREAM IF NOT EXISTS fl_x_features WITH (...) AS SELECT 1;") == (
        "STREAM", "FL_X_FEATURES")
    assert created_source("create or replace table `Mixed` AS SELECT 1;") == ("TABLE", "Mixed")
    assert created_source('CREATE SOURCE TABLE "q" (K STRING PRIMARY KEY) WITH (...);') == ("TABLE", "q")
    assert created_source("INSERT INTO A SELECT * FROM B;") is None
