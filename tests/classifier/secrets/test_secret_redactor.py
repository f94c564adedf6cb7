"""The redactor's contract: markers, offsets, idempotence, JSON payloads and bad input."""

import hashlib
import time

import pytest
from mnemonic import Mnemonic

from classifier.secrets import Bip39Wordlists, Redacted, SecretRedactor

PHRASE = Mnemonic("english").to_mnemonic(hashlib.sha256(b"redactor").digest()[:16])
WORDS = PHRASE.split()
KEY = hashlib.sha256(b"redactor key").hexdigest()


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


def test_constructor_takes_prepared_wordlists() -> None:
    redactor = SecretRedactor(Bip39Wordlists.from_mnemonic(["english"]))
    assert redactor.redact(PHRASE).found
    assert not redactor.redact(" ".join(Mnemonic("french").to_mnemonic(bytes(16)).split())).found


def test_redacted_offsets_point_at_markers(redactor: SecretRedactor) -> None:
    text = f"a {PHRASE} b private key: {KEY} c"
    out = redactor.redact(text)
    assert isinstance(out, Redacted)
    assert out.found
    assert [r.kind for r in out.redactions] == ["seed_phrase", "private_key"]
    for redaction in out.redactions:
        assert out.text[redaction.start : redaction.end] == redaction.marker
    assert out.redactions[0].detail == "12 words, english"
    assert out.text == (
        "a [redacted: seed phrase, 12 words] b private key: [redacted: private key, 64 hex] c"
    )


def test_nothing_of_the_secret_in_marker_or_detail(redactor: SecretRedactor) -> None:
    out = redactor.redact(f"{PHRASE}\nkey: {KEY}")
    for redaction in out.redactions:
        blob = redaction.marker + redaction.detail
        assert not any(w in blob for w in WORDS if len(w) > 3)
        assert KEY[:8] not in blob


def test_no_secret_means_same_text(redactor: SecretRedactor) -> None:
    out = redactor.redact("hello world")
    assert out == Redacted("hello world", ())
    assert not out.found


@pytest.mark.parametrize(
    "text",
    [
        f"seed: {PHRASE}",
        f"seed: {PHRASE} and again {PHRASE}",
        f"pk: {KEY} 助记词：的一是在不了有和人这中大",
        "[redacted: seed phrase, 12 words] " + " ".join(WORDS[:11]) + " seed",
    ],
)
def test_idempotent(redactor: SecretRedactor, text: str) -> None:
    once = redactor.redact(text)
    twice = redactor.redact(once.text)
    assert twice.text == once.text


def test_redact_json_walks_payloads(redactor: SecretRedactor) -> None:
    payload = {
        "update_id": 7,
        "message": {"text": f"help {PHRASE}", "entities": [{"offset": 0}], "ok": True},
        "list": [f"private key {KEY}", None, 1.5, ("tuple", PHRASE)],
        PHRASE: "key is a secret",
        "keystore": {"version": 3, "crypto": {"ciphertext": "00", "kdf": "scrypt"}},
    }
    value, redactions = redactor.redact_json(payload)
    assert isinstance(value, dict)
    flat = repr(value)
    assert not any(w in flat for w in WORDS if len(w) > 3)
    assert KEY not in flat
    assert value["update_id"] == 7
    assert value["message"]["entities"] == [{"offset": 0}]
    assert value["keystore"] == "[redacted: keystore, JSON]"
    assert len(redactions) == 5
    assert redactor.redact_json(42) == (42, ())


def test_json_string_holding_a_keystore(redactor: SecretRedactor) -> None:
    raw = '{"version":3,"crypto":{"ciphertext":"aa","cipherparams":{"iv":"bb"},"kdf":"scrypt"}}'
    value, redactions = redactor.redact_json({"document": raw})
    assert value == {"document": "[redacted: keystore, JSON]"}
    assert redactions[0].kind == "private_key"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("\x00\x00", "\x00\x00"),
        ("lone \ud800 surrogate", "lone \ud800 surrogate"),
        ("\u202eevil\u202c text", "\u202eevil\u202c text"),
        ("\ufeff", "\ufeff"),
    ],
)
def test_bad_input_is_returned_unchanged(
    redactor: SecretRedactor, text: str, expected: str
) -> None:
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize("separator", ["\u200b", " \u200b", "\u200c", "\u2060", "\x00", "\u202e"])
def test_seed_split_by_invisible_characters(redactor: SecretRedactor, separator: str) -> None:
    out = redactor.redact("look: " + separator.join(WORDS) + " ok")
    assert out.text == "look: [redacted: seed phrase, 12 words] ok"


def test_invisible_characters_inside_words_and_keys(redactor: SecretRedactor) -> None:
    hidden = " ".join(w[:2] + "\u200b" + w[2:] for w in WORDS)
    assert redactor.redact(hidden).text == "[redacted: seed phrase, 12 words]"
    key = KEY[:10] + "\u200d" + KEY[10:]
    assert (
        redactor.redact(f"private key {key}").text == "private key [redacted: private key, 64 hex]"
    )


def test_surrogates_and_nul_around_a_seed(redactor: SecretRedactor) -> None:
    out = redactor.redact(f"\ud83d\x00{PHRASE}\x00\udfff")
    assert out.text == "\ud83d\x00[redacted: seed phrase, 12 words]\x00\udfff"


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        ("abandon ability able about above absent " * 3000)[:100_000],
        ("的一是在不了有和人这中大" * 9000)[:100_000],
        ("1. act\n2. add\n" * 8000)[:100_000],
        ("0123456789abcdef" * 7000)[:100_000],
        ("{" * 50_000) + "ciphertext" + ("}" * 49_990),
    ],
)
def test_100_kb_is_fast(redactor: SecretRedactor, text: str) -> None:
    started = time.perf_counter()
    redactor.redact(text)
    assert time.perf_counter() - started < 5.0  # generous: CI machines are shared


# Cases found by running the redactor over the team's independently written training data.
@pytest.mark.parametrize(
    ("text", "expect_found"),
    [
        # An 11-character clause of Chinese prose between commas, a 助记词 cue one line above:
        # no checksum can be verified, so it is prose, not a seed with one character missing.
        (
            "【经验分享】\n1. 初始化的时候一定要自己生成助记词；\n3. 先转小额测试，确认能签名转出再转大额；\n"
            "4. 助记词抄两份，分开放。",
            False,
        ),
        # A valid phrase followed by ordinary wordlist words ("please check what"), cued by
        # "these are my words".
        (
            "my wallet won't restore. these are my words: bonus cricket outside legend such frozen "
            "nation isolate bag cereal mobile penalty please check what's wrong",
            True,
        ),
    ],
)
def test_cases_from_the_training_data(
    redactor: SecretRedactor, text: str, expect_found: bool
) -> None:
    result = redactor.redact(text)
    assert result.found is expect_found
    if expect_found:
        assert "cricket outside legend" not in result.text


def test_a_cue_on_the_next_line_does_not_relabel_a_key(redactor: SecretRedactor) -> None:
    # Found by hypothesis: "TX" starting the next line outweighed "my private key is".
    key = "0" * 64
    result = redactor.redact(f"my private key is {key}\nTX")
    assert key not in result.text
    assert redactor.redact(f"tx hash {'ab' * 32}\nprivate key questions below").found is False
