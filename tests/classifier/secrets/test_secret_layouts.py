"""Table-driven tests of seed layouts: numbered columns, shuffled lines, list-number prefixes,
and the separators ``;``, ``...``, ``|`` and ``.``."""

import hashlib

import pytest
from mnemonic import Mnemonic

from classifier.secrets import SecretRedactor
from classifier.secrets.columns import Reordered
from classifier.secrets.findings import Finding
from classifier.secrets.text import gaps, tokenize


def words(lang: str, label: str, count: int = 12) -> list[str]:
    helper = Mnemonic(lang)
    entropy = hashlib.sha256(f"{lang}/{label}".encode()).digest()[: count * 4 // 3]
    return helper.to_mnemonic(entropy).split(helper.delimiter)


def columns(cells: list[str], count: int = 2, gutter: str = "    ", cell: str = "{n}. {w}") -> str:
    rows = -(-len(cells) // count)
    lines = []
    for row in range(rows):
        indices = [row + c * rows for c in range(count) if row + c * rows < len(cells)]
        lines.append(gutter.join(cell.format(n=i + 1, w=cells[i]) for i in indices).rstrip())
    return "\n".join(lines)


EN = words("english", "layout")
EN24 = words("english", "layout24", 24)
ZH24 = words("chinese_simplified", "layout24", 24)
JA = words("japanese", "layout")
ES24 = words("spanish", "layout24", 24)
SHUFFLE = [3, 1, 2, 5, 4, 6, 9, 7, 8, 12, 10, 11]


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.mark.parametrize(
    ("layout", "count"),
    [
        (columns(EN24), 24),
        (columns(EN), 12),
        (columns(EN24, gutter="\t\t", cell="{n}.\t{w}"), 24),
        (columns(EN24, gutter=" " * 30), 24),  # OCR keeps the page's spacing
        (columns(EN24, gutter=" | ", cell="{n}) {w}"), 24),
        (columns(EN24, cell="{n:02d}. {w:<10}", gutter=""), 24),
        (columns(EN24, cell="{n} {w}"), 24),  # numbers without punctuation
        (columns(EN24, count=3), 24),
        (columns(EN24, count=4, gutter="  ", cell="{n}.{w}"), 24),
        (columns(ZH24), 24),
        (columns(ES24, gutter="   "), 24),
        (columns(JA), 12),
        ("\n".join(f"{n}. {EN[n - 1]}" for n in SHUFFLE), 12),
        ("\n".join(f"{n}.{' ' * 20}{w}" for n, w in enumerate(EN24, 1)), 24),  # wide lines
    ],
)
def test_numbered_layouts_are_read_in_number_order(
    redactor: SecretRedactor, layout: str, count: int
) -> None:
    out = redactor.redact(f"my recovery sheet:\n{layout}\nthanks")
    assert out.text == f"my recovery sheet:\n[redacted: seed phrase, {count} words]\nthanks"
    # No cue is needed when the checksum holds.
    assert redactor.redact(f"{layout}\nthanks").text.startswith("[redacted: seed phrase,")


def test_two_columns_with_a_misspelt_word(redactor: SecretRedactor) -> None:
    typo = [*EN24[:9], EN24[9] + "x" if len(EN24[9]) < 8 else EN24[9][:-1], *EN24[10:]]
    assert redactor.redact(columns(typo)).text == "[redacted: seed phrase, 24 words]"


@pytest.mark.parametrize("blank", [True, False])
def test_two_columns_with_a_missing_word(redactor: SecretRedactor, blank: bool) -> None:
    # The word is missing and its number kept, or the list is renumbered: a cue is needed.
    cells = [*EN24[:11], "", *EN24[12:]] if blank else EN24[:11] + EN24[12:]
    out = redactor.redact("seed phrase:\n" + columns(cells) + "\nthanks")
    assert out.text == "seed phrase:\n[redacted: seed phrase, 23 words]\nthanks"
    assert not redactor.redact(columns(cells) + "\nthanks").found


@pytest.mark.parametrize(
    "phrase",
    [
        " ".join(f"#{i} {w}" for i, w in enumerate(EN, 1)),
        "\n".join(f"#{i} {w}" for i, w in enumerate(EN, 1)),
        " ".join(f"#{i}: {w}" for i, w in enumerate(EN, 1)),
        " ".join(f"No.{i} {w}" for i, w in enumerate(EN, 1)),
        "\n".join(f"No. {i} {w}" for i, w in enumerate(EN, 1)),
        " ".join(f"Nr. {i} {w}" for i, w in enumerate(EN, 1)),
        " ".join(f"n°{i} {w}" for i, w in enumerate(EN, 1)),
        "\n".join(f"{i}- {w}" for i, w in enumerate(EN, 1)),
        " ".join(f"{i}-{w}" for i, w in enumerate(EN, 1)),
        ";".join(EN),
        "; ".join(EN),
        ";".join(EN) + ";",
        "...".join(EN),
        " ... ".join(EN),
        "…".join(EN),
        "|".join(EN),
        "|" + "|".join(EN) + "|",
        ".".join(EN),
        "；".join(ZH24),
        "...".join(ZH24),
    ],
)
def test_numbering_and_separators(redactor: SecretRedactor, phrase: str) -> None:
    out = redactor.redact(f"please check\n{phrase}\nthanks")
    assert out.found
    assert "[redacted: seed phrase, " in out.text
    assert not any(w in out.text for w in EN + ZH24 if len(w) > 3 and w not in "please check")
    # The marker replaces the list number 1 too.
    assert "#1" not in out.text
    assert "No" not in out.text


@pytest.mark.parametrize(
    "text",
    [
        "How to fix it: 1. install the app 2. open settings 3. tap Security 4. turn on Face ID "
        "5. restart the phone 6. check the network 7. clear the cache 8. log out 9. log in "
        "10. wait ten minutes 11. contact support 12. send a screenshot",
        "Packing list:\n" + columns(["Nutella", *EN[1:6], "sunglasses", *EN[7:]]),
        "Vocabulary:\n" + "\n".join(f"{n}. {w}s" for n, w in zip(SHUFFLE, EN, strict=True)),
        "\n".join(f"{n}. {w}" for n, w in zip(SHUFFLE, [*EN[:11], "Heineken"], strict=True)),
        # Thirteen numbers: not a mnemonic's numbering, however shuffled.
        "\n".join(f"{n}. {w}" for n, w in zip([*SHUFFLE, 13], [*EN, "abandon"], strict=True)),
        "Our #1 priority is security, #2 is speed, #3 is fees",
        "No. 1 question this week: why is the swap fee so high?",
        "We tried everything; nothing worked; support never answered; the app froze again",
        "ok... so i tried again... still nothing... what now... any idea... anyone...",
        "Known issues: sync is slow; swaps fail on Base; the balance shows 0 after an update",
        "date;amount;currency;status\n2024-05-01;120.5;USDT;done",
        "tags: defi;nft;staking;airdrop;solana;ethereum;bridge;swap;layer2;memecoin;wallet",
        "see window.location.href and document.body.style.color in the console",
        # Two lists back to back, each in order: no block mixes them.
        "\n".join(f"{i}. {w}" for i, w in enumerate(EN[:6], 1))
        + "\n"
        + "\n".join(f"{i}. {w}" for i, w in enumerate(EN[6:], 1)),
    ],
)
def test_ordinary_lists_are_left_alone(redactor: SecretRedactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_a_number_labels_the_word_on_its_own_line_only() -> None:
    text = "6. apple    12.\nthanks"
    tokens = tokenize(text)
    numbers = [gap.number for gap in gaps(text, tokens)]
    assert numbers == [6, None]


def test_number_abbreviations_are_not_words() -> None:
    assert [t.text for t in tokenize("No.1 apple Nr. 2 banana n°3 cherry")] == [
        "apple",
        "banana",
        "cherry",
    ]
    # Words that merely end or start like one stay.
    assert [t.text for t in tokenize("casino.5 Nobody 3 piano")] == ["casino", "Nobody", "piano"]


def test_reordered_maps_findings_onto_the_whole_block() -> None:
    block = Reordered("ab 1. x\n2. y cd", offset=0, start=3, end=20, new_end=12)
    assert block.original(Finding(3, 12, "k", "l", "d")) == Finding(3, 20, "k", "l", "d")
    assert block.original(Finding(0, 2, "k", "l", "d")) is None
    assert block.original(Finding(13, 15, "k", "l", "d")) is None
    assert block.original(Finding(5, 15, "k", "l", "d")) == Finding(3, 23, "k", "l", "d")
    excerpt = Reordered("1. x\n2. y", offset=100, start=100, end=120, new_end=109)
    assert excerpt.original(Finding(0, 9, "k", "l", "d")) == Finding(100, 120, "k", "l", "d")


@pytest.mark.parametrize("stray", ["7A\n\n", "3 B\n", "version 12\n"])
def test_a_stray_number_next_to_the_block_does_not_hide_it(
    redactor: SecretRedactor, stray: str
) -> None:
    # The stray number may repeat one of the list's: the checksum tells which range it is.
    shuffled = "\n".join(f"{n}. {EN[n - 1]}" for n in SHUFFLE)
    out = redactor.redact(stray + shuffled)
    assert out.text == stray + "[redacted: seed phrase, 12 words]"
