"""Topic and KSQL stream names of one pipeline run, derived from its `run_id` so that runs on a shared
stack never collide and every notebook of a run agrees on them without passing state around."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from fraudlab.pipeline.errors import StageInputError

_VALID = re.compile(r"^[A-Za-z0-9_]{1,40}$")
# the value formats the preprocessed stream may have: every reader of it (the scoring service, the
# monitor, the KSQL scoring path) reads these
FEATURE_FORMATS = ("JSON", "AVRO", "JSON_SR")


@dataclass(frozen=True)
class PipelineNames:
    run_id: str
    transactions_topic: str
    source_topic: str
    transactions_stream: str
    source_stream: str
    features_stream: str
    features_topic: str
    labelled_stream: str
    labelled_topic: str
    scores_topic: str
    alerts_topic: str
    dead_letter_topic: str
    metrics_topic: str

    @classmethod
    def for_run(cls, run_id: str) -> PipelineNames:
        if not _VALID.match(run_id):
            raise StageInputError("run_id", run_id, "use 1-40 letters, digits or underscores")
        p = f"fl_{run_id}".lower()
        return cls(
            run_id=run_id,
            transactions_topic=f"{p}_transactions",
            source_topic=f"{p}_creditcardfraud_source",
            transactions_stream=f"{p}_transactions".upper(),
            source_stream=f"{p}_creditcardfraud_source".upper(),
            features_stream=f"{p}_features".upper(),
            features_topic=f"{p}_features",
            labelled_stream=f"{p}_labelled".upper(),
            labelled_topic=f"{p}_labelled",
            scores_topic=f"{p}_scores",
            alerts_topic=f"{p}_alerts",
            dead_letter_topic=f"{p}_scores_dlq",
            metrics_topic=f"{p}_metrics",
        )

    def variables(self, features_format: str = "JSON") -> dict[str, str]:
        """The `${name}` values of the `ksql/*.sql` files; `features_format` is the preprocessed
        stream's value format (JSON, or AVRO / JSON_SR with their schemas in the schema registry)."""
        fmt = features_format.strip().upper()
        if fmt not in FEATURE_FORMATS:
            raise StageInputError("value_format", features_format, f"use one of {', '.join(FEATURE_FORMATS)}")
        return {**{k: v for k, v in asdict(self).items() if k != "run_id"}, "features_format": fmt}
