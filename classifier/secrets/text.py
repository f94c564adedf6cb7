"""Text preparation shared by the detectors: invisible characters, markers, tokens and gaps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from classifier.secrets.wordlists import Script

# Zero-width characters, soft hyphens and bidi controls: invisible, so they can hide inside a
# secret (on purpose or by a copy from a rich-text app) without changing what a person reads.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
#: Markers this module writes; masked before detection so redaction is idempotent.
MARKER = re.compile(r"\[redacted: [a-z ]{1,20}, [0-9A-Za-z ]{1,20}\]")

_CJK = "\u3040-\u30ff\u3130-\u318f\u1100-\u11ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3"
# The abbreviation before a list number ("No.1", "Nr. 2", "n°3"): part of the numbering, not a
# word, so tokenize() drops it instead of letting it split the list into one-word runs.
_ABBREVIATION = r"(?:(?:No|NO|Nr)[.°º]?|(?:no|nr|n|N)[.°º])"
# A loose, fast form (it starts with a character class, which the regex engine skips to):
# its matches are checked against the exact one in Python.
_NUMBER_WORD = re.compile(r"[Nn][oOr]?[.°º]?[ \t]?(?=\d)")
_EXACT_NUMBER_WORD = re.compile(rf"{_ABBREVIATION}[ \t]?")
_TOKEN = re.compile(
    "([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"  # one Han character is one BIP39 word
    "|([\u3040-\u30ff]+)"  # kana, including combining voicing marks
    "|([\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+)"  # hangul syllables or jamo
    f"|((?:[^\\W\\d_{_CJK}]|[\u0300-\u036f])+)"  # other letters, with combining accents
)
_SCRIPTS = (Script.HAN, Script.HAN, Script.KANA, Script.HANGUL, Script.LATIN)
#: Longest run of non-letters that may separate two words of one mnemonic.
MAX_GAP = 12
#: The same between two numbered items of a column layout (OCR pads columns with spaces).
MAX_COLUMN_GAP = 64
_PREFIX = rf"(?:(?:#|№|{_ABBREVIATION})[ \t]?)?"
# A list number at the end of a gap: "1. ", "(2) ", "3)", "#4 ", "#5: ", "No.6 ", "12:", "7- ".
# The number labels the word after it on the same line, however far a table pads it.
_NUMBER = re.compile(rf"{_PREFIX}(?<!\d)(\d{{1,2}})[^\d\n]{{0,3}}[ \t]*\Z")
_NUMBERING = re.compile(rf"{_PREFIX}(?<!\d)\d{{1,2}}(?:\s*[.):\]．）:：、-])?")
# After list numbers are removed, these end a sentence or introduce something: a mnemonic
# never runs across them. A lone "." followed by a space ends a sentence; dots without a
# space ("word.word") or in an ellipsis ("word...word") and semicolons are list separators
# (a window must use one separator throughout, which prose never does for 11+ words).
_HARD = re.compile(r"[!?:。！？：]|(?<!\.)\.(?=\s)")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


class Token(NamedTuple):
    """A word of the text.

    Attributes:
        start: Offset of its first character.
        end: Offset after its last character.
        script: Writing system.
        text: The word as written.
    """

    start: int
    end: int
    script: Script
    text: str


@dataclass(frozen=True)
class Gap:
    """What lies between a token and the one before it.

    Attributes:
        joins: True when both tokens may belong to one mnemonic.
        empty: True when nothing separates them (Chinese written without spaces).
        number: A list number written just before the token, if any.
        number_back: How far before the token that number starts.
        kind: The separator without spaces and list numbers (``","`` for ``", "``); a
            mnemonic uses one kind of separator throughout.
        newline: True when the gap holds a line break.
        column: True when a list number ends the gap and nothing but spaces (however many,
            up to ``MAX_COLUMN_GAP``), list numbers and soft separators precede it: the
            tokens may be neighbouring items of a numbered list laid out in columns.
        blank: True when the gap holds an empty line: a paragraph ends there.
    """

    joins: bool
    empty: bool
    number: int | None
    number_back: int
    kind: str
    newline: bool
    column: bool = False
    blank: bool = False


@dataclass(frozen=True)
class View:
    """One prepared version of the text and the way back to the original offsets.

    Attributes:
        text: The text the detectors read.
        offsets: For each character of ``text``, its offset in the original (plus one entry
            for the end), or None when both are the same.
    """

    text: str
    offsets: tuple[int, ...] | None = None

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to the original text."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


def views(text: str) -> list[View]:
    r"""Return the versions of ``text`` to scan.

    Without invisible characters that is the text itself (markers masked). With them, a seed
    may use them as separators (``word\u200bword``) or hide them inside words
    (``wo\u200brd``): the text is scanned twice, once with them turned into spaces and once
    with them removed.
    """
    masked = MARKER.sub(lambda m: "\x00" * len(m.group()), text)
    if not _INVISIBLE.search(masked):
        return [View(masked)]
    spaced = View(_INVISIBLE.sub(" ", masked))
    kept = [i for i, c in enumerate(masked) if not _INVISIBLE.match(c)]
    removed = View("".join(masked[i] for i in kept), (*kept, len(masked)))
    return [spaced, removed]


def has_tokens(text: str, count: int) -> bool:
    """Tell whether ``text`` holds at least ``count`` words, without building them."""
    return sum(1 for _ in islice(_TOKEN.finditer(text), count)) >= count


def has_invisible(text: str) -> bool:
    """Tell whether ``text`` holds a zero-width, soft-hyphen or bidi control character."""
    return _INVISIBLE.search(text) is not None


def tokenize(text: str) -> list[Token]:
    """Split text into words; digits, punctuation and spaces are left out."""
    scripts = _SCRIPTS
    tokens = [
        Token(m.start(), m.end(), scripts[m.lastindex or 0], m.group())
        for m in _TOKEN.finditer(text)
    ]
    if _NUMBER_WORD.search(text) is None:  # the common case: one C-speed pass, no filtering
        return tokens
    # A token starting where a number abbreviation does is that abbreviation: a longer word
    # would continue with a letter where the abbreviation needs a dot, a space or a digit.
    dropped = {
        m.start()
        for m in _NUMBER_WORD.finditer(text)
        if _EXACT_NUMBER_WORD.fullmatch(m.group()) and not text[m.start() - 1 : m.start()].isalpha()
    }
    return [token for token in tokens if token.start not in dropped]


def gaps(text: str, tokens: Sequence[Token]) -> list[Gap]:
    """Describe the gap before each token (the first one's gap is the text before it)."""
    result: list[Gap] = []
    seen: dict[str, Gap] = {}  # most gaps repeat (" ", ", ", "\n"): describe each once
    previous_end = 0
    for token in tokens:
        between = text[previous_end : token.start]
        gap = seen.get(between) if result else None
        if gap is None:
            gap = _describe(between, first=not result)
            if result:
                seen[between] = gap
        result.append(gap)
        previous_end = token.end
    return result


def _describe(between: str, first: bool) -> Gap:
    """Describe the text between two tokens."""
    found = _NUMBER.search(between)
    number = int(found.group(1)) if found else None
    bare = _NUMBERING.sub(" ", between) if found else between
    kind = "".join(sorted({c for c in bare if not c.isspace() and not c.isdigit()}))
    soft = not first and not _HARD.search(bare)
    joins = soft and len(between) <= MAX_GAP
    column = soft and number is not None and len(between) <= MAX_COLUMN_GAP
    back = len(between) - found.start() if found else 0
    blank = _BLANK_LINE.search(between) is not None
    return Gap(joins, not between, number, back, kind, "\n" in between, column, blank)
