"""Holdings shows the client's on-chain vault BTC against the snapshot's and flags a difference."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from app.domain.parties import Party
from app.services.vault import add_multisig_key, client_vault, import_utxos
from app.ui.models.holdings import PositionColumn
from app.ui.theme import warn
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONIC_ZOO
from tests.btc_support import account_key, funding_tx, utxo_entries

CLIENT = "gulf-meridian-mm"


def _fund(desk: Any, sat: int, tag: bytes) -> None:
    store = desk.ctx.facade.store
    vault = client_vault(store, CLIENT)
    tx = funding_tx([(vault.address(0).script_pubkey, sat)], tag)
    import_utxos(store, json.dumps({"utxos": utxo_entries(tx)}).encode(), actor="test")


def _btc_cell(desk: Any) -> Any:
    h = desk.window.holdings
    desk.run(h.reload())
    desk.settle()
    proxy = h.clients.proxy
    h.clients.selectRow(
        next(i for i in range(proxy.rowCount()) if proxy.row_object(i).client_id == CLIENT)
    )
    model = h.positions_model
    row = next(i for i, r in enumerate(model.rows) if r.asset == "BTC")
    return model.index(row, PositionColumn.QUANTITY), model.rows[row]


def test_vault_btc_against_the_snapshot_is_flagged_when_it_differs(desk: Any) -> None:
    store = desk.ctx.facade.store
    for party, seed in ((Party.REGULATOR, TEST_MNEMONIC_ZOO), (Party.CUSTODIAN, TEST_MNEMONIC_ALL),
                        (Party.EXCHANGE, TEST_MNEMONIC_ABANDON)):
        add_multisig_key(store, party, account_key(seed), actor="test", is_emulator=True)
    cell, row = _btc_cell(desk)
    assert row.vault_quantity is None and not cell.data().startswith("\u26a0")
    snapshot_sat = int(row.quantity * 100_000_000)
    _fund(desk, snapshot_sat, b"all of it")
    cell, row = _btc_cell(desk)
    assert row.vault_quantity == row.quantity and not cell.data().startswith("\u26a0")
    assert "as in the snapshot" in cell.data(3)  # ToolTipRole
    _fund(desk, 12_345, b"one more coin")
    cell, row = _btc_cell(desk)
    assert row.vault_quantity == row.quantity + Decimal("0.00012345")
    assert cell.data().startswith("\u26a0")
    assert "the snapshot says" in cell.data(3)
    assert cell.data(9) == warn()  # ForegroundRole
