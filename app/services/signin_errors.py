"""The typed refusals of sign-in and of acting in an officer's name without a live session.

Every refusal is exactly one of these (each a :class:`SigninError`); whatever
raised it, nothing was done in the officer's name. A device that does not hold
the officer's registered key is refused by the signing library's own
``signing.errors.WrongDevice`` before anything is signed.
"""

from __future__ import annotations

SIGNIN_HINT = "custody-desk signin --officer {officer} --device URI"


class SigninError(Exception):
    """A sign-in was refused, or an act needs a live session it does not have."""


class ChallengeAltered(SigninError):
    """The signed text is not the challenge the desk issued (edited, or never issued here)."""


class ChallengeReplayed(SigninError):
    """The challenge's nonce was already used to sign in."""


class ChallengeExpired(SigninError):
    """The challenge's ``exp`` has passed."""


class SignatureRejected(SigninError):
    """The signature does not verify against the officer's registered key."""


class OfficerRevoked(SigninError):
    """The officer is unknown or no longer active."""


class KeyRevoked(SigninError):
    """The officer's registered key was revoked."""


class NotSignedIn(SigninError):
    """No live session for this officer on this workstation."""


class OfficerMismatch(NotSignedIn):
    """``--officer`` names someone other than the signed-in officer."""


class SessionExpired(NotSignedIn):
    """The session's time is up; sign in again."""


class SignedOut(NotSignedIn):
    """The session was ended by signing out."""


class SessionLocked(NotSignedIn):
    """The window was locked (by hand or after being idle); sign in again."""


class SessionInvalid(NotSignedIn):
    """The session secret does not match (another workstation, user, or a tampered file)."""


def signin_hint(officer: str | None) -> str:
    """The command to run, naming the officer when known."""
    return SIGNIN_HINT.format(officer=officer or "NAME")


__all__ = [
    "ChallengeAltered",
    "ChallengeExpired",
    "ChallengeReplayed",
    "KeyRevoked",
    "NotSignedIn",
    "OfficerMismatch",
    "OfficerRevoked",
    "SessionExpired",
    "SessionInvalid",
    "SessionLocked",
    "SignatureRejected",
    "SignedOut",
    "SigninError",
    "signin_hint",
]
