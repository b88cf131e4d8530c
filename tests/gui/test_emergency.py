"""Emergency 2-of-3 through the Emergency tab: custodian signs on the emulator, the
regulator's copy (a second emulator) is imported, quorum is shown, executed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from message_boxes import close_messages, run_confirming
from PySide6.QtWidgets import QLabel

from app.documents.envelope import parse_document
from app.documents.keys import Party
from app.services import emergency
from app.services.officers import keys_file, read_device_key
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_ZOO,
)
from signing.interface import NullInteraction

PATH = "m/44'/0'/0'/0/0"


@pytest.mark.both_backends  # maker-checker / margin call / emergency: the store matters
def test_order_reaches_quorum_with_two_emulator_parties_and_executes_once(desk, tmp_path: Path):
    store = desk.ctx.facade.store
    custodian_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    regulator_emu = desk.start_emulator(TEST_MNEMONIC_ZOO)
    desk.register("alice", custodian_emu)
    desk.add_officer_emergency_key("alice")
    _, reg_key = desk.run(read_device_key(regulator_emu.trezor_uri, PATH, NullInteraction()))
    desk.add_emergency_key(Party.REGULATOR, reg_key.pubkey, reg_key.address)

    w = desk.window
    desk.sign_in("alice")
    view = w.emergency
    w.tabs.setCurrentWidget(view)
    dialog = view.open_create_dialog()
    desk.wait_until(lambda: dialog.client.count() > 0)
    dialog.client.setCurrentText("alnoor-quant")
    # a device can only show printable ASCII: "café" is refused before anything is made
    dialog.reason.setPlainText("Outage at the café branch")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem.isVisible() and "Character 18 (é)" in dialog.problem.text()
    dialog.reason.setPlainText("Exchange outage: release collateral")
    assert dialog.ok_button.isEnabled() and not dialog.problem.isVisible()
    dialog.ok_button.click()
    desk.wait_until(lambda: view.model.rowCount() == 1)
    order = view.model.row_at(0)
    assert order.valid_signatures == 0 and not view.execute_action.isEnabled()
    desk.run(view.load_detail())
    # nobody has signed: it must not read "waiting for a second party"
    assert "no party has signed yet" in view.details.status.text()

    signed = desk.run(view.sign_selected())
    assert signed is not None, close_messages()
    assert signed.valid_signatures == 1 and not signed.quorum
    # one share per party: the custodian cannot sign again from the window
    view.select(signed.order_id)
    assert not view.sign_action.isEnabled() and "one share per party" in view.sign_action.toolTip()
    desk.run(view.load_detail())
    assert "1 of 2 signatures" in view.details.status.text()
    # replacing it is an explicit, audited act with a reason
    assert view.replace_action.isEnabled()
    replace = view.open_replace_dialog()
    assert replace is not None and not replace.ok_button.isEnabled()
    replace.reason.setPlainText("Key rotation after a device swap")
    assert replace.ok_button.isEnabled() and "k-" in replace.findChild(QLabel).text()
    reason = replace.text()
    replace.reject()  # (accepting it runs exactly this)
    # bob, another custodian officer with his own device, replaces alice's share
    desk.register("bob", desk.start_emulator(TEST_MNEMONIC_ABANDON))
    desk.add_officer_emergency_key("bob")
    desk.sign_in("bob")
    view.select(signed.order_id)
    replaced = desk.run(view.sign_selected(replace_reason=reason))
    assert replaced is not None, close_messages()
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(
        e.action == "emergency.share_replace" and "device swap" in e.payload for e in entries
    )
    close_messages()
    desk.run(view.reload())
    view.select(signed.order_id)
    assert view.model.row_at(0).valid_signatures == 1  # still one custodian share
    desk.sign_in("alice")

    exported = tmp_path / "order.json"
    desk.run(view.export_selected(str(exported)))
    document = parse_document(exported.read_bytes())
    regulator_copy = desk.run(
        emergency.sign_share(
            document,
            Party.REGULATOR,
            regulator_emu.trezor_uri,
            PATH,
            interaction=NullInteraction(),
            keys=keys_file(store),
        )
    )
    incoming = tmp_path / "order-regulator.json"
    incoming.write_bytes(regulator_copy.to_bytes())

    imported = desk.run(view.import_file(str(incoming)))
    assert imported is not None, close_messages()
    assert imported.quorum
    assert {p.party for p in imported.parties if p.verified} == {Party.CUSTODIAN, Party.REGULATOR}
    assert view.execute_action.isEnabled()

    # the details pane: both shares verified, each with its key id, the exchange missing
    desk.run(view.load_detail())
    desk.settle()
    cells = view.details.party_cells
    for party in (Party.CUSTODIAN, Party.REGULATOR):
        share, key, verification = cells[party]
        assert share.text().startswith("Signed") and key.text().startswith("k-")
        assert "Verified" in verification.text()
    assert cells[Party.EXCHANGE][0].text() == "Not signed"
    assert "Quorum reached" in view.details.status.text()

    # the confirmation names what will happen; Cancel releases nothing
    from app.ui.dialogs.confirm_act import open_confirmations

    task = desk.ctx.spawn(view.execute_selected())
    desk.wait_until(lambda: bool(open_confirmations()))
    [ask] = open_confirmations()
    order = view.model.row_at(0)
    assert order.client_id in ask.text() and order.order_id in ask.text()
    assert "cannot be undone" in ask.informativeText()
    ask.cancel_button.click()
    desk.wait_until(task.done)
    assert task.result() is None
    desk.run(view.reload())
    assert view.model.row_at(0).executed_at is None

    done = run_confirming(desk, view.execute_selected())
    assert done is not None and done.executed_at is not None
    close_messages()
    desk.run(view.load_detail())
    desk.settle()
    assert view.details.release.text() == f"rel-{done.order_id}"
    assert view.details.executed.text() != "Not executed"
    # the release instruction can be exported as signed
    view.select(done.order_id)
    assert view.release_action.isEnabled()
    written = desk.run(view.export_release(str(tmp_path / "release.json")))
    assert written is not None
    release = parse_document((tmp_path / "release.json").read_bytes())
    assert release.body["id"] == f"rel-{done.order_id}"
    # executed: the 48-hour countdown has stopped
    assert "left" not in view.details.expires.text() and "(" not in view.details.expires.text()
    view.details.tick()
    assert "(" not in view.details.expires.text()
    assert not view.execute_action.isEnabled()
    again = run_confirming(desk, view.execute_selected())
    assert again is None
    assert "refused" in close_messages().lower()
