"""Partial seeds (``first 6 words are …``) and the cue-then-ordinary-words negatives.

Secrets: the three reported messages, then 4-8 words of a random mnemonic after a partial cue
(``templates/partial_seed.txt``), in English, Chinese (characters separated, as the detector
requires) and the other Latin-script lists, with spaces, commas, dashes, newlines or numbers.
A draw holding two closed-class words (``often``, ``across``…) reads as a sentence and is
refused by design (``classifier/secrets/partial.py``), so none is drawn. Negatives: seed cues
followed by ordinary words, most of them BIP39 words (``templates/partial_negative.txt``). Both
come from random streams of their own and are appended after the older entries.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from typing import TYPE_CHECKING

from mnemonic import Mnemonic

from classifier.secrets.seeds import FUNCTION_WORDS

if TYPE_CHECKING:
    from corpus_parts import Templates

_REPORTED = [
    (
        "first 6 words are lamp correct divert travel grit heavy and i lost the paper with "
        "the rest 😭 can the app guess the other 6?",
        "lamp correct divert travel grit heavy",
        "english",
    ),
    (
        "First 6 words of my phrase are sun opinion tape sphere upon slender, can someone tell "
        "me if the app checks the last word?",
        "sun opinion tape sphere upon slender",
        "english",
    ),
    ("我的助记词前六个是 的 三 欧 三 考 于，后面的忘了", "的 三 欧 三 考 于", "chinese_simplified"),
]
_LANGS = {"english": 60, "chinese_simplified": 25, "chinese_traditional": 10}
_LANGS |= {"spanish": 5, "french": 5, "italian": 5, "portuguese": 5, "czech": 5}
_ZH_COUNTS = "零一二三四五六七八"
_JOINERS = [" ", " ", ", ", "\n", " - "]


def _secret(text: str, part: str, lang: str, words: int) -> dict[str, object]:
    start = text.index(part)
    secret = {"kind": "seed_phrase", "language": lang, "words": words, "partial": True}
    secret |= {"start": start, "end": start + len(part)}
    return {"text": text, "secrets": [secret]}


def _draw(rng: random.Random, lang: str, count: int) -> list[str]:
    helper = Mnemonic(lang)
    while True:
        entropy = hashlib.sha256(rng.randbytes(16)).digest()[:16]
        words = [unicodedata.normalize("NFC", w) for w in helper.to_mnemonic(entropy).split()]
        start = rng.choice([0, 12 - count])  # the first or the last words
        part = words[start : start + count]
        if lang != "english" or sum(w in FUNCTION_WORDS for w in part) < 2:
            return part


def _partial(rng: random.Random, templates: Templates) -> dict[str, object]:
    langs, weights = zip(*_LANGS.items(), strict=True)
    lang = rng.choices(langs, weights)[0]
    count = rng.randint(4, 8)
    part = _draw(rng, lang, count)
    if rng.random() < 0.2:
        written = " ".join(f"{i}. {w}" for i, w in enumerate(part, 1))
    else:
        written = rng.choice(_JOINERS).join(part)
    section = "zh" if lang.startswith("chinese") else "en"
    template = rng.choice(templates.section("partial_seed", section))
    text = template.format(n=count, zn=_ZH_COUNTS[count], rest=12 - count, words=written)
    return _secret(text, written, lang, count)


def partial_secrets(rng: random.Random, templates: Templates) -> list[dict[str, object]]:
    """The reported partial seeds, then 80 generated ones."""
    entries = [_secret(t, p, lang, len(p.split())) for t, p, lang in _REPORTED]
    return entries + [_partial(rng, templates) for _ in range(80)]


def partial_ordinary(rng: random.Random, templates: Templates) -> list[tuple[str, str]]:
    """Seed cues followed by ordinary words: category, text pairs."""
    found = [("partial_cue", t) for t in templates.section("partial_negative", "sentence")]
    for language, joiners, count in (("en", [" "], 300), ("zh", ["", " "], 150)):
        cues = templates.section("partial_negative", f"cue_{language}")
        continuations = templates.section("partial_negative", f"cont_{language}")
        pairs = sorted({(c, t) for c in cues for t in continuations})
        for cue, continuation in rng.sample(pairs, count):
            found.append(("partial_cue", cue + rng.choice(joiners) + continuation))
    return found
