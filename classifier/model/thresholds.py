"""Scoring one binary flag and choosing its threshold (used by training and evaluation)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class FlagScores:
    """Scores of one flag.

    Attributes:
        precision: tp / (tp + fp); 1.0 when nothing was predicted positive and none is.
        recall: tp / (tp + fn); 1.0 when there is no positive.
        f1: Harmonic mean of the two (0 when both are 0).
        support: Positives in the labels.
        predicted: Positives predicted.
    """

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


def flag_scores(labels: npt.ArrayLike, predicted: npt.ArrayLike) -> FlagScores:
    """Return precision, recall and F1 of one binary flag.

    Args:
        labels: 0/1 truth.
        predicted: 0/1 decisions, same length.
    """
    y = np.asarray(labels, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    tp = int(np.sum(y & p))
    fp = int(np.sum(~y & p))
    fn = int(np.sum(y & ~p))
    # Empty denominators mean "nothing to get wrong": score them 1, not 0 or NaN.
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return FlagScores(precision, recall, f1, tp + fn, tp + fp)


def best_threshold(
    labels: npt.ArrayLike,
    probabilities: npt.ArrayLike,
    *,
    min_recall: float = 0.0,
) -> float:
    """Return the threshold with the best F1, among those reaching ``min_recall``.

    Candidates are the midpoints between distinct scores, so the result does not depend on a
    grid; ties go to the threshold nearest 0.5 (the least surprising one). When no candidate
    reaches ``min_recall``, the best-recall threshold is returned.

    Args:
        labels: 0/1 truth.
        probabilities: Scores in [0, 1].
        min_recall: Recall floor (e.g. 0.95 for security).
    """
    y = np.asarray(labels, dtype=bool)
    p = np.asarray(probabilities, dtype=np.float64)
    values = np.unique(p)
    candidates = (
        np.concatenate([[0.5], (values[:-1] + values[1:]) / 2]) if len(values) > 1 else [0.5]
    )
    best: tuple[float, float, float] | None = None  # (f1, -distance to 0.5, threshold)
    fallback: tuple[float, float] = (-1.0, 0.5)
    for threshold in candidates:
        result = flag_scores(y, p >= threshold)
        fallback = max(fallback, (result.recall, float(threshold)))
        if result.recall + 1e-12 < min_recall:
            continue
        key = (result.f1, -abs(float(threshold) - 0.5), float(threshold))
        if best is None or key > best:
            best = key
    return round(best[2] if best is not None else fallback[1], 6)
