"""The desktop integration an officer's workstation relies on: udev rules, desktop entry,
AppStream metainfo, one version, and the production guard on the test emulator."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import app
from app import build_info

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "com.custodydesk.CustodyDesk"
RULES = ROOT / "packaging" / "udev" / "51-custody-desk.rules"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: packaging/system-deps.sh should install it")
        pytest.skip(f"{name} not installed")
    return path


def test_desktop_entry_validates() -> None:
    tool = _tool("desktop-file-validate")
    result = subprocess.run(
        [tool, str(LINUX / f"{APP_ID}.desktop")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_metainfo_validates() -> None:
    tool = _tool("appstreamcli")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_version_comes_from_one_place() -> None:
    tree = ET.parse(LINUX / f"{APP_ID}.metainfo.xml")
    newest = tree.getroot().find("releases/release")
    assert newest is not None
    assert newest.get("version") == app.__version__


def _rule_ids(text: str) -> set[tuple[int, int]]:
    pairs = re.findall(r'idVendor}=="([0-9a-f]{4})".*?idProduct}=="([0-9a-f]{4})"', text)
    return {(int(v, 16), int(p, 16)) for v, p in pairs}


def test_udev_rules_cover_every_trezor_and_coldcard_id() -> None:
    from trezorlib import models

    text = RULES.read_text()
    ids = _rule_ids(text)
    trezor_ids = {usb_id for model in models.ALL_MODELS for usb_id in model.usb_ids}
    assert trezor_ids, "trezorlib lists no USB ids"
    assert trezor_ids <= ids
    assert (0xD13E, 0xCC10) in ids
    # both the USB node (WebUSB) and the hidraw node, and never world-writable
    assert "hidraw" in text and 'SUBSYSTEM=="usb"' in text
    assert set(re.findall(r'MODE="(\d+)"', text)) == {"0660"}


def test_production_build_refuses_the_emulator_without_the_test_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kind_file = tmp_path / "_build_kind.txt"
    kind_file.write_text("production\n")
    monkeypatch.setattr(build_info, "_BUILD_KIND_FILE", kind_file)
    monkeypatch.delenv(build_info.ALLOW_EMULATOR_ENV, raising=False)
    with pytest.raises(build_info.EmulatorRefused, match="--allow-test-emulator"):
        build_info.require_emulator_allowed(flag_given=False)
    build_info.require_emulator_allowed(flag_given=True)
    monkeypatch.setenv(build_info.ALLOW_EMULATOR_ENV, "1")
    build_info.require_emulator_allowed(flag_given=False)


def test_source_checkout_is_a_development_build() -> None:
    assert build_info.build_kind() == "development"
    assert build_info.emulator_allowed()
