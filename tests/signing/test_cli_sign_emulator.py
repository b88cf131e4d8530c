"""`custody-desk sign` against the real emulator servers, in a subprocess: Ctrl-C cancels."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from signing.emulator.main import RunningEmulator, start_emulator
from signing.verify import verify_message

ROOT = Path(__file__).resolve().parents[2]
PATH = "m/44'/0'/0'/0/0"


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[RunningEmulator]:
    running = start_emulator(
        trezor_port=0, coldcard_socket=str(tmp_path / "cc.sock"), approve="delay:30"
    )
    yield running
    running.stop()


def _sign(uri: str, text: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "sign", "--device", uri, "--path", PATH, "--text", text,
         "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def _wait_until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.05)


def _wait_for_prompt(emulator: RunningEmulator, before: int) -> None:
    _wait_until(lambda: emulator.hsm.state()["prompts"] > before)


@pytest.mark.parametrize("which", ["trezor", "coldcard"])
def test_ctrl_c_cancels_on_the_device_then_the_next_sign_works(
    emulator: RunningEmulator, which: str
) -> None:
    uri = emulator.trezor_uri if which == "trezor" else emulator.coldcard_uri
    before = emulator.hsm.state()
    proc = _sign(uri, "cancel this one")
    _wait_for_prompt(emulator, before["prompts"])
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 130, err
    assert time.monotonic() - started < 10
    assert emulator.hsm.state()["signatures"] == before["signatures"]  # nothing signed
    if which == "coldcard":
        # The Coldcard protocol has no host-side cancel: the prompt stays on the device
        # until the human dismisses it (here the operator, by switching to reject).
        emulator.hsm.set_policy("reject")
    _wait_until(lambda: emulator.hsm.state()["pending_prompts"] == 0)
    assert emulator.hsm.state()["signatures"] == before["signatures"]

    emulator.hsm.set_policy("auto")
    proc = _sign(uri, "sign this one")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    result = json.loads(out)
    assert verify_message(result["address"], "sign this one", base64.b64decode(result["signature"]))
    assert "Confirm on your device" in err
