"""Core types to row values and back; the round trip must give back an equal object."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from core import (
    Author,
    Classification,
    Detection,
    Entity,
    FlagName,
    FlagResult,
    MemberUpdated,
    Message,
)
from store.records import Member

Row = Mapping[Any, Any]  # a RowMapping, or any mapping of column name to value


def message_values(message: Message) -> dict[str, Any]:
    """Return the ``messages`` columns of a message, without the bookkeeping ones."""
    return {
        "platform": message.platform,
        "external_id": message.external_id,
        "channel_id": message.channel.id,
        "channel_name": message.channel.name,
        "channel_kind": message.channel.kind.value,
        "author_id": message.author.id,
        "author_handle": message.author.handle,
        "author_display_name": message.author.display_name,
        "author_is_staff": message.author.is_staff,
        "author_is_bot": message.author.is_bot,
        "text": message.text,
        "created_at": message.created_at,
        "received_at": message.received_at,
        "edited_at": message.edited_at,
        "reply_to": message.reply_to,
        "thread_id": message.thread_id,
        "permalink": message.permalink,
        "is_dm": message.is_dm,
        "mentions_bot": message.mentions_bot,
        "attachments": [a.model_dump() for a in message.attachments],
        "raw": dict(message.raw),
        "redactions": [r.model_dump() for r in message.redactions],
    }


def message_from_row(row: Row) -> Message:
    """Rebuild a `Message` from a ``messages`` row (a mapping of column name to value)."""
    return Message.model_validate(
        {
            "platform": row["platform"],
            "external_id": row["external_id"],
            "channel": {
                "id": row["channel_id"],
                "name": row["channel_name"],
                "kind": row["channel_kind"],
            },
            "author": {
                "id": row["author_id"],
                "handle": row["author_handle"],
                "display_name": row["author_display_name"],
                "is_staff": row["author_is_staff"],
                "is_bot": row["author_is_bot"],
            },
            "text": row["text"],
            "created_at": row["created_at"],
            "received_at": row["received_at"],
            "edited_at": row["edited_at"],
            "reply_to": row["reply_to"],
            "thread_id": row["thread_id"],
            "permalink": row["permalink"],
            "is_dm": row["is_dm"],
            "mentions_bot": row["mentions_bot"],
            "attachments": row["attachments"],
            "raw": row["raw"],
            "redactions": row["redactions"],
        }
    )


def classification_values(
    message_id: int, revision: int, classification: Classification, now: datetime
) -> dict[str, Any]:
    """Return the ``classifications`` columns of a classification of one message revision."""
    values: dict[str, Any] = {
        "message_id": message_id,
        "message_revision": revision,
        "model_version": classification.model_version,
        "language": classification.language.value,
        "flagged": classification.flagged,
        "classified_at": now,
    }
    for name in FlagName:
        result = classification.flag(name)
        values[name.value] = result.value
        values[f"{name.value}_score"] = result.score
        values[f"{name.value}_threshold"] = result.threshold
        values[f"{name.value}_forced_by"] = result.forced_by
    return values


def entity_values(classification_id: int, entities: Iterable[Entity]) -> list[dict[str, Any]]:
    """Return the ``entities`` rows of a classification, keeping their order."""
    return [
        {"classification_id": classification_id, "position": i, **entity.model_dump(mode="json")}
        for i, entity in enumerate(entities)
    ]


def detection_values(
    classification_id: int, detections: Iterable[Detection]
) -> list[dict[str, Any]]:
    """Return the ``detections`` rows of a classification, keeping their order."""
    return [
        {"classification_id": classification_id, "position": i, **det.model_dump(mode="json")}
        for i, det in enumerate(detections)
    ]


def classification_from_rows(
    row: Row, entities: Iterable[Row], detections: Iterable[Row], *, prefix: str = ""
) -> Classification:
    """Rebuild a `Classification` from its row and its child rows (already in position order).

    Args:
        row: The ``classifications`` columns, possibly under a name prefix.
        entities: Its ``entities`` rows.
        detections: Its ``detections`` rows.
        prefix: Prefix of the classification's column names in ``row`` (for joined selects).
    """
    return Classification(
        urgent=_flag(row, prefix, FlagName.URGENT),
        security=_flag(row, prefix, FlagName.SECURITY),
        complaint=_flag(row, prefix, FlagName.COMPLAINT),
        language=row[f"{prefix}language"],
        model_version=row[f"{prefix}model_version"],
        entities=tuple(
            Entity(
                kind=e["kind"],
                value=e["value"],
                chain=e["chain"],
                verdict=e["verdict"],
                start=e["start"],
                end=e["end"],
            )
            for e in entities
        ),
        detections=tuple(
            Detection(
                kind=d["kind"],
                detail=d["detail"],
                start=d["start"],
                end=d["end"],
                evidence=d["evidence"],
            )
            for d in detections
        ),
    )


def _flag(row: Row, prefix: str, name: FlagName) -> FlagResult:
    column = f"{prefix}{name.value}"
    return FlagResult(
        value=row[column],
        score=row[f"{column}_score"],
        threshold=row[f"{column}_threshold"],
        forced_by=row[f"{column}_forced_by"],
    )


def member_values(event: MemberUpdated, now: datetime) -> dict[str, Any]:
    """Return the ``members`` columns of a member sighting."""
    return {
        "platform": event.platform,
        "author_id": event.author.id,
        "handle": event.author.handle,
        "display_name": event.author.display_name,
        "is_staff": event.author.is_staff,
        "is_bot": event.author.is_bot,
        "previous_name": event.previous_name,
        "first_seen_at": now,
        "updated_at": now,
    }


def member_from_row(row: Row) -> Member:
    """Rebuild a `Member` from a ``members`` row."""
    author = Author(
        id=row["author_id"],
        handle=row["handle"],
        display_name=row["display_name"],
        is_staff=row["is_staff"],
        is_bot=row["is_bot"],
    )
    return Member(
        platform=row["platform"],
        author=author,
        previous_name=row["previous_name"],
        updated_at=row["updated_at"],
    )
