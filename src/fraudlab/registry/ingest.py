"""`fraudlab ingest --format avro`: the CSV read here and produced as registered Avro.

Kafka Connect cannot write Confluent's Avro wire format in this stack (Confluent's AvroConverter is not
on Maven Central), so this path produces directly with confluent-kafka's AvroSerializer instead.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from fraudlab.connect.errors import IngestFileError
from fraudlab.connect.ingest import IngestReport, check_header
from fraudlab.connect.schema import KAGGLE_COLUMNS
from fraudlab.kafka import KafkaConfig
from fraudlab.registry.avro import produce_avro_frame
from fraudlab.registry.client import RegistrySettings


def read_csv_typed(path: Path, columns: str = "kaggle") -> pd.DataFrame:
    """The CSV as a frame: the Kaggle layout (header checked; Class int32, the rest float64) or, with
    columns='auto', pandas' own inference."""
    if not path.is_file():
        raise IngestFileError(path, "no such file")
    if columns == "kaggle":
        with path.open() as fh:
            header = fh.readline()
        check_header(path, header, KAGGLE_COLUMNS)
        dtypes = {c: ("int32" if c == "Class" else "float64") for c in KAGGLE_COLUMNS}
        try:
            return pd.read_csv(path, dtype=dtypes)  # type: ignore[arg-type]
        except ValueError as exc:
            raise IngestFileError(path, f"a value does not fit the Kaggle column types: {exc}") from exc
    return pd.read_csv(path)


def ingest_avro(
    path: Path,
    topic: str,
    kafka: KafkaConfig,
    registry: RegistrySettings,
    columns: str = "kaggle",
    progress: bool = True,
) -> IngestReport:
    started = time.perf_counter()
    frame = read_csv_typed(path, columns)
    bar = tqdm(total=len(frame), desc=f"avro -> {topic}", unit="row", disable=not progress)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        bar.update(rows - done)
        done = rows

    try:
        rows, _schema_id = produce_avro_frame(kafka, registry, topic, frame, on_progress=advance)
    finally:
        bar.close()
    return IngestReport(path, topic, "avro-producer", len(frame), rows, 0, None, time.perf_counter() - started)
