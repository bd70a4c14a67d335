"""The parser: ksqlDB SQL text to `ksqlserver.sql.ast` statements.

Hand-written recursive descent over the tokens of `ksqlserver.sql.tokens`, following ksqlDB 0.29's grammar
(SqlBase.g4). Expressions use one function per precedence level (OR < AND < NOT < predicate < `||` < `+ -`
< `* / %` < unary < postfix `[ ]`/`->` < primary). The few places where the grammar needs more than one
token of lookahead (lambdas, a parenthesised GROUP BY list, an alias that is really a clause keyword) scan
a bounded number of tokens ahead, so parsing stays linear.

Errors are `KsqlParseError`s worded like ksqlDB's: syntax errors read
"line L:C: Syntax Error\\n<detail>" (C 1-based), and errors found while building the tree (a numeric
literal out of range) read "Failed to prepare statement: line L:C: <detail>", where ksqlDB adds one to the
column twice; we reproduce that so clients and conformance cases see the same text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Literal as Lit
from typing import NoReturn, TypeVar

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql
from ksqlserver.sql.tokens import KEYWORDS, RESERVED, Kind, Token, failed_line, tokenize

__all__ = ["StatementSource", "parse", "parse_expression", "parse_test_statements", "split_statements"]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1

_UNITS = {
    "MILLISECOND": "MILLISECOND", "MILLISECONDS": "MILLISECOND",
    "SECOND": "SECOND", "SECONDS": "SECOND",
    "MINUTE": "MINUTE", "MINUTES": "MINUTE",
    "HOUR": "HOUR", "HOURS": "HOUR",
    "DAY": "DAY", "DAYS": "DAY",
}
_PRIMITIVE_TYPES = {
    "BOOLEAN": "BOOLEAN", "INT": "INTEGER", "INTEGER": "INTEGER", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE",
    "STRING": "STRING", "VARCHAR": "STRING", "BYTES": "BYTES", "TIMESTAMP": "TIMESTAMP", "DATE": "DATE",
    "TIME": "TIME",
}
_STATEMENT_KEYWORDS = (
    "SELECT", "CREATE", "INSERT", "DROP", "SHOW", "LIST", "DESCRIBE", "EXPLAIN", "TERMINATE", "PAUSE",
    "RESUME", "SET", "UNSET", "DEFINE", "UNDEFINE", "PRINT", "ALTER", "ASSERT",
)
# ParserUtil.VALID_SOURCE_NAMES: Kafka Streams' store-name rule
_VALID_SOURCE_NAME = re.compile(r"[a-zA-Z0-9_-]*")
_COMPARISON_OPS = {"=": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

N = TypeVar("N", bound=ast.Node)
_Follow = Callable[["Token"], bool]  # may a token come right after an expected one?


def _at_end(tok: Token) -> bool:
    """A statement's last element: only its ';' follows (`statements` wants one; EOF does not)."""
    return tok.is_op(";")


@dataclasses.dataclass(frozen=True, slots=True)
class StatementSource:
    """One statement's exact text (through its `;`) and where it starts in the request (1-based)."""

    text: str
    line: int
    column: int


def split_statements(sql: str) -> list[StatementSource]:
    """Split a request into statements without parsing them (`;` inside strings and comments is kept).

    For the engine's per-statement variable substitution: DEFINE in one statement affects the next, so
    each statement is substituted and then parsed with `parse(text, line=..., column=...)`.
    """
    tokens = tokenize(sql)
    result: list[StatementSource] = []
    first: Token | None = None
    for tok in tokens:
        if tok.kind is Kind.EOF or tok.is_op(";"):
            if first is not None:
                # an unterminated last statement runs to the end of the request, so that its EOF (where
                # its missing ';' is reported) stands where the whole request's does
                end = tok.end if tok.kind is not Kind.EOF else len(sql)
                result.append(StatementSource(sql[first.start:end], first.line, first.column + 1))
            first = None
        elif first is None:
            first = tok
    return result


def parse_test_statements(sql: str) -> list[tuple[int, ast.Statement]]:
    """The statements of a testing-tool file (SqlBase.g4's testStatement): besides the ordinary ones, the
    test-only ASSERT VALUES / ASSERT NULL VALUES / ASSERT STREAM / ASSERT TABLE and RUN SCRIPT, which
    `parse` (the /ksql grammar) refuses. Each comes with the offset of its first character."""
    parser = _Parser(sql)
    parser.testing = True
    stmts = parser.statements()
    return list(zip(parser.starts, stmts, strict=True))


def parse(sql: str, *, line: int = 1, column: int = 1) -> list[ast.Statement]:
    """Parse every `;`-terminated statement of `sql` (SqlBase.g4 `statements`: the last `;` is required too).

    Each statement's `text` is its exact source text from its first token through its `;`. Variable
    references `${name}` must already be substituted (the engine does that); one left over is an error.
    `line`/`column` say where `sql` starts within the whole request, for positions and error messages.
    """
    parser = _Parser(sql, line, column)
    try:
        return parser.statements()
    except RecursionError:
        # Nesting deeper than Python's stack allows: a bad statement, not a server error (DefaultKsqlParser
        # catches its StackOverflowError with this message)
        tok = parser.tokens[parser.stmt_start]
        raise KsqlParseError(
            "Error processing statement: Statement is too large to parse. "
            "This may be caused by having too many nested expressions in the statement.",
            tok.line,
            tok.column + 1,
            parser.statement_text(),
        ) from None


@dataclasses.dataclass(frozen=True, slots=True)
class VariableReference:
    """A `${name}` where the grammar takes it: as an identifier (#variableIdentifier) or a literal
    (#variableLiteral)."""

    kind: Lit["identifier", "literal"]
    token: Token

    @property
    def name(self) -> str:
        return self.token.text[2:-1]


def variable_references(sql: str, *, line: int = 1, column: int = 1) -> list[VariableReference] | None:
    """The variable references of one unsubstituted statement, as ksqlDB's parse tree holds them before
    VariableSubstitutor's SqlSubstitutorVisitor checks their values; None when the text does not parse as
    it is (the statement is then checked only once substituted)."""
    try:
        return checked_variable_references(sql, line=line, column=column)
    except (KsqlParseError, RecursionError):
        return None


def checked_variable_references(sql: str, *, line: int = 1, column: int = 1) -> list[VariableReference]:
    """`variable_references`, raising the KsqlParseError of a text that does not parse with its references
    unsubstituted (DefaultKsqlParser.parse before VariableSubstitutor: ksql-migrations' CommandParser)."""
    parser = _Parser(sql, line, column)
    parser.variables = []
    parser.statements()
    return parser.variables


def raw_syntax_error(sql: str, *, line: int = 1, column: int = 1) -> KsqlParseError | None:
    """The syntax error of one statement as written, `${name}` references standing where SqlBase.g4 takes
    them: ksqlDB parses a request before it substitutes anything (KsqlEngine.parse in KsqlResource), so a
    reference anywhere else (a keyword's place, say) fails there, at the unsubstituted text's positions.
    None when the text parses (errors AstBuilder would raise are left to the substituted statement)."""
    parser = _Parser(sql, line, column)
    parser.variables = []
    try:
        parser.statements()
    except KsqlParseError as e:
        return e if parser.error_token is not None else None
    except RecursionError:
        return None
    return None


def parse_expression(sql: str) -> ast.Expression:
    """Parse a single expression (for tests and for the engine's internal use)."""
    parser = _Parser(sql)
    expr = parser.expression()
    parser.expect_eof()
    return expr


class _Parser:
    def __init__(self, sql: str, line: int = 1, column: int = 1) -> None:
        self.sql = sql
        self.first_line = line
        self.tokens = tokenize(sql, line, column)
        self.i = 0
        self.stmt_start = 0  # token index where the current statement starts
        self.lambda_scopes: list[frozenset[str]] = []
        self.nesting = 0  # primary expressions being parsed, one inside another
        self.predict_level: int | None = None  # see select_item
        self.error_token: Token | None = None  # the token the last syntax error is at
        # the first error ksqlDB's AstBuilder would meet building the statement, raised once it has parsed
        self.deferred: KsqlParseError | None = None
        # variable_references: `${name}` tokens taken where SqlBase.g4 allows them (None: not allowed)
        self.variables: list[VariableReference] | None = None
        self.testing = False  # the testing tool's grammar (testStatement), see parse_test_statements
        self.starts: list[int] = []  # offsets of the statements parsed
        # ANTLR's expected set after a statement that ended with a query's EMIT or LIMIT clause (short
        # enough for SyntaxErrorValidator to show), None when it is too long to show
        self.tail_expected: str | None = None

    # ------------------------------------------------------------------------------ token plumbing

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind is not Kind.EOF:
            self.i += 1
        return tok

    def at_keyword(self, *words: str) -> bool:
        return self.tok.is_keyword(*words)

    def at_op(self, *symbols: str) -> bool:
        return self.tok.is_op(*symbols)

    def accept_keyword(self, *words: str) -> Token | None:
        return self.advance() if self.tok.is_keyword(*words) else None

    def accept_op(self, *symbols: str) -> Token | None:
        return self.advance() if self.tok.is_op(*symbols) else None

    def expect_keyword(self, *words: str, follow: _Follow | None = None) -> Token:
        """`follow`: whether a token may come right after the keyword (see `_recover_inline`)."""
        if not self.tok.is_keyword(*words):
            if len(words) == 1:
                self._recover_inline(f"'{words[0]}'", lambda t: t.is_keyword(words[0]), follow)
            elif follow is not None:
                self._recover_inline(_quote_all(words), lambda t: t.is_keyword(*words), follow)
            self.fail_expecting(_quote_all(words))
        return self.advance()

    def expect_op(self, symbol: str, follow: _Follow | None = None) -> Token:
        if not self.tok.is_op(symbol):
            self._recover_inline(f"'{symbol}'", lambda t: t.is_op(symbol), follow)
            self.fail_expecting(f"'{symbol}'")
        return self.advance()

    def _recover_inline(
        self, expected: str, is_expected: Callable[[Token], bool], follow: _Follow | None = None
    ) -> None:
        """ANTLR's reports when one token does not match (DefaultErrorStrategy.recoverInline): "extraneous
        input" when the next one would (single-token deletion), "missing" when the current one could
        follow the expected one (single-token insertion); `follow` tells that where the generic rules
        below do not."""
        tok = self.tok
        if is_expected(self.peek()):
            self.fail_expecting(expected, extraneous=True)
        if follow is not None and follow(tok):
            self.syntax_error(tok, f"missing {expected} at '{tok.display()}'")
        follows_value = (expected in _BEFORE_VALUES and self.starts_value(tok)) or (
            expected == "'SIZE'" and tok.kind is Kind.INTEGER
        )
        if follows_value or (expected in _BEFORE_SYMBOLS and tok.kind is Kind.OP and not tok.is_op("(", "[")):
            self.syntax_error(tok, f"missing {expected} at '{tok.display()}'")

    def expect_assign_before_string(self) -> None:
        """The '=' of SET / ALTER SYSTEM / DEFINE, which only a STRING follows: ANTLR reports it missing
        before a string only (not before any value, as `_recover_inline` assumes elsewhere)."""
        if not self.at_op("=") and not self.peek().is_op("=") and self.tok.kind is not Kind.STRING:
            self.fail_expecting("'='", extraneous=False)
        self.expect_op("=")

    def expect_eof(self) -> None:
        if self.tok.kind is not Kind.EOF:
            self.fail_expecting("<EOF>")

    def node(self, cls: type[N], start: Token, *args: object, **kwargs: object) -> N:
        """Build a node located at `start` (line, 1-based column)."""
        return cls(*args, **kwargs, line=start.line, column=start.column + 1)  # type: ignore[arg-type]

    # ---------------------------------------------------------------------------------------- errors

    def statement_text(self) -> str:
        """The current statement's text: from its first token through the next `;` (or the end)."""
        start = self.tokens[self.stmt_start].start
        for tok in self.tokens[self.stmt_start:]:
            if tok.is_op(";"):
                return self.sql[start:tok.end]
        return self.sql[start:]

    def syntax_error(self, tok: Token, detail: str) -> NoReturn:
        self.error_token = tok
        col = tok.column + 1
        raise KsqlParseError(
            f"line {tok.line}:{col}: Syntax Error\n{_validated(detail, tok)}", tok.line, col,
            failed_line(self.sql, tok.line - self.first_line),  # DefaultKsqlParser.parse's failedLine
        )

    def no_viable_alternative(self, tok: Token) -> NoReturn:
        """ANTLR's "no viable alternative" (a construct its prediction could not finish), as ksqlDB words it."""
        self.syntax_error(tok, f"Syntax error at or near '{tok.display()}' at line {tok.line}:{tok.column + 1}")

    def prepare_error(self, tok: Token, detail: str) -> NoReturn:
        # ksqlDB builds the tree after parsing; its NodeLocation and message each add one to the column.
        col = tok.column + 2
        raise KsqlParseError(
            f"Failed to prepare statement: line {tok.line}:{col}: {detail}",
            tok.line,
            tok.column + 1,
            self.statement_text(),
        )

    def fail_expecting(self, expected: str, extraneous: bool | None = None) -> NoReturn:
        """ANTLR's report for an unexpected token: "extraneous input" when the parser would go on after
        dropping it (by default: the next token is one expected), else "mismatched input"; `expected` is
        ANTLR's set or a description of a large one ("an expression")."""
        if extraneous is None:
            extraneous = self._expected_next(expected)
        kind = "extraneous" if extraneous else "mismatched"
        self.syntax_error(self.tok, f"{kind} input '{self.tok.display()}' expecting {expected}")

    def close_list(self, closer: str, iterated: bool) -> Token:
        """The closing token of a comma list (see `list_end` for a wrong one)."""
        if not self.tok.is_op(closer):
            self.list_end(closer, iterated)
        return self.advance()

    def _expected_next(self, expected: str) -> bool:
        nxt = self.peek()
        if expected in ("an expression", "an identifier"):
            return self.starts_value(nxt)
        names = re.findall(r"'([^']*)'|([A-Z_]+)", expected)
        texts = {a or b for a, b in names}
        if nxt.kind is Kind.INTEGER and "INTEGER_VALUE" in texts:
            return True
        return nxt.kind in (Kind.IDENT, Kind.OP) and nxt.value in texts

    def list_end(self, closer: str, iterated: bool) -> NoReturn:
        """A bad token where a comma list continues or closes: ANTLR's loop reports "extraneous input"
        once the loop has gone round, "mismatched input" before."""
        self.fail_expecting(f"{{',', '{closer}'}}", extraneous=iterated or None)

    def next_starts_value(self) -> bool:
        """Whether the token after the current one could start an identifier or an expression (ANTLR
        then reports the current one as extraneous)."""
        return self.starts_value(self.peek())

    def starts_value(self, tok: Token) -> bool:
        return self.is_identifier(tok) or tok.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT, Kind.STRING) or (
            tok.is_op("(", "-", "+") or tok.is_keyword("NULL", "TRUE", "FALSE", "CASE", "CAST", "NOT")
        )

    # ------------------------------------------------------------------------------------ statements

    def statements(self) -> list[ast.Statement]:
        result: list[ast.Statement] = []
        while self.tok.kind is not Kind.EOF:
            self.stmt_start = self.i
            self.tail_expected = None
            start = self.tok
            stmt = self.statement()
            self.starts.append(start.start)
            end = self.tokens[self.i - 1].end
            if self.at_op(";"):
                end = self.advance().end
            elif self.tok.kind is Kind.EOF:
                # singleStatement is `statement ';'` in every grammar the server parses with (ANTLR inserts
                # the missing ';' to report it, then SyntaxErrorValidator throws)
                self.syntax_error(self.tok, "missing ';' at '<EOF>'")
            else:
                # ANTLR tries single-token deletion before insertion: a stray token just before the ';'
                # is extraneous (a reserved one gets SyntaxErrorValidator's escaping hint)
                if self.peek().is_op(";"):
                    self.fail_expecting("';'", extraneous=True)
                if self.tok.kind is Kind.IDENT and self.tok.value in _COMMANDS:
                    self.syntax_error(self.tok, f"missing ';' at '{self.tok.display()}'")
                # after an optional EXTENDED left out, ANTLR's sync reports a mismatch (no keyword hint)
                extraneous = False if self.tail_expected == _OPTIONAL_EXTENDED else None
                self.fail_expecting(self.tail_expected or "the rest of the statement", extraneous)
            if self.deferred is not None:
                raise self.deferred
            result.append(dataclasses.replace(stmt, text=self.sql[start.start:end]))
        return result

    def statement(self) -> ast.Statement:
        tok = self.tok
        if self.testing and tok.is_keyword("ASSERT") and self.peek().is_keyword("VALUES", "NULL", "STREAM", "TABLE"):
            return self.test_assert()
        if self.testing and tok.is_keyword("RUN"):
            start = self.advance()
            self.expect_keyword("SCRIPT")
            return self.node(ast.RunScript, start, self.string())
        if tok.kind is Kind.IDENT:
            handler: Callable[[], ast.Statement] | None = {
                "SELECT": self.query,
                "CREATE": self.create,
                "INSERT": self.insert,
                "DROP": self.drop,
                "SHOW": self.show,
                "LIST": self.show,
                "DESCRIBE": self.describe,
                "EXPLAIN": self.explain,
                "TERMINATE": self.terminate,
                "PAUSE": self.pause_resume,
                "RESUME": self.pause_resume,
                "SET": self.set_property,
                "UNSET": self.unset_property,
                "DEFINE": self.define,
                "UNDEFINE": self.undefine,
                "PRINT": self.print_topic,
                "ALTER": self.alter,
                "ASSERT": self.assert_statement,
            }.get(tok.value)
            if handler is not None:
                if tok.value in _ALTERNATIVES_AHEAD and (self.peek().is_op(";") or self.peek().kind is Kind.EOF):
                    self.no_viable_alternative(self.peek())  # several statements start so: none fits
                return handler()
        nxt = self.peek()
        if tok.kind is Kind.IDENT and tok.value in RESERVED and (nxt.kind is Kind.EOF or nxt.is_keyword(*_COMMANDS)):
            # ANTLR drops the word as extraneous input (what follows can start a statement) and
            # SyntaxErrorValidator.isKeywordError words a reserved one before the unknown-statement hint
            self.fail_expecting("{<EOF>, " + ", ".join(f"'{c}'" for c in _COMMANDS) + "}", extraneous=True)
        detail = f"Unknown statement '{tok.display()}'\nDid you mean '{_most_similar(tok.display())}'?"
        self.syntax_error(tok, detail)

    def create(self) -> ast.Statement:
        start = self.expect_keyword("CREATE")
        or_replace = False
        if self.accept_keyword("OR"):
            self.expect_keyword("REPLACE")
            or_replace = True
        if not or_replace and self.at_keyword("TYPE"):
            return self.create_type(start)
        if self.at_keyword("SOURCE", "SINK") and self.peek().is_keyword("CONNECTOR"):
            return self.create_connector(start)
        is_source = self.accept_keyword("SOURCE") is not None
        if not self.at_keyword("STREAM", "TABLE"):  # ANTLR tells the CREATE statements apart here
            self.no_viable_alternative(self.tok)
        kind = self.expect_keyword("STREAM", "TABLE").value
        if_not_exists = self.if_not_exists(predicted=not is_source)
        if not self.is_identifier(self.tok):  # the CREATE alternatives are told apart only past the name
            self.no_viable_alternative(self.tok)
        name = self.source_name()
        columns: tuple[ast.ColumnDef, ...] = ()
        if not self.at_op("(", ";") and not self.at_keyword("WITH", "AS") and self.tok.kind is not Kind.EOF:
            if self.tok.kind is Kind.IDENT and self.tok.value in _COMMANDS:  # the statement looks ended
                self.syntax_error(self.tok, f"missing ';' at '{self.tok.display()}'")
            self.fail_expecting("{';', '(', 'WITH'}")
        if self.at_op("("):
            columns = self.table_elements()
            if not self.at_op(";") and not self.at_keyword("WITH") and self.tok.kind is not Kind.EOF:
                if self.peek().is_op(";"):  # the optional WITH was passed over: singleStatement's ';' reports
                    self.fail_expecting("';'", extraneous=True)
                self.fail_expecting("{';', 'WITH'}")
        properties = {}
        if self.accept_keyword("WITH"):
            properties = self.with_properties(not columns and not is_source)
            self.tail_expected = "';'"  # nothing optional is left (AS ends SLL's prediction below)
        if not columns and not is_source and self.accept_keyword("AS"):
            query = self.query()
            if query.limit is not None:  # rejected when ksqlDB builds the statement (AstBuilder)
                tok = self.tokens[self.stmt_start]
                raise KsqlParseError(
                    f"Failed to prepare statement: CREATE {kind} AS SELECT statements don't support LIMIT clause.",
                    tok.line,
                    tok.column + 1,
                    self.statement_text(),
                )
            return self.node(
                ast.CreateAsSelect, start, kind, name, query, properties, or_replace, if_not_exists
            )
        return self.node(
            ast.CreateSource, start, kind, name, columns, properties, or_replace, if_not_exists, is_source
        )

    def create_type(self, start: Token) -> ast.CreateType:
        self.expect_keyword("TYPE")
        if_not_exists = self.if_not_exists()
        name = self.identifier()
        self.expect_keyword("AS")
        return self.node(ast.CreateType, start, name, self.type(), if_not_exists)

    def create_connector(self, start: Token) -> ast.CreateConnector:
        connector_type = self.advance().value
        self.expect_keyword("CONNECTOR")
        if_not_exists = self.if_not_exists()
        name = self.identifier()
        self.expect_keyword("WITH")
        properties = self.with_properties(keep_case=True)
        return self.node(ast.CreateConnector, start, connector_type, name, properties, if_not_exists)

    def if_not_exists(self, predicted: bool = False) -> bool:
        """`IF NOT EXISTS`. `predicted`: the clause is inside ANTLR's prediction of the statement's
        alternative (CREATE STREAM/TABLE, with or without AS, are told apart only past the name), so a
        wrong word there is "no viable alternative"; elsewhere ANTLR's recoverInline reports it."""
        if self.at_keyword("IF") and self.peek().is_keyword("NOT"):
            self.advance()
            self.advance()
            if not self.at_keyword("EXISTS"):
                if predicted:
                    self.no_viable_alternative(self.tok)
                if self.is_identifier(self.tok) and not self.peek().is_keyword("EXISTS"):
                    # single-token insertion: a name may follow the missing EXISTS
                    self.syntax_error(self.tok, f"missing 'EXISTS' at '{self.tok.display()}'")
            self.expect_keyword("EXISTS")
            return True
        return False

    def if_exists(self) -> bool:
        if self.at_keyword("IF") and self.peek().is_keyword("EXISTS"):
            self.advance()
            self.advance()
            return True
        return False

    def table_elements(self) -> tuple[ast.ColumnDef, ...]:
        self.expect_op("(")
        columns = [self.column_def()]
        while self.accept_op(","):
            columns.append(self.column_def())
        self.close_list(")", len(columns) > 1)
        return tuple(columns)

    def column_def(self) -> ast.ColumnDef:
        start = self.tok
        name = self.name()
        col_type = self.type()
        constraint: str | None = None
        header_key: str | None = None
        if self.accept_keyword("PRIMARY"):
            self.expect_keyword("KEY", follow=lambda t: t.is_op(",", ")"))
            constraint = "PRIMARY KEY"
        elif self.accept_keyword("KEY"):
            constraint = "KEY"
        elif self.accept_keyword("HEADERS"):
            constraint = "HEADERS"
        elif self.accept_keyword("HEADER"):
            self.expect_op("(")
            header_key = self.string()
            self.expect_op(")")
            constraint = "HEADER"
        return self.node(ast.ColumnDef, start, name, col_type, constraint, header_key)

    def with_properties(self, predicting: bool = False, keep_case: bool = False) -> dict[str, ast.PropertyValue]:
        """`(name = literal, ...)` after WITH; names upper-cased. `predicting`: ANTLR has not told the
        statement apart yet (CREATE without columns), so a misplaced token is "no viable alternative".
        `keep_case`: names as ksqlDB keeps a connector's (a 'string' or quoted name as written, a bare
        identifier upper-cased)."""
        if not predicting:
            return self._properties(keep_case)
        self.error_token = None
        try:
            return self._properties(keep_case)
        except KsqlParseError as e:
            # still inside the prediction of CREATE's alternative (through the closing ')'): any syntax
            # error there is "no viable alternative" at its token
            if self.error_token is not None and "Syntax Error" in e.message:
                self.no_viable_alternative(self.error_token)
            raise

    def _properties(self, keep_case: bool) -> dict[str, ast.PropertyValue]:
        self.expect_op("(")
        props: dict[str, ast.PropertyValue] = {}
        while True:
            name = self.advance().value if self.tok.kind is Kind.STRING else self.identifier()
            self.expect_op("=")
            props[name if keep_case else name.upper()] = self.literal_value()
            if not self.accept_op(","):
                break
        self.close_list(")", len(props) > 1)
        return props

    def literal_value(self) -> ast.PropertyValue:
        literal = self.literal()
        return None if isinstance(literal, ast.NullLiteral) else literal.value  # type: ignore[attr-defined]

    def insert(self) -> ast.Statement:
        start = self.expect_keyword("INSERT")
        if not self.at_keyword("INTO"):  # ANTLR tells the INSERT statements apart past the target name
            self.no_viable_alternative(self.tok)
        self.expect_keyword("INTO")
        if not self.is_identifier(self.tok):
            self.no_viable_alternative(self.tok)
        target = self.source_name()
        if not self.at_op("(") and not self.at_keyword("VALUES", "WITH", "SELECT"):
            self.no_viable_alternative(self.tok)
        if self.at_op("(") or self.at_keyword("VALUES"):
            columns: list[str] = []
            if self.accept_op("("):
                columns.append(self.name())
                while self.accept_op(","):
                    columns.append(self.name())
                self.close_list(")", len(columns) > 1)
            self.expect_keyword("VALUES", follow=lambda t: t.is_op("("))
            values = self.values()
            self.tail_expected = "';'"
            return self.node(ast.InsertValues, start, target, tuple(columns), values)
        properties = self.with_properties() if self.accept_keyword("WITH") else {}
        if not self.at_keyword("SELECT"):
            self.fail_expecting("{'(', 'VALUES', 'WITH', 'SELECT'}")
        return self.node(ast.InsertInto, start, target, self.query(), properties)

    def values(self) -> tuple[ast.Expression, ...]:
        """`values`: `(expr, ...)`, possibly empty."""
        self.expect_op("(")
        values: list[ast.Expression] = []
        if not self.at_op(")"):
            values.append(self.value_expression())
            while self.accept_op(","):
                values.append(self.value_expression())
        self.close_list(")", len(values) > 1)
        return tuple(values)

    def test_assert(self) -> ast.Statement:
        """SqlBase.g4's assertStatement, built as AstBuilder.visitAssertValues / visitAssertTombstone (located
        at the source name) and visitAssertStream / visitAssertTable (a CreateStream / CreateTable)."""
        start = self.expect_keyword("ASSERT")
        if self.at_keyword("STREAM", "TABLE"):
            kind = self.advance().value
            name = self.source_name()
            columns = self.table_elements() if self.at_op("(") else ()
            props = self.with_properties() if self.accept_keyword("WITH") else {}
            create = self.node(ast.CreateSource, start, kind, name, columns, props)
            return self.node(ast.AssertSource, start, create)
        tombstone = self.accept_keyword("NULL") is not None
        self.expect_keyword("VALUES")
        target_tok = self.tok
        target = self.source_name()
        columns: list[str] = []
        if self.accept_op("("):
            columns.append(self.identifier())
            while self.accept_op(","):
                columns.append(self.identifier())
            self.close_list(")", len(columns) > 1)
        self.expect_keyword("KEY" if tombstone else "VALUES")
        insert = self.node(ast.InsertValues, target_tok, target, tuple(columns), self.values())
        if not self.at_op(";"):  # the grammar requires the `;` after an assert
            self.fail_expecting("';'")
        return self.node(ast.AssertTombstone if tombstone else ast.AssertValues, target_tok, insert)

    def drop(self) -> ast.Statement:
        start = self.expect_keyword("DROP")
        if not self.at_keyword("STREAM", "TABLE", "TYPE", "CONNECTOR"):
            self.no_viable_alternative(self.tok)
        kind = self.expect_keyword("STREAM", "TABLE", "TYPE", "CONNECTOR").value
        if_exists = self.if_exists()
        name = self.identifier() if kind in ("TYPE", "CONNECTOR") else self.source_name()
        if kind == "TYPE":
            return self.node(ast.DropType, start, name, if_exists)
        if kind == "CONNECTOR":
            return self.node(ast.DropConnector, start, name, if_exists)
        delete_topic = False
        if self.accept_keyword("DELETE"):
            self.expect_keyword("TOPIC")
            delete_topic = True
        return self.node(ast.DropSource, start, kind, name, if_exists, delete_topic)

    def show(self) -> ast.Show:
        start = self.advance()  # SHOW or LIST
        # the statement's SHOW/LIST alternatives are told apart by the words that follow: a wrong one is
        # "no viable alternative" (ANTLR's prediction)
        if self.accept_keyword("ALL"):
            self.expect_keyword("TOPICS")
            extended = self.extended()
            self.tail_expected = "';'" if extended else _OPTIONAL_EXTENDED
            return self.node(ast.Show, start, "TOPICS", extended, all_topics=True)
        if self.at_keyword("SOURCE", "SINK"):
            connector_type = self.advance().value
            self.expect_keyword("CONNECTORS", follow=_at_end)
            return self.node(ast.Show, start, "CONNECTORS", connector_type=connector_type)
        shown = (
            "STREAMS", "TABLES", "TOPICS", "QUERIES", "PROPERTIES", "FUNCTIONS", "TYPES", "VARIABLES",
            "CONNECTORS", "CONNECTOR",
        )  # fmt: skip
        if not self.at_keyword(*shown):
            self.no_viable_alternative(self.tok)
        what = self.expect_keyword(*shown).value
        if what == "CONNECTOR":
            self.expect_keyword("PLUGINS")
            return self.node(ast.Show, start, "CONNECTOR PLUGINS")
        extended = self.extended() if what in ("STREAMS", "TABLES", "TOPICS", "QUERIES") else False
        self.tail_expected = "';'" if extended or what == "PROPERTIES" else _OPTIONAL_EXTENDED
        if what in ("FUNCTIONS", "TYPES", "VARIABLES", "CONNECTORS"):
            self.tail_expected = "';'"
        return self.node(ast.Show, start, what, extended)

    def extended(self) -> bool:
        return self.accept_keyword("EXTENDED") is not None

    def describe(self) -> ast.Statement:
        start = self.expect_keyword("DESCRIBE")
        nxt = self.peek()
        ends = nxt.is_op(";") or nxt.kind is Kind.EOF or nxt.is_keyword("EXTENDED")
        if self.at_keyword("STREAMS", "TABLES") and ends:
            what = self.advance().value
            extended = self.extended()
            self.tail_expected = "';'" if extended else _OPTIONAL_EXTENDED
            return self.node(ast.DescribeSources, start, what, extended)
        if self.tok.kind is not Kind.EOF and not self.is_identifier(self.tok) and not self.at_keyword(
            "STREAMS", "TABLES", "FUNCTION", "CONNECTOR"
        ):
            # DESCRIBE's alternatives (sources, STREAMS / TABLES, FUNCTION, CONNECTOR) are predicted from
            # the word after it: a token starting none of them is "no viable alternative"
            self.no_viable_alternative(self.tok)
        if self.at_keyword("FUNCTION", "CONNECTOR") and not ends:
            kind = self.advance().value
            raw = self.tok.text
            name = self.identifier()
            if kind == "FUNCTION":
                # AstBuilder.visitDescribeFunction keeps `identifier().getText()`, the text as written: the
                # registry looks it up in upper case, and an unknown name is reported as written
                return self.node(ast.DescribeFunction, start, raw)
            return self.node(ast.DescribeConnector, start, name)
        name = self.source_name()
        extended = self.extended()
        self.tail_expected = "';'" if extended else _OPTIONAL_EXTENDED
        return self.node(ast.DescribeSource, start, name, extended)

    def explain(self) -> ast.Explain:
        start = self.expect_keyword("EXPLAIN")
        if self.tok.kind is Kind.IDENT and self.tok.value in _STATEMENT_KEYWORDS:
            first = self.tok
            inner = self.statement()
            text = self.sql[first.start:self.tokens[self.i - 1].end]
            return self.node(ast.Explain, start, statement=dataclasses.replace(inner, text=text))
        return self.node(ast.Explain, start, query_id=self.identifier())

    def terminate(self) -> ast.Terminate:
        start = self.expect_keyword("TERMINATE")
        if self.accept_keyword("ALL"):
            return self.node(ast.Terminate, start, None)
        return self.node(ast.Terminate, start, self.identifier())

    def pause_resume(self) -> ast.PauseResume:
        start = self.expect_keyword("PAUSE", "RESUME")
        if self.accept_keyword("ALL"):
            return self.node(ast.PauseResume, start, start.value, None)
        return self.node(ast.PauseResume, start, start.value, self.identifier())

    def set_property(self) -> ast.SetProperty:
        start = self.expect_keyword("SET")
        name = self.string()
        self.expect_assign_before_string()
        value = self.string(follow=_at_end)
        self.tail_expected = "';'"
        return self.node(ast.SetProperty, start, name, value)

    def unset_property(self) -> ast.UnsetProperty:
        start = self.expect_keyword("UNSET")
        return self.node(ast.UnsetProperty, start, self.string(follow=_at_end))

    def define(self) -> ast.DefineVariable:
        start = self.expect_keyword("DEFINE")
        name = self.variable_name(follow=lambda t: t.is_op("="))
        self.expect_assign_before_string()
        return self.node(ast.DefineVariable, start, name, self.string(follow=_at_end))

    def undefine(self) -> ast.UndefineVariable:
        start = self.expect_keyword("UNDEFINE")
        return self.node(ast.UndefineVariable, start, self.variable_name(follow=_at_end))

    def variable_name(self, follow: _Follow | None = None) -> str:
        """SqlBase.g4's variableName, an IDENTIFIER token only (no keyword), its text as written. ANTLR's
        "mismatched input" on a keyword is ignored there when the keyword is written in lower case
        (SyntaxErrorValidator.isValidVariableName checks the text against the lower-cased vocabulary of
        ParserKeywordValidatorUtil, which leaves out concat, substring and replace)."""
        tok = self.tok
        if tok.kind is not Kind.IDENT or (tok.value in KEYWORDS and not _lower_case_keyword(tok.text)):
            if follow is not None and follow(tok) and self.peek().kind is not Kind.IDENT:
                self.syntax_error(tok, f"missing IDENTIFIER at '{tok.display()}'")
            self.fail_expecting("IDENTIFIER")
        return self.advance().text

    def print_topic(self) -> ast.PrintTopic:
        start = self.expect_keyword("PRINT")
        topic = self.resource_name()
        from_beginning = False
        if self.accept_keyword("FROM"):
            self.expect_keyword("BEGINNING", follow=lambda t: t.is_op(";") or t.is_keyword("INTERVAL", "SAMPLE", "LIMIT"))
            from_beginning = True
        # AstBuilder.visitPrintTopic: INTERVAL and SAMPLE alike are processIntegerNumber's "INTERVAL"
        interval = self.integer_number("INTERVAL") if self.accept_keyword("INTERVAL", "SAMPLE") else None
        limit = self.limit_clause() if self.accept_keyword("LIMIT") else None
        return self.node(ast.PrintTopic, start, topic, from_beginning, interval, limit)

    def resource_name(self) -> str:
        """A topic name: a string, a quoted identifier, or an unquoted identifier kept as written."""
        tok = self.tok
        if tok.kind in (Kind.STRING, Kind.QUOTED_IDENT):
            return self.advance().value
        self.identifier()
        return tok.text

    def alter(self) -> ast.AlterSource | ast.AlterSystem:
        start = self.expect_keyword("ALTER")
        if self.accept_keyword("SYSTEM"):
            name = self.string()
            self.expect_assign_before_string()
            value = self.string(follow=_at_end)
            self.tail_expected = "';'"
            return self.node(ast.AlterSystem, start, name, value)
        kind = self.expect_keyword("STREAM", "TABLE").value
        name = self.source_name()
        columns = []
        while True:
            self.expect_keyword("ADD")
            self.accept_keyword("COLUMN")
            col_start = self.tok
            col_name = self.name()
            columns.append(self.node(ast.ColumnDef, col_start, col_name, self.type()))
            if not self.accept_op(","):
                break
        return self.node(ast.AlterSource, start, kind, name, tuple(columns))

    def assert_statement(self) -> ast.Statement:
        start = self.expect_keyword("ASSERT")
        exists = True
        # ASSERT's alternatives (TOPIC, SCHEMA, each with NOT EXISTS) are told apart by ANTLR's prediction
        if self.accept_keyword("NOT"):
            if not self.at_keyword("EXISTS"):
                self.no_viable_alternative(self.tok)
            self.expect_keyword("EXISTS")
            exists = False
        if not self.at_keyword("TOPIC", "SCHEMA"):
            self.no_viable_alternative(self.tok)
        what = self.expect_keyword("TOPIC", "SCHEMA").value
        if what == "TOPIC":
            topic = self.resource_name()
            properties = self.with_properties() if self.accept_keyword("WITH") else {}
            return self.node(ast.AssertTopic, start, topic, exists, properties, self.timeout())
        subject = self.resource_name() if self.accept_keyword("SUBJECT") else None
        schema_id: int | None = None
        id_literal = self.literal() if self.accept_keyword("ID") else None
        # AstBuilder.visitAssertSchema (see `deferred`): a subject or an id, the id (any literal) an INT; an
        # unsubstituted `${id}` (#variableLiteral) is checked only once substituted
        problem = None
        if id_literal is not None and self.tokens[self.i - 1].kind is Kind.VARIABLE:
            pass
        elif subject is None and id_literal is None:
            problem = "ASSERT SCHEMA statements much include a subject name or an id"
        elif id_literal is not None:
            if isinstance(id_literal, ast.IntegerLiteral):
                schema_id = id_literal.value
            else:
                problem = "ID must be an integer"
        if problem is not None and self.deferred is None:
            self.deferred = KsqlParseError(
                f"Failed to prepare statement: {problem}", start.line, start.column + 1, self.statement_text()
            )
        return self.node(ast.AssertSchema, start, subject, schema_id, exists, self.timeout())

    def timeout(self) -> ast.Duration | None:
        return self.duration() if self.accept_keyword("TIMEOUT") else None

    # ----------------------------------------------------------------------------------------- query

    def query(self) -> ast.Query:
        self.tail_expected = None
        start = self.expect_keyword("SELECT", follow=lambda t: self.starts_value(t) or t.is_op("*"))
        select = [self.select_item()]
        while self.accept_op(","):
            select.append(self.select_item())
        if not self.at_keyword("FROM"):
            self.fail_expecting("{',', 'FROM'}", extraneous=len(select) > 1 or None)
        self.expect_keyword("FROM")
        from_ = self.aliased_source()
        joins: list[ast.Join] = []
        while self.at_keyword("JOIN", "INNER", "LEFT", "RIGHT", "FULL"):
            joins.append(self.join())
        window = self.window() if self.accept_keyword("WINDOW") else None
        where = self.expression() if self.accept_keyword("WHERE") else None
        group_by: tuple[ast.Expression, ...] = ()
        if self.accept_keyword("GROUP"):
            self.expect_keyword("BY")
            group_by = self.expression_list()
            self.require_items(group_by, "GROUP BY")
            self.check_duplicates(group_by, "GROUP BY")
        partition_by: tuple[ast.Expression, ...] = ()
        if self.at_keyword("PARTITION"):  # no alias can take it here: ANTLR's partitionBy clause, BY expected
            self.advance()
            self.expect_keyword("BY")
            partition_by = self.expression_list()
            self.require_items(partition_by, "PARTITION BY")
            self.check_duplicates(partition_by, "PARTITION BY")
        having = self.expression() if self.accept_keyword("HAVING") else None
        emit: str | None = None
        if self.accept_keyword("EMIT"):
            after_emit: _Follow = lambda t: t.is_op(";") or t.is_keyword("LIMIT")
            emit = self.expect_keyword("CHANGES", "FINAL", follow=after_emit).value
        limit = self.limit_clause() if self.accept_keyword("LIMIT") else None
        if limit is not None:
            self.tail_expected = "';'"
        elif emit is not None:
            self.tail_expected = "{';', 'LIMIT'}"
        if group_by and partition_by:  # the Query node's own precondition, as AstBuilder builds it
            if self.deferred is not None:  # AstBuilder.visitQuery visits every clause before it builds Query
                raise self.deferred
            tok = self.tokens[self.stmt_start]
            raise KsqlParseError(
                "Failed to prepare statement: Queries only support one of PARTITION BY and GROUP BY",
                tok.line,
                tok.column + 1,
                self.statement_text(),
            )
        return self.node(
            ast.Query, start, tuple(select), from_, tuple(joins), window, where, group_by, partition_by,
            having, emit, limit,
        )

    def select_item(self) -> ast.SelectElement:
        start = self.tok
        if self.accept_op("*"):
            return self.node(ast.AllColumns, start, None)
        if not self.starts_value(start) and start.kind is not Kind.EOF:  # ANTLR's select item cannot start
            self.fail_expecting("an expression", extraneous=self.next_starts_value() or self.peek().is_op("*"))
        if self.is_identifier(start) and self.peek().is_op(".") and self.peek(2).is_op("*"):
            source = self.identifier()
            self.advance()
            self.advance()
            return self.node(ast.AllColumns, start, source)
        # ANTLR tells `x->*` from an expression by looking over the whole first primary expression: an
        # error inside it is "no viable alternative"
        self.predict_level = self.nesting if self.starts_value(self.tok) else None
        try:
            expr = self.expression()
        except KsqlParseError:
            if self.predict_level is not None and self.error_token is not None:
                self.predict_level = None
                self.no_viable_alternative(self.error_token)
            raise
        finally:
            self.predict_level = None
        if self.at_op("->") and self.peek().is_op("*"):
            self.advance()
            self.advance()
            return self.node(ast.StructAll, start, expr)
        alias: str | None = None
        if self.accept_keyword("AS") or self.is_identifier(self.tok):
            alias = self.name()
        return self.node(ast.SelectItem, start, expr, alias)

    def aliased_source(self) -> ast.AliasedSource:
        start = self.tok
        name = self.source_name()
        alias: str | None = None
        if self.accept_keyword("AS") or (self.is_identifier(self.tok) and not self.at_clause_keyword()):
            alias = self.source_name()
        return self.node(ast.AliasedSource, start, name, alias)

    def at_clause_keyword(self) -> bool:
        """A non-reserved word that starts the next clause rather than being an alias."""
        nxt = self.peek()
        return (self.at_keyword("EMIT") and nxt.is_keyword("CHANGES", "FINAL")) or (
            self.at_keyword("PARTITION") and nxt.is_keyword("BY")
        )

    def join(self) -> ast.Join:
        start = self.tok
        kind = "INNER"
        if self.accept_keyword("INNER"):
            pass
        elif tok := self.accept_keyword("LEFT", "RIGHT", "FULL"):
            kind = tok.value
            self.accept_keyword("OUTER")
        self.expect_keyword("JOIN")
        source = self.aliased_source()
        if not self.at_keyword("WITHIN", "ON"):
            self.fail_expecting("{'WITHIN', 'ON'}")
        within = self.within() if self.accept_keyword("WITHIN") else None
        # after WITHIN, the optional GRACE's set unless ON's recoverInline can drop the token or insert ON
        if (
            within is not None
            and within.grace is None
            and not self.at_keyword("ON")
            and not self.peek().is_keyword("ON")
            and not self.starts_value(self.tok)
        ):
            self.fail_expecting("{'GRACE', 'ON'}")
        self.expect_keyword("ON", follow=self.starts_value)
        return self.node(ast.Join, start, kind, source, self.expression(), within)

    def within(self) -> ast.WithinClause:
        start = self.tok
        if self.accept_op("("):
            before = self.join_window_size()
            self.expect_op(",")
            after = self.join_window_size()
            self.expect_op(")")
        else:
            before = after = self.join_window_size()
        # WithinExpression builds its JoinWindows as AstBuilder builds the tree: JoinWindows.of(before) then
        # .after(after), each refusing a negative interval (Kafka Streams' JoinWindows constructor)
        if (before.millis * 2 < 0 or before.millis + after.millis < 0) and self.deferred is None:
            tok = self.tokens[self.stmt_start]
            self.deferred = KsqlParseError(
                "Failed to prepare statement: Window interval (ie, beforeMs+afterMs) must not be negative.",
                tok.line,
                tok.column + 1,
                self.statement_text(),
            )
        grace = self.grace_period()
        # then .grace(grace): JoinWindows.grace refuses a negative grace period
        if grace is not None and grace.millis < 0 and self.deferred is None:
            tok = self.tokens[self.stmt_start]
            self.deferred = KsqlParseError(
                "Failed to prepare statement: Grace period must not be negative.",
                tok.line,
                tok.column + 1,
                self.statement_text(),
            )
        return self.node(ast.WithinClause, start, before, after, grace)

    def join_window_size(self) -> ast.Duration:
        """SqlBase.g4's `number windowUnit` (joinWindowSize, a WINDOW clause's sizes, retention and grace): a
        sign parses (AstBuilder's Long.parseLong); the window constructors refuse what is negative. A decimal
        or floating-point number, or an integer beyond BIGINT, parses too and fails as the tree is built
        (Long.parseLong's NumberFormatException, see `deferred`)."""
        start = self.tok
        sign = self.tok.is_op("-") and self.peek().kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT)
        if sign:
            self.advance()
        tok = self.tok
        text = ("-" if sign else "") + tok.text
        big = tok.kind is Kind.INTEGER and not _LONG_MIN <= int(text) <= _LONG_MAX
        if tok.kind in (Kind.DECIMAL, Kind.FLOAT) or big:
            if self.deferred is None:
                first = self.tokens[self.stmt_start]
                self.deferred = KsqlParseError(
                    f'Failed to prepare statement: For input string: "{text}"',
                    first.line,
                    first.column + 1,
                    self.statement_text(),
                )
            self.advance()
            return self.duration_unit(start, 0)
        d = self.duration()
        return self.node(ast.Duration, start, -d.value, d.unit) if sign else d

    def grace_period(self) -> ast.Duration | None:
        """A join's `GRACE PERIOD number windowUnit`: a sign parses (`number` is `MINUS? INTEGER_VALUE`), the
        WithinExpression's JoinWindows refuses it afterwards."""
        if self.accept_keyword("GRACE"):
            self.expect_keyword("PERIOD")
            return self.join_window_size()
        return None

    def window(self) -> ast.WindowClause:
        tok = self.tok
        if tok.kind is Kind.IDENT and tok.value not in KEYWORDS:
            self.advance()  # a window name, SqlBase.g4's plain IDENTIFIER token only, which ksqlDB ignores
        elif not tok.is_keyword(*_WINDOW_KINDS_AND_KEYWORDS):
            # ANTLR's sync before the optional name: a reserved word before the name or the window kind is
            # extraneous (SyntaxErrorValidator's keyword hint); otherwise the expected set
            # {IDENTIFIER, 'TUMBLING', 'HOPPING', 'SESSION'} is too long to show
            nxt = self.peek()
            name_or_kind = nxt.is_keyword(*_WINDOW_KINDS_AND_KEYWORDS) or (
                nxt.kind is Kind.IDENT and nxt.value not in KEYWORDS
            )
            if tok.kind is Kind.IDENT and tok.value in RESERVED and name_or_kind:
                self.fail_expecting("{IDENTIFIER, 'TUMBLING', 'HOPPING', 'SESSION'}", extraneous=True)
            if tok.kind is Kind.EOF:  # "mismatched input '<EOF>'": SyntaxErrorValidator's bracket hint
                self.fail_expecting("{IDENTIFIER, 'TUMBLING', 'HOPPING', 'SESSION'}", extraneous=False)
            self.syntax_error(tok, "")
        start = self.expect_keyword("TUMBLING", "HOPPING", "SESSION")
        kind = start.value
        self.expect_op("(", follow=lambda t: kind != "SESSION" and t.is_keyword("SIZE"))
        advance: ast.Duration | None = None
        if kind == "SESSION":
            size = self.join_window_size()
        else:
            self.expect_keyword("SIZE")
            size = self.join_window_size()
            if kind == "HOPPING":
                self.expect_op(",")
                self.expect_keyword("ADVANCE")
                self.expect_keyword("BY")
                advance = self.join_window_size()
        retention: ast.Duration | None = None
        grace: ast.Duration | None = None
        if not self.at_op(",", ")"):  # the optional clauses' sync: their set, ',' or ')'
            self.fail_expecting("{',', ')'}")
        if self.at_op(",") and self.peek().is_keyword("RETENTION"):
            self.advance()
            self.advance()
            retention = self.join_window_size()
            if not self.at_op(",", ")"):
                self.fail_expecting("{',', ')'}")
        if self.accept_op(","):
            self.expect_keyword("GRACE")
            self.expect_keyword("PERIOD")
            grace = self.join_window_size()
        # what follows a WINDOW clause (recoverInline's "missing ')'")
        self.expect_op(")", follow=lambda t: t.is_keyword("WHERE", "GROUP", "PARTITION", "HAVING", "EMIT", "LIMIT"))
        return self.node(ast.WindowClause, start, kind, size, advance, retention, grace)

    def duration(self) -> ast.Duration:
        start = self.tok
        return self.duration_unit(start, self.integer())

    def duration_unit(self, start: Token, value: int) -> ast.Duration:
        """The unit after a duration's number (`value`, read from `start` on)."""
        unit = self.tok
        if unit.kind is not Kind.IDENT or unit.value not in _UNITS:
            units = (
                "{'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'DAYS', 'HOURS', 'MINUTES', "
                "'SECONDS', 'MILLISECONDS'}"
            )
            if unit.kind is Kind.OP or unit.is_keyword("ON", "GRACE", "RETENTION", "ADVANCE"):
                # what follows a unit: the unit looks left out
                self.syntax_error(unit, f"missing {units} at '{unit.display()}'")
            self.fail_expecting(units)
        self.advance()
        return self.node(ast.Duration, start, value, _UNITS[unit.value])

    def check_duplicates(self, items: tuple[ast.Expression, ...], clause: str) -> None:
        """The GroupBy and PartitionBy nodes refuse an expression listed twice (equal as written: V and S.V
        differ until the Analyzer qualifies them), as AstBuilder builds them (see `deferred`)."""
        for i, e in enumerate(items):
            if e in items[:i] and self.deferred is None:
                tok = self.tokens[self.stmt_start]
                self.deferred = KsqlParseError(
                    f"Failed to prepare statement: Duplicate {clause} expression: {sql(e)}",
                    tok.line,
                    tok.column + 1,
                    self.statement_text(),
                )

    def require_items(self, items: tuple[ast.Expression, ...], clause: str) -> None:
        """`GROUP BY ()` / `PARTITION BY ()`: ksqlDB's statement preparation rejects an empty list."""
        if not items:
            tok = self.tokens[self.stmt_start]
            raise KsqlParseError(
                f"Failed to prepare statement: {clause} requires at least one expression",
                tok.line,
                tok.column + 1,
                self.statement_text(),
            )

    def expression_list(self) -> tuple[ast.Expression, ...]:
        """GROUP BY / PARTITION BY: `e, ...` or a parenthesised `(e, ...)` / `()`."""
        if self.at_op("(") and self.parenthesised_list_ahead():
            self.advance()
            items: list[ast.Expression] = []
            if not self.at_op(")"):
                # ANTLR's choice between the two alternatives is made at the first ',': an error
                # before it is "no viable alternative" at the offending token
                self.error_token = None
                try:
                    items.append(self.value_expression())
                except KsqlParseError:
                    if self.error_token is None:
                        raise
                    self.no_viable_alternative(self.error_token)
                if not self.at_op(",", ")"):
                    self.no_viable_alternative(self.tok)
                while self.accept_op(","):
                    items.append(self.value_expression())
                self.close_list(")", len(items) > 1)  # the list's loop: {',', ')'} expected
                return tuple(items)
            self.expect_op(")")
            return tuple(items)
        items = [self.value_expression()]
        while self.accept_op(","):
            items.append(self.value_expression())
        return tuple(items)

    def parenthesised_list_ahead(self) -> bool:
        """True if the `(` here closes with a top-level comma inside (or is empty) and ends the list."""
        depth = 0
        comma = decided = nested = False
        for j in range(self.i, len(self.tokens)):
            tok = self.tokens[j]
            if tok.is_op("(", "["):
                depth += 1
                nested = nested or depth > 1
            elif tok.is_op(")", "]"):
                depth -= 1
                if depth == 0:
                    empty = j == self.i + 1
                    after = self.tokens[j + 1]
                    return (comma or empty) and not after.is_op(",")
            elif tok.is_op(",") and depth >= 1:
                comma = comma or depth == 1
                decided = True
            elif depth == 1 and (tok.is_keyword(*_PREDICATE_WORDS) or tok.is_op(*_COMPARISON_OPS)):
                decided = True  # only a parenthesised expression has a predicate: ANTLR chose it
            elif tok.is_op(";") or tok.kind is Kind.EOF:
                if not comma and not decided and (tok.kind is Kind.EOF or not nested):
                    # ANTLR's prediction between the two groupBy / partitionBy alternatives is still
                    # open (`(a` may be a parenthesised expression): no alternative is viable at its end
                    self.no_viable_alternative(tok)
                return comma  # a top-level ',' chose the parenthesised list
        return False

    # ------------------------------------------------------------------------------------ expressions

    def expression(self) -> ast.Expression:
        return self.or_expression()

    def or_expression(self) -> ast.Expression:
        left = self.and_expression()
        while tok := self.accept_keyword("OR"):
            right = self.and_expression()
            left = self.binary_node(ast.LogicalBinary, left, "OR", right, tok)
        return left

    def and_expression(self) -> ast.Expression:
        left = self.not_expression()
        while tok := self.accept_keyword("AND"):
            right = self.not_expression()
            left = self.binary_node(ast.LogicalBinary, left, "AND", right, tok)
        return left

    def not_expression(self) -> ast.Expression:
        if tok := self.accept_keyword("NOT"):
            if self.predict_level == self.nesting:
                self.predict_level = None
            return self.node(ast.Not, tok, self.not_expression())
        return self.predicated()

    def predicated(self) -> ast.Expression:
        start = self.tok
        value = self.value_expression()
        tok = self.tok
        if tok.kind is Kind.OP and tok.value in _COMPARISON_OPS:
            self.advance()
            right = self.value_expression()
            return self.node(ast.Comparison, start, _COMPARISON_OPS[tok.value], value, right)
        if tok.is_keyword("IS"):
            self.advance()
            negated = self.accept_keyword("NOT") is not None
            if self.accept_keyword("NULL"):
                return self.node(ast.IsNull, start, value, negated)
            if not self.at_keyword("DISTINCT"):
                self.no_viable_alternative(self.tok)
            self.expect_keyword("DISTINCT")
            self.expect_keyword("FROM", follow=self.starts_value)
            op = "IS NOT DISTINCT FROM" if negated else "IS DISTINCT FROM"
            return self.node(ast.Comparison, start, op, value, self.value_expression())
        negated = False
        if tok.is_keyword("NOT") and self.peek().is_keyword("BETWEEN", "IN", "LIKE"):
            self.advance()
            negated = True
        if self.accept_keyword("BETWEEN"):
            lower = self.value_expression()
            if not self.at_keyword("AND") and not self.peek().is_keyword("AND"):
                if self.starts_value(self.tok) and not self.at_keyword("NOT"):
                    # recoverInline's single-token insertion: a bound may follow the missing AND
                    self.syntax_error(self.tok, f"missing 'AND' at '{self.tok.display()}'")
                # otherwise the expected set is the bound's loop (AND or anything continuing it)
                self.fail_expecting("{'[', 'AT', 'AND', '+', '-', '*', '/', '%', '||', '->'}")
            self.expect_keyword("AND")
            upper = self.value_expression()
            return self.node(ast.Between, start, value, lower, upper, negated)
        if self.accept_keyword("IN"):
            self.expect_op("(")
            items = [self.expression()]
            while self.accept_op(","):
                items.append(self.expression())
            self.close_list(")", len(items) > 1)
            return self.node(ast.InList, start, value, tuple(items), negated)
        if self.accept_keyword("LIKE"):
            pattern = self.value_expression()
            escape = None
            if self.accept_keyword("ESCAPE"):
                esc_tok = self.tok
                escape = self.string()
                if len(escape) != 1:  # AstBuilder prints the Optional location as it is
                    raise KsqlParseError(
                        f"Failed to prepare statement: Optional[Line: {esc_tok.line}, Col: {esc_tok.column + 1}]: "
                        f"Expected single character escape but got: {escape}",
                        esc_tok.line,
                        esc_tok.column + 1,
                        self.statement_text(),
                    )
            return self.node(ast.Like, start, value, pattern, escape, negated)
        return value

    def value_expression(self) -> ast.Expression:
        """Lowest arithmetic level: `||` concatenation."""
        left = self.additive()
        while tok := self.accept_op("||"):  # ksqlDB makes `a || b` the call CONCAT(a, b)
            left = self.node(ast.FunctionCall, tok, "CONCAT", (left, self.additive()))
        return left

    def additive(self) -> ast.Expression:
        left = self.multiplicative()
        while tok := self.accept_op("+", "-"):
            left = self.binary_node(ast.ArithmeticBinary, left, tok.value, self.multiplicative(), tok)
        return left

    def multiplicative(self) -> ast.Expression:
        left = self.unary()
        while tok := self.accept_op("*", "/", "%"):
            left = self.binary_node(ast.ArithmeticBinary, left, tok.value, self.unary(), tok)
        return left

    def binary_node(
        self, cls: type[N], left: ast.Expression, op: str, right: ast.Expression, tok: Token
    ) -> N:
        # Located at the left operand, as ksqlDB does.
        line, column = (left.line, left.column) if left.line else (tok.line, tok.column + 1)
        return cls(op, left, right, line=line, column=column)  # type: ignore[call-arg]

    def unary(self) -> ast.Expression:
        tok = self.tok
        if tok.is_op("-", "+"):
            nxt = self.peek()
            if tok.value == "-" and nxt.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
                # ksqlDB's grammar folds a leading minus into the number literal.
                self.advance()
                return self.postfix(self.number(sign_token=tok))
            self.advance()
            if self.predict_level == self.nesting:
                self.predict_level = None  # not a primary expression: ANTLR's prediction is done
            return self.node(ast.ArithmeticUnary, tok, tok.value, self.unary())
        self.nesting += 1
        try:
            expr = self.postfix(self.primary())
        finally:
            self.nesting -= 1
        if self.predict_level == self.nesting:
            self.predict_level = None
        if self.at_keyword("AT"):
            self.at_time_zone()
        return expr

    def at_time_zone(self) -> None:
        """SqlBase.g4's `valueExpression AT TIME ZONE STRING` (#atTimeZone) parses, but ksqlDB's AstBuilder
        has no visitor for it: visitChildren's aggregateResult meets the AT terminal's null and throws
        UnsupportedOperationException("not yet implemented"), which DefaultKsqlParser.prepare words as
        "Failed to prepare statement: ..." once the statement has parsed (see `deferred`)."""
        at = self.advance()
        self.expect_keyword("TIME")
        self.expect_keyword("ZONE")
        self.string()
        if self.deferred is None:
            self.deferred = KsqlParseError(
                "Failed to prepare statement: not yet implemented", at.line, at.column + 1, self.statement_text()
            )

    def postfix(self, expr: ast.Expression) -> ast.Expression:
        while True:
            tok = self.tok
            if tok.is_op("["):
                self.advance()
                index = self.value_expression()
                if not self.at_op("]"):
                    self._recover_inline("']'", lambda t: t.is_op("]"), lambda t: t.is_keyword(*_AFTER_VALUE))
                    # else the index's operator loop, passed over, left its (long) set as ANTLR's expectation
                    self.fail_expecting("{']', '[', 'AT', '+', '-', '*', '/', '%', '||', '->'}", extraneous=False)
                self.advance()
                expr = self.node(ast.Subscript, self.token_at(expr, tok), expr, index)
            elif tok.is_op("->") and (self.is_identifier(self.peek()) or self.peek().kind is Kind.IDENT):
                self.advance()  # (`->` before anything else is left to the caller, as ANTLR does)
                expr = self.node(ast.Dereference, self.token_at(expr, tok), expr, self.identifier())
            else:
                return expr

    def token_at(self, expr: ast.Expression, fallback: Token) -> Token:
        """A stand-in token carrying `expr`'s position, to locate a node built around it."""
        if not expr.line:
            return fallback
        return dataclasses.replace(fallback, line=expr.line, column=expr.column - 1)

    def primary(self) -> ast.Expression:
        tok = self.tok
        kind = tok.kind
        if kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
            return self.number()
        if kind is Kind.STRING:
            self.advance()
            return self.node(ast.StringLiteral, tok, tok.value)
        if kind is Kind.OP:
            if tok.value == "(":
                self.advance()
                expr = self.expression()
                self.expect_op(")")
                return expr
            self.syntax_error(tok, f"extraneous input '{tok.display()}' expecting an expression")
        if kind is Kind.VARIABLE:
            if self.variables is not None:  # SqlBase.g4 #variableLiteral
                self.variables.append(VariableReference("literal", tok))
                self.advance()
                return self.node(ast.NullLiteral, tok)
            self.syntax_error(tok, f"Undefined variable '{tok.text}'")
        if kind is Kind.EOF:
            self.fail_expecting("an expression")
        word = tok.value if kind is Kind.IDENT else ""
        nxt = self.peek()
        if word in ("NULL", "TRUE", "FALSE"):
            return self.literal()
        self.predict_primary(word)
        if word == "CASE":
            return self.case()
        if word == "CAST":
            return self.cast()
        if word == "ARRAY" and nxt.is_op("["):
            return self.array_constructor()
        if word == "MAP" and nxt.is_op("("):
            return self.map_constructor()
        if word == "STRUCT" and nxt.is_op("(") and not self.struct_is_call():
            return self.struct_constructor()
        if nxt.is_op("(") and self.is_identifier(tok):
            return self.function_call()
        if nxt.kind is Kind.STRING and self.is_identifier(tok):
            return self.type_constructor()
        name = self.identifier()
        if self.at_op(".") and not self.is_identifier(self.peek()):
            # ANTLR has chosen `identifier '.' identifier` on seeing the dot: the error is at what follows
            self.advance()
            self.fail_expecting("an identifier", extraneous=self.is_identifier(self.peek()))
        if self.at_op("."):
            self.advance()
            self.check_name(tok, name)
            column = self.name()
            return self.node(ast.ColumnRef, tok, column, name)
        if any(name in scope for scope in self.lambda_scopes):
            return self.node(ast.LambdaVariable, tok, name)
        self.check_name(tok, name)
        return self.node(ast.ColumnRef, tok, name)

    def predict_primary(self, word: str) -> None:
        """ANTLR's primaryExpression prediction reads past CASE (simple or searched), `STRUCT(` up to
        `name :=`, and `MAP(` / `ARRAY[` (also a function call / a subscripted column) up to the first
        key's `:=` or the first `,` or closing bracket: the end of the input inside that span is "no
        viable alternative" (ParserATNSimulator.execATN), not the bracket hint of a mismatched token."""
        nxt = self.peek()
        if word == "CASE":
            ahead = [nxt]
        elif word == "STRUCT" and nxt.is_op("("):
            ahead = [self.peek(2)] + ([self.peek(3)] if self.is_identifier(self.peek(2)) else [])
        elif (word == "MAP" and nxt.is_op("(")) or (word == "ARRAY" and nxt.is_op("[")):
            ahead = self._first_item_tokens()
        else:
            return
        for tok in ahead:
            if tok.kind is Kind.EOF:
                self.no_viable_alternative(tok)

    def _first_item_tokens(self) -> list[Token]:
        """The tokens after `MAP(` / `ARRAY[` up to the first top-level `:=`, `,` or closing bracket."""
        depth = 0
        out = []
        for tok in self.tokens[self.i + 2:]:
            if tok.is_op(";") or (depth == 0 and tok.is_keyword(*_CLAUSE_WORDS)):
                return []  # the prediction fails before the end of the input
            out.append(tok)
            if tok.is_op("(", "["):
                depth += 1
            elif tok.is_op(")", "]"):
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and tok.is_op(":=", ","):
                break
        return out

    def struct_is_call(self) -> bool:
        """Whether `STRUCT(` starts SqlBase.g4's #functionCall rather than #structConstructor (STRUCT is
        a non-reserved word, so a function name): its first argument is not `name :=`, and the first
        token after the name can go on an expression (`STRUCT(f1 'key')`, `STRUCT(1, 2)`)."""
        first, second = self.peek(2), self.peek(3)
        if first.is_op(")") or second.is_op(":="):
            return False
        if not self.is_identifier(first):
            return first.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT, Kind.STRING)
        return _continues_identifier(second)

    def starts_argument(self, tok: Token) -> bool:
        """Whether `tok` may start a function argument (an expression, a window unit or a lambda)."""
        return self.starts_value(tok) or (tok.kind is Kind.IDENT and tok.value in _UNITS)

    def predict_argument(self) -> None:
        """After a function call's ',', ANTLR predicts argument vs lambda (`x =>`) from the token after an
        identifier: when that token goes on neither, no alternative is viable there."""
        nxt = self.peek()
        if self.is_identifier(self.tok) and not nxt.is_op("=>") and not _continues_identifier(nxt):
            self.no_viable_alternative(nxt)

    def type_constructor(self) -> ast.Expression:
        """SqlBase.g4's #typeConstructor, `identifier STRING` (so `SELECT id 'x'` parses). AstBuilder's
        visitTypeConstructor builds `DECIMAL '1.5'` as a decimal literal and throws "Unknown type" for any
        other name, which DefaultKsqlParser.prepare reports once the whole text parsed (see `deferred`)."""
        tok = self.tok
        name = self.identifier()
        value = self.advance().value
        if name == "DECIMAL":
            try:
                return self.node(ast.DecimalLiteral, tok, Decimal(value))
            except InvalidOperation:
                pass
        if self.deferred is None:
            where = f"Optional[Line: {tok.line}, Col: {tok.column + 1}]"  # NodeLocation.toString
            detail = f"Unknown type: {name}, location:{where}" if name != "DECIMAL" else _big_decimal_error(value)
            self.deferred = KsqlParseError(
                f"Failed to prepare statement: {detail}", tok.line, tok.column + 1, self.statement_text()
            )
        return self.node(ast.NullLiteral, tok)

    def number(self, sign_token: Token | None = None) -> ast.Literal:
        tok = self.advance()
        start = sign_token or tok
        text = ("-" if sign_token else "") + tok.text
        if tok.kind is Kind.INTEGER:
            value = int(text)
            if _INT_MIN <= value <= _INT_MAX:
                return self.node(ast.IntegerLiteral, start, value)
            if _LONG_MIN <= value <= _LONG_MAX:
                return self.node(ast.LongLiteral, start, value)
            self.prepare_error(start, f"Invalid numeric literal: {text}")
        if tok.kind is Kind.DECIMAL:
            return self.node(ast.DecimalLiteral, start, Decimal(text))
        value_f = float(text)
        if value_f in (float("inf"), float("-inf")):
            self.prepare_error(start, f"Number overflows DOUBLE: {text}")
        return self.node(ast.DoubleLiteral, start, value_f)

    def literal(self) -> ast.Literal:
        """A literal as in WITH properties and `primary`: NULL, a (signed) number, boolean or string."""
        tok = self.tok
        if tok.is_op("-") and self.peek().kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
            self.advance()
            return self.number(sign_token=tok)
        if tok.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
            return self.number()
        if tok.kind is Kind.STRING:
            self.advance()
            return self.node(ast.StringLiteral, tok, tok.value)
        if tok.is_keyword("NULL"):
            self.advance()
            return self.node(ast.NullLiteral, tok)
        if tok.is_keyword("TRUE", "FALSE"):
            self.advance()
            return self.node(ast.BooleanLiteral, tok, tok.value == "TRUE")
        if tok.kind is Kind.VARIABLE and self.variables is not None:  # SqlBase.g4 #variableLiteral
            self.variables.append(VariableReference("literal", tok))
            self.advance()
            return self.node(ast.NullLiteral, tok)
        self.fail_expecting("{NULL, 'TRUE', 'FALSE', '-', STRING, INTEGER_VALUE, DECIMAL_VALUE}")

    def case(self) -> ast.Expression:
        start = self.expect_keyword("CASE")
        operand = None if self.at_keyword("WHEN") else self.value_expression()
        whens: list[ast.WhenClause] = []
        if not self.at_keyword("WHEN"):
            self.fail_expecting("'WHEN'")
        while when := self.accept_keyword("WHEN"):
            condition = self.expression()
            self.expect_keyword("THEN")
            whens.append(self.node(ast.WhenClause, when, condition, self.expression()))
        if not self.at_keyword("ELSE", "END"):  # ANTLR's WHEN loop, gone round once at least
            self.fail_expecting("{'WHEN', 'ELSE', 'END'}", extraneous=True)
        default = self.expression() if self.accept_keyword("ELSE") else None
        self.expect_keyword("END")
        if operand is None:
            return self.node(ast.SearchedCase, start, tuple(whens), default)
        return self.node(ast.SimpleCase, start, operand, tuple(whens), default)

    def cast(self) -> ast.Cast:
        start = self.advance()
        self.expect_op("(")
        expr = self.expression()
        self.expect_keyword("AS")
        target = self.type()
        self.expect_op(")")
        return self.node(ast.Cast, start, expr, target)

    def array_constructor(self) -> ast.CreateArray:
        start = self.advance()
        self.expect_op("[")
        items: list[ast.Expression] = []
        if not self.at_op("]"):
            items.append(self.expression())
            while self.accept_op(","):
                items.append(self.expression())
            self.close_list("]", len(items) > 1)
        else:
            self.advance()
        return self.node(ast.CreateArray, start, tuple(items))

    def map_constructor(self) -> ast.CreateMap:
        start = self.advance()
        self.expect_op("(")
        entries: list[tuple[ast.Expression, ast.Expression]] = []
        while not self.at_op(")"):
            if entries:
                self.expect_op(",")
            key = self.expression()
            if not entries and self.at_op(",", ")"):
                return self.map_call(start, key)  # SqlBase.g4's #functionCall named MAP
            if not self.at_op(":="):  # ANTLR expects := or more of the key expression
                self.fail_expecting("an expression")
            self.advance()
            entries.append((key, self.expression()))
            if not self.at_op(",", ")"):
                self.list_end(")", len(entries) > 1)
        self.expect_op(")")
        return self.node(ast.CreateMap, start, tuple(entries))

    def map_call(self, start: Token, first: ast.Expression) -> ast.Expression:
        """`MAP(e, ...)` / `MAP(e)`: MAP is a non-reserved word, so a function name (#functionCall)."""
        args = [first]
        while self.accept_op(","):
            if self.tok.kind is Kind.EOF or not self.starts_argument(self.tok):
                self.no_viable_alternative(self.tok)
            self.predict_argument()
            args.append(self.function_argument())
        self.close_list(")", len(args) > 1)
        return self.node(ast.FunctionCall, start, "MAP", tuple(args))

    def struct_constructor(self) -> ast.CreateStruct:
        start = self.advance()
        self.expect_op("(")
        fields: list[tuple[str, ast.Expression]] = []
        while not self.at_op(")"):
            if fields:
                self.expect_op(",")
            name = self.identifier()
            self.expect_op(":=")
            fields.append((name, self.expression()))
            if not self.at_op(",", ")"):
                self.list_end(")", len(fields) > 1)
        self.expect_op(")")
        return self.node(ast.CreateStruct, start, tuple(fields))

    def function_call(self) -> ast.Expression:
        start = self.tok
        name = self.identifier()
        self.expect_op("(")
        if self.at_op("*"):
            self.advance()
            self.expect_op(")")  # recoverInline: "missing ')'" before another symbol
            return self.node(ast.FunctionCall, start, name, (), True)
        args: list[ast.Expression] = []
        while not self.at_op(")"):
            if args:
                self.expect_op(",")
            if self.tok.kind is Kind.EOF or not self.starts_argument(self.tok):
                # ANTLR predicts `*` vs arguments after '(', and argument vs lambda after ',', from the
                # token that follows: when it starts neither, no alternative is viable
                self.no_viable_alternative(self.tok)
            if args:
                self.predict_argument()
            # ksqlDB's grammar: lambdas only after at least one other argument, and only lambdas after one
            lambda_ahead = self.lambda_params_ahead() is not None
            if lambda_ahead and not args:
                self.no_viable_alternative(next(t for t in self.tokens[self.i :] if t.is_op("=>")))
            if args and isinstance(args[-1], ast.Lambda) and not lambda_ahead:
                self.no_viable_alternative(self.peek() if self.is_identifier(self.tok) else self.tok)
            args.append(self.function_argument())
            if not self.at_op(",", ")"):
                self.list_end(")", len(args) > 1)
        self.advance()
        return self.node(ast.FunctionCall, start, name, tuple(args))

    def function_argument(self) -> ast.Expression:
        tok = self.tok
        params = self.lambda_params_ahead()
        if params is not None:
            return self.lambda_(params)
        nxt = self.peek()
        if tok.kind is Kind.IDENT and tok.value in _UNITS and tok.value in RESERVED and nxt.is_op(",", ")"):
            self.advance()
            return self.node(ast.IntervalUnit, tok, _UNITS[tok.value])
        return self.expression()

    def lambda_params_ahead(self) -> list[Token] | None:
        """The parameter tokens if a lambda (`x =>` or `(x, y) =>`) starts here, else None."""
        if self.is_identifier(self.tok) and self.peek().is_op("=>"):
            return [self.tok]
        if not self.at_op("("):
            return None
        params: list[Token] = []
        j = 1
        while True:
            tok = self.peek(j)
            if not self.is_identifier(tok):
                return None
            params.append(tok)
            sep = self.peek(j + 1)
            if sep.is_op(")"):
                return params if self.peek(j + 2).is_op("=>") else None
            if not sep.is_op(","):
                return None
            j += 2

    def lambda_(self, params: list[Token]) -> ast.Lambda:
        start = self.tok
        names = []
        parenthesised = self.accept_op("(") is not None
        for k in range(len(params)):
            if k:
                self.expect_op(",")
            names.append(self.identifier())
        if parenthesised:
            self.expect_op(")")
        self.expect_op("=>")
        self.lambda_scopes.append(frozenset(names))
        try:
            body = self.expression()
        finally:
            self.lambda_scopes.pop()
        return self.node(ast.Lambda, start, tuple(names), body)

    # ---------------------------------------------------------------------------- names and values

    def is_identifier(self, tok: Token) -> bool:
        if tok.kind is Kind.IDENT:
            return tok.value not in RESERVED
        if tok.kind is Kind.VARIABLE:  # SqlBase.g4 identifier's #variableIdentifier, before substitution
            return self.variables is not None
        return tok.kind in (Kind.QUOTED_IDENT, Kind.DIGIT_IDENT)

    def identifier(self) -> str:
        tok = self.tok
        if self.is_identifier(tok) and tok.kind is not Kind.VARIABLE:
            self.advance()
            return tok.value
        if tok.kind is Kind.VARIABLE:
            if self.variables is not None:  # SqlBase.g4 #variableIdentifier
                self.variables.append(VariableReference("identifier", tok))
                self.advance()
                return tok.text
            self.syntax_error(tok, f"Undefined variable '{tok.text}'")
        self.fail_expecting("an identifier", extraneous=self.next_starts_value())

    def name(self) -> str:
        """An identifier AstBuilder makes a Name of (a column, an alias, a STRUCT type's field; see
        `check_name`)."""
        tok = self.tok
        name = self.identifier()
        self.check_name(tok, name)
        return name

    def check_name(self, tok: Token, name: str) -> None:
        """ksqlDB's Name (ColumnName, SourceName) and SqlStruct.Field refuse an empty or untrimmed name,
        which only a quoted identifier can spell; an IllegalArgumentException while AstBuilder builds the
        tree, so a preparation error once the whole text parsed (see `deferred`)."""
        if tok.kind is not Kind.QUOTED_IDENT or self.deferred is not None:
            return
        if name.strip() != name:
            detail = f"name is not trimmed: '{name}'"
        elif not name:
            detail = "name is empty"
        else:
            return
        self.deferred = KsqlParseError(
            f"Failed to prepare statement: {detail}", tok.line, tok.column + 1, self.statement_text()
        )

    def source_name(self) -> str:
        """SqlBase.g4's sourceName. ParserUtil.getSourceName refuses a name outside [a-zA-Z0-9_-]* when
        AstBuilder builds the tree, i.e. after the whole text parsed (see `deferred`)."""
        tok = self.tok
        name = self.identifier()
        if self.deferred is None and tok.kind is not Kind.VARIABLE and not _VALID_SOURCE_NAME.fullmatch(name):
            base = (
                f"Illegal argument at Line: {tok.line}, Col: {tok.column + 1}. "
                "Source names may only contain alphanumeric values, '_' or '-'."
            )
            # the REST answer gives the unlogged details (with the name) and, as the statement text, the name
            # alone: DefaultKsqlParser.prepare rethrows this ParseFailedException as it is
            self.deferred = KsqlParseError(f"{base} Got: '{name}'", tok.line, tok.column + 1, name)
        self.check_name(tok, name)  # the pattern takes the empty name, SourceName.of does not
        return name

    def string(self, follow: _Follow | None = None) -> str:
        if self.tok.kind is not Kind.STRING:
            if follow is not None and self.peek().kind is not Kind.STRING and follow(self.tok):
                self.syntax_error(self.tok, f"missing STRING at '{self.tok.display()}'")
            self.fail_expecting("STRING")
        return self.advance().value

    def limit_clause(self) -> int:
        """SqlBase.g4's `LIMIT number`, whose integer literal may be negative (`MINUS? INTEGER_VALUE`,
        ParserUtil.processIntegerNumber): the pull-query validator, not the grammar, refuses -1."""
        return self.integer_number("LIMIT")

    def integer_number(self, command: str) -> int:
        """SqlBase.g4's `number` where AstBuilder wants an int (ParserUtil.processIntegerNumber): any number
        parses; a decimal or floating-point one is refused as AstBuilder builds the tree (see `deferred`),
        and so is an integer beyond INT: visitIntegerLiteral makes it a LongLiteral, which
        processIntegerNumber casts to IntegerLiteral (a ClassCastException, worded as JDK 17 words it for
        two classes of the application class loader)."""
        start = self.tok
        sign = self.tok if self.tok.is_op("-") else None
        if sign is not None and self.peek().kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
            self.advance()
        if self.tok.kind not in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
            self.fail_expecting("{'-', INTEGER_VALUE, DECIMAL_VALUE, FLOATING_POINT_VALUE}")
        lit = self.number(sign)
        if isinstance(lit, ast.IntegerLiteral):
            return lit.value
        if self.deferred is None:
            if isinstance(lit, ast.LongLiteral):
                detail = _CLASS_CAST.format(src="LongLiteral", dst="IntegerLiteral")
            else:
                detail = f"Value must be integer for command: {command}"
            self.deferred = KsqlParseError(
                f"Failed to prepare statement: {detail}", start.line, start.column + 1, self.statement_text()
            )
        return 0

    def decimal_parameter(self, what: str) -> int:
        """`DECIMAL '(' number ',' number ')'`: any number parses; ParserUtil.processIntegerNumber refuses
        one that is not an integer literal while AstBuilder builds the type (see `deferred`)."""
        start = self.tok
        sign = self.accept_op("-")
        if self.tok.kind not in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
            self.fail_expecting("{'-', INTEGER_VALUE, DECIMAL_VALUE, FLOATING_POINT_VALUE}")
        lit = self.number(sign)
        if isinstance(lit, ast.IntegerLiteral):
            return lit.value
        if self.deferred is None:
            self.deferred = KsqlParseError(
                f"Failed to prepare statement: Value must be integer for command: DECIMAL({what})",
                start.line,
                start.column + 1,
                self.statement_text(),
            )
        return 0

    def integer(self) -> int:
        tok = self.tok
        if tok.kind is not Kind.INTEGER:
            self.fail_expecting("{'-', INTEGER_VALUE, DECIMAL_VALUE, FLOATING_POINT_VALUE}")
        self.advance()
        return int(tok.text)

    # ----------------------------------------------------------------------------------------- types

    def type(self) -> ast.Type:
        tok = self.tok
        result = self.base_type()
        # `T ARRAY` is an old spelling of ARRAY<T>.
        while self.at_keyword("ARRAY"):  # (nothing else may follow a type: ANTLR's loop always takes it)
            self.advance()
            result = self.node(ast.ArrayType, tok, result)
        return result

    def base_type(self) -> ast.Type:
        tok = self.tok
        word = tok.value if tok.kind is Kind.IDENT else ""
        if word in ("ARRAY", "MAP", "STRUCT") and not self.peek().is_op("<", "<>"):
            word = ""  # non-reserved words: without `<` a type name like any other (SqlBase.g4's type)
        if word in ("ARRAY", "MAP") and self.peek().is_op("<>"):
            word = ""  # `<>` is one NEQ token, not the '<' of ARRAY<T> (STRUCT<> is kept: SqlTypeParser)
        if word == "ARRAY":
            self.advance()
            self.expect_op("<")
            element = self.type()
            self.expect_op(">")
            return self.node(ast.ArrayType, tok, element)
        if word == "MAP":
            self.advance()
            self.expect_op("<")
            key = self.type()
            # a type name may follow the ',' (ARRAY too, but `STRING ARRAY` is the old array spelling)
            self.expect_op(",", follow=lambda t: self.is_identifier(t) and not t.is_keyword("ARRAY"))
            value = self.type()
            self.expect_op(">")
            return self.node(ast.MapType, tok, key, value)
        if word == "STRUCT":
            self.advance()
            fields: list[ast.StructField] = []
            if not self.accept_op("<>"):
                self.expect_op("<")
                while not self.at_op(">"):
                    if fields and not self.at_op(","):
                        self.list_end(">", len(fields) > 1)
                    if fields:
                        self.expect_op(",")
                    field_tok = self.tok
                    name = self.name()
                    fields.append(self.node(ast.StructField, field_tok, name, self.type()))
                self.expect_op(">")
            return self.node(ast.StructType, tok, tuple(fields))
        if word == "DECIMAL":
            self.advance()
            self.expect_op("(")
            precision = self.decimal_parameter("PRECISION")
            self.expect_op(",", follow=lambda t: t.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT) or t.is_op("-"))
            scale = self.decimal_parameter("SCALE")
            # what may follow a column's type (`DECIMAL(6,4 KEY` is missing its ')')
            self.expect_op(")", follow=lambda t: t.is_keyword("KEY", "PRIMARY", "HEADER", "HEADERS", "ARRAY"))
            return self.node(ast.DecimalType, tok, precision, scale)
        if tok.kind is Kind.IDENT and word in RESERVED:
            # ANTLR: "mismatched input 'NULL' expecting {<every type>}", a list too long for
            # SyntaxErrorValidator.getExpectations to show, so the detail is empty
            self.syntax_error(tok, "")
        name = self.identifier()
        if self.accept_op("("):  # e.g. VARCHAR(10): ksqlDB accepts and ignores type parameters
            self.integer()
            while self.accept_op(","):
                self.integer()
            self.expect_op(")")
        canonical = _PRIMITIVE_TYPES.get(name) if tok.kind is Kind.IDENT else None
        if canonical is not None:
            return self.node(ast.PrimitiveType, tok, canonical)
        return self.node(ast.CustomType, tok, name)


_WINDOW_KINDS_AND_KEYWORDS = frozenset({"TUMBLING", "HOPPING", "SESSION"})
# JDK 17's ClassCastException message (SharedRuntime::generate_class_cast_message) for two of ksqlDB's
# expression classes, both loaded by the application class loader as ksql-run-class starts the server
_TREE = "io.confluent.ksql.execution.expression.tree."
_CLASS_CAST = (
    f"class {_TREE}{{src}} cannot be cast to class {_TREE}{{dst}} "
    f"({_TREE}{{src}} and {_TREE}{{dst}} are in unnamed module of loader 'app')"
)


def _big_decimal_error(text: str) -> str:
    """The message of JDK 17's NumberFormatException from `new BigDecimal(text)` for a text Python's
    Decimal refuses too (the first character that is no digit, point, sign or exponent mark)."""
    if not text:
        return "Index 0 out of bounds for length 0"
    bad = next((c for c in text if not (c.isdigit() or c in ".eE+-")), text[0])
    return f'Character {bad} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.'


def _lower_case_keyword(text: str) -> bool:
    return text == text.lower() and text not in ("concat", "substring", "replace")


def _quote_all(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else "{" + ", ".join(quoted) + "}"


# keywords that may follow any value expression (a predicate's or a boolean operator's)
_AFTER_VALUE = ("AND", "OR", "IS", "BETWEEN", "IN", "LIKE", "NOT")
_DESCRIBED = ("an expression", "an identifier", "the rest of the statement")  # ANTLR's sets: large
# tokens a value (identifier, literal, expression) may follow; a value where one is expected is taken as
# the token left out ("missing '(' at '1'")
_BEFORE_VALUES = frozenset({"'('", "'='", "':='", "'BY'", "'JOIN'", "'ON'", "'AS'", "'THEN'", "'ELSE'", "'AND'"})
# closing symbols: another symbol where one is expected is taken as the one left out
_BEFORE_SYMBOLS = frozenset({"')'", "']'", "'>'"})


def _validated(detail: str, tok: Token) -> str:
    """ksqlDB's rewording of ANTLR's messages (SyntaxErrorValidator): a reserved keyword dropped as
    extraneous input gets the escaping hint; an "expecting" list is shown only when short (3 or fewer),
    and one reached at the end of the input says a bracket is missing."""
    m = re.fullmatch(r"(mismatched|extraneous) input (.*) expecting (.*)", detail, re.S)
    if m is None:
        return detail
    kind, expected = m.group(1), m.group(3)
    if kind == "extraneous" and tok.kind is Kind.IDENT and tok.value in RESERVED:
        return (
            f'"{tok.text}" is a reserved keyword and it can\'t be used as an identifier. '
            f"You can use it as an identifier by escaping it as '{tok.text}' "
        )
    if "EOF" in detail:
        return "Syntax error at or near \";\"\n'}', ']', or ')' is missing"
    if expected in _DESCRIBED or len(expected.split(",")) > 3:
        return ""
    return f"Expecting {expected}"


def _continues_identifier(tok: Token) -> bool:
    """Whether `tok` may follow an identifier inside an expression or argument list."""
    return tok.kind is Kind.STRING or tok.is_op(
        ",", ")", "(", ".", "[", "->", "+", "-", "*", "/", "%", "||", "=", "<>", "!=", "<", "<=", ">", ">="
    ) or tok.is_keyword("AND", "OR", "IS", "NOT", "BETWEEN", "IN", "LIKE", "AT")


# ANTLR's expected set after a statement whose optional EXTENDED is left out
_OPTIONAL_EXTENDED = "{';', 'EXTENDED'}"

# words only a booleanExpression / predicate has (not a valueExpression)
_PREDICATE_WORDS = ("IS", "NOT", "BETWEEN", "IN", "LIKE", "AND", "OR")
# words no expression contains: a prediction reading an expression stops at them
_CLAUSE_WORDS = ("FROM", "WHERE", "GROUP", "PARTITION", "HAVING", "WINDOW", "EMIT", "LIMIT", "SELECT", "JOIN", "ON")

# statements ANTLR tells apart only by the words after the first
_ALTERNATIVES_AHEAD = frozenset({"SHOW", "LIST", "DESCRIBE", "TERMINATE", "DROP", "CREATE"})
_COMMANDS = (
    "SELECT", "CREATE", "INSERT", "DESCRIBE", "PRINT", "EXPLAIN", "SHOW", "LIST", "TERMINATE", "PAUSE",
    "RESUME", "DROP", "SET", "DEFINE", "UNDEFINE", "UNSET", "ASSERT", "ALTER",
)  # fmt: skip


def _most_similar(word: str) -> str:
    """The statement keyword nearest `word` by Levenshtein distance (the first of equals), as ksqlDB
    suggests it for an unknown statement."""
    target = word.upper()

    def distance(a: str, b: str) -> int:
        row = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            prev, row[0] = row[0], i
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        return row[-1]

    return min(_COMMANDS, key=lambda c: distance(c, target))
