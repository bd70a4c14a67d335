"""A topic's JSON records as a DataFrame: bounded by a record count and a timeout, never hanging."""

from __future__ import annotations

import pickle
from pathlib import Path

import orjson
import pandas as pd

from fraudlab.kafka import KafkaConfig, count_records, produce_values, read_records
from fraudlab.pipeline.errors import StageInputError


def topic_frame(
    kafka: KafkaConfig, topic: str, limit: int | None = None, timeout_s: float = 120.0, exact: bool = True
) -> pd.DataFrame:
    """The first `limit` records (default: all the topic holds now) decoded as JSON objects, with the
    record timestamp in `_timestamp_ms`. `exact`: fewer records than asked for is an error."""
    want = count_records(kafka, topic) if limit is None else limit
    records = read_records(kafka, topic, limit=want, timeout_s=timeout_s)
    if exact and len(records) < want:
        raise StageInputError("topic", topic, f"{len(records)} records read of {want} within {timeout_s:.0f} s")
    rows = [orjson.loads(r.value) for r in records if r.value]
    frame = pd.DataFrame(rows)
    frame["_timestamp_ms"] = [r.timestamp_ms for r in records if r.value]
    return frame


def run_topic_frame(
    kafka: KafkaConfig, topic: str, limit: int, cache_dir: Path, timeout_s: float = 120.0
) -> pd.DataFrame:
    """`topic_frame` read once per pipeline run: the first notebook that reads the topic keeps the decoded
    frame in `cache_dir` (the run's artifacts), a later one (notebook 05 after 03) loads it instead of
    reading and decoding the topic again. The file is named by topic and record count, so another run_id
    or row count reads the topic."""
    path = Path(cache_dir) / f"{topic}.{limit}.pkl"
    if path.is_file():
        with path.open("rb") as f:
            frame: pd.DataFrame = pickle.load(f)  # the run's own file, written below
        return frame
    frame = topic_frame(kafka, topic, limit=limit, timeout_s=timeout_s)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("wb") as f:
        pickle.dump(frame, f, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)  # a run stopped mid-write leaves no half file behind
    return frame


def kaggle_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """KSQL's upper-case JSON columns back to the Kaggle names (`TIME` -> `Time`, `V1`, `AMOUNT`...)."""
    from fraudlab.data import COLUMNS

    upper = {c.upper(): c for c in frame.columns}
    missing = [c for c in COLUMNS if c.upper() not in upper]
    if missing:
        raise StageInputError("columns", missing, "missing from the records")
    out = pd.DataFrame({c: frame[upper[c.upper()]] for c in COLUMNS})
    out["Class"] = out["Class"].astype("int64")
    return out


def produce_json(kafka: KafkaConfig, topic: str, frame: pd.DataFrame, key_column: str, timestamp_ms: int) -> int:
    """Each row as a JSON object (without the key column) keyed by `key_column`, all with one record
    timestamp (e.g. older than the stream they are joined with, so a table is filled before the join
    reads the stream: KSQL processes records in timestamp order)."""
    values = [orjson.dumps(row) for row in frame.drop(columns=[key_column]).to_dict("records")]
    keys = [key.encode() for key in frame[key_column].astype(str)]
    report = produce_values(kafka, topic, values, keys=keys, timestamps=[int(timestamp_ms)] * len(values),
                            progress=False, flush_timeout_s=30.0)
    return report.records
