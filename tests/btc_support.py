"""Bitcoin test helpers: test-seed account keys, funding transactions, and the
consensus check by Bitcoin Core's own script interpreter (py-bitcoinkernel).

TEST-ONLY: keys come from the public test mnemonics of ``signing.emulator.test_seeds``.
"""

from __future__ import annotations

import hashlib

import pbk
from embit import bip32, bip39
from embit.networks import NETWORKS
from embit.psbt import PSBT
from embit.script import Script
from embit.transaction import Transaction, TransactionInput, TransactionOutput

from signing.bitcoin.vault import AccountKey, bip48_path

KERNEL_FLAGS = (
    pbk.ScriptVerificationFlags.P2SH
    | pbk.ScriptVerificationFlags.WITNESS
    | pbk.ScriptVerificationFlags.NULLDUMMY
)
MULTISIG_PATH = "m/48'/1'/0'/2'"
RELEASE_ADDRESS = "tb1qqzv60m9ajw8drqulta4ld4gfx0rdh82un5s65s"  # trezor-firmware's test output


def root_of(mnemonic: str) -> bip32.HDKey:
    return bip32.HDKey.from_seed(bip39.mnemonic_to_seed(mnemonic), version=NETWORKS["test"]["xprv"])


def account_key(mnemonic: str, account: int = 0) -> AccountKey:
    root = root_of(mnemonic)
    path = bip48_path("test", account)
    return AccountKey.from_hdkey(root.my_fingerprint, path, root.derive(list(path)).to_public())


def funding_tx(outputs: list[tuple[bytes, int]], tag: bytes = b"fund") -> Transaction:
    """A transaction paying ``outputs`` (script, sat); its own input is a made-up coin."""
    prev = hashlib.sha256(tag).digest()
    return Transaction(
        version=2,
        vin=[TransactionInput(prev, 0, Script(b"\x51"))],
        vout=[TransactionOutput(sat, Script(script)) for script, sat in outputs],
    )


def utxo_entries(tx: Transaction) -> list[dict[str, object]]:
    raw = tx.serialize().hex()
    return [
        {"txid": tx.txid().hex(), "vout": i, "amount_sat": out.value, "prevtx": raw}
        for i, out in enumerate(tx.vout)
    ]


def kernel_verify(raw_tx: bytes, spent: list[tuple[bytes, int]]) -> list[bool]:
    """Each input of ``raw_tx`` against the output it spends, by libbitcoinkernel.

    True where the script verifies; a failed verification is False (never raised).
    """
    tx = pbk.Transaction(raw_tx)
    results = []
    for i, (script, amount) in enumerate(spent):
        try:
            ok = pbk.ScriptPubkey(script).verify(amount, tx, None, i, KERNEL_FLAGS)
        except pbk.ScriptVerifyException:
            ok = False
        results.append(bool(ok))
    return results


def spent_outputs(psbt: PSBT) -> list[tuple[bytes, int]]:
    return [(bytes(i.witness_utxo.script_pubkey.data), i.witness_utxo.value) for i in psbt.inputs]
