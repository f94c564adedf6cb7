"""The tables, as SQLAlchemy 2.0 typed ORM classes.

The repository writes with bulk Core statements against these tables (``Model.__table__``) and
reads with ``select()``; the classes give one typed place where the schema is declared, and their
metadata is what Alembic's autogenerate compares the migrations against.

Conventions: every datetime is `UTCDateTime`; every string from outside is `CleanText` or
`CleanString`; raw payloads and details are `CleanJSON`. Constraint names come from the naming
convention below so migrations are deterministic on both backends.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import CleanJSON, CleanString, CleanText, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# 64-bit ids on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base holding the metadata of every watchdesk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MessageRow(Base):
    """One message, the current version of its text; one row per (platform, external id)."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        Index(None, "created_at"),
        # unclassified() reads this index in id order instead of scanning every message.
        Index(None, "needs_classification", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    external_id: Mapped[str] = mapped_column(CleanString(256))
    channel_id: Mapped[str] = mapped_column(CleanText())
    channel_name: Mapped[str] = mapped_column(CleanText())
    channel_kind: Mapped[str] = mapped_column(CleanString(16))
    author_id: Mapped[str] = mapped_column(CleanText())
    author_handle: Mapped[str] = mapped_column(CleanText())
    author_display_name: Mapped[str] = mapped_column(CleanText())
    author_is_staff: Mapped[bool] = mapped_column(Boolean())
    author_is_bot: Mapped[bool] = mapped_column(Boolean())
    text: Mapped[str] = mapped_column(CleanText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reply_to: Mapped[str | None] = mapped_column(CleanText())
    thread_id: Mapped[str | None] = mapped_column(CleanText())
    permalink: Mapped[str | None] = mapped_column(CleanText())
    is_dm: Mapped[bool] = mapped_column(Boolean())
    mentions_bot: Mapped[bool] = mapped_column(Boolean())
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(CleanJSON())
    raw: Mapped[dict[str, Any]] = mapped_column(CleanJSON())
    redactions: Mapped[list[dict[str, Any]]] = mapped_column(CleanJSON())
    revision: Mapped[int] = mapped_column(Integer())
    needs_classification: Mapped[bool] = mapped_column(Boolean())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MessageRevisionRow(Base):
    """A previous version of a message's text, kept when an edit replaces it."""

    __tablename__ = "message_revisions"
    __table_args__ = (UniqueConstraint("message_id", "revision"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("messages.id", ondelete="CASCADE")
    )
    revision: Mapped[int] = mapped_column(Integer())
    text: Mapped[str] = mapped_column(CleanText())
    redactions: Mapped[list[dict[str, Any]]] = mapped_column(CleanJSON())
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(CleanJSON())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeletionRow(Base):
    """A deletion seen on a platform; kept even when the message itself was never seen."""

    __tablename__ = "deletions"
    __table_args__ = (UniqueConstraint("platform", "external_id"), Index(None, "message_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    external_id: Mapped[str] = mapped_column(CleanString())
    channel_id: Mapped[str] = mapped_column(CleanText())
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("messages.id", ondelete="SET NULL")
    )


class ClassificationRow(Base):
    """The current classification of a message (at most one per message)."""

    __tablename__ = "classifications"
    __table_args__ = (UniqueConstraint("message_id"), Index(None, "flagged"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("messages.id", ondelete="CASCADE")
    )
    message_revision: Mapped[int] = mapped_column(Integer())
    model_version: Mapped[str] = mapped_column(CleanText())
    language: Mapped[str] = mapped_column(CleanString(16))
    flagged: Mapped[bool] = mapped_column(Boolean())
    urgent: Mapped[bool] = mapped_column(Boolean())
    urgent_score: Mapped[float] = mapped_column(Float())
    urgent_threshold: Mapped[float] = mapped_column(Float())
    urgent_forced_by: Mapped[str | None] = mapped_column(CleanText())
    security: Mapped[bool] = mapped_column(Boolean())
    security_score: Mapped[float] = mapped_column(Float())
    security_threshold: Mapped[float] = mapped_column(Float())
    security_forced_by: Mapped[str | None] = mapped_column(CleanText())
    complaint: Mapped[bool] = mapped_column(Boolean())
    complaint_score: Mapped[float] = mapped_column(Float())
    complaint_threshold: Mapped[float] = mapped_column(Float())
    complaint_forced_by: Mapped[str | None] = mapped_column(CleanText())
    classified_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DetectionRow(Base):
    """A finding of an exact detector, part of a classification."""

    __tablename__ = "detections"
    __table_args__ = (Index(None, "classification_id"), Index(None, "kind"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    classification_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("classifications.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer())
    kind: Mapped[str] = mapped_column(CleanString(32))
    detail: Mapped[str] = mapped_column(CleanText())
    start: Mapped[int | None] = mapped_column(Integer())
    end: Mapped[int | None] = mapped_column(Integer())
    evidence: Mapped[str] = mapped_column(CleanText())


class EntityRow(Base):
    """A tx hash, address, URL or app version found by a classification."""

    __tablename__ = "entities"
    __table_args__ = (Index(None, "classification_id"), Index(None, "kind", "value"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    classification_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("classifications.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer())
    kind: Mapped[str] = mapped_column(CleanString(32))
    value: Mapped[str] = mapped_column(CleanText())
    chain: Mapped[str | None] = mapped_column(CleanText())
    verdict: Mapped[str | None] = mapped_column(CleanText())
    start: Mapped[int] = mapped_column(Integer())
    end: Mapped[int] = mapped_column(Integer())


class MemberRow(Base):
    """A member of a platform as last seen (input of the impersonation check)."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("platform", "author_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    author_id: Mapped[str] = mapped_column(CleanString())
    handle: Mapped[str] = mapped_column(CleanText())
    display_name: Mapped[str] = mapped_column(CleanText())
    is_staff: Mapped[bool] = mapped_column(Boolean())
    is_bot: Mapped[bool] = mapped_column(Boolean())
    previous_name: Mapped[str | None] = mapped_column(CleanText())
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CursorRow(Base):
    """A connector's resume position for one of its streams."""

    __tablename__ = "cursors"

    connector: Mapped[str] = mapped_column(CleanString(), primary_key=True)
    key: Mapped[str] = mapped_column(CleanString(), primary_key=True)
    value: Mapped[str] = mapped_column(CleanText())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeadLetterRow(Base):
    """A payload that could not be handled, with the reason; nothing is silently dropped."""

    __tablename__ = "dead_letters"
    __table_args__ = (Index(None, "received_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(CleanText())
    location: Mapped[str] = mapped_column(CleanText())
    reason: Mapped[str] = mapped_column(CleanText())
    payload: Mapped[str] = mapped_column(CleanText())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """Who did what to which subject, and when: moderators, the bot, the CLI."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(CleanText())
    action: Mapped[str] = mapped_column(CleanText())
    subject: Mapped[str] = mapped_column(CleanText())
    detail: Mapped[dict[str, Any]] = mapped_column(CleanJSON())


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # declarative classes without a custom __table__ always map one
    return table


# Core handles for the bulk statements of the repository.
MESSAGES = _table(MessageRow)
MESSAGE_REVISIONS = _table(MessageRevisionRow)
DELETIONS = _table(DeletionRow)
CLASSIFICATIONS = _table(ClassificationRow)
DETECTIONS = _table(DetectionRow)
ENTITIES = _table(EntityRow)
MEMBERS = _table(MemberRow)
CURSORS = _table(CursorRow)
DEAD_LETTERS = _table(DeadLetterRow)
AUDIT_LOG = _table(AuditRow)
