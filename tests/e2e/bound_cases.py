"""Editing a desk's stored rows as a tamperer would, then ``custody-desk audit verify``.

``Desk`` runs the CLI on one store (``--data-dir``, and ``--store URL`` on
PostgreSQL) and runs SQL on it with the desk's triggers and foreign keys off.
``Copies`` makes a fresh copy of one built desk per case, on either engine: the
SQLite file itself, or a PostgreSQL database the desk was moved into with
``custody-desk store migrate --to URL`` and that each case clones.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from app.cli.main import main


@dataclass
class Desk:
    """A desk's data folder and, on PostgreSQL, its store URL."""

    data: Path
    url: str | None = None

    def run(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        store = ["--store", self.url] if self.url else []
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--data-dir", str(self.data), *store, *argv])
        return code, out.getvalue(), err.getvalue()

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert code == 0, f"{argv}: exit {code}: {out} {err}"
        return out

    def sql(self, statement: str) -> int:
        """Run ``statement`` on the store as a tamperer would (the desk's triggers off)."""
        if self.url is None:
            db = sqlite3.connect(self.data / "desk.sqlite3", isolation_level=None)
            try:
                for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
                    db.execute(f"DROP TRIGGER {name}")
                db.execute("PRAGMA foreign_keys = OFF")
                return db.execute(statement).rowcount
            finally:
                db.close()
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute("SET session_replication_role = replica")  # no triggers, no FKs
            return db.execute(statement.encode()).rowcount

    def data_failure(self) -> str:
        """``audit verify`` must exit 1; its ``FAIL data:`` line."""
        code, out, _ = self.run("audit", "verify")
        assert code == 1, out
        [line] = [x for x in out.splitlines() if x.startswith("FAIL data: ")]
        return line


class Copies:
    """Fresh copies, one per case, of the SQLite desk file ``source`` on ``backend``."""

    def __init__(self, backend: str, source: Path, work: Path,
                 request: pytest.FixtureRequest) -> None:
        self.backend = backend
        self.data = work / f"copies-{backend}"
        self.data.mkdir()
        self.pristine = source.read_bytes()
        self.template: str | None = None
        if backend == "postgresql":
            self.server = request.getfixturevalue("pg_server")
            url = self.server.create_database(template=request.getfixturevalue("pg_template"))
            (self.data / "desk.sqlite3").write_bytes(self.pristine)
            Desk(self.data).ok("store", "migrate", "--to", url)
            (self.data / "desk.sqlite3").unlink()
            self.template = url.rsplit("/", 1)[1]
            request.addfinalizer(lambda: self.server.drop_database(url))

    @contextmanager
    def fresh(self) -> Iterator[Desk]:
        if self.template is None:
            path = self.data / "desk.sqlite3"
            for extra in ("-wal", "-shm"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
            path.write_bytes(self.pristine)
            yield Desk(self.data)
            return
        url = self.server.create_database(template=self.template)
        try:
            yield Desk(self.data, url)
        finally:
            self.server.drop_database(url)

