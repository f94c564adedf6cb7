"""The heads: one logistic regression per flag over e5 embeddings and character n-grams.

The frozen e5 sentence embedding carries meaning across languages and phrasings; TF-IDF over
character n-grams (1-4, inside word boundaries) carries the exact cues the embedding blurs
(``[redacted: seed phrase``, ``0x…``, ``没到账``, ``pending``). Cross-validation on train+dev
preferred the two concatenated over either alone, and over an MLP or top-layer fine-tuning
(see ``classifier/model/README.md``). Inference is a sparse dot product: no training library
state is pickled, only arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from classifier.model.dataset import FLAGS
from classifier.model.features import Vectors

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

Probabilities = npt.NDArray[np.float64]


@dataclass(frozen=True)
class HeadConfig:
    """Hyper-parameters of the heads (chosen by 5-fold cross-validation on train+dev).

    Attributes:
        embedding_weight: Scale of the e5 block against the unit-norm TF-IDF block.
        ngram_min: Shortest character n-gram.
        ngram_max: Longest character n-gram.
        min_df: Minimum document frequency of an n-gram to enter the vocabulary.
        c: Inverse L2 regularisation strength of the logistic regressions.
    """

    embedding_weight: float = 1.0
    ngram_min: int = 1
    ngram_max: int = 4
    min_df: int = 2
    c: float = 8.0


def _vectorizer(config: HeadConfig, vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    # scikit-learn is imported here, not at module level: importing it costs over a second,
    # and importing this package must stay cheap (the CLI imports it for every command).
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(config.ngram_min, config.ngram_max),
        min_df=1 if vocabulary is not None else config.min_df,
        sublinear_tf=True,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def fit_logistic(
    features: Any, labels: npt.NDArray[np.int64], c: float
) -> tuple[npt.NDArray[np.float64], float]:
    """Fit one class-balanced logistic regression; return (weights, bias).

    A label column with a single class (tiny data sets) gets zero weights and a bias that
    always predicts that class, instead of the error the solver would raise.
    """
    if len(np.unique(labels)) < 2:
        constant = 12.0 if len(labels) and labels[0] == 1 else -12.0
        return np.zeros(features.shape[1]), constant
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 (see _vectorizer)

    # class_weight balances the rarer positive class; lbfgs makes the fit deterministic.
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit(features, labels)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


class Heads:
    """Three logistic regressions sharing one feature map; build with ``fit`` or ``from_arrays``.

    Args:
        config: The hyper-parameters the heads were trained with.
        vocabulary: The n-grams, in feature order.
        idf: Inverse document frequencies, one per n-gram.
        coef: (3, 384 + len(vocabulary)) weights, one row per flag.
        intercept: (3,) biases.
    """

    def __init__(
        self,
        config: HeadConfig,
        vocabulary: Sequence[str],
        idf: npt.NDArray[np.float64],
        coef: npt.NDArray[np.float64],
        intercept: npt.NDArray[np.float64],
    ) -> None:
        self.config = config
        self._vocabulary = list(vocabulary)
        self._vectorizer = _vectorizer(config, {t: i for i, t in enumerate(self._vocabulary)})
        # Setting idf_ is sklearn's supported way to restore a fitted TF-IDF without pickle.
        self._vectorizer.idf_ = np.asarray(idf, dtype=np.float64)
        # Stored as float32: round here too, so fresh and loaded heads score identically.
        self._coef = np.asarray(coef, dtype=np.float32).astype(np.float64)
        self._intercept = np.asarray(intercept, dtype=np.float64)
        self.dim = self._coef.shape[1] - len(self._vocabulary)

    @classmethod
    def fit(
        cls, vectors: Vectors, texts: Sequence[str], labels: npt.ArrayLike, config: HeadConfig
    ) -> Heads:
        """Train the heads.

        Args:
            vectors: (n, dim) e5 embeddings of the texts.
            texts: The model texts (``features.model_text``) the embeddings were made from.
            labels: (n, 3) 0/1 labels in ``FLAGS`` order.
            config: Hyper-parameters.
        """
        y = np.asarray(labels, dtype=np.int64)
        vectorizer = _vectorizer(config)
        ngrams = vectorizer.fit_transform(list(texts))
        from scipy import sparse  # noqa: PLC0415 (see _vectorizer)

        features = sparse.hstack([sparse.csr_matrix(vectors * config.embedding_weight), ngrams])
        features = features.tocsr()
        fits = [fit_logistic(features, y[:, j], config.c) for j in range(len(FLAGS))]
        coef = [c for c, _ in fits]
        intercept = [b for _, b in fits]
        vocabulary = vectorizer.get_feature_names_out().tolist()
        return cls(config, vocabulary, vectorizer.idf_, np.stack(coef), np.asarray(intercept))

    def probabilities(self, vectors: Vectors, texts: Sequence[str]) -> Probabilities:
        """Return (n, 3) probabilities for the flags of ``texts``.

        Args:
            vectors: (n, dim) e5 embeddings.
            texts: The model texts they were made from.
        """
        if len(texts) == 0:
            return np.zeros((0, len(FLAGS)))
        ngrams = self._vectorizer.transform(list(texts))
        dense = np.asarray(vectors, dtype=np.float64) * self.config.embedding_weight
        logits = dense @ self._coef[:, : self.dim].T
        logits += np.asarray(ngrams @ self._coef[:, self.dim :].T)
        logits += self._intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0))))

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Return the arrays that ``from_arrays`` restores the heads from."""
        cfg = self.config
        return {
            "vocabulary": np.asarray(self._vocabulary, dtype=np.str_),
            "idf": self._vectorizer.idf_.astype(np.float64),
            "coef": self._coef.astype(np.float32),
            "intercept": self._intercept.astype(np.float64),
            "config": np.asarray(
                [cfg.embedding_weight, cfg.ngram_min, cfg.ngram_max, cfg.min_df, cfg.c],
                dtype=np.float64,
            ),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, npt.NDArray[Any]]) -> Heads:
        """Rebuild heads saved by ``to_arrays``."""
        weight, ngram_min, ngram_max, min_df, c = (float(v) for v in arrays["config"])
        config = HeadConfig(weight, int(ngram_min), int(ngram_max), int(min_df), c)
        return cls(
            config,
            [str(t) for t in arrays["vocabulary"]],
            np.asarray(arrays["idf"], dtype=np.float64),
            np.asarray(arrays["coef"], dtype=np.float64),
            np.asarray(arrays["intercept"], dtype=np.float64),
        )
