"""Holdings service: idempotent audited import, valued holdings, demo data on first run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.domain.snapshot import SnapshotError
from app.services.audit import AuditService
from app.services.demo import demo_snapshot_path, load_demo_if_empty
from app.services.holdings import HoldingsService
from app.store.sqlite_store import SqliteStore


def document(as_of: str = "2026-11-26T09:00:00Z", benji: str = "80000000") -> dict[str, Any]:
    return {
        "as_of": as_of,
        "prices": {"BENJI": "1.00", "USDC": "1.00"},
        "clients": [
            {
                "id": "alpha",
                "name": "Alpha Quant",
                "net_assets_usd": "250000000.00",
                "dubai_entity": True,
                "soc2_type2": True,
                "exposure_usd": "120000000.00",
                "positions": [{"asset": "BENJI", "quantity": benji}],
                "liquidation_order": ["BENJI"],
            },
            {
                "id": "small",
                "name": "Small Office",
                "net_assets_usd": "3200000.00",
                "dubai_entity": True,
                "soc2_type2": True,
                "exposure_usd": "0.00",
                "positions": [{"asset": "USDC", "quantity": "2000000", "locked_quantity": "10"}],
            },
        ],
    }


@pytest.fixture
def store(any_store: SqliteStore) -> SqliteStore:
    """A fresh store, once on SQLite and once on PostgreSQL."""
    return any_store


def test_import_then_holdings_values_the_source_example(store: SqliteStore) -> None:
    service = HoldingsService(store)
    result = service.import_snapshot(service.parse(json.dumps(document())), "cli:alice")
    assert result.created and result.audit_seq == 1
    alpha, small = service.holdings()
    assert alpha.record.id == "alpha"
    assert alpha.valuation.collateral_value_usd == Decimal("78400000.00")
    assert alpha.valuation.credit_line_usd == Decimal("156800000.00")
    assert alpha.record.liquidation_order == ("BENJI",)
    assert small.valuation.eligible is False
    assert small.record.positions[0].locked_quantity == Decimal("10")
    [entry] = AuditService(store).entries()
    assert entry.action == "snapshot.import" and entry.actor == "cli:alice"
    assert json.loads(entry.payload)["clients"] == ["alpha", "small"]


def test_import_is_idempotent_even_when_reformatted(store: SqliteStore) -> None:
    service = HoldingsService(store)
    first = service.import_snapshot(service.parse(json.dumps(document())), "cli:alice")
    again = service.import_snapshot(
        service.parse(json.dumps(document(), indent=4, sort_keys=True)), "cli:bob"
    )
    assert not again.created and again.snapshot.id == first.snapshot.id
    assert len(service.snapshots()) == 1
    assert len(AuditService(store).entries()) == 1


def test_holdings_as_of_returns_what_the_desk_saw_then(store: SqliteStore) -> None:
    service = HoldingsService(store)
    service.import_snapshot(service.parse(json.dumps(document())), "cli:alice")
    later = document(as_of="2026-11-27T09:00:00Z", benji="40000000")
    service.import_snapshot(service.parse(json.dumps(later)), "cli:alice")
    assert service.holdings()[0].valuation.collateral_value_usd == Decimal("39200000.00")
    then = service.holdings(datetime(2026, 11, 26, 23, tzinfo=UTC))
    assert then[0].valuation.collateral_value_usd == Decimal("78400000.00")


def test_locked_redemptions_stop_counting_as_collateral(store: SqliteStore) -> None:
    service = HoldingsService(store)
    service.import_snapshot(service.parse(json.dumps(document())), "cli:alice")
    with store.transaction() as tx:
        tx.connection.execute(
            "INSERT INTO redemptions (client_id, asset, quantity, status, locked_at,"
            " settlement_due_at, created_by, updated_at) VALUES ('alpha', 'BENJI', '1000000',"
            " 'locked', '2026-11-26T10:00:00.000000Z', '2026-11-27T10:00:00.000000Z', 't',"
            " '2026-11-26T10:00:00.000000Z')"
        )
    alpha = service.holdings()[0]
    assert alpha.valuation.collateral_value_usd == Decimal("77420000.00")  # 79M x 0.98


def test_bad_snapshot_is_refused_before_the_store_is_touched(store: SqliteStore) -> None:
    service = HoldingsService(store)
    bad = document()
    bad["clients"][0]["positions"][0]["quantity"] = "-5"
    with pytest.raises(SnapshotError) as error:
        service.parse(json.dumps(bad))
    assert error.value.field == "clients[0].positions[0].quantity"
    assert service.snapshots() == [] and AuditService(store).entries() == []


def test_a_failure_during_import_leaves_nothing_behind(store: SqliteStore) -> None:
    service = HoldingsService(store)
    snapshot = service.parse(json.dumps(document()))
    with store.transaction() as tx:  # a trigger that breaks the last write of the import
        if store.dialect == "postgresql":
            tx.connection.execute(
                "CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$"
            )
            tx.connection.execute(
                "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_entries"
                " FOR EACH ROW EXECUTE FUNCTION fail_audit()"
            )
        else:
            tx.connection.execute(
                "CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit_entries"
                " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
            )
    with pytest.raises(Exception, match="disk on fire"):
        service.import_snapshot(snapshot, "cli:alice")
    with store.read() as tx:
        for table in ("snapshots", "clients", "client_states", "positions", "prices"):
            assert tx.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_demo_loads_once_into_an_empty_store(store: SqliteStore) -> None:
    assert load_demo_if_empty(store) is True
    assert load_demo_if_empty(store) is False
    holdings = HoldingsService(store).holdings()
    assert {h.record.id for h in holdings} >= {"alnoor-quant"}
    assert AuditService(store).entries()[0].actor == "system:demo"
    assert demo_snapshot_path().is_file()


def test_demo_is_not_loaded_over_real_data(store: SqliteStore) -> None:
    service = HoldingsService(store)
    service.import_snapshot(service.parse(json.dumps(document())), "cli:alice")
    assert load_demo_if_empty(store) is False
    assert [h.record.id for h in service.holdings()] == ["alpha", "small"]


def test_store_keeps_the_file_as_imported(store: SqliteStore, tmp_path: Path) -> None:
    source = tmp_path / "snap.json"
    text = json.dumps(document(), indent=1) + "\n"
    source.write_text(text)
    HoldingsService(store).import_file(source, "cli:alice")
    with store.read() as tx:
        row = tx.connection.execute("SELECT raw_json, source_name FROM snapshots").fetchone()
        assert tuple(row) == (
            text,
            "snap.json",
        )


def test_holdings_can_be_read_inside_a_use_case(store: SqliteStore) -> None:
    from app.services.unit_of_work import unit_of_work

    service = HoldingsService(store)
    service.import_snapshot(service.parse(json.dumps(document())), "cli:alice")
    with unit_of_work(store) as uow:
        rows = service.holdings_in(uow.tx)
        uow.audit("cli:alice", "decided", {"clients": [r.record.id for r in rows]})
    assert [r.record.id for r in rows] == ["alpha", "small"]
