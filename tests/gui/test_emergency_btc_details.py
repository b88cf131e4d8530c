"""The Emergency tab's details pane shows a Bitcoin order's release PSBT (what
``emergency psbt`` exports): the transaction and which parties' signatures are in it."""

from __future__ import annotations

import json
from typing import Any

from embit.psbt import PSBT

from app.domain.parties import Party
from app.services import emergency
from app.services.emergency_btc import ReleaseRequest, import_psbt, order_psbt
from app.services.vault import add_multisig_key, client_vault, import_utxos
from signing.bitcoin.spend import parse_psbt
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONIC_ZOO
from tests.btc_support import RELEASE_ADDRESS, account_key, funding_tx, root_of, utxo_entries

CLIENT = "alnoor-quant"
SEEDS = {Party.REGULATOR: TEST_MNEMONIC_ZOO, Party.CUSTODIAN: TEST_MNEMONIC_ALL,
         Party.EXCHANGE: TEST_MNEMONIC_ABANDON}


def _sign(psbt_text: str, seed: str, inputs: int | None = None) -> str:
    """A party's signatures from outside the desk (embit's signer); only the first
    ``inputs`` inputs when given."""
    signed = PSBT.from_string(psbt_text)
    signed.sign_with(root_of(seed))
    if inputs is not None:
        for extra in signed.inputs[inputs:]:
            extra.partial_sigs.clear()
    return str(signed.to_string())


def test_a_bitcoin_orders_psbt_and_its_signers_are_in_the_details(desk: Any) -> None:
    store = desk.ctx.facade.store
    for party, seed in SEEDS.items():
        add_multisig_key(store, party, account_key(seed), actor="test", is_emulator=True)
    vault = client_vault(store, CLIENT)
    fund = funding_tx([(vault.address(0).script_pubkey, 60_000_000),
                       (vault.address(3).script_pubkey, 40_000_000)])
    import_utxos(store, json.dumps({"utxos": utxo_entries(fund)}).encode(), actor="test")
    document = emergency.create_order(
        store, CLIENT, "Exchange outage", actor="test",
        btc_release=ReleaseRequest(RELEASE_ADDRESS),
    )
    order_id = str(document.body["id"])
    named = document.body["btc_release"]
    # the regulator signs every input, the exchange only the first
    import_psbt(store, order_id, _sign(order_psbt(store, order_id), TEST_MNEMONIC_ZOO),
                actor="test")
    import_psbt(store, order_id, _sign(order_psbt(store, order_id), TEST_MNEMONIC_ABANDON, 1),
                actor="test")

    view = desk.window.emergency
    desk.window.tabs.setCurrentWidget(view)
    desk.run(view.reload())
    view.select(order_id)
    details = view.details
    desk.wait_until(lambda: details.detail is not None
                    and details.detail.row.order_id == order_id)
    desk.settle()
    assert details.btc_box.isVisible()
    psbt = parse_psbt(order_psbt(store, order_id))
    assert details.btc_txid.text() == named["txid"] == psbt.tx.txid().hex()
    assert details.btc_shape.text() == "2 vault coins in, 1 out"
    amount = int(named["amount_sat"])
    assert amount == 100_000_000 - int(named["fee_sat"])
    assert details.btc_amount.text() == f"{amount / 1e8:.8f} BTC ({amount:,} sat)"
    assert details.btc_fee.text() == f"{int(named['fee_sat']):,} sat"
    assert details.btc_destination.text() == RELEASE_ADDRESS
    assert details.btc_signed.text().splitlines() == [
        "✓ Regulator (VARA): every input",
        "✗ Custodian: not signed",
        "◐ Exchange: 1 of 2 inputs",
        "1 of 2 parties' signatures on every input",
    ]
    assert details.safe_hash.text() == "— (no Safe transaction)"
    # the custodian signs: the quorum is there
    import_psbt(store, order_id, _sign(order_psbt(store, order_id), TEST_MNEMONIC_ALL),
                actor="test")
    desk.run(view.reload())
    desk.wait_until(lambda: "Enough signatures" in details.btc_signed.text())
    assert "✓ Custodian: every input" in details.btc_signed.text()
    # an order without a Bitcoin release shows no PSBT box
    plain = emergency.create_order(store, "sandstone-arb", "No vault", actor="test")
    desk.run(view.reload())
    view.select(str(plain.body["id"]))
    desk.wait_until(lambda: details.detail is not None
                    and details.detail.row.order_id == str(plain.body["id"]))
    assert not details.btc_box.isVisible()
