"""The labelled messages: loading, redaction, content hash and the fixed train/dev/test split.

The split is stratified by language and label combination. Inside each stratum, examples are
ordered by a seeded hash of their id (not by file position), so adding messages to a file moves
few existing ones between splits, and the same data and seed always give the same split.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from classifier.language import detect_language

FLAGS: tuple[str, ...] = ("urgent", "security", "complaint")
TRAIN_FILES: tuple[str, ...] = (
    "train_en.jsonl",
    "train_zh.jsonl",
    "train_mixed_a.jsonl",
    "train_mixed_b.jsonl",
    "train_hard.jsonl",
    "train_en_b.jsonl",
    "train_zh_b.jsonl",
    "train_mixed_c.jsonl",
    "train_zh_c.jsonl",
    "train_mixed_d.jsonl",
    "train_en_c.jsonl",
    "train_threads_en.jsonl",
    "train_threads_zh.jsonl",
    "train_threads_mixed.jsonl",
    "train_varied_en.jsonl",
    "train_varied_zh.jsonl",
    "train_boundary.jsonl",
    "train_replies_en.jsonl",
    "train_replies_zh.jsonl",
    "train_complaint_en.jsonl",
    "train_complaint_zh.jsonl",
    "train_social_en.jsonl",
    "train_urgent_zh.jsonl",
    "train_security_en.jsonl",
    "train_mixed_e.jsonl",
    "train_security_zh.jsonl",
    "train_formats_en.jsonl",
    "train_formats_zh.jsonl",
)
DEFAULT_SEED = 20240611
DEV_FRACTION = 0.15
TEST_FRACTION = 0.15

SplitName = Literal["train", "dev", "test"]
Redact = Callable[[str], str]


class DataError(ValueError):
    """A labelled file is missing, malformed or lacks a required field."""


@dataclass(frozen=True)
class Example:
    """One labelled message.

    Attributes:
        id: Unique id (the file's ``id``, or ``<file>:<line>`` when absent).
        text: The message text (redacted once ``redact_examples`` has run).
        urgent: Label of the urgent flag.
        security: Label of the security flag.
        complaint: Label of the complaint flag.
        lang: ``en``, ``zh``, ``mixed`` or ``other`` (from the file, else detected).
        source: The file the example came from.
    """

    id: str
    text: str
    urgent: int
    security: int
    complaint: int
    lang: str
    source: str = ""

    @property
    def labels(self) -> tuple[int, int, int]:
        """The three flags in ``FLAGS`` order."""
        return (self.urgent, self.security, self.complaint)


@dataclass(frozen=True)
class Splits:
    """The three disjoint parts of the labelled data."""

    train: tuple[Example, ...]
    dev: tuple[Example, ...]
    test: tuple[Example, ...]

    def get(self, name: SplitName) -> tuple[Example, ...]:
        """Return one split by name."""
        parts: dict[str, tuple[Example, ...]] = {
            "train": self.train,
            "dev": self.dev,
            "test": self.test,
        }
        return parts[name]


def default_data_dir() -> Path:
    """Return the ``classifier/data`` directory shipped with the package."""
    return Path(__file__).resolve().parent.parent / "data"


def load_jsonl(path: Path) -> list[Example]:
    """Read one labelled JSONL file (fields ``text``, ``urgent``, ``security``, ``complaint``).

    Args:
        path: The file; ``id`` and ``lang`` are optional per line.

    Returns:
        The examples in file order.

    Raises:
        DataError: if the file cannot be read or a line is not a labelled message.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    examples = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise DataError(f"{where}: not JSON ({exc})") from exc
            examples.append(example_from_row(row, where, path.name))
    return examples


def example_from_row(row: object, where: str, source: str) -> Example:
    """Build an example from one decoded JSON object.

    Args:
        row: Needs ``text`` and 0/1 ``urgent``, ``security``, ``complaint``; ``id`` and
            ``lang`` are optional.
        where: Names the row in errors (and is the id when the row has none).
        source: The file it came from.

    Raises:
        DataError: if a field is missing or not 0/1.
    """
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise DataError(f"{where}: needs an object with a string 'text'")
    labels = []
    for flag in FLAGS:
        if flag not in row:
            raise DataError(f"{where}: missing the label '{flag}' (0 or 1)")
        value = row[flag]
        if value not in (0, 1, True, False):
            raise DataError(f"{where}: '{flag}' must be 0 or 1, got {value!r}")
        labels.append(int(value))
    text: str = row["text"]
    lang = row.get("lang")
    if lang not in ("en", "zh", "mixed", "other"):
        lang = detect_language(text).value
    return Example(
        id=str(row.get("id") or where),
        text=text,
        urgent=labels[0],
        security=labels[1],
        complaint=labels[2],
        lang=lang,
        source=source,
    )


def load_training_data(data_dir: Path) -> list[Example]:
    """Load every training file of ``data_dir`` (``TRAIN_FILES``), checking ids are unique.

    Raises:
        DataError: if a file is missing or two lines share an id.
    """
    examples: list[Example] = []
    for name in TRAIN_FILES:
        examples.extend(load_jsonl(data_dir / name))
    seen: set[str] = set()
    for example in examples:
        if example.id in seen:
            raise DataError(f"duplicate id {example.id!r} in {data_dir}")
        seen.add(example.id)
    return examples


def redact_examples(examples: Iterable[Example], redact: Redact) -> list[Example]:
    """Return the examples with their texts redacted as production redacts them."""
    return [replace(e, text=redact(e.text)) for e in examples]


def data_hash(examples: Iterable[Example]) -> str:
    """Return a sha256 over ids, texts and labels, independent of file order."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: e.id):
        record = [example.id, example.text, *example.labels, example.lang]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def split_examples(
    examples: Sequence[Example],
    seed: int = DEFAULT_SEED,
    dev_fraction: float = DEV_FRACTION,
    test_fraction: float = TEST_FRACTION,
) -> Splits:
    """Split into train / dev / test, stratified by language and label combination.

    Args:
        examples: All labelled examples (unique ids).
        seed: Fixes the order inside each stratum.
        dev_fraction: Share of each stratum for dev.
        test_fraction: Share of each stratum for test.

    Returns:
        The three splits, each sorted by id.
    """
    strata: dict[tuple[str, tuple[int, int, int]], list[Example]] = defaultdict(list)
    for example in examples:
        strata[(example.lang, example.labels)].append(example)
    parts: dict[str, list[Example]] = {"train": [], "dev": [], "test": []}
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda e: _seeded_key(seed, e.id))
        n_test = round(len(members) * test_fraction)
        n_dev = round(len(members) * dev_fraction)
        parts["test"].extend(members[:n_test])
        parts["dev"].extend(members[n_test : n_test + n_dev])
        parts["train"].extend(members[n_test + n_dev :])
    return Splits(*(tuple(sorted(parts[n], key=lambda e: e.id)) for n in ("train", "dev", "test")))


def _seeded_key(seed: int, example_id: str) -> str:
    return hashlib.sha256(f"{seed}:{example_id}".encode()).hexdigest()


def label_matrix(examples: Sequence[Example]) -> npt.NDArray[np.int64]:
    """Return the (n, 3) 0/1 label matrix in ``FLAGS`` order."""
    return np.asarray([e.labels for e in examples], dtype=np.int64).reshape(len(examples), 3)


def stratum_ids(examples: Sequence[Example]) -> npt.NDArray[np.int64]:
    """Return one integer per example naming its (language, labels) stratum, for CV folds."""
    keys = sorted({(e.lang, e.labels) for e in examples})
    index = {key: i for i, key in enumerate(keys)}
    return np.asarray([index[(e.lang, e.labels)] for e in examples], dtype=np.int64)


def fold_ids(examples: Sequence[Example], folds: int, seed: int = DEFAULT_SEED) -> list[int]:
    """Assign each example to one of ``folds`` cross-validation folds, stratified like the split.

    Inside each (language, labels) stratum, examples ordered by a seeded hash of their id are
    dealt round-robin, so every fold gets its share of every stratum.
    """
    strata: dict[tuple[str, tuple[int, int, int]], list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        strata[(example.lang, example.labels)].append(index)
    assigned = [0] * len(examples)
    offset = 0
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda i: _seeded_key(seed, examples[i].id))
        for rank, index in enumerate(members):
            # The offset rotates where each stratum starts, so small strata do not all land
            # in fold 0.
            assigned[index] = (rank + offset) % folds
        offset += len(members)
    return assigned
