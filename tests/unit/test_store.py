"""The store: durability settings, migrations, transactions, typed errors, backup.

Tests taking ``any_store`` run on both backends (SQLite and a real PostgreSQL server);
the others are about the SQLite file itself.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.store import (
    BackupError,
    ConstraintViolation,
    NestedTransaction,
    SchemaTooNew,
    StoreBusy,
    StoreCorrupt,
    open_store,
)
from app.store.interface import Store
from app.store.migrations import Migration, all_migrations
from app.store.records import NewClientState, NewSnapshot, StoredPosition
from app.store.sqlite_store import SqliteStore

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def snapshot(digest: str = "a" * 64, quantity: str = "80000000") -> NewSnapshot:
    return NewSnapshot(
        content_sha256=digest,
        as_of=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        source_name="test.json",
        raw_json="{}",
        prices={"BENJI": Decimal("1.00")},
        clients=(
            NewClientState(
                client_id="alpha",
                name="Alpha Quant",
                net_assets_usd=Decimal("10000000.00"),
                dubai_entity=True,
                soc2_type2=True,
                exposure_usd=Decimal("1000.00"),
                positions=(StoredPosition("BENJI", Decimal(quantity)),),
            ),
        ),
    )


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_fresh_store_has_latest_schema_and_durability_settings(tmp_path: Path) -> None:
    store = open_store(tmp_path / "sub" / "desk.sqlite3")
    try:
        assert store.schema_version() == len(all_migrations())
        with store.read() as tx:
            db = tx.connection
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        for table in (
            "clients",
            "positions",
            "prices",
            "snapshots",
            "officers",
            "attestations",
            "attestation_clients",
            "margin_calls",
            "emergency_orders",
            "emergency_signatures",
            "outbox",
            "redemptions",
            "yield_accruals",
            "audit_entries",
            "audit_checkpoints",
        ):
            assert table in tables
        assert store.integrity_check() == []
    finally:
        store.close()
    assert (tmp_path / "sub" / "desk.sqlite3").stat().st_mode & 0o077 == 0


def test_upgrade_from_v1_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    old = SqliteStore(path, migrations=all_migrations()[:1])
    with old.transaction() as tx:
        tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
    assert old.schema_version() == 1
    old.close()

    store = open_store(path)
    try:
        assert store.schema_version() == len(all_migrations())
        with store.read() as tx:
            [state] = tx.holdings.client_states()
            assert state.positions == (StoredPosition("BENJI", Decimal("80000000")),)
            versions = [r[0] for r in tx.connection.execute("SELECT version FROM schema_version")]
        assert versions == list(range(1, len(all_migrations()) + 1))
    finally:
        store.close()


def test_reopening_does_not_reapply_migrations(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    open_store(path).close()
    before = dump(path)
    open_store(path).close()
    assert dump(path) == before


def test_store_newer_than_the_desk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    future = (
        *all_migrations(),
        Migration(
            len(all_migrations()) + 1, "future", "CREATE TABLE f (x)", "CREATE TABLE f (x int)"
        ),
    )
    SqliteStore(path, migrations=future).close()
    with pytest.raises(SchemaTooNew):
        open_store(path)


def test_failed_migration_leaves_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    open_store(path).close()
    broken = (
        *all_migrations(),
        Migration(
            len(all_migrations()) + 1, "broken", "CREATE TABLE ok_table (x);\nNOT SQL;", "NOT SQL;"
        ),
    )
    with pytest.raises(Exception, match="broken"):
        SqliteStore(path, migrations=broken)
    store = open_store(path)
    try:
        assert store.schema_version() == len(all_migrations())
        with store.read() as tx:
            assert (
                tx.connection.execute(
                    "SELECT name FROM sqlite_master WHERE name = 'ok_table'"
                ).fetchone()
                is None
            )
    finally:
        store.close()


def test_foreign_files_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreCorrupt):
        open_store(junk)
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreCorrupt):
        open_store(other)


_TABLES = ("settings", "snapshots", "clients", "client_states", "positions", "prices",
           "audit_entries", "audit_head")


def contents(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the core tables, in a stable order (both backends)."""
    with store.read() as tx:
        return {
            t: sorted(tuple(r) for r in tx.connection.execute(f"SELECT * FROM {t}").fetchall())
            for t in _TABLES
        }


def test_failure_inside_a_use_case_leaves_the_store_unchanged(any_store: Store) -> None:
    store = any_store
    with store.transaction() as tx:
        tx.settings.put("k", "v1", NOW)
    before = contents(store)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.settings.put("k", "v2", NOW)
        tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
        raise RuntimeError("boom after two writes")
    assert contents(store) == before
    with store.read() as tx:
        assert tx.settings.get("k") == "v1"


def test_constraint_violation_is_typed_and_rolls_back(any_store: Store) -> None:
    store = any_store
    try:
        with store.transaction() as tx:
            tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
        with pytest.raises(ConstraintViolation), store.transaction() as tx:
            tx.settings.put("half", "written", NOW)
            tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)  # same hash
        with store.read() as tx:
            assert tx.settings.get("half") is None
            assert len(tx.snapshots.list()) == 1
    finally:
        store.close()


@pytest.mark.parametrize("bad", ["1.5e3", "-1", "1,000", "NaN", "Infinity", "1.", ".5", "1.2.3"])
def test_schema_refuses_amounts_that_are_not_plain_decimals(
    any_store: Store, backend: str, bad: str
) -> None:
    if backend == "postgresql" and bad in ("1.5e3", "1.", ".5"):
        pytest.skip("NUMERIC input syntax for a finite amount: stored as the exact number")
    store = any_store
    try:
        with store.transaction() as tx:
            tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
        with pytest.raises(ConstraintViolation), store.transaction() as tx:
            tx.connection.execute("UPDATE positions SET quantity = ?", (bad,))
    finally:
        store.close()


def test_amounts_never_land_as_real(tmp_path: Path) -> None:
    store = open_store(tmp_path / "desk.sqlite3")
    try:
        with store.transaction() as tx:
            tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
            # Even a float bound by mistake is stored as text (TEXT affinity) ...
            tx.connection.execute("UPDATE positions SET quantity = 1.5")
            kinds = {r[0] for r in tx.connection.execute("SELECT typeof(quantity) FROM positions")}
            assert kinds == {"text"}
        # ... and the desk's own encoder refuses floats before they get there.
        from app.store.codec import decimal_to_text

        with pytest.raises(TypeError):
            decimal_to_text(1.5)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            decimal_to_text(Decimal("NaN"))
        assert decimal_to_text(Decimal("1.5E+3")) == "1500"
    finally:
        store.close()


def test_transactions_do_not_nest(any_store: Store) -> None:
    store = any_store
    try:
        with store.transaction(), pytest.raises(NestedTransaction), store.transaction():
            pass
        with store.transaction() as tx:  # the store is still usable afterwards
            tx.settings.put("k", "v", NOW)
    finally:
        store.close()


def test_a_writer_held_elsewhere_gives_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    open_store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store = open_store(path, busy_timeout_s=0.1)
    try:
        with pytest.raises(StoreBusy), store.transaction():
            pass
        with store.read() as tx:  # WAL: readers are not blocked by the writer
            assert tx.settings.get("k") is None
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()


def test_threads_share_one_store_safely(any_store: Store) -> None:
    store = any_store
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                with store.transaction() as tx:
                    tx.settings.put(f"t{n}.{i}", "x", NOW)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        with store.read() as tx:
            count = tx.connection.execute("SELECT COUNT(*) FROM settings").fetchone()[0]
        assert count == 100
    finally:
        store.close()


def test_backup_is_a_complete_copy_and_never_overwrites(
    any_store: Store, tmp_path: Path
) -> None:
    store = any_store
    try:
        with store.transaction() as tx:
            tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
        target = tmp_path / "backups" / "copy.sqlite3"
        store.backup(target)
        assert not list(target.parent.glob(".*partial*"))
        copy = open_store(target)
        try:
            with copy.read() as tx:
                assert [s.content_sha256 for s in tx.snapshots.list()] == ["a" * 64]
        finally:
            copy.close()
        existing = tmp_path / "existing.sqlite3"
        existing.write_bytes(b"precious")
        with pytest.raises(BackupError):
            store.backup(existing)
        assert existing.read_bytes() == b"precious"
    finally:
        store.close()


def test_holdings_as_of_picks_the_latest_record_at_or_before(any_store: Store) -> None:
    store = any_store
    try:
        later = NewSnapshot(
            content_sha256="b" * 64,
            as_of=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
            source_name="later.json",
            raw_json="{}",
            prices={"BENJI": Decimal("1.01")},
            clients=snapshot(quantity="5").clients,
        )
        with store.transaction() as tx:
            tx.snapshots.add(later, imported_by="test", imported_at=NOW)
            tx.snapshots.add(snapshot(), imported_by="test", imported_at=NOW)
        with store.read() as tx:
            [latest] = tx.holdings.client_states()
            assert latest.positions[0].quantity == Decimal("5")
            assert tx.holdings.prices()["BENJI"].price_usd == Decimal("1.01")
            [earlier] = tx.holdings.client_states(datetime(2026, 11, 26, 12, tzinfo=UTC))
            assert earlier.positions[0].quantity == Decimal("80000000")
            assert tx.holdings.client_states(datetime(2026, 1, 1, tzinfo=UTC)) == []
    finally:
        store.close()


def test_a_client_is_found_by_one_lookup_and_the_first_is_the_smallest_in_code_points(
    any_store: Store,
) -> None:
    store = any_store
    with store.read() as tx:
        assert tx.holdings.first_client_id() is None
        assert not tx.holdings.has_client("alpha")
    base = snapshot()
    # Upper case sorts before lower case by code point (Python's sorted, and the
    # vault the key list shows). The test server runs in the C locale; COLLATE "C"
    # keeps a server with a linguistic collation (which puts "alpha" first) in step.
    clients = tuple(
        NewClientState(**{**{f: getattr(base.clients[0], f) for f in (
            "name", "net_assets_usd", "dubai_entity", "soc2_type2", "exposure_usd",
            "positions")}, "client_id": cid})
        for cid in ("alpha", "Zulu", "beta")
    )
    with store.transaction() as tx:
        tx.snapshots.add(replace(base, clients=clients), imported_by="test", imported_at=NOW)
    with store.read() as tx:
        assert tx.holdings.first_client_id() == min(["alpha", "Zulu", "beta"]) == "Zulu"
        assert tx.holdings.has_client("beta")
        assert not tx.holdings.has_client("gamma")
        assert not tx.holdings.has_client("BETA")
