"""One training run (`fit_models`): check the frame, split it, fit every model family, then score the
validation and test rows and choose the threshold on validation.

The Keras networks (the workbench autoencoder and its head, the reference autoencoder) train on the
calling thread, one after the other. The models that need no autoencoder output (the trees, the
baselines on the workbench features) and, once the autoencoder is trained, the baseline on the head's
inputs are fitted meanwhile on one worker thread (`TrainConfig.parallel`): a small Keras network's
training keeps about one core busy, the XGBoost/scikit-learn fits (`TrainConfig.threads`, one on the
demo) the other. Each model's result does not depend on what runs next to it; only its seconds do.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from fraudlab.data.schema import FEATURES, LABEL
from fraudlab.evaluate import choose_threshold, ranking_metrics
from fraudlab.features import WorkbenchFeatures
from fraudlab.model.config import TrainConfig
from fraudlab.model.errors import TrainingError
from fraudlab.model.threads import limit_keras_threads
from fraudlab.model.training.autoencoders import fit_reference, fit_workbench
from fraudlab.model.training.baselines import HEAD_INPUT_BASELINE, baseline_jobs, head_input_job
from fraudlab.model.training.ensemble import TreeMember, fit_ensemble, fit_tree_member
from fraudlab.model.training.result import BUNDLE_MODEL, ModelScores, TrainingResult, with_epochs
from fraudlab.splits import make_split

T = TypeVar("T")


class _Worker:
    """Runs jobs on one worker thread in submission order (or at once, on the caller's thread, when
    `parallel` is off), advancing the progress bar as each ends."""

    def __init__(self, parallel: bool, steps: Any) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fraudlab-fit") if parallel else None
        self.steps = steps

    def submit(self, job: Callable[[], T], step: bool = True) -> Future[T]:
        def run() -> T:
            out = job()
            if step:
                self.steps.update()
            return out

        if self.pool is not None:
            return self.pool.submit(run)
        done: Future[T] = Future()
        done.set_result(run())
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _check_frame(frame: pd.DataFrame) -> None:
    missing = [c for c in (*FEATURES, LABEL) if c not in frame.columns]
    if missing:
        raise TrainingError("columns", missing, "the training frame lacks these columns")
    if int(frame[LABEL].sum()) < 4:
        raise TrainingError(
            "frauds", int(frame[LABEL].sum()), "need at least 4 fraud rows to split and evaluate"
        )


def fit_models(frame: pd.DataFrame, config: TrainConfig, log_dir: Path | None = None) -> TrainingResult:
    """Train every model on one split, choose and calibrate the deployed ensemble on the validation
    slice, and score the validation and test rows."""
    _check_frame(frame)
    limit_keras_threads(config.threads)  # before the first TensorFlow op of the process fixes its pools
    split = make_split(frame, config.split, config.test_fraction, config.val_fraction)
    raw = frame.loc[:, list(FEATURES)].to_numpy(dtype=np.float64)
    y = frame[LABEL].to_numpy(dtype=np.int64)
    for part in ("val", "test"):
        if y[getattr(split, part)].sum() == 0:
            raise TrainingError(f"{part} frauds", 0, f"the {part} slice holds no fraud; use more data")
    result = TrainingResult(split=split, y=y, amount=raw[:, FEATURES.index("Amount")])
    fit, val, test = split.fit, split.val, split.test
    wb_cfg = with_epochs(config.workbench, config.epochs, config.seed)
    with_ae = config.ensemble.autoencoder

    steps = tqdm(
        total=2 + (2 if with_ae else 0) + (1 if config.reference_ae else 0)
        + ((6 if config.xgboost_baseline else 5) if config.baselines else 0),
        desc="train",
        unit="step",
    )
    features = WorkbenchFeatures.fit(raw[fit])
    x = features.transform(raw)
    extra: dict[str, Any] = {"features": features}
    ae_logit: np.ndarray | None = None
    h_in: np.ndarray | None = None
    wb_seconds = 0.0

    worker = _Worker(config.parallel, steps)
    try:
        # no autoencoder output needed: queued first, fitted while the autoencoder trains
        tree_job: Future[TreeMember] = worker.submit(lambda: fit_tree_member(raw, y, split, config), step=False)
        jobs: dict[str, Future[ModelScores]] = {}
        if config.baselines:
            jobs = {name: worker.submit(job) for name, job in baseline_jobs(x, y, split, config).items()}

        if with_ae:
            member = fit_workbench(raw, x, y, split, features, wb_cfg, config, log_dir, steps, result)
            ae_logit, h_in, wb_seconds = member.logit, member.head_inputs, member.seconds
            extra |= member.card
        if config.baselines and h_in is not None:
            jobs[HEAD_INPUT_BASELINE] = worker.submit(head_input_job(h_in, y, split, wb_seconds, config))
        elif config.baselines:
            steps.update()  # the head-input baseline's step: no autoencoder, no head inputs

        fit_ensemble(frame, tree_job.result(), y, split, ae_logit, wb_seconds, config, steps, result, extra)

        if config.reference_ae:
            fit_reference(raw, y, split, config, log_dir, steps, result)

        # the baselines in their report order, whatever order they ended in
        for name, job in jobs.items():
            result.models[name] = job.result()
    finally:
        worker.close()
    steps.close()

    for name, scores in result.models.items():
        result.metrics[name] = {
            "test": ranking_metrics(y[test], scores.test),
            "validation": ranking_metrics(y[val], scores.val),
        }
    bundle = result.models[BUNDLE_MODEL]
    tcfg = config.threshold
    result.threshold = choose_threshold(
        y[val], bundle.val, tcfg.rule, tcfg.target, amount=result.amount[val], review_cost=tcfg.review_cost
    )
    result.card = extra
    return result
