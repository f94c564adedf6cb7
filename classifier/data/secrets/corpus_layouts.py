"""Secrets in the layouts added later, and the hard negatives that go with them.

Seeds in numbered columns (recovery sheets, OCR'd screenshots), shuffled or widely spaced
numbered lines, ``#1``/``No.1``/``1-`` numbering and ``;``/``...``/``|`` separators; Solana keys
in base58 and as ``id.json`` byte arrays. The negatives are Solana signatures and addresses,
numbered and two-column lists of ordinary words, number arrays that are not 64 bytes and
``;``-joined lists. Both come from their own random streams and are appended after the older
entries, which therefore stay exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import unicodedata

from base58 import b58encode
from corpus_parts import LANG_WEIGHTS, Templates, _typo
from mnemonic import Mnemonic

from classifier.secrets.ed25519 import ORDER, public_key

_CELLS = ["{n}. {w}", "{n}) {w}", "{n:02d}. {w}", "{n} {w}", "{n}.\t{w}", "{n}.{w}", "{n}: {w}"]
_NUMBER_WORDS = ["No.{n} {w}", "No. {n} {w}", "Nr. {n} {w}", "n°{n} {w}", "NO.{n} {w}"]


def _words(rng: random.Random, lang: str, count: int) -> list[str]:
    entropy = hashlib.sha256(rng.randbytes(32)).digest()[: count * 4 // 3]
    helper = Mnemonic(lang)
    phrase = helper.to_mnemonic(entropy).split(helper.delimiter)
    return [unicodedata.normalize("NFC", w) for w in phrase]


def _misspell(rng: random.Random, words: list[str], lang: str) -> None:
    # A typo of a short word is often one letter from several wordlist words ("vea": "vela",
    # "vena", "ver"…) and then cannot be corrected; a cue-less message must use a longer one.
    long = [i for i, w in enumerate(words) if len(w) >= 5 or not w.isascii()]
    i = rng.choice(long or range(len(words)))
    wordlist = {unicodedata.normalize("NFC", w) for w in Mnemonic(lang).wordlist}
    words[i] = _typo(rng, words[i], wordlist, lang)


def _columns(rng: random.Random, cells: list[str | None], columns: int) -> str:
    """Cells numbered 1..N laid out column by column (a blank cell keeps only its number)."""
    rows = math.ceil(len(cells) / columns)
    cell = rng.choice(_CELLS)
    gutter = rng.choice(["    ", "\t", "\t\t", " | ", "   ", " " * rng.randint(8, 30)])
    width = max(len(cell.format(n=len(cells), w=w or "")) for w in cells) + 1
    align = rng.random() < 0.5  # OCR keeps the columns aligned about half the time
    lines = []
    for row in range(rows):
        parts = []
        for column in range(columns):
            index = row + column * rows
            if index < len(cells):
                text = cell.format(n=index + 1, w=cells[index] or "")
                parts.append(text.ljust(width) if align and column < columns - 1 else text)
        lines.append(gutter.join(parts).rstrip())
    return "\n".join(lines)


def _numbered_lines(rng: random.Random, cells: list[str | None], style: str) -> str:
    numbered = [(n, w) for n, w in enumerate(cells, 1) if w is not None]
    if style == "shuffled":
        rng.shuffle(numbered)
        return "\n".join(f"{n}. {w}" for n, w in numbered)
    pad = " " * rng.randint(13, 24)  # wider than a mnemonic separator may be
    return "\n".join(f"{n}.{pad}{w}" for n, w in numbered)


def _multiline(rng: random.Random, lang: str, error: str) -> tuple[int, str, str]:
    style = rng.choice(["two_columns", "two_columns", "three_columns", "shuffled", "wide_lines"])
    count = {"three_columns": rng.choice([12, 18, 24])}.get(style, rng.choice([12, 24, 24]))
    cells: list[str | None] = list(_words(rng, lang, count))
    if error == "misspelt":
        _misspell(rng, cells, lang)  # type: ignore[arg-type]
    elif error == "missing":
        i = rng.randrange(count)
        if rng.random() < 0.5:
            cells[i] = None  # the number stays, its word was skipped
        else:
            del cells[i]  # renumbered
    if style.endswith("columns"):
        layout = _columns(rng, cells, 3 if style == "three_columns" else 2)
    else:
        layout = _numbered_lines(rng, cells, style)
    return sum(c is not None for c in cells), layout, style


def _inline(rng: random.Random, lang: str, error: str) -> tuple[int, str, str]:
    words = _words(rng, lang, rng.choice([12, 12, 15, 18, 24]))
    if error == "misspelt":
        _misspell(rng, words, lang)
    elif error == "missing":
        del words[rng.randrange(len(words))]
    style = rng.choice(
        ["hash", "hash_colon", "number_word", "dash", "semicolon", "ellipsis", "pipe"]
    )
    joiner = rng.choice([" ", "\n"])
    cell = {
        "hash": "#{n} {w}",
        "hash_colon": "#{n}: {w}",
        "number_word": rng.choice(_NUMBER_WORDS),
        "dash": rng.choice(["{n}- {w}", "{n}-{w}", "{n} - {w}"]),
    }.get(style)
    if cell is not None:
        return len(words), joiner.join(cell.format(n=n, w=w) for n, w in enumerate(words, 1)), style
    separator = {
        "semicolon": rng.choice([";", "; ", "；" if lang.startswith("chinese") else ";"]),
        "ellipsis": rng.choice(["...", " ... ", "…"]),
        "pipe": "|",
    }[style]
    return len(words), separator.join(words), style


def _layout_template(rng: random.Random, templates: Templates, lang: str, cue: bool) -> str:
    pool = templates.files["layout"]
    chinese = lang.startswith("chinese") and rng.random() < 0.6
    pool = [t for t in pool if ("zh|" in t) == chinese and (t.startswith("cue|") or not cue)]
    return str(rng.choice(pool)).removeprefix("cue|").removeprefix("zh|")


def _seed_secret(rng: random.Random, templates: Templates, multiline: bool) -> dict[str, object]:
    langs, weights = zip(*LANG_WEIGHTS.items(), strict=True)
    lang = rng.choices(langs, weights)[0]
    error = rng.choices(["none", "misspelt", "missing"], [70, 15, 15])[0]
    cue = error == "missing" or rng.random() < 0.4
    if multiline:
        words, phrase, style = _multiline(rng, lang, error)
        template = _layout_template(rng, templates, lang, cue)
    else:
        words, phrase, style = _inline(rng, lang, error)
        template = templates.seed(rng, lang, needs_cue=cue)
        if style == "pipe" and rng.random() < 0.3:
            template = template.replace("{seed}", "|{seed}|")  # a table row: bars around it
    before, after = template.split("{seed}", 1)
    secret = {"kind": "seed_phrase", "language": lang, "words": words, "error": error}
    secret |= {"format": style, "start": len(before), "end": len(before) + len(phrase)}
    return {"text": before + phrase + after, "secrets": [secret]}


def _keypair(rng: random.Random, provable: bool) -> bytes:
    """A real keypair (seed, then its public key); ``provable``: one no signature can be."""
    while True:
        seed = rng.randbytes(32)
        pair = seed + public_key(seed)
        if not provable or int.from_bytes(pair[32:], "little") >= ORDER:
            return pair


def _solana_secret(rng: random.Random, templates: Templates, array: bool) -> dict[str, object]:
    if array:
        template = rng.choice(templates.files["solana_array"])
        values = list(_keypair(rng, provable=False))
        style = rng.randrange(4)
        key = [
            json.dumps(values),
            json.dumps(values, separators=(",", ":")),
            json.dumps(values, indent=2),
            "[ " + ", ".join(map(str, values)) + " ]",
        ][style]
    else:
        template = rng.choice(templates.files["solana_key"])
        proof = template.startswith("proof|")
        template = template.removeprefix("proof|")
        # A key the wording presents as one may be any 64 bytes; without that wording only
        # a real keypair is one.
        raw = _keypair(rng, True) if proof or rng.random() < 0.5 else rng.randbytes(64)
        key = b58encode(raw).decode()
    before, after = template.split("{key}", 1)
    secret: dict[str, object] = {"kind": "private_key"}
    secret["format"] = "solana_bytes" if array else "solana_base58"
    secret |= {"start": len(before), "end": len(before) + len(key)}
    return {"text": before + key + after, "secrets": [secret]}


def layout_secrets(rng: random.Random, templates: Templates) -> list[dict[str, object]]:
    """Secret messages in the newer layouts (ids are given by the caller)."""
    entries = [_seed_secret(rng, templates, multiline=True) for _ in range(100)]
    entries += [_seed_secret(rng, templates, multiline=False) for _ in range(120)]
    entries += [_solana_secret(rng, templates, array=False) for _ in range(50)]
    entries += [_solana_secret(rng, templates, array=True) for _ in range(20)]
    return entries


# A sibling script, not a package module: mypy cannot resolve it.
from corpus_negatives import layout_ordinary  # type: ignore[import-not-found]  # noqa: E402

__all__ = ["layout_ordinary", "layout_secrets"]
