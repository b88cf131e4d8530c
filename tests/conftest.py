"""Suite-wide fixtures and options."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from desk_stores import DeskStores, activated
from pg_server import PgServer, find_bindir, start_server

from app.store.interface import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-hardware", action="store_true", help="also run tests that need a real device"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-hardware"):
        return
    skip = pytest.mark.skip(reason="needs a real device: run with --run-hardware")
    for item in items:
        if "hardware" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


# -- the two store backends ------------------------------------------------------
#
# ``pg_server`` is one throwaway PostgreSQL server for the whole run (see
# tests/pg_server.py); every test gets its own database. ``backend`` parametrises a
# test over both engines: a test that takes ``store_factory`` (or ``any_store``) runs
# once on SQLite and once on PostgreSQL.

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for this test run (skipped only if PostgreSQL is not installed)."""
    if find_bindir() is None:
        pytest.skip(
            "PostgreSQL server binaries not found (Debian: apt-get install postgresql; "
            "`make test` installs it through packaging/system-deps.sh --test)"
        )
    server = start_server()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """Name of a database migrated to the latest schema, copied for each test."""
    from app.store.pg_store import PgStore

    url = pg_server.create_database()
    PgStore(url).close()
    return url.rsplit("/", 1)[1]


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """URL of a new, empty database (no schema)."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def pg_desk_url(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """URL of a new database already at the latest schema."""
    url = pg_server.create_database(template=pg_template)
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """``"sqlite"`` or ``"postgresql"``: the engine this run of the test uses."""
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A ``--store`` URL of a fresh desk on the parametrised backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    url: str = request.getfixturevalue("pg_desk_url")
    return url


@pytest.fixture
def store_factory(store_url: str) -> Iterator[Callable[[], Store]]:
    """Opens (each call: another connection, like another workstation) the test's store."""
    from app.store.url import open_store_url

    opened: list[Store] = []

    def make() -> Store:
        store = open_store_url(store_url)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def any_store(store_factory: Callable[[], Store]) -> Store:
    """A fresh desk store on the parametrised backend."""
    return store_factory()


@pytest.fixture
def desk_backend(backend: str, request: pytest.FixtureRequest) -> Iterator[DeskStores]:
    """Every desk (data folder) the test drives through ``tests/e2e/cli_helpers`` or
    opens with ``desk_stores.open_desk_store`` is on the parametrised backend: use it with
    ``pytestmark = pytest.mark.usefixtures("desk_backend")`` to run a CLI suite on both."""
    created: list[str] = []
    server: PgServer | None = None
    new_database: Callable[[], str] | None = None
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        template: str = request.getfixturevalue("pg_template")

        def new_database() -> str:
            assert server is not None
            url = server.create_database(template=template)
            created.append(url)
            return url

    with activated(DeskStores(backend, new_database)) as stores:
        yield stores
    if server is not None:
        for url in created:
            server.drop_database(url)
