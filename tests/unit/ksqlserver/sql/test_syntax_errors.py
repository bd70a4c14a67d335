"""Syntax errors worded as ksqlDB 0.29 words them.

Each expected text was produced by ANTLR 4.9.2 running the parser generated from ksqlDB 0.29's grammar
(SqlBase.g4, SLL mode as ksqlDB parses), with ksqlDB's rewording of ANTLR's messages
(SyntaxErrorValidator): short expected lists as "Expecting ...", long ones dropped, "no viable
alternative" as "Syntax error at or near ...", reserved keywords with the escaping hint.
"""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql.parser import parse

CASES = [
    ("SELECT id, name FRM orders;", "line 1:21: Syntax Error\nExpecting {',', 'FROM'}"),
    (
        "SELECT id, FROM orders;",
        "line 1:12: Syntax Error\n\"FROM\" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as 'FROM' ",
    ),
    ("SELECT id FROM orders WHERE amount > 10 AND;", "line 1:44: Syntax Error\n"),
    (
        "SELECT id, SUM(amount FROM orders GROUP BY id;",
        "line 1:23: Syntax Error\nSyntax error at or near 'FROM' at line 1:23",
    ),
    ("SELECT id FROM orders WHERE SUM(amount = 1;", "line 1:43: Syntax Error\nExpecting {',', ')'}"),
    (
        "SELECT ARRAY[1, 2 FROM orders;",
        "line 1:19: Syntax Error\nSyntax error at or near 'FROM' at line 1:19",
    ),
    ("SELECT id FROM orders WHERE tags[1 = 'a';", "line 1:36: Syntax Error\nmissing ']' at '='"),
    (
        "SELECT id FROM orders WHERE CASE WHEN amount > 1 THEN 1 = 2;",
        "line 1:60: Syntax Error\nExpecting {'WHEN', 'ELSE', 'END'}",
    ),
    (
        "CREATE STREAM orders (id INT KEY, amount DOUBLE WITH (kafka_topic='o', value_format='JSON');",
        "line 1:49: Syntax Error\n\"WITH\" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as 'WITH' ",
    ),
    (
        "CREATE STREAM orders (id INT KEY, amount DOUBLE) WITH (kafka_topic='o' value_format='JSON');",
        "line 1:72: Syntax Error\nExpecting {',', ')'}",
    ),
    (
        "CREATE STREAM orders (id INT KEY, amount DOUBLE) (kafka_topic='o', value_format='JSON');",
        "line 1:50: Syntax Error\nExpecting {';', 'WITH'}",
    ),
    (
        "CREATE STREAM orders id INT KEY, amount DOUBLE) WITH (kafka_topic='o', value_format='JSON');",
        "line 1:22: Syntax Error\nExpecting {';', '(', 'WITH'}",
    ),
    ("CREATE STREAM big_orders SELECT * FROM orders;", "line 1:26: Syntax Error\nmissing ';' at 'SELECT'"),
    (
        "CREATE STREAM big_orders AS AS SELECT * FROM orders;",
        "line 1:29: Syntax Error\n\"AS\" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as 'AS' ",
    ),
    (
        "CREATE orders STREAM (id INT KEY) WITH (kafka_topic='o', value_format='JSON');",
        "line 1:8: Syntax Error\nSyntax error at or near 'orders' at line 1:8",
    ),
    (
        "INSERT INTO orders orders SELECT * FROM other;",
        "line 1:20: Syntax Error\nSyntax error at or near 'orders' at line 1:20",
    ),
    ("INSERT INTO orders (id, amount) VALUES (1, 2.5;", "line 1:47: Syntax Error\nExpecting {',', ')'}"),
    (
        "SELECT * FROM orders o JOIN users u o.user_id = u.id;",
        "line 1:37: Syntax Error\nExpecting {'WITHIN', 'ON'}",
    ),
    (
        "SELECT * FROM orders o JOIN users u WITHIN 10 SECONDS;",
        "line 1:54: Syntax Error\nExpecting {'GRACE', 'ON'}",
    ),
    (
        "SELECT * FROM orders WINDOW TUMBLING (10 SECONDS) GROUP BY id;",
        "line 1:39: Syntax Error\nmissing 'SIZE' at '10'",
    ),
    ("SELECT * FROM orders EMIT CHANGE;", "line 1:27: Syntax Error\nExpecting ';'"),
    ("SELECT * FROM orders LIMIT 'ten';", "line 1:28: Syntax Error\n"),
    ("SHOW STREAMS SHOW TABLES;", "line 1:14: Syntax Error\nmissing ';' at 'SHOW'"),
    ("DESCRIBE;", "line 1:9: Syntax Error\nSyntax error at or near ';' at line 1:9"),
    ("DROP orders;", "line 1:6: Syntax Error\nSyntax error at or near 'orders' at line 1:6"),
    ("SELECT id, amount AS FROM FROM orders;", "line 1:22: Syntax Error\n"),
    ("SELECT COUNT(*, id) FROM orders;", "line 1:15: Syntax Error\nSyntax error at or near ',' at line 1:15"),
    (
        "SELECT CAST(amount AS) FROM orders;",
        "line 1:22: Syntax Error\nSyntax error at or near ')' at line 1:22",
    ),
    (
        "SELECT id FROM orders WHERE amount IS 1;",
        "line 1:39: Syntax Error\nSyntax error at or near '1' at line 1:39",
    ),
    ("SELECT id FROM orders WHERE amount BETWEEN 1; ", "line 1:45: Syntax Error\n"),
    ("SHOW;", "line 1:5: Syntax Error\nSyntax error at or near ';' at line 1:5"),
    ("DROP;", "line 1:5: Syntax Error\nSyntax error at or near ';' at line 1:5"),
    ("CREATE;", "line 1:7: Syntax Error\nSyntax error at or near ';' at line 1:7"),
    ("EXPLAIN;", "line 1:8: Syntax Error\n"),
    ("PRINT;", "line 1:6: Syntax Error\n"),
    ("LIST;", "line 1:5: Syntax Error\nSyntax error at or near ';' at line 1:5"),
    ("INSERT;", "line 1:7: Syntax Error\nSyntax error at or near ';' at line 1:7"),
    ("SELECT;", "line 1:7: Syntax Error\n"),
    ("SET;", "line 1:4: Syntax Error\nExpecting STRING"),
    ("TERMINATE;", "line 1:10: Syntax Error\nSyntax error at or near ';' at line 1:10"),
]


@pytest.mark.parametrize(("sql", "message"), CASES)
def test_syntax_error_text(sql: str, message: str) -> None:
    with pytest.raises(KsqlParseError) as err:
        parse(sql)
    assert err.value.message == message
