"""One schema history, two dialects: every migration's PostgreSQL form gives the same desk.

Runs the real migrations on a real PostgreSQL server (tests/pg_server.py) and on
SQLite and compares what a repository can see: the same tables, the same columns,
money as NUMERIC and times as TIMESTAMPTZ where SQLite checks decimal/UTC text,
and the audit tables append-only on both.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from app.store.errors import ConstraintViolation, SchemaTooNew
from app.store.migrations import LATEST_VERSION, all_migrations
from app.store.pg_store import PgStore
from app.store.sqlite_store import SqliteStore

_DECIMAL_CHECK = "CHECK (typeof({col}) = 'text' AND {col} GLOB '[0-9]*'"
_TIME_CHECK = "{col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T"


def _sqlite_schema(path: Path) -> dict[str, dict[str, str]]:
    """table -> column -> 'decimal' | 'time' | 'other' as SQLite checks them."""
    db = sqlite3.connect(path)
    try:
        tables = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        schema: dict[str, dict[str, str]] = {}
        for name, sql in tables:
            columns: dict[str, str] = {}
            for row in db.execute(f"PRAGMA table_info({name})"):
                col = row[1]
                if _DECIMAL_CHECK.format(col=col) in sql:
                    columns[col] = "decimal"
                elif re.search(re.escape(_TIME_CHECK.format(col=col)), sql):
                    columns[col] = "time"
                else:
                    columns[col] = "other"
            schema[name] = columns
        return schema
    finally:
        db.close()


def _pg_schema(url: str) -> dict[str, dict[str, str]]:
    """table -> column -> PostgreSQL data type."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ).fetchall()
    schema: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        schema.setdefault(table, {})[column] = data_type
    return schema


def test_every_migration_has_a_postgresql_form() -> None:
    for migration in all_migrations():
        assert migration.postgres_sql.strip(), f"v{migration.version} has no PostgreSQL SQL"
        assert "GLOB" not in migration.postgres_sql, f"v{migration.version}: GLOB is SQLite-only"
        assert "typeof(" not in migration.postgres_sql


def test_both_dialects_give_the_same_tables_and_columns(tmp_path: Path, pg_url: str) -> None:
    SqliteStore(tmp_path / "desk.sqlite3").close()
    store = PgStore(pg_url)
    assert store.schema_version() == LATEST_VERSION
    store.close()

    lite = _sqlite_schema(tmp_path / "desk.sqlite3")
    pg = _pg_schema(pg_url)
    assert set(lite) == set(pg)
    for table, columns in lite.items():
        assert set(columns) == set(pg[table]), table
        for column, kind in columns.items():
            pg_type = pg[table][column]
            assert pg_type not in ("real", "double precision"), f"{table}.{column} is a float"
            if kind == "decimal":
                assert pg_type == "numeric", f"{table}.{column}: money must be NUMERIC"
            if kind == "time":
                assert pg_type == "timestamp with time zone", f"{table}.{column}: TIMESTAMPTZ"


def test_a_fresh_postgresql_store_upgrades_step_by_step(pg_url: str) -> None:
    """Every earlier version upgrades: open at v1, v2, ... then the latest desk."""
    migrations = all_migrations()
    for upto in range(1, len(migrations) + 1):
        store = PgStore(pg_url, migrations=migrations[:upto])
        assert store.schema_version() == upto
        store.close()
    with psycopg.connect(pg_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, len(migrations) + 1))


def test_a_newer_postgresql_store_is_refused(pg_url: str) -> None:
    PgStore(pg_url).close()
    with pytest.raises(SchemaTooNew):
        PgStore(pg_url, migrations=all_migrations()[:1])


def test_audit_entries_are_append_only_on_postgresql(pg_desk_url: str) -> None:
    store = PgStore(pg_desk_url)
    try:
        with psycopg.connect(pg_desk_url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO audit_entries (seq, time, actor, action, payload, prev_hash,"
                " entry_hash) VALUES (1, now(), 'a', 'b', '{}', %s, %s)",
                ("0" * 64, "1" * 64),
            )
            for statement in (
                "UPDATE audit_entries SET actor = 'mallory'",
                "DELETE FROM audit_entries",
                "TRUNCATE audit_entries",
            ):
                with pytest.raises(psycopg.Error, match="append-only"):
                    conn.execute(statement)
            assert conn.execute("SELECT actor FROM audit_entries").fetchall() == [("a",)]
        with pytest.raises(ConstraintViolation), store.transaction() as tx:
            tx.connection.execute("DELETE FROM audit_entries")
    finally:
        store.close()


def test_money_and_time_round_trip_exactly(pg_desk_url: str) -> None:
    store = PgStore(pg_desk_url)
    try:
        moment = datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC)
        with store.transaction() as tx:
            tx.settings.put("k", "v", moment)
            tx.connection.execute(
                "INSERT INTO snapshots (content_sha256, as_of, imported_at, imported_by,"
                " source_name, client_count, raw_json) VALUES (?, ?, ?, 'x', 'y', 0, '{}')",
                ("a" * 64, "2026-01-02T03:04:05.000600Z", "2026-01-02T03:04:05.000000Z"),
            )
        with store.read() as tx:
            row = tx.connection.execute("SELECT as_of, imported_at FROM snapshots").fetchone()
            assert row["as_of"] == "2026-01-02T03:04:05.000600Z"
            assert row[1] == "2026-01-02T03:04:05.000000Z"
            value = tx.connection.execute("SELECT CAST('12345678901234567890.000000001'"
                                          " AS NUMERIC)").fetchone()[0]
            assert value == "12345678901234567890.000000001"
        with pytest.raises(ConstraintViolation), store.transaction() as tx:
            tx.connection.execute(
                "INSERT INTO prices (snapshot_id, asset, price_usd, as_of)"
                " VALUES (1, 'BTC', ?, ?)",
                ("-1", "2026-01-02T03:04:05.000000Z"),
            )
    finally:
        store.close()
