"""Text hygiene applied to every inbound text before it is redacted, stored or shown."""

import re
import unicodedata

# Lone surrogates cannot be encoded as UTF-8, so no database or log could take them.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Bidirectional controls let a message display differently from what it says (Trojan Source).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_text(text: str) -> str:
    """Make a text storable everywhere while keeping what it says.

    NUL bytes are dropped (PostgreSQL refuses them) and lone surrogates become U+FFFD.
    Zero-width characters and bidirectional controls are kept: they are evidence (a seed split
    by zero-width spaces, a spoofed name) and detectors normalise them away on their own copy.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _SURROGATES.sub("\ufffd", text)


def display_text(text: str) -> str:
    """Return a copy safe to show a person: no bidi overrides, no zero-width characters."""
    return _ZERO_WIDTH.sub("", _BIDI_CONTROLS.sub("", text))


def detector_view(text: str) -> str:
    """Return the normalised text detectors read: NFKC, without invisible characters."""
    return unicodedata.normalize("NFKC", display_text(text))


def clean_json(value: object) -> object:
    """Apply ``clean_text`` to every string (keys included) inside a JSON-like value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value
