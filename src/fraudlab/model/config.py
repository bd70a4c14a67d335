"""Training configuration: one frozen object per component, built at the CLI/notebook edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class AutoencoderConfig:
    """Architecture and optimisation of one autoencoder.

    The defaults are the workbench autoencoder. They were chosen on the time split's validation slice
    among tanh/relu/elu, widths 16-64, MSE/MAE/Huber/ABC losses, input noise and five anomaly scores, by
    the rule "highest validation PR-AUC among candidates with validation ROC-AUC >= 0.95" (wider ReLU
    nets reach a higher PR-AUC but rank a tail of frauds below many normal rows): ELU 20-10-20 with a
    linear output, MSE loss, the mean squared error as anomaly score.
    """

    hidden: tuple[int, ...] = (20, 10, 20)
    activation: str = "elu"
    output_activation: str = "linear"
    l1_activity: float = 0.0
    loss: str = "mse"
    epochs: int = 20
    batch_size: int = 256
    learning_rate: float = 1e-3
    patience: int = 4
    seed: int = 42
    # > 0: also train on the fit slice's frauds with the ABC loss (Yamanaka et al. 2019), weighted so:
    # normal rows minimise their reconstruction error, frauds minimise -log(1 - exp(-error)).
    fraud_weight: float = 0.0
    noise: float = 0.0  # Gaussian input noise while training (a denoising autoencoder)
    # anomaly score: "standardized" divides each feature's residual by its spread on normal rows,
    # "mse" weighs all (already standardised) features equally; both are reported as log(mean sq).
    score: str = "mse"
    # training steps per call into the compiled graph: the networks are so small that Keras' per-step
    # Python dispatch dominated their training time; the steps, their order and the result are the same
    steps_per_execution: int = 64


# The original demo: 30-14-7-7-30, tanh/relu, L1 activity 1e-5 on the first layer, MSE, Adam, batch 32.
REFERENCE_AE = AutoencoderConfig(
    hidden=(14, 7, 7),
    activation="demo",
    output_activation="relu",
    l1_activity=1e-5,
    batch_size=32,
    patience=20,
)


@dataclass(frozen=True)
class HeadConfig:
    """The supervised head that reads the autoencoder's code and residuals.

    `members` networks of `hidden` ReLU units each, trained side by side (one graph, each member with
    its own early stopping); the score is their mean probability (one member: the single head of earlier bundles).
    """

    members: int = 5
    hidden: int = 32
    epochs: int = 30
    batch_size: int = 512
    learning_rate: float = 1e-3
    patience: int = 5
    l2: float = 1e-4
    seed: int = 42
    steps_per_execution: int = 64  # as `AutoencoderConfig.steps_per_execution`


@dataclass(frozen=True)
class TreeConfig:
    """The gradient-boosted tree member (XGBoost), early-stopped on the validation slice.

    On the time split's validation slice depth 4, rate 0.05, `min_child_weight` 3, L2 5 (181 rounds,
    PR-AUC 0.790) beat the earlier depth 3, rate 0.03 (496 rounds, 0.785): fewer trees too, so it
    trains and scores faster. `max_rounds`/`patience` bound the training time.
    """

    max_depth: int = 4
    learning_rate: float = 0.05
    subsample: float = 0.8
    colsample_bytree: float = 0.7
    min_child_weight: float = 3.0
    l2: float = 5.0
    max_rounds: int = 1500
    patience: int = 150
    # after every choice is made on validation, refit the trees on fit + validation rows with the
    # early-stopped round count scaled by the data's growth (the protocol of the earlier blend round);
    # the calibration stays the one fitted on the validation slice
    refit: bool = True


@dataclass(frozen=True)
class EnsembleConfig:
    """How the deployed model is chosen: candidate weights of the autoencoder member's log-odds next
    to the trees' (0: trees alone, 1: the autoencoder head alone), picked by validation PR-AUC."""

    ae_weights: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)
    # the autoencoder member (autoencoder + supervised head) is trained at all; False: trees alone
    autoencoder: bool = True


@dataclass(frozen=True)
class ThresholdConfig:
    rule: Literal["precision", "alert_rate", "cost"] = "cost"
    target: float = 0.8
    review_cost: float = 5.0


@dataclass(frozen=True)
class TrainConfig:
    split: Literal["time", "random"] = "time"
    seed: int = 42
    epochs: int = 20
    out_dir: Path = Path("models/fraud")
    val_fraction: float = 0.2
    test_fraction: float = 0.2
    workbench: AutoencoderConfig = field(default_factory=AutoencoderConfig)
    reference: AutoencoderConfig = REFERENCE_AE
    head: HeadConfig = field(default_factory=HeadConfig)
    trees: TreeConfig = field(default_factory=TreeConfig)
    ensemble: EnsembleConfig = field(default_factory=EnsembleConfig)
    threshold: ThresholdConfig = field(default_factory=ThresholdConfig)
    baselines: bool = True
    xgboost_baseline: bool = False  # the old XGBoost baseline next to the ensemble's own XGBoost member
    reference_ae: bool = True
    verbose: int = 1
    # Cap on the threads of every library that trains (None: library defaults): the OpenMP/BLAS threads
    # of the XGBoost/scikit-learn models and TensorFlow's intra-/inter-op pools (`model.threads`). On a busy
    # machine threads spin-wait for each other: gradient boosting ran 10x faster on 1 thread, the Keras
    # head took 23 % less CPU on one.
    threads: int | None = None
    # fit the XGBoost/scikit-learn models on a worker thread while the Keras networks train
    parallel: bool = True
