"""SQLite repository of the exchange link: outbox, inbox, margin calls,
liquidation instructions and reconciliation runs (schema v2 tables + v4 columns).

Bind it to a transaction with ``tx.repository(SqliteExchangeRepository)``; every
method runs inside the caller's transaction, so a state change, its outbox
message and its audit entry commit (or roll back) together.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.store import rebind
from app.store.codec import (
    decimal_to_text,
    optional_decimal_to_text,
    text_to_decimal,
    text_to_optional_decimal,
    text_to_optional_time,
    text_to_time,
    time_to_text,
)


@dataclass(frozen=True)
class OutboxRecord:
    id: int
    idempotency_key: str
    kind: str
    destination: str
    payload: bytes
    status: str  # pending | sent | failed
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    response: dict[str, Any] | None


@dataclass(frozen=True)
class MarginCallRecord:
    id: int
    external_id: str
    client_id: str
    status: str  # store status: received acknowledged resolved escalated liquidated expired
    notice: str
    sequence: int | None
    issued_at: datetime
    received_at: datetime
    deadline: datetime
    shortfall_usd: Decimal
    exposure_usd: Decimal
    collateral_value_usd: Decimal
    collateral_ratio: Decimal | None
    document_json: str
    resolution: str | None
    top_up_attestation_id: int | None
    history: list[dict[str, str]]
    liquidation_usd: Decimal | None
    liquidation_notice_id: str | None
    updated_at: datetime


@dataclass(frozen=True)
class LiquidationRecord:
    id: int
    public_id: str
    margin_call_id: int
    status: str  # draft signed sent executed cancelled
    lines: list[dict[str, Any]]
    statement: str | None
    document_json: str | None
    officer_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class ReconciliationRecord:
    id: int
    run_at: datetime
    status: str  # clean breaks failed
    break_count: int
    report: dict[str, Any]
    signature: str | None
    created_by: str
    slot: str | None
    ledger_sequence: int | None
    document_json: str | None


class SqliteExchangeRepository:
    """Rows of the exchange link inside one open transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    # -- outbox -------------------------------------------------------------------

    def add_outbox(
        self, key: str, kind: str, destination: str, payload: bytes, at: datetime
    ) -> int | None:
        """Queue a message; None when ``key`` is already queued (idempotent)."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO outbox (idempotency_key, kind, destination, payload,"
            " status, attempts, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?)",
            (key, kind, destination, payload.decode("utf-8"), time_to_text(at)),
        )
        return int(cur.lastrowid or 0) if cur.rowcount else None

    @staticmethod
    def _outbox(r: sqlite3.Row) -> OutboxRecord:
        return OutboxRecord(
            id=r["id"],
            idempotency_key=r["idempotency_key"],
            kind=r["kind"],
            destination=r["destination"],
            payload=r["payload"].encode("utf-8"),
            status=r["status"],
            attempts=r["attempts"],
            created_at=text_to_time(r["created_at"]),
            next_attempt_at=text_to_optional_time(r["next_attempt_at"]),
            sent_at=text_to_optional_time(r["sent_at"]),
            last_error=r["last_error"],
            response=None if r["response"] is None else json.loads(r["response"]),
        )

    def outbox(self, status: str | None = None) -> list[OutboxRecord]:
        if status is None:
            rows = self._db.execute("SELECT * FROM outbox ORDER BY id").fetchall()
        else:
            rows = self._db.execute(
                "SELECT * FROM outbox WHERE status = ? ORDER BY id", (status,)
            ).fetchall()
        return [self._outbox(r) for r in rows]

    def outbox_item(self, item_id: int) -> OutboxRecord | None:
        row = self._db.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else self._outbox(row)

    def due_outbox(self, now: datetime) -> list[OutboxRecord]:
        rows = self._db.execute(
            "SELECT * FROM outbox WHERE status = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
            (time_to_text(now),),
        ).fetchall()
        return [self._outbox(r) for r in rows]

    def mark_sent(self, item_id: int, response: dict[str, Any], at: datetime) -> bool:
        cur = self._db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
            " response = ?, last_error = NULL, next_attempt_at = NULL"
            " WHERE id = ? AND status = 'pending'",
            (time_to_text(at), json.dumps(response, sort_keys=True), item_id),
        )
        return cur.rowcount == 1

    def mark_retry(self, item_id: int, error: str, next_at: datetime) -> None:
        self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
            " WHERE id = ? AND status = 'pending'",
            (error[:500], time_to_text(next_at), item_id),
        )

    def mark_failed(self, item_id: int, error: str, response: dict[str, Any] | None) -> None:
        self._db.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,"
            " response = ?, next_attempt_at = NULL WHERE id = ? AND status = 'pending'",
            (error[:500], None if response is None else json.dumps(response), item_id),
        )

    def requeue(self, item_id: int) -> bool:
        cur = self._db.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = NULL"
            " WHERE id = ? AND status = 'failed'",
            (item_id,),
        )
        return cur.rowcount == 1

    # -- inbox --------------------------------------------------------------------

    def inbox_has(self, kind: str, sender: str, document_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM inbox WHERE kind = ? AND sender = ? AND document_id = ?",
            (kind, sender, document_id),
        ).fetchone()
        return row is not None

    def last_inbox_sequence(self, sender: str) -> int | None:
        row = self._db.execute(
            "SELECT MAX(sequence) FROM inbox WHERE sender = ?", (sender,)
        ).fetchone()
        return None if row[0] is None else int(row[0])

    def add_inbox(
        self, kind: str, sender: str, document_id: str, *, sequence: int | None,
        at: datetime, body: str,
    ) -> int:
        cur = self._db.execute(
            "INSERT INTO inbox (kind, sender, document_id, sequence, received_at, body)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (kind, sender, document_id, sequence, time_to_text(at), body),
        )
        return int(cur.lastrowid or 0)

    def inbox_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM inbox").fetchone()[0])

    # -- margin calls -------------------------------------------------------------

    def add_margin_call(self, rec: MarginCallRecord) -> int:
        cur = self._db.execute(
            "INSERT INTO margin_calls (external_id, client_id, status, issued_at, received_at,"
            " deadline, shortfall_usd, exposure_usd, collateral_ratio, document_json,"
            " updated_at, notice, sequence, collateral_value_usd, history_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rec.external_id, rec.client_id, rec.status, time_to_text(rec.issued_at),
                time_to_text(rec.received_at), time_to_text(rec.deadline),
                decimal_to_text(rec.shortfall_usd), decimal_to_text(rec.exposure_usd),
                optional_decimal_to_text(rec.collateral_ratio),
                rec.document_json, time_to_text(rec.updated_at), rec.notice, rec.sequence,
                decimal_to_text(rec.collateral_value_usd), json.dumps(rec.history),
            ),
        )
        rebind.note(self._db, "margin_calls.state", rec.external_id)
        return int(cur.lastrowid or 0)

    @staticmethod
    def _call(r: sqlite3.Row) -> MarginCallRecord:
        return MarginCallRecord(
            id=r["id"],
            external_id=r["external_id"],
            client_id=r["client_id"],
            status=r["status"],
            notice=r["notice"],
            sequence=r["sequence"],
            issued_at=text_to_time(r["issued_at"]),
            received_at=text_to_time(r["received_at"]),
            deadline=text_to_time(r["deadline"]),
            shortfall_usd=text_to_decimal(r["shortfall_usd"]),
            exposure_usd=text_to_decimal(r["exposure_usd"]),
            collateral_value_usd=text_to_decimal(r["collateral_value_usd"]),
            collateral_ratio=text_to_optional_decimal(r["collateral_ratio"]),
            document_json=r["document_json"],
            resolution=r["resolution"],
            top_up_attestation_id=r["top_up_attestation_id"],
            history=json.loads(r["history_json"]),
            liquidation_usd=text_to_optional_decimal(r["liquidation_usd"]),
            liquidation_notice_id=r["liquidation_notice_id"],
            updated_at=text_to_time(r["updated_at"]),
        )

    def margin_call(self, external_id: str) -> MarginCallRecord | None:
        row = self._db.execute(
            "SELECT * FROM margin_calls WHERE external_id = ?", (external_id,)
        ).fetchone()
        return None if row is None else self._call(row)

    def margin_calls(self) -> list[MarginCallRecord]:
        rows = self._db.execute("SELECT * FROM margin_calls ORDER BY id").fetchall()
        return [self._call(r) for r in rows]

    def update_margin_call(
        self,
        external_id: str,
        *,
        status: str,
        history: list[dict[str, str]],
        at: datetime,
        resolution: str | None = None,
        top_up_attestation_id: int | None = None,
        liquidation_usd: Decimal | None = None,
        liquidation_notice_id: str | None = None,
    ) -> None:
        self._db.execute(
            "UPDATE margin_calls SET status = ?, history_json = ?, updated_at = ?,"
            " resolution = COALESCE(?, resolution),"
            " top_up_attestation_id = COALESCE(?, top_up_attestation_id),"
            " liquidation_usd = COALESCE(?, liquidation_usd),"
            " liquidation_notice_id = COALESCE(?, liquidation_notice_id)"
            " WHERE external_id = ?",
            (
                status, json.dumps(history), time_to_text(at), resolution,
                top_up_attestation_id,
                optional_decimal_to_text(liquidation_usd),
                liquidation_notice_id, external_id,
            ),
        )
        rebind.note(self._db, "margin_calls.state", external_id)

    # -- liquidation instructions ---------------------------------------------------

    def add_liquidation(
        self, public_id: str, margin_call_row_id: int, *, lines: list[dict[str, Any]],
        statement: str, document_json: str, officer_id: int, at: datetime,
    ) -> int:
        cur = self._db.execute(
            "INSERT INTO liquidation_instructions (margin_call_id, status, lines_json,"
            " statement, officer_id, created_at, signed_at, updated_at, public_id,"
            " document_json) VALUES (?, 'signed', ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                margin_call_row_id, json.dumps(lines), statement, officer_id,
                time_to_text(at), time_to_text(at), time_to_text(at), public_id, document_json,
            ),
        )
        rebind.note(self._db, "liquidation_instructions.state", public_id)
        return int(cur.lastrowid or 0)

    @staticmethod
    def _liquidation(r: sqlite3.Row) -> LiquidationRecord:
        return LiquidationRecord(
            id=r["id"],
            public_id=r["public_id"] or "",
            margin_call_id=r["margin_call_id"],
            status=r["status"],
            lines=json.loads(r["lines_json"]),
            statement=r["statement"],
            document_json=r["document_json"],
            officer_id=r["officer_id"],
            created_at=text_to_time(r["created_at"]),
        )

    def liquidations_for(self, margin_call_row_id: int) -> list[LiquidationRecord]:
        rows = self._db.execute(
            "SELECT * FROM liquidation_instructions WHERE margin_call_id = ? ORDER BY id",
            (margin_call_row_id,),
        ).fetchall()
        return [self._liquidation(r) for r in rows]

    def set_liquidation_status(self, public_id: str, status: str, at: datetime) -> None:
        self._db.execute(
            "UPDATE liquidation_instructions SET status = ?, updated_at = ? WHERE public_id = ?",
            (status, time_to_text(at), public_id),
        )
        rebind.note(self._db, "liquidation_instructions.state", public_id)

    def count_liquidations(self) -> int:
        return int(
            self._db.execute("SELECT COUNT(*) FROM liquidation_instructions").fetchone()[0]
        )

    # -- reconciliations ------------------------------------------------------------

    def add_reconciliation(
        self, *, run_at: datetime, status: str, break_count: int, report: dict[str, Any],
        created_by: str, slot: str | None, ledger_sequence: int | None,
    ) -> int:
        cur = self._db.execute(
            "INSERT INTO reconciliations (run_at, status, break_count, report_json,"
            " created_by, slot, ledger_sequence) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                time_to_text(run_at), status, break_count, json.dumps(report, sort_keys=True),
                created_by, slot, ledger_sequence,
            ),
        )
        return int(cur.lastrowid or 0)

    def set_reconciliation_document(self, rec_id: int, signature: str, document: str) -> None:
        self._db.execute(
            "UPDATE reconciliations SET signature = ?, document_json = ? WHERE id = ?",
            (signature, document, rec_id),
        )

    @staticmethod
    def _reconciliation(r: sqlite3.Row) -> ReconciliationRecord:
        return ReconciliationRecord(
            id=r["id"],
            run_at=text_to_time(r["run_at"]),
            status=r["status"],
            break_count=r["break_count"],
            report=json.loads(r["report_json"]),
            signature=r["signature"],
            created_by=r["created_by"],
            slot=r["slot"],
            ledger_sequence=r["ledger_sequence"],
            document_json=r["document_json"],
        )

    def reconciliations(self) -> list[ReconciliationRecord]:
        rows = self._db.execute("SELECT * FROM reconciliations ORDER BY id").fetchall()
        return [self._reconciliation(r) for r in rows]

    def reconciliation(self, rec_id: int) -> ReconciliationRecord | None:
        row = self._db.execute("SELECT * FROM reconciliations WHERE id = ?", (rec_id,)).fetchone()
        return None if row is None else self._reconciliation(row)

    def slot_done(self, slot: str) -> bool:
        row = self._db.execute("SELECT 1 FROM reconciliations WHERE slot = ?", (slot,)).fetchone()
        return row is not None

    def last_ledger_sequence(self) -> int | None:
        row = self._db.execute("SELECT MAX(ledger_sequence) FROM reconciliations").fetchone()
        return None if row[0] is None else int(row[0])

    def last_scheduled_run(self) -> datetime | None:
        row = self._db.execute(
            "SELECT MAX(run_at) FROM reconciliations WHERE slot IS NOT NULL"
        ).fetchone()
        return text_to_optional_time(row[0])
