"""Store file permissions and UTC times (security review 2026-11-26, docs/security.md)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.services.audit import AuditService
from app.services.backup import backup_store
from app.services.unit_of_work import unit_of_work
from app.store import open_store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> object:
    previous = os.umask(0o022)  # the usual default: files world-readable
    try:
        yield None
    finally:
        os.umask(previous)


def test_store_wal_and_backup_are_owner_only(tmp_path: Path, loose_umask: object) -> None:
    live = tmp_path / "desk" / "desk.sqlite3"
    store = open_store(live)
    try:
        AuditService(store).record("cli:alice", "test.write", {"n": 1})
        assert _mode(live) == 0o600
        wal = live.with_name(live.name + "-wal")
        if wal.exists():  # SQLite gives the WAL the main file's mode
            assert _mode(wal) == 0o600
        backup = tmp_path / "backups" / "desk-copy.sqlite3"
        backup_store(store, backup, actor="cli:alice")
        assert _mode(backup) == 0o600, "a backup holds the whole desk: owner-only"
    finally:
        store.close()


def test_an_aware_local_clock_is_stored_as_utc(tmp_path: Path) -> None:
    store = open_store(tmp_path / "desk.sqlite3")
    dubai = timezone(timedelta(hours=4))
    local = datetime(2026, 11, 26, 12, 0, tzinfo=dubai)
    try:
        with unit_of_work(store, clock=lambda: local) as uow:
            assert uow.now.utcoffset() == timedelta(0)
            assert uow.now == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
            uow.audit("cli:alice", "test.write", {})
        entry = AuditService(store).entries()[-1]
        assert entry.time == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
        with pytest.raises(ValueError, match="UTC-aware"), unit_of_work(
            store, clock=lambda: datetime(2026, 11, 26, 12, 0)
        ):
            pass
    finally:
        store.close()


def test_a_store_left_readable_by_others_is_tightened_on_open(tmp_path: Path) -> None:
    live = tmp_path / "desk.sqlite3"
    open_store(live).close()
    live.chmod(0o644)
    store = open_store(live)
    try:
        assert _mode(live) == 0o600
    finally:
        store.close()
