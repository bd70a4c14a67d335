"""Errors of the SQL testing tool, each carrying the Java class name ksqlDB's tool would throw (the
`--@expected.error` directive names one) and the offending input."""

from __future__ import annotations

from dataclasses import dataclass

# the Java classes an `--@expected.error` can name, each with its superclasses (Class.isInstance)
_THROWABLE = ("java.lang.Throwable",)
_EXCEPTION = ("java.lang.Exception", *_THROWABLE)
_RUNTIME = ("java.lang.RuntimeException", *_EXCEPTION)
_KSQL = ("io.confluent.ksql.util.KsqlException", *_RUNTIME)
_STATEMENT = ("io.confluent.ksql.util.KsqlStatementException", *_KSQL)
HIERARCHY: dict[str, tuple[str, ...]] = {
    "java.lang.Throwable": _THROWABLE,
    "java.lang.Exception": _EXCEPTION,
    "java.lang.RuntimeException": _RUNTIME,
    "java.lang.Error": ("java.lang.Error", *_THROWABLE),
    "java.lang.AssertionError": ("java.lang.AssertionError", "java.lang.Error", *_THROWABLE),
    "java.lang.IllegalArgumentException": ("java.lang.IllegalArgumentException", *_RUNTIME),
    "java.lang.IllegalStateException": ("java.lang.IllegalStateException", *_RUNTIME),
    "java.lang.NullPointerException": ("java.lang.NullPointerException", *_RUNTIME),
    "io.confluent.ksql.util.KsqlException": _KSQL,
    "io.confluent.ksql.util.KsqlStatementException": _STATEMENT,
    "io.confluent.ksql.parser.exception.ParseFailedException": (
        "io.confluent.ksql.parser.exception.ParseFailedException", *_STATEMENT
    ),
    "io.confluent.ksql.parser.ParsingException": ("io.confluent.ksql.parser.ParsingException", *_RUNTIME),
    "io.confluent.ksql.tools.test.KsqlTestException": ("io.confluent.ksql.tools.test.KsqlTestException", *_KSQL),
}


class SqlTestError(Exception):
    """Base class. `message` is Java's getMessage() (None stands for Java's null); `java_class` the class
    ksqlDB's tool throws."""

    __test__ = False  # not a pytest test class
    java_class = "io.confluent.ksql.util.KsqlException"

    def __init__(self, message: str | None) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return "null" if self.message is None else self.message


class TestAssertionError(SqlTestError):
    """A record that does not match (AssertExecutor's java.lang.AssertionError)."""

    java_class = "java.lang.AssertionError"


class TestParsingError(SqlTestError):
    """A test file that does not parse (SqlTestReader's ParsingException: "line L:C: Syntax error at line
    L:C"); `details` is its unlogged details, `line`/`column` where it is (column 1-based)."""

    java_class = "io.confluent.ksql.parser.ParsingException"

    def __init__(self, details: str, line: int, column: int) -> None:
        super().__init__(f"line {line}:{column}: Syntax error at line {line}:{column}")
        self.details = f"line {line}:{column}: {details}"
        self.line = line
        self.column = column


class KsqlTestException(SqlTestError):
    """A failed test, its message naming the statement and where it is (KsqlTestException)."""

    java_class = "io.confluent.ksql.tools.test.KsqlTestException"


class NullPointer(SqlTestError):
    """Where ksqlDB's tool dereferences a null (a directive left out): Java's NullPointerException,
    whose message is null."""

    java_class = "java.lang.NullPointerException"

    def __init__(self) -> None:
        super().__init__(None)


@dataclass(frozen=True)
class JavaError:
    """Any error met running a test, seen as the Java throwable ksqlDB's tool would have met."""

    java_class: str
    message: str | None

    def __str__(self) -> str:
        """Throwable.toString."""
        return self.java_class if self.message is None else f"{self.java_class}: {self.message}"

    def is_instance(self, java_class: str) -> bool:
        return java_class in HIERARCHY.get(self.java_class, (self.java_class,))
