"""Small pure helpers of the notebooks: the context from the parameters cell, replay timestamps, window
length, run-wide monitor figures, and the service-vs-KSQL score comparison."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from fraudlab.data import synthetic
from fraudlab.pipeline.context import PipelineContext
from fraudlab.pipeline.data import LABEL_DELAY_MAX, extended_frame
from fraudlab.pipeline.errors import StageInputError
from fraudlab.pipeline.ksql_scoring import compare_scores, expect_agreement
from fraudlab.pipeline.monitoring import monitor_totals, window_seconds


def test_replayed_transactions_end_a_label_delay_before_now() -> None:
    frame = synthetic(500, 0.02, seed=1)
    out = extended_frame(frame, seed=1, unlabelled_fraction=0.1)
    stamps = pd.to_datetime(out["Timestamp"], format="%Y-%m-%dT%H:%M:%SZ", utc=True)
    assert stamps.is_monotonic_increasing
    assert stamps.max() <= datetime.now(UTC) - LABEL_DELAY_MAX
    assert stamps.max() - stamps.min() == timedelta(seconds=int(frame["Time"].max()) - int(frame["Time"].min()))


def test_windows_are_whole_hours_with_enough_rows() -> None:
    assert window_seconds(284_807, 48 * 3600) == 3600  # ~5,900 rows an hour
    assert window_seconds(3000, 48 * 3600) == 8 * 3600  # ~62 an hour: 8 hours for ~500
    assert window_seconds(0, 0) == 3600


def test_monitor_totals_sum_counts_rather_than_average_rates() -> None:
    windows = [
        {"records": 100, "alerts": 10, "labelled": 90, "true_positives": 9, "false_positives": 1,
         "false_negatives": 1, "drifted_features": ["V3"], "score_psi": 0.3},
        {"records": 10, "alerts": 1, "labelled": 10, "true_positives": 0, "false_positives": 1,
         "false_negatives": 0, "drifted_features": [], "score_psi": 0.1},
    ]
    totals = monitor_totals(windows)
    assert (totals["records"], totals["alerts"], totals["labelled"]) == (110, 11, 100)
    assert (totals["precision"], totals["recall"]) == (round(9 / 11, 4), 0.9)
    assert totals["windows with drift"] == 1 and totals["drifted features"] == ["V3"]


def _service(scores: list[float], threshold: float = 0.5) -> pd.DataFrame:
    return pd.DataFrame({"id": [str(i) for i in range(len(scores))], "score": scores,
                         "is_fraud": [s >= threshold for s in scores], "model_version": "m", "threshold": threshold})


def _ksql(scores: list[float], threshold: float = 0.5, version: str = "m") -> pd.DataFrame:
    return pd.DataFrame({"ID": list(range(len(scores))), "SCORE": scores,
                         "IS_FRAUD": [s >= threshold for s in scores], "MODEL_VERSION": version})


def test_the_same_scores_agree_and_a_different_model_does_not() -> None:
    comparison, joined = compare_scores(_service([0.1, 0.7, 0.2]), _ksql([0.1, 0.7, 0.2]))
    expect_agreement(comparison, 3)
    assert len(joined) == 3 and comparison.max_abs_diff == 0.0
    with pytest.raises(StageInputError, match="differ by more than"):
        expect_agreement(compare_scores(_service([0.1, 0.7, 0.2]), _ksql([0.1, 0.6, 0.2]))[0], 3)
    with pytest.raises(StageInputError, match="different model versions"):
        expect_agreement(compare_scores(_service([0.1]), _ksql([0.1], version="other"))[0], 1)
    with pytest.raises(StageInputError, match="expected 3 transactions in both"):
        expect_agreement(compare_scores(_service([0.1, 0.7, 0.2]), _ksql([0.1, 0.7]))[0], 3)


def test_the_context_comes_from_the_parameters_cell(tmp_path: Path) -> None:
    namespace = {"bootstrap_servers": "h:1", "connect_url": "http://c:2/", "ksql_url": "http://k:3/", "epochs": "2",
                 "sample_size": 0, "run_id": "r7", "artifacts_dir": str(tmp_path / "a"), "baselines": True,
                 "pd": pd}  # a notebook's other names are ignored
    ctx = PipelineContext.from_notebook(namespace)
    assert (ctx.kafka.bootstrap_servers, ctx.connect_url, ctx.ksql.url) == ("h:1", "http://c:2", "http://k:3")
    assert (ctx.epochs, ctx.sample_size, ctx.names.run_id, ctx.seed) == (2, None, "r7", 42)
    assert ctx.artifacts_dir == tmp_path / "a" and ctx.model_dir == tmp_path / "a" / "model"
    with pytest.raises(StageInputError, match=r"\['ksql_url'\].*run the parameters cell first"):
        PipelineContext.from_notebook({k: v for k, v in namespace.items() if k != "ksql_url"})


def test_the_scores_figure_compares_both_paths_when_ksql_scored() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from fraudlab.pipeline.scoring import scores_plot

    scores = _service([0.1, 0.9, 0.2]).assign(scored_at=[7_200_000] * 3, event_time=[0] * 3)
    alone = scores_plot(scores)
    assert alone.axes[1].get_title() == "replay: transaction time -> scored"
    assert alone.axes[1].patches and max(p.get_x() + p.get_width() for p in alone.axes[1].patches) >= 2.0  # hours
    _, both = compare_scores(scores, _ksql([0.1, 0.9, 0.2]))
    compared = scores_plot(scores, both)
    assert compared.axes[1].get_xlabel() == "service score"
    assert len(compared.axes[1].collections[0].get_offsets()) == 3


def test_a_topic_is_decoded_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notebook 03 reads the labelled topic, 05 loads the frame 03 kept in the run's artifacts."""
    from fraudlab.kafka import KafkaConfig
    from fraudlab.pipeline import topics

    reads: list[tuple[str, int | None]] = []

    def read(kafka: KafkaConfig, topic: str, limit: int | None = None, timeout_s: float = 0.0) -> pd.DataFrame:
        reads.append((topic, limit))
        return pd.DataFrame({"ID": [1, 2], "CLASS": [0, 1], "_timestamp_ms": [10, 20]})

    monkeypatch.setattr(topics, "topic_frame", read)
    kafka = KafkaConfig(bootstrap_servers="127.0.0.1:1")
    first = topics.run_topic_frame(kafka, "labelled", 2, tmp_path / "frames")
    again = topics.run_topic_frame(kafka, "labelled", 2, tmp_path / "frames")
    pd.testing.assert_frame_equal(first, again)
    assert reads == [("labelled", 2)]
    topics.run_topic_frame(kafka, "labelled", 3, tmp_path / "frames")  # another count: read again
    assert reads == [("labelled", 2), ("labelled", 3)]
    assert not list((tmp_path / "frames").glob("*.tmp"))


def test_the_csv_writers_format_numbers_as_pandas_did(tmp_path: Path) -> None:
    """Notebook 01's files: numbers as `to_csv(float_format="%.15g")` wrote them, labels and quoting kept."""
    from fraudlab.data.schema import COLUMNS
    from fraudlab.pipeline.data import write_extended_csv, write_kaggle_csv

    frame = synthetic(200, 0.05, seed=3)
    frame.loc[0, "V1"] = -0.0
    frame.loc[1, "Amount"] = 1e-20
    kaggle = write_kaggle_csv(frame, tmp_path / "k.csv")
    want = frame.loc[:, list(COLUMNS)].copy()
    want["Class"] = want["Class"].astype(int)
    want.to_csv(tmp_path / "want.csv", index=False, float_format="%.15g")
    assert kaggle.read_bytes() == (tmp_path / "want.csv").read_bytes()
    extended = extended_frame(frame, seed=1, unlabelled_fraction=0.1)
    lines = write_extended_csv(extended, tmp_path / "e.csv").read_text().splitlines()
    first = extended.iloc[0]
    fields = ",".join(f"{float(first[c]):.15g}" for c in COLUMNS[:-1])
    label = f'"{first["Class"]}"' if first["Class"] else ""
    assert lines[0] == f'1,"{first["Timestamp"]}","{first["User"]}",{fields},{label}'
    assert sum(line.endswith(",") for line in lines) == int((extended["Class"] == "").sum())


def test_both_csvs_written_together_are_the_same_bytes(tmp_path: Path) -> None:
    """write_input_csvs formats the number columns once for both files: byte for byte what the two writers
    write apart, also when the extended frame's numbers are not the frame's (a -0.0 turned into 0.0)."""
    from fraudlab.pipeline.data import write_extended_csv, write_input_csvs, write_kaggle_csv

    frame = synthetic(300, 0.05, seed=4)
    frame.loc[0, "V1"] = -0.0
    frame.loc[2, "Amount"] = 1e-20
    for extended in (extended_frame(frame, seed=2, unlabelled_fraction=0.1),
                     extended_frame(frame, seed=2, unlabelled_fraction=0.1).assign(V1=lambda f: f["V1"] + 0.0)):
        kaggle, ext = write_input_csvs(frame, extended, tmp_path / "k.csv", tmp_path / "e.csv")
        assert kaggle.read_bytes() == write_kaggle_csv(frame, tmp_path / "k2.csv").read_bytes()
        assert ext.read_bytes() == write_extended_csv(extended, tmp_path / "e2.csv").read_bytes()
    assert b",-0," in (tmp_path / "k.csv").read_bytes() and b",-0," not in (tmp_path / "e.csv").read_bytes()
