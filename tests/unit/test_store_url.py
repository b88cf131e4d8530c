"""Choosing the store (``--store``, ``CUSTODY_DESK_STORE``) and the PostgreSQL SQL adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.pg_connection import translate
from app.store.pg_store import redact_url
from app.store.url import BadStoreUrl, parse_store_url, resolve_store


def test_store_urls_parse(tmp_path: Path) -> None:
    pg = parse_store_url(
        "postgresql://desk:s3cret@db.example:5433/custody?sslmode=verify-full"
        "&sslrootcert=/etc/ca.pem&sslcert=/etc/c.pem&sslkey=/etc/k.pem"
    )
    assert pg.dialect == "postgresql" and pg.path is None
    assert "s3cret" not in pg.display
    assert pg.display == "PostgreSQL postgresql://desk@db.example:5433/custody?sslmode=verify-full"
    assert parse_store_url("postgres://h/db").dialect == "postgresql"
    lite = parse_store_url(f"sqlite:///{tmp_path}/desk.sqlite3")
    assert lite.dialect == "sqlite" and lite.path == tmp_path / "desk.sqlite3"
    assert parse_store_url("sqlite:///rel/desk.sqlite3").path == Path("rel/desk.sqlite3")
    for bad in ("mysql://x/y", "desk.sqlite3", "sqlite:///", "sqlite://x"):
        with pytest.raises(BadStoreUrl):
            parse_store_url(bad)


def test_option_wins_over_environment_over_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CUSTODY_DESK_STORE", raising=False)
    assert resolve_store(None, str(tmp_path)).path == tmp_path / "desk.sqlite3"
    monkeypatch.setenv("CUSTODY_DESK_STORE", "postgresql://env@h/db")
    assert resolve_store(None, str(tmp_path)).url == "postgresql://env@h/db"
    assert resolve_store("sqlite:///x.sqlite3", str(tmp_path)).path == Path("x.sqlite3")


def test_redacted_urls_never_show_a_password() -> None:
    assert redact_url("postgresql://u:pw@h/db") == "postgresql://u@h/db"
    assert redact_url("host=h user=u password=pw dbname=db") == "postgresql://u@h/db"


def test_repository_sql_is_translated_for_psycopg() -> None:
    ids = frozenset({"officers"})
    assert translate("SELECT * FROM t WHERE a = ? AND b = ?", ids, returning=True) == (
        "SELECT * FROM t WHERE a = %s AND b = %s"
    )
    assert translate("SELECT :as_of, x::text, '?:no' , 'it''s ?'", ids, returning=True) == (
        "SELECT %(as_of)s, x::text, '?:no' , 'it''s ?'"
    )
    assert translate("SELECT 1 WHERE name LIKE 'a%'", ids, returning=True) == (
        "SELECT 1 WHERE name LIKE 'a%'"
    )
    assert translate("SELECT x % 2", ids, returning=True) == "SELECT x %% 2"
    assert translate("INSERT INTO officers (a) VALUES (?)", ids, returning=True) == (
        "INSERT INTO officers (a) VALUES (%s) RETURNING id"
    )
    assert translate("INSERT INTO officers (a) VALUES (?)", ids, returning=False) == (
        "INSERT INTO officers (a) VALUES (%s)"
    )
    assert translate("INSERT OR IGNORE INTO t (a) VALUES (?)", ids, returning=True) == (
        "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"
    )
