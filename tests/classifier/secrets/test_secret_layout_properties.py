"""Property tests: valid mnemonics of every language in column, shuffled, prefixed-number and
``;``/``...`` layouts, and Solana keys, embedded in arbitrary text."""

import json

from hypothesis import given
from hypothesis import strategies as st
from seed_properties import REDACTOR, SETTINGS, mnemonic

from classifier.secrets.text import MARKER
from classifier.secrets.wordlists import LANGUAGES

CELLS = ["{n}. {w}", "{n}) {w}", "{n:02d}. {w}", "{n} {w}", "#{n} {w}", "No.{n} {w}", "{n}- {w}"]
GUTTERS = ["    ", "\t", " | ", " " * 20, "   "]
SEPARATORS = [";", "; ", "...", " ... ", "|", "…"]


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, list[str]]:
    lang = draw(st.sampled_from(LANGUAGES))
    count = draw(st.sampled_from([12, 15, 18, 21, 24]))
    words = mnemonic(lang, draw(st.binary(min_size=8, max_size=8)), count)
    style = draw(st.sampled_from(["columns", "shuffled", "inline", "separator"]))
    cell = draw(st.sampled_from(CELLS))
    if style == "columns":
        width = draw(st.sampled_from([2, 3]))
        rows = -(-count // width)
        gutter = draw(st.sampled_from(GUTTERS))
        lines = []
        for row in range(rows):
            indices = [row + c * rows for c in range(width) if row + c * rows < count]
            lines.append(gutter.join(cell.format(n=i + 1, w=words[i]) for i in indices))
        return "\n".join(lines), words
    if style == "shuffled":
        order = draw(st.permutations(range(1, count + 1)))
        return "\n".join(cell.format(n=n, w=words[n - 1]) for n in order), words
    if style == "inline":
        return " ".join(cell.format(n=n, w=w) for n, w in enumerate(words, 1)), words
    return draw(st.sampled_from(SEPARATORS)).join(words), words


TEXT = st.text(max_size=80)


def leftover(words: list[str], text: str, context: str) -> list[str]:
    """Secret words that the redacted text (markers aside) holds more often than the context."""
    bare = MARKER.sub("", text)
    return [w for w in set(words) if bare.count(w) > context.count(w)]


@SETTINGS
@given(layouts(), TEXT, TEXT)
def test_layouts_in_arbitrary_text(layout: tuple[str, list[str]], prefix: str, suffix: str) -> None:
    phrase, words = layout
    out = REDACTOR.redact(prefix + "\n\n" + phrase + "\n\n" + suffix)
    assert "[redacted: seed phrase, " in out.text
    assert leftover(words, out.text, prefix + suffix) == []
    assert REDACTOR.redact(out.text).text == out.text


@SETTINGS
@given(st.binary(min_size=64, max_size=64), TEXT, TEXT, st.booleans())
def test_byte_arrays_in_arbitrary_text(key: bytes, prefix: str, suffix: str, compact: bool) -> None:
    array = json.dumps(list(key), separators=(",", ":") if compact else None)
    out = REDACTOR.redact(prefix + "\n" + array + "\n" + suffix)
    assert "[redacted: private key, byte array]" in out.text
    assert array not in out.text
