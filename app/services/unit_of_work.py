"""One use case, one transaction.

Usage (every state-changing service method follows it)::

    with unit_of_work(store) as uow:
        uow.tx.snapshots.add(...)                      # the state change
        uow.audit("cli:alice", "snapshot.import", {...})  # its audit entry, same transaction
    # here COMMIT has returned: only now may the caller acknowledge anything

A failure anywhere inside the block (including in the audit append) rolls the
whole transaction back, so the store is left unchanged. ``uow.now`` is one UTC
timestamp taken at the start, used for every row the use case writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from app.services.audit_log import DEFAULT_CHECKPOINT_EVERY, append_entry
from app.store.interface import Store, Transaction
from app.store.records import AuditRow

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


class UnitOfWork:
    """The open transaction of one use case, plus its audit hook."""

    def __init__(self, tx: Transaction, now: datetime, checkpoint_every: int) -> None:
        self.tx = tx
        self.now = now
        self._checkpoint_every = checkpoint_every
        self.audited: list[AuditRow] = []

    def audit(self, actor: str, action: str, payload: Mapping[str, Any]) -> AuditRow:
        """Record ``action`` by ``actor`` in the audit log, in this transaction."""
        row = append_entry(
            self.tx,
            actor=actor,
            action=action,
            payload=payload,
            at=self.now,
            checkpoint_every=self._checkpoint_every,
        )
        self.audited.append(row)
        return row


@contextmanager
def unit_of_work(
    store: Store,
    *,
    clock: Clock = utc_now,
    checkpoint_every: int = DEFAULT_CHECKPOINT_EVERY,
) -> Iterator[UnitOfWork]:
    """Run one use case in one write transaction (commit on success, rollback on error)."""
    with store.transaction() as tx:
        now = clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the clock must return UTC-aware times")
        now = now.astimezone(UTC)  # an aware local time is stored as the same instant in UTC
        yield UnitOfWork(tx, now, checkpoint_every)
