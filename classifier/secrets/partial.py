"""Partial seed phrases: a few words of a mnemonic that a seed cue introduces.

HARD_CASES.md counts a partial seed (``first 6 words are …``) as an exposed secret: with half
of a 12-word mnemonic public, the rest is within reach of a brute force. No checksum covers a
part, so the text must say what the words are, and say it right before them.

Decision rules:

1. A *partial cue* introduces the words: a position and an optional count (``first 6 words
   are``, ``the last 4 words of my recovery phrase:``, ``first six:``, ``words 1-6:``,
   ``助记词前六个是``, ``前6个词：``), a beginning (``my seed starts with``, ``starts like this:``,
   ``助记词开头几个是``), a colon or dash after a seed noun (``seed phrase:``, ``seed words
   (first 6):``, ``Recovery phrase -``, ``助记词：``), a copula after one (``my recovery phrase
   is``, ``我的助记词是``) or, for separated Chinese, a bare Chinese seed noun (``助记词 的 三``).
   Nothing else may stand between the cue and the first word: separators, quotes, a colon or
   a list number, at most 12 characters.
2. The words form a run of at least 4 consecutive words of one BIP39 list with one kind of
   separator throughout (the full detector's run rules), at most one misspelt word inside
   (5+ letters, corrected as there). A count in the cue caps the run (``first 6 words are`` →
   6 words, whatever follows).
3. The run is not natural language: English runs whose prose likelihood is that of a
   sentence, or that hold two closed-class words (``often``, ``across``, ``you``…; three from 7
   words on; the full detector's share when 6+ words are exactly as many as the cue announced)
   are refused (a uniform draw is refused 0.7-1.6% of the time, the price of short runs);
   Chinese runs must separate every character (4-6 unseparated characters after a cue read
   as well as a clause of prose, ``骗子钱包，…``, so a partial seed written without separators
   is the residual risk) and must not be counting (``一 二 三 四``).

The marker is the full detector's (``[redacted: seed phrase, 6 words]``); the detail adds
``partial``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import replace

from classifier.secrets.findings import Finding
from classifier.secrets.layout import kind
from classifier.secrets.seeds import FUNCTION_WORDS
from classifier.secrets.text import Gap, Token, gaps
from classifier.secrets.wordlists import LENGTHS, Bip39Wordlists, Script, normalize_token

MIN_WORDS = 4
_MAX_WORDS = max(LENGTHS)
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10, "十一": 11, "十二": 12, "十五": 15, "十八": 18, "二十一": 21,
    "二十四": 24,
}  # fmt: skip
_N = r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_POSS = r"(?:my|the|our|his|her|this|that|your)"
_SIZE = r"(?:12|15|18|21|24|twelve|twenty[\s-]*four)"
_NOUN = (
    rf"(?:(?:{_SIZE}[\s-]*words?\s+)?(?:secret\s+)?(?:seed|recovery|mnemonic|backup)"
    rf"(?:\s+(?:phrase|words?|seed))?|(?:{_SIZE}[\s-]*words?\s+)?phrase"
    rf"|wallet\s+(?:words|phrase|seed)|{_SIZE}\s+words)"
)
_OF = rf"(?:\s+(?:of|in|from)\s+{_POSS}\s+{_NOUN})"
_INTRO = r"(?:\s+(?:are|is|were|was|go|goes|read|reads))?(?:\s*(?:[:：=]|-+|–|—))?"
# Seed nouns only: "单词" (word) also introduces English vocabulary ("单词 apple orange …").
_ZH_NOUN = (
    r"(?:助记词|助記詞|助记|助記|种子词|種子詞|种子|種子|恢复短语|恢復短語|恢复词|恢復詞"
    r"|密语|密語)"
)
_ZH_N = r"(?P<zn>[一二两兩三四五六七八九十]{1,3}|\d{1,2})"
_ZH_AT = r"(?:前|后|後|最后|最後|开头|開頭|结尾|結尾|末尾)"
_ZH_INTRO = r"(?P<zi>分别是|分別是|是|为|為|如下)?\s*(?P<zc>[:：])?"
# Compiled without IGNORECASE (three times slower): they read the ASCII-lowered text.
_LATIN_CUES = tuple(
    re.compile(pattern)
    for pattern in (
        # first 6 words are / the last 4 words of my recovery phrase: / first six of my seed:
        rf"\b(?:first|last|initial|final|remaining|other|next|missing)\s+(?:{_N}\s+)?"
        rf"(?:words?{_OF}?|(?:of|in|from)\s+{_POSS}\s+{_NOUN}){_INTRO}",
        # first six: / the first 6 are (a count is required without "words")
        rf"\b(?:first|last)\s+{_N}(?:\s*[:：]|\s+(?:are|were)\b(?:\s*[:：])?)",
        # words 1-6 are / words 7 to 12:
        rf"\bwords?\s+(?P<a>\d{{1,2}})\s*(?:-|–|to|through|thru)\s*(?P<b>\d{{1,2}}){_OF}?{_INTRO}",
        # my seed starts with / the phrase ends with
        rf"\b(?:{_POSS}\s+)?{_NOUN}\s+(?:starts?|begins?|ends?|started|began|ended|goes)"
        r"\s+(?:with|like\s+this)(?:\s*[:：])?",
        # seed phrase: / my recovery phrase is: / my seed words are
        rf"\b(?:{_POSS}\s+)?{_NOUN}\s*(?:\([^()\n]{{1,24}}\)\s*)?(?:(?:is|are|was|were)\s*)?"
        r"(?:[:：=]|(?<=\s)[-–—](?=\s))",
        rf"\b{_POSS}\s+{_NOUN}\s+(?:is|are|was|were)\b",
        # The other Latin-script lists name their seed too: "frase semilla:", "mnémonique :"
        r"\b(?:frase\s+(?:semilla|de\s+recuperaci[oó]n|di\s+recupero|de\s+recupera[cç][aã]o)"
        r"|semilla|semente|mn[ée]monique|phrase\s+de\s+r[ée]cup[ée]ration"
        r"|obnovovac[íi]\s+fr[áa]ze)\s*[:：]",
    )
)
_HAN_CUES = tuple(
    re.compile(pattern)
    for pattern in (
        # 助记词前六个是 / 助记词的开头是：
        rf"{_ZH_NOUN}的?{_ZH_AT}(?:(?:{_ZH_N}|几|幾)(?:个|個|位)?)?(?:单词|單詞|词|詞|字)?{_ZH_INTRO}",
        # 前6个词：
        rf"(?:前|后|後|最后|最後){_ZH_N}(?:个|個|位)(?:助记词|助記詞|词|詞|字){_ZH_INTRO}",
        # 助记词：/ 我的助记词是：/ 我的助记词是 / 助记词 (separated characters follow: never prose)
        rf"{_ZH_NOUN}(?:(?:是|为|為|如下)\s*[:：]?|\s*[:：]|\s+(?=[\u3400-\u9fff]))",
    )
)
# Between the cue and the first word: separators, quotes, brackets and a list number.
_LEAD = re.compile(r"[\s\"'“”‘’`«»「」『』(\[（【:：=\-–—>]*(?:#?\d{1,2}[.):：、．）]?\s*)?")
_LEAD_REACH = 12
# Every cue holds one of these words; cues are searched only around them.
_KEYWORD = re.compile(
    "word|seed|phrase|mnemonic|recovery|backup|frase|semilla|semente|monique|fr[áa]ze"
    "|词|詞|助记|助記|种子|種子|短语|短語|密语|密語"
)
# How far a cue reaches before and after its keyword ("the remaining twenty-four words").
_CUE_BEFORE, _CUE_AFTER = 48, 64
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_ZH_NUMERALS = frozenset("零一二两兩三四五六七八九十百千万萬亿億")
_NATURAL_BASE, _NATURAL_STEP = 5.0, 0.5
_ENDINGS = ("s", "es", "ed", "d", "ing", "ly", "er", "ers")


def may_hold_partial(text: str) -> bool:
    """Cheap necessary condition: ``text`` names a seed or its words somewhere."""
    return _KEYWORD.search(_lowered(text)) is not None


def _lowered(text: str) -> str:
    """``text`` in lower case, every character at its offset.

    ``str.lower()`` is ten times faster than an ASCII-only translation, and keeps the offsets
    unless a character lowers to several (``İ``): then the translation is used.
    """
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def partial_cues(text: str) -> list[re.Match[str]]:
    """Return the partial cues of ``text``, searched only near their keywords."""
    lowered = _lowered(text)
    spans: list[list[int]] = []  # [low, high, 1 when a Latin keyword is inside, 1 for Han]
    for hit in _KEYWORD.finditer(lowered):
        low, high = max(0, hit.start() - _CUE_BEFORE), hit.end() + _CUE_AFTER
        if not spans or low > spans[-1][1]:
            spans.append([low, high, 0, 0])
        spans[-1][1] = high
        spans[-1][2 if hit.group().isascii() else 3] = 1
    found = {}
    for low, high, has_latin, has_han in spans:
        patterns = (_LATIN_CUES if has_latin else ()) + (_HAN_CUES if has_han else ())
        for cue in patterns:
            for match in cue.finditer(lowered, low, high):
                found[match.span()] = match
    return list(found.values())


class PartialSeedDetector:
    """Finds runs of 4+ wordlist words that a seed cue introduces (rules in the docstring).

    Args:
        wordlists: The prepared wordlists.
    """

    def __init__(self, wordlists: Bip39Wordlists) -> None:
        self._lists = wordlists

    def find(
        self,
        text: str,
        tokens: Sequence[Token],
        cues: Sequence[re.Match[str]],
        covered: Sequence[Finding] = (),
    ) -> list[Finding]:
        """Return the partial seeds of ``text``.

        Args:
            text: The text being scanned.
            tokens: Its words.
            cues: Its partial cues (``partial_cues``).
            covered: Secrets already found: a cue before one of them needs no second look.
        """
        if len(tokens) < MIN_WORDS or not cues:
            return []
        found = []
        for cue in cues:
            low = cue.end()
            first = bisect_left(tokens, low, key=_start)
            if len(tokens) - first < MIN_WORDS or tokens[first].start - low > _LEAD_REACH:
                continue
            if any(f.start <= tokens[first].start < f.end for f in covered):
                continue
            if not _LEAD.fullmatch(text, low, tokens[first].start):
                continue
            # Offsets within a slice starting at the cue: the first gap is then the lead, not
            # all the text before it (which may be 100 KB).
            window = [
                token._replace(start=token.start - low, end=token.end - low)
                # One token past the longest run: a character glued to the next ends a run.
                for token in tokens[first : first + _MAX_WORDS + 2]
            ]
            spaces = gaps(text[low : low + window[-1].end], window)
            finding = self._run(window, spaces, _count(cue))
            if finding is not None:
                found.append(replace(finding, start=finding.start + low, end=finding.end + low))
        return found

    def _run(self, tokens: Sequence[Token], spaces: list[Gap], count: int | None) -> Finding | None:
        """The longest acceptable run of one language starting at ``tokens[0]``."""
        best: tuple[int, int] | None = None  # (length, language position)
        for lang in self._languages(tokens[0]):
            whole = min(self._extend(tokens, spaces, lang), _MAX_WORDS)
            length = min(whole, count) if count is not None and count >= MIN_WORDS else whole
            if length < MIN_WORDS or (best is not None and length <= best[0]):
                continue
            # The count cuts the run, but prose goes on past it: the whole run is tested too.
            # A run exactly as long as announced is evidence enough for closed-class words.
            exact = count == whole
            if self._acceptable(tokens[:whole], lang, exact) and (
                length == whole or self._acceptable(tokens[:length], lang, exact)
            ):
                best = (length, lang)
        if best is None:
            return None
        length, lang = best
        start = tokens[0].start - spaces[0].number_back
        name = self._lists.wordlists[lang].name
        return Finding(
            start=start,
            end=tokens[length - 1].end,
            kind="seed_phrase",
            label=f"seed phrase, {length} words",
            detail=f"{length} words, {name}, partial",
        )

    def _languages(self, token: Token) -> list[int]:
        key = normalize_token(token.text, token.script)
        return [lang for lang, _ in self._lists.lookup[token.script].get(key, ())]

    def _member(self, token: Token, lang: int) -> bool:
        return lang in self._languages(token)

    def _extend(self, tokens: Sequence[Token], spaces: list[Gap], lang: int) -> int:
        """How many tokens from the first continue one run of ``lang`` (one typo allowed)."""
        wordlist = self._lists.wordlists[lang]
        length, typo = 1, False
        separator = kind(spaces[1]) if len(spaces) > 1 else None
        han = wordlist.script is Script.HAN
        if han and len(spaces) > 1 and spaces[1].empty:
            # Chinese prose never separates every character, but 4-6 unseparated characters
            # after a cue read as well as a clause ("骗子钱包，…"): only separated runs count.
            return 1
        while length < len(tokens):
            gap = spaces[length]
            if not gap.joins or kind(gap) != separator:
                break
            if han and length + 1 < len(tokens) and spaces[length + 1].empty:
                break  # a character glued to the next one starts a sentence, not a list item
            token = tokens[length]
            if not self._member(token, lang):
                # One misspelt word inside the run, never at its end ("and" after the last
                # word must not become "any"), and never an inflected word ("words").
                key = normalize_token(token.text, token.script)
                inside = length + 1 < len(tokens) and self._member(tokens[length + 1], lang)
                if typo or len(key) < 5 or not inside or _inflected(key, wordlist.index):
                    break
                if not wordlist.corrections(key):
                    break
                typo = True
            length += 1
        return length

    def _acceptable(self, tokens: Sequence[Token], lang: int, exact: bool) -> bool:
        """Refuse natural language and counting (rule 3)."""
        wordlist = self._lists.wordlists[lang]
        words = [normalize_token(t.text, t.script) for t in tokens]
        if wordlist.script is Script.HAN:
            return bool(set(words) - _ZH_NUMERALS)  # "一 二 三 四" counts, it is no seed
        if wordlist.name == "english" and self._lists.lexicon.english_llr:
            llr = self._lists.lexicon.english_llr
            score = sum(llr.get(w, -3.0) for w in words)
            grammar = sum(w in FUNCTION_WORDS for w in words)
            limit = _NATURAL_BASE + _NATURAL_STEP * (len(words) - MIN_WORDS)
            return score <= limit and grammar < _grammar_limit(len(words), exact)
        return True


def _start(token: Token) -> int:
    return token.start


def _grammar_limit(length: int, exact: bool) -> int:
    """Fewest closed-class words that make a run of ``length`` words a sentence.

    Two already make one of a short run ("family often keep fish across orange"), while a
    uniform draw of 4-6 words holds two 0.7-1.6% of the time (three of 7-11 words, 0.1-0.6%).
    A run of 6+ words exactly as long as the cue announced gets the full detector's limit.
    """
    if (exact and length >= 6) or length >= min(LENGTHS):
        return max(3, (2 * length + 4) // 5)
    return 2 if length <= 6 else 3


def _inflected(key: str, index: Mapping[str, int]) -> bool:
    """True for a wordlist word with English endings: prose, not a typo (``words``, ``helpers``)."""
    stems = {key}
    for _ in range(2):
        stems |= {
            stem[: -len(ending)]
            for stem in stems
            for ending in _ENDINGS
            if stem.endswith(ending) and len(stem) > len(ending) + 2
        }
    return any(stem in index for stem in stems - {key})


def _count(cue: re.Match[str]) -> int | None:
    """The number of words the cue announces, if it says."""
    found = cue.groupdict()
    if found.get("a") and found.get("b"):
        return int(found["b"]) - int(found["a"]) + 1
    value = found.get("n") or found.get("zn")
    if value:
        return int(value) if value.isdigit() else _NUMBERS.get(value.lower())
    return None
