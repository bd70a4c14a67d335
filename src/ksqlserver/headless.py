"""Headless mode (`--queries-file` / `ksql.queries.file`), as ksqlDB 0.29's StandaloneExecutor runs it: the
server runs a predefined SQL file and serves no REST API. Only SET, UNSET, CREATE STREAM / TABLE (with a
schema, or one a registry format can infer), CREATE TYPE and the persistent queries (CSAS, CTAS, INSERT
INTO) may appear, and the file must hold at least one persistent query; every statement is checked before
any runs (StandaloneExecutor.validateStatements), then the file runs in order, SET / UNSET applying to the
statements after them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ksqlserver.cluster.config_store import read_maybe_write
from ksqlserver.errors import KsqlError, KsqlStatementError
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


def check_statements(statements: list[ast.Statement], can_infer: bool, defaults: dict[str, str]) -> None:
    """StandaloneExecutor.validateStatements, what can be known before anything runs: each statement a
    kind StatementExecutor handles (else "Unsupported statement"), a CREATE without columns only when its
    format's schema can be inferred (throwOnMissingSchema), and at least one persistent query."""
    has_queries = False
    for st in statements:
        if not isinstance(st, tuple(HANDLED)):
            raise KsqlStatementError(
                "Unsupported statement. Only the following statements are supporting in standalone mode:\n"
                + "\n".join(SUPPORTED),
                st.text,
            )
        inferred = can_infer and isinstance(st, ast.CreateSource) and _value_format(st, defaults) in INFERRING_FORMATS
        if isinstance(st, ast.CreateSource) and not st.columns and not inferred:
            raise KsqlStatementError(NO_SCHEMA, st.text)
        has_queries |= isinstance(st, (ast.CreateAsSelect, ast.InsertInto))
    if not has_queries:
        raise KsqlError(NO_QUERIES)


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
    """Checks the file's statements, then runs them in order (one request: SET / UNSET carry over);
    the entities of the statements run."""
    sql = read_queries_file(path)
    store_config(engine)
    statements = list(parse(sql))
    registry = getattr(engine.state, "schema_registry", None)
    check_statements(statements, registry is not None, dict(engine.config.properties))
    entities: list[dict[str, Any]] = engine.execute(sql)
    return entities
