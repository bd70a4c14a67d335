"""NONE: a key format for sources without key columns; no bytes."""

from __future__ import annotations

from collections.abc import Sequence

from ksqlserver.catalog.types import Column
from ksqlserver.formats.base import Format, FormatError, Serde, SerdeOptions


class NoneFormat(Format):
    name = "NONE"
    # NoneFormat.supportedFeatures is empty: WRAP_SINGLE_VALUE either way is refused (SerdeFeaturesFactory)
    supports_unwrapping = False

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        if columns:
            raise FormatError(
                "The 'NONE' format can only be used when no columns are defined. Got: ["  # a Java List's text
                + ", ".join(c.describe() for c in columns)
                + "]"
            )
        return Serde(tuple(columns), lambda values: None, lambda data: [])
