"""Hex keys presented weakly, and tx hashes labelled next to a key word.

Secrets: a 64-hex key (or a Solana base58 key) where a public-data word stands nearer to the
string than the key cue (``pasted my key … instead of the address … it was <hex>``, ``asked
for my private key to fix the pending tx so I sent it: <hex>``). Negatives: tx hashes with a
public label attached (``tx hash: <hex>``, ``/tx/<hex>``, ``交易哈希：<hex>``) in messages that
also speak about private keys. Both come from random streams of their own and are appended
after the older entries (``build_corpus.py``).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from base58 import b58encode
from corpus_parts import fill_key
from ordinary_parts import _fill

if TYPE_CHECKING:
    from corpus_parts import Templates


def _weak_key(rng: random.Random, template: str) -> dict[str, object]:
    placeholder = "{solkey}" if "{solkey}" in template else "{key}"
    if placeholder == "{key}":
        value, kind = fill_key(rng), "hex"
    else:
        raw = b"\x00"
        while raw[0] == 0:  # a leading zero byte shortens the base58 string
            raw = rng.randbytes(64)
        value, kind = b58encode(raw).decode("ascii"), "solana_base58"
    before, after = template.split(placeholder, 1)
    secret: dict[str, object] = {"kind": "private_key", "format": kind, "presented": "weakly"}
    secret |= {"start": len(before), "end": len(before) + len(value)}
    return {"text": before + value + after, "secrets": [secret]}


def presented_secrets(rng: random.Random, templates: Templates) -> list[dict[str, object]]:
    """Every weak-key template twice (with and without ``0x`` most of the time)."""
    return [_weak_key(rng, t) for t in templates.files["weak_key"] for _ in range(2)]


def presented_ordinary(rng: random.Random, templates: Templates) -> list[tuple[str, str]]:
    """Labelled tx hashes in messages that speak about keys: category, text pairs."""
    found = [
        ("tx_key_word", _fill(rng, t))
        for t in templates.section("weak_public", "message")
        for _ in range(4)
    ]
    warnings = templates.section("weak_public", "warning")
    labelled = templates.section("weak_public", "labelled")
    for _ in range(150):
        joiner = rng.choice([" ", "\n", " ", "  "])
        text = rng.choice(warnings) + joiner + _fill(rng, rng.choice(labelled))
        found.append(("tx_key_word", text))
    return found
