"""Moderators' buttons on Discord: message components out, ``INTERACTION_CREATE`` in.

Drafts are posted to the moderators' channel (``mod_channel_id``) with one row of buttons whose
``custom_id`` is ``wd:<action>:<id>``. A tap arrives on the gateway as an interaction; it becomes
a ``core.ModeratorDecision`` for the responder, whose answer is shown only to the moderator (an
ephemeral interaction response). Taps outside the moderators' channel, or on buttons that are
not ours, are answered and otherwise ignored. Nothing here raises into the connector.
"""

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord.http import Route
from pydantic import ValidationError

from core import Button, DecisionAction, DecisionHandler, ModeratorDecision, parse_button_data

log = logging.getLogger(__name__)

COMPONENT_INTERACTION = 3  # MESSAGE_COMPONENT
CHANNEL_MESSAGE = 4  # interaction response type: reply with a message
EPHEMERAL = 1 << 6
SUPPRESS_EMBEDS = 1 << 2
_DANGER = {DecisionAction.REJECT, DecisionAction.BAN, DecisionAction.REMOVE}
_CONNECT_WAIT = 5.0


def button_rows(buttons: Sequence[Button]) -> list[dict[str, Any]]:
    """One action row of buttons (primary, or red for destructive actions)."""
    return [
        {
            "type": 1,
            "components": [
                {
                    "type": 2,
                    "style": 4 if b.action in _DANGER else 1,
                    "label": b.label,
                    "custom_id": b.data,
                }
                for b in buttons
            ],
        }
    ]


def to_decision(data: Mapping[str, Any], mod_channel_id: int | None) -> ModeratorDecision | None:
    """Translate a component interaction from the moderators' channel; ``None`` otherwise."""
    if data.get("type") != COMPONENT_INTERACTION or mod_channel_id is None:
        return None
    if str(data.get("channel_id")) != str(mod_channel_id):
        return None
    inner = data.get("data")
    parsed = (
        parse_button_data(str(inner.get("custom_id", ""))) if isinstance(inner, Mapping) else None
    )
    member = data.get("member")
    who = member.get("user") if isinstance(member, Mapping) else data.get("user")
    if parsed is None or not isinstance(who, Mapping) or not who.get("id"):
        return None
    action, draft_id = parsed
    try:
        return ModeratorDecision(
            platform="discord",
            moderator_id=str(who["id"]),
            moderator_name=str(who.get("username") or ""),
            draft_id=draft_id,
            action=action,
        )
    except ValidationError:
        return None


async def post_with_buttons(
    client: discord.Client, channel_id: int, text: str, buttons: Sequence[Button]
) -> str:
    """Post ``text`` with the buttons (no pings, no previews); return the message id."""
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    payload = {
        "content": text,
        "components": button_rows(buttons),
        "allowed_mentions": {"parse": []},
        "flags": SUPPRESS_EMBEDS,
    }
    sent: dict[str, Any] = await client.http.request(route, json=payload)
    return str(sent["id"])


class InteractionRouter:
    """Hands moderators' taps to the responder and answers them (ephemerally).

    Args:
        slot: Where the running connector publishes its client (a ``ClientSlot``).
        mod_channel_id: The moderators' channel; taps elsewhere are refused.
        handler: The responder's decision handler.
    """

    def __init__(self, slot: Any, mod_channel_id: int | None, handler: DecisionHandler) -> None:
        self._slot = slot
        self._mod_channel_id = mod_channel_id
        self._handler = handler

    async def handle_frame(self, text: str) -> None:
        """Act on a gateway frame if it is an ``INTERACTION_CREATE``; ignore anything else."""
        if "INTERACTION_CREATE" not in text:
            return
        try:
            frame = json.loads(text)
        except ValueError:
            return
        data = frame.get("d") if isinstance(frame, dict) else None
        if frame.get("t") != "INTERACTION_CREATE" or not isinstance(data, dict):
            return
        decision = to_decision(data, self._mod_channel_id)
        if decision is None:
            answer = "This button is not one of ours, or not in the moderators' channel."
        else:
            try:
                answer = await self._handler(decision)
            except Exception as exc:  # noqa: BLE001 - the moderator must get an answer
                log.error("discord: decision failed with %s", type(exc).__name__)
                answer = "Something went wrong; try again or use the CLI."
        await self._answer(data, answer)

    async def _answer(self, data: Mapping[str, Any], answer: str) -> None:
        client = await self._slot.wait(_CONNECT_WAIT)
        if client is None or not data.get("id") or not data.get("token"):
            return
        route = Route(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            interaction_id=data["id"],
            interaction_token=data["token"],
        )
        body = {
            "type": CHANNEL_MESSAGE,
            "data": {
                "content": answer[:2000],
                "flags": EPHEMERAL,
                "allowed_mentions": {"parse": []},
            },
        }
        try:
            await client.http.request(route, json=body)
        except discord.HTTPException as exc:
            log.warning("discord: interaction answer failed: %s", exc.status)
