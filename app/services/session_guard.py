"""Which officers are signed in for a store in this process, and the check every act makes.

A sign-in (:mod:`app.services.signin`) or a resumed CLI session *binds* a
:class:`LiveSession` to the store object. :class:`app.services.unit_of_work.UnitOfWork`
then refuses any audit entry in an officer's name (actor ``officer:NAME``) unless
that officer has a bound session that is, in the same transaction, still open,
unexpired, and rests on an active officer whose key is not revoked: the refusal
rolls the whole use case back, so nothing is done in the officer's name.

Every audit entry records the session it rests on (``"session"`` in its payload):
the officer, the workstation id, the sign-in (``si-<id>``) and its nonce; an entry
made by the desk itself (``desk``, ``exchange``, ``cli:<user>``) records the
workstation and the one officer signed in, if any.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.services.signin_errors import (
    KeyRevoked,
    NotSignedIn,
    OfficerRevoked,
    SessionExpired,
    SessionLocked,
    SignedOut,
    signin_hint,
)
from app.store.interface import Store, Transaction
from app.store.repo_signin import SqliteSigninRepository

OFFICER_ACTOR = "officer:"


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A verified session: who, on which workstation, resting on which sign-in."""

    session_id: int
    officer: str
    officer_id: int
    pubkey: bytes
    key_id: str
    workstation_id: str
    os_user: str
    nonce: str
    opened_at: datetime
    expires_at: datetime

    @property
    def signin_ref(self) -> str:
        return f"si-{self.session_id}"

    def attribution(self) -> dict[str, Any]:
        return {
            "officer": self.officer,
            "workstation": self.workstation_id,
            "signin": self.signin_ref,
            "nonce": self.nonce,
        }


_bindings: weakref.WeakKeyDictionary[Any, dict[str, LiveSession]] = weakref.WeakKeyDictionary()


def bind(store: Store, session: LiveSession) -> None:
    """``session``'s officer may act on ``store`` from now on (in this process)."""
    _bindings.setdefault(store, {})[session.officer] = session


def unbind(store: Store, officer: str | None = None) -> None:
    """Forget ``officer``'s session (every session when ``officer`` is None)."""
    bound = _bindings.get(store)
    if bound is None:
        return
    if officer is None:
        bound.clear()
    else:
        bound.pop(officer, None)


def bound_sessions(store: Store) -> list[LiveSession]:
    return list(_bindings.get(store, {}).values())


def session_for(store: Store, officer: str) -> LiveSession | None:
    return _bindings.get(store, {}).get(officer)


def officer_of(actor: str) -> str | None:
    """``officer:alice`` -> ``alice``; None for an actor that is not an officer."""
    return actor[len(OFFICER_ACTOR):] if actor.startswith(OFFICER_ACTOR) else None


def check_live(tx: Transaction, session: LiveSession, now: datetime) -> None:
    """Raise the one typed refusal if ``session`` cannot be acted on at ``now``."""
    # local import: officers' repository module is heavier and not needed to bind
    from app.store.repo_desk import SqliteDeskRepository

    repo = tx.repository(SqliteSigninRepository)  # type: ignore[attr-defined]
    row = repo.session(session.session_id)
    hint = signin_hint(session.officer)
    if row is None:
        raise NotSignedIn(f"{session.officer} has no session on this desk: run `{hint}`")
    if row.ended_at is not None:
        if row.end_reason == "lock":
            raise SessionLocked(f"{session.officer}'s session was locked: run `{hint}`")
        if row.end_reason == "signout":
            raise SignedOut(f"{session.officer} signed out: run `{hint}`")
        raise NotSignedIn(f"{session.officer}'s session ended ({row.end_reason}): run `{hint}`")
    if now >= row.expires_at:
        raise SessionExpired(f"{session.officer}'s session expired: run `{hint}`")
    desk = tx.repository(SqliteDeskRepository)  # type: ignore[attr-defined]
    officer = desk.officer_by_id(row.officer_id)
    replaced = officer is not None and officer.pubkey != session.pubkey
    if repo.key_revoked(session.pubkey) or replaced:
        raise KeyRevoked(f"{session.officer}'s key {session.key_id} was revoked")
    if officer is None or not officer.active:
        raise OfficerRevoked(f"officer {session.officer} is no longer active")


def require(
    tx: Transaction, sessions: dict[str, LiveSession], officer: str, now: datetime
) -> LiveSession:
    """The live session acting for ``officer``, or the typed refusal naming the command."""
    session = sessions.get(officer)
    if session is None:
        raise NotSignedIn(
            f"{officer} is not signed in on this workstation: run `{signin_hint(officer)}`"
        )
    check_live(tx, session, now)
    return session


def attribution(
    sessions: dict[str, LiveSession], actor: str, workstation: str
) -> dict[str, Any]:
    """What an entry by ``actor`` records about the sign-in it rests on."""
    officer = officer_of(actor)
    session = sessions.get(officer) if officer is not None else None
    if session is None and officer is None and len(sessions) == 1:
        session = next(iter(sessions.values()))
    if session is not None:
        return session.attribution()
    return {"officer": None, "workstation": workstation, "signin": None, "nonce": None}


def snapshot(store: Store) -> dict[str, LiveSession]:
    """The sessions bound to ``store`` now (a copy: a use case sees one set)."""
    return dict(_bindings.get(store, {}))
