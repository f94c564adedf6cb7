"""Composers of ordinary messages (no secrets) for ``ordinary.jsonl``."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from mnemonic import Mnemonic

if TYPE_CHECKING:
    from corpus_parts import Templates

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_OPENERS_EN = ["", "", "hi ", "hey all, ", "quick question: ", "@support ", "lol ", "ok so "]
_CLOSERS_EN = ["", "", " thanks", " :)", " pls", "!!", " 🙏", "?"]
_OPENERS_ZH = ["", "", "你好，", "请问", "各位，", "@客服 ", "急！"]
_CLOSERS_ZH = ["", "", "，谢谢", "。", "？", "！！", " 🙏"]


def _fill(rng: random.Random, template: str) -> str:
    values: dict[str, Callable[[], str]] = {
        "hash": lambda: rng.randbytes(32).hex(),
        "hash0x": lambda: "0x" + rng.randbytes(32).hex(),
        "evm": lambda: "0x" + rng.randbytes(20).hex(),
        "tron": lambda: "T" + "".join(rng.choice(_B58) for _ in range(33)),
        "btc": lambda: (
            rng.choice(["1", "3", "bc1q"]) + "".join(rng.choice(_B58) for _ in range(33))
        ),
        "sol": lambda: "".join(rng.choice(_B58) for _ in range(rng.randint(32, 44))),
        "sha256": lambda: rng.randbytes(32).hex(),
        "commit": lambda: rng.randbytes(20).hex()[: rng.choice([7, 40])],
        "uuid": lambda: str(uuid.UUID(bytes=rng.randbytes(16), version=4)),
        "color": lambda: rng.randbytes(3).hex(),
    }
    for name, make in values.items():
        while "{" + name + "}" in template:
            template = template.replace("{" + name + "}", make(), 1)
    return template


def _classes(templates: Templates) -> dict[str, list[str]]:
    english = set(Mnemonic("english").wordlist)
    classes = {}
    for line in templates.files["adversarial_en"]:
        name, words = line.split(":", 1)
        classes[name] = [w for w in words.split() if w in english]
    return classes


def _clause(rng: random.Random, c: dict[str, list[str]]) -> str:
    pick = rng.choice
    shapes = [
        lambda: (
            f"{pick(c['subject'])} {pick(c['modal'])} {pick(c['adverb'])} {pick(c['verb'])} "
            f"{pick(c['determiner'])} {pick(c['adjective'])} {pick(c['noun'])}"
        ),
        lambda: (
            f"{pick(c['verb'])} {pick(c['determiner'])} {pick(c['noun'])} "
            f"{pick(c['preposition'])} {pick(c['determiner'])} "
            f"{pick(c['adjective'])} {pick(c['noun'])}"
        ),
        lambda: (
            f"{pick(c['subject'])} {pick(c['adverb'])} {pick(c['verb'])} {pick(c['noun'])} "
            f"{pick(c['preposition'])} {pick(c['noun'])}"
        ),
    ]
    return pick(shapes)()


def _adversarial_en(rng: random.Random, c: dict[str, list[str]]) -> str:
    clauses = [_clause(rng, c) for _ in range(rng.randint(1, 4))]
    joiner = rng.choice([", then ", " ", ", ", " and then ", " so "])
    text = joiner.join(clauses)
    return text[0].upper() + text[1:] + rng.choice(["", ".", "!", " :)"])


def _word_list(rng: random.Random, c: dict[str, list[str]]) -> str:
    # Lists shorter than a mnemonic are bare nouns; longer ones read like real lists (plurals,
    # "and"). A 12-noun bare list with a valid checksum is redacted by design (see seeds.py).
    nouns = rng.sample(c["noun"], rng.randint(4, 16))
    if len(nouns) >= 12:
        nouns = [n + "s" if rng.random() < 0.4 else n for n in nouns]
        nouns[-1] = "and " + nouns[-1]
    style = rng.randrange(4)
    if style == 0:
        return "shopping list: " + ", ".join(nouns)
    if style == 1:
        return "Top picks for the weekend:\n" + "\n".join(
            f"{i}. {n}" for i, n in enumerate(nouns, 1)
        )
    if style == 2:
        return "tags: " + " ".join("#" + n for n in nouns)
    return "things I need for the party: " + " ".join(nouns)


def _zh_run(rng: random.Random, phrases: list[str]) -> str:
    parts = rng.sample(phrases, rng.randint(2, 5))
    joiner = rng.choice(["", "", "", "，", " "])
    return joiner.join(parts) + rng.choice(["", "", "。", "？", "！"])


def _numbered(rng: random.Random, templates: Templates) -> str:
    if rng.random() < 0.5:
        steps = [
            "open the app",
            "tap Settings",
            "choose Security",
            "turn on Face ID",
            "restart",
            "check the network",
            "update to the latest version",
            "clear the cache",
        ]
        return "Steps:\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(rng.sample(steps, 5), 1))
    steps = [
        "打开应用",
        "点击设置",
        "选择安全",
        "开启面容识别",
        "重启手机",
        "检查网络",
        "更新到最新版本",
    ]
    return "步骤：\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(rng.sample(steps, 5), 1))


def _mixed(rng: random.Random, templates: Templates) -> str:
    zh = rng.choice(templates.files["ordinary_zh"])
    en = rng.choice(templates.files["ordinary_en"])
    public = _fill(rng, rng.choice(templates.section("public_en", "tx")))
    return rng.choice([f"{zh} {en}", f"{en}\n{zh}", f"{zh}\n{public}", f"{public} {zh}"])


def ordinary_messages(rng: random.Random, templates: Templates) -> list[dict[str, object]]:
    """Compose the ordinary corpus: hand-written lines, then deterministic variations."""
    files, classes = templates.files, _classes(templates)
    out: list[tuple[str, str]] = []
    out += [("hand_en", line) for line in files["ordinary_en"]]
    out += [("hand_zh", line) for line in files["ordinary_zh"]]
    out += [("education", line) for line in files["education"]]
    for _ in range(250):
        line = rng.choice(files["ordinary_en"])
        out.append(("hand_en", rng.choice(_OPENERS_EN) + line + rng.choice(_CLOSERS_EN)))
        line = rng.choice(files["ordinary_zh"])
        out.append(("hand_zh", rng.choice(_OPENERS_ZH) + line + rng.choice(_CLOSERS_ZH)))
    for section, count in (("tx", 700), ("addr", 300), ("code", 400)):
        pool = templates.section("public_en", section)
        out += [(section, _fill(rng, rng.choice(pool))) for _ in range(count)]
    out += [("adversarial_en", _adversarial_en(rng, classes)) for _ in range(900)]
    out += [("word_list", _word_list(rng, classes)) for _ in range(250)]
    phrases = files["zh_phrases"]
    out += [("adversarial_zh", _zh_run(rng, phrases)) for _ in range(1200)]
    out += [("numbered", _numbered(rng, templates)) for _ in range(150)]
    out += [("mixed", _mixed(rng, templates)) for _ in range(300)]
    for _ in range(150):
        line = rng.choice(files["education"])
        out.append(("education", line + rng.choice(["", " Stay safe!", " 注意安全", " 🙏"])))
    return [{"id": f"ordinary-{i:05d}", "text": t, "category": c} for i, (c, t) in enumerate(out)]
