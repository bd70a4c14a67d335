"""Score a feature matrix with a loaded bundle and format the result records.

`score_features` is the scoring core shared by the service and (later) the KSQL function: it takes
rows in the bundle's `feature_names` order and returns scores and fraud flags for the whole batch in
one ONNX Runtime call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import orjson

from fraudlab.model import Scorer


def score_features(
    scorer: Scorer, rows: np.ndarray | Sequence[Sequence[float]]
) -> tuple[np.ndarray, np.ndarray]:
    """(scores float32, is_fraud bool) for rows of features in `scorer.feature_names` order."""
    matrix = np.ascontiguousarray(rows, dtype=np.float32)
    if matrix.size == 0:
        return np.empty(0, dtype=np.float32), np.empty(0, dtype=bool)
    scores = scorer.score(matrix)
    return scores, scorer.is_fraud(scores)


def result_records(
    ids: Sequence[str],
    scores: np.ndarray,
    flags: np.ndarray,
    event_times_ms: Sequence[int],
    scored_at_ms: int,
    threshold: float,
    model_version: str,
) -> list[bytes]:
    """One JSON object per row: {id, score, is_fraud, threshold, model_version, event_time, scored_at}.
    `event_time` is the input record's Kafka timestamp (ms since the epoch), `scored_at` ours."""
    rounded = np.round(scores.astype(np.float64), 7).tolist()
    dumps = orjson.dumps
    return [
        dumps({
            "id": rid,
            "score": score,
            "is_fraud": flag,
            "threshold": threshold,
            "model_version": model_version,
            "event_time": ts,
            "scored_at": scored_at_ms,
        })
        for rid, score, flag, ts in zip(ids, rounded, flags.tolist(), event_times_ms, strict=True)
    ]
