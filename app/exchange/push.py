"""Queueing signed attestations for the exchange (``custody-desk push``).

An attestation leaves the desk only once an officer-signed audit checkpoint
covers its approval (the ``attestation.sign`` entry): approving signs one on the
checker's device (``AttestationService.approve_and_sign``), and every delivery
carries the newest signed checkpoint to the exchange (``app.exchange.outbox``),
so the exchange holds, signed by an officer, a tree head that pins the approval.
A push without one is refused with the command that signs it.
"""

from __future__ import annotations

from app.documents.envelope import Kind
from app.exchange.outbox import enqueue
from app.services.attestations import AttestationService
from app.services.audit_checkpoints import Unanchored, act_seq, covering_checkpoint
from app.services.desk_identity import desk_identity
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store, Transaction

SIGN_CHECKPOINT_HINT = "custody-desk audit sign-checkpoint --officer NAME --device URI"


def approval_seq(tx: Transaction, att_id: int) -> int | None:
    """The audit seq of attestation ``att_id``'s approval (its last ``attestation.sign``)."""
    return act_seq(tx, "attestation.sign", "attestation_id", att_id)


def ensure_anchored(store: Store, att_id: int) -> None:
    """Refuse (:class:`Unanchored`) unless a signed checkpoint covers the approval."""
    env = desk_identity(store).env
    with store.read() as tx:
        seq = approval_seq(tx, att_id)
        if seq is None:
            return  # not signed: export_bundle refuses it with the attestation's status
        if covering_checkpoint(tx, seq, env=env) is None:
            raise Unanchored(
                f"attestation {att_id}'s approval (audit entry {seq}) is covered by no "
                "officer-signed audit checkpoint that still counts, so the exchange would get "
                "no signed tree head pinning it: sign one on an officer's device "
                f"({SIGN_CHECKPOINT_HINT}), then push again"
            )


def queue_attestation(store: Store, att_id: int, *, actor: str, clock: Clock = utc_now) -> str:
    """Queue the signed bundle of attestation ``att_id``; returns its idempotency key.

    Raises ``AttestationError`` when it is not signed and :class:`Unanchored`
    when no signed checkpoint covers its approval. Queuing twice is one message.
    """
    bundle = AttestationService(store, clock=clock).export_bundle(att_id)
    ensure_anchored(store, att_id)
    with unit_of_work(store, clock=clock) as uow:
        return enqueue(uow, Kind.ATTESTATION_BUNDLE.value, str(bundle.body["id"]),
                       bundle.to_bytes(), actor)


def queue_signed_attestations(store: Store, *, actor: str, clock: Clock = utc_now) -> list[str]:
    """Queue every attestation that is signed but not yet sent (none unless all are anchored)."""
    service = AttestationService(store, clock=clock)
    ready = [rec.id for rec in service.attestations() if rec.status == "signed"]
    for att_id in ready:
        ensure_anchored(store, att_id)
    return [queue_attestation(store, att_id, actor=actor, clock=clock) for att_id in ready]
