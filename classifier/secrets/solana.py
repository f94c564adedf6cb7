"""Solana private keys: the base58 export of Phantom/Solflare and the ``id.json`` byte array.

Both hold the same 64 bytes: the secret seed, then its public key.

Decision rules:

* **Byte array** (``[174,47,154,…]``, ``solana-keygen``'s ``id.json``): exactly 64 integers
  0-255 in brackets, any spacing or line breaks. Always a key: signatures and addresses are
  written in base58, never as a JSON array of bytes.
* **Base58 of 64 bytes** (87-88 characters, decoded length checked): a transaction signature
  has the same shape and is public data that support needs, so the text decides, as for 64-hex
  keys (``cues.py``): an attached label, then any key cue (``private key``, ``secret key``,
  ``私钥``…), then public words (``signature``, ``tx``, ``solscan``, ``签名``, ``交易``…), then
  weak hints (``export``/``import`` versus ``sent``/``swap``/``failed``…), then a
  keypair-exporting wallet named nearby
  (``Phantom``, ``Solflare``, ``keypair``, ``id.json``). Whatever the wording, the string is
  a key when its bytes *are* a keypair: its second half is the Ed25519 public key of its first
  half (``ed25519.py``), which no signature or address can imitate. That proof (about 40 µs
  with the base58 decoding) runs only on strings that nothing presents (pasted bare) and on
  strings presented as public data that no canonical signature can be (a user calling a key his
  address), and on at most ``_PROOFS`` strings per text.
"""

from __future__ import annotations

import re

from base58 import BITCOIN_ALPHABET, b58decode

from classifier.secrets.cues import Cues, Presented
from classifier.secrets.ed25519 import is_keypair, may_be_signature
from classifier.secrets.findings import Finding

#: The base58 alphabet (Bitcoin's, which Solana uses too), for patterns.
B58 = BITCOIN_ALPHABET.decode("ascii")
# 64 bytes take 87 or 88 base58 characters (86 with a leading zero byte).
_BASE58 = re.compile(rf"(?<![{B58}])[{B58}]{{86,88}}(?![{B58}])")
# Bracketed, comma-separated numbers: counted and range-checked after the match, so that the
# pattern stays linear on long arrays.
_ARRAY = re.compile(r"\[\s*\d{1,3}(?:\s*,\s*\d{1,3}){40,}\s*,?\s*\]")
# A cap for crafted texts full of signatures: 64 proofs cost about 3 ms.
_PROOFS = 64
# Fewest commas a text holding a 64-byte array has; cheaper than any pattern as a pre-check.
_ARRAY_COMMAS = 63


def find_solana_keys(text: str, cues: Cues) -> list[Finding]:
    """Return the Solana keypairs of ``text``, in base58 or as byte arrays."""
    found = _base58_keys(text, cues)
    if may_hold_byte_array(text):
        found += _byte_arrays(text)
    return found


def may_hold_byte_array(text: str) -> bool:
    """Tell cheaply whether ``text`` has enough commas to hold a 64-byte array."""
    return text.count(",") >= _ARRAY_COMMAS


def _base58_keys(text: str, cues: Cues) -> list[Finding]:
    found = []
    proofs = _PROOFS
    for match in _BASE58.finditer(text):
        # The pattern admits only base58 characters, so the decoding cannot fail.
        raw = b58decode(match.group())
        if len(raw) != 64:
            continue
        start, end = match.span()
        presented = cues.hex_presented(start, end)
        key = presented is Presented.KEY or (
            presented is Presented.UNKNOWN and cues.keypair_hinted(start, end)
        )
        proven = False
        # A string presented as a signature that can be one is one: no proof spent on it.
        provable = presented is Presented.UNKNOWN or not may_be_signature(raw)
        if not key and proofs and provable:
            proofs -= 1
            proven = key = is_keypair(raw)
        if key:
            detail = "Solana keypair, base58" if proven else "base58, 64 bytes"
            found.append(Finding(start, end, "private_key", "private key, base58", detail))
    return found


def _byte_arrays(text: str) -> list[Finding]:
    found = []
    for match in _ARRAY.finditer(text):
        values = [int(v) for v in re.findall(r"\d+", match.group())]
        if len(values) == 64 and max(values) <= 255:
            found.append(
                Finding(
                    *match.span(), "private_key", "private key, byte array", "byte array, 64 bytes"
                )
            )
    return found
