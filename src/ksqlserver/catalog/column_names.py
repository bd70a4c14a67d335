"""ksqlDB's generated column names (ColumnNames.columnAliasGenerator): what an unaliased SELECT item, or an
unaliased PARTITION BY / GROUP BY expression, is called."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ksqlserver.sql import ast

_NUMBERED = re.compile(r"(.*?)(?:_(\d+))?")


def _split_number(name: str) -> tuple[str, int]:
    """ksqlDB's NUMBERED_COLUMN_PATTERN: `KSQL_COL_3` is ('KSQL_COL', 3), `ID` is ('ID', 0)."""
    m = _NUMBERED.fullmatch(name)
    assert m is not None  # the pattern matches any text
    return m.group(1), int(m.group(2)) if m.group(2) is not None else 0


class _Generator:
    def __init__(self, prefix: str, used: set[int]) -> None:
        self.prefix, self.used, self.n = prefix, used, 0

    def next(self) -> str:
        while self.n in self.used:
            self.n += 1
        idx, self.n = self.n, self.n + 1
        return self.prefix if idx == 0 and self.prefix != "KSQL_COL" else f"{self.prefix}_{idx}"


class AliasGenerator:
    """ksqlDB's ColumnNames.columnAliasGenerator: names for unaliased projections, seeded with the columns of
    the statement's sources only (not with the other aliases of the SELECT). Other expressions are named
    KSQL_COL_n; a struct field `x->F` is named F, or F_1, F_2, ... when a source column or an earlier field
    took F (numbered names share their stem's counter: a field F_2 is named F first)."""

    def __init__(self, source_columns: Iterable[str]) -> None:
        used: dict[str, set[int]] = {}
        for name in source_columns:
            stem, number = _split_number(name)
            used.setdefault(stem, set()).add(number)
        self._gens = {stem: _Generator(stem, numbers) for stem, numbers in used.items()}
        self._gens.setdefault("KSQL_COL", _Generator("KSQL_COL", set()))

    def next(self) -> str:
        return self._gens["KSQL_COL"].next()

    def unique_alias_for(self, e: ast.Expression) -> str:
        if isinstance(e, ast.Dereference):
            stem, _ = _split_number(e.field)
            return self._gens.setdefault(stem, _Generator(stem, set())).next()
        return self.next()

    def name_for(self, e: ast.Expression) -> str:
        """An unaliased SELECT item's name: a column's own name, else a generated one."""
        return e.name if isinstance(e, ast.ColumnRef) else self.unique_alias_for(e)
