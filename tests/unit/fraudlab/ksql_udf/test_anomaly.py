"""ANOMALY_SCORE / ANOMALY_THRESHOLD in the embedded engine (in-memory topics): the function path
scores exactly like `fraudlab.model.load(...).score`, batch by batch, and fails clearly without a model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fraudlab.data import FEATURES, synthetic
from fraudlab.ksql_udf import extension_dir, server_properties
from fraudlab.model import load
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

COLS = ", ".join(FEATURES)
CREATE = (
    f"CREATE STREAM TX (ID STRING KEY, {', '.join(f'{c} DOUBLE' for c in FEATURES)}) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"
)


@pytest.fixture(scope="module")
def bundle(small_bundle: Path) -> Path:
    """Any exported bundle will do: the session's small one (tests/unit/fraudlab/conftest.py), trained once."""
    return small_bundle


def _engine(props: dict[str, str]) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=1)
    properties = {"ksql.streams.auto.offset.reset": "earliest", **props}
    config = EngineConfig(service_id="udf_", synchronous=True, extension_dir=extension_dir(), properties=properties)
    return Engine(config, driver), driver


def test_anomaly_score_matches_the_scorer(bundle: Path) -> None:
    engine, driver = _engine(server_properties(bundle))
    [shown] = engine.execute("SHOW FUNCTIONS;")
    assert shown["warnings"] == []
    engine.execute(CREATE)
    struct = "STRUCT(" + ", ".join(f"{c} := {c}" for c in FEATURES) + ")"
    engine.execute(
        f"CREATE STREAM SCORED AS SELECT ID, ANOMALY_SCORE({COLS}) AS SCORE, "
        f"ANOMALY_SCORE({struct}) AS SCORE_STRUCT, "
        f"ANOMALY_SCORE({COLS}) >= ANOMALY_THRESHOLD() AS IS_FRAUD FROM TX;"
    )
    frame = synthetic(2500, 0.05, seed=11)
    rows = frame.loc[:, list(FEATURES)].to_numpy(np.float64)
    records = [
        Record(f"t{i}".encode(), json.dumps(dict(zip(FEATURES, map(float, r), strict=True))).encode(), i)
        for i, r in enumerate(rows)
    ]
    records.append(Record(b"nulls", json.dumps({"Time": 1.0}).encode(), 9999))  # missing features
    driver.produce("tx", records)
    engine.drain()
    out = [json.loads(r.value) for r in driver.records("SCORED")]
    assert len(out) == len(rows) + 1
    scorer = load(bundle)
    expected = scorer.score(rows.astype(np.float32)).astype(np.float64)
    got = np.array([o["SCORE"] for o in out[:-1]])
    assert np.abs(got - expected).max() <= 1e-5
    assert got.std() > 0
    assert [o["SCORE_STRUCT"] for o in out[:-1]] == [o["SCORE"] for o in out[:-1]]
    assert [o["IS_FRAUD"] for o in out[:-1]] == (got >= scorer.threshold).tolist()
    assert np.array_equal(got, np.round(expected, 7))  # rounded as the scoring service writes scores
    assert out[-1] == {"SCORE": None, "SCORE_STRUCT": None, "IS_FRAUD": False}
    [desc] = engine.execute("DESCRIBE FUNCTION ANOMALY_SCORE;")
    assert desc["author"] == "fraudlab" and len(desc["functions"]) == 3  # columns, (model dir, columns), struct
    assert [a["name"] for a in desc["functions"][0]["arguments"]] == [c.upper() for c in FEATURES]


def test_without_a_model_the_statement_names_the_property() -> None:
    engine, _ = _engine({})
    engine.execute(CREATE)
    with pytest.raises(KsqlError, match=r"ksql\.functions\.anomaly_score\.model\.dir"):
        engine.execute(f"CREATE STREAM S AS SELECT ID, ANOMALY_SCORE({COLS}) AS SCORE FROM TX;")


def test_a_bad_model_dir_is_a_clear_statement_error(tmp_path: Path) -> None:
    engine, _ = _engine(server_properties(tmp_path / "missing"))
    engine.execute(CREATE)
    with pytest.raises(KsqlError, match="ANOMALY_SCORE' could not be set up"):
        engine.execute(f"CREATE STREAM S AS SELECT ID, ANOMALY_SCORE({COLS}) AS SCORE FROM TX;")


def test_the_statement_can_name_the_bundle(bundle: Path, tmp_path: Path) -> None:
    """ANOMALY_SCORE('<dir>', ...) scores with that bundle on a server started without one (notebook 04
    deploys the bundle notebook 03 exported this way); a directory without a bundle scores null."""
    engine, driver = _engine({})
    engine.execute(CREATE)
    d, missing = str(bundle).replace("'", "''"), str(tmp_path / "none")
    engine.execute(
        f"CREATE STREAM NAMED AS SELECT ID, ANOMALY_SCORE('{d}', {COLS}) AS SCORE, "
        f"ANOMALY_SCORE('{d}', {COLS}) >= ANOMALY_THRESHOLD('{d}') AS IS_FRAUD, ANOMALY_MODEL_VERSION('{d}') AS V, "
        f"ANOMALY_SCORE('{missing}', {COLS}) AS NOTHING FROM TX;"
    )
    rows = synthetic(300, 0.05, seed=12).loc[:, list(FEATURES)].to_numpy(np.float64)
    driver.produce("tx", [
        Record(f"t{i}".encode(), json.dumps(dict(zip(FEATURES, map(float, r), strict=True))).encode(), i)
        for i, r in enumerate(rows)
    ])
    engine.drain()
    out = [json.loads(r.value) for r in driver.records("NAMED")]
    scorer = load(bundle)
    got = np.array([o["SCORE"] for o in out])
    assert len(out) == 300 and np.array_equal(got, np.round(scorer.score(rows.astype(np.float32)).astype(np.float64), 7))
    assert [o["IS_FRAUD"] for o in out] == (got >= scorer.threshold).tolist()
    assert {o["V"] for o in out} == {scorer.model_version} and {o["NOTHING"] for o in out} == {None}


def test_the_ksql_files_run_in_order_on_the_embedded_engine(bundle: Path) -> None:
    """ksql/01..05 on in-memory topics: the join enriches, every transaction is scored once, alerts are
    the flagged ones, and the monitoring tables count them."""
    from fraudlab.ksql import PipelineNames, render, split_statements, sql_files

    v = PipelineNames.for_run("u1").variables(model_dir=bundle)
    engine, driver = _engine(server_properties(bundle))
    for topic in (v["source_topic"], v["transactions_topic"], v["users_topic"], v["labels_topic"]):
        driver.create_topic(topic, partitions=1)
    for path in sql_files(Path(__file__).resolve().parents[4] / "ksql"):
        for statement in split_statements(path.read_text(encoding="utf-8")):
            engine.execute(render(statement, v))
    users = [("u0", "Ann", "PT"), ("u1", "Bob", "DE")]
    driver.produce(v["users_topic"], [
        Record(u.encode(), json.dumps({"NAME": n, "COUNTRY": c, "SEGMENT": "retail", "CARD_LIMIT": 1e3}).encode(), 1)
        for u, n, c in users
    ])
    engine.drain()
    frame = synthetic(400, 0.05, seed=4)
    base = 1_700_000_000_000  # the source stream's event time is its Timestamp column (ISO, seconds)
    lines = [
        ",".join([str(i), f'"{_iso(base + 100 * i)}"', f'"u{i % 3}"', *map(repr, row[:-1]), f'"{int(row[-1])}"'])
        for i, row in enumerate(frame.loc[:, [*FEATURES, "Class"]].to_numpy(np.float64).tolist())
    ]
    driver.produce(v["source_topic"], [Record(None, ln.encode(), base + 100 * i) for i, ln in enumerate(lines)])
    driver.produce(v["labels_topic"], [
        Record(None, json.dumps({"ID": i, "CLASS": int(c)}).encode(), base + 100 * i + 5000)
        for i, c in enumerate(frame["Class"])
    ])
    engine.drain()
    engine.drain()
    scored = [json.loads(r.value) for r in driver.records(v["ksql_scored_topic"])]
    assert [s["ID"] for s in scored] == list(range(400))
    expected = load(bundle).score(frame.loc[:, list(FEATURES)].to_numpy(np.float32))
    assert np.abs(np.array([s["SCORE"] for s in scored]) - expected).max() <= 1e-5
    flagged = [s["ID"] for s in scored if s["IS_FRAUD"]]
    alerts = [json.loads(r.value)["ID"] for r in driver.records(v["ksql_alerts_topic"])]
    assert alerts == flagged
    enriched = [json.loads(r.value) for r in driver.records(v["enriched_topic"])]
    assert len(enriched) == 400
    assert {e["ID"] % 3: e["COUNTRY"] for e in enriched} == {0: "PT", 1: "DE", 2: None}
    rates = [json.loads(r.value) for r in driver.records(v["alert_rate_topic"])]
    assert rates, "the alert-rate table emitted nothing"
    last: dict[bytes, dict[str, object]] = {}
    for r in driver.records(v["alert_rate_topic"]):
        last[r.key] = json.loads(r.value)
    assert sum(int(x["TRANSACTIONS"]) for x in last.values()) == 400
    assert sum(int(x["ALERTS"]) for x in last.values()) == len(flagged)
    quality: dict[bytes, dict[str, object]] = {}
    for r in driver.records(v["quality_topic"]):
        quality[r.key] = json.loads(r.value)
    labels = frame["Class"].to_numpy()
    flags = np.array([s["IS_FRAUD"] for s in scored])
    assert sum(int(q["LABELLED"]) for q in quality.values()) == 400
    assert sum(int(q["TRUE_POSITIVES"]) for q in quality.values()) == int((flags & (labels == 1)).sum())
    assert sum(int(q["FALSE_NEGATIVES"]) for q in quality.values()) == int((~flags & (labels == 1)).sum())


def _iso(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_batch_nulls_and_bundles_per_row(bundle: Path, tmp_path: Path) -> None:
    """One batch mixing the bundle, a missing bundle, a null directory, a null feature and a NaN feature:
    nulls score null (the function finds them itself), NaN scores as the scorer does, the rest as alone."""
    from fraudlab.ksql_udf.anomaly import AnomalyScore, AnomalyScoreOfBundle
    from ksqlserver.extensions import FunctionContext
    from ksqlserver.extensions.invoke import ScalarCall

    rows = synthetic(6, 0.5, seed=5).loc[:, list(FEATURES)].to_numpy(np.float64).tolist()
    rows[2][4] = None
    rows[3][7] = float("nan")
    d, missing = str(bundle), str(tmp_path / "none")
    args = [(d, *r) for r in rows] + [(None, *rows[0]), (missing, *rows[1]), (d, *rows[5])]
    ctx = FunctionContext("ANOMALY_SCORE", {"model.dir": d})
    call = ScalarCall("ANOMALY_SCORE", AnomalyScoreOfBundle(ctx), True, False)
    got = call.ksql_batch(args)
    scorer = load(bundle)
    alone = [None if None in r else round(float(scorer.score(np.asarray([r], np.float32))[0]), 7) for r in rows]
    assert got[:6] == [call(*a) for a in args[:6]]  # the per-row path gives the same
    assert got[2] is None and got[0] is not None and got[6] is None and got[7] is None and got[8] == got[5]
    expected = [None if None in r else v for r, v in zip(rows, alone, strict=True)]
    assert np.allclose([np.nan if v is None else v for v in got[:6]],
                       [np.nan if v is None else v for v in expected], atol=1e-6, equal_nan=True)
    plain = ScalarCall("ANOMALY_SCORE", AnomalyScore(ctx), True, False).ksql_batch([tuple(r) for r in rows])
    assert plain == got[:6]


def test_the_empty_directory_is_the_server_bundle_which_ksqldb_hides(bundle: Path) -> None:
    """SHOW PROPERTIES shows ksql.functions.* values as [hidden] (KsqlConfig.getKsqlConfigPropsWithSecrets
    Obfuscated), so `fraudlab ksql apply` cannot read the server's bundle directory: it deploys
    ANOMALY_SCORE('', ...), which the functions read as the server's own bundle."""
    from fraudlab.ksql import server_bundle

    engine, driver = _engine(server_properties(bundle))

    class Api:
        def ksql(self, sql: str) -> list[dict[str, object]]:
            return engine.execute(sql)

    props = {p["name"]: p["value"] for e in engine.execute("SHOW PROPERTIES;") for p in e["properties"]}
    assert props["ksql.functions.anomaly_score.model.dir"] == "[hidden]"
    assert server_bundle(Api()) == ""
    engine.execute(CREATE)
    engine.execute(f"CREATE STREAM S AS SELECT ID, ANOMALY_SCORE('', {COLS}) AS SCORE, ANOMALY_THRESHOLD('') AS T FROM TX;")
    rows = synthetic(50, 0.05, seed=3).loc[:, list(FEATURES)].to_numpy(np.float64)
    driver.produce("tx", [
        Record(f"t{i}".encode(), json.dumps(dict(zip(FEATURES, map(float, r), strict=True))).encode(), i)
        for i, r in enumerate(rows)
    ])
    engine.drain()
    out = [json.loads(r.value) for r in driver.records("S")]
    scorer = load(bundle)
    assert len(out) == 50 and {o["T"] for o in out} == {scorer.threshold}
    expected = np.round(scorer.score(rows.astype(np.float32)).astype(np.float64), 7)
    assert np.array_equal(np.array([o["SCORE"] for o in out]), expected)


def test_the_direct_feature_matrix_scores_as_the_row_path(bundle: Path, tmp_path: Path) -> None:
    """Issue 19: ANOMALY_SCORE(dir, ...) reads its batch straight into a float32 matrix (`_features`,
    np.fromiter); per row it scores exactly as the tuple-by-tuple `_complete` path and as the per-row call:
    NaN features score, a null feature or directory scores null (then the batch takes `_complete`)."""
    from fraudlab.ksql_udf.anomaly import _TAIL, AnomalyScoreOfBundle, _complete, _features
    from ksqlserver.extensions import FunctionContext
    from ksqlserver.extensions.invoke import ScalarCall

    rows = synthetic(300, 0.1, seed=9).loc[:, list(FEATURES)].to_numpy(np.float64).tolist()
    rows[7][0] = float("nan")
    rows[8][3] = int(rows[8][3])  # an int value converts as the float it is
    d = str(bundle)
    args = [(d, *r) for r in rows]
    fast, kept = _features(args)
    slow, slow_kept = _complete(list(map(_TAIL, args)))
    assert kept is None and slow_kept is None and fast.dtype == np.float32
    assert np.array_equal(fast, slow, equal_nan=True)
    call = ScalarCall("ANOMALY_SCORE", AnomalyScoreOfBundle(FunctionContext("ANOMALY_SCORE", {"model.dir": d})),
                      True, False)
    batch = call.ksql_batch(args)
    assert batch == [call(*a) for a in args]  # the per-row path (one-row batches)
    with_nulls = [*args[:5], (d, *rows[5][:3], None, *rows[5][4:]), (None, *rows[6]), *args[7:]]
    got = call.ksql_batch(with_nulls)
    assert got[5] is None and got[6] is None
    assert got[:5] == batch[:5] and got[7:] == batch[7:]
    assert _features([])[0].size == 0


def test_the_columnar_batch_scores_as_the_argument_tuples(bundle: Path) -> None:
    """Issue 19: ANOMALY_SCORE(dir, ...) is declared columnar (ksqlserver.extensions.ArgumentColumns): the
    engine hands it its rows unbuilt and the features go to the float32 matrix by one np.fromiter. Per row
    it gives the tuple path's scores exactly: NaN scores, a null feature scores null, a null literal
    directory nulls the batch; inside a query (the notebook 04 projection) the outputs are identical
    with the function declared columnar or not."""
    from fraudlab.ksql_udf.anomaly import AnomalyScoreOfBundle
    from ksqlserver.extensions import ArgumentColumns, FunctionContext
    from ksqlserver.extensions.invoke import ScalarCall

    rows = synthetic(120, 0.1, seed=11).loc[:, list(FEATURES)].to_numpy(np.float64).tolist()
    rows[7][0] = float("nan")
    rows[9][12] = None
    engine_rows = [["x", *r, 5] for r in rows]  # decoded rows: other columns around the features
    d = str(bundle)
    columns = range(1, 1 + len(FEATURES))
    call = ScalarCall("ANOMALY_SCORE", AnomalyScoreOfBundle(FunctionContext("ANOMALY_SCORE", {"model.dir": d})),
                      True, False)
    got = call.ksql_batch(ArgumentColumns(engine_rows, columns, (d,)))
    assert got == call.ksql_batch([(d, *r) for r in rows])
    assert got[9] is None and got[7] is not None and None not in got[:7]
    assert call.ksql_batch(ArgumentColumns(engine_rows, columns, (None,))) == [None] * len(rows)
    from fraudlab.ksql_udf.anomaly import AnomalyScore

    plain = ScalarCall("ANOMALY_SCORE", AnomalyScore(FunctionContext("ANOMALY_SCORE", {"model.dir": d})), True, False)
    assert plain.ksql_batch(ArgumentColumns(engine_rows, columns)) == plain.ksql_batch([tuple(r) for r in rows]) == got

    def run(columnar: bool) -> list[tuple[bytes | None, bytes | None, int]]:
        engine, driver = _engine({})
        engine.execute(CREATE)
        driver.produce("tx", [
            Record(f"t{i}".encode(), json.dumps(dict(zip(FEATURES, r, strict=True))).encode(), i)
            for i, r in enumerate(rows) if i != 7  # JSON has no NaN
        ])
        from fraudlab.ksql_udf import anomaly

        saved = anomaly.AnomalyScoreOfBundle.__call__
        if not columnar:  # the same function handed tuples only (what the row API passes)
            anomaly.AnomalyScoreOfBundle.__call__ = lambda self, r: saved(  # type: ignore[method-assign]
                self, r.tuples() if type(r) is ArgumentColumns else r)
        try:
            engine.execute(
                f"CREATE STREAM S AS SELECT ID, ANOMALY_SCORE('{d}', {COLS}) AS SCORE, "
                f"ANOMALY_SCORE('{d}', {COLS}) >= ANOMALY_THRESHOLD('{d}') AS IS_FRAUD, "
                f"ANOMALY_THRESHOLD('{d}') AS THRESHOLD, ANOMALY_MODEL_VERSION('{d}') AS V FROM TX;")
            engine.drain()
        finally:
            anomaly.AnomalyScoreOfBundle.__call__ = saved  # type: ignore[method-assign]
        return [(r.key, r.value, r.timestamp) for r in driver.records("S")]

    columnar, tuples = run(True), run(False)
    assert columnar == tuples and len(columnar) == len(rows) - 1
    assert json.loads(columnar[8][1])["SCORE"] is None


def test_preload_imports_the_scoring_libraries_in_the_background() -> None:
    """The extension imports what scoring needs on a daemon thread when the server loads it, so the first
    query's micro-batch does not pay for `import xgboost`; a module that cannot be imported is skipped
    (the call that needs it reports it) and the rest are still imported."""
    import sys

    from fraudlab.ksql_udf.anomaly import PRELOADED, preload_libraries

    assert "xgboost" in PRELOADED
    sys.modules.pop("wave", None)
    thread = preload_libraries(("no_such_module_for_the_preload", "wave"))
    thread.join(60)
    assert not thread.is_alive() and thread.daemon
    assert "wave" in sys.modules
