"""Exactly once across workstations: desk processes racing on one store.

Each workstation is its own ``custody-desk`` process with its own connection (for
PostgreSQL: one shared database; for SQLite: one shared file), started together.
Every race runs several rounds and asserts exactly one winner, that the loser was
told why and stored nothing, and that sequence numbers and the audit chain stay
gap-free and single-headed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_helpers import ok
from officer_desk import PATH, fresh_snapshot, running_emulators

from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_ZOO,
)

CLIENTS = ("alnoor-quant", "gulf-meridian-mm", "alnoor-quant", "gulf-meridian-mm")  # 2 slots each


@pytest.fixture(scope="module")
def devices() -> Iterator[dict[str, RunningEmulator]]:
    """alice (maker), bob and carol (two checkers) on their own emulators."""
    yield from running_emulators(
        {"alice": TEST_MNEMONIC_ABANDON, "bob": TEST_MNEMONIC_ALL, "carol": TEST_MNEMONIC_ZOO}
    )


def _env(officer: str) -> dict[str, str]:
    """The environment of ``officer``'s own OS account (each officer has their session)."""
    user = f"{officer}-os"
    return {**os.environ, "LOGNAME": user, "USER": user, "LNAME": user, "USERNAME": user}


@contextmanager
def _as(officer: str) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(_env(officer))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _race(data: Path, store_url: str,
          commands: list[tuple[str, list[str]]]) -> list[tuple[int, str, str]]:
    base = [sys.executable, "-m", "app", "--data-dir", str(data), "--store", store_url]
    procs = [
        subprocess.Popen([*base, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=_env(officer))
        for officer, argv in commands
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        results.append((proc.returncode, out, err))
    return results


def _desk(data: Path, store_url: str, capsys: pytest.CaptureFixture[str],
          devices: dict[str, RunningEmulator]) -> tuple[str, ...]:
    store = ("--store", store_url)
    ok(data, capsys, *store, "import", str(fresh_snapshot(data.parent)))
    for name in ("alice", "bob", "carol"):
        ok(data, capsys, *store, "officers", "add", name, "--role", "officer",
           "--device", devices[name].trezor_uri, "--path", PATH)
    for name in ("alice", "bob", "carol"):  # each on duty in their own OS account
        with _as(name):
            ok(data, capsys, *store, "signin", "--officer", name,
               "--device", devices[name].trezor_uri)
    return store


def test_two_checkers_sign_the_same_attestation_one_signature_is_stored(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator],
) -> None:
    data = tmp_path / "desk"
    store = _desk(data, store_url, capsys, devices)
    for client in CLIENTS:
        with _as("alice"):
            att = ok(data, capsys, *store, "attest", "prepare", "--clients", client,
                     "--officer", "alice", "--device", devices["alice"].trezor_uri).strip()
        results = _race(data, store_url, [
            (checker, ["attest", "sign", att, "--officer", checker,
                       "--device", devices[checker].trezor_uri])
            for checker in ("bob", "carol")
        ])
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 2], results
        [loser_err] = [err for code, _, err in results if code == 2]
        [row] = [r for r in json.loads(ok(data, capsys, *store, "attest", "list", "--json"))
                 if str(r["id"]) == att]
        assert row["status"] == "signed"
        winner = "bob" if results[0][0] == 0 else "carol"
        assert f"already signed by {winner} at " in loser_err, loser_err
        log = json.loads(ok(data, capsys, *store, "audit", "log", "--json",
                            "--action", "attestation.sign"))
        assert [e["payload"]["attestation_id"] for e in log].count(int(att)) == 1

    rows = json.loads(ok(data, capsys, *store, "attest", "list", "--json"))
    assert sorted(int(r["sequence"]) for r in rows) == list(range(1, len(CLIENTS) + 1))
    assert "FAIL" not in ok(data, capsys, *store, "audit", "verify")


def test_two_makers_race_for_the_last_settlement_slots(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator],
) -> None:
    data = tmp_path / "desk"
    store = _desk(data, store_url, capsys, devices)
    client = "jumeirah-yield"  # two settlement slots a day
    results = _race(data, store_url, [
        (maker, ["attest", "prepare", "--clients", client, "--officer", maker,
                 "--device", devices[maker].trezor_uri])
        for maker in ("alice", "bob", "carol", "alice", "bob", "carol")
    ])
    winners = [out.strip() for code, out, _ in results if code == 0]
    losers = [err for code, _, err in results if code != 0]
    assert len(winners) == 2, results
    assert len(losers) == 4, losers
    assert all("already has 2 attestation(s) today" in err for err in losers), losers
    rows = json.loads(ok(data, capsys, *store, "attest", "list", "--json"))
    assert sorted(str(r["id"]) for r in rows) == sorted(winners)
    assert sorted(int(r["sequence"]) for r in rows) == [1, 2]  # gap-free
    log = json.loads(ok(data, capsys, *store, "audit", "log", "--json"))
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert "FAIL" not in ok(data, capsys, *store, "audit", "verify")
