"""The audit trail: appended with each change, and every kind of tampering is caught."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.rfc6962 import leaf_hash, root_of
from app.services.audit import AuditService
from app.services.audit_chain_adapter import compute_entry_hash
from app.services.audit_log import AuditLogDamaged, extend_frontier, frontier_root
from app.services.unit_of_work import unit_of_work
from app.store import open_store
from app.store.interface import Store
from app.store.sqlite_store import SqliteStore

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def ticking_clock() -> Iterator[datetime]:
    moment = START
    while True:
        yield moment
        moment += timedelta(seconds=1)


def write_ten(store: Store) -> None:
    """10 audited writes, checkpoints at 4 and 8 entries."""
    clock = ticking_clock()
    for n in range(1, 11):
        with unit_of_work(store, clock=lambda: next(clock), checkpoint_every=4) as uow:
            uow.tx.settings.put("n", str(n), uow.now)
            uow.audit(f"cli:{'alice' if n % 2 else 'bob'}", "test.write", {"n": n})


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    """A SQLite store with 10 audited writes (the tampering tests edit the file)."""
    path = tmp_path / "desk.sqlite3"
    store = open_store(path)
    write_ten(store)
    store.close()
    return path


@pytest.fixture
def log_store(any_store: Store) -> Store:
    """The same 10 audited writes, on each backend."""
    write_ten(any_store)
    return any_store


def verify(path: Path) -> dict[str, bool]:
    store = open_store(path)
    try:
        report = AuditService(store).verify()
    finally:
        store.close()
    return {check.name: check.ok for check in report.checks}


def tamper(path: Path, *statements: str) -> None:
    """Edit the file the way an attacker with the sqlite3 shell would."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for trigger in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            db.execute(f"DROP TRIGGER {trigger[0]}")
        for statement in statements:
            db.execute(statement)
    finally:
        db.close()


def test_untouched_log_verifies(log_path: Path) -> None:
    assert verify(log_path) == {
        "chain": True,
        "head": True,
        "checkpoints": True,
        "store": True,
        "checkpoint signatures": True,
        "data": True,
        "officers and keys": True,
        "sign-ins": True,
    }
    store = open_store(log_path)
    try:
        report = AuditService(store).verify()
        assert report.ok and report.entry_count == 10
        assert [c.tree_size for c in AuditService(store).checkpoints()] == [4, 8]
    finally:
        store.close()


def test_edited_payload_is_caught(log_path: Path) -> None:
    tamper(log_path, """UPDATE audit_entries SET payload = '{"n":333}' WHERE seq = 3""")
    assert verify(log_path)["chain"] is False


def test_edited_actor_is_caught(log_path: Path) -> None:
    tamper(log_path, "UPDATE audit_entries SET actor = 'cli:mallory' WHERE seq = 9")
    assert verify(log_path)["chain"] is False


def test_edit_with_recomputed_hash_breaks_the_next_link(log_path: Path) -> None:
    db = sqlite3.connect(log_path)
    row = db.execute(
        "SELECT seq, time, actor, action, prev_hash FROM audit_entries WHERE seq = 3"
    ).fetchone()
    db.close()
    new_hash = compute_entry_hash(
        seq=3,
        time=datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
        actor=row[2],
        action=row[3],
        payload='{"n":333}',
        prev_hash=row[4],
    )
    tamper(
        log_path,
        f"""UPDATE audit_entries SET payload = '{{"n":333}}', entry_hash = '{new_hash}'"""
        " WHERE seq = 3",
    )
    assert verify(log_path)["chain"] is False


def test_deleted_entry_is_caught(log_path: Path) -> None:
    tamper(log_path, "DELETE FROM audit_entries WHERE seq = 5")
    result = verify(log_path)
    assert result["chain"] is False and result["head"] is False


def test_reordered_entries_are_caught(log_path: Path) -> None:
    tamper(
        log_path,
        "UPDATE audit_entries SET seq = 1000 WHERE seq = 3",
        "UPDATE audit_entries SET seq = 3 WHERE seq = 4",
        "UPDATE audit_entries SET seq = 4 WHERE seq = 1000",
    )
    assert verify(log_path)["chain"] is False


def test_truncated_tail_is_caught_by_the_head(log_path: Path) -> None:
    tamper(log_path, "DELETE FROM audit_entries WHERE seq = 10")
    result = verify(log_path)
    assert result["chain"] is True and result["head"] is False


def test_truncation_with_head_rewritten_is_caught_by_the_high_water_mark(log_path: Path) -> None:
    _truncate_and_fix_head(log_path, keep=9, fix_sequence=False)
    assert verify(log_path)["head"] is False


def test_truncation_hidden_everywhere_else_is_caught_by_a_checkpoint(log_path: Path) -> None:
    _truncate_and_fix_head(log_path, keep=7, fix_sequence=True)
    result = verify(log_path)
    assert result["chain"] is True and result["head"] is True
    assert result["checkpoints"] is False


def _truncate_and_fix_head(path: Path, keep: int, fix_sequence: bool) -> None:
    db = sqlite3.connect(path)
    hashes = [r[0] for r in db.execute("SELECT entry_hash FROM audit_entries ORDER BY seq")]
    db.close()
    frontier: list[bytes] = []
    for size, entry_hash in enumerate(hashes[:keep]):
        frontier = extend_frontier(size, frontier, leaf_hash(bytes.fromhex(entry_hash)))
    statements = [
        f"DELETE FROM audit_entries WHERE seq > {keep}",
        f"UPDATE audit_head SET size = {keep}, last_hash = '{hashes[keep - 1]}',"
        f" frontier = '{json.dumps([h.hex() for h in frontier])}'",
    ]
    if fix_sequence:
        statements.append(f"UPDATE sqlite_sequence SET seq = {keep} WHERE name = 'audit_entries'")
    tamper(path, *statements)


def test_forged_checkpoint_root_is_caught(log_path: Path) -> None:
    tamper(log_path, f"UPDATE audit_checkpoints SET root_hash = '{'ab' * 32}' WHERE tree_size = 4")
    assert verify(log_path)["checkpoints"] is False


def test_audit_tables_are_append_only_for_the_desk(log_path: Path) -> None:
    store: SqliteStore = open_store(log_path)
    try:
        for statement in (
            "UPDATE audit_entries SET actor = 'x' WHERE seq = 1",
            "DELETE FROM audit_entries WHERE seq = 10",
            "DELETE FROM audit_checkpoints",
        ):
            with (
                pytest.raises(Exception, match=r"append-only|cannot be deleted"),
                store.transaction() as tx,
            ):
                tx.connection.execute(statement)
        assert AuditService(store).verify().ok
    finally:
        store.close()


def test_entry_is_rolled_back_with_a_failed_use_case(any_store: Store) -> None:
    store = any_store
    try:
        service = AuditService(store)
        service.record("cli:alice", "first", {})
        with pytest.raises(RuntimeError), unit_of_work(store) as uow:
            uow.audit("cli:alice", "second", {})
            raise RuntimeError("the state change failed after its audit entry")
        assert [row.action for row in service.entries()] == ["first"]
        assert service.verify().ok
        service.record("cli:alice", "third", {})  # the chain continues cleanly
        assert [row.seq for row in service.entries()] == [1, 2]
        assert service.verify().ok
    finally:
        store.close()


def test_entries_filters(log_store: Store) -> None:
    store = log_store
    try:
        service = AuditService(store)
        assert len(service.entries(actor="cli:alice")) == 5
        assert [r.seq for r in service.entries(after_seq=8)] == [9, 10]
        assert len(service.entries(limit=3)) == 3
        assert [r.seq for r in service.entries(since=START + timedelta(seconds=8))] == [9, 10]
        assert all(r.time.tzinfo is not None for r in service.entries())
    finally:
        store.close()


def test_payload_floats_are_refused(any_store: Store) -> None:
    store = any_store
    try:
        with pytest.raises(TypeError):
            AuditService(store).record("cli:alice", "x", {"amount": 1.5})
        assert AuditService(store).entries() == []
    finally:
        store.close()


def test_manual_checkpoint_is_stored_and_audited(log_store: Store) -> None:
    store = log_store
    try:
        service = AuditService(store)
        checkpoint = service.checkpoint("cli:alice")
        assert checkpoint.tree_size == 10
        assert service.entries()[-1].action == "audit.checkpoint"
        assert service.verify().ok
    finally:
        store.close()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=8), max_size=80))
def test_compact_frontier_matches_the_rfc6962_root(leaves: list[bytes]) -> None:
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaves):
        frontier = extend_frontier(size, frontier, leaf_hash(leaf))
        assert frontier_root(frontier) == root_of(leaves[: size + 1])
    assert frontier_root(frontier) == root_of(leaves)


def test_a_damaged_log_is_not_extended(log_path: Path) -> None:
    tamper(log_path, "DELETE FROM audit_entries WHERE seq = 10")
    store = open_store(log_path)
    try:
        with pytest.raises(AuditLogDamaged):
            AuditService(store).record("cli:alice", "after.tampering", {})
        with store.read() as tx:
            assert tx.audit.last() is not None
            assert tx.audit.entries(action="after.tampering") == []
    finally:
        store.close()


def test_an_empty_log_has_nothing_to_checkpoint(any_store: Store) -> None:
    store = any_store
    try:
        with pytest.raises(ValueError, match="empty"):
            AuditService(store).checkpoint("cli:alice")
        assert AuditService(store).verify().ok
    finally:
        store.close()


def test_entries_follow_the_domain_chain_format(log_store: Store) -> None:
    from app.domain.audit_chain import verify_chain

    store = log_store
    try:
        entries = AuditService(store).entries()
        summary = verify_chain(entries)
        assert summary.size == 10 and summary.last_hash == entries[-1].entry_hash
        assert summary.root.hex() == AuditService(store).verify().root_hash
    finally:
        store.close()
