from pathlib import Path

import numpy as np
import pytest

from classifier.evaluation.metrics import best_threshold, flag_scores, system_scores
from classifier.evaluation.report import EvalReport, Section, check_goals, write_chart


def test_flag_scores_counts() -> None:
    s = flag_scores([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert (s.precision, s.recall, s.support, s.predicted) == (2 / 3, 2 / 3, 3, 3)
    assert s.f1 == pytest.approx(2 / 3)


def test_flag_scores_empty_cases_are_not_nan() -> None:
    assert flag_scores([0, 0], [0, 0]).f1 == 1.0  # nothing to find, nothing claimed
    assert flag_scores([1, 1], [0, 0]).f1 == 0.0
    assert flag_scores([], []).f1 == 1.0


def test_best_threshold_maximises_f1_and_respects_a_recall_floor() -> None:
    labels = [0, 0, 0, 1, 1, 1, 1, 0, 1]
    probs = [0.1, 0.2, 0.3, 0.15, 0.6, 0.7, 0.8, 0.65, 0.9]
    plain = best_threshold(labels, probs)
    assert plain == 0.5  # every cut between 0.3 and 0.6 ties; the one nearest 0.5 wins
    assert flag_scores(labels, np.asarray(probs) >= plain).f1 == pytest.approx(0.8)
    floored = best_threshold(labels, probs, min_recall=1.0)
    assert flag_scores(labels, np.asarray(probs) >= floored).recall == 1.0
    assert floored < plain
    assert best_threshold([1, 0], [0.5, 0.5]) == 0.5


def _section(model_f1: float) -> Section:
    labels = np.asarray([[1, 1, 0], [0, 1, 1], [0, 0, 0], [1, 0, 1]] * 5)
    langs = ["en", "zh", "mixed", "en"] * 5
    wrong = labels.copy()
    wrong[:, 2] = 1 - wrong[:, 2]
    model = labels if model_f1 == 1.0 else wrong
    return Section(
        "demo",
        len(labels),
        [
            system_scores("model", "m@1", labels, model, langs),
            system_scores("keyword", "k@1", labels, np.zeros_like(labels), langs),
        ],
    )


def test_goals_and_markdown(tmp_path: Path) -> None:
    section = _section(1.0)
    goals = check_goals(section)
    assert [g.met for g in goals] == [True, True, True, True]
    report = EvalReport([section], goals, header=["- header line"])
    text = report.markdown("eval.png")
    assert "| model | 1.000 / 1.000 / **1.000**" in text
    assert "![F1 per system, flag and language](eval.png)" in text
    assert "- [x] macro-F1 >= 0.90: 1.000" in text
    assert "| system | en | zh | mixed |" in text
    assert "model" in report.summary()


def test_unmet_goals_are_reported() -> None:
    goals = check_goals(_section(0.0))
    assert not goals[0].met
    assert "margin" in goals[-1].value


def test_chart_is_a_png(tmp_path: Path) -> None:
    path = tmp_path / "out" / "eval.png"
    write_chart([_section(1.0), _section(0.0)], path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
