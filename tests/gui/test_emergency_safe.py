"""A tokenized-asset order in the Emergency tab: the SafeTx is built beside the order and
the custodian signs it on the officer's emulated Trezor; the confirm-on-device dialog
shows the decoded fields (token, amount with decimals, destination, nonce), and for a
Trezor One, which can only sign the two hashes, both hashes to compare."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from message_boxes import close_messages

from app.documents.envelope import parse_document
from app.domain.parties import Party
from app.services import emergency
from app.services.officers import keys_file, read_device_key
from app.services.safe_orders import import_safe_signature, safe_order
from app.services.vault_safes import eth_repo, register_eth_owner, set_safe
from app.ui.dialogs.confirm_act import open_confirmations
from app.ui.file_dialogs import open_file_dialogs
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)
from signing.interface import NullInteraction

ETH_PATH = "m/44'/60'/0'/0/0"
SAFE = "0x1f15DE4d124b711f349FE2DD1B5fE0511262156d"
TOKEN = "0x51a240271AB8AB9f9a21C82d9a85396b704E164d"
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
BTC_PATH = "m/44'/0'/0'/0/0"


@pytest.mark.both_backends  # emergency: the store matters
def test_custodian_signs_the_safe_tx_from_the_window(desk) -> None:
    store = desk.ctx.facade.store
    custodian_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("alice", custodian_emu)
    custodian = custodian_emu.hsm.eth_address(ETH_PATH)
    register_eth_owner(store, Party.CUSTODIAN, custodian, actor="test")
    for party, seed in (
        (Party.REGULATOR, TEST_MNEMONIC_ZOO),
        (Party.EXCHANGE, TEST_MNEMONIC_LEGAL),
    ):
        register_eth_owner(store, party, SoftHsm(seed).eth_address(ETH_PATH), actor="test")
    # no chain node in this test: the officer states the token's decimals()
    set_safe(
        store,
        "alnoor-quant",
        chain_id=1,
        safe=SAFE,
        tokens={"BENJI": TOKEN},
        release=RELEASE,
        decimals={"BENJI": 18},
        actor="test",
    )

    w = desk.window
    desk.sign_in("alice")
    view = w.emergency
    w.tabs.setCurrentWidget(view)
    created = desk.run(view.create_order("alnoor-quant", "Exchange outage"))
    assert created is not None, close_messages()
    order = safe_order(store, created.order_id)
    assert order.section["units"] == str(80_000_000 * 10**18)

    signed = desk.run(view.safe_sign_selected())
    assert signed is not None, close_messages()
    shown = view.last_flow.dialog.statement.toPlainText()
    for line in (
        f"Token: BENJI at {TOKEN}",
        f"Amount: 80000000 BENJI ({80_000_000 * 10**18} units, 18 decimals)",
        f"Destination: {RELEASE}",
        f"From Safe {SAFE} on chain 1, nonce 0",
    ):
        assert line in shown.splitlines(), shown
    with store.read() as tx:
        (stored,) = eth_repo(tx).safe_signatures(created.order_id)
    assert stored.owner == custodian and stored.shown_in_full
    assert order.tx.recover_owner(stored.signature) == custodian

    # a second order while the first is open at the Safe's nonce: refused, naming it
    assert desk.run(view.create_order("alnoor-quant", "Same nonce again")) is None
    assert f"already has open order {created.order_id} at nonce 0" in close_messages()
    # once the Safe has moved past nonce 0 (the desk's record, no node here) it is fine
    with store.transaction() as write:
        eth_repo(write).advance_nonce("alnoor-quant", 0)
    # a Trezor One signs by hashes: the dialog lists both for comparison
    custodian_emu.trezor.device.ethereum.typed_data_full = False
    second = desk.run(view.create_order("alnoor-quant", "Second order, by hashes"))
    assert second is not None, close_messages()
    assert safe_order(store, second.order_id).tx.nonce == 1
    view.select(second.order_id)
    assert desk.run(view.safe_sign_selected()) is not None, close_messages()
    shown = view.last_flow.dialog.statement.toPlainText()
    tx = safe_order(store, second.order_id).tx
    # the details pane names the SafeTx hash the owners sign
    desk.wait_until(lambda: view.details.safe_hash.text() == "0x" + tx.safe_tx_hash.hex())
    assert f"Domain hash: 0x{tx.domain_hash.hex()}" in shown
    assert f"Message hash: 0x{tx.message_hash.hex()}" in shown
    with store.read() as read:
        (by_hash,) = eth_repo(read).safe_signatures(second.order_id)
    assert not by_hash.shown_in_full and tx.recover_owner(by_hash.signature) == custodian
    assert Decimal(80_000_000) == safe_order(store, second.order_id).quantity


def _shows(desk, view, lines: list[str], *, any_order: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Wait until the details pane's SafeTx signatures read ``lines`` (the newest read wins)."""

    def shown() -> list[str]:
        text = view.details.safe.text().splitlines()
        return sorted(text) if any_order else text

    want = sorted(lines) if any_order else lines
    try:
        desk.wait_until(lambda: shown() == want, timeout=5)
    except AssertionError:
        assert shown() == want
        raise


@pytest.mark.both_backends  # emergency: the store matters
def test_the_window_executes_a_safe_order_by_writing_its_exec_transaction(desk, tmp_path: Path):
    """Execute on a Safe order: a save dialog (no nested loop), a confirmation naming the
    file and the order, then the execTransaction JSON is written and the order released."""
    store = desk.ctx.facade.store
    custodian_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    regulator_emu = desk.start_emulator(TEST_MNEMONIC_ZOO)
    desk.register("alice", custodian_emu)
    desk.add_officer_emergency_key("alice")
    _, reg_key = desk.run(read_device_key(regulator_emu.trezor_uri, BTC_PATH, NullInteraction()))
    desk.add_emergency_key(Party.REGULATOR, reg_key.pubkey, reg_key.address)
    custodian = custodian_emu.hsm.eth_address(ETH_PATH)
    regulator = SoftHsm(TEST_MNEMONIC_ZOO)
    register_eth_owner(store, Party.CUSTODIAN, custodian, actor="test")
    register_eth_owner(store, Party.REGULATOR, regulator.eth_address(ETH_PATH), actor="test")
    register_eth_owner(
        store, Party.EXCHANGE, SoftHsm(TEST_MNEMONIC_LEGAL).eth_address(ETH_PATH), actor="test"
    )
    set_safe(
        store,
        "alnoor-quant",
        chain_id=1,
        safe=SAFE,
        tokens={"BENJI": TOKEN},
        release=RELEASE,
        decimals={"BENJI": 18},
        actor="test",
    )
    w = desk.window
    desk.sign_in("alice")
    view = w.emergency
    w.tabs.setCurrentWidget(view)
    created = desk.run(view.create_order("alnoor-quant", "Exchange outage"))
    assert created is not None, close_messages()
    order_id = created.order_id
    tx = safe_order(store, order_id).tx

    # the statement's 2-of-3 (custodian on the window's device, the regulator's copy)
    assert desk.run(view.sign_selected()) is not None, close_messages()
    exported = tmp_path / "order.json"
    desk.run(view.export_selected(str(exported)))
    copy = desk.run(
        emergency.sign_share(
            parse_document(exported.read_bytes()),
            Party.REGULATOR,
            regulator_emu.trezor_uri,
            BTC_PATH,
            interaction=NullInteraction(),
            keys=keys_file(store),
        )
    )
    incoming = tmp_path / "order-regulator.json"
    incoming.write_bytes(copy.to_bytes())
    assert desk.run(view.import_file(str(incoming))) is not None, close_messages()
    # the SafeTx: the custodian on the device, the regulator's imported r||s||v
    desk.run(view.load_detail())
    _shows(desk, view, ["2 more owner signatures needed"])
    assert desk.run(view.safe_sign_selected()) is not None, close_messages()
    view.select(order_id)
    desk.run(view.load_detail())  # (a reload the signing spawned may still be on its way)
    _shows(desk, view, [f"✓ {custodian} (Custodian) valid", "1 more owner signature needed"])
    import_safe_signature(
        store,
        order_id,
        Party.REGULATOR,
        regulator.sign_eth_digest(ETH_PATH, tx.safe_tx_hash).hex(),
        actor="test",
    )
    desk.run(view.reload())
    view.select(order_id)
    assert view.execute_action.isEnabled()
    desk.run(view.load_detail())
    _shows(
        desk,
        view,
        [
            f"✓ {custodian} (Custodian) valid",
            f"✓ {regulator.eth_address(ETH_PATH)} (Regulator (VARA)) valid",
            "Enough owner signatures (2 of 3)",
        ],
        any_order=True,
    )

    # cancelling the save dialog writes nothing and executes nothing
    target = tmp_path / "out" / f"safe-tx-{order_id}.json"
    target.parent.mkdir()
    view.execute_action.trigger()
    desk.wait_until(lambda: bool(open_file_dialogs()), timeout=4)
    [dialog] = open_file_dialogs()
    dialog.reject()
    desk.settle()
    assert open_confirmations() == [] and view.model.row_at(0).executed_at is None

    view.execute_action.trigger()
    desk.wait_until(lambda: bool(open_file_dialogs()), timeout=4)
    [dialog] = open_file_dialogs()
    assert dialog.selectedFiles()[0].endswith(f"safe-tx-{order_id}.json")
    dialog.selectFile(str(target))
    dialog.accept()
    desk.wait_until(lambda: bool(open_confirmations()), timeout=4)
    [ask] = open_confirmations()
    assert str(target) in ask.text() and order_id in ask.text() and "BENJI" in ask.text()
    assert "0x" + tx.safe_tx_hash.hex() in ask.informativeText()
    assert "cannot be undone" in ask.informativeText()
    assert not target.exists()  # nothing before the confirmation
    ask.confirm_button.click()
    desk.wait_until(lambda: target.exists() and view.model.row_at(0).executed_at is not None)
    assert str(target) in close_messages()

    call = json.loads(target.read_text())
    assert call["order_id"] == order_id and call["safe_tx_hash"] == "0x" + tx.safe_tx_hash.hex()
    owners = [custodian, regulator.eth_address(ETH_PATH)]
    assert call["signers"] == sorted(owners, key=lambda a: int(a, 16))
    assert call["safe"] == SAFE and call["to"] == TOKEN
    assert call["calldata"].startswith("0x6a761202")  # execTransaction(...)
    assert not view.execute_action.isEnabled()
