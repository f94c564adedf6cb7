"""Table-driven tests of the partial seed detector (``first 6 words are …``)."""

import pytest

from classifier.secrets import SecretRedactor
from classifier.secrets.text import MARKER


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.mark.parametrize(
    ("text", "redacted", "words"),
    [
        # The reported messages.
        (
            "first 6 words are lamp correct divert travel grit heavy and i lost the paper with "
            "the rest 😭 can the app guess the other 6?",
            "first 6 words are [redacted: seed phrase, 6 words] and i lost the paper with the "
            "rest 😭 can the app guess the other 6?",
            6,
        ),
        (
            "First 6 words of my phrase are sun opinion tape sphere upon slender, can someone "
            "tell me if the app checks the last word?",
            "First 6 words of my phrase are [redacted: seed phrase, 6 words], can someone tell "
            "me if the app checks the last word?",
            6,
        ),
        (
            "我的助记词前六个是 的 三 欧 三 考 于，后面的忘了",
            "我的助记词前六个是 [redacted: seed phrase, 6 words]，后面的忘了",
            6,
        ),
        # Other cues and layouts.
        (
            "my seed starts with lamp correct divert travel",
            "my seed starts with [redacted: seed phrase, 4 words]",
            4,
        ),
        (
            "the last 4 words of my recovery phrase: grit heavy sphere upon",
            "the last 4 words of my recovery phrase: [redacted: seed phrase, 4 words]",
            4,
        ),
        (
            "seed phrase: lamp correct divert travel grit heavy ...",
            "seed phrase: [redacted: seed phrase, 6 words] ...",
            6,
        ),
        (
            "words 1-6 are lamp, correct, divert, travel, grit, heavy",
            "words 1-6 are [redacted: seed phrase, 6 words]",
            6,
        ),
        (
            "my recovery phrase is: 1. lamp 2. correct 3. divert 4. travel",
            "my recovery phrase is: [redacted: seed phrase, 4 words]",
            4,
        ),
        (
            "Recovery phrase - lamp - correct - divert - travel and the rest is smudged",
            "Recovery phrase - [redacted: seed phrase, 4 words] and the rest is smudged",
            4,
        ),
        (
            "first six of my seed are lamp correct divert travl grit heavy",  # one typo
            "first six of my seed are [redacted: seed phrase, 6 words]",
            6,
        ),
        # The count caps the run: "sun" is a wordlist word but not one of the four.
        (
            "first 4 words: lamp correct divert travel sun is out today",
            "first 4 words: [redacted: seed phrase, 4 words] sun is out today",
            4,
        ),
        (
            "助记词：的\n三\n欧\n三\n考 后面的忘了",
            "助记词：[redacted: seed phrase, 5 words] 后面的忘了",
            5,
        ),
        ("前4个词是：的、三、欧、三", "前4个词是：[redacted: seed phrase, 4 words]", 4),
        ("我的助記詞是 的 三 歐 三 考，其他的不記得了", None, 5),
        (
            "The first six words of my 12 word seed are lamp correct divert travel grit heavy",
            None,
            6,
        ),
        ("my seed phrase starts like this: lamp correct divert travel", None, 4),
        ("seed words (first 6): lamp correct divert travel grit heavy", None, 6),
        ("12-word phrase, first six: lamp correct divert travel grit heavy", None, 6),
        ("助记词开头几个是 的 三 欧 三 考 于", None, 6),
        ("我的钱包助记词 的 三 欧 三 考 于 后面忘了", None, 6),
        ("frase semilla: ábaco abdomen abeja abierto", None, 4),
        ("phrase de récupération : abaisser abandon abdiquer abeille", None, 4),
    ],
)
def test_partial_seeds_are_redacted(
    redactor: SecretRedactor, text: str, redacted: str | None, words: int
) -> None:
    out = redactor.redact(text)
    marker = f"[redacted: seed phrase, {words} words]"
    if redacted is not None:
        assert out.text == redacted
    assert marker in out.text
    assert MARKER.search(out.text) is not None  # the marker stays recognisable
    assert out.redactions[0].kind == "seed_phrase"
    assert out.redactions[0].detail.endswith(", partial")
    assert redactor.redact(out.text).text == out.text  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "my seed phrase is written on paper in a safe",
        "recovery phrase: never share it with anyone",
        "what is a seed phrase and why 12 words",
        "the first word of my seed is wrong, app says invalid",
        "my seed phrase is never going to be shared online",
        "seed phrase: just enter it again and it will work",
        "the first 4 words are fine but the rest are wrong",
        "first 4 words are all correct, last one is the problem",
        "my recovery phrase is about twelve words long",  # "words" is no typo of "word"
        "seed phrase: real helpers never mind.",
        "the first 4 words are family often use lemon since market",  # prose past the count
        "my seed phrase: family often keep fish across orange",  # two closed-class words
        "my wallet is empty since the update, any ideas?",
        "助记词前四个是什么意思",
        "我的助记词是对的，但是导入失败",
        "助记词：不要告诉任何人",
        "助记词前四个是骗子钱包，转个账收我 5U",  # unseparated characters: a clause
        "助记词：一 二 三 四 这种吗",  # counting
        "我的助记词写在纸上，放在保险柜里",
        "first 3 words are lamp correct divert",  # fewer than four
        "lamp correct divert travel grit heavy",  # no cue at all
        "the first 4 words are you list this garbage, seriously?",  # exact count, still prose
        "今天学的单词 apple orange banana grape",  # "单词" also introduces vocabulary
        "前4个单词：apple orange banana grape",
        "助记词 lamp correct divert travel",  # after a bare Chinese noun, only Chinese
        "my seed starts with, honestly, lamp correct divert travel",  # not right after the cue
    ],
)
def test_cue_then_ordinary_words_is_left_alone(redactor: SecretRedactor, text: str) -> None:
    assert not redactor.redact(text).found


def test_full_seed_after_a_partial_cue_keeps_the_full_label(redactor: SecretRedactor) -> None:
    phrase = (
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon about"
    )
    out = redactor.redact(f"seed phrase: {phrase}")
    assert out.text == "seed phrase: [redacted: seed phrase, 12 words]"
    assert "partial" not in out.redactions[0].detail
