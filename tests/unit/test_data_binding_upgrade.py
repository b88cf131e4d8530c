"""Stores written before every table was bound (schema v9 and older), on both engines.

A v9 desk holds rows no audit entry binds: an outbox message its old
``exchange.enqueue`` entry recorded without a hash, and a redemption lock put in
with SQL (no desk use case writes redemptions). Opening it with this desk runs
migration v10, which binds those rows *as found* in one ``data.adopt_unbound``
entry by ``system:migration``, naming each table and how many rows; from then on
``audit verify`` reports an edit to them like any other, and says in its ``data``
line that those rows were adopted (not proven unedited before the upgrade). A
new store gets no such entry, and a row put in later is reported as inserted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from app.services.audit import AuditService
from app.services.holdings import HoldingsService
from app.services.unit_of_work import unit_of_work
from app.store.interface import Store
from app.store.migrations import all_migrations
from app.store.pg_store import PgStore
from app.store.repo_exchange import SqliteExchangeRepository
from app.store.sqlite_store import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "resources" / "demo" / "snapshot.json"
REDEMPTION = (
    "INSERT INTO redemptions (client_id, asset, quantity, status, locked_at, "
    "settlement_due_at, created_by, updated_at) VALUES ('alnoor-quant', 'BENJI', "
    "'1000000', 'locked', '2026-11-26T09:00:00.000000Z', '2026-11-27T09:00:00.000000Z', "
    "'ops', '2026-11-26T09:00:00.000000Z')"
)


@pytest.fixture
def opener(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., Store]:
    """Opens the test's store, migrated to ``upto`` (default: the latest)."""
    url = None if backend == "sqlite" else str(request.getfixturevalue("pg_url"))

    def open_at(upto: int | None = None) -> Store:
        migrations = all_migrations()[:upto] if upto else None
        if url is None:
            return SqliteStore(tmp_path / "desk.sqlite3", migrations=migrations)
        return PgStore(url, migrations=migrations)

    return open_at


def _tamper(store: Store, sql: str) -> None:
    store.close()
    if isinstance(store, SqliteStore):
        db = sqlite3.connect(store.path, isolation_level=None)
        try:
            db.execute(sql)
        finally:
            db.close()
        return
    assert isinstance(store, PgStore)
    with psycopg.connect(store.url, autocommit=True) as db:
        db.execute("SET session_replication_role = replica")
        db.execute(sql.encode())


def _legacy_desk(store: Store) -> None:
    """What a v9 desk wrote: a snapshot, an outbox message audited without its hash,
    and a redemption lock no entry mentions."""
    HoldingsService(store).import_file(SNAPSHOT, "test")
    with unit_of_work(store) as uow:
        uow.tx.repository(SqliteExchangeRepository).add_outbox(
            "attestation:att-1:0011", "attestation", "exchange", b'{"a": 1}', uow.now)
        uow.audit("test", "exchange.enqueue", {"key": "attestation:att-1:0011"})
        uow.tx.connection.execute(REDEMPTION)  # type: ignore[attr-defined]


def _data(store: Store) -> tuple[bool, str]:
    [check] = [c for c in AuditService(store).verify().checks if c.name == "data"]
    return check.ok, check.detail


def test_an_upgraded_store_adopts_its_unbound_rows_in_one_audited_entry(
    opener: Callable[..., Store],
) -> None:
    old = opener(9)
    _legacy_desk(old)
    old.close()
    store = opener()
    entries = AuditService(store).entries()
    [adopt] = [e for e in entries if e.action == "data.adopt_unbound"]
    assert adopt.actor == "system:migration" and adopt.seq == entries[-1].seq
    payload = json.loads(adopt.payload)
    assert payload["tables"] == {"outbox": 1, "redemptions": 1} and payload["rows"] == 2
    assert "not proven unedited" in payload["reason"]
    ok, detail = _data(store)
    assert ok, detail
    assert (f"2 rows written before content binding were adopted as found by audit entry "
            f"#{adopt.seq}") in detail
    # opening again adopts nothing more
    store.close()
    store = opener()
    assert len(AuditService(store).entries(action="data.adopt_unbound")) == 1
    # from now on an edit to an adopted row is reported by table and row
    _tamper(store, "UPDATE redemptions SET quantity = '80000000'")
    store = opener()
    ok, detail = _data(store)
    assert not ok
    assert f"redemptions row (id=1): edited since audit entry #{adopt.seq}" in detail
    store.close()


def test_a_new_store_adopts_nothing_and_a_later_row_is_an_insertion(
    opener: Callable[..., Store],
) -> None:
    store = opener()
    assert AuditService(store).entries() == []
    HoldingsService(store).import_file(SNAPSHOT, "test")
    assert _data(store)[0]
    _tamper(store, REDEMPTION)
    store = opener()
    ok, detail = _data(store)
    assert not ok and "redemptions row (id=1): not in the audit trail (inserted outside the " \
        "desk)" in detail
    store.close()


def test_an_edit_made_before_the_upgrade_to_a_bound_row_is_not_adopted(
    opener: Callable[..., Store],
) -> None:
    """A group an entry already binds is left to that entry: adoption never launders it."""
    old = opener(9)
    _legacy_desk(old)
    with unit_of_work(old) as uow:  # a v9 desk bound its margin-call rows, say; here: outbox
        from app.services.data_binding import with_bindings

        uow.audit("test", "exchange.note", with_bindings(
            uow.tx, {}, ("outbox", "attestation:att-1:0011")))
    _tamper(old, "UPDATE outbox SET payload = '{\"a\": 2}'")
    store = opener()
    ok, detail = _data(store)
    assert not ok and "outbox row (id=1): edited since audit entry" in detail
    store.close()
