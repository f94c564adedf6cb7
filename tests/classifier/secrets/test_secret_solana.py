"""Table-driven tests of the Solana key detectors (base58 export, id.json byte array)."""

import hashlib
import json

import pytest
from base58 import b58decode, b58encode

from classifier.secrets import SecretRedactor
from classifier.secrets.ed25519 import ORDER, may_be_signature, public_key

BASE58_MARKER = "[redacted: private key, base58]"
ARRAY_MARKER = "[redacted: private key, byte array]"


def b58(raw: bytes) -> str:
    return b58encode(raw).decode()


def keypair(label: str) -> bytes:
    """A real keypair whose public half is above the order (no signature can look like it)."""
    for i in range(100):
        seed = hashlib.sha256(f"{label}/{i}".encode()).digest()
        pair = seed + public_key(seed)
        if not may_be_signature(pair):
            return pair
    raise AssertionError("unreachable: 15 keypairs in 16 qualify")


def signature_shaped_keypair() -> bytes:
    """A real keypair whose public half is below the order, as 1 keypair in 16 is."""
    for i in range(1000):
        seed = hashlib.sha256(f"shaped/{i}".encode()).digest()
        pair = seed + public_key(seed)
        if may_be_signature(pair):
            return pair
    raise AssertionError("unreachable")


PAIR = keypair("unit")
SHAPED = b58(signature_shaped_keypair())
KEY = b58(PAIR)
RANDOM = b58(hashlib.sha512(b"random 64 bytes").digest())  # 64 bytes, not a keypair
SIGNATURE = b58(hashlib.sha256(b"R").digest() + (ORDER - 12345).to_bytes(32, "little"))
ADDRESS = b58(PAIR[32:])
ARRAY = json.dumps(list(PAIR))


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


def test_shapes() -> None:
    assert len(KEY) in (87, 88)
    assert b58decode(KEY) == PAIR
    assert may_be_signature(b58decode(SIGNATURE))
    assert not may_be_signature(PAIR)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Presented as a key: any 64 bytes.
        (f"my phantom private key is {RANDOM}", True),
        (f"Private key: {RANDOM}", True),
        (f"SOLANA_PRIVATE_KEY={RANDOM}", True),
        (f'const secretKey = "{RANDOM}";', True),
        (f"私钥：{RANDOM}", True),
        (f"exported from Solflare {RANDOM}", True),  # weak hint: export
        (f"Phantom gave me this {RANDOM} after I clicked the menu", True),  # wallet hint
        (f"keypair {RANDOM}", True),
        # A real keypair needs no wording, and wins over wrong wording.
        (KEY, True),
        (f"is this my wallet address? {KEY}", True),
        (f"{KEY}\nwhat is this", True),
        (f"seed: {KEY}", True),
        (SHAPED, True),  # pasted bare: proven even though a signature could look like it
        (f"`{SHAPED}` what is this", True),
        (f"please help, this is my secret: {RANDOM}", True),
        # Public data.
        (f"signature: {SIGNATURE}", False),
        # Presented as a signature and shaped like one: taken at its word, no proof spent.
        (f"signature: {SHAPED}", False),
        (f"https://solscan.io/tx/{SIGNATURE}", False),
        (f"https://explorer.solana.com/tx/{SIGNATURE}?cluster=mainnet-beta", False),
        (f"Phantom says the transaction failed: {SIGNATURE}", False),
        (f"my phantom swap failed {RANDOM}", False),  # a swap: a signature, whatever its bytes
        (f"签名 {RANDOM}", False),
        (f"交易 {RANDOM} 一直没到账", False),
        (f"tx sig {RANDOM}", False),
        (SIGNATURE, False),  # pasted alone: signatures are what users paste
        (RANDOM, False),
        (f"my phantom wallet {ADDRESS}", False),  # an address is 32 bytes
        (f"private key: {b58(b58decode(RANDOM)) + '1'}", False),  # 65 bytes
        (f"private key: {b58(hashlib.sha512(b'x').digest()[:63])}", False),  # 63 bytes
        (f"private key: {b58(bytes(1) + hashlib.sha512(b'x').digest())}", False),
    ],
)
def test_base58(redactor: SecretRedactor, text: str, found: bool) -> None:
    out = redactor.redact(text)
    assert out.found is found
    if found:
        assert BASE58_MARKER in out.text
        assert RANDOM not in out.text
        assert KEY not in out.text
        assert out.redactions[0].kind == "private_key"


def test_proven_keypair_says_so(redactor: SecretRedactor) -> None:
    assert redactor.redact(KEY).redactions[0].detail == "Solana keypair, base58"
    assert redactor.redact(f"secret key {RANDOM}").redactions[0].detail == "base58, 64 bytes"


@pytest.mark.parametrize(
    "array",
    [
        ARRAY,
        json.dumps(list(PAIR), separators=(",", ":")),
        json.dumps(list(PAIR), indent=2),
        "[ " + " , ".join(map(str, PAIR)) + " ]",
        json.dumps(list(PAIR)).replace("]", ",]"),  # trailing comma
        json.dumps(list(hashlib.sha512(b"any 64 bytes").digest())),  # not a keypair: still one
    ],
)
def test_byte_arrays(redactor: SecretRedactor, array: str) -> None:
    out = redactor.redact(f"my id.json:\n{array}\nhow do I import it")
    assert out.text == f"my id.json:\n{ARRAY_MARKER}\nhow do I import it"
    assert out.redactions[0].detail == "byte array, 64 bytes"


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(list(PAIR[:32])),  # a 32-byte public key
        json.dumps(list(PAIR[:63])),
        json.dumps([*PAIR, 1]),
        json.dumps([*PAIR[:63], 256]),  # not bytes
        json.dumps([1000 + b for b in PAIR]),
        json.dumps([round(b / 3, 2) for b in PAIR]),  # floats
        "[" + ", ".join(["1"] * 64) + "], [" + ", ".join(["2"] * 64),  # second one unclosed
    ],
)
def test_other_number_arrays_are_left_alone(redactor: SecretRedactor, text: str) -> None:
    assert redactor.redact(f"the API returned {text}").found is ("[1, 1" in text)


def test_many_candidates_stay_fast(redactor: SecretRedactor) -> None:
    # Proofs are capped per text: a text full of key-shaped strings must not run one per
    # string.
    text = " ".join(b58(hashlib.sha512(bytes([i])).digest()) for i in range(200))
    out = redactor.redact(text)
    assert not out.found
