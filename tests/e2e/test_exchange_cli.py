"""The headless exchange flow through ``custody-desk`` commands against the simulator."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from cli_helpers import cli, ok, signin
from officer_desk import PATH, ROOT, fresh_snapshot
from test_exchange_support import snapshot_with

from app.domain.snapshot import format_utc
from app.exchange.sim.factory import make_sim
from app.exchange.sim.price_path import parse_price_path
from app.exchange.sim.server import start_sim
from signing.emulator.main import RunningEmulator


@pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)
def test_cli_attest_push_call_reconcile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    data = tmp_path / "desk"
    keys = tmp_path / "keys.json"
    # the sim's clock stands still (a minute ahead, after the officers register)
    frozen = datetime.now(UTC) + timedelta(minutes=1)
    sim = make_sim(keys, price_paths=[parse_price_path("BTC:-10%:3600s")],
                   exposures={"palm-harbour": Decimal("44000000.00")}, clock=lambda: frozen)
    running = start_sim(sim)
    try:
        ok(data, capsys, "import", str(fresh_snapshot(tmp_path)))
        for name in ("alice", "bob"):
            ok(data, capsys, "officers", "add", name, "--role", "officer",
               "--device", devices[name].trezor_uri, "--path", PATH)
        ok(data, capsys, "parties", "add", "--party", "exchange", "--role", "exchange",
           "--pubkey", sim.pubkey.hex(), "--address", sim.address, "--emulator")
        ok(data, capsys, "keys", "export", "--out", str(keys))
        code, _, err = cli(data, capsys, "push")
        assert code == 2 and "no exchange link" in err
        assert running.url in ok(data, capsys, "exchange-link", "--url", running.url)

        signin(data, capsys, "alice", devices["alice"].trezor_uri)
        att = ok(data, capsys, "attest", "prepare", "--clients", "palm-harbour",
                 "--officer", "alice",
             "--device", devices["alice"].trezor_uri).strip()
        signin(data, capsys, "bob", devices["bob"].trezor_uri)
        ok(data, capsys, "attest", "sign", att, "--officer", "bob",
           "--device", devices["bob"].trezor_uri)
        out = ok(data, capsys, "push", att)
        assert "queued attestation_bundle:att-1:" in out and ": 201 booked" in out
        assert "outbox empty" in ok(data, capsys, "outbox")

        sim.advance(3600)
        out = ok(data, capsys, "pull")
        assert "received margin_call mc-000001 client palm-harbour" in out
        [call] = json.loads(ok(data, capsys, "margin", "list", "--json"))
        assert call["status"] == "received" and call["shortfall_usd"] == "1048000.00"
        signin(data, capsys, "alice", devices["alice"].trezor_uri)
        ok(data, capsys, "margin", "ack", "mc-000001", "--officer", "alice")
        code, _, err = cli(data, capsys, "margin", "ack", "mc-000001", "--officer", "alice")
        assert code == 2 and "cannot become acknowledged" in err
        assert "Sell" in ok(data, capsys, "margin", "waterfall", "mc-000001")

        out_json, out_csv = tmp_path / "recon.json", tmp_path / "recon.csv"
        signin(data, capsys, "bob", devices["bob"].trezor_uri)
        out = ok(data, capsys, "reconcile", "--officer", "bob",
                 "--device", devices["bob"].trezor_uri,
                 "--export-json", str(out_json), "--export-csv", str(out_csv))
        assert "clean, 0 break(s)" in out
        assert "signed: CDESK-DOC/1 kind=reconciliation_report" in out
        ok(data, capsys, "verify", str(out_json), "--keys", str(keys))
        rows = list(csv.DictReader(out_csv.open()))
        assert rows[0]["status"] == "clean"
        ok(data, capsys, "outbox", "--send")  # the signed report goes to the exchange
        assert sim.stats()["documents_received"] == 2

        # the client deposits 30 BTC; the top-up attestation is format 3: the maker's
        # own device signs it (prepared-by), another officer approves
        deposit = tmp_path / "deposit.json"
        deposit.write_bytes(snapshot_with(
            {"palm-harbour": {"positions": [{"asset": "BTC", "quantity": "330"}]}},
            {"BTC": "87300.00"}, format_utc(datetime.now(UTC) + timedelta(minutes=1))))
        ok(data, capsys, "import", str(deposit))
        signin(data, capsys, "alice", devices["alice"].trezor_uri)
        with pytest.raises(SystemExit) as usage:  # the maker's device is required
            cli(data, capsys, "margin", "topup", "mc-000001", "--officer", "alice")
        assert usage.value.code == 2 and "--device" in capsys.readouterr().err
        code, _, err = cli(data, capsys, "margin", "topup", "mc-000001", "--officer", "alice",
                           "--device", devices["bob"].trezor_uri)
        assert code == 4 and "wrong_device" in err  # not alice's device
        # nothing awaits approval (the draft is recorded as rejected) and the call is unchanged
        assert [a["status"] for a in json.loads(ok(data, capsys, "attest", "list", "--json"))
                ] == ["sent", "rejected"]
        [call] = json.loads(ok(data, capsys, "margin", "list", "--json"))
        assert call["status"] == "acknowledged"
        top = ok(data, capsys, "margin", "topup", "mc-000001", "--officer", "alice",
                 "--device", devices["alice"].trezor_uri).strip()
        code, _, err = cli(data, capsys, "attest", "sign", top, "--officer", "alice",
                           "--device", devices["alice"].trezor_uri)
        assert code == 2 and "a different officer must approve" in err  # maker == checker
        signin(data, capsys, "bob", devices["bob"].trezor_uri)
        ok(data, capsys, "attest", "sign", top, "--officer", "bob",
           "--device", devices["bob"].trezor_uri)
        bundle = tmp_path / "topup-bundle.json"
        ok(data, capsys, "attest", "export", top, "--out", str(bundle))
        assert json.loads(bundle.read_text())["statement"].startswith("CDESK-ATTEST/3 ")
        out = ok(data, capsys, "verify", str(bundle), "--keys", str(keys))
        assert "maker-checker: prepared by alice" in out and "approved by bob" in out
    finally:
        running.stop()


def test_sim_refuses_remote_bind_without_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(tmp_path, capsys, "exchange-sim", "--host", "0.0.0.0", "--port", "0")
    assert code == 2 and "loopback only" in err
    code, _, err = cli(tmp_path, capsys, "exchange-sim", "--price-path", "BTC-25")
    assert code == 2 and "ASSET:[+-]PCT%:SECONDSs" in err


def test_sim_command_serves_until_stopped(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "exchange-sim", "--port", "0", "--price-path",
         "BTC:-25%:3600s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first.split(" on ")[-1].strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/v1/health", timeout=5).json()["status"] == "ok"
        assert httpx.get(f"{url}/v1/keys", timeout=5).json()["is_emulator"] is True
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


@pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)
def test_exchange_down_is_exit_5_and_nothing_is_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    data = tmp_path / "desk"
    ok(data, capsys, "import", str(fresh_snapshot(tmp_path)))
    for name in ("alice", "bob"):
        ok(data, capsys, "officers", "add", name, "--role", "officer",
           "--device", devices[name].trezor_uri, "--path", PATH)
    signin(data, capsys, "alice", devices["alice"].trezor_uri)
    att = ok(data, capsys, "attest", "prepare", "--clients", "alnoor-quant",
             "--officer", "alice",
             "--device", devices["alice"].trezor_uri).strip()
    signin(data, capsys, "bob", devices["bob"].trezor_uri)
    ok(data, capsys, "attest", "sign", att, "--officer", "bob",
       "--device", devices["bob"].trezor_uri)
    nowhere = "http://127.0.0.1:9"  # discard port: nothing listens
    code, _, err = cli(data, capsys, "push", att, "--exchange", nowhere)
    assert code == 5 and "queued, will retry" in err
    code, _, err = cli(data, capsys, "pull", "--exchange", nowhere)
    assert code == 5 and "could not reach the exchange" in err
    [row] = json.loads(ok(data, capsys, "outbox", "--json"))
    assert row["status"] == "pending" and row["attempts"] == 1
