"""Queueing signed attestations for the exchange (``custody-desk push``)."""

from __future__ import annotations

from app.documents.envelope import Kind
from app.exchange.outbox import enqueue
from app.services.attestations import AttestationService
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store


def queue_attestation(store: Store, att_id: int, *, actor: str, clock: Clock = utc_now) -> str:
    """Queue the signed bundle of attestation ``att_id``; returns its idempotency key.

    Raises ``AttestationError`` when it is not signed. Queuing twice is one message.
    """
    bundle = AttestationService(store, clock=clock).export_bundle(att_id)
    with unit_of_work(store, clock=clock) as uow:
        return enqueue(uow, Kind.ATTESTATION_BUNDLE.value, str(bundle.body["id"]),
                       bundle.to_bytes(), actor)


def queue_signed_attestations(store: Store, *, actor: str, clock: Clock = utc_now) -> list[str]:
    """Queue every attestation that is signed but not yet sent."""
    service = AttestationService(store, clock=clock)
    return [
        queue_attestation(store, rec.id, actor=actor, clock=clock)
        for rec in service.attestations()
        if rec.status == "signed"
    ]
