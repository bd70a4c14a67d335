"""Score a feature matrix with a loaded bundle and format the result records.

`score_features` is the scoring core shared by the service and (later) the KSQL function: it takes
rows in the bundle's `feature_names` order and returns scores and fraud flags for the whole batch in
one ONNX Runtime call.
"""

from __future__ import annotations

import re
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


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')


def result_lines(
    ids: Sequence[str],
    scores: np.ndarray,
    flags: np.ndarray,
    event_times_ms: Sequence[int],
    scored_at_ms: int,
    threshold: float,
    model_version: str,
) -> list[bytes]:
    """The same objects as `result_records`, built in one formatting pass over the batch: the
    constant fields are written into the template once, and the batch is formatted, encoded and split
    as one string. Ids that need JSON escaping, or non-finite scores, take `result_records`."""
    if len(ids) == 0:
        return []
    joined_ids = "".join(ids)
    if _NEEDS_ESCAPE.search(joined_ids) is not None or not np.isfinite(scores).all():
        return result_records(ids, scores, flags, event_times_ms, scored_at_ms, threshold, model_version)
    constant = orjson.dumps({"threshold": threshold, "model_version": model_version})[1:-1].decode()
    template = (
        '{"id":"%s","score":%r,"is_fraud":%s,' + constant.replace("%", "%%")
        + ',"event_time":%d,"scored_at":' + str(int(scored_at_ms)) + "}"
    )
    rounded = np.round(scores.astype(np.float64), 7).tolist()
    words = ("false", "true")
    text = "\n".join(map(template.__mod__, zip(ids, rounded, map(words.__getitem__, flags.tolist()),
                                                event_times_ms, strict=True)))
    return text.encode().split(b"\n")
