"""Several desks (processes, i.e. workstations) executing the same order at once:
exactly one release, on SQLite and on one shared PostgreSQL database."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.main import main
from app.documents.envelope import SignatureEntry
from app.documents.keys import Party, key_id_for
from app.services.emergency import create_order, import_signed, release_document
from app.services.holdings import HoldingsService
from app.services.officers import add_party_key, register_officer
from app.store.interface import Store
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONIC_ZOO
from signing.interface import NullInteraction

SNAPSHOT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "snapshot.json"
PATH = "m/44'/0'/0'/0/0"


def test_concurrent_execute_releases_once(
    tmp_path: Path, store_url: str, store_factory: Callable[[], Store]
) -> None:
    store = store_factory()
    officer_device = start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ABANDON, name="olga")
    try:
        HoldingsService(store).import_file(SNAPSHOT, "test")
        # executing is an officer's act: olga signs in (her session file is what the three
        # desk processes below act on)
        asyncio.run(register_officer(store, "olga", "officer", officer_device.trezor_uri, PATH,
                                     interaction=NullInteraction(), actor="test"))
        order = create_order(store, "sandstone-arb", "drill", actor="test")
        for party, seed in (("custodian", TEST_MNEMONIC_ALL), ("regulator", TEST_MNEMONIC_ZOO)):
            hsm = SoftHsm(seed)
            key = hsm.get_public_key(PATH)
            add_party_key(store, Party(party), key.pubkey, key.address, actor="test",
                          is_emulator=True)
            sig = hsm.sign_message(PATH, order.statement)
            signed = order.with_signature(SignatureEntry(key_id_for(sig.pubkey), party,
                                                         sig.signature))
            import_signed(store, signed.to_bytes(), actor="test")
    finally:
        store.close()
    try:
        assert main(["--data-dir", str(tmp_path), "--store", store_url, "signin", "--officer",
                     "olga", "--device", officer_device.trezor_uri]) == 0
    finally:
        officer_device.stop()
    order_id = str(order.body["id"])
    command = [sys.executable, "-m", "app", "--data-dir", str(tmp_path), "--store", store_url,
               "emergency", "execute", order_id]
    attempts = 6
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(attempts)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0] + [2] * (attempts - 1), results
    assert all("already executed" in err for code, err in results if code == 2)
    store = store_factory()
    try:
        release = release_document(store, order_id)
        assert release is not None and release.body["order"]["id"] == order_id
        with store.read() as tx:
            assert len(tx.audit.entries(action="emergency.execute")) == 1
    finally:
        store.close()
