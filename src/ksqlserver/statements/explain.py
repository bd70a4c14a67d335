"""EXPLAIN <query id> and EXPLAIN <statement>, as ksqlDB's ExplainExecutor answers them: a
`queryDescription` (QueryDescriptionFactory.forQueryMetadata) of a running query, or of a query planned
but not run (a sandbox: no topic, source, schema or query is made, no query id is taken)."""

from __future__ import annotations

import dataclasses
from typing import Any

from ksqlserver import plan
from ksqlserver.analyze import Analysis, AnalyzedQuery, analyze
from ksqlserver.analyze.aggregate_query import AggregateQuery, check_intermediate_format, check_window_store
from ksqlserver.catalog.types import KEY, Column
from ksqlserver.errors import KsqlError, KsqlStatementError
from ksqlserver.plan import topology
from ksqlserver.plan.summary import summarize
from ksqlserver.runtime.pull import check_clauses
from ksqlserver.runtime.pull_where import rewrite_timestamps
from ksqlserver.sql import ast
from ksqlserver.statements import entities
from ksqlserver.statements.queries import (
    PreparedQuery,
    partitions_of,
    prepare_create_as_select,
    prepare_insert_into,
)
from ksqlserver.statements.show import described_query, described_source_table, find_source_table
from ksqlserver.statements.state import EngineState, Session

NOT_A_QUERY = "The provided statement does not run a ksql query"


def explain(state: EngineState, st: ast.Explain, session: Session) -> dict[str, Any]:
    if st.query_id is not None:
        return _explain_query(state, st)
    try:
        description = _explain_statement(state, st, session)
    except KsqlError as e:  # ExplainExecutor.explain: any KsqlException, re-thrown naming the EXPLAIN
        raise KsqlStatementError(e.message, st.text) from None
    return entities.query_description(st.text, description)


def _explain_query(state: EngineState, st: ast.Explain) -> dict[str, Any]:
    # QueryId.equals compares ids case-insensitively (the parser upper-cases an unquoted id, while a
    # transient query's id is `transient_...`)
    wanted = (st.query_id or "").upper()
    q = next((q for k, q in [*state.persistent.items(), *state.transient.items()] if k.upper() == wanted), None)
    if q is None and (cst := find_source_table(state, st.query_id or "")) is not None:
        # ExplainExecutor.explainQuery: a source table's query is one of the engine's persistent queries
        return entities.query_description(st.text, described_source_table(state, cst))
    if q is None:
        raise KsqlStatementError(
            f"Query with id:{st.query_id} does not exist, use SHOW QUERIES to view the full set of queries.",
            st.text,
        )
    return entities.query_description(st.text, described_query(state, q))


def _explain_statement(state: EngineState, st: ast.Explain, session: Session) -> dict[str, Any]:
    """ExplainExecutor.explainStatement: a push or pull query, or a CREATE ... AS SELECT / INSERT INTO planned in a
    sandbox (without the injectors a statement sent to /ksql goes through), described with the text after
    `EXPLAIN `."""
    inner = st.statement
    text = st.text[len("EXPLAIN ") :]
    if isinstance(inner, ast.Query):
        # every query goes through sandbox.executeTransientQuery: a pull query is analysed with the pull
        # rules (QueryAnalyzer.analyze: PullQueryValidator after the Analyzer), then planned and described
        # as a push query would be
        a = _analyze_push(state, inner, session)
        if inner.is_pull:
            check_clauses(inner)
        query_id = state.new_query_id("transient", a.source.name)  # random: takes nothing from the counter
        return _description(
            query_id, text, a, plan.build(a, None), None, "PUSH", session,
            state.config.transient_application_id(query_id, session.transient_prefix), state.registry,
        )
    p: PreparedQuery
    if isinstance(inner, ast.CreateAsSelect):
        if inner.if_not_exists and state.metastore.get(inner.name) is not None:
            raise KsqlStatementError(NOT_A_QUERY)  # it would only answer "already exists"
        p = prepare_create_as_select(state, inner, session, injectors=False)
        query_id = p.query_id(state)
    elif isinstance(inner, ast.InsertInto):
        p, with_query_id = prepare_insert_into(state, inner, session)
        query_id = with_query_id or p.query_id(state)
    else:
        raise KsqlStatementError(NOT_A_QUERY)
    return _description(
        query_id, text, p.analysis, plan.build(p.analysis, p.sink), p.sink, "PERSISTENT", session,
        state.config.query_application_id(query_id, session.persistent_prefix), state.registry,
    )


def _analyze_push(state: EngineState, q: ast.Query, session: Session) -> Analysis:
    """What start_transient checks of a push query before it runs one."""
    if q.where is not None:
        q = dataclasses.replace(q, where=rewrite_timestamps(q.where))
    a = analyze(q, state.metastore, state.registry, props=session.props, partitions=partitions_of(state))
    if isinstance(a, AggregateQuery):
        check_intermediate_format(a)
        check_window_store(a)
    return a


def _description(
    query_id: str,
    text: str,
    a: Analysis,
    query_plan: Any,
    sink: Any,
    query_type: str,
    session: Session,
    group: str,
    registry: Any = None,
) -> dict[str, Any]:
    """QueryDescriptionFactory.create over a query not started: no host status (so no state), no tasks, no
    errors; the sink's window type; the result's columns."""
    join = getattr(a, "join", None)
    sources = [leaf.source.name for leaf in join.leaves] if join is not None else [a.source.name]
    summary = summarize(query_plan, query_id, registry)  # a push query's too (EngineExecutor.executeTransientQuery)
    described = summary if summary is not None else query_plan.describe()
    return {
        "id": query_id,
        "statement": text,
        "windowType": sink.window.kind if sink is not None and sink.window is not None else None,
        "fields": [entities.field_json(c) for c in _fields(a, sink)],
        "sources": sources,
        "sinks": [sink.name] if sink is not None else [],
        "plan": described,
        "topology": topology.describe(query_plan, registry),
        "overriddenProperties": dict(session.props.overrides),
        "hostStatus": {},
        "type": query_type,
        "state": None,
        "consumerGroupId": group,
    }


def _fields(a: Analysis, sink: Any) -> list[Any]:
    """QueryDescriptionFactory's fields: the sink's schema, or a push query's LogicalSchema, whose key columns
    (the source's key, or the PARTITION BY key, as `KEY`) come before the projection, which for `SELECT *`
    holds them again (observed on ksqlDB 0.29 built from source, scripts/oracle/scenarios/explain.json steps
    15-17 and EXPLAIN of `SELECT A ... WHERE` and `PARTITION BY A` push queries). Not modelled: the GROUP BY
    key of an aggregating push query (ksqlDB lists it first, as KEY) and a join's."""
    if sink is not None:
        return list(sink.schema.columns)
    columns = list(a.schema.columns)
    keys: list[Column] = []
    if isinstance(a, AnalyzedQuery) and a.join is None:
        if not a.repartition:
            keys = list(a.source.schema.key)
        elif all(t is not None for _, _, t in a.key_exprs):
            keys = [Column(name, t, KEY) for name, _, t in a.key_exprs]  # type: ignore[arg-type]
    return [*keys, *columns]
