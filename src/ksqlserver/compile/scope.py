"""What an expression can reference: the columns of a row, each at a fixed index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ksqlserver.catalog.types import SqlType
from ksqlserver.sql import ast


@dataclass(frozen=True)
class ScopeColumn:
    name: str
    type: SqlType
    index: int
    source: str | None = None  # alias of the source the column comes from (joins)


class Scope:
    """The columns an expression can reference, each at a fixed index of the row list."""

    def __init__(self, columns: Sequence[ScopeColumn]) -> None:
        self.columns = list(columns)

    def resolve(self, ref: ast.ColumnRef) -> ScopeColumn | None:
        hits = [
            c
            for c in self.columns
            if c.name == ref.name and (ref.source is None or c.source is None or c.source == ref.source)
        ]
        if ref.source is not None:
            exact = [c for c in hits if c.source == ref.source]
            hits = exact or hits
        return hits[0] if hits else None
