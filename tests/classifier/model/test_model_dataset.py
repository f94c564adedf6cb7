import json
from pathlib import Path

import pytest

from classifier.model.dataset import (
    DataError,
    Example,
    data_hash,
    default_data_dir,
    fold_ids,
    load_jsonl,
    load_training_data,
    split_examples,
)


def _examples(n: int) -> list[Example]:
    out = []
    for i in range(n):
        u, s, c = i % 2, (i // 2) % 2, (i // 4) % 2
        lang = ("en", "zh", "mixed")[i % 3]
        out.append(Example(f"x-{i:03d}", f"text {i}", u, s, c, lang))
    return out


def test_real_data_splits_are_disjoint_complete_and_stable() -> None:
    examples = load_training_data(default_data_dir())
    first, again = split_examples(examples), split_examples(list(reversed(examples)))
    assert first == again  # file order does not matter
    ids = [e.id for part in (first.train, first.dev, first.test) for e in part]
    assert len(ids) == len(set(ids)) == len(examples)
    assert 0.12 < len(first.test) / len(examples) < 0.18
    assert 0.12 < len(first.dev) / len(examples) < 0.18


def test_real_data_meets_the_issue_composition() -> None:
    # Issue 3: at least 2,500 messages, at least 40 % Chinese and 10 % mixed; and every flag
    # needs positives and negatives in every language for its head to learn anything there.
    examples = load_training_data(default_data_dir())
    share = {
        lang: sum(e.lang == lang for e in examples) / len(examples) for lang in ("zh", "mixed")
    }
    assert len(examples) >= 2500
    assert share["zh"] >= 0.40, share
    assert share["mixed"] >= 0.10, share
    for lang in ("en", "zh", "mixed"):
        for flag in range(3):
            values = {e.labels[flag] for e in examples if e.lang == lang}
            assert values == {0, 1}, (lang, flag)


def test_split_is_stratified_by_language_and_labels() -> None:
    splits = split_examples(_examples(400))
    for part in (splits.dev, splits.test):
        strata = {(e.lang, e.labels) for e in part}
        assert len(strata) == 24  # every (language, label combination) is represented


def test_another_seed_gives_another_split() -> None:
    examples = _examples(200)
    assert split_examples(examples, seed=1).test != split_examples(examples, seed=2).test


def test_folds_cover_every_stratum_evenly() -> None:
    examples = _examples(240)
    folds = fold_ids(examples, 5)
    assert sorted(set(folds)) == [0, 1, 2, 3, 4]
    assert max(folds.count(k) for k in range(5)) - min(folds.count(k) for k in range(5)) <= 3
    assert folds == fold_ids(examples, 5)


def test_data_hash_ignores_order_but_not_labels() -> None:
    examples = _examples(10)
    assert data_hash(examples) == data_hash(list(reversed(examples)))
    changed = [*examples[:-1], Example(examples[-1].id, examples[-1].text, 1, 1, 1, "en")]
    assert data_hash(changed) != data_hash(examples)


def test_load_jsonl_detects_language_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [
        {"text": "my withdrawal is stuck", "urgent": 1, "security": 0, "complaint": 0},
        {"text": "提现一直没到账", "urgent": True, "security": False, "complaint": 0, "id": "a"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    first, second = load_jsonl(path)
    assert (first.id, first.lang, first.labels) == ("set.jsonl:1", "en", (1, 0, 0))
    assert (second.id, second.lang, second.labels) == ("a", "zh", (1, 0, 0))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        ('{"urgent": 1, "security": 0, "complaint": 0}', "string 'text'"),
        ('{"text": "x", "urgent": 2, "security": 0, "complaint": 0}', "'urgent' must be 0 or 1"),
        ('{"text": "x", "urgent": 1, "complaint": 0}', "missing the label 'security'"),
        ('{"text": "x", "urgent": "1", "security": 0, "complaint": 0}', "'urgent' must be 0 or 1"),
        ('{"text": "x", "urgent": null, "security": 0, "complaint": 0}', "must be 0 or 1"),
    ],
)
def test_bad_lines_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(DataError, match=message) as caught:
        load_jsonl(path)
    assert "bad.jsonl:1" in str(caught.value)


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_training_data(tmp_path)
