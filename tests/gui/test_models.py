"""Every table model passes Qt's model tester, with real rows, sorted and filtered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.services.desk_facade import (
    AttestationRow,
    AttestationStatus,
    AuditEntryRow,
    ClientRow,
    DeviceRow,
    EmergencyOrderRow,
    LineState,
    MarginCallRow,
    MarginCallStatus,
    OfficerRow,
    Party,
    PartySignature,
    PositionRow,
    ProofRow,
    StressRow,
    WaterfallLine,
)
from app.ui.models.base import RowFilterProxy
from app.ui.models.desk import (
    AttestationsModel,
    MarginCallsModel,
    ProofsModel,
    WaterfallModel,
    call_urgency,
)
from app.ui.models.holdings import ClientColumn, ClientsModel, PositionsModel, StressModel
from app.ui.models.registry import AuditModel, DevicesModel, EmergencyModel, OfficersModel

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
D = Decimal


def client(n: int, state: LineState = LineState.HEALTHY) -> ClientRow:
    return ClientRow(
        f"c{n:03d}",
        f"Client {n}",
        D(n * 1000),
        D(n * 900),
        D(n * 1800),
        D(n * 500),
        D("1.8"),
        state,
        D("0.1"),
        D("0.2"),
        n % 3 != 0,
        () if n % 3 else ("net assets",),
    )


SAMPLES = [
    (ClientsModel, [client(n) for n in range(1, 8)]),
    (
        PositionsModel,
        [PositionRow("c1", "BTC", D("1.5"), D(97000), D(145500), D("0.8"), D(116400), D(0), D(0))],
    ),
    (
        StressModel,
        [StressRow("c1", "C", D("1.5"), None, LineState.HEALTHY, LineState.NO_EXPOSURE, D(0))],
    ),
    (
        AttestationsModel,
        [
            AttestationRow(
                "1", 1, AttestationStatus.SIGNED, ("c1",), D(5), NOW, NOW, "alice", "bob", "ab" * 32
            )
        ],
    ),
    (ProofsModel, [ProofRow("c1", 0, D(5), 3, True), ProofRow("c2", 1, D(6), 3, None)]),
    (
        MarginCallsModel,
        [
            MarginCallRow(
                "m1",
                "c1",
                "C",
                NOW,
                NOW + timedelta(hours=2),
                D(100),
                D(200),
                D("0.4"),
                MarginCallStatus.RECEIVED,
                False,
            )
        ],
    ),
    (WaterfallModel, [WaterfallLine(1, "accrued yield", D(1), D(1), D(0))]),
    (
        EmergencyModel,
        [
            EmergencyOrderRow(
                "uo-1",
                "c1",
                ("BTC",),
                "why",
                NOW,
                NOW,
                (PartySignature(Party.CUSTODIAN, True, True),),
            )
        ],
    ),
    (DevicesModel, [DeviceRow("trezor:udp:127.0.0.1:1", "trezor", "T", "udp", True, "ab", None)]),
    (OfficersModel, [OfficerRow("alice", "officer", "73c5da0a", "1addr", "m/44'/0'/0'/0/0")]),
    (AuditModel, [AuditEntryRow(1, NOW, "system", "snapshot.import", "{}", "ab" * 32)]),
]


@pytest.mark.parametrize(("model_cls", "rows"), SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_model_passes_qt_model_tester(qtmodeltester, model_cls, rows) -> None:
    model = model_cls()
    model.set_rows(rows)
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        assert model.rowCount() == len(rows)
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search(model.index(0, 0).data()[:2])
    qtmodeltester.check(proxy, force_py=False)


@pytest.mark.parametrize(("model_cls", "rows"), SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_source_model_passes_qt_model_tester(qtmodeltester, model_cls, rows) -> None:
    model = model_cls()
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=False)


def test_sorting_by_ratio_puts_worst_first_and_keeps_selection_rows() -> None:
    model = ClientsModel()
    rows = [client(1), client(2, LineState.LIQUIDATION), client(3, LineState.MARGIN_CALL)]
    model.set_rows(rows)
    model.sort(ClientColumn.STATE, Qt.SortOrder.AscendingOrder)
    states = [model.row_at(i).state for i in range(3)]
    assert states == [LineState.LIQUIDATION, LineState.MARGIN_CALL, LineState.HEALTHY]
    model.set_rows(list(reversed(rows)))  # a reload keeps the chosen sort
    assert model.row_at(0).state == LineState.LIQUIDATION


def test_filter_by_text_and_state_tag() -> None:
    model = ClientsModel()
    model.set_rows([client(1), client(2, LineState.MARGIN_CALL), client(12, LineState.MARGIN_CALL)])
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_tag("state:margin_call")
    assert proxy.rowCount() == 2
    proxy.set_search("client 12")
    assert proxy.rowCount() == 1
    proxy.set_tag("")
    proxy.set_search("")
    assert proxy.rowCount() == 3


def test_call_urgency_turns_amber_then_red() -> None:
    row = MarginCallRow(
        "m",
        "c",
        "C",
        NOW,
        NOW + timedelta(minutes=30),
        D(1),
        D(1),
        None,
        MarginCallStatus.RECEIVED,
        False,
    )
    assert call_urgency(row, NOW) == "near"
    assert call_urgency(row, NOW - timedelta(hours=2)) == "ok"
    assert call_urgency(row, NOW + timedelta(hours=1)) == "past"


def test_ineligible_client_shows_its_reasons() -> None:
    model = ClientsModel()
    model.set_rows([client(3)])
    text = model.index(0, ClientColumn.ELIGIBLE).data()
    assert "net assets" in text


def test_chunked_load_keeps_the_chosen_sort_and_every_row(qapp) -> None:
    import asyncio

    import qasync

    from app.ui.models.base import cooperative_sort

    rows = [client(n) for n in range(1, 3001)]
    model = ClientsModel()
    model.sort(ClientColumn.MARKET_VALUE, Qt.SortOrder.DescendingOrder)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            loop.run_until_complete(model.load_in_chunks(rows, chunk=500))
            ordered = loop.run_until_complete(
                cooperative_sort(rows, lambda r: r.name, reverse=False, run=700)
            )
    finally:
        asyncio.set_event_loop(None)
    values = [model.row_at(i).market_value for i in range(model.rowCount())]
    assert len(values) == 3000
    assert values == sorted(values, reverse=True)
    assert [r.name for r in ordered] == sorted(r.name for r in rows)
