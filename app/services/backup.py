"""Backup and restore of the desk store as use cases.

API::

    backup_store(store, Path("desk-2026-11-26.sqlite3"), actor="cli:alice")
    kept = restore_store(Path("desk-2026-11-26.sqlite3"), live_path, actor="cli:alice")

A backup is a consistent single-file copy made with SQLite's online backup API
(the desk can keep running); it never overwrites a file. A restore first checks the
backup (integrity, desk store, schema, audit chain and checkpoints all verify on a
scratch copy) and that it is *this* desk's store (same desk identity, same first
audit entry, and a checkpoint history that agrees with the live store's: every
checkpoint either side took over a prefix both hold has the same root), then saves
the current store beside it as
``desk.sqlite3.before-restore-<UTC time>``, then copies the backup into the live
store in one transaction and audits the restore in the restored log.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.services import session_guard
from app.services.audit import AuditService
from app.services.audit_anchor import Anchor, check_anchor
from app.services.desk_identity import DeskIdentity, desk_identity
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store import StoreError, open_store
from app.store.interface import Store
from app.store.migrations import all_migrations
from app.store.records import AuditRow, CheckpointRow
from app.store.sqlite_store import SqliteStore, check_store_file

logger = logging.getLogger(__name__)


class RestoreRefused(StoreError):
    """The backup is not one the desk will restore (damaged, tampered, newer, another desk)."""


@dataclass(frozen=True)
class _Trail:
    """What a store says it is: its identity, its audit entries, its checkpoints."""

    identity: DeskIdentity
    entries: list[AuditRow]
    checkpoints: list[CheckpointRow]


def _trail(store: Store) -> _Trail:
    identity = desk_identity(store)
    with store.read() as tx:
        return _Trail(identity, list(tx.audit.iter_all()), tx.audit.checkpoints())


def _refuse_another_desk(backup: Path, theirs: _Trail, ours: _Trail) -> None:
    """The backup must be this desk's: identity, first entry, agreeing checkpoints."""
    if (theirs.identity.custodian_id, theirs.identity.exchange_id, theirs.identity.env) != (
        ours.identity.custodian_id, ours.identity.exchange_id, ours.identity.env
    ):
        raise RestoreRefused(
            f"{backup} is another desk's store ({theirs.identity.custodian_id}/"
            f"{theirs.identity.exchange_id}/{theirs.identity.env}, this desk is "
            f"{ours.identity.custodian_id}/{ours.identity.exchange_id}/{ours.identity.env})"
        )
    if theirs.entries and ours.entries and (
        theirs.entries[0].entry_hash != ours.entries[0].entry_hash
    ):
        raise RestoreRefused(
            f"{backup} is another desk's store: its audit trail starts with another entry"
        )
    for holder, other, label in ((ours, theirs, "this desk's"), (theirs, ours, "the backup's")):
        for row in holder.checkpoints:
            if row.tree_size > len(other.entries):
                continue
            anchor = Anchor(row.tree_size, row.root_hash, f"checkpoint #{row.id}")
            if not check_anchor(other.entries, anchor, ours.identity).ok:
                raise RestoreRefused(
                    f"{backup}: the checkpoint history differs ({label} checkpoint "
                    f"#{row.id} at size {row.tree_size} is not the other trail's)"
                )


def backup_store(store: Store, destination: Path, *, actor: str, clock: Clock = utc_now) -> None:
    """Write a backup, then audit that it was taken (the copy holds the log up to before)."""
    store.backup(destination)
    with unit_of_work(store, clock=clock) as uow:
        uow.audit(actor, "store.backup", {"destination": destination.name})


def restore_store(
    backup: Path, live_path: Path, *, actor: str, clock: Clock = utc_now
) -> Path | None:
    """Replace the store at ``live_path`` with ``backup``; returns where the old one was kept."""
    theirs = _check_backup(backup)
    store = open_store(live_path)
    try:
        return _restore(
            backup, theirs, store, live_path.parent, live_path.name, actor=actor, clock=clock
        )
    finally:
        store.close()


def restore_store_into(
    backup: Path,
    store: Store,
    *,
    keep_dir: Path,
    actor: str,
    clock: Clock = utc_now,
    name: str = "desk.sqlite3",
) -> Path | None:
    """:func:`restore_store` into an open store (a shared PostgreSQL desk, or the
    window's own SQLite store, whose officer's session is bound to that store).

    The current content is first saved as a SQLite backup ``name.before-restore-…`` in
    ``keep_dir``; the restore is one transaction (other workstations and connections
    see the old desk or the restored one, never half of it).
    """
    theirs = _check_backup(backup)
    return _restore(backup, theirs, store, keep_dir, name, actor=actor, clock=clock)


def _check_backup(backup: Path) -> _Trail:
    try:
        check_store_file(backup, latest_version=len(all_migrations()))
    except StoreError as exc:
        raise RestoreRefused(str(exc)) from exc
    return _verify_copy(backup)


def _restore(
    backup: Path, theirs: _Trail, store: Store, keep_dir: Path, name: str, *, actor: str,
    clock: Clock,
) -> Path | None:
    kept: Path | None = None
    officer = session_guard.officer_of(actor)
    acting: session_guard.LiveSession | None = None
    with store.read() as tx:
        has_data = tx.audit.head() is not None or bool(tx.snapshots.list())
        if officer is not None:  # an officer restores only while signed in (before it)
            acting = session_guard.require(
                tx, session_guard.snapshot(store), officer, clock()
            )
    if has_data:
        _refuse_another_desk(backup, theirs, _trail(store))
        stamp = clock().strftime("%Y%m%dT%H%M%SZ")
        kept = keep_dir / f"{name}.before-restore-{stamp}"
        n = 1
        while kept.exists():  # two restores within a second: keep both copies
            n += 1
            kept = keep_dir / f"{name}.before-restore-{stamp}-{n}"
        store.backup(kept)
    restore_from = getattr(store, "restore_from", None)
    if restore_from is None:
        raise RestoreRefused(f"{store.location} cannot be restored into")
    restore_from(backup)
    with unit_of_work(store, clock=clock) as uow:
        # attributed to the session checked above: the restored store may not hold it
        uow.audit(
            actor,
            "store.restore",
            {"source": backup.name, "previous_kept_as": kept.name if kept else None},
            session=acting,
        )
    logger.info("restored %s into %s", backup, store.location)
    return kept


def _verify_copy(backup: Path) -> _Trail:
    with tempfile.TemporaryDirectory(prefix="desk-restore-") as scratch:
        copy = Path(scratch) / "check.sqlite3"
        copy.touch(mode=0o600)  # a copy of the desk: owner-only like the original
        shutil.copyfile(backup, copy)
        store: SqliteStore = open_store(copy)
        try:
            report = AuditService(store).verify()
            trail = _trail(store)
        finally:
            store.close()
    if not report.ok:
        failed = next(check for check in report.checks if not check.ok)
        raise RestoreRefused(f"{backup} audit log does not verify: {failed.line()}")
    return trail
