"""Pieces of the corpus builder: templates, secret generators and ordinary message composers."""

from __future__ import annotations

import hashlib
import json
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from base58 import b58encode_check
from mnemonic import Mnemonic

LANG_WEIGHTS = {
    "english": 110,
    "chinese_simplified": 60,
    "chinese_traditional": 30,
    "japanese": 20,
    "korean": 20,
    "spanish": 18,
    "french": 18,
    "italian": 18,
    "czech": 18,
    "portuguese": 18,
}
_RARE_HAN = "鑫淼犇骉羴焱垚森磊晶鑫翾龘燚靐"


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        line.replace("\\n", "\n")
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@dataclass(frozen=True)
class Templates:
    """The hand-written files of ``templates/``."""

    files: dict[str, list[str]]

    @classmethod
    def load(cls, folder: Path) -> Templates:
        """Read every template file of ``folder``."""
        return cls({p.stem: _lines(p) for p in sorted(folder.glob("*.txt"))})

    def seed(self, rng: random.Random, lang: str, needs_cue: bool) -> str:
        """A message template for a seed of ``lang`` (``needs_cue``: one that names it)."""
        if lang == "english":
            pool = self.files["seed_en"]
        elif lang.startswith("chinese"):
            pool = self.files["seed_zh"] + rng.sample(self.files["seed_en"], 3)
        else:
            own = [t.split("|", 1)[1] for t in self.files["seed_other"] if t.startswith(lang)]
            pool = own + rng.sample(self.files["seed_en"], 4)
        if needs_cue:
            pool = [t for t in pool if t.startswith("cue|")]
        return rng.choice(pool).removeprefix("cue|")

    def hex_key(self, rng: random.Random) -> str:
        """A message template for a raw hex private key."""
        return rng.choice(self.files["key_en"])

    def other_key(self, rng: random.Random) -> str:
        """A message template for a WIF key, an extended key or a keystore."""
        return rng.choice(self.files["wif_en"])

    def section(self, name: str, section: str) -> list[str]:
        """Lines of one ``[section]`` of a template file."""
        lines, current = [], ""
        for line in self.files[name]:
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1]
            elif current == section:
                lines.append(line)
        return lines


def _typo(rng: random.Random, word: str, wordlist: set[str], lang: str) -> str:
    """One plausible typo of ``word`` that is not itself a wordlist word."""
    if lang.startswith("chinese"):
        return rng.choice(_RARE_HAN)
    letters = "abcdefghijklmnopqrstuvwxyz" if word.isascii() else word
    for _ in range(50):
        i = rng.randrange(1, len(word))
        op = rng.choice(["drop", "swap", "sub"])
        if op == "drop":
            typo = word[:i] + word[i + 1 :]
        elif op == "swap" and i < len(word) - 1:
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            typo = word[:i] + rng.choice(letters) + word[i + 1 :]
        if typo != word and typo not in wordlist and len(typo) >= 2:
            return typo
    return word[:-1] + "x"


def _join(rng: random.Random, words: list[str], lang: str) -> tuple[str, str]:
    styles = ["space", "comma", "newline", "numbered", "numbered_paren", "inline_numbers"]
    styles += ["double_space", "capitalized", "upper"] if lang in ("english", "spanish") else []
    if lang.startswith("chinese"):
        styles += ["nospace"] * 4
    if lang == "japanese":
        styles += ["ideographic"] * 3
    style = rng.choice(styles)
    if style == "space":
        return " ".join(words), style
    if style == "double_space":
        return "  ".join(words), style
    if style == "comma":
        return rng.choice([", ", ",", "，"]).join(words), style
    if style == "newline":
        return "\n".join(words), style
    if style == "numbered":
        return "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1)), style
    if style == "numbered_paren":
        return " ".join(f"{i}){w}" for i, w in enumerate(words, 1)), style
    if style == "inline_numbers":
        return " ".join(f"{i}.{w}" for i, w in enumerate(words, 1)), style
    if style == "capitalized":
        return " ".join([words[0].capitalize(), *words[1:]]), style
    if style == "upper":
        return " ".join(words).upper(), style
    if style == "ideographic":
        return "\u3000".join(words), style
    return "".join(words), style


def make_seed(rng: random.Random, lang: str, error: str) -> tuple[int, str, str]:
    """A random mnemonic of ``lang`` with the requested error, joined in a random style.

    Returns:
        The number of words written, the phrase as written, and the style name.
    """
    strength = rng.choice([128, 128, 128, 256, 256, 160, 192, 224])
    entropy = hashlib.sha256(rng.randbytes(32)).digest()[: strength // 8]
    helper = Mnemonic(lang)
    words = [
        unicodedata.normalize("NFC", w) for w in helper.to_mnemonic(entropy).split(helper.delimiter)
    ]
    if error == "missing":
        del words[rng.randrange(len(words))]
    elif error == "misspelt":
        i = rng.randrange(len(words))
        nfc = {unicodedata.normalize("NFC", w) for w in helper.wordlist}
        words[i] = _typo(rng, words[i], nfc, lang)
    phrase, style = _join(rng, words, lang)
    return len(words), phrase, style


def fill_key(rng: random.Random) -> str:
    """A random 64-hex private key, with or without 0x, in lower or upper case."""
    value = rng.randbytes(32).hex()
    value = value.upper() if rng.random() < 0.1 else value
    return ("0x" + value) if rng.random() < 0.4 else value


def wif(rng: random.Random) -> str:
    """A random WIF key: mainnet or testnet, compressed or not."""
    version = b"\x80" if rng.random() < 0.8 else b"\xef"
    suffix = b"\x01" if rng.random() < 0.7 else b""
    return b58encode_check(version + rng.randbytes(32) + suffix).decode()


def xprv(rng: random.Random) -> str:
    """A BIP32 master private key (xprv, or tprv for testnet)."""
    return Mnemonic.to_hd_master_key(rng.randbytes(64), testnet=rng.random() < 0.3)


def keystore(rng: random.Random) -> str:
    """An Ethereum V3 keystore, pretty-printed or compact, sometimes with a smart-quote mangle."""
    store = {
        "address": rng.randbytes(20).hex(),
        "crypto": {
            "cipher": "aes-128-ctr",
            "ciphertext": rng.randbytes(32).hex(),
            "cipherparams": {"iv": rng.randbytes(16).hex()},
            "kdf": "scrypt",
            "kdfparams": {
                "dklen": 32,
                "n": 262144,
                "p": 1,
                "r": 8,
                "salt": rng.randbytes(32).hex(),
            },
            "mac": rng.randbytes(32).hex(),
        },
        "id": f"{rng.randbytes(4).hex()}-{rng.randbytes(2).hex()}-4{rng.randbytes(2).hex()[1:]}",
        "version": 3,
    }
    text = json.dumps(store, indent=rng.choice([None, 2]))
    return text.replace('"', "\u201c", 1) if rng.random() < 0.2 else text


from ordinary_parts import ordinary_messages  # noqa: E402  (kept apart for size)

__all__ = [
    "LANG_WEIGHTS",
    "Templates",
    "fill_key",
    "keystore",
    "make_seed",
    "ordinary_messages",
    "wif",
    "xprv",
]
