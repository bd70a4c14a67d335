"""Test files: statements, test-only asserts and directives, in file order (ksqlDB's SqlTestReader), cut
into tests at each `--@test:` (SqlTestLoader)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.mask import masked_text
from ksqlserver.sql.parser import parse, parse_test_statements
from ksqlserver.sql.tokens import tokenize
from ksqlserver.testing.sqltests.directives import DirectiveType, TestDirective, parse_directive
from ksqlserver.testing.sqltests.errors import KsqlTestException, NullPointer, SqlTestError, TestParsingError
from ksqlserver.testing.sqltests.formatting import format_assert

ASSERTS = (ast.AssertValues, ast.AssertTombstone, ast.AssertSource)


@dataclass(frozen=True)
class TestStatement:
    """Exactly one of: a statement for the engine, an assert, a directive (ksqlDB's TestStatement)."""

    __test__ = False  # not a pytest test class

    engine: ast.Statement | None = None
    assertion: ast.Statement | None = None
    directive: TestDirective | None = None

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.engine, self.assertion, self.directive)) != 1:
            raise ValueError(
                "Expected exactly one of engine, assert or directive statement. "
                f"Got ({self.engine}, {self.assertion}, {self.directive})."
            )

    @property
    def test_name(self) -> str | None:
        d = self.directive
        return d.contents if d is not None and d.type is DirectiveType.TEST else None


@dataclass(frozen=True)
class SqlTest:
    """One test: its name, its statements and the file it came from (None for text sent to /test)."""

    __test__ = False  # not a pytest test class

    file: Path | None
    name: str | None
    statements: tuple[TestStatement, ...] = field(default_factory=tuple)


def _gap_comments(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets of the `--@` comments between two tokens (the gap holds only blanks and comments)."""
    pos = start
    while pos < end:
        if text.startswith("--", pos):
            if text.startswith("--@", pos):
                yield pos
            nl = text.find("\n", pos)
            pos = end if nl < 0 or nl >= end else nl + 1
        elif text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            pos = end if close < 0 else close + 2
        else:
            pos += 1


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _directives(text: str) -> list[tuple[int, TestDirective]]:
    """Every directive comment (the lexer's DIRECTIVES channel) with its offset."""
    try:
        tokens = tokenize(text)
    except KsqlParseError as e:
        raise TestParsingError(e.message, e.line, e.column) from None
    result = []
    prev = 0
    for tok in tokens:
        for offset in _gap_comments(text, prev, tok.start if tok.text else len(text)):
            nl = text.find("\n", offset)
            comment = text[offset:] if nl < 0 else text[offset : nl + 1]
            result.append((offset, parse_directive(comment, *_position(text, offset))))
        prev = tok.end
    return result


_ANTLR_ERROR = re.compile(r"line \d+:\d+: (?:Syntax Error\n)?", re.S)


def _parsed(text: str) -> list[tuple[int, ast.Statement]]:
    try:
        return parse_test_statements(text)
    except KsqlParseError as e:
        details = _ANTLR_ERROR.sub("", e.message, count=1)
        raise TestParsingError(details, e.line, e.column) from None


def read_statements(text: str, read_script: Callable[[str], str] | None = None) -> list[TestStatement]:
    """SqlTestReader: the test statements of `text` in order, each directive before the statement that
    follows it; RUN SCRIPT is replaced by the statements of the script (`read_script` reads a path)."""
    directives = _directives(text)
    result: list[TestStatement] = []
    for start, stmt in _parsed(text):
        while directives and directives[0][0] < start:
            result.append(TestStatement(directive=directives.pop(0)[1]))
        if isinstance(stmt, ast.RunScript):
            result.extend(TestStatement(engine=s) for s in _run_script(stmt.path, read_script))
        elif isinstance(stmt, ASSERTS):
            result.append(TestStatement(assertion=stmt))
        else:
            result.append(TestStatement(engine=stmt))
    result.extend(TestStatement(directive=d) for _, d in directives)
    return result


def _run_script(path: str, read_script: Callable[[str], str] | None) -> list[ast.Statement]:
    """SqlTestReader.handleRunScript: the script's statements, parsed with the /ksql grammar."""
    try:
        lines = (read_script or _read_file)(path).splitlines()
    except OSError:
        raise SqlTestError(f"Could not read {path}") from None
    try:
        stmts = parse("\n".join(lines))
    except KsqlParseError as e:
        raise SqlTestError("Failed to parse contents of RUN SCRIPT") from e
    if not stmts:
        raise SqlTestError(f"Empty run script: {path}")
    return stmts


def _read_file(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_tests(text: str, file: Path | None = None) -> list[SqlTest]:
    """SqlTestLoader.loadTest: the tests of one file's text, each from its `--@test:` directive (kept as
    its first statement) to the next."""
    tests: list[SqlTest] = []
    statements: list[TestStatement] | None = None
    name: str | None = None
    for st in read_statements(text):
        next_name = st.test_name
        if next_name is not None:
            if statements is not None:
                tests.append(SqlTest(file, name, tuple(statements)))
            statements, name = [], next_name
        elif statements is None:
            raise KsqlTestException(test_failure(st, "Exepcted test to start with --@test.", file))
        statements.append(st)
    if statements is None:  # nothing in the file: ksqlDB copies its null list of statements
        raise NullPointer()
    tests.append(SqlTest(file, name, tuple(statements)))
    return tests


def load_directory(path: Path) -> list[SqlTest]:
    """SqlTestLoader.load: every regular file under `path`, each loaded as a test file."""
    tests: list[SqlTest] = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        tests.extend(load_tests(file.read_text(encoding="utf-8"), file.absolute()))
    return tests


def test_failure(st: TestStatement, message: str | None, file: Path | None) -> str:
    """KsqlTestException.getMessage: the statement (as written, an assert as SqlFormatter prints it, or the
    directive), where it is, the message and, for a file, its location. ksqlDB passes its file location
    as a format argument, so its `%n\\t` stays as written."""
    shown = "null" if message is None else message

    def where(line: int) -> str:
        return "" if file is None else f"%n\t{_file_location(file, line)}"

    if st.engine is not None:
        s = st.engine
        loc = f"Line: {s.line}, Col: {s.column}" if s.line else "unknown"
        return f"Test failure for statement `{masked_text(s)}` ({loc}):\n\t{shown}\n\t{where(s.line or 1)}"
    if st.assertion is not None:
        a = st.assertion
        loc = f"Line: {a.line}, Col: {a.column}" if a.line else "unknown"
        return f"Test failure for assert `{format_assert(a)}` ({loc}):\n\t{shown}\n\t{where(a.line or 1)}"
    assert st.directive is not None
    d = st.directive
    return f"Test failure during directive evaluation `{d}` ({d.location}):\n\t{shown}{where(d.line)}"


def _file_location(file: Path, line: int) -> str:
    """LocationWithinFile.toString."""
    return f"file://{file}:{line}"
