"""The lexer: SQL text to a list of tokens, following ksqlDB's lexer rules (SqlBase.g4).

Keywords are matched case-insensitively and are not distinguished from identifiers here: an unquoted word
is an IDENT token whose `value` is upper-cased, and the parser decides whether it is a keyword. Quoted
identifiers (`` `x` `` and `"x"`) keep their case. Comments (`--`, `/* */`) and whitespace are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import NoReturn

from ksqlserver.errors import KsqlParseError


class Kind(Enum):
    IDENT = "identifier"  # unquoted word (identifier or keyword); value upper-cased
    QUOTED_IDENT = "quoted identifier"  # `x` or "x"; value unquoted, case kept
    DIGIT_IDENT = "digit identifier"  # 1abc: ksqlDB allows identifiers starting with a digit
    STRING = "string"  # 'x'; value unescaped
    INTEGER = "integer"
    DECIMAL = "decimal"  # digits with a point, no exponent
    FLOAT = "float"  # with an exponent
    VARIABLE = "variable"  # ${name} left unsubstituted
    OP = "operator"  # punctuation; value is the symbol
    EOF = "<EOF>"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    value: str  # normalised value (see Kind)
    text: str  # exact source text
    start: int  # offset into the whole input
    end: int  # offset one past the last character
    line: int  # 1-based
    column: int  # 0-based character position in the line (ANTLR's charPositionInLine)

    def display(self) -> str:
        """The token as ANTLR shows it in error messages."""
        return "<EOF>" if self.kind is Kind.EOF else self.text

    def is_keyword(self, *words: str) -> bool:
        return self.kind is Kind.IDENT and self.value in words

    def is_op(self, *symbols: str) -> bool:
        return self.kind is Kind.OP and self.value in symbols


# Every keyword of ksqlDB's lexer. Those not in NON_RESERVED cannot be used as unquoted identifiers.
KEYWORDS = frozenset(
    (
        "EMIT", "CHANGES", "FINAL", "SELECT", "FROM", "AS", "ALL", "DISTINCT", "WHERE", "WITHIN", "WINDOW",
        "GROUP", "BY", "HAVING", "LIMIT", "AT", "OR", "AND", "IN", "NOT", "EXISTS", "BETWEEN", "LIKE",
        "ESCAPE", "IS", "NULL", "TRUE", "FALSE", "INTEGER", "DATE", "TIME", "TIMESTAMP", "INTERVAL", "YEAR",
        "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "YEARS", "MONTHS", "DAYS", "HOURS",
        "MINUTES", "SECONDS", "MILLISECONDS", "ZONE", "TUMBLING", "HOPPING", "SIZE", "ADVANCE", "RETENTION",
        "GRACE", "PERIOD", "CASE", "WHEN", "THEN", "ELSE", "END", "JOIN", "FULL", "OUTER", "INNER", "LEFT",
        "RIGHT", "ON", "PARTITION", "STRUCT", "WITH", "VALUES", "CREATE", "TABLE", "TOPIC", "STREAM",
        "STREAMS", "INSERT", "DELETE", "INTO", "DESCRIBE", "EXTENDED", "PRINT", "EXPLAIN", "ANALYZE",
        "TYPE", "TYPES", "CAST", "SHOW", "LIST", "TABLES", "TOPICS", "QUERY", "QUERIES", "TERMINATE",
        "LOAD", "COLUMNS", "COLUMN", "PARTITIONS", "FUNCTIONS", "FUNCTION", "DROP", "TO", "RENAME", "ARRAY",
        "MAP", "SET", "DEFINE", "UNDEFINE", "RESET", "SESSION", "SAMPLE", "EXPORT", "CATALOG", "PROPERTIES",
        "BEGINNING", "UNSET", "RUN", "SCRIPT", "DECIMAL", "KEY", "CONNECTOR", "CONNECTORS", "SINK",
        "SOURCE", "NAMESPACE", "MATERIALIZED", "VIEW", "PRIMARY", "REPLACE", "ASSERT", "ADD", "ALTER",
        "VARIABLES", "PLUGINS", "HEADERS", "HEADER", "SYSTEM", "TIMEOUT", "SCHEMA", "SUBJECT", "ID", "IF",
        "STRING", "PAUSE", "RESUME"
    )
)

NON_RESERVED = frozenset(
    (
        "SHOW", "TABLES", "COLUMNS", "COLUMN", "PARTITIONS", "FUNCTIONS", "FUNCTION", "SESSION", "STRUCT",
        "MAP", "ARRAY", "PARTITION", "INTEGER", "DATE", "TIME", "TIMESTAMP", "INTERVAL", "ZONE", "STRING",
        "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "EXPLAIN", "ANALYZE", "TYPE", "TYPES", "SET",
        "RESET", "IF", "SOURCE", "SINK", "PRIMARY", "KEY", "EMIT", "CHANGES", "FINAL", "ESCAPE", "REPLACE",
        "ASSERT", "ALTER", "ADD", "HEADER", "HEADERS", "GRACE", "PERIOD", "DEFINE", "UNDEFINE", "VARIABLES",
        "PLUGINS", "SYSTEM", "TIMEOUT", "SCHEMA", "SUBJECT", "ID"
    )
)

RESERVED = KEYWORDS - NON_RESERVED

# Longest first, so that `<=` wins over `<`.
_OPERATORS = (
    ":=", "->", "=>", "<>", "!=", "<=", ">=", "||",
    "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".", ";", ":",
)

_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_NUMBER = re.compile(
    r"(?P<float>(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+)"
    r"|(?P<decimal>\d+\.\d*|\.\d+)"
    r"|(?P<digit_ident>\d+[A-Za-z_@][A-Za-z0-9_@]*)"
    r"|(?P<integer>\d+)"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_@]*")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_@]*)\}")


def tokenize(sql: str, line: int = 1, column: int = 1) -> list[Token]:
    """All tokens of `sql`, ending with one EOF token. Raises KsqlParseError on an unlexable character.

    `line`/`column` (1-based) place `sql[0]` in a larger text, so positions stay relative to a whole request
    when one statement of it is lexed alone.
    """
    return _Lexer(sql, line, column).run()


def failed_line(sql: str, index: int) -> str:
    """The statement text of a syntax error: DefaultKsqlParser.parse's `failedLine`, the line of the parsed
    text the error is on (`sql.split(System.lineSeparator())[e.getLineNumber() - 1]`), `index` 0-based; Java's
    split drops trailing empty lines, and a line past them is the whole text here."""
    lines = sql.split("\n")
    while len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines[index] if 0 <= index < len(lines) else sql


class _Lexer:
    def __init__(self, sql: str, line: int, column: int) -> None:
        self.sql = sql
        self.pos = 0
        self.line = line
        self.first_line = line
        self.line_start = 1 - column  # so that the first line's columns are offset by column - 1
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        sql = self.sql
        while self.pos < len(sql):
            ch = sql[self.pos]
            if ch in " \t\r\n\f\v":
                self._advance(_SPACE.match(sql, self.pos).end())  # type: ignore[union-attr]
            elif sql.startswith("--", self.pos):
                nl = sql.find("\n", self.pos)
                self._advance(len(sql) if nl < 0 else nl + 1)
            elif sql.startswith("/*", self.pos):
                close = sql.find("*/", self.pos + 2)
                if close < 0:
                    self._fail("unterminated comment", self.pos)
                self._advance(close + 2)
            elif ch == "'":
                self._quoted("'", Kind.STRING)
            elif ch == "`":
                self._quoted("`", Kind.QUOTED_IDENT)
            elif ch == '"':
                self._quoted('"', Kind.QUOTED_IDENT)
            elif ch.isdigit() or (ch == "." and self.pos + 1 < len(sql) and sql[self.pos + 1].isdigit()):
                m = _NUMBER.match(sql, self.pos)
                assert m is not None and m.lastgroup is not None
                kind = {
                    "float": Kind.FLOAT, "decimal": Kind.DECIMAL, "integer": Kind.INTEGER,
                    "digit_ident": Kind.DIGIT_IDENT,
                }[m.lastgroup]
                value = m.group().upper() if kind is Kind.DIGIT_IDENT else m.group()
                self._emit(kind, value, m.end())
            elif ch.isascii() and (ch.isalpha() or ch == "_"):
                m = _WORD.match(sql, self.pos)
                assert m is not None
                self._emit(Kind.IDENT, m.group().upper(), m.end())
            elif ch == "$" and (m := _VARIABLE.match(sql, self.pos)) is not None:
                self._emit(Kind.VARIABLE, m.group(1), m.end())
            else:
                for op in _OPERATORS:
                    if sql.startswith(op, self.pos):
                        self._emit(Kind.OP, op, self.pos + len(op))
                        break
                else:  # ANTLR's catch-all UNRECOGNIZED token: the parser reports it
                    self._emit(Kind.OP, ch, self.pos + 1)
        self.tokens.append(
            Token(Kind.EOF, "", "", len(sql), len(sql), self.line, len(sql) - self.line_start)
        )
        return self.tokens

    def _quoted(self, quote: str, kind: Kind) -> None:
        """A string or quoted identifier; a doubled quote inside stands for one quote character."""
        sql, i = self.sql, self.pos + 1
        parts: list[str] = []
        while True:
            close = sql.find(quote, i)
            if close < 0:  # unterminated: the quote alone is an UNRECOGNIZED token, as in ANTLR's lexer
                self._emit(Kind.OP, quote, self.pos + 1)
                return
            parts.append(sql[i:close])
            if sql.startswith(quote * 2, close):
                parts.append(quote)
                i = close + 2
                continue
            self._emit(kind, "".join(parts), close + 1)
            return

    def _emit(self, kind: Kind, value: str, end: int) -> None:
        start = self.pos
        self.tokens.append(
            Token(kind, value, self.sql[start:end], start, end, self.line, start - self.line_start)
        )
        self._advance(end)

    def _advance(self, end: int) -> None:
        """Move to `end`, keeping line bookkeeping (tokens and comments may span lines)."""
        newlines = self.sql.count("\n", self.pos, end)
        if newlines:
            self.line += newlines
            self.line_start = self.sql.rfind("\n", self.pos, end) + 1
        self.pos = end

    def _fail(self, detail: str, offset: int) -> NoReturn:
        column = offset - self.line_start
        raise KsqlParseError(
            f"line {self.line}:{column + 1}: Syntax Error\n{detail}",
            self.line,
            column + 1,
            failed_line(self.sql, self.line - self.first_line),
        )
