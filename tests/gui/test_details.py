"""What an officer sees at a glance: every client column visible at 1440 px with the
ineligible client marked, and the details panes of the margin-call and emergency tabs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from app.services.desk_facade import (
    ClientRow,
    LineState,
    MarginCallRow,
    MarginCallStatus,
    Party,
)
from app.ui import format as fmt
from app.ui.models.holdings import ClientColumn, ClientsModel, TotalsModel
from app.ui.views.table import DeskTable

D = Decimal


def _client(eligible: bool) -> ClientRow:
    return ClientRow(
        "creekside-digital",
        "Creekside Digital Advisors",
        D("2000000.00"),
        D("1900000.00"),
        D("3800000.00"),
        D(0),
        None,
        LineState.NO_EXPOSURE,
        None,
        None,
        eligible,
        () if eligible else ("net assets USD 2,000,000.00 below USD 5,000,000.00",),
    )


def test_ineligible_client_is_marked_in_the_state_column_with_reasons() -> None:
    model = ClientsModel()
    model.set_rows([_client(False), _client(True)._replace(client_id="ok")])
    bad = model.index(0, ClientColumn.STATE)
    assert "INELIGIBLE" in bad.data()
    assert "net assets" in bad.data(Qt.ItemDataRole.ToolTipRole)
    assert bad.data(Qt.ItemDataRole.BackgroundRole) is not None
    good = model.index(1, ClientColumn.STATE)
    assert "INELIGIBLE" not in good.data() and not good.data(Qt.ItemDataRole.ToolTipRole)
    totals = TotalsModel()
    totals.set_totals(_client(True), {LineState.HEALTHY: 1}, ineligible=1)
    assert "⚠ 1" in totals.index(0, ClientColumn.STATE).data()


def test_money_columns_are_compact_with_the_exact_amount_as_tooltip() -> None:
    model = ClientsModel()
    model.set_rows([_client(False)])
    cell = model.index(0, ClientColumn.MARKET_VALUE)
    assert cell.data() == "2.00M"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "USD 2,000,000.00"
    assert fmt.compact_usd(D("147088000")) == "147.09M"
    assert fmt.compact_usd(D("-582400")) == "-582.40K"
    assert fmt.compact_usd(D("950.5")) == "950.50"
    assert fmt.compact_usd(D("1250000000")) == "1.25B"


def _fits(table: DeskTable) -> bool:
    """Every visible column fully inside the viewport: no horizontal scrolling needed."""
    header = table.horizontalHeader()
    return header.length() <= table.viewport().width() and all(
        header.sectionSize(c) >= header.sectionSizeHint(c) - 1
        for c in range(header.count())
        if not header.isSectionHidden(c) and c != header.count() - 1
    )


def test_holdings_at_1440_show_every_client_column_and_the_ineligible_marker(desk: Any) -> None:
    w = desk.window
    w.resize(1440, 900)
    w.tabs.setCurrentIndex(0)
    h = w.holdings
    desk.wait_until(lambda: h.clients_model.rowCount() > 0)
    assert _fits(h.clients), [h.clients.columnWidth(c) for c in range(11)]
    assert not h.clients.horizontalScrollBar().isVisible()
    # the positions' last header and the stress results are not clipped either
    assert _fits(h.positions)
    last = h.positions.horizontalHeader().count() - 1
    assert h.positions.columnWidth(last) >= h.positions.horizontalHeader().sectionSizeHint(last)
    assert _fits(h.stress.table)
    proxy = h.clients.proxy
    creek = next(
        r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "creekside-digital"
    )
    assert "INELIGIBLE" in proxy.index(creek, ClientColumn.STATE).data()
    # the "Ineligible" filter keeps exactly the ineligible clients
    h.state_filter.setCurrentIndex(h.state_filter.findData("eligible:no"))
    assert [proxy.row_object(r).client_id for r in range(proxy.rowCount())] == ["creekside-digital"]
    h.state_filter.setCurrentIndex(0)


def _call(past_liquidation: bool, status: MarginCallStatus) -> MarginCallRow:
    now = datetime.now(UTC)
    return MarginCallRow(
        "mc-9001" if past_liquidation else "mc-9002",
        "sandstone-arb",
        "Sandstone Arbitrage Fund",
        now - timedelta(hours=1),
        now + timedelta(minutes=30),
        D("610000.00"),
        D("34000000.00"),
        D("0.4421"),
        status,
        past_liquidation,
    )


def test_margin_call_details_show_the_waterfall_past_the_liquidation_line(desk: Any) -> None:
    past = _call(True, MarginCallStatus.ESCALATED)
    open_call = _call(False, MarginCallStatus.RECEIVED)

    async def calls() -> list[MarginCallRow]:
        return [past, open_call]

    desk.ctx.facade.margin_calls = calls
    view = desk.window.margin_calls
    desk.run(view.reload())
    view.select(past.call_id)
    desk.run(view.load_detail())
    desk.settle()
    details = view.details
    assert details.client.text().startswith("Sandstone Arbitrage Fund (sandstone-arb)")
    assert details.call.text() == past.call_id
    assert details.shortfall.text() == "610,000.00 (liquidation notice)"  # labelled source
    assert details.exposure.text() == "34,000,000.00"
    assert details.ratio.text() == "44.21%"
    lines = details.waterfall_model.rows
    assert lines and lines[-1].remaining_shortfall == D("0.00")
    assert sum(line.usd for line in lines) >= past.shortfall
    assert "Past the liquidation line" in details.waterfall_note.text()

    view.select(open_call.call_id)
    desk.run(view.load_detail())
    desk.settle()
    assert details.waterfall_model.rowCount() == 0
    assert "Not past the liquidation line" in details.waterfall_note.text()
    # the name column takes the spare width, not the last (ratio) column
    header = view.table.horizontalHeader()
    assert header.sectionSize(header.count() - 1) < 200


def test_emergency_details_show_each_party_and_the_statement(desk: Any) -> None:
    from app.services import emergency
    from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

    store = desk.ctx.facade.store
    desk.register("alice", desk.start_emulator(TEST_MNEMONIC_ALL))
    desk.add_officer_emergency_key("alice")
    w = desk.window
    desk.sign_in("alice")
    view = w.emergency
    order = desk.run(view.create_order("alnoor-quant", "Exchange outage"))
    assert order is not None
    details = view.details
    desk.run(view.load_detail())
    desk.settle()
    statement = emergency.export_order(store, order.order_id).statement
    assert details.statement.toPlainText() == statement
    share, key, verification = details.party_cells[Party.CUSTODIAN]
    assert share.text() == "Not signed" and key.text() == "—"

    assert desk.run(view.sign_selected()) is not None
    desk.run(view.load_detail())
    desk.settle()
    share, key, verification = details.party_cells[Party.CUSTODIAN]
    assert share.text().startswith("Signed")
    assert key.text().startswith("k-")
    assert "Verified" in verification.text()
    for party in (Party.REGULATOR, Party.EXCHANGE):
        assert details.party_cells[party][0].text() == "Not signed"
    assert "Open" in details.status.text()
    assert details.executed.text() == "Not executed" and details.release.text() == "—"
    assert details.reason.text() == "Exchange outage"
