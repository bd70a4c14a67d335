"""ksqlDB 0.29's SqlFormatterTest (ksqldb-parser, io.confluent.ksql.parser), ported for the statements whose
text ksqlDB re-formats (CREATE STREAM/TABLE and CREATE ... AS SELECT: SourcePropertyInjector and
TopicCreateInjector answer with SqlFormatter.formatSql of them) and for the joins, windows and select items a
formatted query prints.

The Java tests format the AST KsqlParserTestUtil.buildSingleAst returns (AstBuilder's, not yet sanitised),
so the parsed statements here are formatted as parsed. DROP is formatted too: TopicDeleteInjector answers
a DROP ... DELETE TOPIC with its re-formatted text. The tests of SHOW, DESCRIBE, EXPLAIN, PAUSE, RESUME,
TERMINATE, DEFINE, INSERT and ALTER formatting are not ported: ksqlDB never re-formats those statements'
text, so nothing a client sees depends on them (ours keep the text as written)."""

from __future__ import annotations

import pytest

from ksqlserver.engine import Engine
from ksqlserver.sql import ast, formatter
from ksqlserver.sql.parser import parse

WITH_PROPS: dict[str, ast.PropertyValue] = {"VALUE_FORMAT": "JSON", "KAFKA_TOPIC": "topic_test"}
STRING = ast.PrimitiveType("STRING")


def _col(name: str, constraint: str | None = None, header_key: str | None = None) -> ast.ColumnDef:
    return ast.ColumnDef(name, STRING, constraint, header_key)  # type: ignore[arg-type]


ELEMENTS_WITH_SINGLE_HEADERS = (_col("h1", "HEADER", "k1"), _col("h2", "HEADER", "k2"), _col("Foo"))
ELEMENTS_WITH_HEADER = (_col("k3", "HEADERS"), _col("Foo"))
ELEMENTS_WITH_KEY = (_col("k3", "KEY"), _col("Foo"))
ELEMENTS_WITH_PRIMARY_KEY = (_col("k3", "PRIMARY KEY"), _col("Foo"))
ELEMENTS_WITHOUT_KEY = (_col("Foo"), _col("Bar"))


def fmt(text: str) -> str:
    [st] = parse(text)
    return formatter.statement(st)


def _create(kind: str, columns: tuple[ast.ColumnDef, ...], **kw: object) -> str:
    props = kw.pop("props", WITH_PROPS)
    st = ast.CreateSource(kind, "TEST", columns, props, **kw)  # type: ignore[arg-type]
    return formatter.statement(st)


@pytest.mark.parametrize(
    ("kind", "columns", "kw", "want"),
    [
        # shouldFormatCreateStreamStatementWithHeader
        ("STREAM", ELEMENTS_WITH_HEADER, {}, "CREATE STREAM TEST (`k3` STRING HEADERS, `Foo` STRING)"),
        # shouldFormatCreateStreamStatementWithSingleHeaderKeys
        (
            "STREAM",
            ELEMENTS_WITH_SINGLE_HEADERS,
            {},
            "CREATE STREAM TEST (`h1` STRING HEADER('k1'), `h2` STRING HEADER('k2'), `Foo` STRING)",
        ),
        # shouldFormatCreateStreamStatementWithExplicitKey
        ("STREAM", ELEMENTS_WITH_KEY, {}, "CREATE STREAM TEST (`k3` STRING KEY, `Foo` STRING)"),
        # shouldFormatCreateStreamStatementWithImplicitKey
        ("STREAM", ELEMENTS_WITHOUT_KEY, {}, "CREATE STREAM TEST (`Foo` STRING, `Bar` STRING)"),
        # shouldFormatCreateOrReplaceStreamStatement
        ("STREAM", ELEMENTS_WITHOUT_KEY, {"or_replace": True}, "CREATE OR REPLACE STREAM TEST (`Foo` STRING, `Bar` STRING)"),
        # shouldFormatCreateSourceTableStatement
        ("TABLE", ELEMENTS_WITH_PRIMARY_KEY, {"is_source": True}, "CREATE SOURCE TABLE TEST (`k3` STRING PRIMARY KEY, `Foo` STRING)"),
        # shouldFormatCreateSourceStreamStatement
        ("STREAM", ELEMENTS_WITH_KEY, {"is_source": True}, "CREATE SOURCE STREAM TEST (`k3` STRING KEY, `Foo` STRING)"),
        # shouldFormatCreateOrReplaceTableStatement
        ("TABLE", ELEMENTS_WITH_PRIMARY_KEY, {"or_replace": True}, "CREATE OR REPLACE TABLE TEST (`k3` STRING PRIMARY KEY, `Foo` STRING)"),
        # shouldFormatCreateTableStatementWithExplicitKey
        ("TABLE", ELEMENTS_WITH_PRIMARY_KEY, {}, "CREATE TABLE TEST (`k3` STRING PRIMARY KEY, `Foo` STRING)"),
        # shouldFormatCreateTableStatementWithImplicitKey
        ("TABLE", ELEMENTS_WITHOUT_KEY, {}, "CREATE TABLE TEST (`Foo` STRING, `Bar` STRING)"),
    ],
)
def test_format_create_source(kind: str, columns: tuple[ast.ColumnDef, ...], kw: dict[str, object], want: str) -> None:
    """SqlFormatterTest.shouldFormatCreate*Statement*: the table elements, then the WITH clause in name order."""
    assert _create(kind, columns, **kw) == want + " WITH (KAFKA_TOPIC='topic_test', VALUE_FORMAT='JSON');"


def test_format_create_table_statement_with_explicit_timestamp() -> None:
    """SqlFormatterTest.shouldFormatCreateTableStatementWithExplicitTimestamp."""
    props = {**WITH_PROPS, "TIMESTAMP": "Foo", "TIMESTAMP_FORMAT": "%s"}
    assert _create("TABLE", ELEMENTS_WITH_PRIMARY_KEY, props=props) == (
        "CREATE TABLE TEST (`k3` STRING PRIMARY KEY, `Foo` STRING) "
        "WITH (KAFKA_TOPIC='topic_test', TIMESTAMP='Foo', TIMESTAMP_FORMAT='%s', VALUE_FORMAT='JSON');"
    )


def test_format_table_elements_named_after_reserved_words() -> None:
    """SqlFormatterTest.shouldFormatTableElementsNamedAfterReservedWords: quoted, and the text parses back."""
    sql = _create("STREAM", (_col("GROUP"), _col("Having")))
    assert "`GROUP` STRING" in sql
    assert "`Having` STRING" in sql
    parse(sql)


_CRITERIA = ast.Comparison("=", ast.StringLiteral("left.col0"), ast.StringLiteral("right.col0"))  # type: ignore[arg-type]
_CRITERIA2 = ast.Comparison("=", ast.StringLiteral("left.col0"), ast.StringLiteral("right2.col0"))  # type: ignore[arg-type]
_WITHIN = ast.WithinClause(ast.Duration(10, "SECOND"), ast.Duration(10, "SECOND"))  # type: ignore[arg-type]
_R = ast.AliasedSource("right", "R")
_R2 = ast.AliasedSource("right2", "R2")


def _join(*joins: ast.Join) -> str:
    q = ast.Query((ast.AllColumns(),), ast.AliasedSource("left", "L"), joins)
    text = formatter.query(q)
    assert text.startswith("SELECT *\nFROM ")
    return text.removeprefix("SELECT *\nFROM ")


_ON = " ON (('left.col0' = 'right.col0'))"


@pytest.mark.parametrize(
    ("kind", "within", "want"),
    [
        ("LEFT", _WITHIN, "LEFT OUTER JOIN `right` R WITHIN 10 SECONDS" + _ON),  # shouldFormatLeftJoinWithWithin
        ("RIGHT", None, "RIGHT OUTER JOIN `right` R" + _ON),  # shouldFormatRightJoinWithoutJoinWindow
        ("RIGHT", _WITHIN, "RIGHT OUTER JOIN `right` R WITHIN 10 SECONDS" + _ON),  # shouldFormatRightJoinWithWithin
        ("LEFT", None, "LEFT OUTER JOIN `right` R" + _ON),  # shouldFormatLeftJoinWithoutJoinWindow
        ("INNER", _WITHIN, "INNER JOIN `right` R WITHIN 10 SECONDS" + _ON),  # shouldFormatInnerJoin
        ("INNER", None, "INNER JOIN `right` R" + _ON),  # shouldFormatInnerJoinWithoutJoinWindow
        ("FULL", _WITHIN, "FULL OUTER JOIN `right` R WITHIN 10 SECONDS" + _ON),  # shouldFormatOuterJoin
        ("FULL", None, "FULL OUTER JOIN `right` R" + _ON),  # shouldFormatOuterJoinWithoutJoinWindow
    ],
)
def test_format_join(kind: str, within: ast.WithinClause | None, want: str) -> None:
    """SqlFormatterTest's single-join tests (the formatted Join relation)."""
    assert _join(ast.Join(kind, _R, _CRITERIA, within)) == "`left` L\n" + want  # type: ignore[arg-type]


def test_format_multiple_left_join_without_window() -> None:
    """SqlFormatterTest.shouldFormatMultipleLeftJoinWithoutWindow."""
    assert _join(ast.Join("LEFT", _R, _CRITERIA), ast.Join("LEFT", _R2, _CRITERIA2)) == (
        "`left` L"
        "\nLEFT OUTER JOIN `right` R ON (('left.col0' = 'right.col0'))"
        "\nLEFT OUTER JOIN `right2` R2 ON (('left.col0' = 'right2.col0'))"
    )


def test_format_multiple_left_join_with_within() -> None:
    """SqlFormatterTest.shouldFormatMultipleLeftJoinWithWithin."""
    assert _join(ast.Join("LEFT", _R, _CRITERIA, _WITHIN), ast.Join("LEFT", _R2, _CRITERIA2, _WITHIN)) == (
        "`left` L"
        "\nLEFT OUTER JOIN `right` R WITHIN 10 SECONDS ON (('left.col0' = 'right.col0'))"
        "\nLEFT OUTER JOIN `right2` R2 WITHIN 10 SECONDS ON (('left.col0' = 'right2.col0'))"
    )


def test_format_multiple_joins_with_different_types() -> None:
    """SqlFormatterTest.shouldFormatMultipleJoinsWithDifferentTypes."""
    assert _join(ast.Join("LEFT", _R, _CRITERIA, _WITHIN), ast.Join("INNER", _R2, _CRITERIA2, _WITHIN)) == (
        "`left` L"
        "\nLEFT OUTER JOIN `right` R WITHIN 10 SECONDS ON (('left.col0' = 'right.col0'))"
        "\nINNER JOIN `right2` R2 WITHIN 10 SECONDS ON (('left.col0' = 'right2.col0'))"
    )


_GROUPED = "CREATE STREAM S AS SELECT\n  ITEMID,\n  COUNT(*)\nFROM ORDERS ORDERS\nWINDOW {} \nGROUP BY ITEMID\nEMIT {}"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (  # shouldFormatSelectStructAllCorrectly
            "CREATE STREAM S AS SELECT a.address->* FROM address a;",
            "CREATE STREAM S AS SELECT A.ADDRESS->*\nFROM ADDRESS A\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectQueryCorrectly
            "CREATE STREAM S AS SELECT a.address->city FROM address a;",
            "CREATE STREAM S AS SELECT A.ADDRESS->CITY\nFROM ADDRESS A\nEMIT CHANGES",
        ),
        (  # shouldFormatReplaceSelectQueryCorrectly
            "CREATE OR REPLACE STREAM S AS SELECT a.address->city FROM address a;",
            "CREATE OR REPLACE STREAM S AS SELECT A.ADDRESS->CITY\nFROM ADDRESS A\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectStarCorrectly
            "CREATE STREAM S AS SELECT * FROM address;",
            "CREATE STREAM S AS SELECT *\nFROM ADDRESS ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatCSASWithReservedWords
            'CREATE STREAM S AS SELECT ITEMID, "SIZE" FROM address;',
            "CREATE STREAM S AS SELECT\n  ITEMID,\n  `SIZE`\nFROM ADDRESS ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectWithReservedWordAlias
            "CREATE STREAM S AS SELECT address AS `STREAM` FROM address;",
            "CREATE STREAM S AS SELECT ADDRESS `STREAM`\nFROM ADDRESS ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectWithLowerCaseAlias
            "CREATE STREAM S AS SELECT address AS `foO` FROM address;",
            "CREATE STREAM S AS SELECT ADDRESS `foO`\nFROM ADDRESS ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectStarCorrectlyWithOtherFields
            "CREATE STREAM S AS SELECT *, address AS city FROM address;",
            "CREATE STREAM S AS SELECT\n  *,\n  ADDRESS CITY\nFROM ADDRESS ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectStarCorrectlyWithJoin
            "CREATE STREAM S AS SELECT address.*, itemid.* "
            "FROM address INNER JOIN itemid ON address.address = itemid.address->address;",
            "CREATE STREAM S AS SELECT\n  ADDRESS.*,\n  ITEMID.*\nFROM ADDRESS ADDRESS\n"
            "INNER JOIN ITEMID ITEMID ON ((ADDRESS.ADDRESS = ITEMID.ADDRESS->ADDRESS))\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectStarCorrectlyWithJoinOneSidedStar
            "CREATE STREAM S AS SELECT address.*, itemid.ordertime "
            "FROM address INNER JOIN itemid ON address.address = itemid.address->address;",
            "CREATE STREAM S AS SELECT\n  ADDRESS.*,\n  ITEMID.ORDERTIME\nFROM ADDRESS ADDRESS\n"
            "INNER JOIN ITEMID ITEMID ON ((ADDRESS.ADDRESS = ITEMID.ADDRESS->ADDRESS))\nEMIT CHANGES",
        ),
        (  # shouldFormatSelectCorrectlyWithDuplicateFields
            "CREATE STREAM S AS SELECT address AS one, address AS two FROM address;",
            "CREATE STREAM S AS SELECT\n  ADDRESS ONE,\n  ADDRESS TWO\nFROM ADDRESS ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatCsasPartitionBy
            "CREATE STREAM S AS SELECT * FROM ADDRESS PARTITION BY ADDRESS;",
            "CREATE STREAM S AS SELECT *\nFROM ADDRESS ADDRESS\nPARTITION BY ADDRESS\nEMIT CHANGES",
        ),
        (  # shouldFormatTumblingWindow
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW TUMBLING (SIZE 7 DAYS) GROUP BY ITEMID;",
            _GROUPED.format("TUMBLING ( SIZE 7 DAYS )", "CHANGES"),
        ),
        (  # shouldFormatTumblingWindowWithRetention
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW TUMBLING (SIZE 7 DAYS, RETENTION 14 DAYS) "
            "GROUP BY ITEMID;",
            _GROUPED.format("TUMBLING ( SIZE 7 DAYS , RETENTION 14 DAYS )", "CHANGES"),
        ),
        (  # shouldFormatHoppingWindow
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS) "
            "GROUP BY ITEMID;",
            _GROUPED.format("HOPPING ( SIZE 20 SECONDS , ADVANCE BY 5 SECONDS )", "CHANGES"),
        ),
        (  # shouldFormatHoppingWindowWithGracePeriod
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS, "
            "GRACE PERIOD 2 HOURS) GROUP BY ITEMID;",
            _GROUPED.format("HOPPING ( SIZE 20 SECONDS , ADVANCE BY 5 SECONDS , GRACE PERIOD 2 HOURS )", "CHANGES"),
        ),
        (  # shouldFormatSessionWindow
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW SESSION (15 MINUTES) GROUP BY ITEMID;",
            _GROUPED.format("SESSION ( 15 MINUTES )", "CHANGES"),
        ),
        (  # shouldFormatSessionWindowWithRetentionAndGracePeriod
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW SESSION (15 MINUTES, RETENTION 2 DAYS, "
            "GRACE PERIOD 1 HOUR) GROUP BY ITEMID;",
            _GROUPED.format("SESSION ( 15 MINUTES , RETENTION 2 DAYS , GRACE PERIOD 1 HOURS )", "CHANGES"),
        ),
        (  # shouldFormatStructWithReservedWords
            "CREATE STREAM s (foo STRUCT<`END` VARCHAR>) WITH (kafka_topic='foo', value_format='JSON');",
            "CREATE STREAM S (FOO STRUCT<`END` STRING>) WITH (KAFKA_TOPIC='foo', VALUE_FORMAT='JSON');",
        ),
        (  # shouldEscapeReservedSourceNames
            "CREATE STREAM `SELECT` (foo VARCHAR) WITH (kafka_topic='foo', value_format='JSON');",
            "CREATE STREAM `SELECT` (FOO STRING) WITH (KAFKA_TOPIC='foo', VALUE_FORMAT='JSON');",
        ),
        (  # shouldEscapeReservedNameAndAlias
            "CREATE STREAM a AS SELECT `SELECT` FROM `TABLE`;",
            "CREATE STREAM A AS SELECT `SELECT`\nFROM `TABLE` `TABLE`\nEMIT CHANGES",
        ),
        (  # shouldSupportExplicitEmitChangesOnPersistentQuery
            "CREATE STREAM X AS SELECT ITEMID FROM ORDERS EMIT CHANGES;",
            "CREATE STREAM X AS SELECT ITEMID\nFROM ORDERS ORDERS\nEMIT CHANGES",
        ),
        (  # shouldSupportImplicitEmitChangesOnPersistentQuery
            "CREATE STREAM X AS SELECT ITEMID FROM ORDERS;",
            "CREATE STREAM X AS SELECT ITEMID\nFROM ORDERS ORDERS\nEMIT CHANGES",
        ),
        (  # shouldFormatSuppression
            "CREATE STREAM S AS SELECT ITEMID, COUNT(*) FROM ORDERS WINDOW TUMBLING (SIZE 7 DAYS, GRACE PERIOD 1 DAY) "
            "GROUP BY ITEMID EMIT FINAL;",
            _GROUPED.format("TUMBLING ( SIZE 7 DAYS , GRACE PERIOD 1 DAYS )", "FINAL"),
        ),
    ],
)
def test_format_parsed_statement(text: str, want: str) -> None:
    """SqlFormatterTest's parseSingle tests of CREATE and CREATE ... AS SELECT."""
    assert fmt(text) == want


@pytest.mark.parametrize(("kind", "text"), [("STREAM", "CREATE STREAM S WITH(partitions=4) AS SELECT * FROM address;"),
                                            ("TABLE", "CREATE TABLE S WITH(partitions=4) AS SELECT * FROM address;")])
def test_format_create_as_with_clause(kind: str, text: str) -> None:
    """SqlFormatterTest.shouldFormatCsasWithClause, shouldFormatCtasWithClause."""
    assert fmt(text).startswith(f"CREATE {kind} S WITH (PARTITIONS=4) AS SELECT")


def test_support_explicit_emit_changes_on_bare_query() -> None:
    """SqlFormatterTest.shouldSupportExplicitEmitChangesOnBareQuery (SqlFormatter.visitQuery)."""
    [q] = parse("SELECT ITEMID FROM ORDERS EMIT CHANGES;")
    assert isinstance(q, ast.Query)
    assert formatter.query(q) == "SELECT ITEMID\nFROM ORDERS ORDERS\nEMIT CHANGES"


@pytest.mark.parametrize(
    ("kind", "if_exists", "delete_topic", "want"),
    [
        ("STREAM", True, True, "DROP STREAM IF EXISTS SOMETHING DELETE TOPIC"),  # ...IfExistsDeleteTopic
        ("STREAM", True, False, "DROP STREAM IF EXISTS SOMETHING"),  # shouldFormatDropStreamStatementIfExists
        ("STREAM", False, False, "DROP STREAM SOMETHING"),  # shouldFormatDropStreamStatement
        ("TABLE", False, False, "DROP TABLE SOMETHING"),  # shouldFormatDropTableStatement
    ],
)
def test_format_drop(kind: str, if_exists: bool, delete_topic: bool, want: str) -> None:
    """SqlFormatterTest.shouldFormatDrop*: visible as the statement text TopicDeleteInjector leaves a
    DROP ... DELETE TOPIC with (SqlFormatter.formatSql(withoutDeleteClause) + ";")."""
    st = ast.DropSource(kind, "SOMETHING", if_exists, delete_topic)  # type: ignore[arg-type]
    assert formatter.drop_source(st) == want


def test_drop_delete_topic_statement_text(engine: Engine) -> None:
    """TopicDeleteInjector.inject: the DROP goes on, and is answered, without its DELETE TOPIC, re-formatted."""
    engine.execute("CREATE STREAM S2 AS SELECT * FROM ORDERS;")
    [entity] = engine.execute("drop stream if exists s2 delete topic;")
    assert entity["statementText"] == "DROP STREAM IF EXISTS S2;"
