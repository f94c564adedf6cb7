"""Property tests: valid mnemonics of every language, and keys, embedded in arbitrary text."""

from hypothesis import given, settings
from hypothesis import strategies as st
from seed_properties import REDACTOR, SETTINGS, mnemonic

from classifier.secrets.text import MARKER
from classifier.secrets.wordlists import LANGUAGES

SEPARATORS = [" ", ", ", ",", "\n", "  ", "\t", " - ", " | ", "\r\n"]


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, list[str]]:
    lang = draw(st.sampled_from(LANGUAGES))
    words = mnemonic(
        lang, draw(st.binary(min_size=8, max_size=8)), draw(st.sampled_from([12, 15, 18, 21, 24]))
    )
    options = list(SEPARATORS)
    if lang.startswith("chinese"):
        options += ["", "", "，"]
    if lang == "japanese":
        options += ["\u3000"]
    style = draw(st.sampled_from([*options, "numbered", "inline"]))
    if style == "numbered":
        phrase = "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1))
    elif style == "inline":
        phrase = " ".join(f"{i}){w}" for i, w in enumerate(words, 1))
    else:
        phrase = style.join(words)
    return phrase, words


TEXT = st.text(max_size=80)


def leftover(words: list[str], text: str, context: str) -> list[str]:
    """Secret words that the redacted text (markers aside) holds more often than the context."""
    bare = MARKER.sub("", text)
    return [w for w in set(words) if bare.count(w) > context.count(w)]


@SETTINGS
@given(layouts(), TEXT, TEXT, st.sampled_from(["\n", "\n\n", " : ", "\n> "]))
def test_mnemonics_in_arbitrary_text(
    layout: tuple[str, list[str]], prefix: str, suffix: str, boundary: str
) -> None:
    phrase, words = layout
    out = REDACTOR.redact(prefix + boundary + phrase + boundary + suffix)
    assert "[redacted: seed phrase, " in out.text
    assert leftover(words, out.text, prefix + suffix) == []


@SETTINGS
@given(layouts(), TEXT)
def test_idempotent_on_arbitrary_text(layout: tuple[str, list[str]], noise: str) -> None:
    once = REDACTOR.redact(noise + "\n" + layout[0] + "\n" + noise)
    assert REDACTOR.redact(once.text).text == once.text
    for redaction in once.redactions:
        assert once.text[redaction.start : redaction.end] == redaction.marker


@SETTINGS
@given(
    st.binary(min_size=32, max_size=32),
    TEXT,
    TEXT,
    st.sampled_from(["private key: ", "my private key is ", "PRIVATE_KEY=", "私钥：", "pk: "]),
    st.booleans(),
)
def test_hex_keys_in_arbitrary_text(
    key: bytes, prefix: str, suffix: str, cue: str, prefixed: bool
) -> None:
    value = ("0x" if prefixed else "") + key.hex()
    out = REDACTOR.redact(prefix + "\n" + cue + value + "\n" + suffix)
    assert key.hex() not in out.text
    assert "[redacted: private key, 64 hex]" in out.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_breaks(text: str) -> None:
    out = REDACTOR.redact(text)
    for redaction in out.redactions:
        assert out.text[redaction.start : redaction.end] == redaction.marker
    if not out.found:
        assert out.text == text
