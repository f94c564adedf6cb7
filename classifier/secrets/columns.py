"""Numbered mnemonics written out of reading order: columns, shuffled or widely spaced lines.

A recovery sheet (or an OCR'd screenshot of one) prints 24 words in two numbered columns, so
the text reads ``1. abandon    13. zoo`` / ``2. ability    14. wrap`` …: numbers 1, 13, 2, 14.
Lines can also arrive shuffled, or padded with more spaces than a mnemonic's separator may hold.
When the list numbers of consecutive words are exactly 1..N (N a mnemonic length; or one
number short of it, for a missing word), the words are rewritten in number order and the seed
detector runs on that text with all its usual tests: checksum, one misspelt word, natural
language, cues. A finding there covers the whole numbered block of the original text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from classifier.secrets.findings import Finding
from classifier.secrets.layout import SHORT
from classifier.secrets.text import Gap, Token
from classifier.secrets.wordlists import LENGTHS

_NUMBERED_RUN = re.compile(rb"\x01{%d,}" % min(SHORT))
_SIZES = frozenset(LENGTHS) | SHORT
# Text kept on either side of a block: the seed cues reach 300 characters before and 150 after.
_BEFORE, _AFTER = 400, 200
# Candidate blocks per text: real texts have one; a crafted one must not cost a scan per item.
_MOST_BLOCKS = 8


@dataclass(frozen=True)
class Reordered:
    """An excerpt of the scanned text, its numbered block rewritten in number order.

    Attributes:
        text: The excerpt: the block, one ``N. word`` line per item, with enough text on
            either side for the cues (``_BEFORE``, ``_AFTER``).
        offset: Where the excerpt starts in the scanned text.
        start: Offset of the block in the scanned text.
        end: Offset after the block in the scanned text.
        new_end: Where the rewritten block would end in the scanned text.
    """

    text: str
    offset: int
    start: int
    end: int
    new_end: int

    def original(self, finding: Finding) -> Finding | None:
        """Map a finding of ``text`` back to the scanned text, or None when it misses the block.

        Words moved inside the block, so any finding touching it covers all of it.
        """
        first, last = finding.start + self.offset, finding.end + self.offset
        if last <= self.start or first >= self.new_end:
            return None  # the scan of the original text already reported it
        start = min(first, self.start)
        end = last - (self.new_end - self.end) if last > self.new_end else self.end
        return Finding(start, end, finding.kind, finding.label, finding.detail)


def reordered(text: str, tokens: Sequence[Token], gaps: Sequence[Gap]) -> list[Reordered]:
    """Return an excerpt of ``text`` per numbered block that is out of order or spread out.

    Blocks already in order with ordinary separators are left to the plain scan.
    """
    found = []
    for first, last in _blocks(gaps):
        numbers = [gaps[i].number or 0 for i in range(first, last)]
        if _plain(numbers, gaps, first):
            continue
        start, end = tokens[first].start - gaps[first].number_back, tokens[last - 1].end
        items = sorted(zip(numbers, (tokens[i].text for i in range(first, last)), strict=True))
        block = "\n".join(f"{number}. {word}" for number, word in items)
        low, high = max(0, start - _BEFORE), end + _AFTER
        excerpt = text[low:start] + block + text[end:high]
        found.append(Reordered(excerpt, low, start, end, start + len(block)))
    return found


def _blocks(gaps: Sequence[Gap]) -> list[tuple[int, int]]:
    """Token ranges whose numbers are those of a whole mnemonic, longest first.

    A range may sit among other numbered tokens (a stray number next to it, another list),
    but not when a neighbour carries a number above its own: that list goes on (unless an
    empty line stands between them). Ranges of
    one size may overlap (a stray number can duplicate one of the list; the checksum will
    tell which range is the mnemonic); a range inside a longer one is not another candidate.
    """
    blocks: list[tuple[int, int]] = []
    for first, last in _stretches(gaps):
        numbers = [gaps[i].number or 0 for i in range(first, last)]
        if _plain(numbers, gaps, first):
            continue
        taken: list[tuple[int, int]] = []
        for a, b, top in _complete_windows(numbers):
            if any(a < y and x < b and y - x > b - a for x, y in taken):
                continue
            # A neighbour past an empty line starts another paragraph, not the next item.
            before = numbers[a - 1 : a] if a and not gaps[first + a].blank else []
            after = numbers[b : b + 1] if b < len(numbers) and not gaps[first + b].blank else []
            if all(n <= top for n in before + after):
                taken.append((a, b))
        blocks += [(first + a, first + b) for a, b in taken]
    return blocks[:_MOST_BLOCKS]


def _plain(numbers: list[int], gaps: Sequence[Gap], first: int) -> bool:
    """True for numbers in reading order with ordinary separators: the plain scan reads those."""
    return all(a < b for a, b in pairwise(numbers)) and all(
        gaps[i].joins for i in range(first + 1, first + len(numbers))
    )


def _stretches(gaps: Sequence[Gap]) -> list[tuple[int, int]]:
    """Maximal runs of 11+ consecutive numbered tokens separated by column-like gaps."""
    # Runs of numbered tokens are found at C speed; most texts have none.
    flags = bytes(gap.number is not None for gap in gaps)
    stretches: list[tuple[int, int]] = []
    for run in _NUMBERED_RUN.finditer(flags):
        start = run.start()
        for i in range(run.start() + 1, run.end()):
            if not gaps[i].column:
                stretches.append((start, i))
                start = i
        stretches.append((start, run.end()))
    return [(a, b) for a, b in stretches if b - a >= min(SHORT)]


def _complete_windows(numbers: list[int]) -> list[tuple[int, int, int]]:
    """Windows ``(a, b, top)`` of ``numbers`` holding 1..top once each, longest first.

    ``top`` is the window's size (a mnemonic length), or its size plus one when the window
    is one number short of a mnemonic length (a missing word). Counts slide along the list,
    so a long numbered document costs linear time per size.
    """
    found = []
    for size in sorted(_SIZES, reverse=True):
        top = size if size in LENGTHS else size + 1
        counts = [0] * 100  # list numbers have at most two digits
        distinct = inside = 0
        for b, number in enumerate(numbers):
            distinct += counts[number] == 0
            counts[number] += 1
            inside += 1 <= number <= top
            if b >= size:
                old = numbers[b - size]
                counts[old] -= 1
                distinct -= counts[old] == 0
                inside -= 1 <= old <= top
            if b >= size - 1 and distinct == size and inside == size:
                found.append((b - size + 1, b + 1, top))
    return found
