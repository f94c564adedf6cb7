"""The narrow protocols between floors: what connectors and classifiers must offer."""

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from core.classification import Classification
from core.events import InboundEvent
from core.message import Message


class EventSink(Protocol):
    """Where a connector puts what it receives. Awaiting ``emit`` applies back-pressure."""

    async def emit(self, event: InboundEvent) -> None:
        """Hand one event to the pipeline."""
        ...


class CursorReader(Protocol):
    """Read access to the resume positions saved with earlier events."""

    def get_cursor(self, connector: str, key: str) -> str | None:
        """Return the saved position of ``connector``'s stream ``key``, if any."""
        ...


@runtime_checkable
class Connector(Protocol):
    """An inbound source: a platform, or the replay file.

    ``run`` returns when the source is exhausted (a replay file) or is cancelled (live
    platforms); it never raises for one bad payload, which becomes an ``InvalidPayload`` event.
    """

    name: str

    async def run(self, sink: EventSink) -> None:
        """Receive until exhausted or cancelled, emitting every event into ``sink``."""
        ...


class Classifier(Protocol):
    """Flags a batch of (already redacted) messages."""

    @property
    def version(self) -> str:
        """Identifies the rules or model and its data, stored with every classification."""
        ...

    def classify(self, messages: Sequence[Message]) -> list[Classification]:
        """Return one classification per message, in order."""
        ...
