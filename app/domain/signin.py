"""The sign-in challenge: one line an officer's own device shows in full and signs.

Format (a contract: testers and outside verifiers parse it)::

    CDESK-SIGNIN/1 cust=<custodian id> officer=<name> ws=<workstation id> nonce=<hex> exp=<UTC>

Fields are separated by one space, in this order, each ``key=value`` with a value
of printable ASCII and no spaces; ``nonce`` is 32 lowercase hex digits (to a
verifier, opaque: the desk makes it 64 random bits and a 64-bit tag that proves it
issued the line, ``app.services.signin``) and ``exp`` is ``YYYY-MM-DDTHH:MM:SSZ``.
:func:`parse_challenge` accepts exactly what :meth:`SigninChallenge.render` produces
and nothing else, so an altered line never parses into a different challenge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from app.domain.utc import require_utc

PREFIX = "CDESK-SIGNIN/1"
NONCE_HEX_DIGITS = 32
_VALUE = r"[!-~]+"  # printable ASCII, no space
_PATTERN = re.compile(
    rf"^{re.escape(PREFIX)} cust=(?P<cust>{_VALUE}) officer=(?P<officer>{_VALUE}) "
    rf"ws=(?P<ws>{_VALUE}) nonce=(?P<nonce>[0-9a-f]{{{NONCE_HEX_DIGITS}}}) "
    r"exp=(?P<exp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$"
)
_VALUE_RE = re.compile(rf"^{_VALUE}$")


class ChallengeFormatError(ValueError):
    """The text is not a well-formed ``CDESK-SIGNIN/1`` challenge."""


@dataclass(frozen=True, slots=True)
class SigninChallenge:
    """What the officer's device signs to open a session on one workstation."""

    custodian_id: str
    officer: str
    workstation_id: str
    nonce: str
    expires_at: datetime

    def __post_init__(self) -> None:
        for name, value in (
            ("custodian id", self.custodian_id),
            ("officer", self.officer),
            ("workstation id", self.workstation_id),
        ):
            if not _VALUE_RE.match(value) or "=" in value:
                raise ChallengeFormatError(
                    f"{name} {value!r} cannot go in a sign-in challenge (printable ASCII, "
                    "no spaces or '=')"
                )
        if not re.fullmatch(f"[0-9a-f]{{{NONCE_HEX_DIGITS}}}", self.nonce):
            raise ChallengeFormatError("the nonce must be 32 lowercase hex digits")
        expires = require_utc(self.expires_at, "expires_at")
        if expires.microsecond:
            raise ChallengeFormatError("the expiry is whole seconds")
        object.__setattr__(self, "expires_at", expires)

    def render(self) -> str:
        """The exact line the device shows and signs."""
        exp = self.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{PREFIX} cust={self.custodian_id} officer={self.officer} "
            f"ws={self.workstation_id} nonce={self.nonce} exp={exp}"
        )


def parse_challenge(text: str) -> SigninChallenge:
    """The challenge ``text`` renders; raises :class:`ChallengeFormatError` otherwise."""
    match = _PATTERN.match(text)
    if match is None:
        raise ChallengeFormatError(f"not a {PREFIX} challenge: {text[:80]!r}")
    try:
        expires = datetime.strptime(match["exp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ChallengeFormatError(f"bad expiry {match['exp']!r}") from exc
    challenge = SigninChallenge(
        custodian_id=match["cust"],
        officer=match["officer"],
        workstation_id=match["ws"],
        nonce=match["nonce"],
        expires_at=expires,
    )
    if challenge.render() != text:  # one text, one challenge
        raise ChallengeFormatError("the challenge is not in canonical form")
    return challenge


__all__ = ["PREFIX", "ChallengeFormatError", "SigninChallenge", "parse_challenge"]
