"""Feed-building helpers of the watchdesk tests."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2026, 11, 20, 9, tzinfo=UTC)


def record(n: int, text: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": "telegram",
        "external_id": f"-100:{n}",
        "channel": {"id": "-100", "name": "NovaWallet Community", "kind": "group"},
        "author": {"id": f"{n}", "handle": f"user{n}", "display_name": f"User {n}"},
        "text": text,
        "created_at": (START + timedelta(seconds=n)).isoformat(),
    }
    data.update(extra)
    return data


def write_feed(path: Path, items: list[dict[str, Any] | str]) -> Path:
    lines = [
        item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in items
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
