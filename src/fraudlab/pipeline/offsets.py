"""Where new queries start reading: `auto.offset.reset`, and the notice for when it is `latest`.

ksqlDB starts a push query, and the persistent query of a CREATE ... AS SELECT, at the *latest* offset
unless told otherwise: rows already in the topic (say, just ingested) are skipped, and the new stream
stays empty with no error. The pipeline means to read from the beginning and says so; a notebook that
does not gets a notice naming the property and how to set it.
"""

from __future__ import annotations

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
