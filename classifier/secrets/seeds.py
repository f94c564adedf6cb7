"""BIP39 seed phrase detector.

The text is split into words (one Han character is one word; digits, punctuation and spaces are
separators, so ``1. word``, ``1)word``, commas and newlines all work). For each BIP39 language
with at least 11 of its words in the text, the detector looks at *runs*: consecutive wordlist
words whose separators are short (at most 12 non-letters) and contain no sentence end or colon
(``.!?:;。！？：；`` once list numbers are removed). A *window* is a stretch of a run that could
be the mnemonic. Words of the run outside a window are its *extra* words.

Decision rules (every test uses only the window's own words, so the verdict never depends on
what the secret is, and no rule needs a cue that an arbitrary surrounding text would lack):

1. **Verified** windows: 12/15/18/21/24 words whose BIP39 checksum is valid, all words exact or
   at most one *misspelt* word corrected (edit distance 1, or 2 for words of 6+ letters, or the
   unique four-letter prefix; a typo with more than 3 candidate words is not corrected). They
   are redacted when the window is not *natural language* (rule 3) and

   * Latin, kana, hangul and Chinese with separators: at most 2 extra words, or at most 4 with
     a seed cue nearby, or the words are numbered 1..N;
   * Chinese without separators: at most 3 more Han characters glued to the window, or 6 with
     a seed cue nearby, or a seed cue right before it (``助记词是…``).

2. **Unverifiable** windows: one word missing (11/14/17/20/23 words) or one word unknown or
   not correctable to a valid checksum. The checksum cannot help, so stronger evidence is
   demanded: a seed cue (``seed``, ``mnemonic``, ``recovery``, ``助记词``, ``恢复短语``, … within
   300 characters, outside the window), no extra word at all (numbering 1..N may replace that),
   for Chinese without separators nothing glued on either side unless the cue is right before,
   and not natural language.

3. **Natural language** is refused even with a valid checksum (4 bits for 12 words: one random
   sentence in 16 passes). English: the window's log-likelihood ratio of prose word frequencies
   over the uniform draw of a real mnemonic exceeds 12 (a uniform draw exceeds it less than once
   in 10^6). Chinese without separators: 3 or more common two-character words inside the window
   (fewer than 2 random mnemonics in 10^5 have that many; ordinary sentences have 4 to 8). Both
   statistics ship in ``lexicon.json``.

Residual risk, by design: an isolated list of exactly 12 wordlist words with a valid checksum and
no prose statistics (1 in 16 of such lists) is redacted; a mnemonic with more extra words glued
to it than the rules allow, or written in Chinese inside a sentence without any cue, is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from classifier.secrets.cues import Cues
from classifier.secrets.findings import Finding
from classifier.secrets.text import Gap, Token, gaps
from classifier.secrets.wordlists import (
    LENGTHS,
    Bip39Wordlists,
    Script,
    Wordlist,
    checksum_ok,
    normalize_token,
)

_SHORT = frozenset(n - 1 for n in LENGTHS)
_NATURAL_LLR = 12.0
_NATURAL_ZH = 12.0
_MAX_EXTRA = 4
# English closed-class words that are also BIP39 words: prose is full of them, while a uniform
# draw of 12 words holds 5 of them about once in 10^5.
_FUNCTION_WORDS = frozenset(
    "about above across after again all almost also already always another any around because "
    "before below between can during either else enough few first have into just "
    "like more much must myself never next often once only other over own people same second "
    "since someone soon still such that then there they this today together under until very "
    "what when where will you".split()
)


@dataclass(frozen=True)
class _Window:
    """Tokens ``[start, end)`` that could be a mnemonic."""

    start: int
    end: int


@dataclass(frozen=True)
class _Layout:
    """Language-independent facts about the tokens of one text, computed once.

    Attributes:
        left_glue: For each token, how many Han characters touch it on the left, unseparated.
        right_glue: The same on the right.
        empty_before: Running count of empty gaps (Chinese written without separators).
        numbered: Positions of tokens preceded by the list number 1 or 2.
        anchored: Positions of tokens written right after a seed cue.
    """

    left_glue: list[int]
    right_glue: list[int]
    empty_before: list[int]
    numbered: list[int]
    anchored: frozenset[int]

    @classmethod
    def of(cls, tokens: Sequence[Token], gaps: Sequence[Gap], cues: Cues) -> _Layout:
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
        return cls(left, right, empty, numbered, anchored)


@dataclass
class _Scan:
    """Per-text, per-language state of one scan."""

    text: str
    tokens: Sequence[Token]
    gaps: Sequence[Gap]
    cues: Cues
    layout: _Layout
    wordlist: Wordlist
    indices: list[int]
    corrections: dict[int, tuple[int, ...]] = field(default_factory=dict)


class SeedDetector:
    """Finds BIP39 mnemonics in any BIP39 language (decision rules in the module docstring).

    Args:
        wordlists: The prepared wordlists.
    """

    def __init__(self, wordlists: Bip39Wordlists) -> None:
        self._lists = wordlists

    def find(self, text: str, tokens: Sequence[Token], cues: Cues) -> list[Finding]:
        """Return the mnemonics found among ``tokens`` of ``text``."""
        if len(tokens) < min(_SHORT):
            return []
        memberships = self._memberships(tokens)
        if not memberships:
            return []
        found: list[Finding] = []
        text_gaps = gaps(text, tokens)
        layout = _Layout.of(tokens, text_gaps, cues)
        for lang, indices in memberships.items():
            wordlist = self._lists.wordlists[lang]
            scan = _Scan(text, tokens, text_gaps, cues, layout, wordlist, indices)
            found.extend(self._scan(scan))
        return found

    def _memberships(self, tokens: Sequence[Token]) -> dict[int, list[int]]:
        lookup = self._lists.lookup
        hits: list[tuple[int, int, int]] = []
        counts: dict[int, int] = {}
        for position, (_, _, script, word) in enumerate(tokens):
            key = word.lower() if word.isascii() else normalize_token(word, script)
            for lang, index in lookup[script].get(key, ()):
                hits.append((position, lang, index))
                counts[lang] = counts.get(lang, 0) + 1
        wanted = {lang for lang, count in counts.items() if count >= min(_SHORT)}
        result = {lang: [-1] * len(tokens) for lang in sorted(wanted)}
        for position, lang, index in hits:
            if lang in wanted:
                result[lang][position] = index
        return result

    def _scan(self, scan: _Scan) -> list[Finding]:
        found: list[Finding] = []
        for start, end in _runs(scan):
            for window in _windows(scan, start, end):
                if self._accept(scan, window):
                    found.append(self._finding(scan, window))
        return found

    def _accept(self, scan: _Scan, window: _Window) -> bool:
        # Cheapest tests first: most candidates fail the checksum or have no cue.
        if not _verify(scan, window):
            return self._accept_unverified(scan, window)
        if not _consistent(scan, window) or self._natural(scan, window):
            return False
        if _compact(scan, window):
            glued = _glued(scan, window)
            return glued == 0 or _anchored(scan, window) or (glued <= 3 and _cued(scan, window))
        extra = _extra(scan, window)
        if extra <= 2 or _numbered(scan, window):
            return True
        return extra <= 4 and _cued(scan, window)

    def _accept_unverified(self, scan: _Scan, window: _Window) -> bool:
        separated_han = scan.wordlist.script is Script.HAN and not _compact(scan, window)
        if not (separated_han or scan.cues.has_seed_cue) or not _consistent(scan, window):
            return False
        if _compact(scan, window):
            isolated = _glued(scan, window) == 0 or _anchored(scan, window)
        else:
            isolated = _extra(scan, window) == 0 or _numbered(scan, window)
        if not isolated or self._natural(scan, window):
            return False
        # Chinese prose never puts a separator between every character: that layout is
        # evidence enough; everywhere else the text must say it is a seed.
        return separated_han or _cued(scan, window)

    def _natural(self, scan: _Scan, window: _Window) -> bool:
        lexicon = self._lists.lexicon
        words = [scan.tokens[i].text for i in range(window.start, window.end)]
        if scan.wordlist.name == "english" and lexicon.english_llr:
            lowered = [w.lower() for w in words]
            score = sum(lexicon.english_llr.get(w, -3.0) for w in lowered)
            grammar = sum(w in _FUNCTION_WORDS for w in lowered)
            return score > _NATURAL_LLR or grammar >= max(5, (2 * len(words) + 4) // 5)
        if scan.wordlist.script is Script.HAN and _compact(scan, window):
            ranks = [i for i in scan.indices[window.start : window.end] if i >= 0]
            return lexicon.chinese_score("".join(words), ranks) > _NATURAL_ZH
        return False

    def _finding(self, scan: _Scan, window: _Window) -> Finding:
        count = window.end - window.start
        detail = f"{count} words, {scan.wordlist.name}"
        if not _verify(scan, window):
            detail += ", checksum not verified"
        gap = scan.gaps[window.start]
        first = scan.tokens[window.start].start
        return Finding(
            start=gap.number_at if gap.number == 1 else first,
            end=scan.tokens[window.end - 1].end,
            kind="seed_phrase",
            label=f"seed phrase, {count} words",
            detail=detail,
        )


def _runs(scan: _Scan) -> list[tuple[int, int]]:
    """Maximal stretches of joined tokens holding wordlist words and at most one other word."""
    indices, gaps, tokens = scan.indices, scan.gaps, scan.tokens
    script = scan.wordlist.script
    runs: list[tuple[int, int]] = []
    position, total = 0, len(tokens)
    while position < total:
        if indices[position] < 0:
            position += 1
            continue
        end = position + 1
        while end < total and indices[end] >= 0 and gaps[end].joins:
            end += 1
        runs.append((position, end))
        position = end
    blocks = list(runs)
    for i, (start, end) in enumerate(runs):
        hole = end
        if hole < total and gaps[hole].joins and _wordlike(tokens[hole], script):
            after = runs[i + 1] if i + 1 < len(runs) and runs[i + 1][0] == hole + 1 else None
            joined = after is not None and gaps[hole + 1].joins
            blocks.append((start, after[1] if joined and after else hole + 1))
        hole = start - 1
        if hole >= 0 and gaps[start].joins and _wordlike(tokens[hole], script):
            before = i > 0 and runs[i - 1][1] == hole and gaps[hole].joins
            if not before:
                blocks.append((hole, end))
    return [b for b in blocks if b[1] - b[0] >= min(_SHORT)]


def _windows(scan: _Scan, start: int, end: int) -> list[_Window]:
    """Candidate windows of a run or block; positions that no rule could accept are skipped.

    Windows of a valid length must hold the block's hole, if any; windows one word short (a
    missing word) must not.
    """
    size = end - start
    holes = [i for i in range(start, end) if scan.indices[i] < 0]
    edges = _edges(scan, start, end)
    windows: list[_Window] = []
    for length in sorted((*LENGTHS, *_SHORT)):
        if length > size:
            break
        short = length in _SHORT
        if short and holes:
            continue
        last = end - length
        firsts: set[int] = {i for i in scan.layout.numbered if start <= i <= last}
        firsts.update(i for i in edges if start <= i <= last)
        firsts.update(i - length for i in edges if start <= i - length <= last)
        if size - length <= 4:
            firsts.update(range(start, last + 1))
        if scan.wordlist.script is Script.HAN:
            firsts.update(_han_firsts(scan, start, last, length))
        for first in sorted(firsts):
            if not holes or first <= holes[0] < first + length:
                windows.append(_Window(first, first + length))
    return windows


def _edges(scan: _Scan, start: int, end: int) -> list[int]:
    """Positions inside a block where the kind of separator changes (or the block ends)."""
    kinds = [_kind(gap) for gap in scan.gaps[start : end + 1]]
    edges = [start, end]
    edges += [start + i for i in range(1, len(kinds) - 1) if kinds[i] != kinds[i + 1]]
    return edges


def _han_firsts(scan: _Scan, start: int, last: int, length: int) -> list[int]:
    """Starts of compact Chinese windows with little glued around them, or anchored."""
    left, right, anchored = scan.layout.left_glue, scan.layout.right_glue, scan.layout.anchored
    empty = scan.gaps
    return [
        i
        for i in range(start, last + 1)
        if empty[i + 1].empty and (left[i] + right[i + length - 1] <= 3 or i in anchored)
    ]


def _verify(scan: _Scan, window: _Window) -> bool:
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


def _wordlike(token: Token, script: Script) -> bool:
    return token.script is script and len(token.text) <= 14


def _compact(scan: _Scan, window: _Window) -> bool:
    """True for Chinese with at least one pair of characters written without a separator."""
    if scan.wordlist.script is not Script.HAN:
        return False
    empty = scan.layout.empty_before
    return empty[window.end - 1] > empty[window.start]


def _glued(scan: _Scan, window: _Window) -> int:
    """Han characters written against the window without any separator."""
    return scan.layout.left_glue[window.start] + scan.layout.right_glue[window.end - 1]


def _anchored(scan: _Scan, window: _Window) -> bool:
    return window.start in scan.layout.anchored


def _cued(scan: _Scan, window: _Window) -> bool:
    return scan.cues.seed_near(scan.tokens[window.start].start, scan.tokens[window.end - 1].end)


def _consistent(scan: _Scan, window: _Window) -> bool:
    """One kind of separator throughout (line breaks may replace spaces: rows of words).

    Hashtags and mentions are never mnemonic separators, and numbers must run 1..N when the
    words are numbered at all.
    """
    gaps = scan.gaps
    first = gaps[window.start + 1]
    if "#" in first.kind or "@" in first.kind:
        return False
    same = all(
        gaps[i].kind == first.kind and gaps[i].empty == first.empty
        for i in range(window.start + 2, window.end)
    )
    numbers = sum(gaps[i].number is not None for i in range(window.start, window.end))
    return same and (numbers * 2 < window.end - window.start or _numbered(scan, window))


def _extra(scan: _Scan, window: _Window) -> int:
    """Wordlist words that continue the window with the same kind of separator.

    A Han character glued to other Han characters is the edge of a sentence, not a word of a
    separated list, so it does not count.
    """
    gaps, indices, layout = scan.gaps, scan.indices, scan.layout
    inner = {_kind(gaps[i]) for i in range(window.start + 1, window.end)}
    count, i = 0, window.start
    while (
        count <= _MAX_EXTRA
        and i > 0
        and indices[i - 1] >= 0
        and gaps[i].joins
        and _kind(gaps[i]) in inner
    ):
        if layout.left_glue[i - 1]:
            break
        count, i = count + 1, i - 1
    i = window.end
    while (
        count <= _MAX_EXTRA
        and i < len(indices)
        and indices[i] >= 0
        and gaps[i].joins
        and _kind(gaps[i]) in inner
    ):
        if layout.right_glue[i]:
            break
        count, i = count + 1, i + 1
    return count


def _kind(gap: Gap) -> tuple[str, bool, bool]:
    return gap.kind, gap.newline, gap.empty


def _numbered(scan: _Scan, window: _Window) -> bool:
    """True when the words carry list numbers 1..N (one may be skipped) and the list ends."""
    after = scan.gaps[window.end].number if window.end < len(scan.gaps) else None
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
    return skips <= (1 if len(numbers) in _SHORT else 0)
