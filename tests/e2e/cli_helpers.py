"""Running ``custody-desk`` commands in-process for the CLI end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main


def cli(data: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``custody-desk --data-dir DATA ARGV...``: (exit code, stdout, stderr) of this command."""
    capsys.readouterr()
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(data: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Like :func:`cli` for a command that must exit 0; returns its stdout."""
    code, out, err = cli(data, capsys, *argv)
    assert code == 0, f"{argv}: exit {code}: {out} {err}"
    return out
