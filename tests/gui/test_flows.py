"""Key flows through the real widgets, signing on the in-process emulator."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from message_boxes import close_messages, message_texts, run_confirming

from app.documents.signatures import verify_message
from app.domain.snapshot import format_utc
from app.services.desk_facade import AttestationStatus, MarginCallRow, MarginCallStatus
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL


def setup_two_officers(desk):
    alice_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    bob_emu = desk.start_emulator(TEST_MNEMONIC_ABANDON)
    desk.register("alice", alice_emu)
    desk.register("bob", bob_emu)
    return alice_emu, bob_emu


def prepare_as_alice(desk) -> str:
    w = desk.window
    desk.sign_in("alice")
    holdings = w.holdings
    proxy = holdings.clients.proxy
    row = next(
        r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "alnoor-quant"
    )
    holdings.clients.selectRow(row)
    prepared = desk.run(w.attestations.prepare())
    assert prepared is not None, message_texts()
    assert prepared.status == AttestationStatus.AWAITING_APPROVAL
    assert prepared.prepared_by == "alice"
    return prepared.att_id


@pytest.mark.both_backends  # maker-checker / margin call / emergency: the store matters
def test_prepare_then_second_officer_signs_on_emulator(desk) -> None:
    setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    w = desk.window
    desk.sign_in("bob")
    w.attestations.select(att_id)
    desk.run(w.attestations.show_detail())
    # the statement shown is the exact device text
    statement = w.attestations.statement.toPlainText()
    assert statement and "\n" not in statement and len(statement) <= 240
    signed = desk.run(w.attestations.approve_selected())
    assert signed is not None, message_texts()
    assert signed.status == AttestationStatus.SIGNED
    assert signed.approved_by == "bob"
    detail = desk.run(desk.ctx.facade.attestation_detail(att_id))
    bob = desk.ctx.officer_row("bob")
    assert bob is not None and detail.signature_b64
    officers = desk.run(desk.ctx.facade.officers())
    assert any(o.name == "bob" for o in officers)
    from app.services.officers import list_officers

    pubkey = next(o.pubkey for o in list_officers(desk.ctx.facade.store) if o.name == "bob")
    assert verify_message(pubkey, detail.statement, base64.b64decode(detail.signature_b64))
    # every inclusion proof verifies from the detail panel
    desk.run(w.attestations.show_detail())
    desk.run(w.attestations.verify_all_proofs())
    assert all(p.verified for p in w.attestations.proofs_model.rows)


@pytest.mark.both_backends  # maker-checker / margin call / emergency: the store matters
def test_same_officer_cannot_approve_own_attestation(desk) -> None:
    setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    w = desk.window
    w.attestations.select(att_id)
    desk.run(w.attestations.show_detail())
    assert "different officer" in w.attestations.hint.text()
    result = desk.run(w.attestations.approve_selected())
    assert result is None
    assert "cannot approve" in message_texts()
    close_messages()
    rows = desk.run(desk.ctx.facade.attestations())
    assert rows[0].status == AttestationStatus.AWAITING_APPROVAL


def _approve_with(desk, att_id: str, hsm_setup, during=None):
    w = desk.window
    desk.sign_in("bob")
    w.attestations.select(att_id)
    desk.run(w.attestations.show_detail())
    hsm_setup()
    task = desk.ctx.spawn(w.attestations.approve_selected())
    if during is not None:
        desk.wait_until(
            lambda: (
                w.attestations.last_flow is not None and w.attestations.last_flow.dialog.isVisible()
            )
        )
        during(w.attestations.last_flow)
    desk.wait_until(task.done, timeout=20)
    return task.result()


def test_reject_on_device_stores_nothing(desk) -> None:
    _, bob_emu = setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    result = _approve_with(desk, att_id, lambda: bob_emu.hsm.set_policy("reject"))
    assert result is None
    assert "Rejected on the device" in message_texts()
    close_messages()
    detail = desk.run(desk.ctx.facade.attestation_detail(att_id))
    assert detail.signature_b64 is None
    assert detail.row.status != AttestationStatus.SIGNED


def test_cancel_from_dialog_cancels_the_device_flow(desk) -> None:
    _, bob_emu = setup_two_officers(desk)
    att_id = prepare_as_alice(desk)

    def cancel(flow) -> None:
        desk.wait_until(lambda: "approve or reject" in flow.dialog.status.text(), timeout=10)
        flow.dialog.cancel_button.click()

    result = _approve_with(desk, att_id, lambda: bob_emu.hsm.set_policy("delay:60"), cancel)
    assert result is None
    assert "cancelled" in message_texts().lower()
    close_messages()
    assert desk.run(desk.ctx.facade.attestation_detail(att_id)).signature_b64 is None


def test_wrong_pin_is_reported_and_nothing_signed(desk) -> None:
    _, bob_emu = setup_two_officers(desk)
    att_id = prepare_as_alice(desk)

    def wrong_pin(flow) -> None:
        desk.wait_until(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible())
        flow.pin_dialog.press(1)
        flow.pin_dialog.ok_button.click()

    def lock() -> None:
        bob_emu.hsm.set_pin("4321")
        bob_emu.hsm.lock()

    result = _approve_with(desk, att_id, lock, wrong_pin)
    assert result is None
    assert "PIN" in message_texts()
    close_messages()
    assert desk.run(desk.ctx.facade.attestation_detail(att_id)).signature_b64 is None


def test_device_unplugged_mid_flow(desk) -> None:
    _, bob_emu = setup_two_officers(desk)
    att_id = prepare_as_alice(desk)

    def unplug(flow) -> None:
        desk.wait_until(lambda: "approve or reject" in flow.dialog.status.text(), timeout=10)
        bob_emu.unplug()

    result = _approve_with(desk, att_id, lambda: bob_emu.hsm.set_policy("delay:60"), unplug)
    assert result is None
    texts = message_texts().lower()
    assert "disconnected" in texts or "did not answer" in texts, texts
    close_messages()
    assert desk.run(desk.ctx.facade.attestation_detail(att_id)).signature_b64 is None


def test_margin_call_arrives_badges_the_tab_and_counts_down(desk, monkeypatch) -> None:
    now = datetime.now(UTC)
    call = MarginCallRow(
        "mc-1",
        "palm-harbour",
        "Palm Harbour Capital",
        now,
        now + timedelta(minutes=30),
        Decimal("1250000.00"),
        Decimal("44000000.00"),
        Decimal("0.4800"),
        MarginCallStatus.RECEIVED,
        False,
    )
    calls: list[MarginCallRow] = []

    async def margin_calls():
        return list(calls)

    monkeypatch.setattr(desk.ctx.facade, "margin_calls", margin_calls)
    w = desk.window
    seen: list[int] = []
    w.margin_calls.new_calls.connect(seen.append)
    desk.run(w.margin_calls.reload())
    calls.append(call)
    desk.run(w.margin_calls.reload())
    assert seen == [1]
    assert "(1)" in w.tabs.tabText(2)
    from app.ui.models.desk import MarginCallColumn

    index = w.margin_calls.model.index(0, MarginCallColumn.COUNTDOWN)
    first = index.data()
    desk.wait_until(
        lambda: w.margin_calls.model.index(0, MarginCallColumn.COUNTDOWN).data() != first, timeout=3
    )
    assert first.startswith("0h 29m") or first.startswith("0h 30m")


def test_waterfall_preview_covers_the_shortfall_in_pre_authorised_order(desk, monkeypatch):
    now = datetime.now(UTC)
    call = MarginCallRow(
        "mc-2",
        "sandstone-arb",
        "Sandstone Arbitrage Fund",
        now,
        now - timedelta(minutes=5),
        Decimal("610000.00"),
        Decimal("34000000.00"),
        Decimal("0.4821"),
        MarginCallStatus.ESCALATED,
        True,
    )

    async def margin_calls():
        return [call]

    monkeypatch.setattr(desk.ctx.facade, "margin_calls", margin_calls)
    view = desk.window.margin_calls
    desk.run(view.reload())
    view.table.selectRow(0)
    from app.ui.models.desk import MarginCallColumn, call_urgency

    assert call_urgency(call) == "past"  # red: past its deadline
    assert view.model.index(0, MarginCallColumn.COUNTDOWN).data().startswith("−")
    desk.run(view.preview_waterfall())
    dialog = view.last_waterfall
    assert dialog is not None and dialog.isVisible()
    lines = dialog.model.rows
    assert lines, "a plan for the shortfall"
    assert lines[-1].remaining_shortfall == Decimal("0.00")
    assert sum((line.usd for line in lines), Decimal(0)) >= Decimal("610000.00")
    assert dialog.sign_button.isEnabled()
    dialog.reject()


@pytest.mark.both_backends  # maker-checker / margin call / emergency: the store matters
def test_checker_rejects_with_a_reason_and_the_maker_cannot(desk) -> None:
    setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    view = desk.window.attestations
    view.select(att_id)
    desk.run(view.show_detail())
    assert not view.reject_action.isEnabled()  # alice made it
    desk.sign_in("bob")
    view.select(att_id)
    assert view.reject_action.isEnabled()
    dialog = view.open_reject_dialog()
    assert dialog is not None and not dialog.ok_button.isEnabled()
    dialog.reason.setPlainText("Positions of alnoor-quant differ from the custodian's ledger")
    dialog.ok_button.click()
    desk.wait_until(
        lambda: (
            view.model.rowCount() == 1 and view.model.row_at(0).status == AttestationStatus.REJECTED
        )
    )
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(e.action == "attestation.reject" and "ledger" in e.payload for e in entries)


def test_import_snapshot_refuses_a_bad_file_and_takes_a_good_one(desk, tmp_path) -> None:
    import json

    from app.services.demo import demo_snapshot_path

    bad = tmp_path / "bad.json"
    bad.write_text('{"as_of": "2026-11-26T12:00:00Z", "prices": {"BTC": 1.5e3}, "clients": []}')
    before = len(desk.run(desk.ctx.facade.audit_entries()))
    assert desk.run(desk.window.import_snapshot(str(bad))) is None
    assert "prices" in message_texts()
    close_messages()
    assert len(desk.run(desk.ctx.facade.audit_entries())) == before  # nothing written

    good = json.loads(demo_snapshot_path().read_text())
    good["as_of"] = format_utc(datetime.now(UTC) + timedelta(minutes=1))  # after the demo
    good["prices"]["BTC"] = "72750.00"
    path = tmp_path / "noon.json"
    path.write_text(json.dumps(good))
    result = desk.run(desk.window.import_snapshot(str(path)))
    assert result is not None and "imported" in result
    desk.run(desk.window.holdings.reload())
    gulf = next(
        r for r in desk.window.holdings.clients_model.rows if r.client_id == "gulf-meridian-mm"
    )
    assert gulf.market_value == Decimal("1200") * Decimal("72750.00") + Decimal("40000000")
    history = desk.run(desk.ctx.facade.ratio_history("gulf-meridian-mm"))
    assert len(history) == 2 and history[1].ratio < history[0].ratio


def test_audit_tab_verifies_checkpoints_and_exports_csv(desk, tmp_path) -> None:
    view = desk.window.audit
    size = desk.run(view.checkpoint())
    assert size >= 1
    status = desk.run(view.verify())
    assert status.chain_ok and status.last_checkpoint_size == size
    assert "Chain intact" in view.status_label.text()
    out = tmp_path / "audit.csv"
    count = desk.run(view.export_csv(str(out)))
    lines = out.read_text().splitlines()
    assert lines[0].startswith("seq,time,actor,action") and len(lines) == count + 1


def test_pin_matrix_positions_unlock_the_device_and_sign(desk) -> None:
    _, bob_emu = setup_two_officers(desk)
    att_id = prepare_as_alice(desk)

    def enter_pin(flow) -> None:
        desk.wait_until(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible())
        matrix = bob_emu.trezor.device.pin_matrix  # what the device screen shows
        for position in matrix.positions_for("4321"):
            flow.pin_dialog.buttons[int(position)].click()
        flow.pin_dialog.ok_button.click()

    def lock() -> None:
        bob_emu.hsm.set_pin("4321")
        bob_emu.hsm.lock()

    result = _approve_with(desk, att_id, lock, enter_pin)
    assert result is not None, message_texts()
    assert result.status == AttestationStatus.SIGNED


def test_prepare_refuses_ineligible_clients_and_the_third_settlement_of_the_day(desk) -> None:
    setup_two_officers(desk)
    w = desk.window
    desk.sign_in("alice")
    clients = w.holdings.clients
    proxy = clients.proxy

    def select(*ids: str) -> None:
        # a holdings reload still running (after the last prepare) would put the
        # selection back on the current row: let it finish first
        desk.settle()
        clients.clearSelection()
        model = clients.selectionModel()
        for r in range(proxy.rowCount()):
            if proxy.row_object(r).client_id in ids:
                model.select(
                    proxy.index(r, 0), model.SelectionFlag.Select | model.SelectionFlag.Rows
                )

    select("creekside-digital")
    assert desk.run(w.attestations.prepare()) is None
    text = message_texts()
    assert "creekside-digital" in text and "5" in text  # under USD 5M net assets
    close_messages()

    for _ in range(2):  # the second is a duplicate, confirmed as such
        select("jumeirah-yield")
        assert run_confirming(desk, w.attestations.prepare()) is not None, message_texts()
    select("jumeirah-yield")
    assert run_confirming(desk, w.attestations.prepare()) is None
    text = message_texts()
    assert "jumeirah-yield" in text and "next slot opens at" in text, text
    close_messages()
