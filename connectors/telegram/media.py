"""Attachment metadata of a message: kind, file name, MIME type and size, never the file.

File download URLs embed the bot token, so none is kept; ``file_id`` is not kept either, since
it is only useful to the bot itself.
"""

from collections.abc import Mapping
from typing import Any

from connectors.telegram import fields as f
from core import Attachment

MEDIA_KINDS = ("photo", "animation", "document", "video", "audio", "voice", "video_note", "sticker")
"""Message keys that carry a file (https://core.telegram.org/bots/api#message)."""


def attachments(msg: f.JSON, where: str) -> tuple[Attachment, ...]:
    """Return the metadata of every file attached to ``msg`` (the largest size of a photo).

    Raises:
        PayloadError: If a media field is not an object (or a photo not a list of sizes).
    """
    found: list[Attachment] = []
    for kind in MEDIA_KINDS:
        if msg.get(kind) is None or (kind == "document" and "animation" in msg):
            continue  # animations also arrive as a document, for old clients
        if kind == "photo":
            sizes = f.obj_list(msg, "photo", where)
            if not sizes:
                continue
            media: Mapping[str, Any] = max(sizes, key=_pixels)
        else:
            media = f.obj(msg, kind, where)
        found.append(_attachment(kind, media))
    return tuple(found)


def _attachment(kind: str, media: f.JSON) -> Attachment:
    # File URLs embed the bot token, so only metadata is kept; the file_id is not a URL.
    name, mime = media.get("file_name"), media.get("mime_type")
    return Attachment(
        kind=kind,
        name=name if isinstance(name, str) else "",
        mime_type=mime if isinstance(mime, str) else "",
        size=f.opt_int(media, "file_size"),
    )


def _pixels(size: f.JSON) -> int:
    width, height = f.opt_int(size, "width") or 0, f.opt_int(size, "height") or 0
    return width * height
