"""Metrics and threshold rules on hand-made scores whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from fraudlab.evaluate import EvaluationError, at_threshold, choose_threshold, ranking_metrics, recall_at_fpr

# 10 rows, scores descending; labels: 1 1 0 1 0 0 1 0 0 0
Y = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 0])
S = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])


def test_at_threshold_confusion_matrix() -> None:
    m = at_threshold(Y, S, 0.7)  # flags the first 4: tp 3, fp 1
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (3, 1, 1, 5)
    assert m["precision"] == pytest.approx(0.75)
    assert m["recall"] == pytest.approx(0.75)
    assert m["f1"] == pytest.approx(0.75)
    assert m["alert_rate"] == pytest.approx(0.4)


def test_ranking_metrics_known_values() -> None:
    m = ranking_metrics(Y, S)
    # AP = mean precision at each fraud: (1 + 1 + 3/4 + 4/7) / 4
    assert m["pr_auc"] == pytest.approx((1 + 1 + 0.75 + 4 / 7) / 4)
    # ROC-AUC = fraction of (fraud, normal) pairs ordered right: (6 + 6 + 5 + 3) / 24
    assert m["roc_auc"] == pytest.approx(20 / 24)
    assert ranking_metrics(Y, -S)["pr_auc"] < 0.5


def test_recall_at_fpr() -> None:
    # with 6 normals, FPR <= 1 % allows no false positive: the top 2 frauds
    assert recall_at_fpr(Y, S, 0.01) == pytest.approx(0.5)
    assert recall_at_fpr(Y, S, 1 / 6) == pytest.approx(0.75)


def test_precision_rule_takes_most_recall_meeting_target() -> None:
    choice = choose_threshold(Y, S, "precision", target=0.75)
    assert choice.value == pytest.approx(0.7)
    assert choice.achieved["precision"] >= 0.75
    assert choose_threshold(Y, S, "precision", target=1.0).value == pytest.approx(0.9)


def test_alert_rate_rule() -> None:
    assert choose_threshold(Y, S, "alert_rate", target=0.3).value == pytest.approx(0.8)
    assert choose_threshold(Y, S, "alert_rate", target=0.05).value == pytest.approx(0.95)  # at least one


def test_cost_rule_weighs_missed_amount_against_review_cost() -> None:
    amount = np.array([100, 100, 1, 100, 1, 1, 2, 1, 1, 1], dtype=float)
    # flagging down to 0.7 catches 300 of 302 for 4 reviews; going to 0.4 catches 2 more for 3 reviews
    cheap = choose_threshold(Y, S, "cost", amount=amount, review_cost=0.1)
    dear = choose_threshold(Y, S, "cost", amount=amount, review_cost=5.0)
    assert cheap.value == pytest.approx(0.4)
    assert dear.value == pytest.approx(0.7)
    assert dear.rule == "cost" and dear.review_cost == 5.0
    with pytest.raises(EvaluationError):
        choose_threshold(Y, S, "cost")


def test_ties_and_bad_inputs() -> None:
    y = np.array([1, 0, 1, 0])
    s = np.array([0.5, 0.5, 0.2, 0.1])
    assert at_threshold(y, s, 0.5)["fp"] == 1  # a tie flags both rows
    with pytest.raises(EvaluationError):
        ranking_metrics(np.zeros(4), s)
    with pytest.raises(EvaluationError):
        ranking_metrics(y, np.array([0.1, np.nan, 0.2, 0.3]))
    with pytest.raises(EvaluationError):
        choose_threshold(y, s, "precision", target=1.5)
    with pytest.raises(EvaluationError):
        choose_threshold(y, s, "magic")  # type: ignore[arg-type]
