"""Shared set-up for service-level attestation tests: two officers on two emulators.

alice (the ``abandon`` test seed) and bob (the ``all`` test seed) each have their
own in-process emulator and are registered at ``PATH`` on a store loaded with the
demo snapshot. Test modules wrap these generators in their own fixtures.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signin_support import sign_in_all

from app.services.holdings import HoldingsService
from app.services.officers import register_officer
from app.store.sqlite_store import SqliteStore
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL
from signing.interface import NullInteraction

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "resources" / "demo" / "snapshot.json"
PATH = "m/44'/0'/0'/0/0"


def fresh_snapshot(folder: Path, age: timedelta = timedelta(minutes=1)) -> Path:
    """The demo snapshot dated ``age`` before now, written into ``folder``: the CLI
    (like the window) refuses to attest on prices past their limit (BTC 1 h), so a
    test that prepares dates its prices relative to now, never the shipped as-of."""
    doc = json.loads(SNAPSHOT.read_text())
    doc["as_of"] = (datetime.now(UTC) - age).strftime("%Y-%m-%dT%H:%M:%SZ")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "snapshot-fresh.json"
    path.write_text(json.dumps(doc))
    return path


def running_emulators(seeds: dict[str, str]) -> Iterator[dict[str, RunningEmulator]]:
    """One emulator per name, each on its own (public test) seed; stopped when the
    generator closes."""
    running = {n: start_emulator(trezor_port=0, mnemonic=m, name=n) for n, m in seeds.items()}
    try:
        yield running
    finally:
        for emu in running.values():
            emu.stop()


def officer_emulators() -> Iterator[dict[str, RunningEmulator]]:
    """alice's and bob's emulators, stopped when the generator closes."""
    yield from running_emulators({"alice": TEST_MNEMONIC_ABANDON, "bob": TEST_MNEMONIC_ALL})


def register(store: SqliteStore, name: str, uri: str, path: str = PATH) -> None:
    """Register officer ``name`` with the key the device at ``uri`` holds at ``path``."""
    asyncio.run(register_officer(store, name, "officer", uri, path,
                                 interaction=NullInteraction(), actor="test"))


def desk_with_officers(
    db: SqliteStore, devices: dict[str, RunningEmulator], *, signed_in: bool = True
) -> Iterator[SqliteStore]:
    """``db`` (a fresh store, either backend) with the demo snapshot and alice and bob
    registered and (unless ``signed_in`` is False) each signed in on their own emulator;
    closed when the generator closes."""
    HoldingsService(db).import_file(SNAPSHOT, "test")
    for name in ("alice", "bob"):
        register(db, name, devices[name].trezor_uri)
    if signed_in:
        sign_in_all(db, {name: devices[name].trezor_uri for name in ("alice", "bob")})
    try:
        yield db
    finally:
        db.close()
