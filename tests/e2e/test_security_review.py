"""Regression tests for the security review of 2026-11-26 (docs/security.md).

Maker != checker by person (device), one key one party, nothing stored or
exported as signed unless it verifies, re-checks after the device round trip.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from officer_desk import PATH, register

from app.cli.main import main
from app.documents.keys import Party, Role, key_id_for, parse_keys
from app.documents.verify import VerifyContext, verify_document
from app.services.attestations import (
    AttestationError,
    AttestationExpired,
    AttestationService,
    MakerCannotApprove,
    UnknownOfficer,
)
from app.services.officers import (
    OfficerError,
    add_party_key,
    desk_repo,
    keys_file,
    revoke_key,
)
from app.services.unit_of_work import utc_now
from app.store import open_store
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO
from signing.interface import NullInteraction, Signer
from signing.registry import open_signer

OTHER_PATH = "m/44'/0'/7'/0/0"


def _status(store: SqliteStore, att_id: int) -> str:
    return AttestationService(store).detail(att_id).record.status


def _audit_count(store: SqliteStore) -> int:
    with store.read() as tx:
        head = tx.audit.head()
    return 0 if head is None else head.size


def test_one_device_cannot_be_two_officers(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    """Another path on alice's device is another key, but still alice's device."""
    before = _audit_count(store)
    with pytest.raises(OfficerError, match="already registered to officer alice"):
        register(store, "mallory", devices["alice"].trezor_uri, OTHER_PATH)
    with store.read() as tx:
        assert [o.name for o in desk_repo(tx).officers()] == ["alice", "bob"]
    assert _audit_count(store) == before


def test_maker_and_checker_on_one_device_are_one_person(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    """A store that already holds two officers on one device (registered before the
    fingerprint rule) still cannot approve its own work."""
    with store.transaction() as tx:
        repo = desk_repo(tx)
        alice = repo.officer_by_name("alice")
        assert alice is not None
        repo.add_officer(
            replace(alice, name="alice2", path=OTHER_PATH, pubkey=b"\x02" + b"\x11" * 32),
            registered_by="legacy",
        )
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice")
    with pytest.raises(MakerCannotApprove):
        asyncio.run(service.approve_and_sign(rec.id, "alice2", devices["alice"].trezor_uri,
                                             NullInteraction()))
    with pytest.raises(MakerCannotApprove):
        service.reject(rec.id, "alice2", "own work under another name")
    assert _status(store, rec.id) == "awaiting_approval"


def test_one_key_cannot_speak_for_two_parties(store: SqliteStore) -> None:
    regulator = SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATH)
    add_party_key(store, Party.REGULATOR, regulator.pubkey, regulator.address, actor="test",
                  is_emulator=True)
    before = _audit_count(store)
    with pytest.raises(OfficerError, match="already registered to the regulator"):
        add_party_key(store, Party.EXCHANGE, regulator.pubkey, regulator.address,
                      actor="test", role=Role.EXCHANGE, is_emulator=True)
    with store.read() as tx:
        alice = desk_repo(tx).officer_by_name("alice")
    assert alice is not None
    with pytest.raises(OfficerError, match="custodian"):  # an officer key is the custodian's
        add_party_key(store, Party.REGULATOR, alice.pubkey, alice.address, actor="test",
                      is_emulator=True)
    # the custodian may still name an officer's key as its own emergency key
    add_party_key(store, Party.CUSTODIAN, alice.pubkey, alice.address, actor="test",
                  is_emulator=True)
    assert _audit_count(store) == before + 1


def test_a_regulator_key_cannot_be_registered_as_an_officer(tmp_path: Path) -> None:
    emu = start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ZOO, name="reg")
    store = open_store(tmp_path / "desk.sqlite3")
    try:
        key = SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATH)
        add_party_key(store, Party.REGULATOR, key.pubkey, key.address, actor="test",
                      is_emulator=True)
        with pytest.raises(OfficerError, match="registered to the regulator"):
            register(store, "carol", emu.trezor_uri)
    finally:
        store.close()
        emu.stop()


@pytest.mark.parametrize(
    ("pubkey", "address", "message"),
    [
        (b"\x02" + b"\xff" * 32, "", "not a usable key"),  # x beyond the field: no point
        (None, "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", "does not belong"),
        (None, "not-an-address", "not a usable key or address"),
    ],
)
def test_party_keys_must_be_real_keys_with_their_own_address(
    store: SqliteStore, pubkey: bytes | None, address: str, message: str
) -> None:
    key = pubkey or SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATH).pubkey
    before = _audit_count(store)
    with pytest.raises(OfficerError, match=message):
        add_party_key(store, Party.REGULATOR, key, address, actor="test")
    assert _audit_count(store) == before


def test_a_production_desk_refuses_emulator_party_keys(store: SqliteStore) -> None:
    with store.transaction() as tx:
        tx.settings.put("desk.environment", "prod", utc_now())
    key = SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATH)
    with pytest.raises(OfficerError, match="emulator"):
        add_party_key(store, Party.REGULATOR, key.pubkey, key.address, actor="test",
                      is_emulator=True)


class _SignThen:
    """A signer that runs ``after`` once the device has signed (the officer was slow)."""

    def __init__(self, inner: Signer, after: Any) -> None:
        self._inner = inner
        self._after = after

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def sign_message(self, path: str, text: str) -> Any:
        made = self._inner.sign_message(path, text)
        self._after()
        return made


def test_a_key_revoked_while_signing_is_not_stored_as_signed(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    with store.read() as tx:
        bob = desk_repo(tx).officer_by_name("bob")
    assert bob is not None
    revoke = lambda: revoke_key(store, key_id_for(bob.pubkey), actor="security")  # noqa: E731
    service = AttestationService(store, signer_factory=lambda uri: _SignThen(  # type: ignore[arg-type,return-value]
        open_signer(uri), revoke))
    rec = service.prepare(["alnoor-quant"], "alice")
    with pytest.raises(UnknownOfficer, match="revoked"):
        asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                             NullInteraction()))
    detail = AttestationService(store).detail(rec.id)
    assert detail.record.status == "awaiting_approval"
    assert detail.record.signature_b64 is None


def test_expiring_while_on_the_device_is_not_signed(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    rec = AttestationService(store).prepare(["alnoor-quant"], "alice")
    late = {"on": False}

    def clock() -> Any:
        return utc_now() + (timedelta(hours=25) if late["on"] else timedelta(0))

    service = AttestationService(store, clock=clock, signer_factory=lambda uri: _SignThen(  # type: ignore[arg-type,return-value]
        open_signer(uri), lambda: late.update(on=True)))
    with pytest.raises(AttestationExpired, match="while signing"):
        asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                             NullInteraction()))
    assert AttestationService(store).detail(rec.id).record.signature_b64 is None


def test_a_stored_signature_that_does_not_verify_is_never_exported(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice")
    asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                         NullInteraction()))
    bundle = service.export_bundle(rec.id)
    assert bundle.signatures[0].signature == base64.b64decode(
        service.detail(rec.id).record.signature_b64 or "")
    forged = bytearray(bundle.signatures[0].signature)
    forged[-1] ^= 1
    with store.transaction() as tx:
        tx.connection.execute("UPDATE attestations SET signature = ? WHERE id = ?",
                              (base64.b64encode(bytes(forged)).decode(), rec.id))
    with pytest.raises(AttestationError, match="does not verify"):
        service.export_bundle(rec.id)


def test_an_officer_key_named_as_custodian_emergency_key_still_signs_attestations(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    """One entry per key id: the officer entry stays (it also counts for the custodian)."""
    with store.read() as tx:
        bob = desk_repo(tx).officer_by_name("bob")
    assert bob is not None
    add_party_key(store, Party.CUSTODIAN, bob.pubkey, bob.address, actor="test",
                  role=Role.EMERGENCY, is_emulator=True)
    entry = keys_file(store).get(key_id_for(bob.pubkey))
    assert entry is not None and entry.role is Role.OFFICER and entry.party is Party.CUSTODIAN
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice")
    asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                         NullInteraction()))
    ctx = VerifyContext(keys=keys_file(store), env="test", now=utc_now())
    assert verify_document(service.export_bundle(rec.id), ctx).ok


def test_an_officers_device_cannot_hold_another_partys_key(
    devices: dict[str, RunningEmulator], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The custodian cannot register a key on its own officer's device as the regulator's."""
    data = tmp_path / "cli-desk"
    assert main(["--data-dir", str(data), "officers", "add", "alice", "--role", "officer",
                 "--device", devices["alice"].trezor_uri, "--path", PATH]) == 0
    capsys.readouterr()
    code = main(["--data-dir", str(data), "parties", "add", "--party", "regulator",
                 "--device", devices["alice"].trezor_uri, "--path", OTHER_PATH])
    err = capsys.readouterr().err
    assert code == 2 and "custody officer alice's" in err and err.count("\n") == 1
    assert main(["--data-dir", str(data), "keys", "export", "--out",
                 str(tmp_path / "keys.json")]) == 0
    keys = parse_keys((tmp_path / "keys.json").read_bytes())
    assert [e.party for e in keys] == [Party.CUSTODIAN]
