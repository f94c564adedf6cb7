"""Replay connector: the offline demo and test source, reading interchange-format JSONL."""

from connectors.base import ConnectorBundle, ConnectorDeps
from connectors.replay.config import Config
from connectors.replay.connector import Position, ReplayConnector
from connectors.replay.outbox import RecordingOutbox


def build(config: Config, deps: ConnectorDeps) -> ConnectorBundle:
    """Build the replay connector and its recording outbox from settings."""
    return ConnectorBundle(connector=ReplayConnector(config, deps), outbox=RecordingOutbox())


__all__ = ["Config", "Position", "RecordingOutbox", "ReplayConnector", "build"]
