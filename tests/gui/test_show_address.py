"""Devices tab, "Show address on device": the device shows a registered key's address and
the window says match, or MISMATCH loudly, as Trezor Suite and Sparrow do.

alice's key is registered from her emulator (test seed ``all``); her device shows her
address (match); bob's emulator (test seed ``abandon``) shows another one (MISMATCH, a
red line, a critical message and a message kept in the status bar). A device flow in
progress is cancellable from the "check your device" dialog. Public test seeds only.
"""

from __future__ import annotations

from message_boxes import close_messages, messages

from app.services.key_display import KeyKind
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL


def mismatch_boxes() -> list:  # type: ignore[type-arg]
    """The window's MISMATCH messages on screen (other tests' leftovers ignored)."""
    return [m for m in messages() if m.objectName() == "addressMismatchMessage"]


def _select(view, alice_key_address: str, device_uri: str) -> None:  # type: ignore[no-untyped-def]
    keys = view.keys.proxy
    row = next(r for r in range(keys.rowCount()) if keys.row_object(r).owner == "alice")
    assert keys.row_object(row).address == alice_key_address
    view.keys.selectRow(row)
    devices = view.table.proxy
    view.table.selectRow(
        next(r for r in range(devices.rowCount()) if devices.row_object(r).uri == device_uri)
    )


def test_show_address_on_device_says_match_then_mismatch_on_another_seed(desk) -> None:
    alice_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    bob_emu = desk.start_emulator(TEST_MNEMONIC_ABANDON)
    desk.register("alice", alice_emu)
    view = desk.window.devices
    desk.run(view.reload())
    keys = view.keys_model.rows
    assert [(k.kind, k.owner) for k in keys] == [(KeyKind.OFFICER, "alice")]
    registered = keys[0].address
    assert registered == alice_emu.hsm.get_public_key("m/44'/0'/0'/0/0").address

    _select(view, registered, alice_emu.trezor_uri)
    check = desk.run(view.show_selected_address())
    assert check is not None, close_messages()
    assert check.matches and check.shown == registered
    assert registered in alice_emu.hsm.screen  # the device itself showed it
    text = view.address_result.text()
    assert "✓ Match" in text and registered in text and "MISMATCH" not in text
    assert not mismatch_boxes()

    _select(view, registered, bob_emu.trezor_uri)
    check = desk.run(view.show_selected_address())
    assert check is not None and not check.matches
    other = bob_emu.hsm.get_public_key("m/44'/0'/0'/0/0").address
    assert check.shown == other != registered
    text = view.address_result.text()
    assert "MISMATCH" in text and other in text and registered in text
    assert "font-weight: bold" in view.address_result.styleSheet()
    boxes = mismatch_boxes()
    assert len(boxes) == 1
    assert "MISMATCH" in boxes[0].text() and other in boxes[0].informativeText()
    close_messages()


def test_show_address_is_cancellable_from_the_check_your_device_dialog(desk) -> None:
    alice_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("alice", alice_emu)
    view = desk.window.devices
    desk.run(view.reload())
    registered = view.keys_model.rows[0].address
    _select(view, registered, alice_emu.trezor_uri)
    alice_emu.hsm.set_policy("delay:30")  # the officer looks and does not press anything
    task = desk.ctx.spawn(view.show_selected_address())
    desk.wait_until(lambda: alice_emu.hsm.state()["pending_prompts"] == 1)
    assert view.last_flow is not None
    assert registered in view.last_flow.dialog.statement.toPlainText()
    view.last_flow.dialog.cancel_requested.emit()  # the dialog's Cancel
    desk.wait_until(task.done)
    assert task.result() is None and view.last_check is None
    desk.wait_until(lambda: alice_emu.hsm.state()["pending_prompts"] == 0)
    assert "Cancelled" in close_messages()
    assert view.address_result.text() == ""


def test_a_partys_multisig_key_and_safe_owner_are_shown_on_the_partys_device(desk) -> None:
    from btc_support import account_key

    from app.domain.parties import Party
    from app.services.vault import add_multisig_key, client_vault
    from app.services.vault_safes import register_eth_owner
    from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO

    store = desk.ctx.facade.store
    custodian_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    seeds = {Party.REGULATOR: TEST_MNEMONIC_ZOO, Party.CUSTODIAN: TEST_MNEMONIC_ALL,
             Party.EXCHANGE: TEST_MNEMONIC_ABANDON}  # fmt: skip
    for party, seed in seeds.items():
        add_multisig_key(store, party, account_key(seed), actor="test", is_emulator=True)
    eth_path = "m/44'/60'/0'/0/0"
    register_eth_owner(store, Party.CUSTODIAN, custodian_emu.hsm.eth_address(eth_path),
                       actor="test", path=eth_path, fingerprint=custodian_emu.hsm.fingerprint())
    register_eth_owner(store, Party.EXCHANGE, "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4",
                       actor="test")  # by address only: no path to show it at  # fmt: skip
    view = desk.window.devices
    desk.run(view.reload())
    rows = {(k.kind, k.owner): k for k in view.keys_model.rows}
    assert set(rows) == {(KeyKind.MULTISIG, p.value) for p in seeds} | {
        (KeyKind.SAFE_OWNER, "custodian")
    }
    multisig = rows[KeyKind.MULTISIG, "custodian"]
    first_client = sorted(c.client_id for c in desk.run(desk.ctx.facade.holdings()).clients)[0]
    assert multisig.client_id == first_client
    assert multisig.address == client_vault(store, first_client).address(0).address

    def check(key):  # type: ignore[no-untyped-def]
        proxy = view.keys.proxy
        view.keys.selectRow(next(r for r in range(proxy.rowCount()) if proxy.row_object(r) == key))
        return desk.run(view.show_selected_address())

    shown = check(multisig)
    assert shown is not None and shown.matches, close_messages()
    assert multisig.address in custodian_emu.hsm.screen and "✓ Match" in view.address_result.text()
    owner = rows[KeyKind.SAFE_OWNER, "custodian"]
    shown = check(owner)
    assert shown is not None and shown.matches and shown.shown == owner.address
    # the regulator's multisig key, asked of the custodian's device: nothing is shown
    shown_before = custodian_emu.hsm.state()["prompts"]
    wrong = check(rows[KeyKind.MULTISIG, "regulator"])
    assert wrong is not None and wrong.wrong_device and not wrong.matches
    assert custodian_emu.hsm.state()["prompts"] == shown_before
    text = view.address_result.text()
    regulator_fingerprint = rows[KeyKind.MULTISIG, "regulator"].fingerprint
    assert "Not this key's device" in text and regulator_fingerprint in text
    assert not mismatch_boxes()


def test_every_window_shortcut_is_bound_once(desk) -> None:
    """Show address on device (Ctrl+Alt+W) takes no other action's keys."""
    from collections import Counter

    from PySide6.QtGui import QAction

    actions = desk.window.findChildren(QAction)
    keys = Counter(
        s.toString() for a in actions for s in a.shortcuts() if not s.isEmpty()
    )
    assert [k for k, n in keys.items() if n > 1] == []
    assert desk.window.devices.show_address_action.shortcut().toString() == "Ctrl+Alt+W"
