"""A number after an empty line starts a new paragraph; it does not continue a numbered seed.

Found by hypothesis: a two-column recovery sheet followed by "\\n\\n13A" was read as a list
going on to 13 items, and left unredacted.
"""

import pytest

from classifier.secrets import SecretRedactor

WORDS = "quantum process dice drink awful runway taste nominee envelope debate office business"
LISTED = WORDS.split()
COLUMNS = "\n".join(f"{i}. {LISTED[i - 1]}    {i + 6}. {LISTED[i + 5]}" for i in range(1, 7))
LINES = "\n".join(f"{i}. {word}" for i, word in enumerate(LISTED, 1))


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"\n\n{COLUMNS}\n\n13A", True),  # the hypothesis example
        (f"{COLUMNS}\n\n13. was the pin, not a word", True),
        (f"{COLUMNS}\n \n13 unrelated", True),  # spaces on the empty line
        (f"{LINES}\n\n13. and that's all", True),
        (f"{LINES}\n13. forest", False),  # the list goes on: 13 items are no mnemonic
        (f"{COLUMNS}\n13. forest", False),
    ],
)
def test_numbers_after_an_empty_line(redactor: SecretRedactor, text: str, found: bool) -> None:
    out = redactor.redact(text)
    assert out.found is found
    if found:
        assert not any(f" {word}" in out.text for word in LISTED)
