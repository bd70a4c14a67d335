"""`fraudlab train` and `fraudlab evaluate` end to end on a small Kaggle-formatted synthetic file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudlab.cli import main
from fraudlab.data import COLUMNS, synthetic
from fraudlab.monitor import Monitor, MonitorConfig, read_reference


def _write_kaggle_style(path: Path, n_rows: int) -> None:
    """Quoted header, quoted Class, R-like number formatting (as in the Kaggle file)."""
    frame = synthetic(n_rows, 0.02, seed=8)
    lines = [",".join(f'"{c}"' for c in COLUMNS)]
    for row in frame.itertuples(index=False):
        *values, cls = row
        lines.append(",".join(f"{v:.15g}" for v in values) + f',"{cls}"')
    path.write_text("\n".join(lines) + "\n")


def test_train_then_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "creditcard_sample.csv"
    _write_kaggle_style(data, 3000)
    out = tmp_path / "models" / "cli"
    main(
        [
            "train",
            "--data",
            str(data),
            "--out",
            str(out),
            "--epochs",
            "2",
            # the head's members stop at 5 epochs (the default 30 was most of this test's time); the head's
            # early stopping is tested in tests/unit/fraudlab/model
            "--head-epochs",
            "5",
            "--seed",
            "3",
            "--quiet",
            "--threads",
            "1",
        ]
    )
    printed = capsys.readouterr().out
    assert "bundle written to" in printed and "gradient_boosting" in printed
    metrics = json.loads((out / "metrics.json").read_text())
    # every candidate of the deployed ensemble is reported next to the baselines
    assert set(metrics["baselines"]) == {
        "workbench_ae_head",
        "trees_hour",
        "blend_ae_0.25",
        "blend_ae_0.5",
        "blend_ae_0.75",
        "workbench_autoencoder",
        "reference_autoencoder",
        "mahalanobis",
        "isolation_forest",
        "logistic_regression",
        "gradient_boosting",
        "ae_gradient_boosting",
    }
    card = json.loads((out / "model.json").read_text())
    assert card["train_config"]["epochs"] == 2 and card["train_config"]["seed"] == 3
    assert card["autoencoder"]["epochs_run"] <= 2
    assert card["head"]["config"]["epochs"] == 5 and max(card["head"]["members_epochs_run"]) <= 5
    assert (out / "model.onnx").is_file() and (out / "pr_curves.png").stat().st_size > 1000
    # the drift reference of `fraudlab monitor --model`: every model input but the clock, and the score
    reference = card["reference"]
    assert set(reference["features"]) == set(COLUMNS[1:-1]) and reference["score"]["edges"]
    assert len(reference["features"]["V1"]["proportions"]) == 10
    mon = Monitor(MonitorConfig(scores_topic="s", model_dir=out))
    assert mon.reference is not None and mon.reference.score is not None
    assert read_reference(out).features.keys() == mon.reference.features.keys()
    # the like-hours view of the same rows, in the same section: the monitor's drift tests and change detector
    hourly = reference["hourly"]
    assert hourly["kind"] == "hourly_quantiles" and set(hourly["features"]) == set(reference["features"])
    assert len(hourly["score_quantiles"]) == 24 and "score_edges" not in hourly  # the score's bins are `score`
    assert mon.reference.hourly is not None and mon.analyzer is not None

    main(["evaluate", "--model", str(out), "--data", str(data)])
    report = json.loads(capsys.readouterr().out)
    assert report["n_rows"] == 600  # the same time-ordered test split as training
    assert report["pr_auc"] == pytest.approx(metrics["pr_auc"], abs=1e-4)  # ONNX reproduces training's scores
    assert report["model_version"] == card["model_version"]


def test_train_reports_bad_data_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('"Time","V1"\n0,1\n')
    with pytest.raises(SystemExit) as info:
        main(["train", "--data", str(bad), "--out", str(tmp_path / "m")])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "missing column(s)" in err and str(bad) in err
