"""Hard negatives for the newer layouts (see ``corpus_layouts.py``): category, text pairs."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from base58 import b58encode
from mnemonic import Mnemonic

from classifier.secrets.ed25519 import ORDER

if TYPE_CHECKING:
    from corpus_parts import Templates


def _signature(rng: random.Random) -> str:
    """A Solana transaction signature: R, then a canonical S (below the group order)."""
    return b58encode(rng.randbytes(32) + rng.randrange(ORDER).to_bytes(32, "little")).decode()


def _solana_public(rng: random.Random, templates: Templates) -> str:
    text: str = rng.choice(templates.files["solana_public"])
    values: dict[str, Callable[[], str]] = {
        "solsig": lambda: _signature(rng),
        "soladdr": lambda: b58encode(rng.randbytes(32)).decode(),
    }
    for name, make in values.items():
        while "{" + name + "}" in text:
            text = text.replace("{" + name + "}", make(), 1)
    return text


def _nouns(rng: random.Random, templates: Templates, count: int) -> list[str]:
    """Ordinary list items: wordlist nouns, plurals, brands and multi-word items.

    Every stretch of five items holds one that no typo correction turns into a wordlist word
    (a brand, two words): 12 bare wordlist nouns with a valid checksum, or 11 and a plural,
    are redacted by design (see ``seeds.py``), whatever their layout.
    """
    english = set(Mnemonic("english").wordlist)
    line = next(t for t in templates.files["adversarial_en"] if t.startswith("noun:"))
    nouns = [w for w in line.split(":", 1)[1].split() if w in english]
    items = [n + "s" if rng.random() < 0.4 else n for n in rng.sample(nouns, count)]
    unlisted = templates.section("lists", "unlisted")
    for start in range(0, count, 5):
        items[rng.randrange(start, min(start + 5, count))] = rng.choice(unlisted)
    return items


def _two_columns(rng: random.Random, items: list[str]) -> str:
    rows = math.ceil(len(items) / 2)
    gutter = rng.choice(["    ", "\t", " | ", " " * rng.randint(8, 24)])
    lines = []
    for row in range(rows):
        cells = [f"{i + 1}. {items[i]}" for i in (row, row + rows) if i < len(items)]
        lines.append(gutter.join(cells))
    return "\n".join(lines)


def _numbered(rng: random.Random, templates: Templates) -> str:
    steps = rng.sample(templates.section("lists", "steps"), rng.randint(11, 16))
    shape = rng.randrange(4)
    if shape == 0:
        return "How to fix it: " + " ".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    if shape == 1:
        return "Steps:\n" + "\n".join(f"{i}) {s}" for i, s in enumerate(steps, 1))
    if shape == 2:
        return "Checklist\n" + _two_columns(rng, steps)
    items = _nouns(rng, templates, rng.choice([12, 12, 16, 24]))
    return "Shopping list:\n" + "\n".join(f"#{i} {s}" for i, s in enumerate(items, 1))


def _column_list(rng: random.Random, templates: Templates) -> str:
    items = _nouns(rng, templates, rng.choice([12, 12, 16, 24]))
    title = rng.choice(["Packing list", "Menu for the week", "Prizes", "Vocabulary", "词汇表"])
    if rng.random() < 0.3:
        order = list(range(1, len(items) + 1))
        rng.shuffle(order)
        return title + ":\n" + "\n".join(f"{n}. {items[n - 1]}" for n in order)
    return title + ":\n" + _two_columns(rng, items)


def _numbers(rng: random.Random) -> str:
    count = rng.choice([3, 20, 32, 32, 33, 63, 65, 96, 128])
    values = [rng.randrange(256) for _ in range(count)]
    if rng.random() < 0.2:  # 64 numbers, but not bytes
        values = [rng.randrange(1000) for _ in range(64)]
        values[rng.randrange(64)] = rng.randrange(256, 1000)
    array = json.dumps(values) if rng.random() < 0.5 else json.dumps(values, separators=(",", ":"))
    if rng.random() < 0.15:
        array = json.dumps([round(rng.uniform(0, 100), 2) for _ in range(64)])
    template = rng.choice(
        [
            "pubkey bytes: {a}",
            "the API returned {a}",
            "prices = {a}",
            "data: {a}",
            "{a}",
            "为什么返回的是 {a}",
            "const publicKey = new Uint8Array({a});",
        ]
    )
    return template.replace("{a}", array)


def _semicolon(rng: random.Random, templates: Templates) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        tags = rng.sample(templates.section("lists", "tags"), rng.randint(4, 16))
        return "tags: " + rng.choice([";", "; "]).join(tags)
    if shape == 1:
        return str(rng.choice(templates.section("lists", "semicolon")))
    items = _nouns(rng, templates, rng.randint(11, 16))
    separator = rng.choice([";", "; ", " ... ", "|"])
    return rng.choice(["my list: ", "", "to buy: "]) + separator.join(items)


def layout_ordinary(rng: random.Random, templates: Templates) -> list[tuple[str, str]]:
    """Ordinary messages (category, text) that look like the newer secret layouts."""
    out = [("sol_public", _solana_public(rng, templates)) for _ in range(250)]
    out += [("numbered_words", _numbered(rng, templates)) for _ in range(120)]
    out += [("two_column", _column_list(rng, templates)) for _ in range(150)]
    out += [("number_array", _numbers(rng)) for _ in range(100)]
    out += [("semicolon_list", _semicolon(rng, templates)) for _ in range(150)]
    return out
