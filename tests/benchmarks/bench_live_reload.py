"""Benchmark: a NOTIFY-driven reload in a real window, from another workstation's commit.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_live_reload.py
[CLIENTS]`` (default 100,000 clients with 1-4 positions each, as bench_shared_desk).

Starts a throwaway PostgreSQL server (tests/pg_server.py), imports the desk, opens
the officer's window on it (``DeskApp`` over ``StoreDesk``, the listener running) and
waits for its first data. Then, 10 times, another connection (another workstation)
commits a change that moves no figure, and the clock runs from that ``COMMIT``
returning until the holdings view has shown the reloaded snapshot: the whole path
an officer waits through (NOTIFY, the listener thread, the worker-thread reload,
the table's reload on the GUI thread). Beside it, the longest GUI-thread stall in
that time (a 1 ms timer's longest gap). Prints the figures for docs/performance.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT, ROOT / "tests", ROOT / "tests" / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench_gui import StallProbe  # noqa: E402
from bench_shared_desk import DEFAULT_CLIENTS, _document, _now  # noqa: E402
from pg_server import start_server  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))


async def _measure(desk: object, url: str, clients: int) -> tuple[list[float], list[float]]:
    from app.store.url import open_store_url

    window = desk.window  # type: ignore[attr-defined]
    view = window.holdings
    shown: list[object] = []
    original = view.show_snapshot

    async def show(snapshot: object) -> None:
        await original(snapshot)
        shown.append(snapshot)

    view.show_snapshot = show
    await desk.start(offer_emulator=False)  # type: ignore[attr-defined]
    live = desk.live  # type: ignore[attr-defined]
    while view.clients_model.rowCount() != clients or "listening" not in live.detail:
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # the first load's follow-ups (what-if panel) settle
    writer = open_store_url(url)
    delays: list[float] = []
    stalls: list[float] = []
    try:
        for n in range(ROUNDS):
            before = len(shown)
            with StallProbe() as probe:
                # Another workstation's commit, off this process's GUI thread (a
                # commit here would be counted as the window's own stall).
                await asyncio.to_thread(_commit, writer, n)
                committed = time.perf_counter()
                while len(shown) == before:
                    await asyncio.sleep(0.001)
                delays.append(time.perf_counter() - committed)
            stalls.append(probe.longest)
            await asyncio.sleep(0.5)
    finally:
        writer.close()
    return delays, stalls


def _commit(writer: object, n: int) -> None:
    with writer.transaction() as tx:  # type: ignore[attr-defined]
        tx.settings.put("bench.live", str(n), _now())


def main() -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.services.holdings import HoldingsService
    from app.store.url import open_store_url
    from app.ui.context import DeskContext
    from app.ui.main import DeskApp, make_settings, open_facade

    clients = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CLIENTS
    server = start_server()
    try:
        url = server.create_database()
        store = open_store_url(url)
        text = json.dumps(_document(clients))
        service = HoldingsService(store)
        service.import_snapshot(service.parse(text), "bench", raw_json=text)
        store.close()
        app = QApplication.instance() or QApplication(sys.argv)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with tempfile.TemporaryDirectory(prefix="bench-live-") as data:
            facade = open_facade(data, url)
            desk = DeskApp(DeskContext(facade), make_settings(data), None)
            desk.window.resize(1440, 900)
            desk.window.show()
            with loop:
                delays, stalls = loop.run_until_complete(_measure(desk, url, clients))
                loop.run_until_complete(facade.close())
            desk.window.close()
    finally:
        server.destroy()
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{clients:,} clients, PostgreSQL, {ROUNDS} commits that move no figure")
    print(f"commit -> holdings view shown: median {statistics.median(delays):.3f} s,"
          f" worst {max(delays):.3f} s")
    print(f"longest GUI-thread stall meanwhile: median {statistics.median(stalls) * 1e3:.0f} ms,"
          f" worst {max(stalls) * 1e3:.0f} ms")
    os._exit(0)  # PySide6 6.12's refcount bug at interpreter exit (tests/gui/conftest.py)


if __name__ == "__main__":
    main()
