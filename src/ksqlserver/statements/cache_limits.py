"""ksqlDB's KafkaStreamsQueryValidator.validateQuery, which EngineExecutor runs before every push query, stream
pull query and persistent query: the new query's `cache.max.bytes.buffering` plus that of every running
persistent query may not exceed the server's `ksql.query.persistent.max.bytes.buffering.total` (-1: no
limit). The limit is read without the request's overrides (SessionConfig.getConfig(false)); 0.29 never calls
validateTransientQuery, so `ksql.query.transient.max.bytes.buffering.total` limits nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ksqlserver.catalog.properties import Properties
from ksqlserver.errors import KsqlStatementError
from ksqlserver.statements.state import EngineState, Session

LIMIT = "ksql.query.persistent.max.bytes.buffering.total"
CACHE = "ksql.streams.cache.max.bytes.buffering"


def check_cache_usage(state: EngineState, session: Session, text: str) -> None:
    limit = int(Properties(session.props.server).get(LIMIT, "-1").strip() or -1)
    if limit < 0:
        return
    configured = _cache(session.props.server, session.props.overrides)
    running = [*state.persistent.values(), *state.source_tables.values()]
    used = sum(_cache(session.props.server, getattr(q, "overridden", {}) or {}) for q in running)
    if configured + used > limit:
        raise KsqlStatementError(
            f"Configured cache usage (cache.max.bytes.buffering={configured}) would put usage over the "
            f"configured limit ({limit}). Current usage is {used}",
            text,
        )


def _cache(server: Mapping[str, str], overrides: Mapping[str, Any]) -> int:
    """StreamsConfig.getLong(cache.max.bytes.buffering) of a query's streams properties."""
    return int(str(Properties(server, overrides).get(CACHE, "10485760")).strip())
