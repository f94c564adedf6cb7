"""``ModelClassifier``: e5 embeddings and trained heads.

Per message: the heads score the (head-and-tail truncated) text. An exposed secret (a redaction
made before storage) forces urgent and security; forced flags keep the model's score and say
what forced them in ``forced_by``. Phishing, impersonation and solicitation are added on top by
``classifier.exact.WithExactDetectors``, as for any classifier.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from classifier.baseline import secret_detections
from classifier.entities import extract_entities
from classifier.language import detect_language
from classifier.model.artifacts import Artifacts, default_artifacts_dir, read_artifacts
from classifier.model.dataset import FLAGS
from classifier.model.features import TextEncoder, model_text
from classifier.model.heads import Heads, Probabilities
from core import Classification, FlagResult, Message

_log = logging.getLogger(__name__)


class ModelClassifier:
    """Implements ``core.Classifier`` with the e5 encoder and the heads.

    Build it with ``ModelClassifier.load`` once per process, off the event loop.

    Args:
        encoder: The loaded sentence encoder.
        artifacts: The trained heads and their manifest.
        batch_size: Texts per encoder batch. 1 (the default) makes a message's scores
            independent of the messages classified with it, as in training: the int8 encoder
            quantises activations per batch, which moves scores by about 0.002. Larger batches
            are about 1.7x faster on short chat messages.
    """

    def __init__(
        self,
        encoder: TextEncoder,
        artifacts: Artifacts,
        batch_size: int = 1,
    ) -> None:
        self._encoder = encoder
        self._heads = Heads.from_arrays(artifacts.arrays)
        self._thresholds = tuple(float(t) for t in artifacts.arrays["thresholds"])
        self._batch_size = batch_size
        self.artifacts = artifacts
        self.manifest = artifacts.manifest
        self._version = f"e5-heads@{artifacts.sha256[:12]}"
        trained_with = artifacts.manifest.get("encoder_version")
        if trained_with != encoder.version:
            # Still usable (same architecture, e.g. an ONNX graph re-quantised by a newer
            # runtime), but scores may drift: say so once, at load.
            _log.warning(
                "heads were trained on encoder %s but %s is loaded; run `watchdesk train`",
                trained_with,
                encoder.version,
            )

    @classmethod
    def load(
        cls,
        cache_dir: Path,
        artifacts_dir: Path | None = None,
        *,
        kind: str = "onnx-int8",
        batch_size: int = 1,
    ) -> ModelClassifier:
        """Load the encoder (converting it into ``cache_dir`` once) and the heads.

        Slow (seconds; a first conversion about 20 s): call once per process, off the event
        loop.

        Args:
            cache_dir: The encoder cache (``settings.classifier.model_cache``).
            artifacts_dir: The heads (default: the committed ``classifier/artifacts``).
            kind: Encoder kind, ``onnx-int8`` (production) or ``torch-fp32``.
            batch_size: Texts per encoder batch (see the class).

        Raises:
            ArtifactError: when the heads are missing or damaged.
        """
        from classifier.encoder import load_encoder  # noqa: PLC0415 (heavy; load time only)

        artifacts = read_artifacts(artifacts_dir or default_artifacts_dir())
        encoder = load_encoder(
            cache_dir, kind="torch-fp32" if kind == "torch-fp32" else "onnx-int8"
        )
        return cls(encoder, artifacts, batch_size)

    @property
    def version(self) -> str:
        """``e5-heads@<sha12 of heads.npz>``."""
        return self._version

    @property
    def encoder(self) -> TextEncoder:
        """The loaded sentence encoder (shared with the zero-shot peer in evaluation)."""
        return self._encoder

    @property
    def thresholds(self) -> tuple[float, float, float]:
        """The per-flag thresholds chosen at training time."""
        return (self._thresholds[0], self._thresholds[1], self._thresholds[2])

    def probabilities(self, texts: Sequence[str]) -> Probabilities:
        """Return the heads' (n, 3) probabilities for raw (redacted) texts, no detectors."""
        prepared = [model_text(t) for t in texts]
        vectors = self._encoder.embed(prepared, batch_size=self._batch_size)
        return self._heads.probabilities(vectors, prepared)

    def classify(self, messages: Sequence[Message]) -> list[Classification]:
        """Classify a batch: one encoder pass for all texts, then the detectors per message."""
        probs = self.probabilities([m.text for m in messages])
        return [self._one(m, p) for m, p in zip(messages, probs.tolist(), strict=True)]

    def _one(self, message: Message, scores: list[float]) -> Classification:
        secrets = secret_detections(message)
        forced = "secret" if secrets else None
        results = {
            flag: _flag(scores[j], self._thresholds[j], forced if flag != "complaint" else None)
            for j, flag in enumerate(FLAGS)
        }
        return Classification(
            urgent=results["urgent"],
            security=results["security"],
            complaint=results["complaint"],
            language=detect_language(message.text),
            entities=extract_entities(message.text),  # the whole text, not the model's copy
            detections=secrets,
            model_version=self._version,
        )


def _flag(score: float, threshold: float, forced_by: str | None) -> FlagResult:
    # The decision uses the exact score; the stored score is rounded for readability only.
    return FlagResult(
        value=score >= threshold or forced_by is not None,
        score=min(1.0, max(0.0, round(score, 6))),
        threshold=threshold,
        forced_by=forced_by,
    )
