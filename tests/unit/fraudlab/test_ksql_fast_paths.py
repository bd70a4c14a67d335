"""The pipeline's own statements (`ksql/*.sql`) on the embedded engine's generated fast loops.

Each persistent query of the pipeline is compiled by the engine into a generic per-record plan and, where
the query's shape allows, a generated batch loop (ksqlserver.plan.fast) that writes the same bytes for a
fraction of the CPU. The source stream takes its event time from a STRING column (`Timestamp`, WITH
TIMESTAMP= and TIMESTAMP_FORMAT), the service scores from a BIGINT one: both once sent every query over
them to the generic path. This pins down which queries run on a fast loop, so that a change to the engine
or to the statements cannot silently drop one back; and that the fast loops write what the generic path
writes on the pipeline's test input (ksql/tests/02_preprocess).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fraudlab.ksql import PipelineNames
from fraudlab.ksql_udf import extension_dir, server_properties
from fraudlab.pipeline.ksql_testing import render_statements
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient

KSQL = Path(__file__).resolve().parents[3] / "ksql"
# the one query without a fast loop: a stream-stream join (the engine has loops for stream-table and
# foreign-key joins and for aggregations, none for a windowed join of two streams)
GENERIC_ONLY = {"SCORED_LABELLED"}


def engine(
    fast: bool, files: list[str], variables: dict[str, str], properties: dict[str, str]
) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver()
    names = PipelineNames.for_run("test")
    for topic in (names.transactions_topic, names.scores_topic):  # the topics ingestion and the service create
        driver.create_topic(topic, partitions=1)
    config = EngineConfig(service_id="fp_", synchronous=True, fast_paths=fast, extension_dir=extension_dir(),
                          properties={"ksql.streams.auto.offset.reset": "earliest", **properties})  # fmt: skip
    e = Engine(config, driver, MemoryRegistryClient())  # AVRO features register their schema
    text = render_statements([KSQL / f for f in files], variables)
    for statement in text.split(";"):
        if statement.strip():
            e.execute(statement + ";")
    return e, driver


def query_paths(e: Engine) -> dict[str, bool]:
    """Sink name (without the run's prefix) -> whether its query runs a fast loop."""
    return {q.pipeline.sink.name.removeprefix("FL_TEST_"): q.pipeline.fast_path for q in e.state.persistent.values()}


@pytest.mark.parametrize("features_format", ["JSON", "AVRO"])
def test_every_pipeline_query_but_the_stream_join_runs_a_fast_loop(small_bundle: Path, features_format: str) -> None:
    variables = PipelineNames.for_run("test").variables(model_dir=small_bundle, features_format=features_format)
    files = ["01_source_streams.sql", "02_preprocess.sql", "03_users.sql", "04_scoring.sql", "05_monitoring.sql"]
    e, _ = engine(True, files, variables, server_properties(small_bundle))
    try:
        paths = query_paths(e)
    finally:
        e.close()
    assert set(paths) == {"FEATURES", "LABELLED", "ENRICHED", "KSQL_SCORED", "KSQL_ALERTS", "ALERT_RATE",
                          "SCORED_LABELLED", "QUALITY"}  # fmt: skip
    assert {name for name, fast in paths.items() if not fast} == GENERIC_ONLY


def test_the_service_scores_stream_runs_a_fast_loop() -> None:
    """service_scores.sql reads the scoring service's output with its time from a BIGINT column."""
    variables = PipelineNames.for_run("test").variables()
    e, _ = engine(True, ["service_scores.sql"], variables, {})
    try:
        assert query_paths(e) == {"SERVICE_SCORES": True}
    finally:
        e.close()


def run_preprocess(fast: bool) -> tuple[list[Any], bool]:
    case = KSQL / "tests" / "02_preprocess"
    variables = PipelineNames.for_run("test").variables()
    e, driver = engine(fast, ["01_source_streams.sql", "02_preprocess.sql"], variables, {})
    try:
        used = all(query_paths(e).values())
        inputs = json.loads((case / "input.json").read_text())["inputs"]
        for r in inputs:
            value = r["value"] if isinstance(r["value"], str) or r["value"] is None else json.dumps(r["value"])
            key = None if r.get("key") is None else str(r["key"]).encode()
            driver.produce(r["topic"], [Record(key, None if value is None else value.encode(), r["timestamp"])])
        # and rows the test case has not: times that do not parse or are missing, a negative time, a bad label
        extra = [b'9,"yesterday","Ann",1,' + b"0," * 28 + b'1.5,"0"', b'10,,"Bo",2,' + b"0," * 28 + b'2.5,"1"',
                 b'11,"1969-12-31T23:59:00Z","Cy",3,' + b"0," * 28 + b'3.5,"1"',
                 b'12,"2018-12-18T13:00:00Z","Di",4,' + b"0," * 28 + b'4.5,"x"', b"13,short"]  # fmt: skip
        driver.produce(inputs[0]["topic"], [Record(None, v, 1_700_000_000_100 + i) for i, v in enumerate(extra)])
        e.drain()
        log = [json.loads(r.value) for r in driver.records("fp_ksql_processing_log")]
        for entry in log:
            entry.pop("time")
        out = [[(r.key, r.value, r.timestamp) for r in driver.records(t)] for t in ("fl_test_features",
                                                                                    "fl_test_labelled")]  # fmt: skip
        return [out, log], used
    finally:
        e.close()


def test_the_preprocessing_loops_write_what_the_generic_path_writes() -> None:
    fast, used = run_preprocess(True)
    slow, unused = run_preprocess(False)
    assert used and not unused
    assert fast == slow
    features, labelled = fast[0]
    assert len(features) >= 5 and len(labelled) >= 3
    # logged: the unparseable and the missing time, the label that is no INTEGER, the short line (a negative
    # time is dropped without a word, as Kafka Streams skips it)
    messages = [entry["message"] for entry in fast[1]]
    texts = [(m.get("recordProcessingError") or m.get("deserializationError") or {}).get("errorMessage") for m in messages]
    assert texts.count("Failed to extract timestamp from row") == 2, texts
    assert len(texts) == 4, texts
