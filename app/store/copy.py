"""Copying a whole desk between backends: ``store migrate --to``, PostgreSQL backup and restore.

One engine for the three: every table's rows are read inside one read transaction of
the source (a consistent snapshot on both engines) and written inside one write
transaction of the target, parents before children (foreign keys), in the text
form both engines accept (decimal text into NUMERIC, UTC text into TIMESTAMPTZ).
Identity sequences on PostgreSQL are moved past the copied ids. Nothing is
written on failure: the target transaction rolls back.

Afterwards :func:`prove_copy` shows it is the same desk: the same row count in
every table, the audit chain verifies on the target, and both heads (size, last
hash, tree root) are equal.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.store.errors import BackupError, StoreError
from app.store.interface import Store

logger = logging.getLogger(__name__)

#: Tables the copy leaves alone: each store keeps its own migration history.
_SKIPPED = frozenset({"schema_version", "sqlite_sequence"})
#: The audit tables, whose guards must be lifted by the owner to *replace* content.
AUDIT_TABLES = ("audit_entries", "audit_checkpoints", "audit_head")
_BATCH = 5000


class CopyRefused(StoreError):
    """The target is not empty, or the two stores are at different schema versions."""


@dataclass(frozen=True, slots=True)
class CopyProof:
    """What :func:`prove_copy` checked."""

    counts: dict[str, int]
    source_head: tuple[int, str, str]
    target_head: tuple[int, str, str]
    target_verifies: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _sqlite_side(source: Store, target: Store) -> Store:
    for store in (target, source):
        if getattr(store, "dialect", "sqlite") == "sqlite":
            return store
    raise CopyRefused("copying between two PostgreSQL stores: use pg_dump/pg_restore")


def table_order(store: Store) -> list[str]:
    """Every desk table, each after the tables it references (SQLite's catalog)."""
    with store.read() as tx:
        db: Any = tx.connection
        names = [
            str(row[0])
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if str(row[0]) not in _SKIPPED and not str(row[0]).startswith("sqlite_")
        ]
        parents = {
            name: {str(r[2]) for r in db.execute(f"PRAGMA foreign_key_list({name})")} - {name}
            for name in names
        }
    ordered: list[str] = []
    pending = dict(parents)
    while pending:
        ready = sorted(name for name, deps in pending.items() if deps <= set(ordered))
        if not ready:
            raise CopyRefused(f"foreign keys form a cycle among {sorted(pending)}")
        ordered += ready
        for name in ready:
            del pending[name]
    return ordered


def row_counts(store: Store, tables: list[str]) -> dict[str, int]:
    with store.read() as tx:
        db: Any = tx.connection
        return {t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}


def copy_store(source: Store, target: Store, *, replace: bool = False) -> dict[str, int]:
    """Copy every row of ``source`` into ``target``; returns rows copied per table.

    ``replace=False`` refuses a target that holds any row (``store migrate``);
    ``replace=True`` empties the target first in the same transaction (restore;
    on PostgreSQL that needs the owner role, which may lift the audit guards).
    """
    if source.schema_version() != target.schema_version():
        raise CopyRefused(
            f"schema versions differ: source v{source.schema_version()}, "
            f"target v{target.schema_version()}"
        )
    tables = table_order(_sqlite_side(source, target))
    copied: dict[str, int] = {}
    target_pg = getattr(target, "dialect", "sqlite") == "postgresql"
    with source.read() as src, target.transaction() as dst:
        src_db: Any = src.connection
        dst_db: Any = dst.connection
        held = {t: int(dst_db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
        if any(held.values()) and not replace:
            busy = ", ".join(f"{t} ({n})" for t, n in held.items() if n)
            raise CopyRefused(f"the target store is not empty: {busy}")
        if replace and any(held.values()):
            _empty(dst_db, tables, postgres=target_pg)
        if not target_pg:
            dst_db.execute("PRAGMA defer_foreign_keys = ON")
        for table in tables:
            cursor = src_db.execute(f"SELECT * FROM {table}")
            columns = [c[0] for c in cursor.description]
            marks = ", ".join("?" for _ in columns)
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            count = 0
            while batch := cursor.fetchmany(_BATCH):
                dst_db.executemany(insert, [tuple(row) for row in batch])
                count += len(batch)
            copied[table] = count
        if target_pg:
            _advance_identities(dst_db, tables)
    logger.info("copied %d rows from %s to %s", sum(copied.values()), source.location,
                target.location)
    return copied


def _empty(db: Any, tables: list[str], *, postgres: bool) -> None:
    if postgres:
        for table in AUDIT_TABLES:
            db.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        db.execute(f"TRUNCATE {', '.join(tables)}")
        for table in AUDIT_TABLES:
            db.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    raise CopyRefused("replacing a SQLite store's content is SqliteStore.restore_from's job")


def _advance_identities(db: Any, tables: list[str]) -> None:
    for table in tables:
        if table in db.identity_tables:
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 1),"
                f" (SELECT MAX(id) FROM {table}) IS NOT NULL)"
            )


def _head(store: Store) -> tuple[int, str, str]:
    from app.services.audit_log import head_root

    with store.read() as tx:
        head = tx.audit.head()
    if head is None:
        return (0, "", "")
    return (head.size, head.last_hash, head_root(head).hex())


def prove_copy(source: Store, target: Store) -> CopyProof:
    """Same row counts, the audit chain verifies on the target, heads equal."""
    from app.services.audit import AuditService

    tables = table_order(_sqlite_side(source, target))
    want, got = row_counts(source, tables), row_counts(target, tables)
    problems = [f"{t}: {want[t]} rows in the source, {got[t]} in the target"
                for t in tables if want[t] != got[t]]
    report = AuditService(target).verify()
    problems += [f"audit verify on the target: {c.line()}" for c in report.checks if not c.ok]
    source_head, target_head = _head(source), _head(target)
    if source_head != target_head:
        problems.append(f"audit heads differ: source {source_head}, target {target_head}")
    return CopyProof(got, source_head, target_head, report.ok, tuple(problems))


@contextmanager
def _private_partial(destination: Path) -> Iterator[Path]:
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        yield partial
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def backup_to_sqlite(store: Store, destination: Path) -> None:
    """Write ``store`` (a PostgreSQL desk) as a new, self-contained SQLite store file.

    The file is owner-only from its creation (like SQLite backups), written beside
    ``destination``, checked, fsynced and linked into place so nothing is overwritten.
    The restore path and ``backup verify`` read it like any SQLite backup.
    """
    from app.store.sqlite_store import SqliteStore, publish_new_file

    if destination.exists():
        raise BackupError(f"{destination} already exists; refusing to overwrite it")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with _private_partial(destination) as partial:
        copy = SqliteStore(partial)
        try:
            copy_store(store, copy)
        except StoreError as exc:
            raise BackupError(f"backup of {store.location} failed: {exc}") from exc
        finally:
            copy.close()
        db = sqlite3.connect(partial, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = DELETE")  # no -wal beside the backup
            check = db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()
        if check != "ok":
            raise BackupError(f"the backup copy failed its integrity check: {check}")
        publish_new_file(partial, destination)
