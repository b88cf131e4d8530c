"""Settings → Keys adds a party's Bitcoin multisig account key and Safe owner address
(until now only ``parties add --multisig-… / --eth-…``): pasted, or read from the
party's device off the GUI thread (cancellable), with the services' checks."""

from __future__ import annotations

from btc_support import account_key
from message_boxes import close_messages, message_texts
from test_flows import setup_two_officers

from signing.emulator.test_seeds import TEST_MNEMONIC_ALL, TEST_MNEMONIC_LEGAL, TEST_MNEMONIC_ZOO

MULTISIG, SAFE, PASTE, DEVICE = "multisig", "safe", 0, 1


def _open_form(desk):  # type: ignore[no-untyped-def]
    close_messages()  # boxes an earlier test's late tasks opened
    setup_two_officers(desk)
    desk.sign_in("alice")
    dialog = desk.window.show_settings()
    desk.settle()
    return dialog, dialog.add_key_box


def _choose(form, kind: str, party: str, source: int) -> None:  # type: ignore[no-untyped-def]
    form.kind.setCurrentIndex(form.kind.findData(kind))
    form.party.setCurrentIndex(form.party.findData(party))
    form.source.setCurrentIndex(source)


def _multisig(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from app.services.vault import vault_repo

    with store.read() as tx:
        return {k.party: k.xpub for k in vault_repo(tx).multisig_keys()}


def test_settings_adds_multisig_account_keys_pasted_or_read_from_a_device(desk) -> None:
    from embit import bip32, bip39
    from embit.networks import NETWORKS

    from app.services.unit_of_work import utc_now
    from signing.bitcoin.vault import AccountKey, bip48_path

    dialog, form = _open_form(desk)
    store = desk.ctx.facade.store
    _choose(form, MULTISIG, "regulator", PASTE)
    # only the fields of this kind show; the custodian may be chosen for a vault key
    assert form.xpub.isVisibleTo(form) and not form.pubkey.isVisibleTo(form)
    assert not form.role.isVisibleTo(form)
    assert form.party.findData("custodian") >= 0
    # not an account key: refused with the reason, nothing stored
    form.xpub.setText("tpub-nonsense")
    assert desk.run(form.add()) is None
    assert "Key not added" in close_messages() and _multisig(store) == {}
    # alice's device (a custodian officer's) cannot hold the regulator's vault key
    form.xpub.setText(str(account_key(TEST_MNEMONIC_ALL)))
    assert desk.run(form.add()) is None
    assert form.last_refusal is not None
    assert "Key not added" in close_messages() and _multisig(store) == {}
    # the regulator's own key, pasted with its origin
    regulator = account_key(TEST_MNEMONIC_ZOO)
    form.xpub.setText(str(regulator))
    assert desk.run(form.add()) == str(regulator)
    desk.settle()
    assert _multisig(store) == {"regulator": regulator.xpub}
    row = next(k for k in dialog.key_rows if k.kind == "multisig")
    assert row.party == "regulator" and row.address == regulator.xpub
    assert not dialog.revoke_button.isEnabled() or not row.revocable
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(e.action == "vault.multisig_key.add" and e.actor == "officer:alice"
               for e in entries)
    # the exchange's, read from its own device at the test network's BIP-48 path
    exchange = desk.start_emulator(TEST_MNEMONIC_LEGAL)
    form.reload_devices()
    _choose(form, MULTISIG, "exchange", DEVICE)
    assert form.path.text() == "m/48'/1'/0'/2'"
    form.device.setCurrentIndex(form.device.findData(exchange.trezor_uri))
    added = desk.run(form.add())
    assert added == str(account_key(TEST_MNEMONIC_LEGAL)), message_texts()
    desk.settle()
    assert set(_multisig(store)) == {"regulator", "exchange"}
    assert any(k.kind == "multisig" and k.is_test for k in dialog.key_rows)  # an emulator's
    # a production desk refuses a published test seed's key, even pasted as mainnet
    with store.transaction() as tx:
        tx.settings.put("desk.environment", "prod", utc_now())
    path = bip48_path("main", 0)
    root = bip32.HDKey.from_seed(
        bip39.mnemonic_to_seed(TEST_MNEMONIC_ZOO), version=NETWORKS["main"]["xprv"]
    )
    main_key = AccountKey.from_hdkey(
        root.my_fingerprint, path, root.derive(list(path)).to_public(), "main"
    )
    _choose(form, MULTISIG, "custodian", PASTE)
    form.xpub.setText(str(main_key))
    assert desk.run(form.add()) is None
    assert "cannot be registered on a production desk" in close_messages()
    assert "custodian" not in _multisig(store)


def test_settings_records_safe_owners_pasted_or_read_and_a_device_read_cancels(desk) -> None:
    from eth_account import Account

    from app.services.unit_of_work import utc_now
    from app.services.vault_safes import eth_owners

    dialog, form = _open_form(desk)
    store = desk.ctx.facade.store
    _choose(form, SAFE, "regulator", PASTE)
    assert form.address.isVisibleTo(form) and not form.xpub.isVisibleTo(form)
    # a mistyped checksum is refused (EIP-55), nothing stored
    owner = Account.from_key((7).to_bytes(32, "big")).address  # test-only key
    form.address.setText(owner[:-1] + (owner[-1].lower() if owner[-1].isupper() else "F"))
    assert desk.run(form.add()) is None
    assert "Key not added" in close_messages() and eth_owners(store) == {}
    form.address.setText(owner)
    assert desk.run(form.add()) == owner
    desk.settle()
    assert eth_owners(store)["regulator"].address == owner  # type: ignore[index]
    assert any(k.kind == "safe" and k.address == owner for k in dialog.key_rows)
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(e.action == "party.eth_owner" and e.actor == "officer:alice" for e in entries)

    # the exchange's, read from its device: first cancelled while the device asks its PIN
    exchange = desk.start_emulator(TEST_MNEMONIC_LEGAL)
    form.reload_devices()
    _choose(form, SAFE, "exchange", DEVICE)
    assert form.path.text() == "m/44'/60'/0'/0/0"
    form.device.setCurrentIndex(form.device.findData(exchange.trezor_uri))
    exchange.hsm.set_pin("4321")
    exchange.hsm.lock()
    task = desk.ctx.spawn(form.add())
    # the GUI thread keeps running while the device waits: the PIN dialog shows
    desk.wait_until(lambda: form.last_flow is not None and form.last_flow.pin_dialog is not None
                    and form.last_flow.pin_dialog.isVisible())
    form.last_flow.dialog.cancel_button.click()
    desk.wait_until(task.done)
    assert task.result() is None
    assert "cancelled" in close_messages().lower()
    assert "exchange" not in {p.value for p in eth_owners(store)}
    # then read for real (the PIN entered as matrix positions)
    task = desk.ctx.spawn(form.add())
    desk.wait_until(lambda: form.last_flow.pin_dialog is not None
                    and form.last_flow.pin_dialog.isVisible())
    matrix = exchange.trezor.device.pin_matrix  # what the device screen shows
    for position in matrix.positions_for("4321"):
        form.last_flow.pin_dialog.buttons[int(position)].click()
    form.last_flow.pin_dialog.ok_button.click()
    desk.wait_until(task.done)
    address = task.result()
    assert address is not None and address.startswith("0x"), message_texts()
    assert {p.value for p in eth_owners(store)} == {"regulator", "exchange"}
    # a production desk refuses an emulator's address, with the service's reason
    with store.transaction() as tx:
        tx.settings.put("desk.environment", "prod", utc_now())
    _choose(form, SAFE, "custodian", DEVICE)
    form.device.setCurrentIndex(form.device.findData(exchange.trezor_uri))
    assert desk.run(form.add()) is None
    assert "production desk" in close_messages()
    assert "custodian" not in {p.value for p in eth_owners(store)}
