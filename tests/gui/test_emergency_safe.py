"""A tokenized-asset order in the Emergency tab: the SafeTx is built beside the order and
the custodian signs it on the officer's emulated Trezor; the confirm-on-device dialog
shows the decoded fields (token, amount with decimals, destination, nonce), and for a
Trezor One, which can only sign the two hashes, both hashes to compare."""

from __future__ import annotations

from decimal import Decimal

from message_boxes import close_messages

from app.domain.parties import Party
from app.services.safe_orders import safe_order
from app.services.vault_safes import eth_repo, register_eth_owner, set_safe
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

ETH_PATH = "m/44'/60'/0'/0/0"
SAFE = "0x1f15DE4d124b711f349FE2DD1B5fE0511262156d"
TOKEN = "0x51a240271AB8AB9f9a21C82d9a85396b704E164d"
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"


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
    w.select_officer("alice")
    view = w.emergency
    w.tabs.setCurrentWidget(view)
    created = desk.run(view.create_order("alnoor-quant", "Exchange outage: release the shares"))
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

    # a Trezor One signs by hashes: the dialog lists both for comparison
    custodian_emu.trezor.device.ethereum.typed_data_full = False
    second = desk.run(view.create_order("alnoor-quant", "Second order, signed by hashes"))
    assert second is not None, close_messages()
    view.select(second.order_id)
    assert desk.run(view.safe_sign_selected()) is not None, close_messages()
    shown = view.last_flow.dialog.statement.toPlainText()
    tx = safe_order(store, second.order_id).tx
    assert f"Domain hash: 0x{tx.domain_hash.hex()}" in shown
    assert f"Message hash: 0x{tx.message_hash.hex()}" in shown
    with store.read() as read:
        (by_hash,) = eth_repo(read).safe_signatures(second.order_id)
    assert not by_hash.shown_in_full and tx.recover_owner(by_hash.signature) == custodian
    assert Decimal(80_000_000) == safe_order(store, second.order_id).quantity
