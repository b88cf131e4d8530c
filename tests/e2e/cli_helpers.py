"""Running ``custody-desk`` commands in-process for the CLI end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk_stores import active

from app.cli.main import main


def cli(data: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``custody-desk --data-dir DATA ARGV...``: (exit code, stdout, stderr) of this command.

    Under the ``desk_backend`` fixture the command also gets ``--store URL`` of the
    desk's store on the test's backend (unless the test names its own ``--store``)."""
    capsys.readouterr()
    store = [] if "--store" in argv else active().argv(data)
    code = main(["--data-dir", str(data), *store, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(data: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Like :func:`cli` for a command that must exit 0; returns its stdout."""
    code, out, err = cli(data, capsys, *argv)
    assert code == 0, f"{argv}: exit {code}: {out} {err}"
    return out


def signin(data: Path, capsys: pytest.CaptureFixture[str], officer: str, uri: str) -> str:
    """``custody-desk signin --officer OFFICER --device URI`` (the challenge signed on the
    officer's own device); must succeed. This OS user's session is then ``officer``'s."""
    return ok(data, capsys, "signin", "--officer", officer, "--device", uri)


def officer_on_duty(data: Path, capsys: pytest.CaptureFixture[str], officer: str, uri: str,
                    path: str = "m/44'/0'/0'/0/0") -> None:
    """Register ``officer`` with the key of the device at ``uri`` and sign them in there."""
    ok(data, capsys, "officers", "add", officer, "--role", "officer", "--device", uri,
       "--path", path)
    signin(data, capsys, officer, uri)
