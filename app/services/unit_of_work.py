"""One use case, one transaction.

Usage (every state-changing service method follows it)::

    with unit_of_work(store) as uow:
        uow.tx.snapshots.add(...)                      # the state change
        uow.audit("cli:alice", "snapshot.import", {...})  # its audit entry, same transaction
    # here COMMIT has returned: only now may the caller acknowledge anything

A failure anywhere inside the block (including in the audit append) rolls the
whole transaction back, so the store is left unchanged. ``uow.now`` is one UTC
timestamp taken at the start, used for every row the use case writes.

An entry in an officer's name (actor ``officer:NAME``) needs that officer's live
session bound to the store (:mod:`app.services.session_guard`), checked inside
this transaction; without one the use case is refused and rolled back. Every
entry's payload gets a ``"session"`` object: the officer, the workstation id and
the sign-in it rests on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from app.services import session_guard
from app.services.audit_log import DEFAULT_CHECKPOINT_EVERY, append_entry
from app.services.data_binding import BOUND, bindings
from app.store import rebind as rebind_notes
from app.store.interface import Store, Transaction
from app.store.records import AuditRow

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


class UnitOfWork:
    """The open transaction of one use case, plus its audit hook."""

    def __init__(
        self,
        tx: Transaction,
        now: datetime,
        checkpoint_every: int,
        sessions: dict[str, session_guard.LiveSession] | None = None,
        workstation: str = "",
    ) -> None:
        self.tx = tx
        self.now = now
        self._checkpoint_every = checkpoint_every
        self._sessions = sessions or {}
        self._workstation = workstation
        self.audited: list[AuditRow] = []
        self._rebind: dict[tuple[str, str], None] = {}
        rebind_notes.reset(self._connection)

    @property
    def _connection(self) -> object:
        return getattr(self.tx, "connection", self.tx)

    def rebind(self, binder: str, group: object) -> None:
        """Re-bind ``group`` of ``binder`` (``app.services.data_binding``) after a state
        change: its rows' hashes, as they are then, go into this use case's next audit
        entry, or into a ``data.rebind`` entry at the end if none follows."""
        self._rebind[(binder, str(group))] = None

    def _bound(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        for noted in rebind_notes.take(self._connection):  # the repositories' state changes
            self._rebind[noted] = None
        if not self._rebind:
            return dict(payload)
        extra = bindings(self.tx, *self._rebind)
        self._rebind.clear()
        bound = {name: dict(groups) for name, groups in payload.get(BOUND, {}).items()}
        for name, groups in extra.items():
            bound.setdefault(name, {}).update(groups)
        return {**payload, BOUND: bound}

    def finish(self) -> None:
        """Before COMMIT: state changes no entry re-bound get their own entry."""
        for noted in rebind_notes.take(self._connection):
            self._rebind[noted] = None
        if self._rebind:
            self.audit("system:desk", "data.rebind", {}, enforce=False)

    def audit(
        self,
        actor: str,
        action: str,
        payload: Mapping[str, Any],
        *,
        enforce: bool = True,
        session: session_guard.LiveSession | None = None,
    ) -> AuditRow:
        """Record ``action`` by ``actor`` in the audit log, in this transaction.

        In an officer's name this first requires that officer's live session
        (a typed :class:`app.services.signin_errors.SigninError` otherwise);
        ``enforce=False`` is only for the desk undoing a half-done act (an
        aborted signing) and the sign-in itself, which passes its new ``session``.
        """
        officer = session_guard.officer_of(actor)
        if session is not None:
            attribution = session.attribution()
        else:
            if officer is not None and enforce:
                session_guard.require(self.tx, self._sessions, officer, self.now)
            attribution = session_guard.attribution(self._sessions, actor, self._workstation)
        row = append_entry(
            self.tx,
            actor=actor,
            action=action,
            payload={**self._bound(payload), "session": attribution},
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
    sessions = session_guard.snapshot(store)
    with store.transaction() as tx:
        now = clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the clock must return UTC-aware times")
        now = now.astimezone(UTC)  # an aware local time is stored as the same instant in UTC
        uow = UnitOfWork(tx, now, checkpoint_every, sessions, _workstation())
        yield uow
        uow.finish()


def _workstation() -> str:
    from app.services.workstation import WorkstationIdError, workstation_id

    try:
        return workstation_id()
    except WorkstationIdError:
        return "unknown"
