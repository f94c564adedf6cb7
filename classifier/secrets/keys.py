"""Private key detectors: raw 64-hex keys, WIF, BIP32 extended private keys, JSON keystores.

Decision rules:

* **64 hex** (with or without ``0x``): a key only when the text presents it as one
  (LABELING.md), and leaking a key costs far more than hiding a tx hash, so the decision is
  asymmetric (``Cues.hex_presented``). A label attached to the string (only separators or a
  copula between, at most 12 characters) decides: ``private key: <hex>`` is a key, ``tx: <hex>``,
  ``txid=<hex>``, ``/tx/<hex>``, ``交易哈希：<hex>``, ``<hex> (txid)`` are public data. Otherwise
  any key word within 120 characters before or 30 after (``private key``, ``privateKey``,
  ``pk:``, ``my key``, ``sent him the key``, ``私钥``, ``密钥``, ``秘密鍵``…) makes it a key even
  when a public word stands nearer; then public-data words and links (``tx``, ``hash``,
  ``交易``, ``sha256``, ``commit``, ``public key``, ``address``…) make it public data.
  Without either, weak hints decide (``sent``/``deposit``/``转账`` → public;
  ``import``/``export``/``restore``/``导入`` → key). A bare 64-hex string with no cue at all is
  left alone: users paste tx hashes alone all the time (Bitcoin and Tron txids have no ``0x``
  either, and 0x-prefixed 64-hex is also the shape of EVM tx hashes and Sui/Aptos addresses),
  while a wallet never shows a key without a label; guessing "key" there would hide the very
  data support needs to help.
* **WIF**: base58check with version 0x80/0xEF and a 32-byte key (+0x01 when compressed). The
  checksum makes false positives practically impossible, so no context is needed.
* **xprv/tprv** (and the y/z/u/v variants of BIP49/84): the four-letter prefix plus 100-112
  base58 characters; redacted even with a broken checksum, since a near-complete extended key
  is still a secret and nothing else looks like that.
* **JSON keystore**: a JSON object (or a mangled one: smart quotes, truncation) holding
  ``ciphertext`` and one of ``kdf``/``mac``/``cipherparams``; the whole object is redacted.
* **Solana keypairs** (base58 of 64 bytes, ``id.json`` byte arrays): see ``solana.py``.
"""

from __future__ import annotations

import json
import re

from base58 import b58decode_check

from classifier.secrets.cues import Cues, Presented
from classifier.secrets.findings import Finding
from classifier.secrets.solana import B58, find_solana_keys

_HEX = re.compile(r"(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{64}(?![0-9A-Za-z])")
_WIF = re.compile(rf"(?<![{B58}])[5KLc9][{B58}]{{50,51}}(?![{B58}])")
_XPRV = re.compile(rf"(?<![{B58}])([xtyzuvYZUV]prv)[{B58}]{{100,112}}(?![{B58}])")
_CIPHERTEXT = re.compile(r"ciphertext", re.IGNORECASE)
_KEYSTORE_PART = re.compile(r"kdf|\bmac\b|cipherparams", re.IGNORECASE)
_REACH = 1500  # how far around "ciphertext" a keystore's braces may be
_KEY_HEX = ("private_key", "private key, 64 hex", "64 hex")


def find_keys(text: str, cues: Cues) -> list[Finding]:
    """Return the private keys and keystores found in ``text``."""
    found = _hex_keys(text, cues)
    found += _wif_keys(text)
    found += _extended_keys(text)
    found += find_solana_keys(text, cues)
    if "{" in text:
        found += _keystores(text)
    return found


def _hex_keys(text: str, cues: Cues) -> list[Finding]:
    found = []
    for match in _HEX.finditer(text):
        if cues.hex_presented(match.start(), match.end()) is Presented.KEY:
            found.append(Finding(match.start(), match.end(), *_KEY_HEX))
    return found


def _wif_keys(text: str) -> list[Finding]:
    found = []
    for match in _WIF.finditer(text):
        payload = _payload(match.group())
        if payload is None or payload[0] not in (0x80, 0xEF):
            continue
        if len(payload) == 33 or (len(payload) == 34 and payload[-1] == 1):
            detail = "WIF" if payload[0] == 0x80 else "WIF, testnet"
            found.append(
                Finding(match.start(), match.end(), "private_key", "private key, WIF", detail)
            )
    return found


def _payload(text: str) -> bytes | None:
    """The base58check payload of ``text``, or None when its checksum does not match."""
    try:
        return b58decode_check(text)
    except ValueError:  # the library's only verdict on a wrong checksum
        return None


def _extended_keys(text: str) -> list[Finding]:
    found = []
    for match in _XPRV.finditer(text):
        prefix = match.group(1)
        valid = _payload(match.group()) is not None
        detail = prefix if valid else f"{prefix}, checksum not verified"
        found.append(
            Finding(match.start(), match.end(), "private_key", f"private key, {prefix}", detail)
        )
    return found


def _keystores(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _CIPHERTEXT.finditer(text):
        if found and found[-1].end > match.start():
            continue
        span = _keystore_span(text, match.start())
        if span is not None and _KEYSTORE_PART.search(text, span[0], span[1]):
            found.append(Finding(*span, "private_key", "keystore, JSON", "JSON keystore"))
    return found


def _keystore_span(text: str, inside: int) -> tuple[int, int] | None:
    """Span of the outermost JSON object around ``inside``, parsed or brace-matched."""
    low = max(0, inside - _REACH)
    decoder = json.JSONDecoder()
    best: tuple[int, int] | None = None
    depth, position = 0, inside
    while position > low:
        position -= 1
        char = text[position]
        if char == "}":
            depth += 1
        elif char == "{":
            if depth:
                depth -= 1
                continue
            try:
                _, end = decoder.raw_decode(text, position)
            except ValueError:
                end = _brace_end(text, position)
            if end > inside:
                best = (position, end)
    return best


def _brace_end(text: str, start: int) -> int:
    """End of the object opened at ``start`` by brace counting, or where the text stops."""
    depth = 0
    high = min(len(text), start + 2 * _REACH)
    for position in range(start, high):
        char = text[position]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return position + 1
    return high
