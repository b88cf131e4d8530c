"""The persistence interface the services depend on.

Services see only these ``typing.Protocol`` s and the plain rows of
:mod:`app.store.records`; the SQLite backend (:mod:`app.store.sqlite_store`) is one
implementation and the PostgreSQL backend (:mod:`app.store.pg_store`: one advisory
write lock per transaction, NUMERIC/TIMESTAMPTZ columns) the other.

Contract every backend keeps:

* :meth:`Store.transaction` is one use case: it takes the write lock at once
  (SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``pg_advisory_xact_lock``), commits when
  the block ends normally and rolls back on any exception, so a failure leaves the
  store unchanged. It returns only after
  the commit is durable, so callers may acknowledge once the ``with`` block exits.
* :meth:`Store.read` gives a consistent read-only view and never writes.
* Transactions do not nest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TypeVar

from app.store.records import (
    AuditHead,
    AuditRow,
    CheckpointRow,
    NewSnapshot,
    SnapshotRecord,
    StoredClientState,
    StoredPrice,
)

R = TypeVar("R")


class SnapshotRepository(Protocol):
    """Imported snapshots: the desk's history of client records, positions and prices."""

    def find_by_hash(self, content_sha256: str) -> SnapshotRecord | None:
        """The snapshot with this canonical content hash, if it was imported before."""
        ...

    def add(self, snapshot: NewSnapshot, imported_by: str, imported_at: datetime) -> SnapshotRecord:
        """Store a snapshot with its clients, positions and prices."""
        ...

    def list(self) -> list[SnapshotRecord]:
        """Every import, oldest ``as_of`` first."""
        ...


class HoldingsRepository(Protocol):
    """The desk's view of clients as of a moment, built from the snapshots."""

    def client_states(
        self, as_of: datetime | None = None, client_id: str | None = None
    ) -> list[StoredClientState]:
        """Each client's latest record with snapshot ``as_of`` at or before ``as_of``
        (only ``client_id``'s when given)."""
        ...

    def iter_client_states(
        self,
        as_of: datetime | None = None,
        client_id: str | None = None,
        *,
        from_id: str | None = None,
        before_id: str | None = None,
    ) -> Iterator[StoredClientState]:
        """:meth:`client_states` one client at a time, by client id, as the rows arrive
        (what a caller that streams 100,000 clients reads, not holding them all);
        ``from_id``/``before_id`` keep ids in ``[from_id, before_id)`` in the store's
        own order (the order of the rows: a split at any id covers each client once)."""
        ...

    def prices(self, as_of: datetime | None = None) -> dict[str, StoredPrice]:
        """Each asset's latest price at or before ``as_of`` (None: the latest)."""
        ...

    def client_ids(self) -> list[str]:
        """Every client the desk has ever seen."""
        ...

    def has_client(self, client_id: str) -> bool:
        """Whether the desk has ever seen ``client_id`` (one index lookup)."""
        ...

    def client_count(self) -> int:
        """How many clients the desk has ever seen (one COUNT)."""
        ...

    def middle_client_id(self) -> str | None:
        """The id halfway through the clients in the store's own order (None: none),
        where :meth:`iter_client_states`'s ``from_id`` splits the desk in two."""
        ...

    def first_client_id(self) -> str | None:
        """The smallest client id (code-point order, as Python sorts), or None."""
        ...

    def locked_quantities(self) -> dict[str, dict[str, Decimal]]:
        """Quantities locked by pending redemptions: client id -> asset -> quantity."""
        ...


class AuditRepository(Protocol):
    """Append-only storage of audit entries, the log's head and its checkpoints."""

    def head(self) -> AuditHead | None:
        """The tip written by the last append (None for an empty log)."""
        ...

    def last(self) -> AuditRow | None:
        """The entry with the highest ``seq`` (None for an empty log)."""
        ...

    def append(self, row: AuditRow, new_head: AuditHead) -> None:
        """Add one entry and move the head, in the caller's transaction."""
        ...

    def entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after_seq: int | None = None,
        limit: int | None = None,
    ) -> list[AuditRow]:
        """Entries in ``seq`` order matching every given filter."""
        ...

    def iter_all(self) -> Iterator[AuditRow]:
        """Every entry in storage order, streamed (for verification)."""
        ...

    def high_water_mark(self) -> int | None:
        """The largest ``seq`` ever allocated, even if that row is gone."""
        ...

    def add_checkpoint(self, tree_size: int, root_hash: str, created_at: datetime) -> CheckpointRow:
        """Record the tree root over the first ``tree_size`` entries."""
        ...

    def checkpoints(self) -> list[CheckpointRow]:
        """Every checkpoint, smallest tree first."""
        ...

    def sign_checkpoint(
        self, checkpoint_id: int, statement: str, signature: str, signer: str
    ) -> None:
        """Attach a signature to an unsigned checkpoint (once)."""
        ...


class SettingsRepository(Protocol):
    """Small desk-wide settings (custodian id, environment, demo-loaded flag, ...)."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, at: datetime) -> None: ...


class Transaction(Protocol):
    """The repositories bound to one open transaction."""

    @property
    def snapshots(self) -> SnapshotRepository: ...

    @property
    def holdings(self) -> HoldingsRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def settings(self) -> SettingsRepository: ...

    @property
    def connection(self) -> Any:
        """The backend's connection (``sqlite3.Connection`` or the PostgreSQL adapter)."""
        ...

    def repository(self, factory: Callable[[Any], R]) -> R:
        """Bind another part's repository class to this transaction.

        ``factory`` receives the backend's native connection (``sqlite3.Connection``
        for SQLite), so each backend has its own repository classes.
        """
        ...


class Store(Protocol):
    """An open desk store."""

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        ...

    @property
    def location(self) -> str:
        """Where the store lives, for messages (a path or a DSN without secrets)."""
        ...

    @property
    def url(self) -> str:
        """The ``--store`` URL that opens this store again (another connection); it may
        carry credentials, so it is never shown: messages use :attr:`location`."""
        ...

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One use case: write lock, commit on success, roll back on any exception."""
        ...

    def read(self) -> AbstractContextManager[Transaction]:
        """A consistent read-only view."""
        ...

    def schema_version(self) -> int: ...

    def integrity_check(self) -> list[str]:
        """Problems found by the backend's own check; empty when healthy."""
        ...

    def backup(self, destination: Path) -> None:
        """Write a consistent copy to ``destination``; refuses to overwrite."""
        ...

    def close(self) -> None: ...
