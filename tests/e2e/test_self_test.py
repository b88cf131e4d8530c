"""`custody-desk self-test`: exit 0 only when resources, translations, a store, signing and the
on-chain libraries work."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main


def test_self_test_passes_on_a_complete_installation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["self-test"]) == 0
    out = capsys.readouterr().out
    for check in ("resources", "translations", "store", "signing", "chains"):
        assert f"ok   {check}:" in out
    assert "trezor" in out and "coldcard" in out
    assert out.rstrip().endswith("self-test passed")


def test_self_test_fails_when_resources_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CUSTODY_DESK_RESOURCES", str(tmp_path))
    assert main(["self-test"]) == 1
    out = capsys.readouterr().out
    assert "FAIL resources:" in out
    assert "FAIL translations:" in out
    assert "self-test FAILED" in out
