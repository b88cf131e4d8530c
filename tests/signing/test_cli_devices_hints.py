"""`custody-desk devices` with nothing plugged in tells the officer what to check."""

from __future__ import annotations

import pytest

from app.cli import device_cmds
from app.cli.main import main


def test_nothing_found_prints_the_udev_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(device_cmds, "enumerate_devices", lambda: [])
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No signing devices found.")
    assert "sudo packaging/udev/install-udev-rules.sh" in out
    assert "CUSTODY_DESK_TREZOR_UDP_PORTS" in out
