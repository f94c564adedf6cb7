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
from core.support import (
    Button,
    DecisionAction,
    DecisionHandler,
    ModeratorChat,
    ModeratorDecision,
    parse_button_data,
)

__all__ = [
    "Attachment",
    "Author",
    "Button",
    "Channel",
    "ChannelKind",
    "Classification",
    "Classifier",
    "ConfigError",
    "Connector",
    "CursorReader",
    "CursorUpdate",
    "DecisionAction",
    "DecisionHandler",
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
    "ModeratorChat",
    "ModeratorDecision",
    "Outbox",
    "Outcome",
    "OutcomeStatus",
    "PayloadError",
    "Redaction",
    "UserCommand",
    "WatchdeskError",
    "parse_button_data",
]
