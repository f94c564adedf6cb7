"""Facts about a tokenized text that the seed detector's rules ask about a window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from classifier.secrets.cues import Cues
from classifier.secrets.text import Gap, Token
from classifier.secrets.wordlists import LENGTHS, Script, Wordlist, checksum_ok, normalize_token

#: Lengths of a mnemonic with one word missing.
SHORT = frozenset(n - 1 for n in LENGTHS)
#: Most wordlist words continuing a window that any rule accepts.
MAX_EXTRA = 4


@dataclass(frozen=True)
class Window:
    """Tokens ``[start, end)`` that could be a mnemonic."""

    start: int
    end: int


@dataclass(frozen=True)
class Layout:
    """Language-independent facts about the tokens of one text, computed once.

    Attributes:
        left_glue: For each token, how many Han characters touch it on the left, unseparated.
        right_glue: The same on the right.
        empty_before: Running count of empty gaps (Chinese written without separators).
        numbered: Positions of tokens preceded by the list number 1 or 2, in order.
        anchored: Positions of tokens written right after a seed cue.
        uniform: For each gap, how many gaps from it on share its separator kind.
        numbers_before: Running count of gaps holding a list number.
    """

    left_glue: list[int]
    right_glue: list[int]
    empty_before: list[int]
    numbered: list[int]
    anchored: frozenset[int]
    uniform: list[int]
    numbers_before: list[int]

    @classmethod
    def of(cls, tokens: Sequence[Token], gaps: Sequence[Gap], cues: Cues) -> Layout:
        """Compute the layout of a tokenized text."""
        count = len(tokens)
        han = Script.HAN
        glued = [
            i > 0 and gaps[i].empty and tokens[i].script is han and tokens[i - 1].script is han
            for i in range(count)
        ]
        left, right, empty = [0] * count, [0] * count, [0] * count
        for i in range(1, count):
            left[i] = left[i - 1] + 1 if glued[i] else 0
            empty[i] = empty[i - 1] + gaps[i].empty
        for i in range(count - 2, -1, -1):
            right[i] = right[i + 1] + 1 if glued[i + 1] else 0
        numbered = [i for i, gap in enumerate(gaps) if gap.number in (1, 2)]
        offsets = cues.anchors()
        anchored = frozenset(i for i, t in enumerate(tokens) if t.start in offsets)
        uniform = [1] * count
        for i in range(count - 2, -1, -1):
            same = (gaps[i].kind, gaps[i].empty) == (gaps[i + 1].kind, gaps[i + 1].empty)
            uniform[i] = uniform[i + 1] + 1 if same else 1
        numbers = list(accumulate((gap.number is not None for gap in gaps), initial=0))
        return cls(left, right, empty, numbered, anchored, uniform, numbers)


@dataclass
class Scan:
    """Per-text, per-language state of one scan."""

    text: str
    tokens: Sequence[Token]
    gaps: Sequence[Gap]
    cues: Cues
    layout: Layout
    wordlist: Wordlist
    indices: list[int]
    corrections: dict[int, tuple[int, ...]] = field(default_factory=dict)


def verify(scan: Scan, window: Window) -> bool:
    """Check the checksum, correcting the window's one misspelt word if there is one."""
    indices = scan.indices[window.start : window.end]
    if -1 not in indices:
        return checksum_ok(indices)
    if len(indices) not in LENGTHS:
        return False
    hole = indices.index(-1)
    position = window.start + hole
    candidates = scan.corrections.get(position)
    if candidates is None:
        token = scan.tokens[position]
        candidates = scan.wordlist.corrections(normalize_token(token.text, token.script))
        scan.corrections[position] = candidates
    for candidate in candidates:
        indices[hole] = candidate
        if checksum_ok(indices):
            return True
    return False


def wordlike(token: Token, script: Script) -> bool:
    """True for a word of ``script`` short enough to be a misspelt wordlist word."""
    return token.script is script and len(token.text) <= 14


def compact(scan: Scan, window: Window) -> bool:
    """True for Chinese with at least one pair of characters written without a separator."""
    if scan.wordlist.script is not Script.HAN:
        return False
    empty = scan.layout.empty_before
    return empty[window.end - 1] > empty[window.start]


def glued(scan: Scan, window: Window) -> int:
    """Han characters written against the window without any separator."""
    return scan.layout.left_glue[window.start] + scan.layout.right_glue[window.end - 1]


# Punctuation inside Chinese prose (full-width marks, and commas); a seed pasted on its
# own is delimited by quotes, brackets, line breaks or the ends of the text instead.
_CLAUSE_MARKS = frozenset("，。；：！？、,;")


def in_clause(scan: Scan, window: Window) -> bool:
    """True when clause punctuation stands right before or right after the window."""
    before = scan.text[: scan.tokens[window.start].start].rstrip(" ")
    after = scan.text[scan.tokens[window.end - 1].end :].lstrip(" ")
    return (before[-1:] in _CLAUSE_MARKS and before != "") or (
        after[:1] in _CLAUSE_MARKS and after != ""
    )


def anchored(scan: Scan, window: Window) -> bool:
    """True when a seed cue ends right before the window."""
    return window.start in scan.layout.anchored


def cued(scan: Scan, window: Window) -> bool:
    """True when a seed cue stands near the window (outside it)."""
    return scan.cues.seed_near(scan.tokens[window.start].start, scan.tokens[window.end - 1].end)


def consistent(scan: Scan, window: Window) -> bool:
    """One kind of separator throughout (line breaks may replace spaces: rows of words).

    Hashtags and mentions are never mnemonic separators, and numbers must run 1..N when the
    words are numbered at all.
    """
    first = scan.gaps[window.start + 1]
    if "#" in first.kind or "@" in first.kind:
        return False
    layout, size = scan.layout, window.end - window.start
    if layout.uniform[window.start + 1] < size - 1:
        return False
    numbers = layout.numbers_before[window.end] - layout.numbers_before[window.start]
    return numbers * 2 < size or numbered(scan, window)


def extra(scan: Scan, window: Window) -> int:
    """Wordlist words that continue the window with the same kind of separator.

    A Han character glued to other Han characters is the edge of a sentence, not a word of a
    separated list, so it does not count.
    """
    gaps, indices, layout = scan.gaps, scan.indices, scan.layout
    inner = {kind(gaps[i]) for i in range(window.start + 1, window.end)}
    count, i = 0, window.start
    while (
        count <= MAX_EXTRA
        and i > 0
        and indices[i - 1] >= 0
        and gaps[i].joins
        and kind(gaps[i]) in inner
    ):
        if layout.left_glue[i - 1]:
            break
        count, i = count + 1, i - 1
    i = window.end
    while (
        count <= MAX_EXTRA
        and i < len(indices)
        and indices[i] >= 0
        and gaps[i].joins
        and kind(gaps[i]) in inner
    ):
        if layout.right_glue[i]:
            break
        count, i = count + 1, i + 1
    return count


def kind(gap: Gap) -> tuple[str, bool, bool]:
    """The separator kind of a gap, line breaks and emptiness included."""
    return gap.kind, gap.newline, gap.empty


def numbered(scan: Scan, window: Window) -> bool:
    """True when the words carry list numbers 1..N (one may be skipped) and the list ends.

    A number past an empty line starts another paragraph: the list ended before it.
    """
    following = scan.gaps[window.end] if window.end < len(scan.gaps) else None
    after = following.number if following is not None and not following.blank else None
    numbers = [scan.gaps[i].number for i in range(window.start, window.end)]
    if after is not None and numbers[-1] is not None and after == numbers[-1] + 1:
        return False
    if numbers[0] not in (1, 2):
        return False
    skips = numbers[0] - 1
    for before, after in pairwise(numbers):
        if before is None or after is None or after - before not in (1, 2):
            return False
        skips += after - before - 1
    return skips <= (1 if len(numbers) in SHORT else 0)
