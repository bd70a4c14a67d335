"""Notebook 04's KSQL function path: is ANOMALY_SCORE there, run `ksql/04_scoring.sql` with the bundle
notebook 03 exported, and compare the KSQL scores with the scoring service's.

Only the embedded ksqlserver has ANOMALY_SCORE (a Python function from `fraudlab.ksql_udf`); real ksqlDB
has no such function, and there the scoring service alone scores the stream. The check goes through the
REST API (SHOW FUNCTIONS, DESCRIBE FUNCTION), like everything fraudlab asks KSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fraudlab.ksql import Applied, KsqlConfig, PipelineNames, apply, function_names, function_signatures
from fraudlab.pipeline.errors import StageInputError

SCORING_FILE = "04_scoring.sql"
FUNCTION = "ANOMALY_SCORE"


@dataclass(frozen=True)
class FunctionCheck:
    available: bool
    reason: str  # one plain sentence for the notebook


def check_scoring_function(config: KsqlConfig) -> FunctionCheck:
    """Whether this server can run 04_scoring.sql: ANOMALY_SCORE with the bundle-directory overload."""
    if FUNCTION not in function_names(config):
        return FunctionCheck(False, f"{FUNCTION} is not a function of the KSQL server at {config.url} (real "
                                    "ksqlDB cannot load fraudlab's Python function): the scoring service "
                                    "takes over and scores the stream alone.")
    signatures = function_signatures(config, FUNCTION)
    if not any(sig and sig[0][1].upper() in ("STRING", "VARCHAR") for sig in signatures):
        return FunctionCheck(False, f"{FUNCTION} on {config.url} has no (MODEL_DIR, ...) form: the server was "
                                    "started with an older fraudlab (restart it: `fraudlab stack down; fraudlab "
                                    "stack up`). Until then the scoring service scores the stream alone.")
    return FunctionCheck(True, f"{FUNCTION} is available on {config.url} ({len(signatures)} forms).")


def apply_scoring(config: KsqlConfig, ksql_dir: Path, run_id: str, model_dir: Path) -> list[Applied]:
    """04_scoring.sql with `${model_dir}` = the bundle (it must hold a model card)."""
    if not (model_dir / "model.json").is_file():
        raise StageInputError("model_dir", str(model_dir), "holds no model bundle (run notebook 03 first)")
    return apply(config, [ksql_dir / SCORING_FILE], PipelineNames.for_run(run_id).variables(model_dir=model_dir))


@dataclass(frozen=True)
class ScoreComparison:
    matched: int
    only_service: int
    only_ksql: int
    max_abs_diff: float
    flag_disagreements: int
    flag_disagreements_off_threshold: int  # disagreements not explained by a score at the threshold
    version_match: bool

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"figure": list(self.__dict__), "value": [str(v) for v in self.__dict__.values()]})


def compare_scores(service: pd.DataFrame, ksql: pd.DataFrame) -> tuple[ScoreComparison, pd.DataFrame]:
    """Join the service's records ({id, score, is_fraud, model_version}) with KSQL's ({ID, SCORE,
    IS_FRAUD, MODEL_VERSION}) by transaction id; the comparison and the joined frame."""
    left = pd.DataFrame({"id": service["id"].astype(str), "service_score": service["score"].astype(float),
                         "service_flag": service["is_fraud"].astype(bool),
                         "service_version": service["model_version"].astype(str),
                         "threshold": service["threshold"].astype(float)}).drop_duplicates("id")
    right = pd.DataFrame({"id": ksql["ID"].astype(str), "ksql_score": pd.to_numeric(ksql["SCORE"]),
                          "ksql_flag": ksql["IS_FRAUD"], "ksql_version": ksql["MODEL_VERSION"].astype(str)})
    right = right.drop_duplicates("id")
    joined = left.merge(right, on="id", how="outer", indicator=True)
    both = joined[joined["_merge"] == "both"]
    diff = (both["service_score"] - both["ksql_score"]).abs()
    differ = both["service_flag"] != both["ksql_flag"].astype(bool)
    comparison = ScoreComparison(
        matched=len(both),
        only_service=int((joined["_merge"] == "left_only").sum()),
        only_ksql=int((joined["_merge"] == "right_only").sum()),
        max_abs_diff=float(diff.max()) if len(both) and diff.notna().all() else float("nan"),
        flag_disagreements=int(differ.sum()),
        flag_disagreements_off_threshold=int((differ & ((both["service_score"] - both["threshold"]).abs() > 1e-5)).sum()),
        version_match=bool((both["service_version"] == both["ksql_version"]).all()),
    )
    return comparison, both.drop(columns="_merge")


def expect_agreement(comparison: ScoreComparison, expected: int, tolerance: float = 1e-5) -> None:
    """Both paths scored every transaction with the same bundle, to `tolerance` (both round to 7
    decimals; ONNX Runtime may differ in the last float32 bit between batch shapes)."""
    if comparison.matched != expected or comparison.only_service or comparison.only_ksql:
        raise StageInputError("KSQL vs service scores", comparison, f"expected {expected} transactions in both")
    if not comparison.version_match:
        raise StageInputError("KSQL vs service scores", comparison, "scored with different model versions")
    if not np.isfinite(comparison.max_abs_diff) or comparison.max_abs_diff > tolerance:
        raise StageInputError("KSQL vs service scores", comparison, f"scores differ by more than {tolerance}")
    if comparison.flag_disagreements_off_threshold:
        raise StageInputError("KSQL vs service scores", comparison, "alert flags differ away from the threshold")
