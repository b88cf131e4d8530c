"""The shared store on PostgreSQL (psycopg 3): connection, migrations, transactions.

Several workstations open the same database. The contract is the SQLite one
(:mod:`app.store.interface`), kept across processes and machines by the server:

* :meth:`PgStore.transaction` is ``BEGIN`` (READ COMMITTED) followed at once by
  ``pg_advisory_xact_lock(DESK_WRITE_LOCK)``: every write use case of every
  workstation runs one at a time, like SQLite's ``BEGIN IMMEDIATE``. A use case
  reads its precondition *after* it holds the lock (READ COMMITTED takes a fresh
  snapshot per statement), so "already signed", "already executed", "last slot
  taken", the next sequence number and the audit head are re-checked against
  every commit of every other workstation, with no retry loop. The lock goes with
  the transaction (commit, rollback, or a workstation killed mid-way: the server
  rolls back and frees it).
* :meth:`PgStore.read` is ``REPEATABLE READ READ ONLY``: one consistent snapshot.
* Each write transaction ends with ``pg_notify('custody_desk', ...)`` so other
  windows reload (:mod:`app.store.pg_listen`); PostgreSQL delivers it only on commit.
* A lost connection raises :class:`~app.store.errors.StoreUnavailable`; the next
  use reconnects with back-off. When the connection broke during ``COMMIT`` the
  outcome is unknown and the message says so.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from app.store.codec import time_to_text
from app.store.errors import (
    ConstraintViolation,
    MigrationFailed,
    NestedTransaction,
    SchemaTooNew,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
)
from app.store.migrations import Migration, all_migrations
from app.store.pg_connection import PgConnection, configure_adapters
from app.store.pg_roles import GuardReport, audit_guards
from app.store.sqlite_repos import (
    SqliteAuditRepository,
    SqliteHoldingsRepository,
    SqliteSettingsRepository,
    SqliteSnapshotRepository,
)

logger = logging.getLogger(__name__)

R = TypeVar("R")

#: Key of the advisory lock every write transaction takes ("CDK1" as in SQLite).
DESK_WRITE_LOCK = 0x43444B31
#: Key of the advisory lock a migration takes (distinct: a migration is DDL).
DESK_MIGRATION_LOCK = 0x43444B32
#: The channel other windows LISTEN on.
NOTIFY_CHANNEL = "custody_desk"
#: Seconds between reconnect attempts (then the last one repeated).
RECONNECT_BACKOFF_S = (0.1, 0.3, 1.0, 2.0)
DEFAULT_CONNECT_TIMEOUT_S = 10


def redact_url(url: str) -> str:
    """The URL without its password, for messages and the status bar."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unparsable URL)"
    host = params.get("host") or "localhost"
    port = params.get("port")
    user = params.get("user")
    dbname = params.get("dbname") or user or ""
    where = f"{host}:{port}" if port else str(host)
    who = f"{user}@" if user else ""
    ssl = params.get("sslmode")
    suffix = f"?sslmode={ssl}" if ssl else ""
    return f"postgresql://{who}{where}/{dbname}{suffix}"


def map_pg_error(exc: psycopg.Error, *, committing: bool = False) -> StoreError:
    """Translate a psycopg exception into the store's typed errors."""
    message = str(exc).strip()
    if isinstance(exc, psycopg.IntegrityError):
        return ConstraintViolation(message)
    if isinstance(exc, pg_errors.RaiseException | pg_errors.InsufficientPrivilege):
        return ConstraintViolation(message)
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        if committing:
            return StoreUnavailable(
                "the connection to the database broke while committing: the change may or may "
                f"not have been saved; reload before trying again ({message})"
            )
        return StoreUnavailable(f"the database is unreachable; nothing was saved ({message})")
    if isinstance(exc, psycopg.DataError):
        return ConstraintViolation(message)
    return StoreError(message)


class PgTransaction:
    """The repositories of one open PostgreSQL transaction."""

    def __init__(self, connection: PgConnection) -> None:
        self.connection = connection
        db: Any = connection  # the repositories are typed for sqlite3; the adapter fits
        self.snapshots = SqliteSnapshotRepository(db)
        self.holdings = SqliteHoldingsRepository(db)
        self.audit = SqliteAuditRepository(db)
        self.settings = SqliteSettingsRepository(db)

    def repository(self, factory: Callable[[Any], R]) -> R:
        """Bind another part's repository class to this transaction."""
        return factory(self.connection)


class PgStore:
    """A desk store in a PostgreSQL database. Thread-safe: one connection behind a lock."""

    dialect = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        migrations: tuple[Migration, ...] | None = None,
        migrate: bool = True,
        connect_timeout_s: int = DEFAULT_CONNECT_TIMEOUT_S,
    ) -> None:
        self._url = url
        self._connect_timeout_s = connect_timeout_s
        self._lock = threading.RLock()
        self._in_transaction = False
        self._migrations = all_migrations() if migrations is None else migrations
        self._raw: psycopg.Connection[Any] | None = None
        self._identity: frozenset[str] = frozenset()
        self._connect_once()
        if migrate:
            self._migrate()
        self._identity = self._identity_tables()

    # -- connection ---------------------------------------------------------

    @property
    def location(self) -> str:
        return redact_url(self._url)

    @property
    def url(self) -> str:
        return self._url

    def _connect_once(self) -> psycopg.Connection[Any]:
        params = conninfo_to_dict(self._url)
        extra: dict[str, Any] = {}
        if "connect_timeout" not in params:
            extra["connect_timeout"] = self._connect_timeout_s
        if "application_name" not in params:
            extra["application_name"] = "custody-desk"
        try:
            raw = psycopg.connect(make_conninfo(self._url, **extra), autocommit=True)
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot connect to {self.location}: {exc}") from exc
        raw.execute("SET TIME ZONE 'UTC'")
        configure_adapters(raw)
        self._raw = raw
        return raw

    def _connection(self) -> psycopg.Connection[Any]:
        """The live connection, reconnecting with back-off when it was lost."""
        raw = self._raw
        if raw is not None and not raw.closed and not raw.broken:
            return raw
        if raw is not None:
            logger.warning("connection to %s lost; reconnecting", self.location)
        last: StoreUnavailable | None = None
        for delay in (0.0, *RECONNECT_BACKOFF_S):
            time.sleep(delay)
            try:
                return self._connect_once()
            except StoreUnavailable as exc:
                last = exc
        assert last is not None
        raise last

    def _wrap(self) -> PgConnection:
        return PgConnection(self._connection(), self._identity)

    def _identity_tables(self) -> frozenset[str]:
        rows = self._connection().execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
            " AND is_identity = 'YES' AND table_schema = current_schema()"
        ).fetchall()
        return frozenset(str(row[0]) for row in rows)

    # -- schema -------------------------------------------------------------

    def schema_version(self) -> int:
        with self._lock:
            return self._current_version(self._connection())

    @staticmethod
    def _current_version(raw: psycopg.Connection[Any]) -> int:
        exists = raw.execute("SELECT to_regclass('schema_version')").fetchone()
        if exists is None or exists[0] is None:
            return 0
        row = raw.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0) if row else 0

    def _migrate(self) -> None:
        latest = len(self._migrations)
        with self._lock:
            raw = self._connection()
            current = self._current_version(raw)
            if current > latest:
                raise SchemaTooNew(
                    f"the store is at schema v{current}, newer than this desk (v{latest}); "
                    "upgrade the desk"
                )
            if current == latest:
                return
            for migration in self._migrations:
                try:
                    with raw.transaction():
                        raw.execute("SELECT pg_advisory_xact_lock(%s)", (DESK_MIGRATION_LOCK,))
                        current = self._current_version(raw)
                        if current == 0:
                            self._require_empty(raw)
                        if current > latest:
                            raise SchemaTooNew(
                                f"the store is at schema v{current}, newer than this desk "
                                f"(v{latest}); upgrade the desk"
                            )
                        if migration.version <= current:
                            continue
                        self._apply(raw, migration)
                        if migration.after is not None:  # a data step, same transaction
                            migration.after(
                                PgTransaction(PgConnection(raw, self._identity_tables()))
                            )
                except psycopg.Error as exc:
                    raise MigrationFailed(
                        f"migration v{migration.version} ({migration.name}) failed on "
                        f"{self.location}: {exc}"
                    ) from exc
                logger.info(
                    "store %s migrated to v%d (%s)", self.location, migration.version,
                    migration.name,
                )

    def _require_empty(self, raw: psycopg.Connection[Any]) -> None:
        row = raw.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name <> 'schema_version'"
        ).fetchone()
        if row and int(row[0]):
            raise StoreCorrupt(f"{self.location} holds tables but is not a desk store")

    @staticmethod
    def _apply(raw: psycopg.Connection[Any], migration: Migration) -> None:
        raw.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        raw.execute(migration.sql_for("postgresql").encode())
        raw.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, %s)",
            (migration.version, migration.name, time_to_text(datetime.now(UTC))),
        )

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[PgTransaction]:
        with self._scope(write=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[PgTransaction]:
        with self._scope(write=False) as tx:
            yield tx

    @contextmanager
    def _scope(self, *, write: bool) -> Iterator[PgTransaction]:
        with self._lock:
            if self._in_transaction:
                raise NestedTransaction("a use case is already running a transaction")
            self._in_transaction = True
            try:
                try:
                    connection = self._wrap()
                    raw = connection.raw
                    if write:
                        raw.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                        raw.execute("SELECT pg_advisory_xact_lock(%s)", (DESK_WRITE_LOCK,))
                    else:
                        raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                except psycopg.Error as exc:
                    self._rollback()
                    raise map_pg_error(exc) from exc
                try:
                    try:
                        yield PgTransaction(connection)
                    finally:  # a stream left unread would hold the connection
                        connection.end_streams()
                except psycopg.Error as exc:
                    self._rollback()
                    raise map_pg_error(exc) from exc
                except BaseException:
                    self._rollback()
                    raise
                if not write:
                    self._rollback()
                    return
                try:
                    raw.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, "changed"))
                except psycopg.Error as exc:
                    self._rollback()
                    raise map_pg_error(exc) from exc
                try:
                    raw.execute("COMMIT")
                except psycopg.Error as exc:
                    self._rollback()
                    raise map_pg_error(exc, committing=True) from exc
            finally:
                self._in_transaction = False

    def _rollback(self) -> None:
        raw = self._raw
        if raw is None or raw.closed or raw.broken:
            return
        try:
            raw.execute("ROLLBACK")
        except psycopg.Error:
            logger.exception("rollback failed on %s", self.location)

    # -- maintenance --------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """Constraints left unvalidated (PostgreSQL checks every row on write)."""
        with self._lock:
            rows = self._connection().execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint"
                " WHERE NOT convalidated AND connamespace = current_schema()::regnamespace"
            ).fetchall()
            return [f"constraint {row[1]} on {row[0]} is not validated" for row in rows]

    def audit_guards(self) -> GuardReport:
        """Whether the triggers and this role's grants keep the audit log append-only."""
        with self._lock:
            return audit_guards(self._connection())

    def backup(self, destination: Path) -> None:
        """A consistent copy of the whole desk as a new SQLite store file (owner-only).

        Read in one REPEATABLE READ snapshot while the desk keeps running; the file
        is what ``restore`` and ``backup verify`` read on either backend.
        """
        from app.store.copy import backup_to_sqlite

        backup_to_sqlite(self, destination)

    def restore_from(self, source: Path) -> None:
        """Replace the whole content with the SQLite desk backup at ``source``.

        One transaction: other workstations see the old desk or the new one. Needs
        the owner role (the audit guards are lifted for the TRUNCATE only).
        ``source`` is opened through a scratch copy (opening migrates a file).
        """
        import shutil
        import tempfile

        from app.store.copy import copy_store
        from app.store.sqlite_store import SqliteStore, check_store_file

        check_store_file(source, latest_version=len(self._migrations))
        with tempfile.TemporaryDirectory(prefix="desk-restore-") as scratch:
            copy_path = Path(scratch) / "source.sqlite3"
            copy_path.touch(mode=0o600)  # a copy of the desk: owner-only like the original
            shutil.copyfile(source, copy_path)
            origin = SqliteStore(copy_path, migrations=self._migrations)
            try:
                copy_store(origin, self, replace=True)
            finally:
                origin.close()

    def close(self) -> None:
        with self._lock:
            if self._raw is not None:
                self._raw.close()
                self._raw = None


def open_pg_store(url: str, **kwargs: Any) -> PgStore:
    """Open (migrating if needed) the PostgreSQL store at ``url`` (libpq URL)."""
    return PgStore(url, **kwargs)
