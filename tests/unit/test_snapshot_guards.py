"""Snapshot import guards (issue 15, case 2): no future as_of, no empty client list,
no older-than-newest unless asked, and holdings never show a future snapshot.

Times are relative to the desk clock (``now``), as the desk would see them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from test_services_holdings import document

from app.cli.main import main
from app.domain.snapshot import SnapshotError, format_utc
from app.services.holdings import SKEW_SETTING, HoldingsService
from app.store.sqlite_store import SqliteStore

NOW = datetime.now(UTC).replace(microsecond=0)


def _text(as_of: datetime, benji: str = "80000000") -> str:
    return json.dumps(document(format_utc(as_of), benji))


@pytest.fixture
def store(any_store: SqliteStore) -> SqliteStore:
    return any_store  # both backends


def _service(store: SqliteStore, now: datetime = NOW) -> HoldingsService:
    return HoldingsService(store, clock=lambda: now)


def _import(service: HoldingsService, as_of: datetime, benji: str = "80000000", **kw: bool) -> None:
    service.import_snapshot(service.parse(_text(as_of, benji)), "cli:alice", **kw)


def _alpha_benji(service: HoldingsService) -> Decimal:
    alpha = next(h for h in service.holdings() if h.record.id == "alpha")
    position = alpha.record.position("BENJI")
    assert position is not None
    return position.quantity


def test_a_snapshot_dated_far_in_the_future_is_refused(store: SqliteStore) -> None:
    service = _service(store)
    with pytest.raises(SnapshotError) as info:
        _import(service, datetime(9999, 12, 31, tzinfo=UTC))
    assert info.value.field == "as_of" and "ahead of the desk clock" in info.value.message
    assert service.snapshots() == [], "nothing stored"


def test_the_skew_is_five_minutes_by_default_and_a_setting(store: SqliteStore) -> None:
    service = _service(store)
    _import(service, NOW + timedelta(minutes=4, seconds=59))
    with pytest.raises(SnapshotError, match="at most 5 min 0 s"):
        _import(service, NOW + timedelta(minutes=5, seconds=1), benji="1")
    with store.transaction() as tx:
        tx.settings.put(SKEW_SETTING, "3600", NOW)
    _import(service, NOW + timedelta(minutes=30), benji="2")
    assert _alpha_benji(service) == Decimal("2")


def test_an_empty_client_list_is_refused(store: SqliteStore) -> None:
    service = _service(store)
    doc = document(format_utc(NOW))
    doc["clients"] = []
    with pytest.raises(SnapshotError) as info:
        service.parse(json.dumps(doc))
    assert info.value.field == "clients" and "empty" in info.value.message


def test_an_older_snapshot_needs_to_be_asked_for(store: SqliteStore) -> None:
    service = _service(store)
    _import(service, NOW - timedelta(hours=1), benji="100")
    with pytest.raises(SnapshotError, match="older than the newest snapshot") as info:
        _import(service, NOW - timedelta(hours=2), benji="50")
    assert info.value.field == "as_of"
    assert len(service.snapshots()) == 1
    _import(service, NOW - timedelta(hours=2), benji="50", allow_older=True)
    assert len(service.snapshots()) == 2
    assert _alpha_benji(service) == Decimal("100"), "holdings keep showing the newest"


def test_holdings_never_show_a_snapshot_from_the_future(store: SqliteStore) -> None:
    """A future snapshot stored before the guard existed (or by another tool) is ignored."""
    service = _service(store)
    _import(service, NOW - timedelta(hours=1), benji="100")
    later = _service(store, now=datetime(9999, 12, 31, tzinfo=UTC))  # a clock far ahead
    _import(later, datetime(9999, 12, 31, tzinfo=UTC), benji="999999999")
    assert _alpha_benji(service) == Decimal("100")
    _import(service, NOW - timedelta(minutes=1), benji="120")  # the future one is not "newest"
    assert _alpha_benji(service) == Decimal("120")


def test_cli_import_refuses_a_future_snapshot_and_accepts_allow_older(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    future, new, old = tmp_path / "future.json", tmp_path / "new.json", tmp_path / "old.json"
    future.write_text(_text(datetime(9999, 12, 31, tzinfo=UTC)))
    new.write_text(_text(NOW - timedelta(hours=1)))
    old.write_text(_text(NOW - timedelta(hours=2), benji="5"))
    base = ["--data-dir", str(data), "import"]
    assert main([*base, str(future)]) == 2
    assert "future.json: as_of: 9999-12-31T00:00:00Z is" in capsys.readouterr().err
    assert main([*base, str(new)]) == 0
    assert main([*base, str(old)]) == 2
    assert "--allow-older" in capsys.readouterr().err
    assert main([*base, str(old), "--allow-older"]) == 0
