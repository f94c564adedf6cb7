"""BIP39 wordlists prepared for lookup, typo correction, checksums and naturalness tests.

Everything here is built once by the composition root (``Bip39Wordlists.from_mnemonic()``) and
then only read, so one instance can be shared by every worker task.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from mnemonic import Mnemonic

#: The ten official BIP39 languages, in the order their matches are reported.
LANGUAGES: tuple[str, ...] = (
    "english",
    "chinese_simplified",
    "chinese_traditional",
    "japanese",
    "korean",
    "spanish",
    "french",
    "italian",
    "czech",
    "portuguese",
)
#: Valid mnemonic lengths.
LENGTHS: tuple[int, ...] = (12, 15, 18, 21, 24)
_LEXICON = Path(__file__).with_name("lexicon.json")


class Script(StrEnum):
    """Writing system of a wordlist; it decides tokenization and normalization."""

    LATIN = "latin"
    HAN = "han"
    KANA = "kana"
    HANGUL = "hangul"


def _script_of(words: Sequence[str]) -> Script:
    first = words[0][0]
    if "\u3040" <= first <= "\u30ff":
        return Script.KANA
    if "\u1100" <= first <= "\u11ff" or "\uac00" <= first <= "\ud7a3":
        return Script.HANGUL
    if "\u3400" <= first <= "\u9fff":
        return Script.HAN
    return Script.LATIN


def normalize_token(token: str, script: Script) -> str:
    """Return the lookup key of a token.

    Latin words lose their accents and case (users type ``abaco`` for ``ábaco``, and BIP39
    guarantees the Spanish and French lists stay unique without accents); kana and hangul are
    composed (NFC) because their voicing marks and jamo carry meaning.

    Args:
        token: A word as found in the text.
        script: The script the token was written in.
    """
    if script is Script.LATIN:
        if token.isascii():
            return token.lower()
        decomposed = unicodedata.normalize("NFKD", token)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return unicodedata.normalize("NFC", token)


def checksum_ok(indices: Sequence[int]) -> bool:
    """Tell whether word indices form a mnemonic with a valid BIP39 checksum.

    Args:
        indices: Word indices (0-2047), 12, 15, 18, 21 or 24 of them.
    """
    count = len(indices)
    if count not in LENGTHS:
        return False
    value = 0
    for index in indices:
        value = (value << 11) | index
    checksum_bits = count // 3
    entropy = (value >> checksum_bits).to_bytes(count * 4 // 3, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    return (value & ((1 << checksum_bits) - 1)) == expected


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: Levenshtein plus adjacent transpositions."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@dataclass(frozen=True)
class Wordlist:
    """One BIP39 wordlist with its lookup index.

    Attributes:
        name: Language name as the ``mnemonic`` package spells it (``english``).
        script: Writing system of the words.
        index: Lookup key (see ``normalize_token``) to word index.
    """

    name: str
    script: Script
    index: Mapping[str, int]

    @classmethod
    def from_words(cls, name: str, words: Sequence[str]) -> Wordlist:
        """Build a wordlist from its 2048 words in BIP39 order."""
        script = _script_of(words)
        index = {normalize_token(w, script): i for i, w in enumerate(words)}
        if len(words) != 2048 or len(index) != 2048:
            raise ValueError(f"wordlist {name!r} must hold 2048 distinct words")
        return cls(name=name, script=script, index=index)

    @cached_property
    def _deletion_index(self) -> dict[str, tuple[int, ...]]:
        # Symmetric-deletion index: built on the first typo only, never for Chinese.
        table: dict[str, list[int]] = {}
        for key, i in self.index.items():
            for variant in _deletions(key, 2 if len(key) >= 5 else 1):
                table.setdefault(variant, []).append(i)
        return {k: tuple(v) for k, v in table.items()}

    @cached_property
    def _prefixes(self) -> dict[str, int]:
        # Latin BIP39 words are unique by their first four letters.
        return {key[:4]: i for key, i in self.index.items() if len(key) >= 4}

    @cached_property
    def _keys(self) -> tuple[str, ...]:
        keys = [""] * 2048
        for key, i in self.index.items():
            keys[i] = key
        return tuple(keys)

    def corrections(self, key: str) -> tuple[int, ...]:
        """Indices of the words a misspelt token may stand for (at most three).

        A token matches a word within edit distance 1 (length >= 4) or 2 (length >= 6), or by
        the word's unique four-letter prefix. Tokens with more than three candidates are too
        ambiguous to correct: they are treated as unknown words.

        Args:
            key: The normalized token.
        """
        if self.script is Script.HAN or len(key) < 3 or len(key) > 14:
            return ()
        limit = 2 if len(key) >= 6 else 1
        found: set[int] = set()
        if self.script is Script.LATIN and len(key) >= 4 and key[:4] in self._prefixes:
            found.add(self._prefixes[key[:4]])
        table = self._deletion_index
        for variant in _deletions(key, limit):
            for i in table.get(variant, ()):
                if edit_distance(key, self._keys[i]) <= limit:
                    found.add(i)
        return tuple(sorted(found)) if len(found) <= 3 else ()


@dataclass(frozen=True)
class Lexicon:
    """Naturalness statistics (see ``classifier/data/secrets/build_lexicon.py``).

    Attributes:
        english_llr: Per English BIP39 word, log(p_prose(word) / p_mnemonic(word)).
        zh_bigrams: Common two-character Chinese words.
    """

    english_llr: Mapping[str, float] = field(default_factory=dict)
    zh_bigrams: frozenset[str] = frozenset()

    @cached_property
    def _rank_llr(self) -> tuple[float, ...]:
        # The Chinese lists are sorted by character frequency: Zipf over the rank models prose.
        harmonic = sum(1 / (r + 10) for r in range(2048))
        return tuple(math.log(2048 / ((r + 10) * harmonic)) for r in range(2048))

    def chinese_score(self, chars: str, ranks: Sequence[int]) -> float:
        """How much more likely ``chars`` is Chinese prose than a uniform random draw.

        The sum of the characters' frequency log-likelihood ratios, plus 5 per common
        two-character word (a random pair is one about 0.15% of the time, prose pairs about
        40%).

        Args:
            chars: The characters, in order.
            ranks: Their indices in the (frequency-ordered) Chinese wordlist.
        """
        table = self._rank_llr
        unigram = sum(table[r] for r in ranks)
        pairs = sum(chars[i : i + 2] in self.zh_bigrams for i in range(len(chars) - 1))
        return unigram + 5.0 * pairs

    @classmethod
    def load(cls, path: Path = _LEXICON) -> Lexicon:
        """Read the lexicon shipped next to this module."""
        data = json.loads(path.read_text(encoding="utf-8"))
        logprob: dict[str, float] = data["english_logprob"]
        total = math.log(sum(math.exp(v) for v in logprob.values()))
        llr = {w: v - total + math.log(2048) for w, v in logprob.items()}
        return cls(english_llr=llr, zh_bigrams=frozenset(data["zh_bigrams"]))


class Bip39Wordlists:
    """Every BIP39 wordlist, indexed for the seed detector.

    Args:
        wordlists: The lists to search, in reporting order.
        lexicon: Naturalness statistics; an empty one disables those tests.
    """

    def __init__(self, wordlists: Sequence[Wordlist], lexicon: Lexicon | None = None) -> None:
        self.wordlists: tuple[Wordlist, ...] = tuple(wordlists)
        self.lexicon = lexicon or Lexicon()
        lookup: dict[Script, dict[str, list[tuple[int, int]]]] = {s: {} for s in Script}
        for lang, wordlist in enumerate(self.wordlists):
            for key, i in wordlist.index.items():
                lookup[wordlist.script].setdefault(key, []).append((lang, i))
        #: script -> key -> ((language position, word index), ...)
        self.lookup: dict[Script, dict[str, tuple[tuple[int, int], ...]]] = {
            script: {k: tuple(v) for k, v in table.items()} for script, table in lookup.items()
        }

    @classmethod
    def from_mnemonic(cls, languages: Sequence[str] = LANGUAGES) -> Bip39Wordlists:
        """Load the lists of the ``mnemonic`` package and the shipped lexicon."""
        lists = [Wordlist.from_words(n, Mnemonic(n).wordlist) for n in languages]
        return cls(lists, Lexicon.load())
