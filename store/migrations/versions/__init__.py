"""Alembic revisions, oldest first; Alembic itself ignores this file."""
