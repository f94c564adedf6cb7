"""Confusable skeletons and a bounded edit distance, shared by the lookalike detectors.

A skeleton is what a string looks like rather than what it spells: Cyrillic "о", Greek "ο",
the digit "0" and the letter "o" all become "o". Two names with the same skeleton are
indistinguishable to a hurried reader, which is all a scammer needs (Unicode TR39, section 4,
plus the digit and "rn"/"vv" tricks that TR39 leaves to applications).
"""

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

# Lookalikes of Latin letters in other scripts and in Latin's own odd corners. Upper and lower
# case are both listed because casefolding first would lose the shape (Greek "Η" looks like "H"
# while its lowercase "η" looks like "n").
_SCRIPT_LOOKALIKES = {
    # Cyrillic
    "а": "a", "А": "a", "в": "b", "В": "b", "ь": "b", "Ь": "b", "с": "c", "С": "c", "ҫ": "c",
    "ԁ": "d", "Ԁ": "d", "е": "e", "Е": "e", "ё": "e", "Ё": "e", "һ": "h", "Һ": "h", "н": "h",
    "Н": "h", "і": "i", "І": "l", "ӏ": "l", "Ӏ": "l", "ј": "j", "Ј": "j", "к": "k", "К": "k",
    "м": "m", "М": "m", "п": "n", "о": "o", "О": "o", "ӧ": "o", "р": "p", "Р": "p", "ԛ": "q",
    "Ԛ": "q", "г": "r", "ѕ": "s", "Ѕ": "s", "т": "t", "Т": "t", "у": "y", "У": "y", "ү": "y",
    "Ү": "y", "ѵ": "v", "Ѵ": "v", "ԝ": "w", "Ԝ": "w", "ѡ": "w", "ш": "w", "х": "x", "Х": "x",
    "ӓ": "a", "з": "3", "З": "3",
    # Greek
    "α": "a", "Α": "a", "β": "b", "Β": "b", "ϲ": "c", "Ϲ": "c", "ε": "e", "Ε": "e", "Η": "h",
    "η": "n", "ι": "i", "Ι": "l", "ϳ": "j", "κ": "k", "Κ": "k", "Μ": "m", "ν": "v", "Ν": "n",
    "ο": "o", "Ο": "o", "σ": "o", "ρ": "p", "Ρ": "p", "τ": "t", "Τ": "t", "υ": "u", "Υ": "y",
    "χ": "x", "Χ": "x", "ω": "w", "Ζ": "z", "γ": "y", "μ": "u",
    # Armenian
    "օ": "o", "Օ": "o", "ս": "u", "Ս": "u", "ց": "g", "հ": "h", "ո": "n", "ռ": "n", "ք": "p",
    # Cherokee capitals
    "Ꭺ": "a", "Ᏼ": "b", "Ꮯ": "c", "Ꭼ": "e", "Ꮋ": "h", "Ꭻ": "j", "Ꮶ": "k", "Ꮮ": "l", "Ꮇ": "m",
    "Ꮲ": "p", "Ꮪ": "s", "Ꭲ": "t", "Ꮃ": "w", "Ꮓ": "z",
    # Latin small capitals, IPA and stroked letters
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "l",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s",
    "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɑ": "a", "ɡ": "g", "ɩ": "i",
    "ı": "i", "ȷ": "j", "ł": "l", "ƚ": "l", "ɫ": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t",
    "×": "x", "ⅼ": "l",
    # A capital I is an l in every sans-serif font.
    "I": "l",
}  # fmt: skip
# Applied after casefolding: digits and symbols people type for letters.
_LEET = {"0": "o", "1": "l", "i": "l", "|": "l", "3": "e", "4": "a", "5": "s", "7": "t",
         "8": "b", "@": "a", "$": "s"}  # fmt: skip
# Letter pairs that render as one letter at small sizes.
_PAIRS = (("rn", "m"), ("vv", "w"))
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


class Skeletonizer:
    """Turns strings into confusable skeletons.

    Built once by each detector; holds only the translation tables.
    """

    def __init__(self) -> None:
        script = dict(_SCRIPT_LOOKALIKES)
        script.update(dict.fromkeys(_INVISIBLE, ""))
        self._script = str.maketrans(script)
        self._leet = str.maketrans(_LEET)

    def letters(self, text: str) -> str:
        """Return ``text`` folded to Latin lowercase letters where a lookalike exists.

        Digits and symbols are kept (``skeleton`` maps them), and so are separators.

        Args:
            text: Any string: a handle, a display name or a domain label.
        """
        if text.isascii():
            return text.translate(self._script).lower()
        text = unicodedata.normalize("NFKC", text).translate(self._script).casefold()
        decomposed = unicodedata.normalize("NFD", text)
        # Accents do not stop a reader from seeing "novawallet" in "nováwallet".
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    def leet(self, folded: str) -> str:
        """Map digits, symbols and letter pairs of an already folded string to letters.

        Args:
            folded: Output of ``letters``.
        """
        out = folded.translate(self._leet)
        for pair, single in _PAIRS:
            if pair in out:
                out = out.replace(pair, single)
        return out

    def skeleton(self, text: str) -> str:
        """Return the full skeleton of ``text`` (``letters`` then ``leet``)."""
        return self.leet(self.letters(text))


def bounded_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment (Damerau–Levenshtein) distance, capped at ``limit + 1``.

    Adjacent transpositions count as one edit ("novawlalet"). The cap lets callers reject
    far-apart strings in O(1) by length and stop a row early, which keeps the per-message
    cost flat.

    Args:
        a: First string.
        b: Second string.
        limit: Largest distance the caller cares about.

    Returns:
        The distance, or ``limit + 1`` when it is larger than ``limit``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


class NearIndex(Generic[T]):
    """Finds stored strings within one or two edits of a query without comparing them all.

    Symmetric-deletion index (the SymSpell idea): every stored key is indexed under each
    string obtained by deleting up to ``max_edits`` characters; two strings within that
    many edits share such a variant. Candidates are then confirmed with
    ``bounded_distance``, so the cost per query depends on its length, not on how many
    keys are stored.

    Args:
        items: ``(key, value)`` pairs; a key may carry several values.
        max_edits: The largest distance any query will ask for (1 or 2).
    """

    def __init__(self, items: Iterable[tuple[str, T]], max_edits: int) -> None:
        self._max_edits = max_edits
        self._values: dict[str, list[T]] = {}
        self._variants: dict[str, list[str]] = {}
        for key, value in items:
            if key not in self._values:
                for variant in _deletions(key, max_edits):
                    self._variants.setdefault(variant, []).append(key)
            self._values.setdefault(key, []).append(value)

    def near(self, query: str, limit: Callable[[str], int]) -> Iterator[tuple[T, int]]:
        """Yield the values whose key is within ``limit(key)`` edits of ``query``.

        Args:
            query: The string to look up.
            limit: The largest distance accepted for a given stored key (capped at
                ``max_edits``), so longer keys can tolerate more edits.

        Yields:
            ``(value, distance)`` pairs, every value of a matching key once.
        """
        seen: set[str] = set()
        for variant in _deletions(query, self._max_edits):
            for key in self._variants.get(variant, ()):
                if key in seen:
                    continue
                seen.add(key)
                allowed = min(limit(key), self._max_edits)
                distance = bounded_distance(query, key, allowed)
                if distance <= allowed:
                    for value in self._values[key]:
                        yield value, distance


def _deletions(text: str, depth: int) -> set[str]:
    """``text`` and every string made by deleting up to ``depth`` of its characters."""
    out = {text}
    frontier = {text}
    for _ in range(depth):
        frontier = {s[:i] + s[i + 1 :] for s in frontier for i in range(len(s))}
        out |= frontier
    return out
