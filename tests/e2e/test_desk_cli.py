"""The desk CLI's contract: names, exit codes and one-line errors (no devices needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli, ok, signin
from officer_desk import PATH, SNAPSHOT, fresh_snapshot

from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


def test_verify_exit_codes_and_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys.json"
    code, _, _ = cli(tmp_path, capsys, "keys", "export", "--out", str(keys))
    assert code == 0
    doc = tmp_path / "doc.json"
    doc.write_bytes(b'{"document":"custody-desk/document","kind":"margin_call","bo')
    code, out, _ = cli(tmp_path, capsys, "verify", str(doc), "--keys", str(keys))
    assert code == 1
    assert out.splitlines()[0].startswith("FAIL format: truncated JSON")
    assert out.splitlines()[-1] == "INVALID"
    doc.write_bytes(b'{"a":1,"a":2}')
    code, out, _ = cli(tmp_path, capsys, "verify", str(doc), "--keys", str(keys))
    assert code == 1 and "[duplicate_key]" in out
    code, _, err = cli(tmp_path, capsys, "verify", str(doc), "--keys", str(tmp_path / "nope"))
    assert code == 2 and err.count("\n") == 1 and "cannot read" in err
    code, _, err = cli(tmp_path, capsys, "verify", str(doc), "--keys", str(doc))
    assert code == 2 and "keys file" in err


def test_parties_keys_and_emergency_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    assert cli(tmp_path, capsys, "import", str(SNAPSHOT))[0] == 0
    code, _, err = cli(tmp_path, capsys, "emergency", "create", "--client", "palm-harbour",
                       "--reason", "drill")
    assert code == 2 and "custody-desk signin --officer NAME --device URI" in err
    # revoking keys and creating orders are an officer's acts: alice signs in first
    alice = devices["alice"].trezor_uri
    ok(tmp_path, capsys, "officers", "add", "alice", "--role", "officer", "--device", alice,
       "--path", PATH)
    signin(tmp_path, capsys, "alice", alice)
    reg = SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATH)
    code, out, err = cli(tmp_path, capsys, "parties", "add", "--party", "regulator",
                         "--pubkey", reg.pubkey.hex(), "--address", reg.address)
    assert code == 0, err
    key_id = out.split()[2]
    code, _, err = cli(tmp_path, capsys, "parties", "add", "--party", "regulator",
                       "--pubkey", reg.pubkey.hex())
    assert code == 2 and "already registered" in err
    code, _, err = cli(tmp_path, capsys, "parties", "add", "--party", "exchange",
                       "--pubkey", "02abcd")
    assert code == 2 and "33-byte" in err
    code, _, err = cli(tmp_path, capsys, "parties", "add", "--party", "exchange")
    assert code == 2 and "--device" in err

    keys = tmp_path / "keys.json"
    assert cli(tmp_path, capsys, "keys", "export", "--out", str(keys))[0] == 0
    [entry] = [k for k in json.loads(keys.read_text())["keys"] if k["party"] == "regulator"]
    assert entry["key_id"] == key_id and entry["party"] == "regulator"
    assert entry["revoked"] is False and entry["is_emulator"] is False
    assert cli(tmp_path, capsys, "keys", "revoke", key_id)[0] == 0
    assert cli(tmp_path, capsys, "keys", "export", "--out", str(keys))[0] == 0
    revoked = {k["key_id"]: k["revoked"] for k in json.loads(keys.read_text())["keys"]}
    assert revoked[key_id] is True

    code, _, err = cli(tmp_path, capsys, "emergency", "create", "--client", "nobody",
                       "--reason", "x")
    assert code == 2 and "unknown client" in err
    code, _, err = cli(tmp_path, capsys, "emergency", "status", "uo-missing", "--json")
    assert code == 2 and "no emergency order" in err
    order = cli(tmp_path, capsys, "emergency", "create", "--client", "palm-harbour",
                "--reason", "drill")[1].strip()
    code, _, err = cli(tmp_path, capsys, "emergency", "execute", order)
    assert code == 2 and "no_quorum" in err
    code, _, err = cli(tmp_path, capsys, "emergency", "import", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_attest_refusals_without_devices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path, capsys, "import", str(fresh_snapshot(tmp_path / "in")))[0] == 0
    code, _, err = cli(tmp_path, capsys, "attest", "prepare", "--clients", "alnoor-quant",
                       "--officer", "ghost", "--device", "trezor:udp:127.0.0.1:1")
    assert code == 2 and "run `custody-desk signin --officer ghost --device URI`" in err
    code, _, err = cli(tmp_path, capsys, "signin", "--officer", "ghost",
                       "--device", "trezor:udp:127.0.0.1:1")
    assert code == 2 and "no active officer named ghost" in err  # refused before any device
    code, _, err = cli(tmp_path, capsys, "attest", "sign", "42", "--officer", "ghost",
                       "--device", "trezor:udp:127.0.0.1:1")
    assert code == 2 and "run `custody-desk signin --officer ghost --device URI`" in err
    code, _, err = cli(tmp_path, capsys, "attest", "export", "att-x", "--out", "x")
    assert code == 2 and "not an attestation id" in err
    code, out, _ = cli(tmp_path, capsys, "attest", "list", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = cli(tmp_path, capsys, "officers", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_emergency_sign_with_an_unreadable_keys_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Security review 2026-11-26: bad input is a one-line refusal, never a traceback."""
    order = tmp_path / "order.json"
    order.write_text("{}")
    code, _, err = cli(tmp_path, capsys, "emergency", "sign", str(order), "--party", "regulator",
                       "--device", "nope:1", "--path", PATH, "--out", str(tmp_path / "o.json"),
                       "--keys", str(tmp_path / "missing-keys.json"))
    assert code == 2 and err.count("\n") == 1 and "cannot read" in err
    assert not (tmp_path / "o.json").exists()
