"""Repository of sign-in challenges, officer sessions, revoked keys and attestations' maker
signatures (schema v7; portable SQL, SQLite and PostgreSQL).

Bind it to a transaction with ``tx.repository(SqliteSigninRepository)``; every
method runs inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.store.codec import optional_time_to_text, text_to_optional_time, text_to_time, time_to_text


@dataclass(frozen=True)
class ChallengeRecord:
    nonce: str
    officer_id: int
    workstation_id: str
    statement: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class SessionRecord:
    id: int
    officer_id: int
    workstation_id: str
    os_user: str
    nonce: str
    key_id: str
    signature_b64: str
    secret_sha256: str
    opened_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    end_reason: str | None


class SqliteSigninRepository:
    """Rows of ``signin_challenges``, ``officer_sessions`` and ``revoked_keys``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    # -- challenges -------------------------------------------------------------

    def use_nonce(self, challenge: ChallengeRecord) -> bool:
        """Record ``challenge`` as used (its ``used_at`` set); False if its nonce already was.

        The nonce is the primary key and the insert does nothing on a conflict, so
        of two transactions completing the same challenge (two processes, either
        backend) exactly one inserts the row: a nonce is accepted once.
        """
        if challenge.used_at is None:
            raise ValueError("a used challenge has a used_at")
        cur = self._db.execute(
            "INSERT INTO signin_challenges (nonce, officer_id, workstation_id, statement,"
            " issued_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (nonce) DO NOTHING",
            (
                challenge.nonce,
                challenge.officer_id,
                challenge.workstation_id,
                challenge.statement,
                time_to_text(challenge.issued_at),
                time_to_text(challenge.expires_at),
                time_to_text(challenge.used_at),
            ),
        )
        return cur.rowcount == 1

    def challenge(self, nonce: str) -> ChallengeRecord | None:
        row = self._db.execute(
            "SELECT nonce, officer_id, workstation_id, statement, issued_at, expires_at, used_at"
            " FROM signin_challenges WHERE nonce = ?",
            (nonce,),
        ).fetchone()
        if row is None:
            return None
        return ChallengeRecord(
            nonce=row[0],
            officer_id=int(row[1]),
            workstation_id=row[2],
            statement=row[3],
            issued_at=text_to_time(row[4]),
            expires_at=text_to_time(row[5]),
            used_at=text_to_optional_time(row[6]),
        )

    # -- sessions ---------------------------------------------------------------

    def add_session(self, session: SessionRecord) -> int:
        cur = self._db.execute(
            "INSERT INTO officer_sessions (officer_id, workstation_id, os_user, nonce, key_id,"
            " signature, secret_sha256, opened_at, expires_at, ended_at, end_reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            (
                session.officer_id,
                session.workstation_id,
                session.os_user,
                session.nonce,
                session.key_id,
                session.signature_b64,
                session.secret_sha256,
                time_to_text(session.opened_at),
                time_to_text(session.expires_at),
            ),
        )
        return int(cur.lastrowid or 0)

    def session(self, session_id: int) -> SessionRecord | None:
        row = self._db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM officer_sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return None if row is None else _session(row)

    def open_sessions(self, workstation_id: str, os_user: str) -> list[SessionRecord]:
        """Sessions of this OS user on this workstation not yet ended (maybe expired)."""
        rows = self._db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM officer_sessions WHERE workstation_id = ?"
            " AND os_user = ? AND ended_at IS NULL ORDER BY id",
            (workstation_id, os_user),
        ).fetchall()
        return [_session(r) for r in rows]

    def end_session(self, session_id: int, at: datetime, reason: str) -> bool:
        cur = self._db.execute(
            "UPDATE officer_sessions SET ended_at = ?, end_reason = ?"
            " WHERE id = ? AND ended_at IS NULL",
            (optional_time_to_text(at), reason, session_id),
        )
        return cur.rowcount == 1

    # -- the maker's signature of an attestation ------------------------------

    def set_maker_signature(self, att_id: int, signature_b64: str) -> None:
        self._db.execute(
            "UPDATE attestations SET maker_signature = ? WHERE id = ?", (signature_b64, att_id)
        )

    def maker_signature(self, att_id: int) -> str | None:
        row = self._db.execute(
            "SELECT maker_signature FROM attestations WHERE id = ?", (att_id,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    # -- revoked keys -----------------------------------------------------------

    def add_revoked_key(self, pubkey: bytes, at: datetime, by: str) -> None:
        self._db.execute(
            "INSERT INTO revoked_keys (pubkey, revoked_at, revoked_by) VALUES (?, ?, ?)"
            " ON CONFLICT (pubkey) DO NOTHING",
            (pubkey.hex(), time_to_text(at), by),
        )

    def key_revoked(self, pubkey: bytes) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM revoked_keys WHERE pubkey = ?", (pubkey.hex(),)
        ).fetchone()
        return row is not None


_SESSION_COLUMNS = (
    "id, officer_id, workstation_id, os_user, nonce, key_id, signature, secret_sha256,"
    " opened_at, expires_at, ended_at, end_reason"
)


def _session(row: sqlite3.Row | tuple[Any, ...]) -> SessionRecord:
    return SessionRecord(
        id=int(row[0]),
        officer_id=int(row[1]),
        workstation_id=str(row[2]),
        os_user=str(row[3]),
        nonce=str(row[4]),
        key_id=str(row[5]),
        signature_b64=str(row[6]),
        secret_sha256=str(row[7]),
        opened_at=text_to_time(str(row[8])),
        expires_at=text_to_time(str(row[9])),
        ended_at=text_to_optional_time(None if row[10] is None else str(row[10])),
        end_reason=None if row[11] is None else str(row[11]),
    )
