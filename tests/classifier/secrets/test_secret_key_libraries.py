"""Our use of the ``cryptography`` and ``base58`` packages, checked against published vectors."""

import pytest
from base58 import b58decode, b58decode_check

from classifier.secrets import SecretRedactor
from classifier.secrets.ed25519 import is_keypair, public_key


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.mark.parametrize(
    ("seed", "public"),
    [  # RFC 8032, section 7.1: tests 1-3, TEST 1024 and TEST SHA(abc)
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        ),
        (
            "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
            "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
        ),
        (
            "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        ),
    ],
)
def test_public_key_follows_rfc_8032(seed: str, public: str) -> None:
    assert public_key(bytes.fromhex(seed)).hex() == public
    assert is_keypair(bytes.fromhex(seed + public))
    flipped = bytes.fromhex(seed + public[:-2] + f"{int(public[-2:], 16) ^ 1:02x}")
    assert not is_keypair(flipped)
    assert not is_keypair(bytes.fromhex(public + seed))


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_public_key_wants_a_32_byte_seed(length: int) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        public_key(bytes(length))


@pytest.mark.parametrize("length", [0, 32, 63, 65])
def test_only_64_bytes_can_be_a_keypair(length: int) -> None:
    assert not is_keypair(bytes(length))


@pytest.mark.parametrize(
    ("hex_bytes", "text"),
    [  # The base58 vectors of Bitcoin Core (src/test/data/base58_encode_decode.json)
        ("", ""),
        ("61", "2g"),
        ("626262", "a3gV"),
        ("636363", "aPEr"),
        ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
        (
            "00eb15231dfceb60925886b67d065299925915aeb172c06647",
            "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
        ),
        ("516b6fcd0f", "ABnLTmg"),
        ("00000000000000000000", "1111111111"),
    ],
)
def test_base58_vectors(hex_bytes: str, text: str) -> None:
    assert b58decode(text) == bytes.fromhex(hex_bytes)


@pytest.mark.parametrize("text", ["0OIl", "abc0", "I1"])
def test_base58_refuses_characters_outside_the_alphabet(text: str) -> None:
    with pytest.raises(ValueError, match="Invalid character"):
        b58decode(text)


KEY = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d"


@pytest.mark.parametrize(
    ("wif", "payload"),
    [  # The WIF example of the Bitcoin wiki, uncompressed and compressed
        ("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", f"80{KEY}"),
        ("KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617", f"80{KEY}01"),
    ],
)
def test_wif_vectors(redactor: SecretRedactor, wif: str, payload: str) -> None:
    assert b58decode_check(wif) == bytes.fromhex(payload)
    assert redactor.redact(f"key {wif} ok").text == "key [redacted: private key, WIF] ok"
    # One changed character breaks the checksum: the library refuses it, and so do we.
    broken = wif[:-1] + ("2" if wif[-1] != "2" else "3")
    with pytest.raises(ValueError, match="checksum"):
        b58decode_check(broken)
    assert not redactor.redact(f"key {broken} ok").found
