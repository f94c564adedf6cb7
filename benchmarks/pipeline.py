"""Pipeline benchmark: a generated 20,000-message feed replayed into SQLite and PostgreSQL.

Each store runs in its own subprocess so that peak RSS is that run's own. The baseline measured
in the same run is the replay connector's parsing alone (no redaction, storage or
classification): the ratio says how much of the ceiling the full path keeps.

Two runs per store: the whole feed as fast as possible (throughput; its latencies are mostly
time spent waiting in the full queue), then the first 5,000 messages offered at 1,000 msg/s,
half the target rate (latency of a message when the path keeps up, as it does in production).

Usage: python benchmarks/pipeline.py [--messages N] [--pg-url URL] [--skip-pg]
The last line printed is a JSON object of the figures.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Scripts here are named like what they measure (classifier.py): keep this folder off the
# import path so that `import classifier` finds the package, not a benchmark script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from mnemonic import Mnemonic  # noqa: E402 - after the path fix above

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_SQLITE = 2000.0
STEP_MS = 50  # recorded gap between two generated messages: 20 msg/s at speed 1
PACED_RATE = 1000.0  # msg/s offered in the paced run
PACED_MESSAGES = 5000

EN = [
    "gm, how do I add a custom token on BSC?",
    "withdrawal pending for 5 hours, tx {tx}",
    "fees are insane today, support never answers, worst wallet ever",
    "is novawallet-airdrop.com legit? someone DMed me",
    "sent USDT to {addr} on the wrong chain, please help",
    "thanks team, issue solved",
    "price dumped again lol",
    "URGENT need coffee",
    "my wallet was drained, all tokens moved to {addr}",
    "the new update keeps crashing on android 14, third time this week",
]
ZH = [
    "提现三个小时了还没到账，交易哈希 {tx}",
    "客服一直不回，什么垃圾钱包，我要卸载",
    "请问怎么添加自定义代币？",
    "这个空投链接是真的吗？",
    "我的钱包被盗了，资产全部被转走到 {addr}",
    "今天行情不错，上车了",
    "手续费太贵了，简直抢钱",
    "谢谢，已经解决了",
]


def generate(path: Path, count: int) -> None:
    """Write ``count`` messages in the interchange format, about 1% with a seed phrase."""
    rng = random.Random(20261122)
    words = Mnemonic("english")
    start = datetime(2026, 11, 20, tzinfo=UTC)
    platforms = ["telegram", "discord", "twitter", "reddit"]
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            template = rng.choice(EN if rng.random() < 0.6 else ZH)
            text = template.format(
                tx="0x" + "".join(rng.choice("0123456789abcdef") for _ in range(64)),
                addr="0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40)),
            )
            if rng.random() < 0.01:
                text += " my seed: " + words.to_mnemonic(rng.randbytes(16))
            record = {
                "platform": rng.choice(platforms),
                "external_id": f"bench-{n}",
                "channel": {"id": f"c{n % 20}", "name": f"channel {n % 20}", "kind": "group"},
                "author": {"id": f"u{rng.randrange(5000)}", "handle": f"user{n % 5000}"},
                "text": text,
                "created_at": (start + timedelta(milliseconds=STEP_MS * n)).isoformat(),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_store(url: str, feed: Path, speed: float | str = "max") -> dict[str, Any]:
    """Replay ``feed`` into ``url`` with the baseline classifier (runs in a subprocess)."""
    from classifier.baseline import KeywordClassifier
    from classifier.secrets import SecretRedactor
    from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth
    from connectors.replay import Config, ReplayConnector
    from store import Store, make_engine, upgrade
    from watchdesk.pipeline import Pipeline, PipelineOptions
    from watchdesk.runtime import Service, run_until_stopped
    from watchdesk.stats import PipelineStats

    upgrade(url)
    store = Store(make_engine(url))
    pipeline = Pipeline(store, SecretRedactor.default(), KeywordClassifier(), PipelineOptions())
    stats = PipelineStats()
    pipeline.add_observer(stats)
    done = [0]

    def progress(_: int, __: int) -> None:
        done[0] += 1
        if done[0] % 5000 == 0:
            print(f"  {done[0]} lines read", file=sys.stderr, flush=True)

    health = ConnectorHealth("replay")
    config = Config(enabled=True, path=feed, speed=speed)
    connector = ReplayConnector(config, ConnectorDeps(store, health), progress=progress)
    service = Service(pipeline, {"replay": ConnectorBundle(connector)}, {"replay": health})
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    asyncio.run(run_until_stopped(service, until_sources_done=True))
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    summary = stats.summary()
    return {
        "messages": summary["messages"],
        "msgs_per_s": round(summary["messages"] / elapsed, 1),
        # CPU time does not depend on what else the machine runs: on an idle machine the
        # wall-clock rate approaches this (the path is bound by one core's worth of Python).
        "msgs_per_cpu_s": round(summary["messages"] / cpu, 1),
        "load_average": round(os.getloadavg()[0], 2),
        "latency_p50_ms": summary["latency_p50_ms"],
        "latency_p99_ms": summary["latency_p99_ms"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "flagged": summary["flagged"],
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_translate_only(feed: Path) -> dict[str, Any]:
    """The baseline: parse every line into a ``Message`` and nothing else."""
    from connectors.replay.translate import parse_line

    now = datetime.now(UTC)
    started = time.perf_counter()
    lines = feed.read_text(encoding="utf-8").splitlines()
    for line in lines:
        parse_line(line, received_at=now, staff_ids=frozenset(), max_text_chars=1_000_000)
    elapsed = time.perf_counter() - started
    return {"messages": len(lines), "msgs_per_s": round(len(lines) / elapsed, 1)}


def _child(kind: str, url: str, feed: Path, speed: str = "max") -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--url", url, "--feed", str(feed)]
    out = subprocess.run(
        [*command, "--speed", speed],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _pg_database(admin_url: str, name: str, *, create: bool) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--pg-url", default=PG_ADMIN, help="admin URL; a scratch DB is made")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql", "translate"])
    parser.add_argument("--url")
    parser.add_argument("--feed", type=Path)
    parser.add_argument("--speed", default="max")
    args = parser.parse_args()
    if args.child == "translate":
        print(json.dumps(run_translate_only(args.feed)))
        return
    if args.child:
        speed = args.speed if args.speed == "max" else float(args.speed)
        print(json.dumps(run_store(args.url, args.feed, speed)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        figures = _measure(Path(tmp), args)
    _report(figures)
    print(json.dumps(figures))


def _measure(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    feed, paced = tmp / "feed.jsonl", tmp / "paced.jsonl"
    print(f"generating {args.messages} messages", file=sys.stderr)
    generate(feed, args.messages)
    generate(paced, min(PACED_MESSAGES, args.messages))
    speed = str(PACED_RATE * STEP_MS / 1000)
    figures: dict[str, Any] = {"messages": args.messages}
    print("baseline: translation only", file=sys.stderr)
    figures["translate_only"] = _child("translate", "", feed)
    print("SQLite", file=sys.stderr)
    figures["sqlite"] = _child("sqlite", f"sqlite:///{tmp / 'bench.db'}", feed)
    figures["sqlite_paced"] = _child("sqlite", f"sqlite:///{tmp / 'paced.db'}", paced, speed)
    if not args.skip_pg:
        print("PostgreSQL", file=sys.stderr)
        for key, source, pace in (("postgresql", feed, "max"), ("postgresql_paced", paced, speed)):
            url = _pg_database(args.pg_url, "watchdesk_bench", create=True)
            try:
                figures[key] = _child("postgresql", url, source, pace)
            finally:
                _pg_database(args.pg_url, "watchdesk_bench", create=False)
    base = figures["translate_only"]["msgs_per_s"]
    for kind in ("sqlite", "postgresql"):
        if kind in figures:
            figures[kind]["ratio_vs_translate_only"] = round(figures[kind]["msgs_per_s"] / base, 3)
    figures["sqlite_target_met"] = figures["sqlite"]["msgs_per_s"] >= TARGET_SQLITE
    figures["sqlite_target_met_per_cpu_s"] = figures["sqlite"]["msgs_per_cpu_s"] >= TARGET_SQLITE
    return figures


def _report(figures: dict[str, Any]) -> None:
    base = figures["translate_only"]["msgs_per_s"]
    for kind in ("sqlite", "postgresql"):
        if kind not in figures:
            continue
        row, paced = figures[kind], figures[f"{kind}_paced"]
        print(
            f"{kind:>10}: {row['msgs_per_s']:>8} msg/s ({row['msgs_per_cpu_s']} per CPU-s, "
            f"load {row['load_average']})  peak RSS {row['peak_rss_mb']} MB  "
            f"({row['ratio_vs_translate_only']}x of translate-only {base} msg/s)\n"
            f"{'':>12}latency at full speed (queue wait): p50 {row['latency_p50_ms']} ms  "
            f"p99 {row['latency_p99_ms']} ms\n"
            f"{'':>12}latency offered {PACED_RATE:.0f} msg/s (got {paced['msgs_per_s']}): "
            f"p50 {paced['latency_p50_ms']} ms  p99 {paced['latency_p99_ms']} ms"
        )


if __name__ == "__main__":
    main()
