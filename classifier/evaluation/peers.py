"""The peers the model is measured against, trained and tuned on the same splits.

- ``tfidf``: TF-IDF character n-grams (1-4, ``char_wb``) and one logistic regression per flag,
  trained on train+dev like the model, thresholds chosen on cross-fitted held-out scores.
- ``zero-shot``: e5 cosine similarity of a message to English and Chinese descriptions of each
  flag (the best-matching description counts), threshold chosen on train+dev (no training).

The keyword baseline (``classifier.baseline.KeywordClassifier``) needs no training.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from classifier.evaluation.metrics import best_threshold
from classifier.model.dataset import FLAGS, Example, label_matrix
from classifier.model.features import TextEncoder, Vectors, model_text
from classifier.model.heads import fit_logistic

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

Probabilities = npt.NDArray[np.float64]

#: What each flag means, in the words of LABELING.md, in English and Chinese.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "urgent": (
        "My funds were just stolen or are missing and I need help right now.",
        "My transfer or withdrawal is stuck, pending or not credited.",
        "I am locked out of my wallet and cannot reach my money.",
        "I just gave my seed phrase to someone, help me now.",
        "我的钱刚刚被盗了，资产不见了，急需帮助。",
        "我的转账或提现一直没到账，卡住了。",
        "我的钱包打不开，资产取不出来了。",
    ),
    "security": (
        "A scam, phishing link, fake support agent or fake airdrop.",
        "My wallet was hacked and drained by an unauthorised transaction.",
        "Someone asks for your seed phrase or private key.",
        "Is this message from support legit or a scam?",
        "诈骗、钓鱼链接、假客服或虚假空投。",
        "我的钱包被盗了，有未经授权的转账。",
        "有人索要你的助记词或私钥。",
    ),
    "complaint": (
        "Your support is terrible and nobody answers my ticket.",
        "The fees are far too high, this is a rip-off.",
        "This app keeps failing, I am fed up and will uninstall it.",
        "I demand a refund and compensation from your company.",
        "客服太差了，工单一直没人回复。",
        "手续费太贵了，简直是抢钱。",
        "这个APP老是出问题，受够了，准备卸载。",
    ),
}


def choose_thresholds(labels: npt.NDArray[np.int64], probs: Probabilities) -> tuple[float, ...]:
    """Best-F1 threshold per flag on held-out scores (the same rule for every system)."""
    return tuple(best_threshold(labels[:, j], probs[:, j]) for j in range(len(FLAGS)))


class TfidfPeer:
    """Character n-gram TF-IDF and logistic regression, one per flag.

    Build it with ``TfidfPeer.fit``: it is trained on the same examples as the model, and its
    thresholds are chosen the same way, on cross-fitted held-out scores.
    """

    name = "tfidf"

    def __init__(
        self,
        vectorizer: TfidfVectorizer,
        weights: list[tuple[npt.NDArray[np.float64], float]],
        thresholds: tuple[float, ...],
        version: str,
    ) -> None:
        self._vectorizer = vectorizer
        self._coef = np.stack([w for w, _ in weights], axis=1)
        self._intercept = np.asarray([b for _, b in weights])
        self.thresholds = thresholds
        self.version = version

    @classmethod
    def fit(cls, examples: Sequence[Example], folds: Sequence[int]) -> TfidfPeer:
        """Train on ``examples``; thresholds from held-out scores over ``folds``."""
        texts = [model_text(e.text) for e in examples]
        labels = label_matrix(examples)
        fold_of = np.asarray(folds)
        held_out = np.zeros(labels.shape)
        for fold in sorted(set(folds)):
            inside = fold_of != fold
            part = cls._train([t for t, k in zip(texts, inside, strict=True) if k], labels[inside])
            held_out[~inside] = part.probabilities(
                [t for t, k in zip(texts, inside, strict=True) if not k]
            )
        peer = cls._train(texts, labels)
        peer.thresholds = choose_thresholds(labels, held_out)
        return peer

    @classmethod
    def _train(cls, texts: Sequence[str], labels: npt.NDArray[np.int64]) -> TfidfPeer:
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 (slow import)

        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True
        )
        features = vectorizer.fit_transform(list(texts))
        weights = [fit_logistic(features, labels[:, j], 16.0) for j in range(len(FLAGS))]
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
        return cls(vectorizer, weights, (0.5, 0.5, 0.5), f"tfidf-char-lr@{digest}")

    def probabilities(self, texts: Sequence[str]) -> Probabilities:
        """Return (n, 3) probabilities (texts are prepared like the model's)."""
        if not texts:
            return np.zeros((0, len(FLAGS)))
        features = self._vectorizer.transform([model_text(t) for t in texts])
        logits = np.asarray(features @ self._coef) + self._intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0))))


class ZeroShotPeer:
    """e5 similarity to label descriptions; no training, thresholds chosen on dev.

    Args:
        encoder: The sentence encoder.
        descriptions: Descriptions per flag (default ``DESCRIPTIONS``).
    """

    name = "zero-shot"

    def __init__(
        self, encoder: TextEncoder, descriptions: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self._descriptions = descriptions or DESCRIPTIONS
        self._encoder = encoder
        self._anchors = [encoder.embed(list(self._descriptions[f])) for f in FLAGS]
        self.thresholds: tuple[float, ...] = (0.5, 0.5, 0.5)
        digest = hashlib.sha256(repr(sorted(self._descriptions.items())).encode()).hexdigest()
        self.version = f"e5-zero-shot@{digest[:12]}"

    def tune(self, examples: Sequence[Example], vectors: Vectors) -> None:
        """Choose each flag's threshold on labelled examples, given their embeddings."""
        self.thresholds = choose_thresholds(label_matrix(examples), self.similarities(vectors))

    def probabilities(self, texts: Sequence[str]) -> Probabilities:
        """Return (n, 3) similarity scores mapped to [0, 1]."""
        return self.similarities(self._embed(texts))

    def similarities(self, vectors: Vectors) -> Probabilities:
        """Map embeddings to scores: the best cosine to a flag's descriptions, as (cos+1)/2."""
        if len(vectors) == 0:
            return np.zeros((0, len(FLAGS)))
        best = [np.max(vectors @ anchors.T, axis=1) for anchors in self._anchors]
        return np.clip((np.stack(best, axis=1).astype(np.float64) + 1.0) / 2.0, 0.0, 1.0)

    def _embed(self, texts: Sequence[str]) -> Vectors:
        return self._encoder.embed([model_text(t) for t in texts])
