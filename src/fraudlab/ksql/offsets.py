"""Where new queries start reading: `auto.offset.reset`, and the notice for when it is `latest`.

ksqlDB starts a push query, and the persistent query of a CREATE ... AS SELECT, at the *latest* offset
unless told otherwise: rows already in the topic (say, just ingested) are skipped, and the new stream
stays empty with no error. Tables are the exception: with `auto.offset.reset` unset, a table source is
read from the earliest offset (SourceBuilderBase's default for tables), so a query over tables only
starts there. The pipeline means to read from the beginning and says so; a notebook that
does not gets a notice naming the property and how to set it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

OFFSET_KEYS = ("auto.offset.reset", "ksql.streams.auto.offset.reset")
EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}


def offset_reset(properties: Mapping[str, object]) -> str | None:
    """The `auto.offset.reset` these request properties set (either spelling), lower-cased, or None."""
    for key in OFFSET_KEYS:
        value = properties.get(key)
        if value is not None and str(value).strip():
            return str(value).strip().lower()
    return None


def latest_notice(what: str, how_to_change: str) -> str:
    """One paragraph: what starts at `latest`, what that means, and how to read from the beginning."""
    return (
        f"{what} starts at the latest offset (auto.offset.reset=latest, ksqlDB's default): it only sees "
        f"records that arrive after it starts, not those already in the topic. To read from the beginning: "
        f"{how_to_change}"
    )


class LatestOffsetWarning(UserWarning):
    """A persistent query was created without saying where to start: it starts at the latest offset."""


_PERSISTENT = re.compile(r"^\s*(?:CREATE\b.*?\bAS\s+SELECT\b|INSERT\s+INTO\b.*?\bSELECT\b)", re.IGNORECASE | re.DOTALL)


def starts_persistent_query(statement: str) -> bool:
    return bool(_PERSISTENT.match(statement))


_STRING = re.compile(r"'(?:[^']|'')*'")
_SOURCE = re.compile(r"\b(?:FROM|JOIN)\s+(`[^`]+`|\"[^\"]+\"|[A-Za-z_][\w@]*)", re.IGNORECASE)


def source_names(statement: str) -> list[str]:
    """The sources a query reads (the names after FROM and JOIN, outside string literals), as ksqlDB
    resolves them: quoted names keep their case, others are upper-cased."""
    tokens = _SOURCE.findall(_STRING.sub("''", statement))
    return [token[1:-1] if token[0] in "`\"" else token.upper() for token in tokens]


def warn_if_unset(statement: str, properties: Mapping[str, object]) -> None:
    """Warn when `statement` starts a persistent query and the request leaves auto.offset.reset to the
    server (ksqlDB's default: latest). An explicit `latest` is a choice and gets no warning."""
    if starts_persistent_query(statement) and offset_reset(properties) is None:
        first = " ".join(statement.split())[:80]
        warnings.warn(
            LatestOffsetWarning(latest_notice(
                f"'{first}' sets no auto.offset.reset, so its query",
                "send {'ksql.streams.auto.offset.reset': 'earliest'} with it (KsqlConfig's default properties)",
            )),
            stacklevel=3,
        )
