"""Exact detectors layered on any classifier: phishing links, impersonators, solicitation.

The model (or the keyword baseline) gives scores; these detectors give certainties. A finding
adds a detection with its evidence, fills URL verdicts in the entities, and forces the
security flag, recording which detector forced it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from classifier.detectors import ImpersonationDetector, PhishingDetector, SolicitationDetector
from core import Classification, Classifier, Detection, FlagResult, Message


@dataclass(frozen=True)
class ExactDetectors:
    """The detectors built once from settings."""

    phishing: PhishingDetector
    impersonation: ImpersonationDetector
    solicitation: SolicitationDetector

    def apply(self, message: Message, classification: Classification) -> Classification:
        """Add the detectors' findings to one classification."""
        found, entities = self.phishing.detect(message.text, classification.entities)
        detections: list[Detection] = list(found)
        impersonation = self.impersonation.check(message.platform, message.author)
        if impersonation is not None:
            detections.append(impersonation)
        if not message.author.is_staff:  # staff legitimately write "DM us your ticket number"
            detections.extend(self.solicitation.detect(message.text))
        if not detections:
            return classification.model_copy(update={"entities": entities})
        security = classification.security
        if not security.value:
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


class WithExactDetectors:
    """Implements ``core.Classifier``: the inner classifier, then the exact detectors."""

    def __init__(self, inner: Classifier, detectors: ExactDetectors) -> None:
        self._inner = inner
        self._detectors = detectors

    @property
    def version(self) -> str:
        """The inner classifier's version (the detectors' rules are versioned with the code)."""
        return self._inner.version

    def classify(self, messages: Sequence[Message]) -> list[Classification]:
        """Classify with the inner classifier, then add the exact findings."""
        results = self._inner.classify(messages)
        return [self._detectors.apply(m, c) for m, c in zip(messages, results, strict=True)]
