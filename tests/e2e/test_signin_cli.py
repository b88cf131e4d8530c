"""``custody-desk signin`` / ``signout`` and the headless maker-checker flow with two
officers signed in at once, as two OS users, on two emulators with distinct
endpoints: alice on an emulated Trezor (its own UDP port), bob on an emulated
Coldcard-protocol module (its own Unix socket). Public test seeds only.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli, ok
from officer_desk import PATH, fresh_snapshot

from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


@pytest.fixture(scope="module")
def two_devices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    sock = tmp_path_factory.mktemp("cc") / "bob.sock"
    alice = start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ABANDON, name="alice")
    bob = start_emulator(trezor_port=None, coldcard_socket=str(sock),
                         mnemonic=TEST_MNEMONIC_ALL, name="bob")
    emulators: list[RunningEmulator] = [alice, bob]
    try:
        yield {"alice": alice.trezor_uri, "bob": bob.coldcard_uri}
    finally:
        for emu in emulators:
            emu.stop()


class Desk:
    """One store, two OS users at the same workstation running commands."""

    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.data, self.capsys, self.monkeypatch = data, capsys, monkeypatch

    def as_user(self, user: str) -> Desk:
        for var in ("LOGNAME", "USER", "LNAME", "USERNAME"):
            self.monkeypatch.setenv(var, user)
        return self

    def run(self, *argv: str) -> tuple[int, str, str]:
        return cli(self.data, self.capsys, *argv)

    def ok(self, *argv: str) -> str:
        return ok(self.data, self.capsys, *argv)


@pytest.fixture
def desk(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         two_devices: dict[str, str]) -> Desk:
    monkeypatch.setenv("CUSTODY_DESK_WORKSTATION_ID", "ws-test-desk-1")
    d = Desk(tmp_path / "desk", capsys, monkeypatch).as_user("ops-admin")
    d.ok("import", str(fresh_snapshot(tmp_path)))
    for name, role in (("alice", "operations"), ("bob", "approver")):
        d.ok("officers", "add", name, "--role", role, "--device", two_devices[name],
             "--path", PATH)
    return d


def session_file(desk: Desk, user: str) -> Path:
    return desk.data / "sessions" / f"{user}.json"


def test_two_officers_signed_in_at_once_maker_checker(
    desk: Desk, tmp_path: Path, two_devices: dict[str, str]
) -> None:
    out = desk.as_user("alice-os").ok("signin", "--officer", "alice",
                                      "--device", two_devices["alice"])
    assert out.startswith("alice signed in on ws-test-desk-1 until ")
    out = desk.as_user("bob-os").ok("signin", "--officer", "bob", "--device", two_devices["bob"])
    assert out.startswith("bob signed in on ws-test-desk-1 until ")
    for user in ("alice-os", "bob-os"):
        path = session_file(desk, user)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert "secret" in json.loads(path.read_text())

    # alice prepares in her own name without repeating it; she may not act as bob
    att = desk.as_user("alice-os").ok("attest", "prepare", "--clients", "alnoor-quant",
                            "--device", two_devices["alice"]).strip()
    code, _, err = desk.run("attest", "sign", att, "--officer", "bob",
                            "--device", two_devices["bob"])
    assert code == 2 and "--officer bob does not match the signed-in officer alice" in err
    code, _, err = desk.run("attest", "sign", att, "--device", two_devices["alice"])
    assert code == 2 and "different officer" in err
    # bob, in his own OS account at the same time, approves on his Coldcard-protocol module
    out = desk.as_user("bob-os").ok("attest", "sign", att, "--device", two_devices["bob"])
    assert f"{att} signed: CDESK-ATTEST/3 " in out
    assert desk.ok("whoami").startswith("bob until ")

    # the bundle carries both signatures; the verifier names who prepared and who approved
    bundle, keys = tmp_path / "bundle.json", tmp_path / "keys.json"
    desk.ok("attest", "export", att, "--out", str(bundle))
    desk.ok("keys", "export", "--out", str(keys))
    out = desk.ok("verify", str(bundle), "--keys", str(keys))
    assert out.strip().endswith("VALID")
    keyfile = json.loads(keys.read_text())
    ids = {k["name"]: k["key_id"] for k in keyfile["keys"]}
    assert f"OK   maker-checker: prepared by alice ({ids['alice']}), approved by bob " \
           f"({ids['bob']})" in out
    document = json.loads(bundle.read_text())
    assert document["body"]["signer_key_ids"] == [ids["bob"], ids["alice"]]
    # a trust root in which maker and checker are one person (one name, or one device)
    # makes the same bundle refused
    for field, value in (("name", "alice"), ("fingerprint", next(
            k["fingerprint"] for k in keyfile["keys"] if k["name"] == "alice"))):
        forged = json.loads(keys.read_text())
        for k in forged["keys"]:
            if k["name"] == "bob":
                k[field] = value
        other = tmp_path / f"keys-{field}.json"
        other.write_text(json.dumps(forged))
        code, out, _ = desk.run("verify", str(bundle), "--keys", str(other))
        assert code == 1 and "FAIL maker-checker: prepared and approved with the same" in out
        assert "[no_quorum]" in out and out.strip().endswith("INVALID")
    # the checker's signature twice, as if the checker had also prepared it
    document["signatures"][1] = document["signatures"][0]
    document["body"]["signer_key_ids"] = [ids["bob"], ids["bob"]]
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps(document))
    code, out, _ = desk.run("verify", str(twice), "--keys", str(keys))
    assert code == 1 and "FAIL signers: a key signs twice" in out

    log = json.loads(desk.ok("audit", "log", "--json"))
    by_action = {e["action"]: e for e in log}
    prepared, signed = by_action["attestation.prepare"], by_action["attestation.sign"]
    assert prepared["actor"] == "officer:alice" and signed["actor"] == "officer:bob"
    signins = {e["payload"]["session"]["officer"]: e["payload"]["session"]
               for e in log if e["action"] == "officer.signin"}
    assert prepared["payload"]["session"] == signins["alice"]
    assert signed["payload"]["session"] == signins["bob"]
    assert signins["alice"]["workstation"] == "ws-test-desk-1"
    assert signins["alice"]["signin"] != signins["bob"]["signin"]

    # alice signs out: her file is gone and her next act is refused, naming the command
    assert desk.as_user("alice-os").ok("signout") == "alice signed out\n"
    assert not session_file(desk, "alice-os").exists()
    code, _, err = desk.run("attest", "prepare", "--clients", "gulf-meridian-mm",
                            "--device", two_devices["alice"])
    assert code == 2 and "run `custody-desk signin --officer NAME --device URI`" in err
    code, _, err = desk.run("attest", "prepare", "--clients", "gulf-meridian-mm",
                            "--officer", "alice", "--device", two_devices["alice"])
    assert code == 2 and "custody-desk signin --officer alice --device URI" in err
    assert len(json.loads(desk.ok("attest", "list", "--json"))) == 1
    assert desk.as_user("bob-os").ok("whoami").startswith("bob until ")  # bob's goes on


def test_a_session_file_is_useless_elsewhere_exposed_or_after_signout(
    desk: Desk, two_devices: dict[str, str]
) -> None:
    desk.as_user("alice-os").ok("signin", "--officer", "alice", "--device", two_devices["alice"])
    path = session_file(desk, "alice-os")
    saved = path.read_bytes()
    # the same file on another workstation id: refused
    desk.monkeypatch.setenv("CUSTODY_DESK_WORKSTATION_ID", "ws-somewhere-else")
    code, _, err = desk.run("attest", "prepare", "--clients", "alnoor-quant",
                            "--device", two_devices["alice"])
    assert code == 2 and "does not belong to this workstation" in err
    desk.monkeypatch.setenv("CUSTODY_DESK_WORKSTATION_ID", "ws-test-desk-1")
    # copied to another OS user's file: refused
    other = session_file(desk, "mallory-os")
    fd = os.open(other, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, saved)
    os.close(fd)
    code, _, err = desk.as_user("mallory-os").run("attest", "prepare", "--clients", "alnoor-quant",
                            "--device", two_devices["alice"])
    assert code == 2 and "does not belong to this workstation and user" in err
    # readable by others: never used
    os.chmod(path, 0o644)
    code, _, err = desk.as_user("alice-os").run("attest", "prepare", "--clients", "alnoor-quant",
                            "--device", two_devices["alice"])
    assert code == 2 and "can be read by other users" in err
    os.chmod(path, 0o600)
    desk.ok("signout")
    # a copy kept from before the sign-out is dead too
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, saved)
    os.close(fd)
    code, _, err = desk.run("attest", "prepare", "--clients", "alnoor-quant",
                            "--device", two_devices["alice"])
    assert code == 2 and "alice signed out" in err
    assert json.loads(desk.ok("attest", "list", "--json")) == []


def test_signin_refusals_are_one_line_and_leave_no_session(
    desk: Desk, two_devices: dict[str, str]
) -> None:
    desk.as_user("alice-os")
    code, _, err = desk.run("signin", "--officer", "alice", "--device", two_devices["bob"])
    assert code == 4 and "wrong_device" in err and err.count("\n") == 1
    code, _, err = desk.run("signin", "--officer", "carol", "--device", two_devices["alice"])
    assert code == 2 and "no active officer named carol" in err
    assert not session_file(desk, "alice-os").exists()
    code, _, err = desk.run("signout")
    assert code == 2 and "nobody is signed in" in err
    # revoking is an officer's act: bob revokes alice; her session then stops
    desk.ok("signin", "--officer", "alice", "--device", two_devices["alice"])
    desk.as_user("bob-os").ok("signin", "--officer", "bob", "--device", two_devices["bob"])
    assert desk.ok("officers", "revoke", "alice") == "revoked officer alice\n"
    code, _, err = desk.as_user("alice-os").run("attest", "prepare", "--clients", "alnoor-quant",
                            "--device", two_devices["alice"])
    assert code == 2 and "no longer active" in err
    code, _, err = desk.run("signin", "--officer", "alice", "--device", two_devices["alice"])
    assert code == 2 and "no active officer named alice" in err
