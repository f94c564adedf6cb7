"""Ed25519 public key derivation (RFC 8032), just enough to recognise a Solana keypair.

A Solana keypair (Phantom/Solflare export, ``solana-keygen`` ``id.json``) is 64 bytes: the
32-byte secret seed followed by its 32-byte public key. Deriving the public key from the seed
and comparing it with the second half proves the bytes are a keypair, something no public value
(a transaction signature, an address) can imitate. The project has no native Ed25519 library,
and this runs only on rare 64-byte candidates, so a small pure-Python version is enough.
"""

from __future__ import annotations

import hashlib
from functools import cache

_P = 2**255 - 19
#: Order of the base point; a canonical signature's second half is a scalar below it.
ORDER = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_D2 = 2 * _D % _P
_BASE_X = 15112221349535400772501151409588531511454012693041857206046113283949847762202
_BASE_Y = 46316835694926478169428394003475163141307993866256225615783033603165251855960

# A point in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z and x*y = T/Z.
_Point = tuple[int, int, int, int]


def _add(p: _Point, q: _Point) -> _Point:
    """Point addition on the twisted Edwards curve (``add-2008-hwcd-3``, complete for a=-1)."""
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = t1 * _D2 * t2 % _P
    d = 2 * z1 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


@cache
def _powers() -> tuple[_Point, ...]:
    """``2**i * B`` for i in 0..254, built on first use so a scalar costs only additions."""
    point: _Point = (_BASE_X, _BASE_Y, 1, _BASE_X * _BASE_Y % _P)
    table = [point]
    for _ in range(254):
        point = _add(point, point)
        table.append(point)
    return tuple(table)


def public_key(seed: bytes) -> bytes:
    """Return the 32-byte Ed25519 public key of a 32-byte secret seed.

    Args:
        seed: The secret seed (the first half of a Solana keypair).

    Raises:
        ValueError: When ``seed`` is not 32 bytes long.
    """
    if len(seed) != 32:
        raise ValueError("an Ed25519 seed is 32 bytes")
    digest = hashlib.sha512(seed).digest()
    scalar = int.from_bytes(digest[:32], "little")
    scalar = (scalar & ((1 << 254) - 8)) | (1 << 254)  # clamping, as RFC 8032 5.1.5
    result: _Point = (0, 1, 1, 0)
    for i, power in enumerate(_powers()):
        if scalar >> i & 1:
            result = _add(result, power)
    x, y, z, _ = result
    inverse = pow(z, _P - 2, _P)
    x, y = x * inverse % _P, y * inverse % _P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def is_keypair(raw: bytes) -> bool:
    """Tell whether 64 bytes are an Ed25519 seed followed by its own public key."""
    return len(raw) == 64 and public_key(raw[:32]) == raw[32:]


def may_be_signature(raw: bytes) -> bool:
    """Tell whether 64 bytes could be a canonical Ed25519 signature (R, then S below the order).

    Solana accepts only canonical signatures, so 64 bytes whose second half is not below the
    order are never a transaction signature; a keypair's public key half is above it 15 times
    in 16.
    """
    return len(raw) == 64 and int.from_bytes(raw[32:], "little") < ORDER
