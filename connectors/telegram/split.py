"""Splitting of long texts into Telegram-sized messages, without losing a character.

Telegram refuses texts over 4096 characters, counted in UTF-16 code units (an emoji outside the
basic plane counts twice). A longer text is split at the last paragraph break that fits, else
the last line break, else the last space, and only as a last resort inside a word (never inside
a character). The breaks themselves are dropped; every other character is sent.
"""

MAX_MESSAGE_UNITS = 4096
_BREAKS = ("\n\n", "\n", " ")


def utf16_len(text: str) -> int:
    """Return the length of ``text`` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 units each.

    Args:
        text: The text to send.
        limit: The most units one message may hold.

    Returns:
        The parts, in order; one part when the text fits. Whitespace-only parts are dropped.
    """
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        head_end = _fitting_prefix(rest, limit)
        cut, skip = _best_break(rest, head_end)
        parts.append(rest[:cut])
        rest = rest[cut + skip :]
    parts.append(rest)
    return [p for p in parts if p.strip()]


def _fitting_prefix(text: str, limit: int) -> int:
    """Return the largest index ``i`` such that ``text[:i]`` fits in ``limit`` units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return max(index, 1)  # always make progress, even with an absurdly small limit
    return len(text)


def _best_break(text: str, end: int) -> tuple[int, int]:
    """Return (cut position, separator length) of the best break inside ``text[:end]``."""
    window = text[: end + 2]  # a break may straddle the limit; its characters are dropped
    for separator in _BREAKS:
        position = window.rfind(separator, 0, end + len(separator))
        if position > 0:
            return position, len(separator)
    return end, 0
