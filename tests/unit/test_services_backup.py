"""Backup and restore as use cases, including with another desk holding the store open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.audit import AuditService
from app.services.backup import RestoreRefused, backup_store, restore_store
from app.services.demo import demo_snapshot_path
from app.services.holdings import HoldingsService
from app.store import open_store


def test_restore_under_a_running_desk_is_seen_by_it(tmp_path: Path) -> None:
    live = tmp_path / "desk.sqlite3"
    running = open_store(live)  # e.g. the GUI, left open throughout
    try:
        holdings = HoldingsService(running)
        holdings.import_file(demo_snapshot_path(), "cli:alice")
        backup_store(running, tmp_path / "backup.sqlite3", actor="cli:alice")
        later = json.loads(demo_snapshot_path().read_text())
        later["as_of"] = "2026-11-27T09:00:00Z"
        holdings.import_snapshot(holdings.parse(json.dumps(later)), "cli:alice")
        assert len(holdings.snapshots()) == 2

        kept = restore_store(tmp_path / "backup.sqlite3", live, actor="cli:bob")

        assert kept is not None and kept.is_file()
        assert len(holdings.snapshots()) == 1  # the running desk sees the restored store
        audit = AuditService(running)
        assert [e.action for e in audit.entries()] == ["snapshot.import", "store.restore"]
        audit.record("cli:alice", "work.continues", {})
        assert audit.verify().ok
        # Nothing is lost: the pre-restore store is kept whole beside it.
        previous = open_store(kept)
        try:
            assert len(HoldingsService(previous).snapshots()) == 2
            assert AuditService(previous).verify().ok
        finally:
            previous.close()
    finally:
        running.close()


def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RestoreRefused):
        restore_store(tmp_path / "absent.sqlite3", tmp_path / "desk.sqlite3", actor="cli:x")
    assert not (tmp_path / "desk.sqlite3").exists()
