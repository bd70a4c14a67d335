"""`StreamSpec`: what to read from a topic and how to turn records into rows, shared by both consumers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fraudlab.scoring.errors import RecordError
from fraudlab.scoring.formats import Parser, make_parser

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
    value_format: Literal["delimited", "json", "avro", "json_sr"] = "delimited"
    columns: tuple[str, ...] | None = None  # DELIMITED layout; None detects Kaggle/demo lines
    batch_size: int = 1024
    mode: Mode = "bounded"
    max_records: int | None = None
    timeout_s: float | None = None
    group_id: str | None = None  # continuous mode (required there); bounded mode reads without a group
    client: Client = "auto"
    schema_registry_url: str | None = None  # for avro and json_sr

    def parser(self, schema_registry_url: str | None = None) -> Parser:
        """`schema_registry_url`: the Kafka settings' registry, used unless the spec names its own."""
        names = (*self.features, self.label) if self.label else self.features
        return make_parser(self.value_format, names, self.columns, self.schema_registry_url or schema_registry_url)


def log_rejects(topic: str, rejects: Sequence[tuple[int, int, RecordError]]) -> None:
    """Records that don't parse are skipped; say where (partition:offset, the first 20) and why (the
    first 3 in full)."""
    where = ", ".join(f"{p}:{o}" for p, o, _ in rejects[:20]) + (", ..." if len(rejects) > 20 else "")
    why = "; ".join(f"partition {p} offset {o}: {err}" for p, o, err in rejects[:3])
    log.warning("%s: skipped %d record(s) that do not parse, at partition:offset %s; %s",
                topic, len(rejects), where, why)
