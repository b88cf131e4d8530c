"""SQLite repository of the Bitcoin emergency vault (schema v6).

Bind it to a transaction with ``tx.repository(SqliteVaultRepository)``; every
method runs inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from app.store.codec import text_to_time, time_to_text


@dataclass(frozen=True)
class MultisigKeyRecord:
    party: str
    fingerprint: str  # 8 hex characters
    path: str  # m/48'/1'/0'/2'
    xpub: str
    is_emulator: bool
    added_at: datetime


@dataclass(frozen=True)
class VaultUtxoRecord:
    client_id: str
    txid: str
    vout: int
    amount_sat: int
    address_index: int
    address: str
    prevtx: bytes
    imported_at: datetime
    spent_by: str | None = None


@dataclass(frozen=True)
class OrderPsbtRecord:
    order_id: int
    psbt: str  # base64
    txid: str
    amount_sat: int
    fee_sat: int
    destination: str
    raw_tx: str | None
    updated_at: datetime


class SqliteVaultRepository:
    """Rows of the multisig key, vault UTXO and order PSBT tables."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    # -- multisig account keys --------------------------------------------------

    def add_multisig_key(self, key: MultisigKeyRecord) -> None:
        self._db.execute(
            "INSERT INTO btc_multisig_keys (party, fingerprint, path, xpub, is_emulator,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?)",
            (key.party, key.fingerprint, key.path, key.xpub, int(key.is_emulator),
             time_to_text(key.added_at)),
        )

    def multisig_keys(self) -> list[MultisigKeyRecord]:
        rows = self._db.execute("SELECT * FROM btc_multisig_keys ORDER BY id").fetchall()
        return [
            MultisigKeyRecord(r["party"], r["fingerprint"], r["path"], r["xpub"],
                              bool(r["is_emulator"]), text_to_time(r["added_at"]))
            for r in rows
        ]

    # -- vault UTXOs ------------------------------------------------------------

    @staticmethod
    def _utxo(r: sqlite3.Row) -> VaultUtxoRecord:
        return VaultUtxoRecord(
            client_id=r["client_id"], txid=r["txid"], vout=r["vout"],
            amount_sat=r["amount_sat"], address_index=r["address_index"],
            address=r["address"], prevtx=bytes.fromhex(r["prevtx"]),
            imported_at=text_to_time(r["imported_at"]), spent_by=r["spent_by"],
        )

    def utxo(self, txid: str, vout: int) -> VaultUtxoRecord | None:
        row = self._db.execute(
            "SELECT * FROM vault_utxos WHERE txid = ? AND vout = ?", (txid, vout)
        ).fetchone()
        return None if row is None else self._utxo(row)

    def add_utxo(self, utxo: VaultUtxoRecord) -> None:
        self._db.execute(
            "INSERT INTO vault_utxos (client_id, txid, vout, amount_sat, address_index, address,"
            " prevtx, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (utxo.client_id, utxo.txid, utxo.vout, utxo.amount_sat, utxo.address_index,
             utxo.address, utxo.prevtx.hex(), time_to_text(utxo.imported_at)),
        )

    def unspent(self, client_id: str) -> list[VaultUtxoRecord]:
        rows = self._db.execute(
            "SELECT * FROM vault_utxos WHERE client_id = ? AND spent_by IS NULL"
            " ORDER BY txid, vout",
            (client_id,),
        ).fetchall()
        return [self._utxo(r) for r in rows]

    def balances(self) -> dict[str, int]:
        """Unspent vault satoshis per client."""
        rows = self._db.execute(
            "SELECT client_id, SUM(amount_sat) AS sat FROM vault_utxos"
            " WHERE spent_by IS NULL GROUP BY client_id"
        ).fetchall()
        return {r["client_id"]: int(r["sat"]) for r in rows}

    def mark_spent(self, outpoints: list[tuple[str, int]], order_public_id: str) -> int:
        count = 0
        for txid, vout in outpoints:
            cur = self._db.execute(
                "UPDATE vault_utxos SET spent_by = ? WHERE txid = ? AND vout = ?"
                " AND spent_by IS NULL",
                (order_public_id, txid, vout),
            )
            count += cur.rowcount
        return count

    # -- order PSBTs ------------------------------------------------------------

    def add_psbt(self, rec: OrderPsbtRecord) -> None:
        self._db.execute(
            "INSERT INTO emergency_psbts (order_id, psbt, txid, amount_sat, fee_sat, destination,"
            " raw_tx, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.order_id, rec.psbt, rec.txid, rec.amount_sat, rec.fee_sat, rec.destination,
             rec.raw_tx, time_to_text(rec.updated_at)),
        )

    def psbt(self, order_id: int) -> OrderPsbtRecord | None:
        r = self._db.execute(
            "SELECT * FROM emergency_psbts WHERE order_id = ?", (order_id,)
        ).fetchone()
        if r is None:
            return None
        return OrderPsbtRecord(
            r["order_id"], r["psbt"], r["txid"], r["amount_sat"], r["fee_sat"],
            r["destination"], r["raw_tx"], text_to_time(r["updated_at"]),
        )

    def update_psbt(self, order_id: int, psbt: str, at: datetime) -> None:
        self._db.execute(
            "UPDATE emergency_psbts SET psbt = ?, updated_at = ? WHERE order_id = ?",
            (psbt, time_to_text(at), order_id),
        )

    def set_raw_tx(self, order_id: int, raw_tx: str, at: datetime) -> None:
        self._db.execute(
            "UPDATE emergency_psbts SET raw_tx = ?, updated_at = ? WHERE order_id = ?",
            (raw_tx, time_to_text(at), order_id),
        )
