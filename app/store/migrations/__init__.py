"""The ordered list of schema migrations.

Each migration is a module ``mNNNN_<name>.py`` exposing ``MIGRATION``. Versions are
consecutive from 1. A shipped migration is never edited: change the schema by
appending a new module here (other issues add theirs at the end of the list).
The SQL is kept in Python modules, not ``.sql`` files, so it ships inside every
wheel and frozen build without package-data rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: ``sql`` is applied inside a single write transaction."""

    version: int
    name: str
    sql: str


def all_migrations() -> tuple[Migration, ...]:
    """Every migration in version order (checked to be 1..n without gaps)."""
    from app.store.migrations import (
        m0001_core,
        m0002_desk,
        m0003_documents,
        m0004_exchange,
        m0005_party_devices,
    )

    migrations = (
        m0001_core.MIGRATION,
        m0002_desk.MIGRATION,
        m0003_documents.MIGRATION,
        m0004_exchange.MIGRATION,
        m0005_party_devices.MIGRATION,
    )
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration list out of order at {migration.name}")
    return migrations


LATEST_VERSION = 5
