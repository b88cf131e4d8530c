"""``custody-desk devices show-address``: a registered key checked on its device.

alice's key is registered from her emulator (``abandon`` test seed, a Trezor); her
device shows her address (match, exit 0), bob's device (``all`` seed, a Coldcard)
shows another one (MISMATCH, exit 1). A refusal on the device is a typed device error
(exit 4) and an unknown officer is bad input (exit 2). Public test seeds only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli, ok
from officer_desk import fresh_snapshot

from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL

PATH = "m/84'/1'/0'/0/0"


@pytest.fixture(scope="module")
def emulators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningEmulator]]:
    sock = tmp_path_factory.mktemp("cc") / "bob.sock"
    alice = start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ABANDON, name="alice")
    bob = start_emulator(
        trezor_port=None, coldcard_socket=str(sock), mnemonic=TEST_MNEMONIC_ALL, name="bob"
    )
    try:
        yield {"alice": alice, "bob": bob}
    finally:
        alice.stop()
        bob.stop()


@pytest.fixture
def data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> Path:
    data = tmp_path / "desk"
    ok(data, capsys, "import", str(fresh_snapshot(tmp_path)))
    ok(data, capsys, "officers", "add", "alice", "--role", "operations", "--device",
       emulators["alice"].trezor_uri, "--path", PATH)  # fmt: skip
    return data


def test_own_device_matches_another_seed_is_a_mismatch(
    data: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    registered = SoftHsm(TEST_MNEMONIC_ABANDON).get_public_key(PATH).address
    out = ok(data, capsys, "devices", "show-address", "--device",
             emulators["alice"].trezor_uri, "--officer", "alice")  # fmt: skip
    assert registered in out and out.strip().endswith("match")
    assert registered in emulators["alice"].hsm.screen  # what the device itself showed

    code, out, err = cli(data, capsys, "devices", "show-address", "--device",
                         emulators["bob"].coldcard_uri, "--officer", "alice", "--json")  # fmt: skip
    assert code == 1, (out, err)
    result = json.loads(out)
    other = SoftHsm(TEST_MNEMONIC_ALL).get_public_key(PATH).address
    assert result["matches"] is False
    assert (result["registered_address"], result["device_address"]) == (registered, other)
    assert "MISMATCH" in err and "Do not use this key" in err


def test_refused_on_the_device_and_unknown_officer(
    data: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    hsm = emulators["alice"].hsm
    hsm.set_policy("reject")
    try:
        code, _out, err = cli(data, capsys, "devices", "show-address", "--device",
                              emulators["alice"].trezor_uri, "--officer", "alice")  # fmt: skip
    finally:
        hsm.set_policy("auto")
    assert code == 4 and "user_rejected" in err, err
    code, _out, err = cli(data, capsys, "devices", "show-address", "--device",
                          emulators["alice"].trezor_uri, "--officer", "carol")  # fmt: skip
    assert code == 2 and "no registered officer key for 'carol'" in err and "alice" in err
    # `devices` alone still lists the devices (none on the default ports here)
    assert "No signing devices found" in ok(data, capsys, "devices")
