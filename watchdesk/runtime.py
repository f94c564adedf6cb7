"""Running the process: connectors and the pipeline as asyncio tasks, and a clean stop.

On SIGINT or SIGTERM the connectors are cancelled first, then the pipeline drains what was
already received (so every cursor is saved with the messages it follows), then it stops. A
connector that fails is marked unhealthy and the others go on.
"""

import asyncio
import contextlib
import json
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import structlog

from connectors.base import ConnectorBundle, ConnectorHealth
from core import Connector
from watchdesk.pipeline import Pipeline

log = structlog.get_logger(__name__)

DRAIN_TIMEOUT_S = 30.0
STATUS_INTERVAL_S = 2.0


@dataclass
class Service:
    """Everything ``run`` supervises."""

    pipeline: Pipeline
    connectors: Mapping[str, ConnectorBundle]
    health: Mapping[str, ConnectorHealth]
    status_path: Path | None = None


async def run_until_stopped(
    service: Service,
    *,
    stop: asyncio.Event | None = None,
    until_sources_done: bool = False,
) -> None:
    """Run connectors and the pipeline until a signal, ``stop``, or the sources are done.

    With ``until_sources_done`` it also returns once every connector has finished (a replay
    file played to its end).

    Args:
        service: What to run.
        stop: Set by the caller to stop; SIGINT and SIGTERM set it too.
        until_sources_done: Return once every connector's ``run`` has returned.
    """
    stop = stop or asyncio.Event()
    _install_signals(stop)
    pipeline_task = asyncio.create_task(service.pipeline.run(), name="pipeline")
    sources = {
        name: asyncio.create_task(_supervise(name, b.connector, service), name=f"connector:{name}")
        for name, b in service.connectors.items()
    }
    helpers = [asyncio.create_task(_write_status(service), name="status")]
    waiters: list[asyncio.Task[None]] = [asyncio.create_task(_wait(stop))]
    if until_sources_done:
        waiters.append(asyncio.create_task(_all_done(list(sources.values()))))
    waiters.append(pipeline_task)  # the pipeline only ends by crashing: then stop too
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await _shutdown(service, sources, pipeline_task, helpers, waiters)


async def _supervise(name: str, connector: Connector, service: Service) -> None:
    health = service.health[name]
    try:
        await connector.run(service.pipeline)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - one connector's failure must not stop the rest
        health.failure(f"{type(exc).__name__}: {exc}")
        health.state = health.state.UNHEALTHY
        log.error("connector_failed", connector=name, error=str(exc))
    else:
        if health.state is not health.state.UNHEALTHY:
            health.stopped()


async def _wait(event: asyncio.Event) -> None:
    await event.wait()


async def _all_done(tasks: list[asyncio.Task[None]]) -> None:
    if tasks:
        await asyncio.wait(tasks)


async def _shutdown(
    service: Service,
    sources: Mapping[str, asyncio.Task[None]],
    pipeline_task: asyncio.Task[None],
    helpers: list[asyncio.Task[None]],
    waiters: list[asyncio.Task[None]],
) -> None:
    for task in sources.values():
        task.cancel()
    await asyncio.gather(*sources.values(), return_exceptions=True)
    if not pipeline_task.done():
        try:
            await asyncio.wait_for(service.pipeline.drain(), DRAIN_TIMEOUT_S)
        except TimeoutError:
            log.error("drain_timeout", seconds=DRAIN_TIMEOUT_S)
    for task in [pipeline_task, *helpers, *waiters]:
        task.cancel()
    results = await asyncio.gather(pipeline_task, *helpers, *waiters, return_exceptions=True)
    await _close_outboxes(service)
    for name in service.health:
        if service.health[name].state is not service.health[name].state.UNHEALTHY:
            service.health[name].stopped()
    _dump_status(service)
    crashed = results[0]
    if isinstance(crashed, Exception) and not isinstance(crashed, asyncio.CancelledError):
        raise crashed


async def _close_outboxes(service: Service) -> None:
    """Release the outboxes' own clients (an outbox may hold an HTTP session)."""
    for name, bundle in service.connectors.items():
        close = getattr(bundle.outbox, "aclose", None)
        if close is None:
            continue
        try:
            await close()
        except Exception as exc:  # noqa: BLE001 - shutting down: report and go on
            log.warning("outbox_close_failed", connector=name, error=str(exc))


def _install_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not available off the main thread or on some platforms: Ctrl-C then raises instead.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)


async def _write_status(service: Service) -> None:
    while True:
        _dump_status(service)
        await asyncio.sleep(STATUS_INTERVAL_S)


def _dump_status(service: Service) -> None:
    if service.status_path is None:
        return
    data = {name: health_json(h) for name, h in service.health.items()}
    service.status_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = service.status_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(service.status_path)  # atomic: a reader never sees half a file


def health_json(health: ConnectorHealth) -> dict[str, object]:
    """A connector's health as JSON values (the status file and ``watchdesk status``)."""
    return {
        "state": health.state.value,
        "last_event_at": health.last_event_at.isoformat() if health.last_event_at else None,
        "last_error": health.last_error,
        "consecutive_failures": health.consecutive_failures,
        "counters": dict(health.counters),
    }
