"""`StreamSpec`: what to read from a topic and how to turn records into rows, shared by both consumers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fraudlab.scoring.errors import RecordError
from fraudlab.scoring.parsing import DelimitedParser, JsonParser

log = logging.getLogger("fraudlab.tfkafka")

Mode = Literal["bounded", "continuous"]
# auto: the native batch consumer when it can be built and the settings allow it, else confluent-kafka
Client = Literal["auto", "native", "confluent"]


@dataclass(frozen=True)
class StreamSpec:
    """What to read from a topic and how to turn records into rows."""

    topic: str
    features: tuple[str, ...]
    label: str | None = None
    value_format: Literal["delimited", "json"] = "delimited"
    columns: tuple[str, ...] | None = None  # DELIMITED layout; None detects Kaggle/demo lines
    batch_size: int = 1024
    mode: Mode = "bounded"
    max_records: int | None = None
    timeout_s: float | None = None
    group_id: str | None = None  # continuous mode (required there); bounded mode reads without a group
    client: Client = "auto"

    def parser(self) -> DelimitedParser | JsonParser:
        names = (*self.features, self.label) if self.label else self.features
        return DelimitedParser(names, self.columns) if self.value_format == "delimited" else JsonParser(names)


def log_rejects(topic: str, rejects: Sequence[tuple[int, int, RecordError]]) -> None:
    """Records that don't parse are skipped; say which (partition, offset, reason), the first few in full."""
    shown = "; ".join(f"partition {p} offset {o}: {err}" for p, o, err in rejects[:3])
    more = f" (and {len(rejects) - 3} more)" if len(rejects) > 3 else ""
    log.warning("%s: skipped %d record(s) that do not parse: %s%s", topic, len(rejects), shown, more)
