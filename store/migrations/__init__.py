"""Alembic environment and revisions of the store (a package so that they ship in the wheel)."""
