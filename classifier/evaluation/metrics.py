"""Precision, recall and F1 per flag, macro-F1, and the same per language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from classifier.model.dataset import FLAGS
from classifier.model.thresholds import FlagScores, best_threshold, flag_scores

LANGUAGES: tuple[str, ...] = ("en", "zh", "mixed", "other")
__all__ = [
    "LANGUAGES",
    "FlagScores",
    "Scores",
    "SystemScores",
    "best_threshold",
    "flag_scores",
    "scores",
    "system_scores",
]

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Scores:
    """Per-flag scores and their macro-F1 over a set of messages.

    Attributes:
        flags: One entry per flag, in ``FLAGS`` order.
        count: Messages scored.
    """

    flags: dict[str, FlagScores]
    count: int

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the three flags."""
        return float(np.mean([self.flags[f].f1 for f in FLAGS]))


@dataclass(frozen=True)
class SystemScores:
    """Everything measured for one system on one labelled set.

    Attributes:
        name: The system (``model``, ``keyword``, ``tfidf``, ``zero-shot``).
        version: Its version string.
        overall: Scores over every message.
        by_language: Scores per language present in the set.
    """

    name: str
    version: str
    overall: Scores
    by_language: dict[str, Scores]


def scores(labels: IntMatrix, predicted: IntMatrix) -> Scores:
    """Return per-flag scores of (n, 3) label and decision matrices."""
    flags = {name: flag_scores(labels[:, j], predicted[:, j]) for j, name in enumerate(FLAGS)}
    return Scores(flags=flags, count=len(labels))


def system_scores(
    name: str,
    version: str,
    labels: IntMatrix,
    predicted: IntMatrix,
    languages: Sequence[str],
) -> SystemScores:
    """Score one system overall and per language.

    Args:
        name: System name.
        version: System version.
        labels: (n, 3) truth.
        predicted: (n, 3) decisions.
        languages: Language of each message.
    """
    langs = np.asarray(languages)
    by_language = {
        lang: scores(labels[langs == lang], predicted[langs == lang])
        for lang in LANGUAGES
        if np.any(langs == lang)
    }
    return SystemScores(name, version, scores(labels, predicted), by_language)
