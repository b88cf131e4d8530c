"""SQLite implementations of the repositories in :mod:`app.store.interface`.

Each repository wraps the connection of one open transaction; none of them commits.
Other issues add their own repositories the same way (a class over
``sqlite3.Connection``) and reach them through
:meth:`app.store.sqlite_store.SqliteTransaction.repository`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from app.store.codec import (
    decimal_to_text,
    optional_time_to_text,
    text_to_decimal,
    text_to_time,
    time_to_text,
)
from app.store.dialect import dialect_of
from app.store.records import (
    AuditHead,
    AuditRow,
    CheckpointRow,
    NewSnapshot,
    SnapshotRecord,
    StoredClientState,
    StoredPosition,
    StoredPrice,
)

if TYPE_CHECKING:  # psycopg is imported only on a PostgreSQL store
    from app.store.pg_connection import PgCursor

_SNAPSHOT_COLUMNS = "id, content_sha256, as_of, imported_at, imported_by, source_name, client_count"


def _snapshot(row: sqlite3.Row) -> SnapshotRecord:
    return SnapshotRecord(
        id=row["id"],
        content_sha256=row["content_sha256"],
        as_of=text_to_time(row["as_of"]),
        imported_at=text_to_time(row["imported_at"]),
        imported_by=row["imported_by"],
        source_name=row["source_name"],
        client_count=row["client_count"],
    )


class SqliteSnapshotRepository:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def find_by_hash(self, content_sha256: str) -> SnapshotRecord | None:
        row = self._db.execute(
            f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots WHERE content_sha256 = ?",
            (content_sha256,),
        ).fetchone()
        return None if row is None else _snapshot(row)

    def add(self, snapshot: NewSnapshot, imported_by: str, imported_at: datetime) -> SnapshotRecord:
        as_of = time_to_text(snapshot.as_of)
        now = time_to_text(imported_at)
        cursor = self._db.execute(
            "INSERT INTO snapshots (content_sha256, as_of, imported_at, imported_by,"
            " source_name, client_count, raw_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                snapshot.content_sha256,
                as_of,
                now,
                imported_by,
                snapshot.source_name,
                len(snapshot.clients),
                snapshot.raw_json,
            ),
        )
        snapshot_id = cursor.lastrowid
        assert snapshot_id is not None
        self._db.executemany(
            "INSERT INTO prices (snapshot_id, asset, price_usd, as_of) VALUES (?, ?, ?, ?)",
            [
                (snapshot_id, asset, decimal_to_text(price), as_of)
                for asset, price in snapshot.prices.items()
            ],
        )
        # Three batched statements for the whole snapshot (one pipelined round trip
        # each on PostgreSQL), not three per client.
        # The identity row is created once; its name follows the latest import.
        self._db.executemany(
            "INSERT INTO clients (id, name, first_seen_snapshot_id, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            [(client.client_id, client.name, snapshot_id, now) for client in snapshot.clients],
        )
        self._db.executemany(
            "INSERT INTO client_states (snapshot_id, client_id, name, net_assets_usd,"
            " dubai_entity, soc2_type2, exposure_usd, liquidation_order, extra_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    snapshot_id,
                    client.client_id,
                    client.name,
                    decimal_to_text(client.net_assets_usd),
                    int(client.dubai_entity),
                    int(client.soc2_type2),
                    decimal_to_text(client.exposure_usd),
                    json.dumps(list(client.liquidation_order)),
                    client.extra_json,
                )
                for client in snapshot.clients
            ],
        )
        self._db.executemany(
            "INSERT INTO positions (snapshot_id, client_id, ordinal, asset, quantity,"
            " locked_quantity) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    snapshot_id,
                    client.client_id,
                    ordinal,
                    position.asset,
                    decimal_to_text(position.quantity),
                    decimal_to_text(position.locked_quantity),
                )
                for client in snapshot.clients
                for ordinal, position in enumerate(client.positions)
            ],
        )
        return SnapshotRecord(
            id=snapshot_id,
            content_sha256=snapshot.content_sha256,
            as_of=text_to_time(as_of),
            imported_at=text_to_time(now),
            imported_by=imported_by,
            source_name=snapshot.source_name,
            client_count=len(snapshot.clients),
        )

    def list(self) -> list[SnapshotRecord]:
        rows = self._db.execute(
            f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots ORDER BY as_of, id"
        ).fetchall()
        return [_snapshot(row) for row in rows]


# For each client, the snapshot holding its latest record at or before :as_of (ties
# on as_of: the later import wins). SQLite takes a bare column (snapshot_id) from
# the row that holds the MAX; the key is fixed-width text, so it orders correctly.
_HOLDINGS_SQL = """
WITH chosen (client_id, snapshot_id, sort_key) AS (
    SELECT cs.client_id, cs.snapshot_id, MAX(s.as_of || printf('%012d', s.id))
    FROM client_states AS cs JOIN snapshots AS s ON s.id = cs.snapshot_id
    WHERE (:as_of IS NULL OR s.as_of <= :as_of){client}
    GROUP BY cs.client_id
)
SELECT cs.snapshot_id, cs.client_id, cs.name, cs.net_assets_usd, cs.dubai_entity,
       cs.soc2_type2, cs.exposure_usd, cs.liquidation_order, cs.extra_json,
       s.as_of, p.asset, p.quantity, p.locked_quantity
FROM chosen
JOIN client_states AS cs USING (client_id, snapshot_id)
JOIN snapshots AS s ON s.id = cs.snapshot_id
LEFT JOIN positions AS p ON p.snapshot_id = cs.snapshot_id AND p.client_id = cs.client_id
ORDER BY cs.client_id, p.ordinal
"""

# PostgreSQL: DISTINCT ON picks each client's latest record (same tie rule); the
# parameter is typed so a NULL as_of means "the latest".
_HOLDINGS_SQL_PG = """
WITH chosen AS (
    SELECT DISTINCT ON (cs.client_id) cs.client_id, cs.snapshot_id
    FROM client_states AS cs JOIN snapshots AS s ON s.id = cs.snapshot_id
    WHERE (CAST(:as_of AS timestamptz) IS NULL OR s.as_of <= CAST(:as_of AS timestamptz)){client}
    ORDER BY cs.client_id, s.as_of DESC, s.id DESC
)
SELECT cs.snapshot_id, cs.client_id, cs.name, cs.net_assets_usd, cs.dubai_entity,
       cs.soc2_type2, cs.exposure_usd, cs.liquidation_order, cs.extra_json,
       s.as_of, p.asset, p.quantity, p.locked_quantity
FROM chosen
JOIN client_states AS cs USING (client_id, snapshot_id)
JOIN snapshots AS s ON s.id = cs.snapshot_id
LEFT JOIN positions AS p ON p.snapshot_id = cs.snapshot_id AND p.client_id = cs.client_id
ORDER BY cs.client_id, p.ordinal
"""

# {client}: nothing (every client), or _ONE_CLIENT (a client's history: one index lookup
# per snapshot instead of valuing the whole desk), and/or a range of ids (a share of the
# desk: ``holdings --json`` on two cores), compared in the ORDER BY's own collation
_ONE_CLIENT = " AND cs.client_id = :client_id"
_FROM_ID = " AND cs.client_id >= :from_id"
_BEFORE_ID = " AND cs.client_id < :before_id"
_AS_OF_SQLITE = ":as_of IS NULL OR q.as_of <= :as_of"
_AS_OF_PG = "CAST(:as_of AS timestamptz) IS NULL OR q.as_of <= CAST(:as_of AS timestamptz)"


class SqliteHoldingsRepository:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def client_states(
        self, as_of: datetime | None = None, client_id: str | None = None
    ) -> list[StoredClientState]:
        return list(self.iter_client_states(as_of, client_id))

    def iter_client_states(
        self,
        as_of: datetime | None = None,
        client_id: str | None = None,
        *,
        from_id: str | None = None,
        before_id: str | None = None,
    ) -> Iterator[StoredClientState]:
        params = {"as_of": optional_time_to_text(as_of), "client_id": client_id,
                  "from_id": from_id, "before_id": before_id}
        cursor = self._db.cursor()
        cursor.row_factory = None  # plain tuples: this loop is hot for 100k clients
        times: dict[str, datetime] = {}  # one parse per snapshot, not per client
        current: tuple[Any, ...] | None = None
        positions: list[StoredPosition] = []
        postgres = dialect_of(self._db) == "postgresql"
        sql = (_HOLDINGS_SQL_PG if postgres else _HOLDINGS_SQL).format(
            client=("" if client_id is None else _ONE_CLIENT)
            + ("" if from_id is None else _FROM_ID)
            + ("" if before_id is None else _BEFORE_ID)
        )
        # A named tuple's __new__ is a Python function around this; called directly
        # it saves a frame for each of the 250,000 positions of the benchmark desk.
        new = tuple.__new__
        # PostgreSQL streams the rows, so the server reads while this loop builds
        rows = (cast("PgCursor", cursor).stream(sql, params) if postgres
                else cursor.execute(sql, params))
        for row in rows:
            if current is None or row[1] != current[1]:
                if current is not None:
                    yield _client_state(current, positions, times)
                current, positions = row, []
            if row[10] is not None:
                positions.append(
                    new(StoredPosition, (row[10], Decimal(row[11]), Decimal(row[12])))
                )
        if current is not None:
            yield _client_state(current, positions, times)

    def prices(self, as_of: datetime | None = None) -> dict[str, StoredPrice]:
        params = {"as_of": optional_time_to_text(as_of)}
        as_of_clause = _AS_OF_PG if dialect_of(self._db) == "postgresql" else _AS_OF_SQLITE
        rows = self._db.execute(
            "SELECT p.asset, p.price_usd, p.as_of, p.snapshot_id FROM prices AS p"
            " WHERE p.snapshot_id = (SELECT q.snapshot_id FROM prices AS q"
            f"   WHERE q.asset = p.asset AND ({as_of_clause})"
            "   ORDER BY q.as_of DESC, q.snapshot_id DESC LIMIT 1)"
            " ORDER BY p.asset",
            params,
        ).fetchall()
        return {
            row["asset"]: StoredPrice(
                asset=row["asset"],
                price_usd=text_to_decimal(row["price_usd"]),
                as_of=text_to_time(row["as_of"]),
                snapshot_id=row["snapshot_id"],
            )
            for row in rows
        }

    def client_ids(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM clients ORDER BY id")]

    def has_client(self, client_id: str) -> bool:
        found = self._db.execute("SELECT 1 FROM clients WHERE id = ?", (client_id,))
        return found.fetchone() is not None

    def client_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM clients").fetchone()[0])

    def middle_client_id(self) -> str | None:
        row = self._db.execute(
            "SELECT id FROM clients ORDER BY id LIMIT 1 OFFSET ?", (self.client_count() // 2,)
        ).fetchone()
        return None if row is None else row[0]

    def first_client_id(self) -> str | None:
        # SQLite compares text bytewise (code points); PostgreSQL by the database's
        # collation unless told "C", which is the same order as Python's sorted().
        collate = ' COLLATE "C"' if dialect_of(self._db) == "postgresql" else ""
        row = self._db.execute(f"SELECT MIN(id{collate}) FROM clients").fetchone()
        return None if row is None else row[0]

    def locked_quantities(self) -> dict[str, dict[str, Decimal]]:
        locks: dict[str, dict[str, Decimal]] = {}
        for row in self._db.execute(
            "SELECT client_id, asset, quantity FROM redemptions WHERE status = 'locked'"
        ):
            per_asset = locks.setdefault(row["client_id"], {})
            per_asset[row["asset"]] = per_asset.get(row["asset"], Decimal(0)) + text_to_decimal(
                row["quantity"]
            )
        return locks


def _client_state(
    row: tuple[Any, ...], positions: list[StoredPosition], times: dict[str, datetime]
) -> StoredClientState:
    # Columns in the order of _HOLDINGS_SQL's SELECT list.
    as_of = times.get(row[9])
    if as_of is None:
        as_of = times[row[9]] = text_to_time(row[9])
    # In StoredClientState's field order, built without its __new__ (see above).
    return tuple.__new__(StoredClientState, (
        row[0],  # snapshot_id
        as_of,
        row[1],  # client_id
        row[2],  # name
        Decimal(row[3]),  # net_assets_usd
        bool(row[4]),  # dubai_entity
        bool(row[5]),  # soc2_type2
        Decimal(row[6]),  # exposure_usd
        tuple(positions),
        _asset_list(row[7]),  # liquidation_order
        row[8],  # extra_json
    ))


def _asset_list(text: str) -> tuple[str, ...]:
    return () if text == "[]" else tuple(json.loads(text))


def _audit_row(row: sqlite3.Row) -> AuditRow:
    return AuditRow(
        seq=row["seq"],
        time=text_to_time(row["time"]),
        actor=row["actor"],
        action=row["action"],
        payload=row["payload"],
        prev_hash=row["prev_hash"],
        entry_hash=row["entry_hash"],
    )


def _checkpoint(row: sqlite3.Row) -> CheckpointRow:
    return CheckpointRow(
        id=row["id"],
        tree_size=row["tree_size"],
        root_hash=row["root_hash"],
        created_at=text_to_time(row["created_at"]),
        statement=row["statement"],
        signature=row["signature"],
        signer=row["signer"],
    )


class SqliteAuditRepository:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def head(self) -> AuditHead | None:
        row = self._db.execute("SELECT size, last_hash, frontier FROM audit_head").fetchone()
        if row is None:
            return None
        return AuditHead(
            size=row["size"],
            last_hash=row["last_hash"],
            frontier=tuple(json.loads(row["frontier"])),
        )

    def last(self) -> AuditRow | None:
        row = self._db.execute("SELECT * FROM audit_entries ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else _audit_row(row)

    def append(self, row: AuditRow, new_head: AuditHead) -> None:
        self._db.execute(
            "INSERT INTO audit_entries (seq, time, actor, action, payload, prev_hash, entry_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row.seq,
                time_to_text(row.time),
                row.actor,
                row.action,
                row.payload,
                row.prev_hash,
                row.entry_hash,
            ),
        )
        self._db.execute(
            "INSERT INTO audit_head (id, size, last_hash, frontier) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET size = excluded.size,"
            " last_hash = excluded.last_hash, frontier = excluded.frontier",
            (new_head.size, new_head.last_hash, json.dumps(list(new_head.frontier))),
        )

    def entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after_seq: int | None = None,
        limit: int | None = None,
    ) -> list[AuditRow]:
        clauses: list[str] = []
        params: list[object] = []
        if actor is not None:
            clauses.append("actor = ?")
            params.append(actor)
        if action is not None:
            clauses.append("action = ?")
            params.append(action)
        if since is not None:
            clauses.append("time >= ?")
            params.append(time_to_text(since))
        if until is not None:
            clauses.append("time < ?")
            params.append(time_to_text(until))
        if after_seq is not None:
            clauses.append("seq > ?")
            params.append(after_seq)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT * FROM audit_entries{where} ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_audit_row(row) for row in self._db.execute(sql, params)]

    def iter_all(self) -> Iterator[AuditRow]:
        # rowid order is storage order: an entry moved by editing seq shows up.
        # PostgreSQL has no stable rowid; there UPDATE is refused by trigger and grants.
        order = "seq" if dialect_of(self._db) == "postgresql" else "rowid"
        cursor = self._db.execute(f"SELECT * FROM audit_entries ORDER BY {order}")
        while batch := cursor.fetchmany(1000):
            for row in batch:
                yield _audit_row(row)

    def high_water_mark(self) -> int | None:
        if dialect_of(self._db) == "postgresql":
            # No AUTOINCREMENT table: DELETE is refused by trigger and grants, so the
            # largest seq ever allocated is the largest present (or the head's size).
            row = self._db.execute(
                "SELECT GREATEST((SELECT MAX(seq) FROM audit_entries),"
                " (SELECT size FROM audit_head WHERE id = 1))"
            ).fetchone()
            return None if row is None or row[0] is None or int(row[0]) == 0 else int(row[0])
        row = self._db.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_entries'"
        ).fetchone()
        return None if row is None else int(row[0])

    def add_checkpoint(self, tree_size: int, root_hash: str, created_at: datetime) -> CheckpointRow:
        cursor = self._db.execute(
            "INSERT INTO audit_checkpoints (tree_size, root_hash, created_at) VALUES (?, ?, ?)",
            (tree_size, root_hash, time_to_text(created_at)),
        )
        assert cursor.lastrowid is not None
        return CheckpointRow(
            id=cursor.lastrowid,
            tree_size=tree_size,
            root_hash=root_hash,
            created_at=text_to_time(time_to_text(created_at)),
        )

    def checkpoints(self) -> list[CheckpointRow]:
        rows = self._db.execute("SELECT * FROM audit_checkpoints ORDER BY tree_size")
        return [_checkpoint(row) for row in rows]

    def sign_checkpoint(
        self, checkpoint_id: int, statement: str, signature: str, signer: str
    ) -> None:
        self._db.execute(
            "UPDATE audit_checkpoints SET statement = ?, signature = ?, signer = ? WHERE id = ?",
            (statement, signature, signer, checkpoint_id),
        )


class SqliteSettingsRepository:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key)"
            " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, time_to_text(at)),
        )
