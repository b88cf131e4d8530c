"""The shared desk from the command line, on a real PostgreSQL server.

``--store``/``CUSTODY_DESK_STORE``, ``store migrate --to`` with its proof, ``store
init-roles`` and a desk role that cannot rewrite the audit log, backup and restore.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import psycopg
import pytest
from cli_helpers import cli, ok
from pg_server import PgServer

SNAPSHOT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "snapshot.json"


def _holdings(data: Path, capsys: pytest.CaptureFixture[str], *store: str) -> object:
    return json.loads(ok(data, capsys, *store, "holdings", "--json"))


def test_migrate_a_sqlite_desk_into_postgresql_and_prove_it(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ok(data, capsys, "import", str(SNAPSHOT))
    ok(data, capsys, "audit", "checkpoint")
    lite = _holdings(data, capsys)

    out = ok(data, capsys, "store", "migrate", "--to", pg_url)
    assert "ok: same counts, audit chain verifies on the target, heads equal" in out
    assert "clients:" in out and "audit_entries:" in out

    assert _holdings(data, capsys, "--store", pg_url) == lite
    verify = ok(data, capsys, "--store", pg_url, "audit", "verify")
    assert "FAIL" not in verify
    assert "database guards" in verify  # PostgreSQL reports its own guards
    lite_verify = ok(data, capsys, "audit", "verify")
    root = [line for line in lite_verify.splitlines() if line.startswith("ok   head")]
    assert root and root[0] in verify  # same seq and same tree root on both

    # A second migrate into the now-populated database is refused, nothing written.
    code, _out, err = cli(data, capsys, "store", "migrate", "--to", pg_url)
    assert code == 2 and "not empty" in err
    # New work on the shared desk gets fresh ids after the copied ones.
    ok(data, capsys, "--store", pg_url, "audit", "checkpoint")
    assert "FAIL" not in ok(data, capsys, "--store", pg_url, "audit", "verify")


def test_the_environment_variable_chooses_the_store(
    tmp_path: Path, pg_desk_url: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("CUSTODY_DESK_STORE", pg_desk_url)
    ok(data, capsys, "import", str(SNAPSHOT))
    info = ok(data, capsys, "store", "info")
    assert "store: PostgreSQL postgresql://postgres@127.0.0.1:" in info
    assert not (data / "desk.sqlite3").exists()  # nothing went to the embedded store
    monkeypatch.delenv("CUSTODY_DESK_STORE")
    assert _holdings(data, capsys) == []  # the data dir's SQLite desk is a different desk
    code, _out, err = cli(data, capsys, "--store", "mysql://x", "holdings")
    assert code == 2 and "not a store URL" in err


def _desk_url(server: PgServer, url: str, role: str) -> str:
    return server.url(url.rsplit("/", 1)[1], user=role)


def test_the_desk_role_may_only_insert_into_the_audit_log(
    tmp_path: Path, pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    owner, desk = f"own_{os.getpid()}_{tmp_path.name[-6:]}", f"desk_{os.getpid()}"
    out = ok(data, capsys, "--store", pg_url, "store", "init-roles",
             "--owner-role", owner, "--desk-role", desk)
    assert "INSERT-only on the audit log" in out
    desk_url = _desk_url(pg_server, pg_url, desk)

    # The desk role works the desk: imports, checkpoints (audit appends).
    ok(data, capsys, "--store", desk_url, "import", str(SNAPSHOT))
    ok(data, capsys, "--store", desk_url, "audit", "checkpoint")
    verify = ok(data, capsys, "--store", desk_url, "audit", "verify")
    assert f"ok   database guards: append-only triggers in place; role {desk} may only" in verify

    with psycopg.connect(desk_url, autocommit=True) as conn:
        for statement in (
            "UPDATE audit_entries SET actor = 'mallory'",
            "DELETE FROM audit_entries",
            "TRUNCATE audit_entries",
            "ALTER TABLE audit_entries DISABLE TRIGGER USER",
            "DROP TRIGGER audit_entries_append_only ON audit_entries",
            "UPDATE audit_checkpoints SET root_hash = repeat('0', 64)",
            "DELETE FROM audit_checkpoints",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)

    # Even the owner meets the trigger; and verify says who could lift it.
    with psycopg.connect(pg_url, autocommit=True) as conn:
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM audit_entries")
        conn.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
    code, out, _err = cli(data, capsys, "--store", desk_url, "audit", "verify")
    assert code == 1
    assert "FAIL database guards: append-only triggers missing or disabled" in out
    printed = ok(data, capsys, "--store", pg_url, "store", "init-roles", "--print-sql",
                 "--owner-role", owner, "--desk-role", desk)
    assert f'GRANT SELECT, INSERT ON TABLE "audit_entries" TO "{desk}";' in printed


def test_backup_and_restore_on_postgresql(
    tmp_path: Path, pg_desk_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = ("--store", pg_desk_url)
    ok(data, capsys, *store, "import", str(SNAPSHOT))
    before = _holdings(data, capsys, *store)
    backup = tmp_path / "backups" / "desk-backup.sqlite3"
    ok(data, capsys, *store, "backup", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not list(backup.parent.glob(".*partial*"))
    code, _out, err = cli(data, capsys, *store, "backup", str(backup))
    assert code == 2 and "exists" in err

    # The desk moves on (another snapshot's worth of work), then is restored.
    with psycopg.connect(pg_desk_url, autocommit=True) as conn:
        conn.execute("DELETE FROM positions WHERE client_id = (SELECT MIN(client_id)"
                     " FROM positions)")
    assert _holdings(data, capsys, *store) != before
    out = ok(data, capsys, *store, "restore", str(backup))
    assert f"previous store kept as {data}/desk.sqlite3.before-restore-" in out
    assert _holdings(data, capsys, *store) == before
    verify = ok(data, capsys, *store, "audit", "verify")
    assert "FAIL" not in verify
    log = json.loads(ok(data, capsys, *store, "audit", "log", "--json"))
    assert [e["action"] for e in log][-1] == "store.restore"
    kept = list(data.glob("desk.sqlite3.before-restore-*"))
    assert len(kept) == 1 and stat.S_IMODE(kept[0].stat().st_mode) == 0o600
