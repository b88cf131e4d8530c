"""The audit trail: record actions, read the log, verify it, take checkpoints.

API::

    service = AuditService(store)
    report = service.verify()       # AuditReport: .ok, .checks (one line each in `audit verify`)
    rows = service.entries(actor="officer:alice", limit=100)
    entry = service.record("cli:bob", "note", {"text": "..."})  # own transaction, after COMMIT
    checkpoint = service.checkpoint("cli:bob")  # root over the whole log, audited

State-changing services do not call :meth:`AuditService.record`; they append in
their own transaction through :class:`app.services.unit_of_work.UnitOfWork`.

What :meth:`verify` detects: an edited entry (its hash no longer recomputes), a
deleted or reordered entry (sequence gap, broken ``prev_hash`` link), a truncated
tail (the head row, SQLite's AUTOINCREMENT high-water mark and every checkpoint
remember the longer log), a forged tree (roots recomputed from the entries). A
forger who rewrites the whole file consistently is caught only by checkpoints
signed and held outside the store (exported to the exchange and the regulator).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.rfc6962 import leaf_hash
from app.services.audit_chain_adapter import GENESIS_HASH, compute_entry_hash, leaf_data
from app.services.audit_log import FIRST_SEQ, extend_frontier, frontier_root, head_root
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


@dataclass
class _ChainWalk:
    count: int = 0
    last_seq: int | None = None
    last_hash: str = GENESIS_HASH
    problem: str | None = None
    problems: int = 0


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
        """Check the chain, the head, the tree and every checkpoint; never raises on tampering."""
        with self._store.read() as tx:
            return _verify(tx, self._store)


def _verify(tx: Transaction, store: Store) -> AuditReport:
    checkpoints = tx.audit.checkpoints()
    wanted = {c.tree_size for c in checkpoints}
    roots_at: dict[int, str] = {}
    if 0 in wanted:
        roots_at[0] = frontier_root([]).hex()
    walk = _ChainWalk()
    frontier: list[bytes] = []
    for row in tx.audit.iter_all():
        _check_entry(walk, row)
        frontier = extend_frontier(walk.count, frontier, leaf_hash(leaf_data(row)))
        walk.count += 1
        walk.last_seq = row.seq
        walk.last_hash = row.entry_hash
        if walk.count in wanted:
            roots_at[walk.count] = frontier_root(frontier).hex()
    root = frontier_root(frontier).hex()
    checks = (
        _chain_check(walk),
        _head_check(tx, walk, root),
        _checkpoint_check(checkpoints, roots_at, walk.count),
        _store_check(store),
    )
    for check in checks:
        if not check.ok:
            logger.warning("audit verification failed: %s", check.line())
    return AuditReport(checks=checks, entry_count=walk.count, root_hash=root)


def _check_entry(walk: _ChainWalk, row: AuditRow) -> None:
    expected_seq = FIRST_SEQ + walk.count
    problem = None
    if row.seq != expected_seq:
        problem = f"expected seq {expected_seq}, found {row.seq} (entry deleted or reordered)"
    elif row.prev_hash != walk.last_hash:
        problem = f"seq {row.seq} does not link to the previous entry (deleted or reordered)"
    else:
        recomputed = compute_entry_hash(
            seq=row.seq,
            time=row.time,
            actor=row.actor,
            action=row.action,
            payload=row.payload,
            prev_hash=row.prev_hash,
        )
        if recomputed != row.entry_hash:
            problem = f"seq {row.seq} does not match its hash (entry edited)"
    if problem is not None:
        walk.problems += 1
        if walk.problem is None:
            walk.problem = problem


def _chain_check(walk: _ChainWalk) -> AuditCheck:
    if walk.problem is not None:
        more = f" (+{walk.problems - 1} more)" if walk.problems > 1 else ""
        return AuditCheck("chain", False, walk.problem + more)
    return AuditCheck("chain", True, f"{walk.count} entries, hashes recompute and link")


def _head_check(tx: Transaction, walk: _ChainWalk, root: str) -> AuditCheck:
    head = tx.audit.head()
    high_water = tx.audit.high_water_mark()
    recorded = 0 if head is None else head.size
    if recorded != walk.count:
        return AuditCheck(
            "head", False, f"the head records {recorded} entries but {walk.count} are present"
        )
    if head is not None and head.last_hash != walk.last_hash:
        return AuditCheck("head", False, "the last entry is not the one the head records")
    if high_water is not None and high_water != (walk.last_seq or 0):
        return AuditCheck(
            "head", False, f"seq {high_water} was written but the log ends at {walk.last_seq}"
        )
    if head_root(head).hex() != root:
        return AuditCheck("tree", False, "the tree root recomputed from the entries differs")
    return AuditCheck("head", True, f"log ends at seq {walk.last_seq or 0}; tree root {root}")


def _checkpoint_check(
    checkpoints: list[CheckpointRow], roots_at: dict[int, str], count: int
) -> AuditCheck:
    for checkpoint in checkpoints:
        if checkpoint.tree_size > count:
            return AuditCheck(
                "checkpoints",
                False,
                f"checkpoint #{checkpoint.id} covers {checkpoint.tree_size} entries, "
                f"only {count} remain (log truncated)",
            )
        if roots_at.get(checkpoint.tree_size) != checkpoint.root_hash:
            return AuditCheck(
                "checkpoints",
                False,
                f"checkpoint #{checkpoint.id} (size {checkpoint.tree_size}) root does not match",
            )
    if not checkpoints:
        return AuditCheck("checkpoints", True, "none taken yet")
    signed = sum(1 for c in checkpoints if c.signature)
    return AuditCheck(
        "checkpoints",
        True,
        f"{len(checkpoints)} match (latest at size {checkpoints[-1].tree_size}; {signed} signed)",
    )


def _store_check(store: Store) -> AuditCheck:
    problems = store.integrity_check()
    if problems:
        return AuditCheck("store", False, f"integrity check: {problems[0]}")
    return AuditCheck("store", True, "integrity check ok")
