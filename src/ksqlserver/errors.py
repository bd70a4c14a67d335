"""The root of every error the engine raises; the server maps each subclass to ksqlDB's error entity.

Every subclass carries the offending input (statement text, line/column, raw record) so the error entity
and the processing log can name it.
"""

from __future__ import annotations

import re
from typing import Any


class KsqlError(Exception):
    """Base class; `error_code` is ksqlDB's (40001 bad statement, 40002 bad query, 50000 server error)."""

    error_code: int = 50000

    def __init__(self, message: str, statement_text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.statement_text = statement_text

    # ksqlDB's detailed ("unlogged") message where it differs from `message`: KsqlStatementException appends
    # "\nStatement: <text>" to it, and its test harness matches that text; the REST API returns `message`
    unlogged: str | None = None

    # KsqlStatementException.getMessage where it differs from `message` (which is what the REST API shows, the
    # exception's raw unlogged details): ksqlDB's test harness matches either text (UnloggedMessageMatcher)
    logged: str | None = None

    # StreamedQueryResource.parseStatement's answer to an error met parsing a /query request (Errors.badStatement
    # over the exception: ErrorMessageUtil.buildErrorMessage of its cause chain); None: not a parse-stage error
    resource_message: str | None = None
    # the statement KsqlStatementException.buildMessage last named (its getSqlStatement()), None: none
    unlogged_statement: str | None = None

    @property
    def logged_message(self) -> str:
        """Throwable.getMessage of ksqlDB's exception."""
        return self.message if self.logged is None else self.logged

    @property
    def unlogged_message(self) -> str:
        """KsqlStatementException.getUnloggedMessage."""
        return self.message if self.unlogged is None else self.unlogged

    def append_statement(self, text: str, details: str | None = None) -> KsqlError:
        """KsqlStatementException.buildMessage: `details` (else the unlogged message so far), then the statement
        the error is about."""
        self.unlogged = f"{self.unlogged_message if details is None else details}\nStatement: {text}"
        self.unlogged_statement = text
        return self

    def to_entity(self) -> dict[str, Any]:
        """ksqlDB's error entity as the REST API returns it."""
        return {
            "@type": "statement_error" if self.statement_text else "generic_error",
            "error_code": self.error_code,
            "message": self.message,
            "statementText": self.statement_text,
            "entities": [],
        }


class KsqlParseError(KsqlError):
    """A statement that does not parse; `message` is ksqlDB's text ("line 1:8: Syntax Error\\n...").

    `line`/`column` are 1-based and relative to the whole request text; `statement_text` is the statement
    being parsed (from its first token to its `;` or the end of the input).
    """

    error_code = 40001

    def __init__(self, message: str, line: int, column: int, statement_text: str = "") -> None:
        super().__init__(message, statement_text)
        self.line = line
        self.column = column
        where = f"line {line}:{column}: "
        # the ParsingException behind it (None: AstBuilder's other exceptions, their message alone):
        # getMessage() only locates the error, the text is its unlogged details
        self.cause: str | None = None
        if message.startswith(where):  # SyntaxErrorValidator's, caught by DefaultKsqlParser.parse
            self.cause = self.logged = f"{where}Syntax error at line {line}:{column}"
        elif m := _PREPARE_AT.match(message):  # AstBuilder's, caught by DefaultKsqlParser.prepare
            self.cause = f"{m.group(1)}Syntax error at line {m.group(2)}"
            self.logged = f"{_PREPARE}{self.cause}"

    @property
    def is_syntax_error(self) -> bool:
        """A SyntaxErrorValidator error (not one of AstBuilder's: "Failed to prepare statement: ...")."""
        return self.cause is not None and not self.message.startswith(_PREPARE)


_PREPARE = "Failed to prepare statement: "
_PREPARE_AT = re.compile(re.escape(_PREPARE) + r"(line (\d+:\d+): )")


# ---- statements the engine rejects ----------------------------------------------------------------------


class KsqlStatementError(KsqlError):
    """A statement that parses but is rejected by analysis, DDL or planning (ksqlDB's 40001)."""

    error_code = 40001


class CompileError(KsqlStatementError):
    """An expression that does not type-check; carries the expression text. `codegen` marks the errors
    ksqlDB reports from its code generator ("Invalid Select: ..."), after the expression typed."""

    def __init__(self, message: str, expression: str = "", codegen: bool = False) -> None:
        super().__init__(message)
        self.expression = expression
        self.codegen = codegen
        # (expression node, its type) when the error is a non-boolean operand of a logical operator
        self.non_boolean: tuple[Any, Any] | None = None


class KsqlTypeError(KsqlStatementError):
    """A type that does not exist or does not fit; carries the offending type text."""

    def __init__(self, message: str, type_text: str = "", statement_text: str = "") -> None:
        super().__init__(message, statement_text)
        self.type_text = type_text


class FormatError(KsqlStatementError):
    """A format, format property or type a format cannot hold."""


class SchemaNotSupportedError(FormatError):
    """Columns a format cannot hold, found where ksqlDB builds a serde (its SchemaNotSupportedException): for
    a CREATE ... AS SELECT that is while the query is built, which names the statement."""


class SerdeError(KsqlError):
    """A record that cannot be (de)serialised; keeps the raw bytes and topic for the processing log.

    `headline`: the processing log's error message where the format's deserializer words it apart from
    its cause (`{topic}` filled in; e.g. DELIMITED's "Error deserializing delimited"), this error's message
    then being the cause; None: "Failed to deserialize value from topic: t. <message>"."""

    def __init__(
        self, message: str, raw: bytes | None = None, topic: str = "", headline: str | None = None
    ) -> None:
        super().__init__(message)
        self.raw = raw
        self.topic = topic
        self.headline = headline


def deserialization_message(e: SerdeError, target: str, topic: str) -> str:
    """The processing log's message for a record whose key or value (`target`) could not be read."""
    if e.headline is not None:
        return e.headline.replace("{topic}", topic)
    return f"Failed to deserialize {target} from topic: {topic}. {e.message}"


class SchemaRegistryError(KsqlError):
    """A Schema Registry request that failed: `status` is the HTTP status (0: no answer), `error_code` the
    registry's own code (40401 subject not found, 40403 schema not found, 409 incompatible, ...), and
    `subject`/`schema_id` name what was asked for."""

    def __init__(
        self,
        message: str,
        status: int = 0,
        registry_code: int = 0,
        subject: str | None = None,
        schema_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.registry_code = registry_code
        self.subject = subject
        self.schema_id = schema_id

    @property
    def not_found(self) -> bool:
        return self.status in (401, 403, 404)


class SchemaRegistryNotConfiguredError(KsqlError):
    """ksqlDB's KsqlSchemaRegistryNotConfiguredException, or an error it caused: the REST API answers it
    with HTTP 428 and error code 42801, a plain error message (Errors.generateResponse,
    schemaRegistryNotConfiguredResponse)."""

    error_code = 42801

    def to_entity(self) -> dict[str, Any]:
        return {"@type": "generic_error", "error_code": self.error_code, "message": self.message}


class SchemaAuthorizationError(KsqlError):
    """ksqlDB's KsqlSchemaAuthorizationException: the registry denied an operation on a subject (not a
    KsqlException, so no injector re-words it); carries the subject."""

    def __init__(self, operation: str, subject: str) -> None:
        super().__init__(f"Authorization denied to {operation} on Schema Registry subject: [{subject}]")
        self.subject = subject


class SchemaRegistryUnavailableError(SchemaRegistryError):
    """The registry did not answer (down, unreachable, timed out) or answered 5xx. Not a bad record: a
    query that meets it fails its batch and retries from its committed offsets, so nothing is skipped."""


class EvaluationError(KsqlError):
    """An expression that fails on one record (division by zero is null in ksqlDB; this is the rest)."""

    def __init__(self, message: str, expression: str = "") -> None:
        super().__init__(message)
        self.expression = expression


class KsqlFunctionError(KsqlStatementError):
    """An unknown function or a call no signature of it accepts; carries the function name."""

    def __init__(self, message: str, function: str = "", statement_text: str = "") -> None:
        super().__init__(message, statement_text)
        self.function = function


class KsqlInternalError(KsqlError):
    """An unexpected failure inside the engine while running a statement; keeps the original exception."""

    error_code = 50000

    def __init__(self, message: str, statement_text: str = "", cause: BaseException | None = None) -> None:
        super().__init__(message, statement_text)
        self.cause = cause


class UnwrappedStatementError(KsqlInternalError):
    """A statement's error that reaches the REST layer as a plain KsqlException, not wrapped in a
    KsqlStatementException: what planning a pull query on a stream throws (KsqlEngine.createStreamPullQuery ->
    EngineExecutor.executeStreamPullQuery plans and builds the query with no catch, where executeTransientQuery
    and executeTablePullQuery wrap). QueryStreamHandler (/query-stream, and /query migrated to it) answers it
    with ServerUtils.handleEndpointException's internal error (500, the message hidden);
    StreamedQueryResource with Errors.badRequest (40000, the message). `error`: the error as a wrapped one
    would have read."""

    def __init__(self, error: KsqlError) -> None:
        super().__init__(error.message, error.statement_text, error)
        self.error = error


class FailedLineError(KsqlInternalError):
    """DefaultKsqlParser.parse's failedLine lookup failing: a syntax error on a line past the request's last
    non-empty one (its EOF after trailing line breaks: a missing final `;`) makes
    `sql.split(System.lineSeparator())[line - 1]` throw an ArrayIndexOutOfBoundsException that none of its
    catch blocks handles, so every endpoint answers it as an unexpected exception (/ksql: KsqlResource's
    Errors.serverErrorForStatement; /query: OldApiUtils.mapException; /query-stream:
    ServerUtils.handleEndpointException's internal error)."""

    def __init__(self, index: int, length: int, statement_text: str, error: KsqlParseError) -> None:
        super().__init__(f"Index {index} out of bounds for length {length}", statement_text)
        self.syntax_error = error


class KsqlBadRequestError(KsqlError):
    """A request ksqlDB refuses before running it (its 40000 `generic_error`, no statement text), e.g. a
    source on a topic that does not exist."""

    error_code = 40000

    def to_entity(self) -> dict[str, Any]:
        return {"@type": "generic_error", "error_code": self.error_code, "message": self.message}


class TopicExistsError(KsqlBadRequestError):
    """ksqlDB's KafkaTopicExistsException: a topic a statement would create exists with another partition
    count, fewer replicas or another retention; carries the topic name."""

    def __init__(self, message: str, topic: str) -> None:
        super().__init__(message)
        self.topic = topic


class KsqlAssertionError(KsqlBadRequestError):
    """An ASSERT TOPIC / ASSERT SCHEMA that still failed at its timeout: ksqlDB's 417 Expectation Failed
    (error code 41700, no statement text)."""

    error_code = 41700


class KsqlQueryEndpointError(KsqlStatementError):
    """A SELECT or PRINT sent to /ksql: ksqlDB's 40002, naming the endpoint to use."""

    error_code = 40002


def error_chain_message(messages: list[str]) -> str:
    """ErrorMessageUtil.buildErrorMessage over the messages of an exception and its causes: duplicates and
    causes the first message already contains dropped, each other cause on its own line as "Caused by: ...",
    wrapped as commons-text's WordUtils.wrap(line, 80, "\n\t", true) does."""
    deduped = list(dict.fromkeys(messages))
    if not deduped:
        return ""
    first = deduped[0]
    rest = [m for m in deduped[1:] if m not in first]
    causes = [_word_wrap("Caused by: " + m, 80, "\n\t") for m in rest if m]
    return "\n".join([first, *causes])


def _word_wrap(text: str, width: int, newline: str) -> str:
    """WordUtils.wrap(text, width, newline, wrapLongWords=true) on spaces."""
    out: list[str] = []
    offset, n = 0, len(text)
    while offset < n:
        window = text[offset : min(offset + width + 1, n)]
        if window.startswith(" "):  # a line does not start with the space it was wrapped at
            offset += 1
            continue
        if n - offset <= width:
            break
        space = window.rfind(" ")
        if space > 0:
            out += [text[offset : offset + space], newline]
            offset += space + 1
        else:  # a word longer than a line is cut
            out += [text[offset : offset + width], newline]
            offset += width
    out.append(text[offset:])
    return "".join(out)
