"""Maker-checker attestation end to end through the CLI and the emulator.

prepare (maker) -> the maker cannot approve -> a second officer approves on
their own emulated device -> bundle exported -> ``verify`` exits 0; a tampered
bundle exits non-zero.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import cli, ok, signin
from officer_desk import PATH, fresh_snapshot

from signing.emulator.main import RunningEmulator

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


@pytest.fixture
def desk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> Path:
    data = tmp_path / "desk"
    ok(data, capsys, "import", str(fresh_snapshot(tmp_path)))
    for name, role in (("alice", "operations"), ("bob", "approver")):
        ok(data, capsys, "officers", "add", name, "--role", role,
           "--device", devices[name].trezor_uri, "--path", PATH)
    signin(data, capsys, "alice", devices["alice"].trezor_uri)  # the maker is on duty
    return data


def attest_list(data: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    result: list[dict[str, object]] = json.loads(ok(data, capsys, "attest", "list", "--json"))
    return result


def test_prepare_approve_export_verify(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator],
) -> None:
    att = ok(desk, capsys, "attest", "prepare", "--clients", "alnoor-quant,gulf-meridian-mm",
             "--officer", "alice",
             "--device", devices["alice"].trezor_uri).strip()
    assert att.isdigit()
    [row] = attest_list(desk, capsys)
    assert row["status"] == "awaiting_approval"
    statement = str(row["statement"])
    # format 3: the maker's device signed it when preparing (prepared-by)
    assert statement.startswith("CDESK-ATTEST/3 ") and " env=test " in statement

    # maker != checker, even with the maker's own device
    code, _, err = cli(desk, capsys, "attest", "sign", att, "--officer", "alice",
                       "--device", devices["alice"].trezor_uri)
    assert code == 2 and "different officer" in err
    # acting as bob needs bob's session: alice's is refused, naming the command to run
    code, _, err = cli(desk, capsys, "attest", "sign", att, "--officer", "bob",
                       "--device", devices["bob"].trezor_uri)
    assert code == 2 and "does not match the signed-in officer alice" in err
    assert "custody-desk signin --officer bob --device URI" in err
    # signing in as bob with someone else's device: refused by the device key check
    code, _, err = cli(desk, capsys, "signin", "--officer", "bob",
                       "--device", devices["alice"].trezor_uri)
    assert code == 4 and "wrong_device" in err
    signin(desk, capsys, "bob", devices["bob"].trezor_uri)
    code, _, err = cli(desk, capsys, "attest", "sign", att, "--officer", "bob",
                       "--device", devices["alice"].trezor_uri)
    assert code == 4 and "wrong_device" in err
    assert attest_list(desk, capsys)[0]["status"] == "awaiting_approval"
    code, _, err = cli(desk, capsys, "attest", "export", att, "--out", str(tmp_path / "x.json"))
    assert code == 2 and "not signed" in err

    ok(desk, capsys, "attest", "sign", att, "--officer", "bob",
       "--device", devices["bob"].trezor_uri)
    [row] = attest_list(desk, capsys)
    assert row["status"] == "signed" and row["statement"] == statement

    bundle = tmp_path / "bundle.json"
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "attest", "export", att, "--out", str(bundle))
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    document = json.loads(bundle.read_text())
    assert document["statement"] == statement, "exactly what was signed is exported"
    by_client = {c["client_id"]: c for c in document["body"]["clients"]}
    assert by_client["alnoor-quant"]["collateral_value_usd"] == "78400000.00"  # 80M x 98%
    assert document["body"]["client_count"] == 2

    out = ok(desk, capsys, "verify", str(bundle), "--keys", str(keys))
    assert "OK   proofs: all 2 inclusion proofs lead to the signed root" in out
    assert "OK   total value: clients add up to" in out
    assert out.strip().endswith("VALID")
    assert re.search(r"^OK +maker-checker: prepared by alice \(k-[0-9a-f]{16}\), approved by "
                     r"bob \(k-[0-9a-f]{16}\)$", out, re.M), out
    assert [s["key_id"] for s in document["signatures"]] == document["body"]["signer_key_ids"]
    assert len(document["signatures"]) == 2  # approved-by, then prepared-by

    # tamper with one client's figures: its value no longer follows from them
    document["body"]["clients"][0]["positions"][0]["quantity"] = "90000000"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    code, out, _ = cli(desk, capsys, "verify", str(tampered), "--keys", str(keys))
    assert code == 1 and "FAIL values:" in out and "bad_sum" in out
    # tamper with the statement's total: the signature no longer verifies
    document = json.loads(bundle.read_text())
    document["body"]["total_collateral_usd"] = "1.00"
    tampered.write_text(json.dumps(document))
    code, out, _ = cli(desk, capsys, "verify", str(tampered), "--keys", str(keys))
    assert code == 1 and "INVALID" in out
    # production verifier refuses the emulator's test statement
    code, out, _ = cli(desk, capsys, "verify", str(bundle), "--keys", str(keys), "--env", "prod")
    assert code == 1 and "wrong_env" in out


def test_ineligible_client_and_settlement_limit_are_refused(
    desk: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    code, _, err = cli(desk, capsys, "attest", "prepare", "--clients", "creekside-digital",
                       "--officer", "alice",
             "--device", devices["alice"].trezor_uri)
    assert code == 2 and "creekside-digital" in err and "ineligible" in err
    for _ in range(2):
        ok(desk, capsys, "attest", "prepare", "--clients", "palm-harbour", "--officer", "alice",
             "--device", devices["alice"].trezor_uri)
    code, _, err = cli(desk, capsys, "attest", "prepare", "--clients", "palm-harbour",
                       "--officer", "alice",
             "--device", devices["alice"].trezor_uri)
    assert code == 2 and "next slot opens at" in err
    assert len(attest_list(desk, capsys)) == 2


def test_device_refusal_leaves_the_attestation_unsigned(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator],
) -> None:
    att = ok(desk, capsys, "attest", "prepare", "--clients", "alnoor-quant",
             "--officer", "alice",
             "--device", devices["alice"].trezor_uri).strip()
    bob = devices["bob"]
    signin(desk, capsys, "bob", bob.trezor_uri)
    bob.hsm.set_policy("reject")
    try:
        code, _, err = cli(desk, capsys, "attest", "sign", att, "--officer", "bob",
                           "--device", bob.trezor_uri)
    finally:
        bob.hsm.set_policy("auto")
    assert code == 4 and "user_rejected" in err
    [row] = attest_list(desk, capsys)
    assert row["status"] == "awaiting_approval", "a refused signature changes nothing"
    out = ok(desk, capsys, "audit", "log", "--json", "--action", "attestation.sign_failed")
    assert "attestation.sign_failed" in out
    # the checker can try again and succeed
    ok(desk, capsys, "attest", "sign", att, "--officer", "bob", "--device", bob.trezor_uri)
    assert attest_list(desk, capsys)[0]["status"] == "signed"
    code, _, err = cli(desk, capsys, "attest", "sign", att, "--officer", "bob",
                       "--device", bob.trezor_uri)
    assert code == 2 and "already signed by bob at " in err
