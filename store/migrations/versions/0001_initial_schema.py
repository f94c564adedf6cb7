"""Initial schema: messages and revisions, deletions, classifications with detections and
entities, members, connector cursors, dead letters and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    # 64-bit on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER.
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    return sa.Column("id", big, autoincrement=True, nullable=False)


def _utc(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _flag(name: str) -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.Boolean(), nullable=False),
        sa.Column(f"{name}_score", sa.Float(), nullable=False),
        sa.Column(f"{name}_threshold", sa.Float(), nullable=False),
        sa.Column(f"{name}_forced_by", sa.Text(), nullable=True),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "messages",
        _id(),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(length=256), nullable=False),
        _text("channel_id"),
        _text("channel_name"),
        sa.Column("channel_kind", sa.String(length=16), nullable=False),
        _text("author_id"),
        _text("author_handle"),
        _text("author_display_name"),
        sa.Column("author_is_staff", sa.Boolean(), nullable=False),
        sa.Column("author_is_bot", sa.Boolean(), nullable=False),
        _text("text"),
        _utc("created_at"),
        _utc("received_at"),
        _utc("edited_at", nullable=True),
        _text("reply_to", nullable=True),
        _text("thread_id", nullable=True),
        _text("permalink", nullable=True),
        sa.Column("is_dm", sa.Boolean(), nullable=False),
        sa.Column("mentions_bot", sa.Boolean(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("needs_classification", sa.Boolean(), nullable=False),
        _utc("deleted_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "platform", "external_id", name=op.f("uq_messages_platform_external_id")
        ),
    )
    op.create_index(op.f("ix_messages_created_at"), "messages", ["created_at"])
    op.create_index(
        op.f("ix_messages_needs_classification_id"), "messages", ["needs_classification", "id"]
    )

    op.create_table(
        "message_revisions",
        _id(),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        _text("text"),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        _utc("edited_at", nullable=True),
        _utc("replaced_at"),
        _fk("message_revisions", "message_id", "messages", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_revisions")),
        sa.UniqueConstraint(
            "message_id", "revision", name=op.f("uq_message_revisions_message_id_revision")
        ),
    )

    op.create_table(
        "deletions",
        _id(),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=False),
        _text("channel_id"),
        _utc("deleted_at"),
        _utc("recorded_at"),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        _fk("deletions", "message_id", "messages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletions")),
        sa.UniqueConstraint(
            "platform", "external_id", name=op.f("uq_deletions_platform_external_id")
        ),
    )
    op.create_index(op.f("ix_deletions_message_id"), "deletions", ["message_id"])

    op.create_table(
        "classifications",
        _id(),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("message_revision", sa.Integer(), nullable=False),
        _text("model_version"),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        *_flag("urgent"),
        *_flag("security"),
        *_flag("complaint"),
        _utc("classified_at"),
        _fk("classifications", "message_id", "messages", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classifications")),
        sa.UniqueConstraint("message_id", name=op.f("uq_classifications_message_id")),
    )
    op.create_index(op.f("ix_classifications_flagged"), "classifications", ["flagged"])

    op.create_table(
        "detections",
        _id(),
        sa.Column("classification_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        _text("detail"),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        _text("evidence"),
        _fk("detections", "classification_id", "classifications", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detections")),
    )
    op.create_index(
        op.f("ix_detections_classification_id"), "detections", ["classification_id"]
    )
    op.create_index(op.f("ix_detections_kind"), "detections", ["kind"])

    op.create_table(
        "entities",
        _id(),
        sa.Column("classification_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        _text("value"),
        _text("chain", nullable=True),
        _text("verdict", nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        _fk("entities", "classification_id", "classifications", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    op.create_index(op.f("ix_entities_classification_id"), "entities", ["classification_id"])
    op.create_index(op.f("ix_entities_kind_value"), "entities", ["kind", "value"])

    op.create_table(
        "members",
        _id(),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("author_id", sa.String(), nullable=False),
        _text("handle"),
        _text("display_name"),
        sa.Column("is_staff", sa.Boolean(), nullable=False),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        _text("previous_name", nullable=True),
        _utc("first_seen_at"),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("platform", "author_id", name=op.f("uq_members_platform_author_id")),
    )

    op.create_table(
        "cursors",
        sa.Column("connector", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        _text("value"),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("connector", "key", name=op.f("pk_cursors")),
    )

    op.create_table(
        "dead_letters",
        _id(),
        _text("source"),
        _text("location"),
        _text("reason"),
        _text("payload"),
        _utc("received_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index(op.f("ix_dead_letters_received_at"), "dead_letters", ["received_at"])

    op.create_table(
        "audit_log",
        _id(),
        _utc("at"),
        _text("actor"),
        _text("action"),
        _text("subject"),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])


def downgrade() -> None:
    """Drop every table, children first."""
    for table in (
        "audit_log",
        "dead_letters",
        "cursors",
        "members",
        "entities",
        "detections",
        "classifications",
        "deletions",
        "message_revisions",
        "messages",
    ):
        op.drop_table(table)
