"""Margin calls through the window against the exchange simulator on loopback:
attest -> send -> price shock -> the call arrives (badge, notification, countdown) ->
acknowledge -> escalate -> waterfall from the stored plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from message_boxes import close_messages, run_confirming

from app.documents.keys import Party, Role
from app.domain.snapshot import format_utc
from app.exchange.configured import LINK_SETTING
from app.exchange.sim.factory import make_sim
from app.exchange.sim.price_path import parse_price_path
from app.exchange.sim.server import start_sim
from app.services.desk_facade import AttestationStatus, MarginCallStatus, RefusedError
from app.services.officers import add_party_key, keys_file
from app.ui.models.desk import MarginCallColumn
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL


@pytest.fixture
def exchange(desk, tmp_path) -> Iterator[object]:
    store = desk.ctx.facade.store
    # officers first: the sim's frozen clock must not predate their keys
    desk.register("alice", desk.start_emulator(TEST_MNEMONIC_ALL))
    desk.register("bob", desk.start_emulator(TEST_MNEMONIC_ABANDON))
    keys_path = tmp_path / "keys.json"
    frozen = datetime.now(UTC)
    sim = make_sim(
        keys_path,
        price_paths=[parse_price_path("BTC:-10%:3600s")],
        exposures={"palm-harbour": Decimal("44000000.00")},
        clock=lambda: frozen,
    )
    add_party_key(
        store,
        Party.EXCHANGE,
        sim.pubkey,
        sim.address,
        actor="test",
        role=Role.EXCHANGE,
        name="exchange-sim",
        is_emulator=True,
    )
    running = start_sim(sim)
    with store.transaction() as tx:
        tx.settings.put(LINK_SETTING, running.url, datetime.now(UTC))
    yield running, keys_path
    running.stop()


def attest_and_receive_call(desk, exchange):
    """Attest palm-harbour, send it, shock BTC, pull the call; returns the margin view."""
    running, keys_path = exchange
    store = desk.ctx.facade.store
    keys_path.write_bytes(keys_file(store).to_bytes())  # the sim trusts our officers
    w = desk.window

    # alice prepares palm-harbour's attestation, bob signs it, it goes to the exchange
    desk.sign_in("alice")
    proxy = w.holdings.clients.proxy
    w.holdings.clients.selectRow(
        next(r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "palm-harbour")
    )
    prepared = desk.run(w.attestations.prepare())
    assert prepared is not None, close_messages()
    desk.sign_in("bob")
    w.attestations.select(prepared.att_id)
    desk.run(w.attestations.show_detail())
    assert desk.run(w.attestations.approve_selected()) is not None, close_messages()
    w.attestations.select(prepared.att_id)
    assert w.attestations.send_action.isEnabled()
    summary = run_confirming(desk, w.attestations.send_selected())
    assert summary is not None and "1 sent" in summary, (summary, close_messages())
    rows = desk.run(desk.ctx.facade.attestations())
    assert rows[0].status == AttestationStatus.SENT

    # the market falls; the exchange issues a signed margin call; the desk pulls it
    view = w.margin_calls
    arrived: list[int] = []
    view.new_calls.connect(arrived.append)
    desk.run(view.reload())
    running.sim.advance(3600)
    desk.run(view.sync())
    assert arrived == [1], close_messages()
    assert "(1)" in w.tabs.tabText(2)
    call = view.model.row_at(0)
    assert call.client_id == "palm-harbour" and call.status == MarginCallStatus.RECEIVED
    assert call.shortfall > 0
    return view


@pytest.mark.both_backends  # maker-checker / margin call / emergency: the store matters
def test_margin_call_arrives_from_the_exchange_and_is_worked(desk, exchange) -> None:
    from app.ui.models.holdings import ClientColumn

    view = attest_and_receive_call(desk, exchange)
    # the exchange's figures and the desk's own, each labelled; Holdings in step
    call = view.model.row_at(0)
    assert call.desk_ratio is not None and call.desk_standing
    view.select(call.call_id)
    desk.run(view.load_detail())
    assert "(margin call)" in view.details.shortfall.text()
    assert "the desk's valuation" in view.details.desk_view.text()
    holdings = desk.window.holdings
    desk.wait_until(
        lambda: any(
            holdings.clients_model.row_at(r).exchange_call == "margin_call"
            for r in range(holdings.clients_model.rowCount())
        )
    )
    [row] = [
        r
        for r in range(holdings.clients_model.rowCount())
        if holdings.clients_model.row_at(r).client_id == "palm-harbour"
    ]
    state = holdings.clients_model.index(row, ClientColumn.STATE).data()
    assert "exchange: margin call" in state
    first = view.model.index(0, MarginCallColumn.COUNTDOWN).data()
    desk.wait_until(
        lambda: view.model.index(0, MarginCallColumn.COUNTDOWN).data() != first, timeout=3
    )

    # acknowledge, escalate, and preview the stored yield-first plan
    view.table.selectRow(0)
    assert view.ack_action.isEnabled() and view.topup_action.isEnabled()
    assert not view.answer_action.isEnabled()  # nothing to answer before a top-up
    desk.run(view.acknowledge())
    assert view.model.row_at(0).status == MarginCallStatus.ACKNOWLEDGED, close_messages()
    view.table.selectRow(0)
    assert not view.ack_action.isEnabled() and view.escalate_action.isEnabled()
    view.table.selectRow(0)
    desk.run(view.escalate())
    assert view.model.row_at(0).status == MarginCallStatus.ESCALATED, close_messages()
    view.table.selectRow(0)
    # the details pane: recorded history, the exchange's signed call, the waterfall preview
    desk.run(view.load_detail())
    desk.settle()
    detail = view.details.detail
    assert detail is not None
    assert [e.state for e in detail.history] == [
        MarginCallStatus.RECEIVED,
        MarginCallStatus.ACKNOWLEDGED,
        MarginCallStatus.ESCALATED,
    ]
    assert [d.kind for d in detail.documents] == ["margin_call"]
    assert view.details.waterfall_model.rowCount() >= 1
    assert "Escalated to liquidation" in view.details.history.text()
    desk.run(view.preview_waterfall())
    dialog = view.last_waterfall
    assert dialog is not None and dialog.model.rowCount() >= 1
    assert dialog.model.rows[-1].remaining_shortfall == Decimal("0.00")
    assert dialog.sign_button.isEnabled()

    # bob signs the pre-authorised instruction on his device; the exchange executes it
    dialog.sign_button.click()
    desk.wait_until(
        lambda: (
            view.last_flow is not None
            and not view.last_flow.dialog.isVisible()
            and view.last_flow.interaction is not None
        ),
        timeout=15,
    )
    assert view.last_flow.error is None, close_messages()
    desk.run(view.sync())
    desk.run(view.reload())
    assert view.model.row_at(0).status == MarginCallStatus.LIQUIDATED, close_messages()
    call_id = view.model.row_at(0).call_id
    view.select(call_id)
    desk.run(view.load_detail())
    desk.settle()
    assert f"li-{call_id}" in view.details.documents.text()
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any("liquidation" in e.action for e in entries)


@pytest.mark.both_backends  # maker-checker / margin call / emergency: the store matters
def test_margin_call_answered_with_a_top_up_attestation(desk, exchange, tmp_path) -> None:
    import json

    from app.services.demo import demo_snapshot_path

    view = attest_and_receive_call(desk, exchange)
    w = desk.window
    # the client moves 30 more BTC into custody: the desk imports the new snapshot,
    # dated after the call arrived (within the desk's allowed clock skew)
    snapshot = json.loads(demo_snapshot_path().read_text())
    snapshot["as_of"] = format_utc(datetime.now(UTC) + timedelta(minutes=1))
    snapshot["prices"]["BTC"] = "87300.00"
    for client in snapshot["clients"]:
        if client["id"] == "palm-harbour":
            client["positions"] = [{"asset": "BTC", "quantity": "330"}]
    path = tmp_path / "topup.json"
    path.write_text(json.dumps(snapshot))
    assert desk.run(w.import_snapshot(str(path))) is not None, close_messages()

    desk.sign_in("alice")
    view.select(view.model.row_at(0).call_id)
    desk.run(view.top_up())
    assert view.last_flow is not None and view.last_flow.error is None, close_messages()
    topup = max(desk.run(desk.ctx.facade.attestations()), key=lambda r: r.sequence)
    assert topup.client_ids == ("palm-harbour",) and topup.prepared_by == "alice"
    assert topup.status == AttestationStatus.AWAITING_APPROVAL
    # format 3: alice's own device signed it as its maker (prepared-by)
    detail = desk.run(desk.ctx.facade.attestation_detail(topup.att_id))
    assert detail.statement.startswith("CDESK-ATTEST/3 ")

    desk.sign_in("bob")
    desk.run(w.attestations.reload())
    w.attestations.select(topup.att_id)
    desk.run(w.attestations.show_detail())
    assert desk.run(w.attestations.approve_selected()) is not None, close_messages()

    view.select(view.model.row_at(0).call_id)
    desk.run(view.answer_top_up())
    assert view.last_flow is not None and view.last_flow.error is None, close_messages()
    desk.run(view.sync())
    assert view.model.row_at(0).status == MarginCallStatus.TOPPED_UP, close_messages()
    # the call's history shows the answer sent and the exchange's reply
    view.select(view.model.row_at(0).call_id)
    desk.run(view.load_detail())
    history = view.details.history.text()
    assert "top-up answer tu-" in history and "USD 2095200.00" in history
    assert "exchange replied" in history and "resolved" in history
    # the bundle sent carries both signatures: approved-by bob, prepared-by alice
    from app.services.attestations import AttestationService

    store = desk.ctx.facade.store
    bundle = AttestationService(store).export_bundle(int(topup.att_id))
    assert len(bundle.signatures) == 2


def test_a_top_up_without_new_collateral_is_refused_with_the_reason(desk, exchange) -> None:
    """Unchanged holdings: nothing is prepared, the officer reads why and what to do."""
    view = attest_and_receive_call(desk, exchange)
    before = len(desk.run(desk.ctx.facade.attestations()))
    desk.sign_in("alice")
    view.select(view.model.row_at(0).call_id)
    desk.run(view.top_up())
    # refused before the device is asked: the signing flow shows the reasons
    flow = view.last_flow
    assert flow is not None and isinstance(flow.error, RefusedError), close_messages()
    text = " ".join(flow.error.reasons)
    assert "no new collateral" in text and "Import the snapshot" in text
    assert len(desk.run(desk.ctx.facade.attestations())) == before
    assert view.model.row_at(0).status == MarginCallStatus.RECEIVED
