"""Headless mode (`--queries-file` / `ksql.queries.file`), as ksqlDB 0.29's StandaloneExecutor runs it: the
server runs a predefined SQL file and serves no REST API. Only SET, UNSET, CREATE STREAM / TABLE (with a
schema, or one a registry format can infer), CREATE TYPE and the persistent queries (CSAS, CTAS, INSERT
INTO) may appear, and the file must hold at least one persistent query; every statement is checked before
any runs: StandaloneExecutor.validateStatements runs the whole file on a sandbox of the engine
(ksqlserver/sandbox.py), then the file runs in order, SET / UNSET applying to the statements after them."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from ksqlserver.cluster.config_store import read_maybe_write
from ksqlserver.config import EngineConfig
from ksqlserver.errors import KsqlError, KsqlStatementError
from ksqlserver.runtime.processing_log import STREAM_AUTO_CREATE
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

QUERIES_FILE = "ksql.queries.file"
# StatementExecutor.HANDLERS: the statement kinds and the names its "Unsupported statement" message lists
# (sorted as generateSupportedMessage sorts them; "CREAETE" is ksqlDB's own spelling)
HANDLED: dict[type[ast.Statement], str] = {
    ast.SetProperty: "SET",
    ast.UnsetProperty: "UNSET",
    ast.CreateSource: "CREATE STREAM",  # CREATE TABLE too, by its kind
    ast.CreateType: "REGISTER TYPE",
    ast.CreateAsSelect: "CREAETE STREAM AS SELECT",
    ast.InsertInto: "INSERT INTO",
}
SUPPORTED = sorted(
    ["SET", "UNSET", "CREATE STREAM", "CREATE TABLE", "REGISTER TYPE", "CREAETE STREAM AS SELECT",
     "CREATE TABLE AS SELECT", "INSERT INTO"]
)  # fmt: skip
NO_QUERIES = (
    "The SQL file does not contain any persistent queries. i.e. it contains no 'INSERT INTO', "
    "'CREATE TABLE x AS SELECT' or 'CREATE STREAM x AS SELECT' style statements."
)
NO_SCHEMA = "statement does not define the schema and the supplied format does not support schema inference"
INFERRING_FORMATS = frozenset({"AVRO", "PROTOBUF", "JSON_SR"})  # DefaultSchemaInjector's registry formats


log = logging.getLogger("ksqlserver.headless")


def headless_config(config: EngineConfig) -> EngineConfig:
    """StandaloneExecutor.startAsync's engine: no command topic (the file is the source of truth); the
    processing log topic is made as configured (ProcessingLogServerUtils.maybeCreateProcessingLogTopic) but
    never its stream, which headless mode does not support."""
    props = dict(config.properties)
    if str(props.get(STREAM_AUTO_CREATE, "true")).strip().lower() != "false":
        log.warning("processing log auto-create is enabled, but this is not supported for headless mode.")
    props[STREAM_AUTO_CREATE] = "false"
    return dataclasses.replace(config, command_topic=False, properties=props)


class HeadlessError(KsqlError):
    """The queries file cannot be read or run; names the file."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def read_queries_file(path: str) -> str:
    """StandaloneExecutor.readQueriesFile."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:  # NoSuchFileException's message is the path
        raise HeadlessError(f"Could not read the query file: {path}. Details: {path}", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        details = getattr(exc, "strerror", None) or str(exc)
        raise HeadlessError(f"Could not read the query file: {path}. Details: {details}", path) from None


def _value_format(st: ast.CreateSource, defaults: dict[str, str]) -> str:
    props = {k.upper(): v for k, v in st.properties.items()}
    fmt = props.get("VALUE_FORMAT", props.get("FORMAT"))
    return str(fmt if fmt is not None else defaults.get("ksql.persistence.default.format.value", "")).upper()


def check_statement(st: ast.Statement, can_infer: bool, defaults: dict[str, str]) -> None:
    """StatementExecutor.execute's checks before a statement runs: a CREATE without columns only when its
    format's schema can be inferred (throwOnMissingSchema, after injection), then a kind StatementExecutor
    handles (else "Unsupported statement")."""
    inferred = can_infer and isinstance(st, ast.CreateSource) and _value_format(st, defaults) in INFERRING_FORMATS
    if isinstance(st, ast.CreateSource) and not st.columns and not inferred:
        raise KsqlStatementError(NO_SCHEMA, st.text)
    if not isinstance(st, tuple(HANDLED)):
        raise KsqlStatementError(
            "Unsupported statement. Only the following statements are supporting in standalone mode:\n"
            + "\n".join(SUPPORTED),
            st.text,
        )


def execute_statements(engine: Any, statements: list[ast.Statement]) -> tuple[bool, list[dict[str, Any]]]:
    """StandaloneExecutor.executeStatements over one StatementExecutor (its SET / UNSET overrides carry to
    the statements after them): each statement checked then run, in order; whether any was a persistent
    query, and the entities. handlePersistentQuery: a CSAS / CTAS / INSERT INTO that makes no query (IF NOT
    EXISTS of an existing name) is refused."""
    can_infer = engine.state.schema_registry is not None
    defaults = dict(engine.config.properties)
    session = engine.new_session()
    has_queries = False
    entities: list[dict[str, Any]] = []
    for st in statements:
        check_statement(st, can_infer, defaults)
        entity = engine.execute_statement(st, session)
        persistent = isinstance(st, (ast.CreateAsSelect, ast.InsertInto))
        if persistent and not ((entity or {}).get("commandStatus") or {}).get("queryId"):
            raise KsqlStatementError("Could not build the query", st.text)
        has_queries |= persistent
        if entity is not None:
            entities.append(entity)
    return has_queries, entities


def store_config(engine: Any) -> dict[str, str]:
    """StandaloneExecutorFactory.create: the config topic made, the first start's properties kept in it
    (cluster/config_store.py; secrets hidden as getAllConfigPropsWithSecretsObfuscated hides them)."""
    props = {k: ("[hidden]" if _secret(k) else v) for k, v in dict(engine.config.properties).items()}
    topic_props = {k: v for k, v in props.items() if k.startswith("ksql.internal.topic.")}
    return read_maybe_write(engine.driver, engine.config.service_id, props, topic_props)


def _secret(name: str) -> bool:
    lowered = name.lower()
    return "password" in lowered or lowered.endswith(".secret") or "sasl.jaas.config" in lowered


def run_queries_file(engine: Any, path: str) -> list[dict[str, Any]]:
    """StandaloneExecutor.processesQueryFile: the file is parsed, validated by running every statement on a
    sandbox of the engine (validateStatements: nothing runs on the engine if any statement is refused, or
    if the file holds no persistent query), then run in order on the engine; the entities of the
    statements run."""
    from ksqlserver.sandbox import sandbox_of  # the sandbox builds an Engine: imported when needed

    sql = read_queries_file(path)
    store_config(engine)
    statements = list(parse(sql))
    sandbox = sandbox_of(engine)
    try:
        has_queries, _ = execute_statements(sandbox, statements)
    finally:
        sandbox.close()
    if not has_queries:
        raise KsqlError(NO_QUERIES)
    return execute_statements(engine, statements)[1]
