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
