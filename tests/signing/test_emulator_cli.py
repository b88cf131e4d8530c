"""``custody-desk emulator`` as a tester runs it: a foreground process."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app import build_info
from app.cli.main import main as cli_main
from signing.emulator.control import ControlClient
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

ROOT = Path(__file__).resolve().parents[2]
BANNER = "TEST EMULATOR — NOT FOR PRODUCTION"


class Emulator:
    def __init__(self, proc: subprocess.Popen[str], lines: list[str]) -> None:
        self.proc = proc
        self.lines = lines
        match = re.search(r"trezor:udp:127\.0\.0\.1:(\d+)", "\n".join(lines))
        assert match, lines
        self.port = int(match.group(1))

    @property
    def udp_path(self) -> str:
        return f"udp:127.0.0.1:{self.port}"


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "app", "emulator", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )


@contextmanager
def running(*args: str) -> Iterator[Emulator]:
    proc = _spawn(*args)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"emulator exited: {proc.wait()} {proc.stderr.read()}")  # type: ignore[union-attr]
            lines.append(line.rstrip("\n"))
            if line.startswith("Stop with"):
                break
        yield Emulator(proc, lines)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def trezorctl(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("trezorctl")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_banner_endpoints_trezorctl_control_and_sigterm(tmp_path: Path) -> None:
    coldcard = tmp_path / "cc.sock"
    control = tmp_path / "ctl.sock"
    with running(
        "--trezor-port", "0", "--coldcard-socket", str(coldcard), "--control", str(control)
    ) as emu:
        text = "\n".join(emu.lines)
        assert BANNER in text
        assert "EMULATOR 5c9e228d" in text
        assert f"coldcard:sock:{coldcard}" in text and f"unix:{control}" in text
        done = trezorctl(
            "-p", emu.udp_path, "btc", "sign-message", "-n", "m/44h/0h/0h/0/0", "hello desk"
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL" in done.stdout
        with ControlClient(f"unix:{control}") as client:
            state = client.state()
            assert state["signatures"] == 1 and state["is_emulator"] is True
        assert coldcard.exists()
        emu.proc.send_signal(signal.SIGTERM)
        assert emu.proc.wait(timeout=10) == 0
    assert not coldcard.exists() and not control.exists()


def test_sigint_stops_it_too(tmp_path: Path) -> None:
    with running("--trezor-port", "0", "--coldcard-socket", str(tmp_path / "c.sock")) as emu:
        emu.proc.send_signal(signal.SIGINT)
        assert emu.proc.wait(timeout=10) == 0
        assert emu.proc.stdout is not None and "emulator stopped" in emu.proc.stdout.read()


def test_two_instances_with_different_seeds_side_by_side(tmp_path: Path) -> None:
    with (
        running("--trezor-port", "0", "--coldcard-socket", str(tmp_path / "a.sock")) as first,
        running(
            "--trezor-port", "0", "--coldcard-socket", str(tmp_path / "b.sock"),
            "--mnemonic", TEST_MNEMONIC_ABANDON,
        ) as second,
    ):  # fmt: skip
        assert first.port != second.port
        outputs = [
            trezorctl("-p", e.udp_path, "btc", "get-address", "-n", "m/44h/0h/0h/0/0").stdout
            for e in (first, second)
        ]
    assert "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL" in outputs[0]  # all x12
    assert "1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA" in outputs[1]  # abandon x11 about


def test_reject_mode_makes_trezorctl_fail(tmp_path: Path) -> None:
    with running(
        "--trezor-port", "0", "--coldcard-socket", str(tmp_path / "r.sock"), "--approve", "reject"
    ) as emu:
        done = trezorctl("-p", emu.udp_path, "btc", "sign-message", "-n", "m/44h/0h/0h/0/0", "no")
    assert done.returncode != 0 and "cancelled" in (done.stdout + done.stderr).lower()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--approve", "sometimes"], "approval policy"),
        (["--pin", "12ab"], "PIN"),  # refused: it would show in ps
        (["--mnemonic", "not a valid mnemonic at all"], "mnemonic"),
        (["--trezor-port", "70000"], "port"),
    ],
)
def test_bad_settings_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["emulator", "--trezor-port", "0", "--coldcard-socket", "", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("custody-desk emulator:")
    assert message.lower() in err.lower()


def test_port_in_use_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        assert cli_main(["emulator", "--trezor-port", str(port), "--coldcard-socket", ""]) == 2
    assert "cannot serve" in capsys.readouterr().err


def test_production_build_refuses_without_the_test_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kind = tmp_path / "_build_kind.txt"
    kind.write_text("production\n")
    monkeypatch.setattr(build_info, "_BUILD_KIND_FILE", kind)
    monkeypatch.delenv(build_info.ALLOW_EMULATOR_ENV, raising=False)
    assert cli_main(["emulator", "--trezor-port", "0", "--coldcard-socket", ""]) == 2
    assert "--allow-test-emulator" in capsys.readouterr().err
