"""ANOMALY_SCORE and ANOMALY_THRESHOLD: a model bundle as functions inside KSQL persistent queries.

Loaded by the embedded ksqlserver from its extension directory (`extension_dir()`), through the
plugin API only. The bundle is opened once per server (server property
`ksql.functions.anomaly_score.model.dir`, or `ksql.functions._global_.model.dir`) and scores a whole
micro-batch per ONNX Runtime call; per-row results equal `fraudlab.model.load(dir).score(rows)`
rounded to 7 decimals (as the scoring service writes them).

    SELECT ID, ANOMALY_SCORE(Time, V1, ..., V28, Amount) AS score,
           ANOMALY_SCORE(Time, V1, ..., V28, Amount) >= ANOMALY_THRESHOLD() AS is_fraud FROM ...

Each function also takes the bundle directory as a leading STRING argument
(`ANOMALY_SCORE('/path/to/bundle', Time, ..., Amount)`, `ANOMALY_THRESHOLD('/path')`), so a statement
names the exact bundle it deploys whatever the server was started with (the pipeline's notebooks do
this). Those bundles are opened on first use and reopened when their `model.json` changes. An empty
directory (`ANOMALY_SCORE('', ...)`) names the server's own bundle: what `fraudlab ksql apply` deploys when
the server will not say where that is (ksqlDB shows every `ksql.functions.*` property as `[hidden]`).
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab.data.schema import FEATURES
from fraudlab.model import Scorer
from fraudlab.scoring import score_features
from ksqlserver.extensions import ArgumentColumns, FunctionContext, udf

AUTHOR = "fraudlab"
VERSION = "1"
MODEL_DIR = "model.dir"  # ksql.functions.<name>.model.dir
THREADS = "threads"  # ksql.functions.<name>.threads: ONNX Runtime's and XGBoost's threads (default 1)
# One thread, as the scoring service: the engine already runs its queries on threads of their own, and a
# second intra-op thread roughly doubled the CPU per scored row on a busy 2-core machine (spinning
# workers) for no gain in rows per second.
DEFAULT_THREADS = 1
_PARAMS = [(name.upper(), "DOUBLE") for name in FEATURES]
_STRUCT = "STRUCT<" + ", ".join(f"{name.upper()} DOUBLE" for name in FEATURES) + ">"
_DESCRIPTION = (
    "The fraud model's anomaly score of one transaction (higher is more suspicious), from the model "
    "bundle in ksql.functions.anomaly_score.model.dir; compare with ANOMALY_THRESHOLD()."
)


# What opening and scoring a bundle imports: XGBoost alone is about 1 s of CPU (2-3 s of wall time on a busy
# machine), which the first query that scored paid inside its first micro-batch (notebook 04's KSQL scoring query
# on the full data: about a sixth of its CPU).
PRELOADED = ("xgboost", "onnxruntime", "fraudlab.model.trees", "fraudlab.model.calibration")


def preload_libraries(modules: Sequence[str] = PRELOADED) -> threading.Thread:
    """Import `modules` on a daemon thread, so a query's first ANOMALY_SCORE call finds them imported. A
    module that fails to import is left for that call to report. (Not at a lower priority: on a busy machine
    a niced thread starved, and a query needing the module waited on its import lock.)"""
    import contextlib
    import importlib

    def run() -> None:
        for name in modules:
            with contextlib.suppress(Exception):  # a failure is reported by the first call that needs it
                importlib.import_module(name)

    thread = threading.Thread(target=run, name="anomaly-preload", daemon=True)
    thread.start()
    return thread


def _scorer(ctx: FunctionContext) -> Scorer:
    """The bundle, opened once for every overload of the function."""

    def open_bundle() -> Scorer:
        from fraudlab.model import load

        threads = ctx.get(THREADS)
        return load(ctx.require(MODEL_DIR), threads=int(threads) if threads else DEFAULT_THREADS)

    scorer: Scorer = ctx.shared("scorer", open_bundle)
    return scorer


def _order(scorer: Scorer) -> list[int] | None:
    """Column order of the bundle's features in the function's argument order (None: the same)."""
    names = [n.upper() for n in FEATURES]
    wanted = [n.upper() for n in scorer.feature_names]
    if wanted == names:
        return None
    return [names.index(n) for n in wanted]


_FIRST = operator.itemgetter(0)
_TAIL = operator.itemgetter(slice(1, None))


def _complete(rows: Sequence[Sequence[Any]]) -> tuple[np.ndarray, list[int] | None]:
    """The float32 matrix of the rows without a null feature, and which rows those are (None: all).
    A null converts to NaN, so only rows with a NaN are looked at one by one (a NaN value scores)."""
    return _without_nulls(np.asarray(rows, dtype=np.float32), rows, 0)


def _without_nulls(
    matrix: np.ndarray, rows: Sequence[Sequence[Any]], skip: int
) -> tuple[np.ndarray, list[int] | None]:
    """The matrix rows whose features (`rows[i][skip:]`) hold no null, and which those are (None: all)."""
    suspects = np.flatnonzero(np.isnan(matrix).any(axis=1)).tolist() if matrix.size else []
    nulls = {i for i in suspects if None in rows[i][skip:]}
    if not nulls:
        return matrix, None
    kept = [i for i in range(len(rows)) if i not in nulls]
    return matrix[kept], kept


def _features(rows: Sequence[Sequence[Any]]) -> tuple[np.ndarray, list[int] | None]:
    """`_complete` of the rows' features (all but the leading directory), read straight into a float32
    matrix by one C-level pass with no tuple per row (numpy reads a null as NaN there too, so NaN rows
    are checked for nulls in the same way); a value numpy cannot read takes `_complete`'s own path."""
    width = len(rows[0]) - 1 if rows else 0
    if not width or set(map(len, rows)) != {width + 1}:
        return _complete(list(map(_TAIL, rows)))
    try:
        flat = np.fromiter(chain.from_iterable(map(_TAIL, rows)), dtype=np.float32, count=len(rows) * width)
    except (TypeError, ValueError):
        return _complete(list(map(_TAIL, rows)))
    return _without_nulls(flat.reshape(len(rows), width), rows, 1)


def _column_features(rows: ArgumentColumns, skip: int) -> tuple[np.ndarray, list[int] | None]:
    """`_features` of a columnar batch: the feature arguments (from `skip` on) read from the engine's rows
    into the float32 matrix by one `np.fromiter`, no argument tuple built (nulls as in `_without_nulls`)."""
    width = rows.width - skip
    try:
        flat = np.fromiter(rows.values(skip), dtype=np.float32, count=len(rows) * width)
    except (TypeError, ValueError):
        return _complete([row[skip:] for row in rows])
    return _without_nulls(flat.reshape(len(rows), width), rows, skip)


def _scores(scorer: Scorer, order: list[int] | None, matrix: np.ndarray) -> list[float]:
    if order is not None:
        matrix = matrix[:, order]
    scores, _ = score_features(scorer, matrix)
    # 7 decimals, as the scoring service writes them: float32 precision, and short Java double texts
    return np.round(scores.astype(np.float64), 7).tolist()


@udf(
    "ANOMALY_SCORE",
    params=_PARAMS,
    returns="DOUBLE",
    batch=True,
    null_in_null_out=False,  # nulls are found in the float32 matrix (`_complete`)
    columnar=True,  # plain feature columns go to the matrix without an argument tuple per row
    description=_DESCRIPTION,
    author=AUTHOR,
    version=VERSION,
)
class AnomalyScore:
    """ANOMALY_SCORE(Time, V1, ..., V28, Amount): one call scores a micro-batch of argument rows."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.scorer = _scorer(ctx)
        self.order = _order(self.scorer)

    def __call__(self, rows: Sequence[tuple[float, ...]]) -> list[float | None]:
        matrix, kept = _column_features(rows, 0) if type(rows) is ArgumentColumns else _complete(rows)
        scores = _scores(self.scorer, self.order, matrix)
        if kept is None:
            return list(scores)
        out: list[float | None] = [None] * len(rows)
        for i, s in zip(kept, scores, strict=True):
            out[i] = s
        return out


@udf(
    "ANOMALY_SCORE",
    params=[("TX", _STRUCT)],
    returns="DOUBLE",
    batch=True,
    description="The same score for a STRUCT of the 30 features (field names as the columns).",
)
class AnomalyScoreStruct:
    """ANOMALY_SCORE(STRUCT<TIME, V1, ..., AMOUNT>): a struct missing a feature scores null."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.scorer = _scorer(ctx)
        self.order = _order(self.scorer)
        self.names = [n.upper() for n in FEATURES]

    def __call__(self, rows: Sequence[tuple[dict[str, Any]]]) -> list[float | None]:
        values: list[list[Any]] = []
        for (struct,) in rows:
            fields = {str(k).upper(): v for k, v in struct.items()}
            values.append([fields.get(n) for n in self.names])
        complete = [i for i, v in enumerate(values) if None not in v]
        out: list[float | None] = [None] * len(values)
        if complete:
            matrix = np.asarray([values[i] for i in complete], dtype=np.float32)
            for i, s in zip(complete, _scores(self.scorer, self.order, matrix), strict=True):
                out[i] = s
        return out


@udf(
    "ANOMALY_THRESHOLD",
    params=[],
    returns="DOUBLE",
    description="The model bundle's alert threshold: ANOMALY_SCORE(...) >= ANOMALY_THRESHOLD() flags fraud.",
    author=AUTHOR,
    version=VERSION,
    deterministic=True,
)
class AnomalyThreshold:
    """ANOMALY_THRESHOLD(): the threshold in the bundle's model card (read once)."""

    def __init__(self, ctx: FunctionContext) -> None:
        from fraudlab.model.bundle import read_card

        card = read_card(_bundle_path(ctx))
        self.threshold = float(card["threshold"]["value"])

    def __call__(self) -> float:
        return self.threshold


def _bundle_path(ctx: FunctionContext) -> Any:
    return Path(ctx.require(MODEL_DIR))


@udf(
    "ANOMALY_MODEL_VERSION",
    params=[],
    returns="STRING",
    description="The model bundle's version (model card), to tag scores and group monitoring tables.",
    author=AUTHOR,
    version=VERSION,
    deterministic=True,
)
class AnomalyModelVersion:
    """ANOMALY_MODEL_VERSION(): the bundle's `model_version` (read once)."""

    def __init__(self, ctx: FunctionContext) -> None:
        from fraudlab.model.bundle import read_card

        self.version = str(read_card(_bundle_path(ctx))["model_version"])

    def __call__(self) -> str:
        return self.version


# -- the bundle named by the statement (leading STRING argument) ----------------------------------


class _Bundles:
    """Scorers by bundle directory, reopened when the card's mtime changes (a re-exported bundle); the
    empty directory is the server's own bundle (`default`, its model.dir property)."""

    def __init__(self, threads: int, default: str | None = None) -> None:
        self.threads = threads
        self.default = default
        self._open: dict[str, tuple[int, Scorer, list[int] | None]] = {}
        self._lock = threading.Lock()

    def get(self, directory: str) -> tuple[Scorer, list[int] | None]:
        from fraudlab.model import load
        from fraudlab.model.bundle import CARD_FILE

        if directory == "":
            if not self.default:
                raise FileNotFoundError(f"no bundle named and no {MODEL_DIR} configured")  # null scores
            directory = self.default
        mtime = (Path(directory) / CARD_FILE).stat().st_mtime_ns  # a missing bundle raises: null scores
        with self._lock:
            hit = self._open.get(directory)
            if hit is None or hit[0] != mtime:
                scorer = load(directory, threads=self.threads)
                hit = self._open[directory] = (mtime, scorer, _order(scorer))
        return hit[1], hit[2]


def _bundles(ctx: FunctionContext) -> _Bundles:
    threads = ctx.get(THREADS)
    bundles: _Bundles = ctx.shared(
        "bundles", lambda: _Bundles(int(threads) if threads else DEFAULT_THREADS, ctx.get(MODEL_DIR))
    )
    return bundles


@udf(
    "ANOMALY_SCORE",
    params=[("MODEL_DIR", "STRING"), *_PARAMS],
    returns="DOUBLE",
    batch=True,
    # nulls are found in the float32 matrix (NaN, then checked) rather than by the engine row by row
    null_in_null_out=False,
    columnar=True,  # the features go from the engine's rows to the matrix without an argument tuple per row
    description="The same score from the model bundle in the directory MODEL_DIR (read on first use).",
)
class AnomalyScoreOfBundle:
    """ANOMALY_SCORE(model_dir, Time, V1, ..., Amount): rows are grouped by bundle, one call per group."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.bundles = _bundles(ctx)

    def __call__(self, rows: Sequence[tuple[Any, ...]]) -> list[float | None]:
        """A row with a null (directory or feature) scores null, as a null-in-null-out function."""
        if type(rows) is ArgumentColumns and rows.is_literal(0):
            return self._of_literal(rows)
        out: list[float | None] = [None] * len(rows)
        directories = set(map(_FIRST, rows))
        groups: dict[str, list[int] | None] = {}
        if len(directories) == 1 and None not in directories:
            groups[directories.pop()] = None  # the usual case: one bundle named by a literal
        else:
            for i, row in enumerate(rows):
                if row[0] is not None:
                    groups.setdefault(row[0], []).append(i)  # type: ignore[union-attr]
        for directory, index in groups.items():
            scorer, order = self.bundles.get(directory)
            part = rows if index is None else [rows[i] for i in index]
            matrix, kept = _features(part)
            where: Sequence[int] = range(len(rows)) if index is None else index
            if kept is not None:
                where = [where[k] for k in kept]
            for i, s in zip(where, _scores(scorer, order, matrix), strict=True):
                out[i] = s
        return out


    def _of_literal(self, rows: ArgumentColumns) -> list[float | None]:
        """The usual batch: the bundle named by a literal, the features plain columns."""
        directory = rows.literal(0)
        if directory is None or not len(rows):
            return [None] * len(rows)
        scorer, order = self.bundles.get(directory)
        matrix, kept = _column_features(rows, 1)
        scores = _scores(scorer, order, matrix)
        if kept is None:
            return scores
        out: list[float | None] = [None] * len(rows)
        for i, s in zip(kept, scores, strict=True):
            out[i] = s
        return out


@udf(
    "ANOMALY_THRESHOLD",
    params=[("MODEL_DIR", "STRING")],
    returns="DOUBLE",
    description="The alert threshold of the model bundle in the directory MODEL_DIR.",
    deterministic=True,  # one call per micro-batch: a re-exported bundle is seen batch by batch, as by the score
)
class AnomalyThresholdOfBundle:
    def __init__(self, ctx: FunctionContext) -> None:
        self.bundles = _bundles(ctx)

    def __call__(self, directory: str) -> float:
        return self.bundles.get(directory)[0].threshold


@udf(
    "ANOMALY_MODEL_VERSION",
    params=[("MODEL_DIR", "STRING")],
    returns="STRING",
    description="The version of the model bundle in the directory MODEL_DIR.",
    deterministic=True,
)
class AnomalyModelVersionOfBundle:
    def __init__(self, ctx: FunctionContext) -> None:
        self.bundles = _bundles(ctx)

    def __call__(self, directory: str) -> str:
        return self.bundles.get(directory)[0].model_version
