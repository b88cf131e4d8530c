"""Attestation lifecycle through the service, signing on in-process emulators."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from officer_desk import PATH

from app.services.attestations import (
    AttestationExpired,
    AttestationService,
    MakerCannotApprove,
    UnknownOfficer,
    WrongStatus,
)
from app.services.officers import OfficerError, register_officer
from app.services.unit_of_work import utc_now
from app.store.sqlite_store import SqliteStore
from signing.emulator.main import RunningEmulator
from signing.interface import NullInteraction


def status(store: SqliteStore, att_id: int) -> str:
    return AttestationService(store).detail(att_id).record.status


def test_draft_submit_reject(store: SqliteStore) -> None:
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice", submit=False)
    assert rec.status == "draft"
    service.submit(rec.id, "alice")
    assert status(store, rec.id) == "awaiting_approval"
    with pytest.raises(MakerCannotApprove):
        service.reject(rec.id, "alice", "own work")
    service.reject(rec.id, "bob", "wrong clients")
    assert status(store, rec.id) == "rejected"
    with pytest.raises(WrongStatus):
        service.submit(rec.id, "alice")
    # a rejected attestation does not use up the client's settlement slots
    service.prepare(["alnoor-quant"], "alice")
    service.prepare(["alnoor-quant"], "alice")


def test_expired_cannot_be_signed_and_is_marked(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    rec = AttestationService(store).prepare(["alnoor-quant"], "alice")
    later = AttestationService(store, clock=lambda: utc_now() + timedelta(hours=25))
    with pytest.raises(AttestationExpired):
        asyncio.run(later.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                           NullInteraction()))
    assert status(store, rec.id) == "awaiting_approval"
    assert later.expire_stale() == [rec.id]
    assert status(store, rec.id) == "expired"


def test_cancelling_the_wait_leaves_it_awaiting_approval(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice")
    bob = devices["bob"]

    async def approve_then_cancel() -> None:
        task = asyncio.create_task(
            service.approve_and_sign(rec.id, "bob", bob.trezor_uri, NullInteraction())
        )
        await asyncio.sleep(0.5)  # the device is waiting for the human
        assert status(store, rec.id) == "signing"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    bob.hsm.set_policy("delay:30")
    try:
        asyncio.run(approve_then_cancel())
    finally:
        bob.hsm.set_policy("auto")
    assert status(store, rec.id) == "awaiting_approval"
    signed = asyncio.run(service.approve_and_sign(rec.id, "bob", bob.trezor_uri,
                                                  NullInteraction()))
    assert signed.status == "signed"
    service.mark_sent(rec.id, "exchange-link")
    assert status(store, rec.id) == "sent"
    assert service.export_bundle(rec.id).statement == rec.statement


def test_one_device_key_one_officer(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    with pytest.raises(OfficerError, match="already registered"):
        asyncio.run(register_officer(store, "carol", "officer", devices["alice"].trezor_uri,
                                     PATH, interaction=NullInteraction(), actor="test"))
    with pytest.raises(OfficerError, match="already registered"):
        asyncio.run(register_officer(store, "alice", "officer", devices["bob"].trezor_uri,
                                     "m/44'/0'/1'/0/0", interaction=NullInteraction(),
                                     actor="test"))


def test_a_production_desk_refuses_emulator_keys(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    with store.transaction() as tx:
        tx.settings.put("desk.environment", "prod", utc_now())
    with pytest.raises(OfficerError, match="emulator"):
        asyncio.run(register_officer(store, "dave", "officer", devices["bob"].trezor_uri,
                                     "m/44'/0'/3'/0/0", interaction=NullInteraction(),
                                     actor="test"))


def test_abandon_signing_only_from_signing_by_an_active_officer(store: SqliteStore) -> None:
    """A 'signing' left by a killed process returns to awaiting approval, audited; any
    other state, or an unknown officer, is refused and nothing changes."""
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice")
    with pytest.raises(WrongStatus):
        service.abandon_signing(rec.id, "bob")  # awaiting approval: nothing to abandon
    service._begin_signing(rec.id, "bob")  # the process that began it was killed
    assert status(store, rec.id) == "signing"
    with pytest.raises(UnknownOfficer):
        service.abandon_signing(rec.id, "mallory")
    assert status(store, rec.id) == "signing"
    service.abandon_signing(rec.id, "alice")
    assert status(store, rec.id) == "awaiting_approval"
    with store.read() as tx:
        last = list(tx.audit.iter_all())[-1]
    assert last.action == "attestation.signing_abandoned"
    assert last.actor == "officer:alice"
