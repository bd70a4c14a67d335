"""ksqlDB 0.29's DeprecatedStatementsChecker: the warning a CREATE ... AS SELECT gets when it joins streams
without a GRACE PERIOD (DistributingExecutor adds it to the command's CommandStatusEntity warnings)."""

from __future__ import annotations

from ksqlserver.catalog.metastore import MetaStore
from ksqlserver.sql import ast

STREAM_STREAM_JOIN_WITH_NO_GRACE = (
    "DEPRECATION NOTICE: Stream-stream joins statements without a GRACE PERIOD "
    "will not be accepted in a future ksqlDB version.\n"
    "Please use the GRACE PERIOD clause as specified in "
    "https://docs.ksqldb.io/en/latest/developer-guide/ksqldb-reference/select-push-query/"
)


def _is_stream(metastore: MetaStore, name: str) -> bool:
    source = metastore.get(name)
    return source is not None and source.kind == "STREAM"


def deprecation_warnings(metastore: MetaStore, query: ast.Query) -> list[dict[str, str]]:
    """DeprecatedStatementsChecker.isStreamStreamJoinWithoutGraceQuery: the left source is a stream and some
    joined stream has no GRACE PERIOD in its WITHIN."""
    if not query.joins or not _is_stream(metastore, query.from_.name):
        return []
    for join in query.joins:
        if _is_stream(metastore, join.source.name) and (join.within is None or join.within.grace is None):
            return [{"message": STREAM_STREAM_JOIN_WITH_NO_GRACE}]
    return []
