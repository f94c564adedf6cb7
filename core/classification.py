"""What the classifier says about a message."""

from enum import StrEnum

from pydantic import Field

from core._base import Frozen


class FlagName(StrEnum):
    """The three independent flags of LABELING.md."""

    URGENT = "urgent"
    SECURITY = "security"
    COMPLAINT = "complaint"


class Language(StrEnum):
    """Language of a message as far as watchdesk cares."""

    EN = "en"
    ZH = "zh"
    MIXED = "mixed"
    OTHER = "other"


class FlagResult(Frozen):
    """One flag: the decision, the score behind it and the threshold used.

    ``value`` can be true below the threshold when an exact detector forced it (``forced_by``).
    """

    value: bool
    score: float = Field(ge=0.0, le=1.0)
    threshold: float = Field(ge=0.0, le=1.0)
    forced_by: str | None = None


class DetectionKind(StrEnum):
    """Exact detectors' findings."""

    SEED_PHRASE = "seed_phrase"
    PRIVATE_KEY = "private_key"
    PHISHING_URL = "phishing_url"
    IMPERSONATION = "impersonation"
    SOLICITATION = "solicitation"


class Detection(Frozen):
    """A finding of an exact detector, with the evidence a moderator needs."""

    kind: DetectionKind
    detail: str = ""
    start: int | None = None
    end: int | None = None
    evidence: str = ""


class EntityKind(StrEnum):
    """Public data pulled out of a message."""

    TX_HASH = "tx_hash"
    ADDRESS = "address"
    URL = "url"
    APP_VERSION = "app_version"


class Entity(Frozen):
    """A tx hash, address, URL or app version found in the text."""

    kind: EntityKind
    value: str
    chain: str | None = None
    verdict: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Classification(Frozen):
    """Flags, language, entities and detections of one message."""

    urgent: FlagResult
    security: FlagResult
    complaint: FlagResult
    language: Language
    entities: tuple[Entity, ...] = ()
    detections: tuple[Detection, ...] = ()
    model_version: str

    def flag(self, name: FlagName) -> FlagResult:
        """Return the result of one flag by name."""
        result: FlagResult = getattr(self, name.value)
        return result

    @property
    def flagged(self) -> bool:
        """True when any flag is set."""
        return self.urgent.value or self.security.value or self.complaint.value

    @property
    def flag_names(self) -> tuple[FlagName, ...]:
        """Names of the flags that are set, in a fixed order."""
        return tuple(name for name in FlagName if self.flag(name).value)
