"""Domain types of watchdesk: the common message, classifications, events and ports.

``core`` imports no platform SDK and nothing else of ours; every other package builds on it.
"""

from core.classification import (
    Classification,
    Detection,
    DetectionKind,
    Entity,
    EntityKind,
    FlagName,
    FlagResult,
    Language,
)
from core.errors import ConfigError, PayloadError, WatchdeskError
from core.events import (
    CursorUpdate,
    InboundEvent,
    InvalidPayload,
    MemberUpdated,
    MessageDeleted,
    MessageEdited,
    MessageReceived,
    UserCommand,
)
from core.message import Attachment, Author, Channel, ChannelKind, Message, Redaction
from core.outbound import Outbox, Outcome, OutcomeStatus
from core.ports import Classifier, Connector, CursorReader, EventSink

__all__ = [
    "Attachment",
    "Author",
    "Channel",
    "ChannelKind",
    "Classification",
    "Classifier",
    "ConfigError",
    "Connector",
    "CursorReader",
    "CursorUpdate",
    "Detection",
    "DetectionKind",
    "Entity",
    "EntityKind",
    "EventSink",
    "FlagName",
    "FlagResult",
    "InboundEvent",
    "InvalidPayload",
    "Language",
    "MemberUpdated",
    "Message",
    "MessageDeleted",
    "MessageEdited",
    "MessageReceived",
    "Outbox",
    "Outcome",
    "OutcomeStatus",
    "PayloadError",
    "Redaction",
    "UserCommand",
    "WatchdeskError",
]
