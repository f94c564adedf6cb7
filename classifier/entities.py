"""Public data in a message: tx hashes, addresses, URLs and app versions, with a chain guess."""

import re
from collections.abc import Iterator
from typing import Literal

from core import Entity, EntityKind

# Order matters: longer and more specific patterns first, and a span is claimed only once.
_PATTERNS: tuple[tuple[EntityKind, str | None, re.Pattern[str]], ...] = (
    (EntityKind.URL, None, re.compile(r"\b(?:https?://|www\.)[^\s<>\"'，。）)]+", re.I)),
    (EntityKind.TX_HASH, "evm", re.compile(r"\b0x[0-9a-fA-F]{64}\b")),
    (EntityKind.ADDRESS, "evm", re.compile(r"\b0x[0-9a-fA-F]{40}\b")),
    (EntityKind.ADDRESS, "tron", re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")),
    (
        EntityKind.ADDRESS,
        "btc",
        re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b"),
    ),
    (EntityKind.TX_HASH, "solana", re.compile(r"\b[1-9A-HJ-NP-Za-km-z]{86,88}\b")),
    (EntityKind.TX_HASH, None, re.compile(r"\b[0-9a-fA-F]{64}\b")),
    (EntityKind.ADDRESS, "solana", re.compile(r"\b[1-9A-HJ-NP-Za-km-z]{32,44}\b")),
    (
        EntityKind.APP_VERSION,
        None,
        re.compile(r"(?<![\w.])v?\d{1,2}\.\d{1,3}\.\d{1,4}(?![\w.])", re.I),
    ),
)
_TRON_CONTEXT = re.compile(r"tron|trx|trc-?20|波场|tronscan", re.I)
_BTC_CONTEXT = re.compile(r"btc|bitcoin|比特币|mempool|blockstream", re.I)
_SOL_ADDRESS_HINT = re.compile(r"[a-z]")


def extract_entities(text: str) -> tuple[Entity, ...]:
    """Find the public entities of a text, each with its span and, where one applies, a chain.

    A bare 64-hex string is reported as a tx hash: one presented as a private key never gets
    here, because the redactor replaced it first.
    """
    taken: list[tuple[int, int]] = []
    found: list[Entity] = []
    for kind, chain, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            value = match.group(0).rstrip(".,;:!?")
            guessed = _guess_chain(kind, chain, value, text)
            if guessed is False:
                continue
            taken.append((start, start + len(value)))
            found.append(
                Entity(
                    kind=kind,
                    value=value,
                    chain=guessed if isinstance(guessed, str) else None,
                    start=start,
                    end=start + len(value),
                )
            )
    return tuple(sorted(found, key=lambda e: e.start))


def _guess_chain(
    kind: EntityKind, chain: str | None, value: str, text: str
) -> str | Literal[False] | None:
    """Refine the chain guess; ``False`` drops a match that is only a plain word."""
    if kind is EntityKind.TX_HASH and chain is None:
        return (
            "tron" if _TRON_CONTEXT.search(text) else "btc" if _BTC_CONTEXT.search(text) else None
        )
    if chain == "solana" and kind is EntityKind.ADDRESS:
        # Base58 runs of 32+ characters with digits and mixed case; plain long words are not keys.
        has_digit = any(c.isdigit() for c in value)
        return (
            "solana"
            if has_digit and _SOL_ADDRESS_HINT.search(value) and value.upper() != value
            else False
        )
    return chain


def iter_urls(entities: tuple[Entity, ...]) -> Iterator[str]:
    """Yield the URL values among ``entities``."""
    return (e.value for e in entities if e.kind is EntityKind.URL)
