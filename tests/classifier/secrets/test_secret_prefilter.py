"""The cheap checks that let most texts skip the full scan must never skip a secret."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from classifier.secrets import SecretRedactor
from classifier.secrets.redactor import _may_hold_secret, _merge
from classifier.secrets.text import has_tokens, views

REDACTOR = SecretRedactor.default()  # built once: hypothesis calls the tests many times
WORDS = Mnemonic("english").wordlist[:300] + list(Mnemonic("chinese_simplified").wordlist[:300])
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from([" ", ", ", "\n", "1. ", "\u200b", "\u00ad", "0x", "。", "-"]),
    st.text(alphabet="0123456789abcdefABCDEF", min_size=1, max_size=70),
    st.text(max_size=6),
)


def _full_scan(text: str) -> list[object]:
    """What ``findings`` returned before the pre-check existed."""
    return list(_merge(f for view in views(text) for f in REDACTOR._scan(view)))


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ("", 1, False),
        ("", 0, True),
        ("one two three", 3, True),
        ("one two three", 4, False),
        ("2026-11-20T00:00:00+00:00", 2, False),  # only "T": digits and signs are not words
        ("这个空投链接是真的吗", 10, True),  # every Han character is a word
        ("这个空投链接是真的吗", 11, False),
        ("ひらがな カタカナ", 2, True),  # a run of kana is one word
    ],
)
def test_has_tokens_counts_words_like_the_tokeniser(text: str, count: int, expected: bool) -> None:
    assert has_tokens(text, count) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gm everyone", False),
        ("2026-11-20T00:00:00.050000+00:00", False),
        ("a" * 49, False),
        ("a" * 50, True),  # a key-sized run of letters and digits
        ("ab\u200bcd", True),  # invisible characters may hide a secret: always scanned
        ('{"Ciphertext": 1}', True),
        ("one two three four five six seven eight nine ten eleven", True),
        ("one two three four five six seven eight nine ten", False),
    ],
)
def test_pre_check_decides_which_texts_are_scanned(text: str, expected: bool) -> None:
    assert _may_hold_secret(text) is expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_pre_check_never_changes_what_is_found(text: str) -> None:
    assert REDACTOR.findings(text) == _full_scan(text)
