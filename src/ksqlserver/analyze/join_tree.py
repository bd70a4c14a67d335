"""What the analyser hands the planner about a join: a left-deep tree of sources and join criteria.

The joined row is every source's row side by side in FROM order (columns, ROWTIME, ROWPARTITION,
ROWOFFSET), then the synthetic ROWKEY when the join has one; each source starts at its `offset`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile.scope import Scope
from ksqlserver.sql import ast

PartitionCount = Callable[[str], int]  # a topic's partition count (the engine's driver answers it)


@dataclass(frozen=True)
class JoinLeaf:
    source: DataSource
    alias: str
    offset: int  # index of the source's first column in the joined row
    scope: Scope  # the source's own row (indices from 0)

    @property
    def width(self) -> int:
        return len(self.scope.columns)

    @property
    def is_table(self) -> bool:
        return self.source.is_table


@dataclass(frozen=True)
class JoinWindow:
    before_ms: int
    after_ms: int
    grace_ms: int | None  # None: no GRACE PERIOD (eager left/outer results, 24 h grace)


@dataclass(frozen=True)
class JoinNode:
    """`left kind JOIN right ON left_expr = right_expr`; `left` is the tree so far (a prefix of the row)."""

    left: JoinLeaf | JoinNode
    right: JoinLeaf
    kind: str  # INNER, LEFT, RIGHT, FULL
    left_expr: ast.Expression  # over the left prefix of the joined row
    right_expr: ast.Expression  # over the right source's own row
    key_type: SqlType
    window: JoinWindow | None  # stream-stream joins
    left_scope: Scope  # columns of the left prefix
    foreign_key: bool = False  # table-table join on a left value column (result keyed by the left key)
    # the left side is a join whose key `left_expr` already equals (it is in that join's equivalence set):
    # it joins by that key, not by re-evaluating the expression (ksqlDB's prepareSourceForJoin)
    left_keyed: bool = False

    @property
    def width(self) -> int:
        return self.right.offset + self.right.width

    @property
    def is_table(self) -> bool:
        """A join of two tables is a table; anything with a stream in it is a stream."""
        return _is_table(self.left) and self.right.is_table


def _is_table(n: JoinLeaf | JoinNode) -> bool:
    return n.is_table


@dataclass(frozen=True)
class JoinInfo:
    """The whole join of a query: the tree, every source, and where the synthetic key sits."""

    root: JoinNode
    leaves: tuple[JoinLeaf, ...]
    synthetic_key: int | None  # index of ROWKEY in the joined row, if the key is synthetic
    # stream-stream outer joins with GRACE PERIOD: wall-clock ms between looks for closed windows
    outer_emit_interval_ms: int = 1000
    # what ksqlDB checks only when it builds the joins (after every check of the logical plan), in its order:
    # an error message, or a join whose sides' partition counts must match (join_build.check_join_build)
    build_steps: tuple[JoinNode | str, ...] = ()

    @property
    def kind(self) -> str:
        return self.root.kind

    @property
    def right(self) -> DataSource:
        return self.root.right.source

    @property
    def topics(self) -> list[str]:
        out: list[str] = []
        for leaf in self.leaves:
            if leaf.source.topic not in out:
                out.append(leaf.source.topic)
        return out

    @property
    def width(self) -> int:
        return self.root.width + (1 if self.synthetic_key is not None else 0)
