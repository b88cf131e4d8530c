"""Which store each test desk (data folder) is on: the parametrised backend.

The CLI end-to-end tests drive ``custody-desk --data-dir DATA ...``. With the
``desk_backend`` fixture (``tests/conftest.py``) active, each data folder a test
uses is its own desk on the test's backend: on SQLite the default file in the
folder, on PostgreSQL a fresh database (copied from the migrated template) named
to every command with ``--store URL``. Tests open "that desk's store" through
:func:`open_desk_store` instead of naming ``desk.sqlite3``, so one test body runs on
both engines (issue 14: the same suites, not a copy of them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.paths import store_path
from app.store.interface import Store
from app.store.url import open_store_url, sqlite_url


class DeskStores:
    """Data folder -> store URL for one test on one backend."""

    def __init__(self, backend: str, new_database: Callable[[], str] | None = None) -> None:
        if backend == "postgresql" and new_database is None:
            raise ValueError("PostgreSQL desks need a database factory")
        self.backend = backend
        self._new_database = new_database
        self._urls: dict[Path, str] = {}

    def url(self, data: Path) -> str:
        """The ``--store`` URL of the desk in ``data`` (a new database on first use)."""
        key = Path(data).resolve()
        if key not in self._urls:
            if self._new_database is None:
                self._urls[key] = sqlite_url(store_path(str(key)))
            else:
                self._urls[key] = self._new_database()
        return self._urls[key]

    def argv(self, data: Path) -> list[str]:
        """Extra global options for a command run on ``data`` (none on SQLite: the
        default store in the data folder is what a user gets)."""
        if self.backend == "sqlite":
            return []
        return ["--store", self.url(data)]


_SQLITE = DeskStores("sqlite")
_ACTIVE: list[DeskStores] = []  # the running test's (pytest runs one test at a time)


def active() -> DeskStores:
    """The running test's desks (SQLite unless the test uses ``desk_backend``)."""
    return _ACTIVE[-1] if _ACTIVE else _SQLITE


@contextmanager
def activated(stores: DeskStores) -> Iterator[DeskStores]:
    _ACTIVE.append(stores)
    try:
        yield stores
    finally:
        _ACTIVE.remove(stores)


def open_desk_store(data: Path) -> Store:
    """Open the store of the desk in ``data`` on the test's backend (caller closes it)."""
    return open_store_url(active().url(data))


@contextmanager
def desk_store(data: Path) -> Iterator[Store]:
    """:func:`open_desk_store` as a context manager."""
    store = open_desk_store(data)
    try:
        yield store
    finally:
        store.close()
