"""Two workstations on one PostgreSQL desk: the window sees the other's commit via NOTIFY.

The other workstation is a real ``custody-desk`` process; nobody presses Refresh.
A database restart shows "connection lost" in the status bar, and once the server
is back the window reloads by itself (nothing committed meanwhile is missed).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pg_server import PgServer

SNAPSHOT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "snapshot.json"


def other_workstation(store_url: str, data: Path, *argv: str) -> None:
    """Run one command as another workstation (its own process and connection)."""
    done = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data), "--store", store_url, *argv],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr


def _clients(desk: Any) -> int:
    return desk.window.holdings.clients_model.rowCount()


def test_another_workstations_import_appears_within_a_second(
    shared_desk: Any, pg_desk_url: str, tmp_path: Path, pg_server: PgServer
) -> None:
    desk = shared_desk
    status = desk.window.store_status.text()
    assert "Store: PostgreSQL postgresql://postgres@127.0.0.1:" in status
    assert _clients(desk) == 0
    desk.wait_until(lambda: desk.app.live.connected and "listening" in desk.app.live.detail)

    other_workstation(pg_desk_url, tmp_path / "other", "import", str(SNAPSHOT))
    committed = time.monotonic()  # the process has exited: its commit is done
    desk.wait_until(lambda: _clients(desk) > 0, timeout=5)
    assert time.monotonic() - committed < 1.0

    # The database restarts: the window says so, then comes back by itself.
    pg_server.stop("fast")
    try:
        desk.wait_until(lambda: "connection lost" in desk.window.store_status.text(), 10)
    finally:
        pg_server.start()
    desk.wait_until(lambda: "connection lost" not in desk.window.store_status.text(), 20)
    other_workstation(pg_desk_url, tmp_path / "other", "audit", "checkpoint")
    desk.settle()
    assert _clients(desk) > 0


def test_an_officer_registered_on_another_workstation_appears_in_the_window(
    shared_desk: Any, pg_desk_url: str, tmp_path: Path
) -> None:
    from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

    desk = shared_desk
    desk.wait_until(lambda: desk.app.live.connected and "listening" in desk.app.live.detail)
    emulator = desk.start_emulator(TEST_MNEMONIC_ALL)
    assert [o.name for o in desk.ctx.officers] == []
    other_workstation(pg_desk_url, tmp_path / "other", "officers", "add", "carol",
                      "--role", "approver", "--device", emulator.trezor_uri,
                      "--path", "m/44'/0'/0'/0/0")
    committed = time.monotonic()
    desk.wait_until(lambda: [o.name for o in desk.ctx.officers] == ["carol"], timeout=5)
    assert time.monotonic() - committed < 1.0
    # the sign-in dialog (which replaced the officer list) offers the new officer
    dialog = desk.window.signin_bar.ask("switch")
    assert dialog.officer.findData("carol") >= 0
