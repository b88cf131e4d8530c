"""A holdings reload never changes which clients the officer has selected.

"Prepare from selected clients" acts on the selection, so a reload that arrives
between selecting and preparing (data changed, another officer's import) must
leave exactly the same clients selected, whatever the sort order.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt


def _select(desk: Any, *ids: str) -> None:
    clients = desk.window.holdings.clients
    proxy = clients.proxy
    model = clients.selectionModel()
    clients.clearSelection()
    for r in range(proxy.rowCount()):
        if proxy.row_object(r).client_id in ids:
            model.select(proxy.index(r, 0), model.SelectionFlag.Select | model.SelectionFlag.Rows)


def test_multi_selection_survives_a_reload_and_a_resort(desk: Any) -> None:
    holdings = desk.window.holdings
    desk.settle()
    _select(desk, "alnoor-quant", "jumeirah-yield")
    assert sorted(holdings.selected_client_ids()) == ["alnoor-quant", "jumeirah-yield"]

    desk.run(holdings.reload())
    desk.settle()
    assert sorted(holdings.selected_client_ids()) == ["alnoor-quant", "jumeirah-yield"]

    holdings.clients.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    desk.run(holdings.reload())
    desk.settle()
    assert sorted(holdings.selected_client_ids()) == ["alnoor-quant", "jumeirah-yield"]


def test_single_selection_follows_its_client_after_a_reload(desk: Any) -> None:
    holdings = desk.window.holdings
    desk.settle()
    _select(desk, "palm-harbour")
    proxy = holdings.clients.proxy
    for r in range(proxy.rowCount()):
        if proxy.row_object(r).client_id == "palm-harbour":
            holdings.clients.setCurrentIndex(proxy.index(r, 0))
    desk.run(holdings.reload())
    desk.settle()
    assert holdings.selected_client_ids() == ["palm-harbour"]


def _make_current(desk: Any, client_id: str) -> None:
    proxy = desk.window.holdings.clients.proxy
    for r in range(proxy.rowCount()):
        if proxy.row_object(r).client_id == client_id:
            desk.window.holdings.clients.setCurrentIndex(proxy.index(r, 0))


def test_a_reload_that_moves_nothing_keeps_the_positions_table_and_a_new_price_shows(
    desk: Any, tmp_path: Any
) -> None:
    # Every other workstation's commit reloads the window: one that moves no figure
    # must not reset (and refit) the positions table under the officer's eyes; one
    # that moves the client's figures must show them.
    import json
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from app.domain.snapshot import format_utc
    from app.services.demo import demo_snapshot_path

    holdings = desk.window.holdings
    desk.settle()
    _make_current(desk, "gulf-meridian-mm")
    desk.settle()
    positions = holdings.positions_model
    shown = [(p.asset, p.quantity, p.price) for p in positions.rows]
    assert shown and any(asset == "BTC" for asset, _, _ in shown)
    resets: list[int] = []
    positions.modelReset.connect(lambda: resets.append(1))

    desk.run(holdings.reload())
    desk.settle()
    assert resets == []
    assert [(p.asset, p.quantity, p.price) for p in positions.rows] == shown
    assert "gulf-meridian-mm" in holdings.positions_label.text()

    moved = json.loads(demo_snapshot_path().read_text())
    moved["as_of"] = format_utc(datetime.now(UTC) + timedelta(minutes=1))
    moved["prices"]["BTC"] = "72750.00"
    path = tmp_path / "moved.json"
    path.write_text(json.dumps(moved))
    assert desk.run(desk.window.import_snapshot(str(path))) is not None
    desk.run(holdings.reload())
    desk.settle()
    btc = next(p for p in positions.rows if p.asset == "BTC")
    assert btc.price == Decimal("72750.00")
    assert holdings.selected_client_ids() == ["gulf-meridian-mm"]
