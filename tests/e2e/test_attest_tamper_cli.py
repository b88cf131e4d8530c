"""``custody-desk verify`` on a real desk bundle and on tampered copies of it.

The bundle is what the desk exports after alice prepares and bob approves on his
own emulator, over four demo clients (sandstone-arb in margin call,
jumeirah-yield with a pending BENJI redemption). Each tampered copy
(tests/bundle_tampering.py: the issue's duplicated client, dropped client, moved
value, changed decimals, changed id, proof size, header byte, extra key, ...)
must exit 1 with its check named on the first FAIL line.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bundle_tampering import TAMPERED, client_entry
from cli_helpers import cli, ok, signin
from officer_desk import PATH, fresh_snapshot

from signing.emulator.main import RunningEmulator

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)

CLIENTS = "alnoor-quant,palm-harbour,sandstone-arb,jumeirah-yield"


def test_every_tampered_copy_of_a_desk_bundle_is_refused_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    data = tmp_path / "desk"
    ok(data, capsys, "import", str(fresh_snapshot(tmp_path)))
    for name, role in (("alice", "operations"), ("bob", "approver")):
        ok(data, capsys, "officers", "add", name, "--role", role,
           "--device", devices[name].trezor_uri, "--path", PATH)
    signin(data, capsys, "alice", devices["alice"].trezor_uri)
    att = ok(data, capsys, "attest", "prepare", "--clients", CLIENTS, "--officer", "alice",
             "--device", devices["alice"].trezor_uri)
    signin(data, capsys, "bob", devices["bob"].trezor_uri)
    ok(data, capsys, "attest", "sign", att.strip(), "--officer", "bob",
       "--device", devices["bob"].trezor_uri)
    bundle, keys = tmp_path / "bundle.json", tmp_path / "keys.json"
    ok(data, capsys, "attest", "export", att.strip(), "--out", str(bundle))
    ok(data, capsys, "keys", "export", "--out", str(keys))

    out = ok(data, capsys, "verify", str(bundle), "--keys", str(keys))
    assert out.strip().endswith("VALID")
    assert "OK   client ids: every client id once" in out
    assert "OK   dated: as of " in out
    original = json.loads(bundle.read_text())
    assert client_entry(original, "jumeirah-yield")["collateral_value_usd"] == "27240000.00"

    # a verifier whose clock is an hour behind the bundle's as-of: dated in the future
    as_of = datetime.fromisoformat(original["body"]["as_of"].replace("Z", "+00:00"))
    early = (as_of - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, out, _ = cli(data, capsys, "verify", str(bundle), "--keys", str(keys), "--at", early)
    assert code == 1 and out.splitlines()[-1] == "INVALID"
    assert any(line.startswith("FAIL dated") and "in the future" in line
               for line in out.splitlines()), out

    tampered = tmp_path / "tampered.json"
    wrong = {}
    for case, (change, check) in TAMPERED.items():
        doc = copy.deepcopy(original)
        change(doc)
        tampered.write_text(json.dumps(doc))
        code, out, _ = cli(data, capsys, "verify", str(tampered), "--keys", str(keys))
        fails = [line for line in out.splitlines() if line.startswith("FAIL")]
        named = any(fails[0].startswith(f"FAIL {c}") for c in check.split("|")) if fails else False
        if code != 1 or not named or (
            out.splitlines()[-1] != "INVALID"
        ):
            wrong[case] = (code, fails[:1])
    assert not wrong, wrong
