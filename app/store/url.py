"""Choosing the store: ``--store URL``, ``CUSTODY_DESK_STORE``, or SQLite in the data dir.

URL forms (the names testers script against):

* ``postgresql://user@host:5432/desk?sslmode=verify-full&sslrootcert=ca.pem``:
  any libpq URL (``postgres://`` too). libpq itself reads ``sslmode``,
  ``sslrootcert``, ``sslcert``, ``sslkey``, ``passfile``, ``PGPASSWORD`` etc., so
  every libpq option is honoured as documented by PostgreSQL.
* ``sqlite:///PATH``: the SQLite file at ``PATH``, relative to the current folder;
  ``sqlite:////abs/path`` is absolute (SQLAlchemy's convention).
* no ``--store`` and no variable: today's SQLite store in the data dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.paths import store_path
from app.store.errors import StoreError
from app.store.interface import Store

STORE_ENV = "CUSTODY_DESK_STORE"


class BadStoreUrl(StoreError):
    """A ``--store``/``CUSTODY_DESK_STORE`` value that is not a store URL."""


@dataclass(frozen=True, slots=True)
class StoreTarget:
    """Where the desk's store is: an engine and its address."""

    dialect: Literal["sqlite", "postgresql"]
    url: str
    path: Path | None = None  # SQLite only
    # the desk's own data dir holds the file, so an open folder is tightened to 0700;
    # a folder named in a sqlite:/// URL is the user's (the current folder, say): left alone
    own_folder: bool = False

    @property
    def display(self) -> str:
        """For the status bar and messages: never the password."""
        if self.path is not None:
            return f"SQLite {self.path}"
        from app.store.pg_store import redact_url

        return f"PostgreSQL {redact_url(self.url)}"


def parse_store_url(url: str) -> StoreTarget:
    """Parse a store URL (raises :class:`BadStoreUrl`)."""
    text = url.strip()
    if text.startswith(("postgresql://", "postgres://")):
        return StoreTarget("postgresql", text)
    if text.startswith("sqlite:///"):
        rest = text[len("sqlite:///") :]
        if not rest:
            raise BadStoreUrl("sqlite:/// needs a file path (sqlite:///desk.sqlite3)")
        return StoreTarget("sqlite", text, Path(rest).expanduser())
    raise BadStoreUrl(
        f"not a store URL: {url!r} (use postgresql://user@host/db or sqlite:///PATH)"
    )


def sqlite_url(path: Path) -> str:
    """The ``sqlite:///`` URL of ``path`` (absolute paths give ``sqlite:////...``)."""
    return f"sqlite:///{path}"


def resolve_store(cli_value: str | None, data_dir: str | None) -> StoreTarget:
    """``--store`` wins, then ``CUSTODY_DESK_STORE``, then SQLite in the data dir."""
    value = cli_value or os.environ.get(STORE_ENV)
    if value:
        return parse_store_url(value)
    path = store_path(data_dir)
    return StoreTarget("sqlite", sqlite_url(path), path, own_folder=True)


def open_target(target: StoreTarget) -> Store:
    """Open (creating and migrating if needed) the store at ``target``."""
    if target.dialect == "postgresql":
        from app.store.pg_store import PgStore

        return PgStore(target.url)
    from app.store.sqlite_store import SqliteStore

    assert target.path is not None
    return SqliteStore(target.path, restrict_folder=target.own_folder)


def open_store_url(url: str) -> Store:
    """Open the store at a URL (see the module docstring)."""
    return open_target(parse_store_url(url))
