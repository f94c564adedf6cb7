"""Parsing of the user commands the bot answers: ``/ticket``, ``/status`` and ``/report``."""

import re
from dataclasses import dataclass

KNOWN_COMMANDS = frozenset({"ticket", "status", "report"})
"""Commands handed to the responder; any other ``/word`` is an ordinary message."""

# Telegram commands are at most 32 characters of latin letters, digits and underscores; in
# groups they may be addressed to one bot as ``/cmd@botname``.
_COMMAND = re.compile(r"/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>[A-Za-z0-9_]{1,64}))?(?=\s|$)")


@dataclass(frozen=True)
class ParsedCommand:
    """A command addressed to this bot.

    Attributes:
        name: The command without its slash, lower case.
        args: The whitespace-separated words after it.
        addressed: True when written as ``/cmd@botname`` (it then mentions the bot).
    """

    name: str
    args: tuple[str, ...]
    addressed: bool


def parse_command(text: str, bot_username: str) -> ParsedCommand | None:
    """Parse a message text that starts with one of the known commands.

    Args:
        text: The message text (captions are not commands on Telegram).
        bot_username: This bot's username, without ``@``; ``/cmd@otherbot`` is not ours.

    Returns:
        The command, or ``None`` for ordinary text, an unknown command or one addressed to
        another bot.
    """
    match = _COMMAND.match(text)
    if match is None:
        return None
    target = match["bot"]
    if target is not None and target.lower() != bot_username.lower():
        return None
    name = match["name"].lower()
    if name not in KNOWN_COMMANDS:
        return None
    return ParsedCommand(name=name, args=tuple(text[match.end() :].split()), addressed=bool(target))
