"""Typed errors of the persistence layer.

Every failure that leaves ``app.store`` is one of these, so callers (services, CLI,
GUI) can tell "the store is busy" from "the store is damaged" without parsing text.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store failure."""


class StoreBusy(StoreError):
    """Another process held the write lock longer than the busy timeout."""


class StoreCorrupt(StoreError):
    """The database file is damaged or is not a desk store."""


class SchemaTooNew(StoreError):
    """The store was written by a newer desk than this one; refusing to touch it."""


class MigrationFailed(StoreError):
    """A schema migration failed; the store is left at its previous version."""


class NestedTransaction(StoreError):
    """A use case tried to open a transaction inside another one (a bug)."""


class ConstraintViolation(StoreError):
    """A write broke a schema rule (unique key, foreign key, check)."""


class BackupError(StoreError):
    """A backup or restore could not be made (target exists, disk full, ...)."""


class StoreUnavailable(StoreBusy):
    """The database server cannot be reached (or the connection broke).

    A subclass of :class:`StoreBusy` so every caller that already tells the officer
    "try again" for a busy SQLite store does the same for a shared desk whose
    server is restarting. Raised during ``COMMIT`` the message says the outcome is
    unknown.
    """
