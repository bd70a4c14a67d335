"""DELIMITED column layouts: which field of a line is which column.

The Connect file ingestion writes each CSV line as is, so a topic holds either plain Kaggle lines
(`Time,V1..V28,Amount,"Class"`, sometimes without `Class`) or the original demo's extended lines
(`Id,"Timestamp","User",Time,V1..V28,Amount,"Class"`).
"""

from __future__ import annotations

from collections.abc import Sequence

from fraudlab.data.schema import COLUMNS, FEATURES

KAGGLE: tuple[str, ...] = COLUMNS
KAGGLE_UNLABELLED: tuple[str, ...] = FEATURES
DEMO: tuple[str, ...] = ("Id", "Timestamp", "User", *COLUMNS)
KNOWN = {len(layout): layout for layout in (KAGGLE, KAGGLE_UNLABELLED, DEMO)}
ID_COLUMNS = ("Id", "ID", "id", "key")


def detect(field_counts: Sequence[int]) -> tuple[str, ...] | None:
    """The known layout matching the most common field count, or None."""
    known = [n for n in field_counts if n in KNOWN]
    if not known:
        return None
    return KNOWN[max(set(known), key=known.count)]


def id_column(columns: Sequence[str]) -> int | None:
    for name in ID_COLUMNS:
        if name in columns:
            return list(columns).index(name)
    return None
