"""A separated Chinese mnemonic inside a sentence: the marker stops at the phrase's real ends.

Reported: 12 traditional words written one per line between "我的錢包失效" and "換了新手機" were
redacted as 14 words, the marker swallowing "效" and "換".
"""

import hashlib

import pytest
from mnemonic import Mnemonic

from classifier.secrets import SecretRedactor


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


def words(lang: str, label: str, count: int) -> list[str]:
    helper = Mnemonic(lang)
    entropy = hashlib.sha256(label.encode()).digest()[: count * 4 // 3]
    return helper.to_mnemonic(entropy).split(helper.delimiter)


CONTEXTS = [
    ("我的錢包失效\n", "\n換了新手機"),  # the report
    ("錢包失效\n", "\n換了"),
    ("我的錢包失效\n", ""),
    ("", "\n換了新手機"),
    ("錢包失效", "換了"),  # no line break: the phrase's first and last words are glued too
    ("我的钱包失效 ", " 换了新手机"),
    ("助記詞：", "\n換了新手機"),
    ("助記詞", "\n換了"),  # a cue glued to the first word is no sentence edge
]


@pytest.mark.parametrize("lang", ["chinese_traditional", "chinese_simplified"])
@pytest.mark.parametrize("count", [12, 24])
@pytest.mark.parametrize("separator", ["\n", " ", "，"])
@pytest.mark.parametrize(("before", "after"), CONTEXTS)
def test_marker_stops_at_the_phrase(
    redactor: SecretRedactor, lang: str, count: int, separator: str, before: str, after: str
) -> None:
    # Forty mnemonics per case: a window shifted by one character verifies one time in 16,
    # so a handful of draws would not exercise it.
    for i in range(40):
        phrase = separator.join(words(lang, f"{lang}/{count}/{i}", count))
        out = redactor.redact(before + phrase + after)
        assert out.text == f"{before}[redacted: seed phrase, {count} words]{after}"
        assert out.redactions[0].detail.startswith(f"{count} words, chinese")


def test_the_reported_message(redactor: SecretRedactor) -> None:
    phrase = "\n".join(words("chinese_traditional", "report", 12))
    text = f"我的錢包失效\n{phrase}\n換了新手機"
    out = redactor.redact(text)
    assert out.text == "我的錢包失效\n[redacted: seed phrase, 12 words]\n換了新手機"
    marker = "[redacted: seed phrase, 12 words]"
    assert (out.redactions[0].start, out.redactions[0].end) == (7, 7 + len(marker))


@pytest.mark.parametrize(
    ("before", "after"),
    [("我的錢包失效\n", "\n換了新手機"), ("", ""), ("錢包失效\n", "")],
)
def test_a_missing_word_is_still_caught(redactor: SecretRedactor, before: str, after: str) -> None:
    # Without a valid checksum nothing pins the ends: a sentence character next to the words
    # may then be redacted with them (leaking a word would be worse), but no more than one.
    for i in range(20):
        listed = words("chinese_traditional", f"missing/{i}", 15)
        del listed[7]
        out = redactor.redact(before + "\n".join(listed) + after)
        head, marker, tail = out.text.partition("[redacted: seed phrase, ")
        rest = tail.split("]", 1)[1]
        assert marker
        # No word of the phrase is left (the sentence around may hold the same characters).
        assert all((head + rest).count(w) <= (before + after).count(w) for w in listed)
        # At most the line break and one character on each side went into the marker.
        assert before.startswith(head)
        assert len(before) - len(head) <= 2
        assert after.endswith(rest)
        assert len(after) - len(rest) <= 2
