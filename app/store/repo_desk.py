"""SQLite repository of the signed-document workflows: officers, party keys,
attestations and emergency orders (tables of schema v2/v3).

Bind it to a transaction with ``tx.repository(SqliteDeskRepository)``; every
method runs inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from app.documents.keys import key_id_for
from app.store import rebind
from app.store.codec import (
    decimal_to_text,
    optional_time_to_text,
    text_to_decimal,
    text_to_optional_time,
    text_to_time,
    time_to_text,
)

R = TypeVar("R")


@dataclass(frozen=True)
class OfficerRecord:
    id: int
    name: str
    role: str
    device_kind: str
    fingerprint: str
    path: str
    xpub: str
    pubkey: bytes
    address: str
    is_emulator: bool
    active: bool
    registered_at: datetime


@dataclass(frozen=True)
class PartyKeyRecord:
    id: int
    party: str
    role: str
    name: str
    pubkey: bytes
    address: str
    is_emulator: bool
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    fingerprint: str = ""  # master fingerprint of the device it was read from ("" typed in)
    path: str = ""


@dataclass(frozen=True)
class AttestationRecord:
    id: int
    sequence: int
    status: str
    env: str
    custodian_id: str
    exchange_id: str
    as_of: datetime
    created_at: datetime
    expires_at: datetime
    statement: str
    root_hex: str
    client_count: int
    total_collateral_usd: Decimal
    tree: dict[str, Any]
    maker_officer_id: int
    checker_officer_id: int | None
    signature_b64: str | None
    signer_address: str | None
    signed_at: datetime | None
    status_reason: str | None


@dataclass(frozen=True)
class AttestationClientRecord:
    client_id: str
    leaf_index: int
    collateral_value_usd: Decimal
    leaf: dict[str, Any]
    proof: dict[str, Any]


@dataclass(frozen=True)
class EmergencyOrderRecord:
    id: int
    public_id: str
    client_id: str
    reason: str
    statement: str
    body: dict[str, Any]
    status: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    executed_at: datetime | None
    release_json: str | None


@dataclass(frozen=True)
class EmergencySignatureRecord:
    party: str
    pubkey: bytes
    address: str
    signature_b64: str
    imported_at: datetime


class SqliteDeskRepository:
    """Rows of the officer, key, attestation and emergency tables."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def repository(self, factory: Callable[[Any], R]) -> R:
        """Another part's repository on this repository's transaction (its connection),
        as ``Transaction.repository`` binds it: a key holder source reads the Safe owners
        beside the officers and party keys without reaching for the connection."""
        return factory(self._db)

    # -- officers -------------------------------------------------------------

    def add_officer(self, officer: OfficerRecord, registered_by: str) -> int:
        cur = self._db.execute(
            "INSERT INTO officers (name, role, device_kind, fingerprint, derivation_path, xpub,"
            " pubkey, address, is_emulator, active, registered_at, registered_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (
                officer.name,
                officer.role,
                officer.device_kind,
                officer.fingerprint,
                officer.path,
                officer.xpub,
                officer.pubkey.hex(),
                officer.address,
                int(officer.is_emulator),
                time_to_text(officer.registered_at),
                registered_by,
            ),
        )
        return int(cur.lastrowid or 0)

    def trail_revoked_key_ids(self) -> frozenset[str]:
        """Key ids the audit trail revoked (``key.revoke`` entries).

        The trail, not a row's flag, has the last word: a key revoked there stays
        revoked even if its ``officers``/``party_keys`` row is edited back."""
        rows = self._db.execute(
            "SELECT payload FROM audit_entries WHERE action = 'key.revoke' ORDER BY seq"
        ).fetchall()
        revoked: set[str] = set()
        for row in rows:
            try:
                payload = json.loads(row[0])
            except ValueError:
                continue
            if isinstance(payload, dict) and isinstance(payload.get("key_id"), str):
                revoked.add(payload["key_id"])
        return frozenset(revoked)

    def _officer(self, row: sqlite3.Row, revoked: frozenset[str] | None = None) -> OfficerRecord:
        officer = self._stored_officer(row)
        revoked = self.trail_revoked_key_ids() if revoked is None else revoked
        if officer.active and key_id_for(officer.pubkey) in revoked:
            return replace(officer, active=False)
        return officer

    @staticmethod
    def _stored_officer(row: sqlite3.Row) -> OfficerRecord:
        return OfficerRecord(
            id=row["id"],
            name=row["name"],
            role=row["role"],
            device_kind=row["device_kind"],
            fingerprint=row["fingerprint"],
            path=row["derivation_path"],
            xpub=row["xpub"],
            pubkey=bytes.fromhex(row["pubkey"]),
            address=row["address"],
            is_emulator=bool(row["is_emulator"]),
            active=bool(row["active"]),
            registered_at=text_to_time(row["registered_at"]),
        )

    def officer_by_name(self, name: str) -> OfficerRecord | None:
        row = self._db.execute("SELECT * FROM officers WHERE name = ?", (name,)).fetchone()
        return None if row is None else self._officer(row)

    def officer_by_id(self, officer_id: int) -> OfficerRecord | None:
        row = self._db.execute("SELECT * FROM officers WHERE id = ?", (officer_id,)).fetchone()
        return None if row is None else self._officer(row)

    def officers(self) -> list[OfficerRecord]:
        """Every officer; ``active`` is false for a key the audit trail revoked."""
        rows = self._db.execute("SELECT * FROM officers ORDER BY name").fetchall()
        revoked = self.trail_revoked_key_ids()
        return [self._officer(r, revoked) for r in rows]

    def officers_as_stored(self) -> list[OfficerRecord]:
        """The officer rows exactly as stored (for checking them against the trail)."""
        rows = self._db.execute("SELECT * FROM officers ORDER BY name").fetchall()
        return [self._stored_officer(r) for r in rows]

    # -- party keys -----------------------------------------------------------

    def add_party_key(self, key: PartyKeyRecord, added_at: datetime) -> int:
        cur = self._db.execute(
            "INSERT INTO party_keys (party, role, name, pubkey, address, is_emulator,"
            " valid_from, valid_until, revoked_at, added_at, fingerprint, path)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key.party,
                key.role,
                key.name,
                key.pubkey.hex(),
                key.address,
                int(key.is_emulator),
                time_to_text(key.valid_from),
                optional_time_to_text(key.valid_until),
                optional_time_to_text(key.revoked_at),
                time_to_text(added_at),
                key.fingerprint,
                key.path,
            ),
        )
        return int(cur.lastrowid or 0)

    def party_keys(self) -> list[PartyKeyRecord]:
        """Every party key; one the audit trail revoked counts as revoked (since it was
        valid) whatever its row says."""
        revoked = self.trail_revoked_key_ids()
        return [
            k if k.revoked_at is not None or key_id_for(k.pubkey) not in revoked
            else replace(k, revoked_at=k.valid_from)
            for k in self.party_keys_as_stored()
        ]

    def party_keys_as_stored(self) -> list[PartyKeyRecord]:
        """The party key rows exactly as stored."""
        rows = self._db.execute("SELECT * FROM party_keys ORDER BY id").fetchall()
        return [
            PartyKeyRecord(
                id=r["id"],
                party=r["party"],
                role=r["role"],
                name=r["name"],
                pubkey=bytes.fromhex(r["pubkey"]),
                address=r["address"],
                is_emulator=bool(r["is_emulator"]),
                valid_from=text_to_time(r["valid_from"]),
                valid_until=text_to_optional_time(r["valid_until"]),
                revoked_at=text_to_optional_time(r["revoked_at"]),
                fingerprint=r["fingerprint"],
                path=r["path"],
            )
            for r in rows
        ]

    def revoke_party_key(self, pubkey: bytes, at: datetime) -> int:
        cur = self._db.execute(
            "UPDATE party_keys SET revoked_at = ? WHERE pubkey = ? AND revoked_at IS NULL",
            (time_to_text(at), pubkey.hex()),
        )
        return cur.rowcount

    def deactivate_officer_key(self, pubkey: bytes) -> int:
        cur = self._db.execute(
            "UPDATE officers SET active = 0 WHERE pubkey = ? AND active = 1", (pubkey.hex(),)
        )
        return cur.rowcount

    # -- attestations ---------------------------------------------------------

    def next_attestation_sequence(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(sequence), 0) + 1 FROM attestations").fetchone()
        return int(row[0])

    def add_attestation(
        self, rec: AttestationRecord, clients: list[AttestationClientRecord]
    ) -> int:
        cur = self._db.execute(
            "INSERT INTO attestations (sequence, status, environment, custodian_id, exchange_id,"
            " as_of, created_at, expires_at, statement, root_hash, client_count,"
            " total_collateral_usd, tree_json, maker_officer_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rec.sequence,
                rec.status,
                rec.env,
                rec.custodian_id,
                rec.exchange_id,
                time_to_text(rec.as_of),
                time_to_text(rec.created_at),
                time_to_text(rec.expires_at),
                rec.statement,
                rec.root_hex,
                rec.client_count,
                decimal_to_text(rec.total_collateral_usd),
                json.dumps(rec.tree, sort_keys=True),
                rec.maker_officer_id,
                time_to_text(rec.created_at),
            ),
        )
        att_id = int(cur.lastrowid or 0)
        self._db.executemany(
            "INSERT INTO attestation_clients (attestation_id, client_id, leaf_index,"
            " collateral_value_usd, leaf_json, proof_json) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    att_id,
                    c.client_id,
                    c.leaf_index,
                    decimal_to_text(c.collateral_value_usd),
                    json.dumps(c.leaf, sort_keys=True),
                    json.dumps(c.proof, sort_keys=True),
                )
                for c in clients
            ],
        )
        rebind.note(self._db, "attestations.state", att_id)
        return att_id

    @staticmethod
    def _attestation(r: sqlite3.Row) -> AttestationRecord:
        return AttestationRecord(
            id=r["id"],
            sequence=r["sequence"],
            status=r["status"],
            env=r["environment"],
            custodian_id=r["custodian_id"],
            exchange_id=r["exchange_id"],
            as_of=text_to_time(r["as_of"]),
            created_at=text_to_time(r["created_at"]),
            expires_at=text_to_time(r["expires_at"]),
            statement=r["statement"],
            root_hex=r["root_hash"],
            client_count=r["client_count"],
            total_collateral_usd=text_to_decimal(r["total_collateral_usd"]),
            tree=json.loads(r["tree_json"]),
            maker_officer_id=r["maker_officer_id"],
            checker_officer_id=r["checker_officer_id"],
            signature_b64=r["signature"],
            signer_address=r["signer_address"],
            signed_at=text_to_optional_time(r["signed_at"]),
            status_reason=r["status_reason"],
        )

    def attestation(self, att_id: int) -> AttestationRecord | None:
        row = self._db.execute("SELECT * FROM attestations WHERE id = ?", (att_id,)).fetchone()
        return None if row is None else self._attestation(row)

    def attestations(self) -> list[AttestationRecord]:
        rows = self._db.execute("SELECT * FROM attestations ORDER BY id").fetchall()
        return [self._attestation(r) for r in rows]

    def attestation_clients(self, att_id: int) -> list[AttestationClientRecord]:
        rows = self._db.execute(
            "SELECT * FROM attestation_clients WHERE attestation_id = ? ORDER BY leaf_index",
            (att_id,),
        ).fetchall()
        return [
            AttestationClientRecord(
                client_id=r["client_id"],
                leaf_index=r["leaf_index"],
                collateral_value_usd=text_to_decimal(r["collateral_value_usd"]),
                leaf=json.loads(r["leaf_json"]),
                proof=json.loads(r["proof_json"]),
            )
            for r in rows
        ]

    def client_attestation_times(self, client_id: str, since: datetime) -> list[datetime]:
        """When this client's live attestations were prepared (rejected/expired don't count)."""
        rows = self._db.execute(
            "SELECT a.created_at FROM attestation_clients c JOIN attestations a"
            " ON a.id = c.attestation_id WHERE c.client_id = ? AND a.created_at >= ?"
            " AND a.status NOT IN ('rejected', 'expired') ORDER BY a.created_at",
            (client_id, time_to_text(since)),
        ).fetchall()
        return [text_to_time(r[0]) for r in rows]

    def set_attestation_status(
        self, att_id: int, status: str, at: datetime, reason: str | None = None
    ) -> None:
        self._db.execute(
            "UPDATE attestations SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
            (status, reason, time_to_text(at), att_id),
        )
        rebind.note(self._db, "attestations.state", att_id)

    def record_attestation_signature(
        self, att_id: int, checker_id: int, signature_b64: str, address: str, at: datetime
    ) -> None:
        self._db.execute(
            "UPDATE attestations SET status = 'signed', checker_officer_id = ?, signature = ?,"
            " signer_address = ?, signed_at = ?, updated_at = ? WHERE id = ?",
            (checker_id, signature_b64, address, time_to_text(at), time_to_text(at), att_id),
        )
        rebind.note(self._db, "attestations.state", att_id)

    # -- emergency orders -----------------------------------------------------

    def add_order(self, rec: EmergencyOrderRecord, assets_json: str) -> int:
        cur = self._db.execute(
            "INSERT INTO emergency_orders (public_id, client_id, assets_json, reason, statement,"
            " status, created_by, created_at, expires_at, updated_at, body_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rec.public_id,
                rec.client_id,
                assets_json,
                rec.reason,
                rec.statement,
                rec.status,
                rec.created_by,
                time_to_text(rec.created_at),
                time_to_text(rec.expires_at),
                time_to_text(rec.created_at),
                json.dumps(rec.body, sort_keys=True),
            ),
        )
        order_id = int(cur.lastrowid or 0)
        rebind.note(self._db, "emergency_orders.state", order_id)
        return order_id

    def order(self, public_id: str) -> EmergencyOrderRecord | None:
        r = self._db.execute(
            "SELECT * FROM emergency_orders WHERE public_id = ?", (public_id,)
        ).fetchone()
        if r is None:
            return None
        return EmergencyOrderRecord(
            id=r["id"],
            public_id=r["public_id"],
            client_id=r["client_id"],
            reason=r["reason"],
            statement=r["statement"],
            body=json.loads(r["body_json"]),
            status=r["status"],
            created_by=r["created_by"],
            created_at=text_to_time(r["created_at"]),
            expires_at=text_to_time(r["expires_at"]),
            executed_at=text_to_optional_time(r["executed_at"]),
            release_json=r["release_json"],
        )

    def order_ids(self) -> list[str]:
        rows = self._db.execute("SELECT public_id FROM emergency_orders ORDER BY id").fetchall()
        return [r[0] for r in rows]

    def order_signatures(self, order_id: int) -> list[EmergencySignatureRecord]:
        rows = self._db.execute(
            "SELECT * FROM emergency_signatures WHERE order_id = ? ORDER BY id", (order_id,)
        ).fetchall()
        return [
            EmergencySignatureRecord(
                party=r["party"],
                pubkey=bytes.fromhex(r["pubkey"]),
                address=r["address"],
                signature_b64=r["signature"],
                imported_at=text_to_time(r["imported_at"]),
            )
            for r in rows
        ]

    def add_order_signature(self, order_id: int, sig: EmergencySignatureRecord) -> bool:
        """Store a party's signature; False when this key had already signed (counts once)."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO emergency_signatures (order_id, party, pubkey, address,"
            " signature, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                order_id,
                sig.party,
                sig.pubkey.hex(),
                sig.address,
                sig.signature_b64,
                time_to_text(sig.imported_at),
            ),
        )
        return cur.rowcount == 1

    def remove_order_signature(self, order_id: int, party: str) -> int:
        """Drop ``party``'s share of an order (an audited replacement follows)."""
        cur = self._db.execute(
            "DELETE FROM emergency_signatures WHERE order_id = ? AND party = ?", (order_id, party)
        )
        return cur.rowcount

    def set_order_status(self, order_id: int, status: str, at: datetime) -> None:
        self._db.execute(
            "UPDATE emergency_orders SET status = ?, updated_at = ? WHERE id = ?",
            (status, time_to_text(at), order_id),
        )
        rebind.note(self._db, "emergency_orders.state", order_id)

    def mark_order_executed(self, order_id: int, release_json: str, at: datetime) -> bool:
        """Mark executed with its release, once: False if it already was."""
        cur = self._db.execute(
            "UPDATE emergency_orders SET status = 'executed', executed_at = ?, release_json = ?,"
            " updated_at = ? WHERE id = ? AND status <> 'executed' AND release_json IS NULL",
            (time_to_text(at), release_json, time_to_text(at), order_id),
        )
        rebind.note(self._db, "emergency_orders.state", order_id)
        return cur.rowcount == 1
