"""What a detector reports: a span of the scanned text and how to describe it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """A secret found in the scanned text.

    Attributes:
        start: Offset of the secret's first character.
        end: Offset after its last character.
        kind: ``seed_phrase`` or ``private_key`` (the ``core.Redaction`` kind).
        label: What the marker names, e.g. ``seed phrase, 12 words``.
        detail: Human description kept with the redaction, e.g. ``12 words, english``.
    """

    start: int
    end: int
    kind: str
    label: str
    detail: str

    @property
    def marker(self) -> str:
        """The text that replaces the secret; it never contains any part of it."""
        return f"[redacted: {self.label}]"
