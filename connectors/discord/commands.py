"""User commands typed as text: ``/ticket``, ``/status``, ``/report``.

Discord's real slash commands are interactions the bot would have to register and answer
within three seconds; watchdesk reads commands typed as plain text instead, so they work in
every channel and DM the bot can read. A command is ``/name`` or ``!name`` at the start of the
message (after an optional mention of the bot), case-insensitive, followed by its arguments.
"""

import re

from core import Message, UserCommand

COMMANDS = frozenset({"ticket", "status", "report"})
_COMMAND = re.compile(
    r"^\s*(?:<@!?(?P<mention>\d+)>\s*)?[/!](?P<name>[A-Za-z]+)(?=\s|$)(?P<rest>.*)$", re.S
)


def parse_command(message: Message, bot_user_id: str | None = None) -> UserCommand | None:
    """Return the command a message carries, or ``None``.

    Args:
        message: The translated message.
        bot_user_id: The bot's id; a leading mention of anyone else is not a command to us.

    ``/report`` is meant as a reply to the suspicious message: ``target_external_id`` is the
    id it replies to (``None`` when it is not a reply, so the responder can ask for one).
    """
    match = _COMMAND.match(message.text)
    if match is None:
        return None
    mention = match.group("mention")
    if mention is not None and mention != bot_user_id:
        return None
    name = match.group("name").lower()
    if name not in COMMANDS:
        return None
    return UserCommand(
        name=name,
        args=tuple(match.group("rest").split()),
        message=message,
        target_external_id=message.reply_to if name == "report" else None,
    )
