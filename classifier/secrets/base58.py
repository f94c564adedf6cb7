"""Base58 (the Bitcoin alphabet, which Solana uses too) and base58check decoding."""

from __future__ import annotations

import hashlib

#: The base58 alphabet: digits and letters without 0, O, I and l.
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_VALUES = {c: i for i, c in enumerate(B58)}


def b58decode(text: str) -> bytes | None:
    """Decode plain base58 (Bitcoin alphabet); return None when a character is not base58."""
    value = 0
    for char in text:
        digit = _VALUES.get(char)
        if digit is None:
            return None
        value = value * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + value.to_bytes((value.bit_length() + 7) // 8, "big")


def b58check_decode(text: str) -> bytes | None:
    """Decode base58check; return the payload without its checksum, or None when invalid."""
    raw = b58decode(text)
    if raw is None or len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
        return None
    return payload
