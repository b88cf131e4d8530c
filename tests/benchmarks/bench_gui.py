"""GUI benchmark: cold start, main-thread stalls while signing and loading, 1M-row model.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_gui.py
Prints a table. Goals: cold start <= 3x a bare QMainWindow; longest stall <= 16 ms.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BARE = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtCore import QTimer
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1440, 900); w.show()
QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
app.exec()
import os; os._exit(0)
"""

DESK = """
import asyncio, sys, tempfile, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
import qasync
from app.ui.main import DeskApp, make_settings, open_facade
from app.ui.context import DeskContext
app = QApplication(sys.argv)
loop = qasync.QEventLoop(app); asyncio.set_event_loop(loop)
data = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
facade = open_facade(data)
ctx = DeskContext(facade)
desk = DeskApp(ctx, make_settings(data), None)
desk.window.resize(1440, 900); desk.window.show()
ready = asyncio.Event()
desk.window.ready.connect(ready.set)
async def main():
    ctx.spawn(desk.window.load_all())
    await ready.wait()
    print("READY", flush=True)
    import os; os._exit(0)
with loop:
    loop.run_until_complete(main())
"""


_PYCACHE = tempfile.mkdtemp(prefix="desk-bench-pyc-")


def _spawn(code: str, *args: str) -> float:
    """Seconds from process spawn until the child says its window is interactive."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    # Bytecode caching as on an installed desk (this sandbox sets DONTWRITEBYTECODE),
    # kept out of the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("READY"):
            break
    elapsed = time.perf_counter() - start
    child.wait(timeout=30)
    return elapsed


class StallProbe:
    """A 1 ms QTimer on the GUI thread; the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last:
            self.longest = max(self.longest, now - self.last)
        self.last = now

    def __enter__(self) -> StallProbe:
        self.last = 0.0
        self.longest = 0.0
        self.timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.timer.stop()


def client_rows(n: int) -> list:
    from app.services.desk_facade import ClientRow, LineState

    states = (LineState.HEALTHY, LineState.MARGIN_CALL, LineState.LIQUIDATION)
    return [
        ClientRow(
            f"c{i:07d}",
            f"Client {i}",
            Decimal(i * 3 + 1000),
            Decimal(i * 2 + 900),
            Decimal(i * 4 + 1800),
            Decimal(i + 500),
            Decimal(i % 997) / 400,
            states[i % 3],
            Decimal("0.1"),
            Decimal("0.2"),
            True,
            (),
        )
        for i in range(n)
    ]


def in_process() -> dict[str, float]:
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.services.desk_facade import HoldingsSnapshot
    from app.ui.backend.emulator import emulator_host
    from app.ui.context import DeskContext
    from app.ui.main import DeskApp, make_settings, open_facade
    from app.ui.models.holdings import ClientColumn, ClientsModel
    from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL
    from signing.interface import NullInteraction

    app = QApplication.instance() or QApplication(sys.argv)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    data = tempfile.mkdtemp()
    facade = open_facade(data)
    ctx = DeskContext(facade)
    desk = DeskApp(ctx, make_settings(data), None)
    w = desk.window
    w.resize(1440, 900)
    w.show()
    results: dict[str, float] = {}

    async def run() -> None:
        await desk.start(offer_emulator=False)
        a = emulator_host().start(mnemonic=TEST_MNEMONIC_ALL)
        b = emulator_host().start(mnemonic=TEST_MNEMONIC_ABANDON)
        for name, emu in (("alice", a), ("bob", b)):
            await facade.register_officer(
                name, "officer", emu.trezor_uri, "m/44'/0'/0'/0/0", NullInteraction()
            )
        await ctx.reload_officers()
        await ctx.reload_devices()
        await w.signin_bar.controller.sign_in("alice")
        w.holdings.clients.selectRow(
            next(
                r
                for r in range(w.holdings.clients.proxy.rowCount())
                if w.holdings.clients.proxy.row_object(r).client_id == "alnoor-quant"
            )
        )
        row = await w.attestations.prepare()
        assert row is not None
        await w.signin_bar.controller.sign_in("bob")
        w.attestations.select(row.att_id)
        await w.attestations.show_detail()
        with StallProbe() as probe:
            t0 = time.perf_counter()
            signed = await w.attestations.approve_selected()
            results["sign_s"] = time.perf_counter() - t0
        assert signed is not None
        results["stall_sign_ms"] = probe.longest * 1000

        rows = client_rows(100_000)
        snapshot = HoldingsSnapshot(
            datetime.now(UTC), {}, rows, {}, {}, Decimal("0.5"), Decimal("0.45")
        )
        w.tabs.setCurrentIndex(0)
        await asyncio.sleep(0.3)  # the tab's first paint is not part of the load
        with StallProbe() as probe:
            t0 = time.perf_counter()
            await w.holdings.show_snapshot(snapshot)
            results["load_100k_s"] = time.perf_counter() - t0
        results["stall_load_ms"] = probe.longest * 1000

        big = client_rows(1_000_000)
        model = ClientsModel()
        t0 = time.perf_counter()
        model.set_rows(big)
        results["reset_1m_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        model.sort(ClientColumn.RATIO, Qt.SortOrder.DescendingOrder)
        results["sort_1m_ratio_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        model.sort(ClientColumn.NAME, Qt.SortOrder.AscendingOrder)
        results["sort_1m_name_s"] = time.perf_counter() - t0

    with loop:
        loop.run_until_complete(run())
        emulator_host().stop_all()
    return results


def main() -> None:
    _spawn(BARE)
    _spawn(DESK)  # warm the bytecode cache once, like any installed program
    bare = [_spawn(BARE) for _ in range(5)]
    first = [_spawn(DESK) for _ in range(5)]  # a new data dir each time: demo import
    existing = tempfile.mkdtemp(prefix="desk-bench-")
    _spawn(DESK, existing)
    warm = [_spawn(DESK, existing) for _ in range(5)]  # the everyday start
    b, d, w = statistics.median(bare), statistics.median(first), statistics.median(warm)
    r = in_process()
    print(f"{'measure':<52}{'value':>14}{'goal':>12}")
    print("-" * 78)
    print(f"{'cold start, bare QMainWindow (median of 5, s)':<52}{b:>14.3f}{'':>12}")
    print(f"{'cold start, desk, first run (creates store, demo)':<52}{d:>14.3f}{'':>12}")
    print(f"{'  ratio first run / bare':<52}{d / b:>14.2f}{'<= 3.0':>12}")
    print(f"{'cold start, desk, existing store with demo data':<52}{w:>14.3f}{'':>12}")
    print(f"{'  ratio existing store / bare':<52}{w / b:>14.2f}{'<= 3.0':>12}")
    print(f"{'sign through emulator, end to end (s)':<52}{r['sign_s']:>14.3f}{'':>12}")
    print(
        f"{'  longest main-thread stall while signing (ms)':<52}{r['stall_sign_ms']:>14.1f}"
        f"{'<= 16':>12}"
    )
    print(f"{'load 100,000 holdings rows (s)':<52}{r['load_100k_s']:>14.3f}{'':>12}")
    print(
        f"{'  longest main-thread stall while loading (ms)':<52}{r['stall_load_ms']:>14.1f}"
        f"{'<= 16':>12}"
    )
    print(f"{'1,000,000-row holdings model: reset (s)':<52}{r['reset_1m_s']:>14.3f}{'':>12}")
    print(
        f"{'1,000,000-row holdings model: sort by ratio (s)':<52}{r['sort_1m_ratio_s']:>14.3f}"
        f"{'':>12}"
    )
    print(
        f"{'1,000,000-row holdings model: sort by name (s)':<52}{r['sort_1m_name_s']:>14.3f}"
        f"{'':>12}"
    )
    sys.stdout.flush()
    os._exit(0)  # PySide6 6.12 exit-time refcount bug, see tests/gui/conftest.py


if __name__ == "__main__":
    main()
