"""The audit trail: record actions, read the log, verify it, take checkpoints.

API::

    service = AuditService(store)
    report = service.verify()       # AuditReport: .ok, .checks (one line each in `audit verify`)
    rows = service.entries(actor="officer:alice", limit=100)
    entry = service.record("cli:bob", "note", {"text": "..."})  # own transaction, after COMMIT
    checkpoint = service.checkpoint("cli:bob")  # root over the whole log, audited
    signatures = service.verify_checkpoint_signatures()  # that one check alone

Signing and exporting checkpoints: :mod:`app.services.audit_checkpoints`.

State-changing services do not call :meth:`AuditService.record`; they append in
their own transaction through :class:`app.services.unit_of_work.UnitOfWork`.

What :meth:`verify` detects: an edited entry (its hash no longer recomputes), a
deleted or reordered entry (sequence gap, broken ``prev_hash`` link), a truncated
tail (the head row, SQLite's AUTOINCREMENT high-water mark and every checkpoint
remember the longer log), a forged tree (roots recomputed from the entries), and a
signed checkpoint whose statement or signature was edited, or whose officer key
was revoked, and an edited, deleted or inserted row of any business table
(snapshots, positions, prices, orders, shares, attestations, margin calls, the
exchange inbox and outbox, keys, the vault tables...: check ``data``, naming
table and row; :mod:`app.services.data_binding`, listed in docs/store.md). A
forger who rewrites the whole file consistently is caught only by checkpoints
signed and held outside the store (exported to the exchange and the regulator).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain import audit_chain
from app.domain.rfc6962 import MerkleError, MerkleTree
from app.services.audit_checkpoints import verify_checkpoint_signatures
from app.services.audit_log import head_root
from app.services.data_binding import verify_bindings
from app.services.desk_identity import desk_identity
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store, Transaction
from app.store.records import AuditRow, CheckpointRow

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """One verification step: ``name`` (chain, head, tree, checkpoints, store), result, detail."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """``ok   chain: 12 entries linked`` / ``FAIL chain: ...``."""
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of :meth:`AuditService.verify`."""

    checks: tuple[AuditCheck, ...]
    entry_count: int
    root_hash: str

    @property
    def ok(self) -> bool:
        """True only when every check passed."""
        return all(check.ok for check in self.checks)


class AuditService:
    """Reads, verifies and checkpoints the audit log of ``store``."""

    def __init__(self, store: Store, *, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    # -- writing -------------------------------------------------------------

    def record(self, actor: str, action: str, payload: Mapping[str, Any]) -> AuditRow:
        """Record a stand-alone action in its own transaction; returns after COMMIT."""
        with unit_of_work(self._store, clock=self._clock) as uow:
            row = uow.audit(actor, action, payload)
        return row

    def checkpoint(self, actor: str) -> CheckpointRow:
        """Store a checkpoint over the whole log now (then audit that it was taken)."""
        with unit_of_work(self._store, clock=self._clock) as uow:
            head = uow.tx.audit.head()
            size = 0 if head is None else head.size
            if size == 0:
                raise ValueError("the audit log is empty: nothing to checkpoint")
            existing = [c for c in uow.tx.audit.checkpoints() if c.tree_size == size]
            if existing:
                checkpoint = existing[0]
            else:
                checkpoint = uow.tx.audit.add_checkpoint(size, head_root(head).hex(), uow.now)
            uow.audit(
                actor,
                "audit.checkpoint",
                {"tree_size": checkpoint.tree_size, "root_hash": checkpoint.root_hash},
            )
        return checkpoint

    # -- reading -------------------------------------------------------------

    def entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after_seq: int | None = None,
        limit: int | None = None,
    ) -> list[AuditRow]:
        """Entries in order, filtered (``since`` inclusive, ``until`` exclusive)."""
        with self._store.read() as tx:
            return tx.audit.entries(
                actor=actor,
                action=action,
                since=since,
                until=until,
                after_seq=after_seq,
                limit=limit,
            )

    def checkpoints(self) -> list[CheckpointRow]:
        """Every stored checkpoint, smallest first."""
        with self._store.read() as tx:
            return tx.audit.checkpoints()

    # -- verification ----------------------------------------------------------

    def verify(self) -> AuditReport:
        """Check the chain, the head, the tree, every checkpoint and every checkpoint
        signature; never raises on tampering."""
        env = desk_identity(self._store).env
        with self._store.read() as tx:
            return _verify(tx, self._store, env)

    def verify_checkpoint_signatures(self) -> AuditCheck:
        """Every signed checkpoint verifies under its officer's registered, unrevoked key
        (also one of :meth:`verify`'s checks); see
        :func:`app.services.audit_checkpoints.verify_checkpoint_signatures`."""
        env = desk_identity(self._store).env
        with self._store.read() as tx:
            return _signature_check(tx, env)


def _signature_check(tx: Transaction, env: str) -> AuditCheck:
    result = verify_checkpoint_signatures(tx, env)
    return AuditCheck("checkpoint signatures", result.ok, result.detail())


def _verify(tx: Transaction, store: Store, env: str) -> AuditReport:
    entries = list(tx.audit.iter_all())
    log_tree = audit_chain.tree(entries)
    root = log_tree.root.hex()
    checks = (
        _chain_check(entries),
        _head_check(tx, entries, root),
        _checkpoint_check(tx.audit.checkpoints(), log_tree),
        _store_check(store),
        _signature_check(tx, env),
        _data_check(tx, entries),
        _state_check(tx),
        _signin_check(tx, entries),
        *_database_guard_check(store),
    )
    for check in checks:
        if not check.ok:
            logger.warning("audit verification failed: %s", check.line())
    return AuditReport(checks=checks, entry_count=len(entries), root_hash=root)


def _chain_check(entries: list[AuditRow]) -> AuditCheck:
    try:
        summary = audit_chain.verify_chain(entries)
    except audit_chain.AuditChainError as exc:
        return AuditCheck("chain", False, f"{exc} (entry edited, deleted or reordered)")
    return AuditCheck("chain", True, f"{summary.size} entries, hashes recompute and link")


def _head_check(tx: Transaction, entries: list[AuditRow], root: str) -> AuditCheck:
    head = tx.audit.head()
    recorded = 0 if head is None else head.size
    last = entries[-1] if entries else None
    if recorded != len(entries):
        return AuditCheck(
            "head", False, f"the head records {recorded} entries but {len(entries)} are present"
        )
    if head is not None and (last is None or head.last_hash != last.entry_hash):
        return AuditCheck("head", False, "the last entry is not the one the head records")
    # AUTOINCREMENT remembers the largest seq ever written, even after a DELETE.
    high_water = tx.audit.high_water_mark()
    last_seq = 0 if last is None else last.seq
    if high_water is not None and high_water != last_seq:
        return AuditCheck(
            "head", False, f"seq {high_water} was written but the log ends at seq {last_seq}"
        )
    if head_root(head).hex() != root:
        return AuditCheck("head", False, "the tree root recomputed from the entries differs")
    return AuditCheck("head", True, f"log ends at seq {last_seq}; tree root {root}")


def _checkpoint_check(checkpoints: list[CheckpointRow], log_tree: MerkleTree) -> AuditCheck:
    now = audit_chain.Checkpoint(log_tree.size, log_tree.root, datetime.now(UTC))
    for row in checkpoints:
        stored = audit_chain.Checkpoint(row.tree_size, bytes.fromhex(row.root_hash), row.created_at)
        try:
            if stored.size > now.size:
                raise audit_chain.AuditChainError(
                    "truncated log", None, f"{now.size} entries, checkpoint has {stored.size}"
                )
            # RFC 6962 consistency proof: the log only grew since the checkpoint.
            proof = log_tree.consistency_proof(stored.size)
            audit_chain.verify_extension(stored, now, proof)
        except (audit_chain.AuditChainError, MerkleError) as exc:
            return AuditCheck("checkpoints", False, f"checkpoint #{row.id}: {exc}")
    if not checkpoints:
        return AuditCheck("checkpoints", True, "none taken yet")
    signed = sum(1 for c in checkpoints if c.signature)
    return AuditCheck(
        "checkpoints",
        True,
        f"{len(checkpoints)} consistent with the log (latest at size "
        f"{checkpoints[-1].tree_size}; {signed} signed)",
    )


def _data_check(tx: Transaction, entries: list[AuditRow]) -> AuditCheck:
    """Business rows recompute to the content hashes the trail recorded (data_binding)."""
    result = verify_bindings(tx, entries)
    return AuditCheck("data", result.ok, result.detail())


def _database_guard_check(store: Store) -> tuple[AuditCheck, ...]:
    """On PostgreSQL: are the append-only triggers and the desk role's grants in place?"""
    guards = getattr(store, "audit_guards", None)
    if guards is None:
        return ()
    report = guards()
    return (AuditCheck("database guards", report.ok, report.detail()),)


def _state_check(tx: Transaction) -> AuditCheck:
    """Officer and key rows against the trail (``app.services.audit_state``)."""
    from app.services.audit_state import state_problems
    from app.services.officers import desk_repo

    problems = state_problems(tx, desk_repo(tx))
    if problems:
        return AuditCheck("officers and keys", False, "; ".join(problems))
    return AuditCheck("officers and keys", True, "every officer and key row is backed by "
                      "the trail")


def _signin_check(tx: Transaction, entries: list[AuditRow]) -> AuditCheck:
    """Every officer act rests on a device-signed sign-in (``app.services.audit_signins``)."""
    from app.services.audit_signins import check_signins
    from app.services.officers import desk_repo

    pubkeys = [officer.pubkey for officer in desk_repo(tx).officers_as_stored()]
    result = check_signins(entries, pubkeys)
    return AuditCheck("sign-ins", result.ok, result.detail())


def _store_check(store: Store) -> AuditCheck:
    problems = store.integrity_check()
    if problems:
        return AuditCheck("store", False, f"integrity check: {problems[0]}")
    return AuditCheck("store", True, "integrity check ok")
