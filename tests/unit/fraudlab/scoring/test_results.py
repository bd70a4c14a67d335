"""Result lines built in one formatting pass equal the per-record orjson objects."""

from __future__ import annotations

import numpy as np
import orjson

from fraudlab.scoring.results import result_lines, result_records

FIELDS = {"id", "score", "is_fraud", "threshold", "model_version", "event_time", "scored_at"}


def _both(ids: list[str], scores: np.ndarray, version: str = "v3-abc%d") -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    flags = scores >= 0.5
    times = [1_700_000_000_000 + i for i in range(len(ids))]
    fast = result_lines(ids, scores, flags, times, 1_700_000_009_999, 0.5, version)
    slow = result_records(ids, scores, flags, times, 1_700_000_009_999, 0.5, version)
    assert len(fast) == len(slow) == len(ids)
    return [orjson.loads(x) for x in fast], [orjson.loads(x) for x in slow]


def test_fast_lines_equal_the_reference_objects() -> None:
    rng = np.random.default_rng(2)
    scores = np.concatenate([rng.random(500), rng.random(20) * 1e6, [0.0, 1e-9, 0.49999999, 123.4567891]])
    scores = scores.astype(np.float32)
    ids = [f"card-{i}" for i in range(len(scores))]
    fast, slow = _both(ids, scores)
    assert fast == slow
    assert set(fast[0]) == FIELDS
    assert fast[0]["model_version"] == "v3-abc%d"  # a '%' in a constant is not a format directive
    assert [r["is_fraud"] for r in fast] == (scores >= 0.5).tolist()


def test_ids_needing_escapes_and_non_finite_scores_still_give_valid_json() -> None:
    ids = ['a"b', "back\\slash", "line\nbreak", "tab\there", "plain", "é"]
    fast, slow = _both(ids, np.linspace(0, 1, len(ids)).astype(np.float32))
    assert fast == slow and [r["id"] for r in fast] == ids
    fast, slow = _both(["x", "y"], np.asarray([np.nan, 0.7], dtype=np.float32))
    assert fast == slow and fast[0]["score"] is None


def test_an_empty_batch_gives_no_lines() -> None:
    assert result_lines([], np.empty(0, np.float32), np.empty(0, bool), [], 1, 0.5, "v") == []
