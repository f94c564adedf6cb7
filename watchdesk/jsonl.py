"""JSON shapes of the CLI's output: ``classify`` results and ``export`` lines."""

from typing import Any

from core import Classification, FlagName, Message


def classification_fields(classification: Classification) -> dict[str, Any]:
    """Flags, scores, language, detections and entities as plain JSON values."""
    return {
        "flags": {f.value: classification.flag(f).value for f in FlagName},
        "scores": {f.value: classification.flag(f).score for f in FlagName},
        "thresholds": {f.value: classification.flag(f).threshold for f in FlagName},
        "language": classification.language.value,
        "detections": [
            d.model_dump(mode="json", exclude_none=True) for d in classification.detections
        ],
        "entities": [e.model_dump(mode="json", exclude_none=True) for e in classification.entities],
        "model_version": classification.model_version,
    }


def classify_line(item_id: str, message: Message, classification: Classification) -> dict[str, Any]:
    """One line of ``watchdesk classify`` output."""
    return {"id": item_id, **classification_fields(classification), "redacted_text": message.text}


def export_line(message: Message, classification: Classification | None) -> dict[str, Any]:
    """One line of ``watchdesk export``: the interchange fields plus the classification."""
    line: dict[str, Any] = {
        "platform": message.platform,
        "external_id": message.external_id,
        "channel": message.channel.model_dump(mode="json"),
        "author": message.author.model_dump(mode="json", include={"id", "handle", "display_name"}),
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "reply_to": message.reply_to,
        "thread_id": message.thread_id,
        "is_dm": message.is_dm,
        "url": message.permalink,
    }
    if message.edited_at is not None:
        line["edited_at"] = message.edited_at.isoformat()
    if classification is not None:
        line.update(classification_fields(classification))
    return line
