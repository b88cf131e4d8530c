"""The embedded SQLite store: connection settings, migrations, transactions, backup.

Durability settings, applied to every connection:

* ``journal_mode=WAL``: readers never block the writer; a crash leaves either the
  whole transaction or none of it.
* ``synchronous=FULL``: the WAL is fsynced at every commit, so a committed
  transaction survives power loss, not just a process crash.
* ``foreign_keys=ON`` and a busy timeout (another desk process may hold the lock).

A use case is ``with store.transaction() as tx: ...``: ``BEGIN IMMEDIATE`` on
entry, ``COMMIT`` when the block ends, ``ROLLBACK`` on any exception. The ``with``
statement returns only after ``COMMIT`` returned, which is when a service may
acknowledge anything.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from app.store.codec import time_to_text
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
from app.store.migrations import Migration, all_migrations
from app.store.sqlite_repos import (
    SqliteAuditRepository,
    SqliteHoldingsRepository,
    SqliteSettingsRepository,
    SqliteSnapshotRepository,
)

logger = logging.getLogger(__name__)

#: ``PRAGMA application_id`` of a desk store ("CDK1"), so a stray file is refused.
APPLICATION_ID = 0x43444B31
DEFAULT_BUSY_TIMEOUT_S = 10.0

R = TypeVar("R")


def map_sqlite_error(exc: sqlite3.Error) -> StoreError:
    """Translate a sqlite3 exception into the store's typed errors."""
    message = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        return ConstraintViolation(message)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in message:
        return StoreBusy(f"the store is busy (held by another process): {message}")
    if isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in message or "not a database" in message
    ):
        return StoreCorrupt(message)
    return StoreError(message)


class SqliteTransaction:
    """The repositories of one open SQLite transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.snapshots = SqliteSnapshotRepository(connection)
        self.holdings = SqliteHoldingsRepository(connection)
        self.audit = SqliteAuditRepository(connection)
        self.settings = SqliteSettingsRepository(connection)

    def repository(self, factory: Callable[[sqlite3.Connection], R]) -> R:
        """Bind another part's SQLite repository class to this transaction."""
        return factory(self.connection)


def _split_statements(sql: str) -> Iterator[str]:
    """Split a script into statements (trigger bodies stay whole)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip():
        if not sqlite3.complete_statement(buffer + ";"):
            raise MigrationFailed(f"incomplete SQL statement: {buffer.strip()[:60]}")
        if not all(line.strip().startswith("--") for line in buffer.strip().splitlines()):
            yield buffer


class SqliteStore:
    """A desk store in one SQLite file. Thread-safe: one connection behind a lock."""

    dialect = "sqlite"

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        migrations: tuple[Migration, ...] | None = None,
        restrict_folder: bool = True,
    ) -> None:
        self._path = path
        self._lock = threading.RLock()
        self._in_transaction = False
        self._migrations = all_migrations() if migrations is None else migrations
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if restrict_folder:  # the desk's own folder; not one the user named for the file
            _restrict_folder(path.parent)
        created = _create_private(path)
        try:
            self._db = sqlite3.connect(
                path,
                timeout=busy_timeout_s,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise map_sqlite_error(exc) from exc
        _restrict_permissions(path, created=created)
        self._db.row_factory = sqlite3.Row
        try:
            self._configure(busy_timeout_s)
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise map_sqlite_error(exc) from exc
        except BaseException:
            self._db.close()
            raise

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def url(self) -> str:
        from app.store.url import sqlite_url  # url.py opens stores: imported when asked

        return sqlite_url(self._path)

    def _configure(self, busy_timeout_s: float) -> None:
        db = self._db
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        if application_id not in (0, APPLICATION_ID):
            raise StoreCorrupt(
                f"{self._path} is not a desk store (application_id {application_id})"
            )
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            # WAL needs shared memory: network file systems refuse it.
            raise StoreError(f"cannot enable WAL on {self._path} (got {mode}); use a local disk")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")

    # -- schema -------------------------------------------------------------

    def schema_version(self) -> int:
        with self._lock:
            return self._current_version()

    def _current_version(self) -> int:
        exists = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if exists is None:
            return 0
        row = self._db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        latest = len(self._migrations)
        with self._lock:
            current = self._current_version()
            if current > latest:
                raise SchemaTooNew(
                    f"the store is at schema v{current}, newer than this desk (v{latest}); "
                    "upgrade the desk"
                )
            if current == latest:
                return  # the common case: no write lock needed to open the store
            for migration in self._migrations:
                # Each step in its own IMMEDIATE transaction, version re-read under the
                # lock, so two desks opening the same store never apply a step twice.
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    if self._current_version() == 0:
                        self._require_empty()
                    current = self._current_version()
                    if current > latest:
                        raise SchemaTooNew(
                            f"the store is at schema v{current}, newer than this desk "
                            f"(v{latest}); upgrade the desk"
                        )
                    if migration.version <= current:
                        self._db.execute("ROLLBACK")
                        continue
                    self._apply(migration)
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
                logger.info(
                    "store %s migrated to v%d (%s)", self._path, migration.version, migration.name
                )

    def _require_empty(self) -> None:
        tables = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        if tables:
            raise StoreCorrupt(f"{self._path} holds tables but is not a desk store")

    def _apply(self, migration: Migration) -> None:
        try:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for statement in _split_statements(migration.sql):
                self._db.execute(statement)
            if migration.after is not None:  # a data step, same transaction
                migration.after(SqliteTransaction(self._db))
            self._db.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, time_to_text(datetime.now(UTC))),
            )
            self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._db.execute(f"PRAGMA user_version = {migration.version}")
        except sqlite3.Error as exc:
            raise MigrationFailed(
                f"migration v{migration.version} ({migration.name}) failed: {exc}"
            ) from exc

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[SqliteTransaction]:
        with self._scope("BEGIN IMMEDIATE") as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[SqliteTransaction]:
        with self._scope("BEGIN DEFERRED", read_only=True) as tx:
            yield tx

    @contextmanager
    def _scope(self, begin: str, *, read_only: bool = False) -> Iterator[SqliteTransaction]:
        with self._lock:
            if self._in_transaction:
                raise NestedTransaction("a use case is already running a transaction")
            self._in_transaction = True
            try:
                try:
                    self._db.execute(begin)
                except sqlite3.Error as exc:
                    raise map_sqlite_error(exc) from exc
                try:
                    yield SqliteTransaction(self._db)
                except sqlite3.Error as exc:
                    self._rollback()
                    raise map_sqlite_error(exc) from exc
                except BaseException:
                    self._rollback()
                    raise
                if read_only:
                    self._rollback()
                    return
                try:
                    self._db.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    raise map_sqlite_error(exc) from exc
            finally:
                self._in_transaction = False

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                logger.exception("rollback failed on %s", self._path)

    # -- maintenance --------------------------------------------------------

    def integrity_check(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("PRAGMA integrity_check").fetchall()
            problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
            problems += [
                f"foreign key: {row[0]} row {row[1]} -> {row[2]}"
                for row in self._db.execute("PRAGMA foreign_key_check").fetchall()
            ]
            return problems

    def backup(self, destination: Path) -> None:
        """Copy the store with the online backup API into a new single file.

        Written to a temporary file beside ``destination``, checked, fsynced, then
        linked into place so an existing file is never overwritten, even in a race.
        """
        if destination.exists():
            raise BackupError(f"{destination} already exists; refusing to overwrite it")
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
        partial.unlink(missing_ok=True)
        try:
            _create_private(partial)  # a backup holds everything: owner-only from the start
            target = sqlite3.connect(partial, isolation_level=None)
            try:
                with self._lock:
                    self._db.backup(target)
                # A self-contained file: no -wal beside the backup.
                target.execute("PRAGMA journal_mode = DELETE")
                check = target.execute("PRAGMA integrity_check").fetchone()[0]
                if check != "ok":
                    raise BackupError(f"the backup copy failed its integrity check: {check}")
            finally:
                target.close()
            publish_new_file(partial, destination)
        except sqlite3.Error as exc:
            raise BackupError(f"backup to {destination} failed: {exc}") from exc
        finally:
            partial.unlink(missing_ok=True)

    def restore_from(self, source: Path) -> None:
        """Replace this store's whole content with the desk store at ``source``.

        Uses the backup API into the live connection, so other processes that have
        the store open see the change as one transaction (no file is swapped under
        them). ``source`` must pass :func:`check_store_file` first; the schema is
        migrated forward afterwards if the backup is older.
        """
        check_store_file(source, latest_version=len(self._migrations))
        uri = f"{source.resolve().as_uri()}?mode=ro"
        try:
            origin = sqlite3.connect(uri, uri=True)
            try:
                with self._lock:
                    if self._in_transaction:
                        raise NestedTransaction("cannot restore inside a transaction")
                    origin.backup(self._db)
            finally:
                origin.close()
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.Error as exc:
            raise BackupError(f"restore from {source} failed: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()


def check_store_file(path: Path, *, latest_version: int) -> int:
    """Check, read-only, that ``path`` is a healthy desk store; returns its schema version."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            if application_id != APPLICATION_ID:
                raise BackupError(f"{path} is not a desk store")
            check = db.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{path} fails its integrity check: {check}")
            version = int(db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} is not a readable desk store: {exc}") from exc
    if version > latest_version:
        raise SchemaTooNew(f"{path} is at schema v{version}, newer than this desk")
    return version


def publish_new_file(partial: Path, destination: Path) -> None:
    """fsync ``partial`` and link it into place as ``destination``, never overwriting."""
    _fsync_file(partial)
    try:
        os.link(partial, destination)  # fails if destination appeared meanwhile
    except FileExistsError as exc:
        raise BackupError(f"{destination} already exists; refusing to overwrite") from exc
    except OSError:
        if destination.exists():
            raise BackupError(f"{destination} already exists") from None
        os.replace(partial, destination)  # file systems without hard links
    _fsync_dir(destination.parent)


def _create_private(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; True if it was created.

    SQLite would create the file with the process umask (often world-readable)
    and its ``-wal``/``-shm`` files copy the main file's mode, so the file is
    made owner-only before SQLite ever writes a page into it.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    except OSError:  # unwritable place: let SQLite report it as a typed store error
        return False
    os.close(fd)
    return True


def _restrict_folder(folder: Path) -> None:
    """The store's own folder is owner-only: an existing 0755 one is tightened.

    Only a folder the desk's user owns and that is not a shared sticky folder
    (``/tmp``) is touched."""
    if os.name != "posix":
        return
    try:
        info = folder.stat()
        mode = stat.S_IMODE(info.st_mode)
        if info.st_uid == os.getuid() and not mode & stat.S_ISVTX and mode & 0o077:
            folder.chmod(mode & 0o700 | 0o700)
            logger.warning("%s was open to other users; now owner-only (0700)", folder)
    except OSError:  # best effort
        logger.debug("could not restrict permissions of %s", folder)


def _restrict_permissions(path: Path, *, created: bool) -> None:
    """Owner-only store, WAL and shared-memory files (a store made by hand is tightened)."""
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if stat.S_IMODE(part.stat().st_mode) & 0o077:
                if not created:
                    logger.warning("%s was readable by others; now owner-only", part)
                part.chmod(0o600)
        except FileNotFoundError:
            continue
        except OSError:  # best effort (e.g. Windows ACLs)
            logger.debug("could not restrict permissions of %s", part)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_store(path: Path | str, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> SqliteStore:
    """Open (creating and migrating if needed) the SQLite store at ``path``."""
    return SqliteStore(Path(path), busy_timeout_s=busy_timeout_s)
