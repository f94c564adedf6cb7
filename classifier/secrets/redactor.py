"""The redaction step: find every exposed secret and replace it by a marker."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from classifier.secrets.cues import Cues
from classifier.secrets.findings import Finding
from classifier.secrets.keys import find_keys
from classifier.secrets.partial import PartialSeedDetector, may_hold_partial, partial_cues
from classifier.secrets.seeds import SeedDetector
from classifier.secrets.solana import may_hold_byte_array
from classifier.secrets.text import View, has_invisible, has_tokens, tokenize, views
from classifier.secrets.wordlists import Bip39Wordlists
from core.message import Redaction

# The shortest text that can hold a secret: 11 Chinese wordlist characters (a 12-character seed
# with one missing). Most strings of a raw payload (ids, names, timestamps) are shorter.
SHORTEST_SECRET = 11
_LONG_RUN = re.compile(r"[0-9A-Za-z]{50,}")

_KEYSTORE_MARKER = Finding(0, 0, "private_key", "keystore, JSON", "JSON keystore")


@dataclass(frozen=True)
class Redacted:
    """A text with its secrets replaced by markers.

    Attributes:
        text: The redacted text.
        redactions: One entry per marker, with the marker's offsets in ``text``.
    """

    text: str
    redactions: tuple[Redaction, ...]

    @property
    def found(self) -> bool:
        """True when at least one secret was redacted."""
        return bool(self.redactions)


class SecretRedactor:
    """Finds BIP39 mnemonics, private keys and keystores and cuts them out of texts.

    Args:
        wordlists: The prepared BIP39 wordlists (built once by the composition root).
    """

    def __init__(self, wordlists: Bip39Wordlists) -> None:
        self._seeds = SeedDetector(wordlists)
        self._partial = PartialSeedDetector(wordlists)

    @classmethod
    def default(cls) -> SecretRedactor:
        """Build a redactor with every BIP39 wordlist of the ``mnemonic`` package."""
        return cls(Bip39Wordlists.from_mnemonic())

    def redact(self, text: str) -> Redacted:
        """Replace every secret of ``text`` by a marker naming its kind and size.

        Args:
            text: Any text: empty, huge, with zero-width or control characters, NUL bytes,
                lone surrogates or bidi overrides.

        Returns:
            The redacted text and one ``Redaction`` per marker.
        """
        return _apply(text, self.findings(text))

    def findings(self, text: str) -> list[Finding]:
        """Return the secrets of ``text`` as spans of ``text``, merged and in order.

        ``redact`` is built on this; evaluation uses it to check that every secret is covered.
        """
        if len(text) < SHORTEST_SECRET or not _may_hold_secret(text):
            return []
        return _merge(f for view in views(text) for f in self._scan(view))

    def redact_json(
        self, value: object, known: Mapping[str, Redacted] | None = None
    ) -> tuple[object, tuple[Redaction, ...]]:
        """Redact every string of a JSON-like value (dicts, lists, tuples, strings).

        Keys are redacted like values; an object that is itself a keystore is replaced by the
        keystore marker. Other values are returned as they are.

        Args:
            value: A decoded JSON payload, or any part of one.
            known: Strings the caller has already redacted, with their results: a raw payload
                repeats the message text, which need not be scanned twice.

        Returns:
            The redacted copy and every redaction made (offsets are within each string).
        """
        redactions: list[Redaction] = []
        return self._walk(value, redactions, known or {}), tuple(redactions)

    def _walk(
        self, value: object, redactions: list[Redaction], known: Mapping[str, Redacted]
    ) -> object:
        if isinstance(value, str):
            if len(value) < SHORTEST_SECRET:
                return value  # ids, names, timestamps: most strings of a payload
            result = known.get(value) or self.redact(value)
            redactions.extend(result.redactions)
            return result.text
        if isinstance(value, dict):
            if _is_keystore(value):
                marker = _KEYSTORE_MARKER.marker
                redactions.append(_redaction(_KEYSTORE_MARKER, 0, len(marker)))
                return marker
            return {
                self._walk(k, redactions, known): self._walk(v, redactions, known)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self._walk(item, redactions, known) for item in value]
        return value

    def _scan(self, view: View) -> list[Finding]:
        text = view.text
        # Every key is a run of 50+ letters and digits (64 hex, 51-character WIF, 111-character
        # xprv, 88-character Solana base58; a keystore holds 64-hex fields) or a 64-byte array
        # (63 commas); every seed has 11+ words, but for a partial one ("first 6 words are …"),
        # which its cue announces. Ordinary chat has none of these most of the time, and then
        # nothing else needs to run.
        tokens = tokenize(text)
        may_hold_key = _may_hold_key(text)
        announced = partial_cues(text)
        if not may_hold_key and len(tokens) < SHORTEST_SECRET:
            partial = self._partial.find(text, tokens, announced)
            return [_map(view, finding) for finding in partial]
        cues = Cues(text)
        found = find_keys(text, cues) if may_hold_key else []
        found += self._seeds.find(text, tokens, cues)
        found += self._partial.find(text, tokens, announced, found)
        return [_map(view, finding) for finding in found]


def _may_hold_secret(text: str) -> bool:
    """Cheap necessary conditions for a secret, checked before any view is built.

    Every key lies in a run of 50+ letters and digits, near "ciphertext" or in an array of 64
    numbers; every seed has 11+ words, or names itself (a partial seed). Invisible characters
    may join or split either, so a text holding one always goes through the full scan. Most
    chat messages and payload fields (timestamps, ids, names) fail all of these, and building
    views and tokens for them is most of the cost.
    """
    return (
        _may_hold_key(text)
        or has_invisible(text)
        or has_tokens(text, SHORTEST_SECRET)
        or may_hold_partial(text)
    )


def _may_hold_key(text: str) -> bool:
    return (
        _LONG_RUN.search(text) is not None
        or "ciphertext" in text.lower()
        or may_hold_byte_array(text)
    )


def _map(view: View, finding: Finding) -> Finding:
    start, end = view.original(finding.start, finding.end)
    return Finding(start, end, finding.kind, finding.label, finding.detail)


def _merge(findings: Iterable[Finding]) -> list[Finding]:
    """Join overlapping findings; the longest one names the merged span."""
    merged: list[tuple[int, int, Finding]] = []
    for finding in sorted(findings):
        if merged and finding.start < merged[-1][1]:
            start, end, best = merged[-1]
            if finding.end - finding.start > best.end - best.start:
                best = finding
            merged[-1] = (start, max(end, finding.end), best)
        else:
            merged.append((finding.start, finding.end, finding))
    return [Finding(s, e, f.kind, f.label, f.detail) for s, e, f in merged]


def _apply(text: str, findings: list[Finding]) -> Redacted:
    parts: list[str] = []
    redactions: list[Redaction] = []
    cursor, length = 0, 0
    for finding in findings:
        parts.append(text[cursor : finding.start])
        length += finding.start - cursor
        marker = finding.marker
        redactions.append(_redaction(finding, length, length + len(marker)))
        parts.append(marker)
        length += len(marker)
        cursor = finding.end
    parts.append(text[cursor:])
    return Redacted("".join(parts), tuple(redactions))


def _redaction(finding: Finding, start: int, end: int) -> Redaction:
    return Redaction(
        kind=finding.kind, detail=finding.detail, start=start, end=end, marker=finding.marker
    )


def _is_keystore(value: dict[object, object]) -> bool:
    crypto = value.get("crypto", value.get("Crypto"))
    return isinstance(crypto, dict) and "ciphertext" in crypto
