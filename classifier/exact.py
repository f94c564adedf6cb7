"""Exact detectors layered on any classifier: phishing links, impersonators, solicitation.

The model (or the keyword baseline) gives scores; these detectors give certainties. A finding
adds a detection with its evidence, fills URL verdicts in the entities, and forces the
security flag, recording in ``forced_by`` which detector backs it (unless something stronger,
an exposed secret, already does). Detectors always read the whole text, while the model reads
a truncated copy.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core import Author, Classification, Classifier, Detection, Entity, FlagResult, Message


class PhishingCheck(Protocol):
    """``classifier.detectors.PhishingDetector``, as far as this layer uses it."""

    def detect(
        self, text: str, entities: Sequence[Entity]
    ) -> tuple[tuple[Detection, ...], tuple[Entity, ...]]:
        """Return phishing detections and the entities with URL verdicts."""
        ...


class ImpersonationCheck(Protocol):
    """``classifier.detectors.ImpersonationDetector``, as far as this layer uses it."""

    def check(self, platform: str, author: Author) -> Detection | None:
        """Return an impersonation detection for the author, or None."""
        ...


class SolicitationCheck(Protocol):
    """``classifier.detectors.SolicitationDetector``, as far as this layer uses it."""

    def detect(self, text: str) -> tuple[Detection, ...]:
        """Return solicitation detections in the text."""
        ...


@dataclass(frozen=True)
class ExactDetectors:
    """The detectors built once from settings.

    Any may be absent: labelled texts in an evaluation have no authors to check.
    """

    phishing: PhishingCheck | None = None
    impersonation: ImpersonationCheck | None = None
    solicitation: SolicitationCheck | None = None

    @property
    def names(self) -> list[str]:
        """Names of the detectors present, in the order they run."""
        return [name for name, d in vars(self).items() if d is not None]

    def apply(self, message: Message, classification: Classification) -> Classification:
        """Add the detectors' findings to one classification."""
        entities, detections = self._find(message, classification.entities)
        if not detections:
            return classification.model_copy(update={"entities": entities})
        security = classification.security
        if security.forced_by is None:
            security = FlagResult(
                value=True,
                score=security.score,
                threshold=security.threshold,
                forced_by=detections[0].kind.value,
            )
        return classification.model_copy(
            update={
                "entities": entities,
                "detections": classification.detections + tuple(detections),
                "security": security,
            }
        )

    def _find(
        self, message: Message, entities: tuple[Entity, ...]
    ) -> tuple[tuple[Entity, ...], list[Detection]]:
        detections: list[Detection] = []
        if self.phishing is not None:
            found, entities = self.phishing.detect(message.text, entities)
            detections.extend(found)
        if self.impersonation is not None:
            hit = self.impersonation.check(message.platform, message.author)
            if hit is not None:
                detections.append(hit)
        # Staff legitimately write "DM us your ticket number".
        if self.solicitation is not None and not message.author.is_staff:
            detections.extend(self.solicitation.detect(message.text))
        return entities, detections


class WithExactDetectors:
    """Implements ``core.Classifier``: the inner classifier, then the exact detectors."""

    def __init__(self, inner: Classifier, detectors: ExactDetectors) -> None:
        self._inner = inner
        self._detectors = detectors

    @property
    def version(self) -> str:
        """The inner classifier's version (the detectors' rules are versioned with the code)."""
        return self._inner.version

    @property
    def detector_names(self) -> list[str]:
        """Every exact detector in play: the secrets (found at redaction) and these."""
        return ["secrets", *self._detectors.names]

    def classify(self, messages: Sequence[Message]) -> list[Classification]:
        """Classify with the inner classifier, then add the exact findings."""
        results = self._inner.classify(messages)
        return [self._detectors.apply(m, c) for m, c in zip(messages, results, strict=True)]
