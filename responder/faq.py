"""The FAQ knowledge base: entries from ``faq.yaml``, matched by encoder similarity.

Every question of every entry, in both languages, is embedded once when the index is built;
a message matches the entry of its most similar question (cosine of L2-normalised vectors).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import yaml

from core import ConfigError

SHIPPED_FAQ = Path(__file__).resolve().parent / "faq.yaml"
"""The knowledge base written by the team, used when ``responder.faq_path`` is not set."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (``classifier.encoder`` is one)."""

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return (len(texts), dim) L2-normalised vectors in input order."""
        ...


@dataclass(frozen=True)
class FaqEntry:
    """One topic of the knowledge base."""

    id: str
    topic: str
    questions: dict[str, tuple[str, ...]]
    answers: dict[str, str]

    def answer(self, language: str) -> str:
        """Return the answer in ``language`` (``en`` when that language is missing)."""
        return self.answers.get(language) or self.answers["en"]


@dataclass(frozen=True)
class FaqMatch:
    """The best entry for a message, with its score and the question that matched."""

    entry: FaqEntry
    score: float
    question: str


def load_faq(path: Path) -> list[FaqEntry]:
    """Read and check ``faq.yaml``.

    Raises:
        ConfigError: When the file is missing, not YAML, or an entry lacks a field.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"responder.faq_path: cannot read {path}: {exc}") from None
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of FAQ entries")
    entries = [_entry(item, path, index) for index, item in enumerate(data)]
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: FAQ ids must be unique")
    return entries


def _entry(item: Any, path: Path, index: int) -> FaqEntry:
    try:
        questions = {lang: tuple(str(q) for q in qs) for lang, qs in item["questions"].items()}
        answers = {lang: str(text) for lang, text in item["answer"].items()}
        entry = FaqEntry(str(item["id"]), str(item["topic"]), questions, answers)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: entry {index} is missing a field ({exc})") from None
    if "en" not in answers or not any(questions.values()):
        raise ConfigError(f"{path}: entry {entry.id!r} needs questions and an English answer")
    return entry


class FaqIndex:
    """Question embeddings of every entry, searched by cosine similarity.

    Args:
        entries: The knowledge base.
        embedder: The encoder; called once here for every question.
    """

    def __init__(self, entries: Sequence[FaqEntry], embedder: Embedder) -> None:
        self._embedder = embedder
        self._owners: list[tuple[FaqEntry, str]] = [
            (entry, question)
            for entry in entries
            for questions in entry.questions.values()
            for question in questions
        ]
        texts = [question for _, question in self._owners]
        self._matrix = np.asarray(embedder.embed(texts), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._owners)

    def match(self, text: str) -> FaqMatch | None:
        """Return the most similar entry for ``text`` (``None`` for an empty index or text)."""
        if not self._owners or not text.strip():
            return None
        vector = np.asarray(self._embedder.embed([text]), dtype=np.float32)[0]
        scores = self._matrix @ vector
        best = int(np.argmax(scores))
        entry, question = self._owners[best]
        return FaqMatch(entry, float(scores[best]), question)
