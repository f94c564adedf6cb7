"""Text commands: /ticket, /status, /report typed at the start of a message."""

from datetime import UTC, datetime

import pytest

from connectors.discord.commands import parse_command
from core import Author, Channel, ChannelKind, Message

BOT = "1100000000000000001"


def message(text: str, reply_to: str | None = None) -> Message:
    return Message(
        platform="discord",
        external_id="1",
        channel=Channel(id="2", kind=ChannelKind.GROUP),
        author=Author(id="3"),
        text=text,
        created_at=datetime(2026, 11, 20, tzinfo=UTC),
        reply_to=reply_to,
    )


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/ticket", "ticket", ()),
        ("!ticket my swap failed", "ticket", ("my", "swap", "failed")),
        ("  /STATUS  42 ", "status", ("42",)),
        ("/report", "report", ()),
        (f"<@{BOT}> /ticket please", "ticket", ("please",)),
        (f"<@!{BOT}> !status", "status", ()),
        ("/ticket\nline two", "ticket", ("line", "two")),
    ],
)
def test_commands(text: str, name: str, args: tuple[str, ...]) -> None:
    command = parse_command(message(text), BOT)
    assert command is not None
    assert (command.name, command.args) == (name, args)


@pytest.mark.parametrize(
    "text",
    [
        "ticket please",
        "/tickets",
        "/help",
        "please /ticket",
        "<@999> /ticket",
        "/ ticket",
        "/ticket/x",
        "",
    ],
)
def test_not_commands(text: str) -> None:
    assert parse_command(message(text), BOT) is None


def test_report_targets_the_replied_message() -> None:
    command = parse_command(message("/report phishing", reply_to="77"), BOT)
    assert command is not None
    assert command.target_external_id == "77"
    not_a_reply = parse_command(message("/report"), BOT)
    assert not_a_reply is not None
    assert not_a_reply.target_external_id is None
    ticket = parse_command(message("/ticket", reply_to="77"), BOT)
    assert ticket is not None
    assert ticket.target_external_id is None
