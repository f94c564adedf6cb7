"""Build ``secrets.jsonl`` and ``ordinary.jsonl``, the evaluation corpora of the secret redactor.

The message texts come from the hand-written files in ``templates/``; the secrets are generated
with the ``mnemonic`` package from a fixed seed, so the output is the same on every run:
``.venv/bin/python classifier/data/secrets/build_corpus.py``. The layouts added later
(``corpus_layouts.py``: numbered columns, ``#1``/``No.1``, ``;``/``...``, Solana keys, and
their hard negatives), the weakly presented keys (``corpus_presented.py``) and the partial seeds
(``corpus_partial.py``) are appended from random streams of their own.

Each secrets line is ``{"id", "text", "secrets": [{"kind", "start", "end", ...}]}`` where
``start``/``end`` locate the secret in ``text``; each ordinary line is ``{"id", "text",
"category"}``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

# Sibling scripts, not package modules: mypy cannot resolve them.
from corpus_layouts import layout_ordinary, layout_secrets  # type: ignore[import-not-found]
from corpus_partial import partial_ordinary, partial_secrets  # type: ignore[import-not-found]
from corpus_parts import (
    LANG_WEIGHTS,
    Templates,
    fill_key,
    keystore,
    make_seed,
    ordinary_messages,
    wif,
    xprv,
)
from corpus_presented import (  # type: ignore[import-not-found]
    presented_ordinary,
    presented_secrets,
)

_HERE = Path(__file__).resolve().parent
_SEED = 20241122


def _seed_entry(
    rng: random.Random, templates: Templates, lang: str
) -> tuple[str, dict[str, object]]:
    """One message with one mnemonic of ``lang``."""
    error = rng.choices(["none", "misspelt", "missing"], [70, 15, 15])[0]
    words, phrase, style = make_seed(rng, lang, error)
    template = templates.seed(rng, lang, needs_cue=error == "missing" or rng.random() < 0.5)
    before, after = template.split("{seed}", 1)
    text = before + phrase + after
    secret = {
        "kind": "seed_phrase",
        "language": lang,
        "words": words,
        "error": error,
        "format": style,
        "start": len(before),
        "end": len(before) + len(phrase),
    }
    return text, secret


def _key_entry(
    rng: random.Random, templates: Templates, kind: str
) -> tuple[str, dict[str, object]]:
    """One message with one private key of the given kind."""
    if kind == "hex":
        template, value = templates.hex_key(rng), fill_key(rng)
    else:
        value = {"wif": wif, "xprv": xprv, "keystore": keystore}[kind](rng)
        template = templates.other_key(rng)
    before, after = template.split("{key}", 1)
    secret = {"kind": "private_key", "format": kind, "start": len(before)}
    secret["end"] = len(before) + len(value)
    return before + value + after, secret


def build_secrets(rng: random.Random, templates: Templates) -> list[dict[str, object]]:
    """Return the secret corpus: seeds of every language, keys of every kind, combinations."""
    entries: list[dict[str, object]] = []
    langs, weights = zip(*LANG_WEIGHTS.items(), strict=True)
    for _ in range(330):
        text, secret = _seed_entry(rng, templates, rng.choices(langs, weights)[0])
        entries.append({"text": text, "secrets": [secret]})
    for kind, count in (("hex", 60), ("wif", 30), ("xprv", 20), ("keystore", 16)):
        for _ in range(count):
            text, secret = _key_entry(rng, templates, kind)
            entries.append({"text": text, "secrets": [secret]})
    for _ in range(14):
        first_text, first = _seed_entry(
            rng, templates, rng.choice(["english", "chinese_simplified"])
        )
        second_text, second = _key_entry(rng, templates, rng.choice(["hex", "wif"]))
        joiner = rng.choice(["\n\n", "\nalso the key: ", " 另外 "])
        offset = len(first_text) + len(joiner)
        second = {**second, "start": int(second["start"]) + offset}  # type: ignore[call-overload]
        second["end"] = int(second["end"]) + offset  # type: ignore[call-overload]
        entries.append({"text": first_text + joiner + second_text, "secrets": [first, second]})
    for i, entry in enumerate(entries):
        entry["id"] = f"secret-{i:04d}"
    return entries


def _write(path: Path, entries: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for entry in entries:
            ordered = {"id": entry["id"], **{k: v for k, v in entry.items() if k != "id"}}
            out.write(json.dumps(ordered, ensure_ascii=False) + "\n")


def main() -> None:
    """Write both corpora next to this script."""
    templates = Templates.load(_HERE / "templates")
    # A seeded, reproducible generator on purpose: the corpus must be the same on every run.
    secrets = build_secrets(random.Random(_SEED), templates)  # noqa: S311
    ordinary = ordinary_messages(random.Random(_SEED + 1), templates)  # noqa: S311
    # Newer layouts come from streams of their own and are appended, so that every older
    # entry (and its id) stays the same.
    for entry in layout_secrets(random.Random(_SEED + 2), templates):  # noqa: S311
        secrets.append({"id": f"secret-{len(secrets):04d}", **entry})
    for category, text in layout_ordinary(random.Random(_SEED + 3), templates):  # noqa: S311
        ordinary.append({"id": f"ordinary-{len(ordinary):05d}", "text": text, "category": category})
    # Weakly presented keys and labelled tx hashes next to key words (corpus_presented.py).
    for entry in presented_secrets(random.Random(_SEED + 4), templates):  # noqa: S311
        secrets.append({"id": f"secret-{len(secrets):04d}", **entry})
    for category, text in presented_ordinary(random.Random(_SEED + 5), templates):  # noqa: S311
        ordinary.append({"id": f"ordinary-{len(ordinary):05d}", "text": text, "category": category})
    # Partial seeds and cue-then-ordinary-words negatives (corpus_partial.py).
    for entry in partial_secrets(random.Random(_SEED + 6), templates):  # noqa: S311
        secrets.append({"id": f"secret-{len(secrets):04d}", **entry})
    for category, text in partial_ordinary(random.Random(_SEED + 7), templates):  # noqa: S311
        ordinary.append({"id": f"ordinary-{len(ordinary):05d}", "text": text, "category": category})
    _write(_HERE / "secrets.jsonl", secrets)
    _write(_HERE / "ordinary.jsonl", ordinary)
    print(f"{len(secrets)} secret messages, {len(ordinary)} ordinary messages")


if __name__ == "__main__":
    main()
