"""Benchmark of the secret redactor: throughput, 100 KB latency, recall and false redactions.

Run from the repository root: ``.venv/bin/python -m benchmarks.secrets`` (the last line printed
is a JSON object with every figure).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a file: this folder would shadow the stdlib `secrets`
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "benchmarks"]
    sys.path.insert(0, str(_ROOT))

import json  # noqa: E402
import time  # noqa: E402

from classifier.secrets import SecretRedactor  # noqa: E402

_DATA = _ROOT / "classifier" / "data" / "secrets"


def _load(name: str) -> list[dict[str, object]]:
    with (_DATA / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _throughput(redactor: SecretRedactor, texts: list[str], rounds: int = 3) -> float:
    """Best of ``rounds`` passes, in messages per second of CPU time on one core."""
    best = 0.0
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            redactor.redact(text)
        best = max(best, len(texts) / max(time.process_time() - started, 1e-9))
    return best


def _recall(redactor: SecretRedactor, entries: list[dict[str, object]]) -> tuple[int, int]:
    found = total = 0
    for entry in entries:
        spans = [(f.start, f.end) for f in redactor.findings(str(entry["text"]))]
        for secret in entry["secrets"]:  # type: ignore[attr-defined]
            total += 1
            found += any(s <= secret["start"] and secret["end"] <= e for s, e in spans)
    return found, total


def _big_texts(ordinary: list[str]) -> dict[str, str]:
    english = " ".join(t for t in ordinary if t.isascii())
    chinese = "".join(t for t in ordinary if not t.isascii())
    return {"english": english[:100_000], "chinese": chinese[:100_000]}


def main() -> None:
    """Print the figures, then the JSON summary."""
    started = time.perf_counter()
    redactor = SecretRedactor.default()
    load_s = time.perf_counter() - started
    secrets, ordinary = _load("secrets.jsonl"), _load("ordinary.jsonl")
    ordinary_texts = [str(e["text"]) for e in ordinary]
    secret_texts = [str(e["text"]) for e in secrets]
    print(f"load: {load_s:.2f} s")
    figures: dict[str, float | int] = {"load_s": round(load_s, 3)}
    figures["ordinary_msgs_per_s"] = round(_throughput(redactor, ordinary_texts))
    print(f"ordinary: {len(ordinary_texts)} messages, {figures['ordinary_msgs_per_s']} msg/s")
    figures["secret_msgs_per_s"] = round(_throughput(redactor, secret_texts))
    print(f"secrets: {len(secret_texts)} messages, {figures['secret_msgs_per_s']} msg/s")
    for name, text in _big_texts(ordinary_texts).items():
        started = time.perf_counter()
        redactor.redact(text)
        figures[f"100kb_{name}_s"] = round(time.perf_counter() - started, 3)
        print(f"100 KB of {name}: {figures[f'100kb_{name}_s']} s")
    found, total = _recall(redactor, secrets)
    false = sum(redactor.redact(t).found for t in ordinary_texts)
    figures.update(recall=round(found / total, 4), secrets=total, missed=total - found)
    figures.update(false_redactions=false, ordinary_messages=len(ordinary_texts))
    print(f"recall: {found}/{total}; false redactions: {false}/{len(ordinary_texts)}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
