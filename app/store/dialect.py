"""Which SQL dialect a repository's connection speaks (no database driver imported here)."""

from __future__ import annotations

from typing import cast

from app.store.migrations import Dialect


def dialect_of(connection: object) -> Dialect:
    """``"postgresql"`` for the PostgreSQL adapter connection, ``"sqlite"`` otherwise."""
    return cast(Dialect, getattr(connection, "dialect", "sqlite"))
