"""Table-driven tests of the private key detectors."""

import hashlib
import json

import pytest
from base58 import b58encode_check
from mnemonic import Mnemonic

from classifier.secrets import SecretRedactor

KEY = hashlib.sha256(b"unit test key").hexdigest()


def b58check(payload: bytes) -> str:
    return b58encode_check(payload).decode()


WIF_C = b58check(b"\x80" + bytes(range(1, 33)) + b"\x01")
WIF_U = b58check(b"\x80" + bytes(range(1, 33)))
WIF_T = b58check(b"\xef" + bytes(range(1, 33)) + b"\x01")
XPRV = Mnemonic.to_hd_master_key(bytes(64))
TPRV = Mnemonic.to_hd_master_key(bytes(64), testnet=True)
KEYSTORE = {
    "address": "00" * 20,
    "crypto": {
        "cipher": "aes-128-ctr",
        "ciphertext": "ab" * 32,
        "cipherparams": {"iv": "cd" * 16},
        "kdf": "scrypt",
        "kdfparams": {"dklen": 32, "n": 262144, "p": 1, "r": 8, "salt": "ef" * 32},
        "mac": "12" * 32,
    },
    "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
    "version": 3,
}


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.mark.parametrize(
    ("text", "is_key"),
    [
        (f"my private key is {KEY}", True),
        (f"Private key: 0x{KEY}", True),
        (f"PRIVATE_KEY={KEY}", True),
        (f'const privateKey = "0x{KEY}";', True),
        (f"pk: {KEY}", True),
        (f"私钥：{KEY}", True),
        (f"导出私钥 {KEY.upper()} 帮我看看", True),
        (f"秘密鍵: {KEY}", True),
        (f"{KEY}\nthis is the private key I exported", True),
        (f"I imported {KEY} and the balance is zero", True),  # weak hint: import
        (f"tx hash: 0x{KEY}", False),
        (f"txid {KEY}", False),
        (f"https://etherscan.io/tx/0x{KEY}", False),
        (f"交易哈希：{KEY}", False),
        (f"转账记录 0x{KEY} 对方说没收到", False),
        (f"sha256: {KEY}", False),
        (f"{KEY}  wallet-1.2.apk", False),
        (f"public key {KEY}", False),
        (f"0x{KEY}", False),  # bare: a tx hash pasted alone is the common case
        (KEY, False),
        (f"sent 100 USDT {KEY}", False),
        (f"my private key is {KEY}1", False),  # 65 hex: not a key
    ],
)
def test_hex_context(redactor: SecretRedactor, text: str, is_key: bool) -> None:
    out = redactor.redact(text)
    assert out.found is is_key
    if is_key:
        assert "[redacted: private key, 64 hex]" in out.text
        assert KEY not in out.text
        assert KEY.upper() not in out.text


def test_nearest_cue_decides_for_each_string(redactor: SecretRedactor) -> None:
    other = hashlib.sha256(b"other").hexdigest()
    out = redactor.redact(f"drain tx was 0x{other}\nmy private key: {KEY}")
    assert other in out.text
    assert KEY not in out.text


@pytest.mark.parametrize(
    ("value", "label"),
    [(WIF_C, "WIF"), (WIF_U, "WIF"), (WIF_T, "WIF"), (XPRV, "xprv"), (TPRV, "tprv")],
)
def test_checksummed_keys_need_no_context(redactor: SecretRedactor, value: str, label: str) -> None:
    out = redactor.redact(f"look {value} ok")
    assert out.text == f"look [redacted: private key, {label}] ok"
    assert out.redactions[0].kind == "private_key"


def test_wif_with_broken_checksum_is_left_alone(redactor: SecretRedactor) -> None:
    broken = WIF_C[:-1] + ("2" if WIF_C[-1] != "2" else "3")
    assert not redactor.redact(broken).found


def test_btc_address_is_not_a_wif(redactor: SecretRedactor) -> None:
    address = b58check(b"\x00" + bytes(20))
    assert not redactor.redact(f"send to {address}").found


def test_xprv_with_typo_is_still_redacted(redactor: SecretRedactor) -> None:
    typo = XPRV[:50] + ("A" if XPRV[50] != "A" else "B") + XPRV[51:]
    out = redactor.redact(typo)
    assert out.text == "[redacted: private key, xprv]"
    assert "checksum not verified" in out.redactions[0].detail


@pytest.mark.parametrize("indent", [None, 2])
def test_keystore_in_text(redactor: SecretRedactor, indent: int | None) -> None:
    text = f"my keystore file:\n{json.dumps(KEYSTORE, indent=indent)}\npassword forgotten"
    out = redactor.redact(text)
    assert out.text == "my keystore file:\n[redacted: keystore, JSON]\npassword forgotten"


def test_mangled_and_truncated_keystores(redactor: SecretRedactor) -> None:
    mangled = json.dumps(KEYSTORE).replace('"', "\u201c", 3)
    assert redactor.redact(mangled).text == "[redacted: keystore, JSON]"
    truncated = json.dumps(KEYSTORE)[:200]
    out = redactor.redact("here " + truncated)
    assert out.text == "here [redacted: keystore, JSON]"


def test_word_ciphertext_alone_is_not_a_keystore(redactor: SecretRedactor) -> None:
    assert not redactor.redact("what is ciphertext and kdf in a keystore?").found
    assert not redactor.redact("{see docs} the ciphertext and the kdf fields").found
