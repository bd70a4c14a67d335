"""Topic, stream and table names of one pipeline run: the single source of every name the notebooks, the
`ksql/*.sql` files (as `${name}` variables) and `fraudlab ksql apply` use.

All derive from the run's `run_id` (prefix `fl_<run_id>_`), so that runs on a shared stack never
collide and every notebook of a run agrees on them without passing state around: a topic is
`fl_<run_id>_<base>`, the stream or table over it is the same text in upper case.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from fraudlab.ksql.errors import KsqlInputError
from fraudlab.ksql.statements import sql_string

_VALID = re.compile(r"^[A-Za-z0-9_]{1,40}$")


@dataclass(frozen=True)
class PipelineNames:
    run_id: str
    # 01_ingest (Kafka Connect) and 01_source_streams.sql
    transactions_topic: str
    source_topic: str
    transactions_stream: str
    source_stream: str
    # 02_preprocess.sql
    features_stream: str
    features_topic: str
    labelled_stream: str
    labelled_topic: str
    # the scoring service and the monitor
    scores_topic: str
    alerts_topic: str
    dead_letter_topic: str
    metrics_topic: str
    # 03_users.sql
    users_table: str
    users_topic: str
    enriched_stream: str
    enriched_topic: str
    # 04_scoring.sql
    ksql_scored_stream: str
    ksql_scored_topic: str
    ksql_alerts_stream: str
    ksql_alerts_topic: str
    # 05_monitoring.sql and service_scores.sql
    alert_rate_table: str
    alert_rate_topic: str
    labels_stream: str
    labels_topic: str
    scored_labelled_stream: str
    scored_labelled_topic: str
    quality_table: str
    quality_topic: str
    service_scores_raw_stream: str
    service_scores_raw_topic: str
    service_scores_stream: str
    service_scores_topic: str

    @classmethod
    def for_run(cls, run_id: str) -> PipelineNames:
        if not _VALID.match(run_id):
            raise KsqlInputError("run_id", run_id, "use 1-40 letters, digits or underscores")
        p = f"fl_{run_id}".lower()

        def topic(base: str) -> str:
            return f"{p}_{base}"

        def source(base: str) -> str:
            return topic(base).upper()

        return cls(
            run_id=run_id,
            transactions_topic=topic("transactions"),
            source_topic=topic("creditcardfraud_source"),
            transactions_stream=source("transactions"),
            source_stream=source("creditcardfraud_source"),
            features_stream=source("features"),
            features_topic=topic("features"),
            labelled_stream=source("labelled"),
            labelled_topic=topic("labelled"),
            scores_topic=topic("scores"),
            alerts_topic=topic("alerts"),
            dead_letter_topic=topic("scores_dlq"),
            metrics_topic=topic("metrics"),
            users_table=source("users"),
            users_topic=topic("users"),
            enriched_stream=source("enriched"),
            enriched_topic=topic("enriched"),
            ksql_scored_stream=source("ksql_scored"),
            ksql_scored_topic=topic("ksql_scored"),
            ksql_alerts_stream=source("ksql_alerts"),
            ksql_alerts_topic=topic("ksql_alerts"),
            alert_rate_table=source("alert_rate"),
            alert_rate_topic=topic("alert_rate"),
            labels_stream=source("labels"),
            labels_topic=topic("labels"),
            scored_labelled_stream=source("scored_labelled"),
            scored_labelled_topic=topic("scored_labelled"),
            quality_table=source("quality"),
            quality_topic=topic("quality"),
            service_scores_raw_stream=source("service_scores_raw"),
            service_scores_raw_topic=topic("service_scores_raw"),
            service_scores_stream=source("service_scores"),
            service_scores_topic=topic("service_scores"),
        )

    def variables(self, model_dir: Path | str | None = None) -> dict[str, str]:
        """The `${name}` values of the `ksql/*.sql` files: every name above, and `model_dir`, the bundle
        04_scoring.sql deploys (left out when None: `apply` then asks the server which bundle its
        functions were started with)."""
        out = {k: v for k, v in asdict(self).items() if k != "run_id"}
        if model_dir is not None:
            out["model_dir"] = sql_string(str(Path(model_dir).resolve()))
        return out
