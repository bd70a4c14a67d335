"""`fraudlab train` and `fraudlab evaluate`."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.option(
    "--data", "data_path", required=True, type=click.Path(path_type=Path), help="creditcard.csv(.gz)"
)
@click.option("--split", type=click.Choice(["time", "random"]), default="time", show_default=True)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("models/fraud"), show_default=True
)
@click.option("--epochs", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--head-epochs",
    type=click.IntRange(min=1),
    default=None,
    help="epoch limit of each supervised head member (default: HeadConfig's; early stopping ends it sooner)",
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--threshold-rule",
    type=click.Choice(["cost", "precision", "alert_rate"]),
    default="cost",
    show_default=True,
)
@click.option(
    "--threshold-target",
    type=float,
    default=0.8,
    show_default=True,
    help="target precision or alert rate (unused by the cost rule)",
)
@click.option("--review-cost", type=float, default=5.0, show_default=True, help="cost of reviewing one alert")
@click.option("--no-baselines", is_flag=True, help="skip the baselines and the reference autoencoder")
@click.option("--verify-sha256", is_flag=True, help="check the file against the Kaggle file's SHA-256")
@click.option("--quiet", is_flag=True, help="no per-epoch Keras progress bars")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=None,
    help="cap the training threads: XGBoost/scikit-learn and TensorFlow (busy machines)",
)
def train(
    data_path: Path,
    split: str,
    out_dir: Path,
    epochs: int,
    head_epochs: int | None,
    seed: int,
    threshold_rule: str,
    threshold_target: float,
    review_cost: float,
    no_baselines: bool,
    verify_sha256: bool,
    quiet: bool,
    threads: int | None,
) -> None:
    """Train the autoencoder, its supervised head and the baselines; write the model bundle."""
    from fraudlab.data import csv_sha256, load_creditcard
    from fraudlab.model.config import HeadConfig, ThresholdConfig, TrainConfig
    from fraudlab.model.training import comparison_table, fit_models, write_bundle

    config = TrainConfig(
        split=split,  # type: ignore[arg-type]
        seed=seed,
        epochs=epochs,
        out_dir=out_dir,
        threshold=ThresholdConfig(rule=threshold_rule, target=threshold_target, review_cost=review_cost),  # type: ignore[arg-type]
        baselines=not no_baselines,
        reference_ae=not no_baselines,
        verbose=0 if quiet else 1,
        threads=threads,
        head=HeadConfig() if head_epochs is None else HeadConfig(epochs=head_epochs),
    )
    click.echo(f"loading {data_path}")
    frame = load_creditcard(data_path, verify_sha256=verify_sha256)
    digest = csv_sha256(data_path)
    result = fit_models(frame, config, log_dir=out_dir / "logs")
    card = write_bundle(result, out_dir, config, data_path.name, digest)
    click.echo(comparison_table(result))
    t = card["threshold"]
    click.echo(f"threshold {t['value']:.6g} ({t['rule']} rule, chosen on validation)")
    click.echo(f"bundle written to {out_dir} (model_version {card['model_version']})")


@click.command()
@click.option("--model", "model_dir", required=True, type=click.Path(path_type=Path), help="bundle directory")
@click.option(
    "--data", "data_path", required=True, type=click.Path(path_type=Path), help="creditcard.csv(.gz)"
)
@click.option(
    "--rows",
    type=click.Choice(["test", "all"]),
    default="test",
    show_default=True,
    help="score the bundle's test split of this file (same split rule as training) or every row",
)
@click.option("--backend", type=click.Choice(["onnx", "keras"]), default="onnx", show_default=True)
def evaluate(model_dir: Path, data_path: Path, rows: str, backend: str) -> None:
    """Score a file with a bundle and print its metrics as JSON."""
    from fraudlab.data import load_creditcard
    from fraudlab.evaluate import at_threshold, ranking_metrics
    from fraudlab.model import load
    from fraudlab.splits import make_split

    scorer = load(model_dir, backend=backend)  # type: ignore[arg-type]
    frame = load_creditcard(data_path)
    if rows == "test":
        data = scorer.card["training_data"]
        cfg = scorer.card.get("train_config", {})
        split = make_split(frame, data["split"], cfg.get("test_fraction", 0.2), cfg.get("val_fraction", 0.2))
        frame = frame.iloc[split.test]
    y = frame["Class"].to_numpy()
    scores = scorer.score(frame)
    out = {
        "model_version": scorer.model_version,
        "rows": rows,
        "n_rows": len(frame),
        "frauds": int(y.sum()),
        **ranking_metrics(y, scores),
        "threshold": scorer.threshold,
        "at_threshold": at_threshold(y, scores, scorer.threshold),
    }
    click.echo(json.dumps(out, indent=2))
