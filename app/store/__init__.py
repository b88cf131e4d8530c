"""Persistence of the desk: an interface (:mod:`app.store.interface`) and its SQLite backend.

Public API::

    from app.store import open_store, Store, Transaction
    store = open_store(path)              # creates + migrates; WAL, synchronous=FULL
    with store.transaction() as tx:       # one use case = one BEGIN IMMEDIATE..COMMIT
        tx.snapshots.add(...); tx.audit.append(...)
    with store.read() as tx:              # consistent read-only view
        tx.holdings.client_states()
    store.backup(Path("copy.sqlite3"))    # refuses to overwrite
"""

from app.store.errors import (
    BackupError,
    ConstraintViolation,
    MigrationFailed,
    NestedTransaction,
    SchemaTooNew,
    StoreBusy,
    StoreCorrupt,
    StoreError,
)
from app.store.interface import Store, Transaction
from app.store.sqlite_store import SqliteStore, SqliteTransaction, open_store

__all__ = [
    "BackupError",
    "ConstraintViolation",
    "MigrationFailed",
    "NestedTransaction",
    "SchemaTooNew",
    "SqliteStore",
    "SqliteTransaction",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "Transaction",
    "open_store",
]
