"""Ethereum records: parties' Safe owner addresses, clients' Safes and tokens, SafeTx signatures.

Plain rows; the rules (EIP-55, owners == parties, threshold, one owner per party,
signatures that recover to their owner) live in ``app.services.vault_safes`` and
``app.domain.safe_tx``. The SQL is portable (``?`` placeholders, TEXT and INTEGER);
times go through ``app.store.codec``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.store.codec import text_to_time, time_to_text


@dataclass(frozen=True)
class EthOwnerRecord:
    party: str
    address: str
    device_uri: str
    path: str
    fingerprint: str
    added_at: datetime


@dataclass(frozen=True)
class SafeTokenRecord:
    asset: str
    token_address: str
    decimals: int


@dataclass(frozen=True)
class VaultSafeRecord:
    client_id: str
    chain_id: int
    safe_address: str
    release_address: str
    next_nonce: int
    checked_on_chain: bool
    updated_at: datetime
    tokens: tuple[SafeTokenRecord, ...]

    def token(self, asset: str) -> SafeTokenRecord | None:
        return next((t for t in self.tokens if t.asset == asset), None)


@dataclass(frozen=True)
class SafeSignatureRecord:
    order_id: str
    safe_tx_hash: str  # 64 lowercase hex
    owner: str
    party: str
    signature: bytes  # 65 bytes r || s || v
    shown_in_full: bool
    added_at: datetime


class EthereumRepository:
    """Bound to one open transaction's connection (``tx.repository(EthereumRepository)``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    # ---- owners ----------------------------------------------------------------------

    def eth_owners(self) -> list[EthOwnerRecord]:
        rows = self._db.execute(
            "SELECT party, address, device_uri, path, fingerprint, added_at FROM eth_owners"
            " ORDER BY party"
        ).fetchall()
        return [EthOwnerRecord(r[0], r[1], r[2], r[3], r[4], text_to_time(str(r[5]))) for r in rows]

    def put_eth_owner(self, owner: EthOwnerRecord) -> None:
        self._db.execute("DELETE FROM eth_owners WHERE party = ?", (owner.party,))
        self._db.execute(
            "INSERT INTO eth_owners (party, address, device_uri, path, fingerprint, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                owner.party,
                owner.address,
                owner.device_uri,
                owner.path,
                owner.fingerprint,
                time_to_text(owner.added_at),
            ),
        )

    # ---- safes -----------------------------------------------------------------------

    def safe(self, client_id: str) -> VaultSafeRecord | None:
        row = self._db.execute(
            "SELECT client_id, chain_id, safe_address, release_address, next_nonce,"
            " checked_on_chain, updated_at FROM vault_safes WHERE client_id = ?",
            (client_id,),
        ).fetchone()
        if row is None:
            return None
        tokens = self._db.execute(
            "SELECT asset, token_address, decimals FROM vault_safe_tokens WHERE client_id = ?"
            " ORDER BY asset",
            (client_id,),
        ).fetchall()
        return VaultSafeRecord(
            client_id=row[0],
            chain_id=int(row[1]),
            safe_address=row[2],
            release_address=row[3],
            next_nonce=int(row[4]),
            checked_on_chain=bool(row[5]),
            updated_at=text_to_time(str(row[6])),
            tokens=tuple(SafeTokenRecord(t[0], t[1], int(t[2])) for t in tokens),
        )

    def put_safe(self, safe: VaultSafeRecord) -> None:
        self._db.execute("DELETE FROM vault_safe_tokens WHERE client_id = ?", (safe.client_id,))
        self._db.execute("DELETE FROM vault_safes WHERE client_id = ?", (safe.client_id,))
        self._db.execute(
            "INSERT INTO vault_safes (client_id, chain_id, safe_address, release_address,"
            " next_nonce, checked_on_chain, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                safe.client_id,
                safe.chain_id,
                safe.safe_address,
                safe.release_address,
                safe.next_nonce,
                int(safe.checked_on_chain),
                time_to_text(safe.updated_at),
            ),
        )
        for token in safe.tokens:
            self._db.execute(
                "INSERT INTO vault_safe_tokens (client_id, asset, token_address, decimals)"
                " VALUES (?, ?, ?, ?)",
                (safe.client_id, token.asset, token.token_address, token.decimals),
            )

    def advance_nonce(self, client_id: str, used: int) -> None:
        """The Safe's nonce ``used`` was consumed: the next order uses ``used + 1``."""
        self._db.execute(
            "UPDATE vault_safes SET next_nonce = ? WHERE client_id = ? AND next_nonce <= ?",
            (used + 1, client_id, used),
        )

    # ---- SafeTx signatures -----------------------------------------------------------

    def safe_signatures(self, order_id: str) -> list[SafeSignatureRecord]:
        rows = self._db.execute(
            "SELECT order_id, safe_tx_hash, owner, party, signature, shown_in_full, added_at"
            " FROM order_safe_signatures WHERE order_id = ? ORDER BY owner",
            (order_id,),
        ).fetchall()
        return [
            SafeSignatureRecord(
                r[0], r[1], r[2], r[3], bytes.fromhex(r[4]), bool(r[5]), text_to_time(str(r[6]))
            )
            for r in rows
        ]

    def add_safe_signature(self, record: SafeSignatureRecord) -> bool:
        """Store it unless this owner already signed this order (False then)."""
        known = self._db.execute(
            "SELECT 1 FROM order_safe_signatures WHERE order_id = ? AND owner = ?",
            (record.order_id, record.owner),
        ).fetchone()
        if known is not None:
            return False
        self._db.execute(
            "INSERT INTO order_safe_signatures (order_id, safe_tx_hash, owner, party, signature,"
            " shown_in_full, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                record.order_id,
                record.safe_tx_hash,
                record.owner,
                record.party,
                record.signature.hex(),
                int(record.shown_in_full),
                time_to_text(record.added_at),
            ),
        )
        return True
