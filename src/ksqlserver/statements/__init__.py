"""Statements: one handler per statement type, each returning its /ksql entity (or None).

`HANDLERS` is the dispatch table; `Executor` runs a parsed statement under the engine's lock. The handlers
live by concern: `ddl` (CREATE STREAM/TABLE, DROP, SET/UNSET), `queries` (CSAS/CTAS, INSERT INTO ...
SELECT, and `start()`, the one path of every query), `transient` (push and pull queries), `inserts`
(INSERT ... VALUES, /inserts-stream rows), `show` (SHOW, DESCRIBE, TERMINATE), `explain` (EXPLAIN), `connectors` (the connector statements, through Kafka
Connect's REST API); `entities` shapes
the responses, `state` holds what they change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ksqlserver.analyze.sanitize import check_lambdas
from ksqlserver.analyze.scope import check_qualifiers
from ksqlserver.catalog.metastore import unknown_source_message
from ksqlserver.errors import KsqlStatementError
from ksqlserver.runtime.pull import PullResult
from ksqlserver.runtime.query import TransientQuery
from ksqlserver.sql import ast
from ksqlserver.statements import (
    alter,
    asserts,
    connectors,
    ddl,
    explain,
    inserts,
    queries,
    show,
    transient,
    types,
)
from ksqlserver.statements.print import PrintTopic, start_print
from ksqlserver.statements.state import EngineState, Session

Handler = Callable[[EngineState, Any, Session], dict[str, Any] | None]

HANDLERS: dict[type[ast.Statement], Handler] = {
    ast.CreateSource: ddl.create_source,
    ast.CreateAsSelect: queries.create_as_select,
    ast.InsertInto: queries.insert_into,
    ast.InsertValues: inserts.insert_values,
    ast.Show: show.show,
    ast.DescribeSource: show.describe,
    ast.DescribeSources: show.describe_all,
    ast.DescribeFunction: show.describe_function,
    ast.Explain: explain.explain,
    ast.Terminate: show.terminate,
    ast.PauseResume: show.pause_resume,
    ast.AssertTopic: asserts.assert_topic,
    ast.AssertSchema: asserts.assert_schema,
    ast.DropSource: ddl.drop,
    ast.SetProperty: ddl.set_property,
    ast.UnsetProperty: ddl.unset_property,
    ast.DefineVariable: ddl.define_variable,
    ast.UndefineVariable: ddl.undefine_variable,
    ast.CreateType: types.create_type,
    ast.DropType: types.drop_type,
    ast.AlterSource: alter.alter_source,
    ast.AlterSystem: ddl.alter_system,
    ast.CreateConnector: connectors.create_connector,
    ast.DropConnector: connectors.drop_connector,
    ast.DescribeConnector: connectors.describe_connector,
    ast.Query: transient.query_on_ksql,
    ast.PrintTopic: transient.query_on_ksql,
}


def talks_to_connect(stmt: ast.Statement) -> bool:
    """Connector statements: HTTP to the Connect worker, run beside the others (not under the engine lock)."""
    if isinstance(stmt, ast.Show):
        return stmt.what in ("CONNECTORS", "CONNECTOR PLUGINS")
    return isinstance(stmt, ast.CreateConnector | ast.DropConnector | ast.DescribeConnector)


class Executor:
    """Runs parsed statements against the engine state."""

    def __init__(self, state: EngineState) -> None:
        self.state = state
        self.handlers = dict(HANDLERS)

    def run(self, stmt: ast.Statement, session: Session) -> dict[str, Any] | None:
        handler = self.handlers.get(type(stmt))
        if handler is None:
            raise KsqlStatementError(
                f"Statement type {type(stmt).__name__} is not supported by this server", stmt.text
            )
        if talks_to_connect(stmt):  # HTTP to the Connect worker: not under the engine lock
            return handler(self.state, stmt, session)
        with self.state.lock:
            if self.state.metastore.types:  # registered type names stand for their types
                stmt = types.resolve(stmt, self.state.metastore.types)
            self.prepare(stmt, session)
            return handler(self.state, stmt, session)

    def prepare(self, stmt: ast.Statement, session: Session) -> None:
        """What EngineContext.prepare checks of a statement's query (AstSanitizer) before anything else looks
        at it: DataSourceExtractor's sources (FROM, then each JOIN: the first unknown one fails), then the
        lambda rules, with the engine's own ksql.lambdas.enabled (not a request's)."""
        if isinstance(stmt, ast.CreateAsSelect | ast.InsertInto):
            q = stmt.query
        elif isinstance(stmt, ast.Query):
            q = stmt
        else:
            return
        enabled = str(session.props.server.get("ksql.lambdas.enabled", "true")).strip().lower() == "true"
        try:
            check_qualifiers(q)  # AstBuilder's, while the statement is built: before AstSanitizer
            for src in (q.from_, *(j.source for j in q.joins)):
                if self.state.metastore.get(src.name) is None:
                    raise KsqlStatementError(unknown_source_message(self.state.metastore, src.name))
            check_lambdas(q, self.state.metastore, enabled)
        except KsqlStatementError as e:
            e.statement_text = e.statement_text or stmt.text
            raise

    def start_transient(self, st: ast.Query, session: Session) -> TransientQuery | PullResult:
        """A SELECT for /query and /query-stream (a push query, or a pull query answered at once), which the
        engine has prepared (`prepare`) before it looked at the statement's type, as QueryEndpoint does."""
        if self.state.metastore.types:
            st = types.resolve(st, self.state.metastore.types)
        return transient.start_transient(self.state, st, session)

    def start_print(self, st: ast.PrintTopic, session: Session, exact: bool = False) -> PrintTopic:
        """A PRINT for /query and /query-stream."""
        return start_print(self.state, st, session, exact)

    def insert_target(self, target: str) -> None:
        inserts.insert_target(self.state, target)

    def insert_json_row(self, target: str, row: Mapping[str, Any]) -> None:
        """One /inserts-stream row (JSON object, names case-insensitive)."""
        inserts.insert_json_row(self.state, target, row)

    def insert_api_row(self, target: str, row: Mapping[str, Any]) -> None:
        """One /inserts-stream row as ksqlDB's API reads it (strict types, keys required, no ROWTIME)."""
        inserts.insert_api_row(self.state, target, row)


__all__ = ["HANDLERS", "EngineState", "Executor", "Handler", "Session", "talks_to_connect"]
