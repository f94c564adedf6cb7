"""Ed25519 facts that recognise a Solana keypair, on top of the ``cryptography`` package.

A Solana keypair (Phantom/Solflare export, ``solana-keygen`` ``id.json``) is 64 bytes: the
32-byte secret seed followed by its 32-byte public key. Deriving the public key from the seed
and comparing it with the second half proves the bytes are a keypair, something no public value
(a transaction signature, an address) can imitate. The derivation is the library's (OpenSSL,
constant time, about 50 µs); only the signature-shape test below is ours, since no library
exposes it.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

#: Order of the base point; a canonical signature's second half is a scalar below it.
ORDER = 2**252 + 27742317777372353535851937790883648493


def public_key(seed: bytes) -> bytes:
    """Return the 32-byte Ed25519 public key of a 32-byte secret seed.

    Args:
        seed: The secret seed (the first half of a Solana keypair).

    Raises:
        ValueError: When ``seed`` is not 32 bytes long.
    """
    private = Ed25519PrivateKey.from_private_bytes(seed)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


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
