"""BIP39 seed phrase detector.

The text is split into words (one Han character is one word; digits, punctuation and spaces are
separators, so ``1. word``, ``1)word``, ``#1 word``, ``No.1 word``, commas, semicolons, ``|``,
``...`` and newlines all work). For each BIP39 language with at least 11 of its words in the
text, the detector looks at *runs*: consecutive wordlist words whose separators are short (at
most 12 non-letters) and contain no sentence end or colon (``!?:。！？：``, or a full stop before
a space, once list numbers are removed). A *window* is a stretch of a run that could be the
mnemonic. Words of the run outside a window are its *extra* words. Numbered words out of
reading order (two columns of a recovery sheet, shuffled lines) are put in number order first
and then go through the same rules (``columns.py``).

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

4. **Pinned ends**: separated Chinese written inside a sentence runs into the sentence's
   characters (``…失效`` / the words one per line / ``換了…``). A window that adds to a verified
   window, in any Chinese list, only one such glued character on either side is dropped: the
   checksum pins the phrase's real ends (``_pinned``).

Residual risk, by design: an isolated list of exactly 12 wordlist words with a valid checksum and
no prose statistics (1 in 16 of such lists) is redacted; a mnemonic with more extra words glued
to it than the rules allow, or written in Chinese inside a sentence without any cue, is missed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from classifier.secrets.columns import reordered
from classifier.secrets.cues import Cues
from classifier.secrets.findings import Finding
from classifier.secrets.layout import (
    SHORT,
    Layout,
    Scan,
    Window,
    anchored,
    compact,
    consistent,
    cued,
    extra,
    glued,
    in_clause,
    kind,
    numbered,
    verify,
    wordlike,
)
from classifier.secrets.text import Token, gaps, tokenize
from classifier.secrets.wordlists import LENGTHS, Bip39Wordlists, Script, normalize_token

_NATURAL_LLR = 12.0
_NATURAL_ZH = 12.0
#: English closed-class words that are also BIP39 words: prose is full of them, while a uniform
#: draw of 12 words holds 5 of them about once in 10^5.
FUNCTION_WORDS = frozenset(
    "about above across after again all almost also already always another any around because "
    "before below between can during either else enough few first have into just "
    "like more much must myself never next often once only other over own people same second "
    "since someone soon still such that then there they this today together under until very "
    "what when where will you".split()
)


class SeedDetector:
    """Finds BIP39 mnemonics in any BIP39 language (decision rules in the module docstring).

    Args:
        wordlists: The prepared wordlists.
    """

    def __init__(self, wordlists: Bip39Wordlists) -> None:
        self._lists = wordlists

    def find(
        self, text: str, tokens: Sequence[Token], cues: Cues, *, reorder: bool = True
    ) -> list[Finding]:
        """Return the mnemonics found among ``tokens`` of ``text``.

        Args:
            text: The text being scanned.
            tokens: Its words.
            cues: Its cues.
            reorder: Also scan numbered blocks rewritten in number order (``columns.py``).
        """
        if len(tokens) < min(SHORT):
            return []
        memberships = self._memberships(tokens)
        if not memberships:
            return []
        found: list[Finding] = []
        text_gaps = gaps(text, tokens)
        layout = Layout.of(tokens, text_gaps, cues)
        accepted: list[tuple[Scan, Window]] = []
        for lang, indices in memberships.items():
            wordlist = self._lists.wordlists[lang]
            scan = Scan(text, tokens, text_gaps, cues, layout, wordlist, indices)
            accepted.extend((scan, window) for window in self._scan(scan))
        # Both Chinese lists share most characters: a window of one list may overshoot a
        # mnemonic that the other list verifies.
        verified = [window for scan, window in accepted if verify(scan, window)]
        found.extend(
            self._finding(scan, window)
            for scan, window in accepted
            if not _pinned(scan, window, verified)
        )
        if reorder and layout.numbers_before[-1] >= min(SHORT):
            for block in reordered(text, tokens, text_gaps):
                inner = self.find(block.text, tokenize(block.text), Cues(block.text), reorder=False)
                # Every finding touching the block maps onto all of it: keep the widest, which
                # names the true word count (a numbered list also yields its 1-short windows).
                mapped = [(f.end - f.start, block.original(f)) for f in inner]
                best = max(((width, f) for width, f in mapped if f is not None), default=None)
                if best is not None:
                    found.append(best[1])
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
        wanted = {lang for lang, count in counts.items() if count >= min(SHORT)}
        result = {lang: [-1] * len(tokens) for lang in sorted(wanted)}
        for position, lang, index in hits:
            if lang in wanted:
                result[lang][position] = index
        return result

    def _scan(self, scan: Scan) -> list[Window]:
        return [
            window
            for start, end in _runs(scan)
            for window in _windows(scan, start, end)
            if self._accept(scan, window)
        ]

    def _accept(self, scan: Scan, window: Window) -> bool:
        # Cheapest tests first: most candidates fail the checksum or have no cue.
        if not verify(scan, window):
            return self._accept_unverified(scan, window)
        if not consistent(scan, window) or self._natural(scan, window):
            return False
        if compact(scan, window):
            touching = glued(scan, window)
            return touching == 0 or anchored(scan, window) or (touching <= 3 and cued(scan, window))
        more = extra(scan, window)
        if more <= 2 or numbered(scan, window):
            return True
        return more <= 4 and cued(scan, window)

    def _accept_unverified(self, scan: Scan, window: Window) -> bool:
        is_compact = compact(scan, window)
        # Chinese prose never puts a separator between every character: that layout is
        # evidence enough; everywhere else the text must say it is a seed.
        separated_han = scan.wordlist.script is Script.HAN and not is_compact
        if not (separated_han or scan.cues.has_seed_cue):
            return False
        if is_compact:
            # Punctuation isolates every clause of Chinese prose, so without a checksum a run
            # between clause marks is prose unless a cue stands right before it ("助记词是…").
            loose = glued(scan, window) == 0 and not in_clause(scan, window)
            isolated = loose or anchored(scan, window)
        else:
            isolated = extra(scan, window) == 0 or numbered(scan, window)
        if not isolated or not consistent(scan, window) or self._natural(scan, window):
            return False
        return separated_han or cued(scan, window)

    def _natural(self, scan: Scan, window: Window) -> bool:
        lexicon = self._lists.lexicon
        words = [scan.tokens[i].text for i in range(window.start, window.end)]
        if scan.wordlist.name == "english" and lexicon.english_llr:
            lowered = [w.lower() for w in words]
            score = sum(lexicon.english_llr.get(w, -3.0) for w in lowered)
            grammar = sum(w in FUNCTION_WORDS for w in lowered)
            return score > _NATURAL_LLR or grammar >= max(5, (2 * len(words) + 4) // 5)
        if scan.wordlist.script is Script.HAN and compact(scan, window):
            ranks = [i for i in scan.indices[window.start : window.end] if i >= 0]
            return lexicon.chinese_score("".join(words), ranks) > _NATURAL_ZH
        return False

    def _finding(self, scan: Scan, window: Window) -> Finding:
        count = window.end - window.start
        detail = f"{count} words, {scan.wordlist.name}"
        if not verify(scan, window):
            detail += ", checksum not verified"
        gap = scan.gaps[window.start]
        first = scan.tokens[window.start].start
        return Finding(
            start=first - gap.number_back if gap.number == 1 else first,
            end=scan.tokens[window.end - 1].end,
            kind="seed_phrase",
            label=f"seed phrase, {count} words",
            detail=detail,
        )


def _pinned(scan: Scan, window: Window, verified: Sequence[Window]) -> bool:
    """True when a checksum pins the real ends of the mnemonic that ``window`` overshoots.

    A separated Chinese mnemonic written inside a sentence (``我的錢包失效`` / one word per line
    / ``換了新手機``) forms one run with the sentence's last character and the next one's first.
    The 12 words verify; the 12 plus both characters look like a 15-word mnemonic missing one,
    and the first character plus 11 words verify one time in 16 (or read as 12 words with an
    unknown one in the other Chinese list). ``window`` is not another mnemonic when a verified
    window without such edges holds all its words but, on either side, at most one character
    glued to the text around it: the edge of a sentence, not a list item.
    """
    for inner in verified:
        if inner == window or _sentence_edge(scan, inner, inner.start, inner.end - 1):
            continue
        before, after = inner.start - window.start, window.end - inner.end
        if before > 1 or after > 1 or (before <= 0 and after <= 0):
            continue
        left_ok = before <= 0 or _sentence_edge(scan, window, window.start, None)
        right_ok = after <= 0 or _sentence_edge(scan, window, None, window.end - 1)
        if left_ok and right_ok:
            return True
    return False


def _sentence_edge(scan: Scan, window: Window, first: int | None, last: int | None) -> bool:
    """Tell whether an end token of a separated Han window is glued to the text around it.

    Token ``first`` counts when glued to the text before it (unless that text is a seed cue
    written right before the mnemonic), token ``last`` when glued to the text after it.
    """
    if scan.wordlist.script is not Script.HAN or compact(scan, window):
        return False
    layout = scan.layout
    left = first is not None and layout.left_glue[first] > 0 and first not in layout.anchored
    right = last is not None and layout.right_glue[last] > 0
    return left or right


def _runs(scan: Scan) -> list[tuple[int, int]]:
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
        if hole < total and gaps[hole].joins and wordlike(tokens[hole], script):
            after = runs[i + 1] if i + 1 < len(runs) and runs[i + 1][0] == hole + 1 else None
            joined = after is not None and gaps[hole + 1].joins
            blocks.append((start, after[1] if joined and after else hole + 1))
        hole = start - 1
        if hole >= 0 and gaps[start].joins and wordlike(tokens[hole], script):
            before = i > 0 and runs[i - 1][1] == hole and gaps[hole].joins
            if not before:
                blocks.append((hole, end))
    return [b for b in blocks if b[1] - b[0] >= min(SHORT)]


def _windows(scan: Scan, start: int, end: int) -> list[Window]:
    """Candidate windows of a run or block; positions that no rule could accept are skipped.

    Windows of a valid length must hold the block's hole, if any; windows one word short (a
    missing word) must not.
    """
    size = end - start
    holes = [i for i in range(start, end) if scan.indices[i] < 0]
    edges = _edges(scan, start, end)
    windows: list[Window] = []
    for length in sorted((*LENGTHS, *SHORT)):
        if length > size:
            break
        short = length in SHORT
        if short and holes:
            continue
        last = end - length
        numbered = scan.layout.numbered
        firsts = set(numbered[bisect_left(numbered, start) : bisect_right(numbered, last)])
        firsts.update(i for i in edges if start <= i <= last)
        firsts.update(i - length for i in edges if start <= i - length <= last)
        if size - length <= 4:
            firsts.update(range(start, last + 1))
        if scan.wordlist.script is Script.HAN:
            firsts.update(_han_firsts(scan, start, last, length))
        for first in sorted(firsts):
            if not holes or first <= holes[0] < first + length:
                windows.append(Window(first, first + length))
    return windows


def _edges(scan: Scan, start: int, end: int) -> list[int]:
    """Positions inside a block where the kind of separator changes (or the block ends)."""
    kinds = [kind(gap) for gap in scan.gaps[start : end + 1]]
    edges = [start, end]
    edges += [start + i for i in range(1, len(kinds) - 1) if kinds[i] != kinds[i + 1]]
    return edges


def _han_firsts(scan: Scan, start: int, last: int, length: int) -> list[int]:
    """Starts of compact Chinese windows with little glued around them, or anchored."""
    left, right, anchored = scan.layout.left_glue, scan.layout.right_glue, scan.layout.anchored
    empty = scan.gaps
    return [
        i
        for i in range(start, last + 1)
        if empty[i + 1].empty and (left[i] + right[i + length - 1] <= 3 or i in anchored)
    ]
