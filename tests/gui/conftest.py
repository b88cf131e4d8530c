"""GUI fixtures: a real desk (temporary store with demo data), a qasync loop, emulators."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from app.documents.keys import Party, Role
from app.services.officers import add_party_key, list_officers
from app.ui.backend.emulator import emulator_host
from app.ui.context import DeskContext
from app.ui.main import DeskApp, make_settings, open_facade
from app.ui.main_window import MainWindow
from signing.interface import NullInteraction


def run_on(loop: qasync.QEventLoop, awaitable: Any) -> Any:
    """Run ``awaitable`` to completion on ``loop``.

    Not ``loop.run_until_complete``: qasync's version ends with one more
    ``processEvents`` *after* it has cleared the running loop, so a view's task
    stepped there (a reload, ``load_all``) dies with "no running event loop" — an
    artefact of the harness the desk never has (its window runs one loop throughout).
    Stopping ``run_forever`` from the future leaves queued events for the next run,
    where the loop is running again.
    """
    future = asyncio.ensure_future(awaitable, loop=loop)
    future.add_done_callback(lambda _f: loop.stop())
    loop.run_forever()
    if not future.done():
        raise RuntimeError("the event loop stopped before the awaitable finished")
    return future.result()


class Desk:
    """A running desk window on a temporary data dir, with helpers to drive it."""

    def __init__(self, app: DeskApp, loop: qasync.QEventLoop, data_dir: Path) -> None:
        self.app = app
        self.loop = loop
        self.data_dir = data_dir

    @property
    def window(self) -> MainWindow:
        return self.app.window

    @property
    def ctx(self) -> DeskContext:
        return self.app.ctx

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return run_on(self.loop, asyncio.wait_for(coro, timeout))

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 15) -> None:
        async def poll() -> None:
            deadline = time.monotonic() + timeout
            while not predicate():
                if time.monotonic() > deadline:
                    raise AssertionError("condition not reached in time")
                await asyncio.sleep(0.02)

        self.run(poll(), timeout + 5)

    def settle(self, timeout: float = 15) -> None:
        """Wait until every task the views spawned (reloads, detail reads) has finished."""
        self.wait_until(lambda: self.ctx.pending_tasks == 0, timeout)

    def start_emulator(self, mnemonic: str, **kwargs: Any) -> Any:
        emulator = emulator_host().start(mnemonic=mnemonic, **kwargs)
        self.ctx.emulator_running = True
        self.ctx.emulator_changed.emit(True)
        self.run(self.ctx.reload_devices())
        return emulator

    def register(self, name: str, emulator: Any, role: str = "custody officer") -> None:
        self.run(
            self.ctx.facade.register_officer(
                name, role, emulator.trezor_uri, "m/44'/0'/0'/0/0", NullInteraction()
            )
        )
        self.run(self.ctx.reload_officers())
        self.run(self.ctx.reload_devices())

    def sign_in(self, name: str) -> None:
        """Sign ``name`` in from the window, on the device holding their key (the real
        device challenge; the emulator approves)."""
        controller = self.window.signin_bar.controller
        row = self.run(controller.sign_in(name))
        assert row is not None and row.officer == name, controller.last_error
        assert self.ctx.officer == name

    def add_emergency_key(self, party: Party, pubkey: bytes, address: str) -> None:
        """Register ``pubkey`` as ``party``'s (emulator) key for the emergency channel."""
        add_party_key(
            self.ctx.facade.store,
            party,
            pubkey,
            address,
            actor="test",
            role=Role.EMERGENCY,
            is_emulator=True,
        )

    def add_officer_emergency_key(self, name: str, party: Party = Party.CUSTODIAN) -> None:
        """Name registered officer ``name``'s key as ``party``'s emergency key."""
        officer = next(o for o in list_officers(self.ctx.facade.store) if o.name == name)
        self.add_emergency_key(party, officer.pubkey, officer.address)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``both_backends`` gets its ``desk`` on SQLite and on PostgreSQL."""
    if "gui_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("gui_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def gui_backend(request: pytest.FixtureRequest) -> str:
    """The engine of the ``desk`` fixture's store: SQLite unless the test is marked
    ``both_backends`` (or parametrises ``gui_backend`` itself, indirectly)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def desk(
    qapp: QApplication, tmp_path: Path, gui_backend: str, request: pytest.FixtureRequest
) -> Iterator[Desk]:
    """A window on a desk with the demo data: on SQLite the embedded first run; on
    PostgreSQL a fresh shared desk with the same demo data loaded (the same test body
    then runs on both engines)."""
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    if gui_backend == "postgresql":
        from app.services.demo import load_demo_if_empty

        facade = open_facade(str(tmp_path), request.getfixturevalue("pg_desk_url"))
        load_demo_if_empty(facade.store)  # type: ignore[attr-defined]
    else:
        facade = open_facade(str(tmp_path))
    ctx = DeskContext(facade)
    app = DeskApp(ctx, make_settings(str(tmp_path)), None)
    app.window.resize(1440, 900)
    app.window.show()
    d = Desk(app, loop, tmp_path)
    d.run(app.start(offer_emulator=False))
    yield d
    _wind_down(app, loop)


def _wind_down(app: DeskApp, loop: qasync.QEventLoop) -> None:
    """Cancel the view tasks and close the store inside the running loop, then close
    the desk (window state saved, nothing of it listening any more) whatever failed."""
    ctx = app.ctx
    try:
        for task in list(ctx._tasks):
            task.cancel()

        async def wind_down() -> None:
            await asyncio.sleep(0.05)
            emulator_host().stop_all()
            await ctx.facade.close()

        run_on(loop, wind_down())
    finally:
        app.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def shared_desk(qapp: QApplication, tmp_path: Path, pg_desk_url: str) -> Iterator[Desk]:
    """A desk window on a shared PostgreSQL desk (empty: no demo data on a shared desk)."""
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    facade = open_facade(str(tmp_path), pg_desk_url)
    ctx = DeskContext(facade)
    app = DeskApp(ctx, make_settings(str(tmp_path)), None)
    app.window.show()
    d = Desk(app, loop, tmp_path)
    d.run(app.start(offer_emulator=False))
    yield d
    _wind_down(app, loop)


@pytest.fixture(autouse=True)
def _none_outlives_the_pyside_refcount_bug() -> Iterator[None]:
    """Keep ``None``'s reference count far from zero (PySide6 6.12 bug, see below).

    The same over-decrement that aborts the interpreter at exit drains ``None``'s
    count mid-run too: a window on a shared desk reloads more (every commit comes
    back as a NOTIFY) and a GUI test on PostgreSQL took it down by 5,000-16,000,
    so a long GUI run died with ``none_dealloc`` in the middle of a test. On
    CPython before 3.12 ``None`` is not immortal; topping its count up (it is
    never freed anyway) keeps the run alive. Tests only: docs/gui.md.
    """
    yield
    import ctypes
    import sys

    if sys.version_info < (3, 12) and sys.getrefcount(None) < 1 << 30:
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 30


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Work around a PySide6 6.12 refcount bug at interpreter exit.

    Converting an invalid QVariant to Python ``None`` (``index.data(role)`` for a
    role the model leaves empty, which Qt's model tester does thousands of times)
    over-decrements a bool; the process then aborts in the final garbage
    collection, after every test has passed. Reproduced without our code with a
    plain ``QStandardItemModel`` (see docs/gui.md). We stop the process once the
    results are written so the real exit status survives.
    """
    import os
    import sys

    if os.environ.get("CUSTODY_DESK_NO_EXIT_WORKAROUND"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")

    def leave() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(session.exitstatus))

    if reporter is not None:
        import atexit

        atexit.register(leave)
