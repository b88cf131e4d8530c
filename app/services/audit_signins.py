"""Every act in an officer's name rests on a sign-in the officer's own device signed.

The live check (:mod:`app.services.session_guard`) refuses an act without a session
*when it is done*. This is the same rule checked *afterwards*, from the trail alone,
so that a session row forged with write access to the store, or entries appended in
an officer's name with the desk's own hashing functions, are reported by
``audit verify``:

* every ``officer.signin`` entry carries the ``CDESK-SIGNIN/1`` line and the device's
  signature; the line must parse, name the entry's officer, have been completed before
  it expired, and verify under the officer's registered key (the ``officers`` row,
  itself bound to the trail by :mod:`app.services.data_binding`);
* every other entry by ``officer:NAME`` records the session it rests on; that session's
  nonce must be one of NAME's verified sign-ins *earlier* in the trail, and the entry
  must fall before that session's expiry (the desk's own undo of a half-done act —
  ``*.prepare_failed`` / ``*.sign_failed`` — is recorded even after expiry or
  sign-out, and changes nothing but a draft's status).

Entries in an officer's name from before the trail's first sign-in are stores made
before sign-in existed (issue 13); they are counted and named in the detail, never
silently passed: after the first sign-in every officer act must rest on one.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.documents.keys import key_id_for
from app.documents.signatures import verify_message
from app.domain.signin import ChallengeFormatError, parse_challenge
from app.services.audit_log import entry_payload
from app.services.session_guard import OFFICER_ACTOR
from app.store.records import AuditRow

SIGNIN_ACTION = "officer.signin"
# The desk undoing a half-done act in the officer's name (recorded even after expiry).
_UNDO_SUFFIXES = (".prepare_failed", ".sign_failed")


@dataclass(frozen=True, slots=True)
class _Signin:
    officer: str
    expires_at: datetime


@dataclass(slots=True)
class SigninAudit:
    """What the check found: problems (one line each) and counts for the report."""

    problems: list[str] = field(default_factory=list)
    signins: int = 0
    acts: int = 0
    before_signin: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def detail(self) -> str:
        if self.problems:
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            return self.problems[0] + more
        text = (
            f"{self.signins} sign-in(s) verify under their officers' registered keys; "
            f"{self.acts} officer act(s) rest on one"
        )
        if self.before_signin:
            text += (
                f"; {self.before_signin} officer entr(ies) predate the trail's first sign-in "
                "(a store from before sign-in)"
            )
        return text


def check_signins(entries: Iterable[AuditRow], officer_pubkeys: Iterable[bytes]) -> SigninAudit:
    """Check the trail's sign-ins and the officer acts resting on them (see module doc).

    ``officer_pubkeys`` are the registered officer keys (active or not): a sign-in
    names its key by id, and an officer revoked later still signed in validly before.
    """
    keys = {key_id_for(pubkey): pubkey for pubkey in officer_pubkeys}
    audit = SigninAudit()
    signins: dict[str, _Signin] = {}  # nonce -> verified sign-in, in trail order
    seen_signin = False  # after the trail's first sign-in, every officer act needs one
    for entry in entries:
        if not entry.actor.startswith(OFFICER_ACTOR):
            continue
        officer = entry.actor[len(OFFICER_ACTOR):]
        payload = entry_payload(entry)
        where = f"entry #{entry.seq} ({entry.action} by {officer})"
        if entry.action == SIGNIN_ACTION:
            seen_signin = True
            verified = _verified_signin(payload, officer, entry.time, keys)
            if isinstance(verified, str):
                audit.problems.append(f"{where}: {verified}")
            else:
                signins[verified[0]] = verified[1]
                audit.signins += 1
            continue
        problem = _act_problem(payload.get("session"), officer, entry, signins, seen_signin)
        if problem == _BEFORE_SIGNIN:
            audit.before_signin += 1
        elif problem:
            audit.problems.append(f"{where} {problem}")
        else:
            audit.acts += 1
    return audit


_BEFORE_SIGNIN = "before sign-in"


def _act_problem(
    session: object, officer: str, entry: AuditRow, signins: dict[str, _Signin], seen: bool
) -> str:
    """Why an officer act does not rest on a verified, unexpired sign-in ("" if it does)."""
    undo = entry.action.endswith(_UNDO_SUFFIXES)
    if not isinstance(session, dict) or session.get("nonce") is None:
        if undo:  # the desk rolling back a half-done act, whoever is still signed in
            return ""
        return "rests on no sign-in" if seen else _BEFORE_SIGNIN
    nonce = str(session["nonce"])
    opened = signins.get(nonce)
    if opened is None:
        return (
            f"names sign-in nonce {nonce}, which no verified sign-in earlier in the trail "
            "opened"
        )
    if opened.officer != officer or session.get("officer") != officer:
        return f"rests on {opened.officer}'s sign-in"
    if entry.time > opened.expires_at and not undo:
        return (
            f"at {entry.time.isoformat()} is after its session expired at "
            f"{opened.expires_at.isoformat()}"
        )
    return ""


def _verified_signin(
    payload: dict[str, Any], officer: str, at: datetime, keys: dict[str, bytes]
) -> tuple[str, _Signin] | str:
    """The sign-in's nonce and session, or why the record does not prove one."""
    statement = payload.get("statement")
    try:
        challenge = parse_challenge(statement if isinstance(statement, str) else "")
        signature = base64.b64decode(str(payload.get("signature", "")), validate=True)
        expires_at = datetime.fromisoformat(str(payload.get("expires_at", "")))
    except (ChallengeFormatError, binascii.Error, ValueError) as exc:
        return f"the sign-in record is unreadable ({exc})"
    if challenge.officer != officer:
        return f"the signed challenge names {challenge.officer}"
    if at >= challenge.expires_at:
        return "completed after its challenge expired"
    pubkey = keys.get(str(payload.get("key_id")))
    if pubkey is None or not verify_message(pubkey, challenge.render(), signature):
        return f"the challenge's signature does not verify under {officer}'s registered key"
    if expires_at.utcoffset() is None:
        return "the session expiry is not a UTC time"
    return challenge.nonce, _Signin(officer, expires_at)


__all__ = ["SIGNIN_ACTION", "SigninAudit", "check_signins"]
