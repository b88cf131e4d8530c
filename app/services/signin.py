"""Officer sign-in: a one-time challenge approved on the officer's own device opens a session.

Flow (the same for the window and ``custody-desk signin``)::

    service = SigninService(store)
    opened = await service.sign_in("alice", "trezor:udp:127.0.0.1:21324", interaction)
    # = issue_challenge("alice") -> the device shows and signs the line -> complete(...)
    service.sign_out(opened.live)

:meth:`SigninService.issue_challenge` makes a ``CDESK-SIGNIN/1`` line
(:mod:`app.domain.signin`) for one active officer and this workstation, expiring a
few minutes out. Nothing is written: the nonce (128 bits) is 64 random bits and a
64-bit HMAC-SHA-256 tag over the whole line under a key this process draws at
start and never stores (:func:`challenge_tag`), so only this process can issue a
line it will accept. :meth:`SigninService.complete` accepts a signature over such
a line once: the tag must verify, the line must name this workstation and this
custodian and not be past its expiry, the signature must verify against the
officer's registered key, the officer must be active and the key unrevoked, and
the nonce is inserted into ``signin_challenges`` (primary key: the first
transaction wins, in any process, on either backend) in the one durable
transaction that also opens the session and writes its audit entry. The session
lasts ``signin.session_hours`` (default 8 h) and is bound to the store in this
process; its secret (32 random bytes) is returned to the caller, and the store
keeps only SHA-256 of it bound to the workstation id and the OS user, so a copied
secret is useless on another workstation, for another user, after sign-out or
after expiry.

Trade-off (documented in docs/performance.md): a challenge is completed by the
process that issued it (as ``sign_in`` always does); a line issued by another
process, or before a restart, is refused as not issued here. Abandoned
challenges leave no row (the audit log never recorded them either).
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from app.documents.keys import key_id_for
from app.documents.signatures import verify_message
from app.domain.signin import PREFIX, ChallengeFormatError, SigninChallenge, parse_challenge
from app.services import session_guard
from app.services.desk_identity import desk_identity_in
from app.services.device_access import SignerFactory, sign_on_device
from app.services.session_guard import LiveSession
from app.services.signed_commit import commit_signed
from app.services.signin_errors import (
    ChallengeAltered,
    ChallengeExpired,
    ChallengeReplayed,
    KeyRevoked,
    NotSignedIn,
    OfficerRevoked,
    SessionInvalid,
    SignatureRejected,
)
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.services.workstation import workstation_id
from app.store.interface import Store, Transaction
from app.store.repo_desk import OfficerRecord, SqliteDeskRepository
from app.store.repo_signin import ChallengeRecord, SessionRecord, SqliteSigninRepository
from signing.interface import Interaction

logger = logging.getLogger(__name__)

CHALLENGE_TTL = timedelta(minutes=5)
SESSION_HOURS_SETTING = "signin.session_hours"
DEFAULT_SESSION_HOURS = 8
IDLE_LOCK_SETTING = "signin.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 15


def os_user() -> str:
    """The login name of whoever runs the desk."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


def secret_digest(secret: bytes, workstation: str, user: str) -> str:
    """What the store keeps of a session secret: bound to the workstation and OS user."""
    material = b"\x00".join(
        (b"CDESK-SESSION/1", workstation.encode(), user.encode(), secret)
    )
    return hashlib.sha256(material).hexdigest()


def _int_setting(tx: Transaction, key: str, default: int) -> int:
    raw = tx.settings.get(key)
    try:
        value = int(raw) if raw else default
    except ValueError:
        logger.warning("setting %s=%r is not a whole number; using %d", key, raw, default)
        return default
    return value if value > 0 else default


def session_length(store: Store) -> timedelta:
    """How long a session lasts (setting ``signin.session_hours``, default 8)."""
    with store.read() as tx:
        return _session_length_in(tx)


def _session_length_in(tx: Transaction) -> timedelta:
    return timedelta(hours=_int_setting(tx, SESSION_HOURS_SETTING, DEFAULT_SESSION_HOURS))


def idle_lock_after(store: Store) -> timedelta:
    """Idle time after which the window locks (``signin.idle_lock_minutes``, default 15)."""
    with store.read() as tx:
        minutes = _int_setting(tx, IDLE_LOCK_SETTING, DEFAULT_IDLE_LOCK_MINUTES)
    return timedelta(minutes=minutes)


#: This process's challenge key: drawn at start, never written anywhere.
_CHALLENGE_KEY = secrets.token_bytes(32)
_RANDOM_BYTES = 8  # the nonce's first 16 hex digits; the tag is the other 16


def challenge_tag(custodian: str, officer: str, workstation: str, random_hex: str,
                  expires: str) -> str:
    """The nonce's second half: HMAC-SHA-256 under this process's key, 64 bits, hex.

    It covers every field of the line (the nonce's random half included), so a
    line this process did not issue, or one with any field changed, fails it.
    """
    material = b"\x00".join(
        part.encode("ascii")
        for part in (PREFIX, custodian, officer, workstation, random_hex, expires)
    )
    return hmac.new(_CHALLENGE_KEY, material, hashlib.sha256).hexdigest()[: 2 * _RANDOM_BYTES]


def _issued_here(challenge: SigninChallenge) -> bool:
    half = 2 * _RANDOM_BYTES
    expected = challenge_tag(
        challenge.custodian_id, challenge.officer, challenge.workstation_id,
        challenge.nonce[:half], challenge.render().rsplit("exp=", 1)[1],
    )
    return hmac.compare_digest(expected, challenge.nonce[half:])


@dataclass(frozen=True)
class OpenedSession:
    """A session just opened: the live session and the secret only its holder keeps."""

    live: LiveSession
    secret: bytes


def _refuse_revoked(repo: SqliteSigninRepository, officer: OfficerRecord | None, name: str) -> None:
    if officer is not None and repo.key_revoked(officer.pubkey):
        raise KeyRevoked(f"{name}'s key {key_id_for(officer.pubkey)} was revoked")
    if officer is None or not officer.active:
        raise OfficerRevoked(f"no active officer named {name}")


def _repos(tx: object) -> tuple[SqliteSigninRepository, SqliteDeskRepository]:
    return (
        tx.repository(SqliteSigninRepository),  # type: ignore[attr-defined]
        tx.repository(SqliteDeskRepository),  # type: ignore[attr-defined]
    )


class SigninService:
    """Issue and verify sign-in challenges; open, resume and end sessions."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = utc_now,
        signer_factory: SignerFactory | None = None,
        workstation: str | None = None,
        user: str | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._signer_factory = signer_factory
        self.workstation = workstation or workstation_id()
        self.user = user or os_user()

    # -- sign-in --------------------------------------------------------------------

    def issue_challenge(self, officer: str) -> SigninChallenge:
        """A fresh one-time challenge for ``officer`` on this workstation (nothing stored)."""
        return self._issue(officer)[0]

    def _issue(self, officer: str) -> tuple[SigninChallenge, OfficerRecord]:
        with self._store.read() as tx:
            signin, desk = _repos(tx)
            custodian = desk_identity_in(tx).custodian_id
            record = desk.officer_by_name(officer)
            _refuse_revoked(signin, record, officer)
        assert record is not None
        now = self._clock()
        expires = (now + CHALLENGE_TTL).replace(microsecond=0)
        random_hex = secrets.token_hex(_RANDOM_BYTES)
        exp_text = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            challenge = SigninChallenge(
                custodian_id=custodian,
                officer=officer,
                workstation_id=self.workstation,
                nonce=random_hex
                + challenge_tag(custodian, officer, self.workstation, random_hex, exp_text),
                expires_at=expires,
            )
        except ChallengeFormatError as exc:
            raise OfficerRevoked(f"{officer} cannot sign in: {exc}") from exc
        return challenge, record

    def complete(self, statement: str, signature: bytes) -> OpenedSession:
        """Open a session from a signed challenge, or raise the one typed refusal."""
        return self._complete(statement, signature, verified_by=None)

    def _complete(
        self,
        statement: str,
        signature: bytes,
        *,
        verified_by: bytes | None,
        secret: bytes | None = None,
    ) -> OpenedSession:
        """``verified_by``: the key ``signature`` was already verified against (sign_in's
        device check); the signature is verified again unless it is the registered key.
        ``secret`` (new random bytes by default) is the session's secret: a caller that
        retries across an outage passes the same one to every try, so a try whose
        commit answer was lost is found again (:meth:`_opened_by`)."""
        try:
            challenge = parse_challenge(statement)
        except ChallengeFormatError as exc:
            raise ChallengeAltered(f"not a sign-in challenge this desk issued: {exc}") from exc
        if not _issued_here(challenge):
            raise ChallengeAltered(
                "the signed text is not a challenge this desk issued (or it was altered)"
            )
        if challenge.workstation_id != self.workstation:
            raise ChallengeAltered(
                f"the challenge was issued for workstation {challenge.workstation_id}, "
                f"this is {self.workstation}"
            )
        with unit_of_work(self._store, clock=self._clock) as uow:
            signin, desk = _repos(uow.tx)
            if challenge.custodian_id != desk_identity_in(uow.tx).custodian_id:
                raise ChallengeAltered("the challenge names another custodian")
            if uow.now >= challenge.expires_at:
                raise ChallengeExpired(
                    f"the challenge expired at {statement.rsplit('exp=', 1)[1]}: sign in again"
                )
            if signin.challenge(challenge.nonce) is not None:
                raise ChallengeReplayed(f"challenge nonce {challenge.nonce} was already used")
            officer = desk.officer_by_name(challenge.officer)
            _refuse_revoked(signin, officer, challenge.officer)
            assert officer is not None
            if verified_by != officer.pubkey and not verify_message(
                officer.pubkey, statement, signature
            ):
                raise SignatureRejected(
                    f"the signature does not verify against {officer.name}'s registered key"
                )
            used = ChallengeRecord(
                nonce=challenge.nonce,
                officer_id=officer.id,
                workstation_id=self.workstation,
                statement=statement,
                issued_at=challenge.expires_at - CHALLENGE_TTL,
                expires_at=challenge.expires_at,
                used_at=uow.now,
            )
            if not signin.use_nonce(used):  # another transaction used it meanwhile
                raise ChallengeReplayed(f"challenge nonce {challenge.nonce} was already used")
            for old in signin.open_sessions(self.workstation, self.user):
                if old.officer_id == officer.id:  # one session per officer, user, workstation
                    signin.end_session(old.id, uow.now, "replaced")
            if secret is None:
                secret = secrets.token_bytes(32)
            expires = uow.now + _session_length_in(uow.tx)
            key_id = key_id_for(officer.pubkey)
            signature_b64 = base64.b64encode(signature).decode("ascii")
            session_id = signin.add_session(
                SessionRecord(
                    id=0,
                    officer_id=officer.id,
                    workstation_id=self.workstation,
                    os_user=self.user,
                    nonce=challenge.nonce,
                    key_id=key_id,
                    signature_b64=signature_b64,
                    secret_sha256=secret_digest(secret, self.workstation, self.user),
                    opened_at=uow.now,
                    expires_at=expires,
                    ended_at=None,
                    end_reason=None,
                )
            )
            live = LiveSession(
                session_id=session_id,
                officer=officer.name,
                officer_id=officer.id,
                pubkey=officer.pubkey,
                key_id=key_id,
                workstation_id=self.workstation,
                os_user=self.user,
                nonce=challenge.nonce,
                opened_at=uow.now,
                expires_at=expires,
            )
            uow.audit(
                f"officer:{officer.name}",
                "officer.signin",
                {
                    "key_id": key_id,
                    "os_user": self.user,
                    "statement": statement,
                    "signature": signature_b64,
                    "expires_at": expires.isoformat(),
                },
                session=live,
            )
        session_guard.bind(self._store, live)
        logger.info("%s signed in on %s until %s", officer.name, self.workstation, expires)
        return OpenedSession(live, secret)

    async def sign_in(self, officer: str, uri: str, interaction: Interaction) -> OpenedSession:
        """Issue a challenge, have ``officer``'s own device at ``uri`` sign it, open a session.

        A device without the officer's registered key is refused (``WrongDevice``)
        before it signs anything.
        """
        challenge, record = self._issue(officer)
        statement = challenge.render()
        made = await sign_on_device(
            uri,
            record.path,
            statement,
            interaction,
            expected_pubkey=record.pubkey,
            signer_factory=self._signer_factory,
        )
        # sign_on_device verified the signature against record.pubkey; _complete
        # verifies again only if the officer's registered key changed meanwhile.
        # The device has signed: kept across an outage and stored exactly once.
        secret = secrets.token_bytes(32)
        return await commit_signed(
            f"{officer}'s sign-in",
            lambda: self._complete(
                statement, made.signature, verified_by=made.pubkey, secret=secret
            ),
            already=lambda: self._opened_by(challenge.nonce, secret),
            keep=False,  # a session opened later would be one the window never holds
        )

    def _opened_by(self, nonce: str, secret: bytes) -> OpenedSession | None:
        """The session an earlier try opened from ``nonce`` with ``secret``, if it did."""
        digest = secret_digest(secret, self.workstation, self.user)
        with self._store.read() as tx:
            rows = _repos(tx)[0].open_sessions(self.workstation, self.user)
        row = next((r for r in rows if r.nonce == nonce and r.secret_sha256 == digest), None)
        if row is None:
            return None
        return OpenedSession(self.resume(row.id, secret), secret)

    # -- sessions ---------------------------------------------------------------------

    def resume(self, session_id: int, secret: bytes, *, check: bool = True) -> LiveSession:
        """The live session ``session_id`` if ``secret`` is its own on this workstation
        and user (bound to the store), else the typed refusal. ``check=False`` only
        proves the secret (to sign out of an expired or revoked session)."""
        now = self._clock()
        with self._store.read() as tx:
            signin, desk = _repos(tx)
            row = signin.session(session_id)
            if row is None:
                raise NotSignedIn("no such session on this desk: run `custody-desk signin`")
            if row.secret_sha256 != secret_digest(secret, self.workstation, self.user):
                raise SessionInvalid(
                    "the session file does not belong to this workstation and user: "
                    "run `custody-desk signin`"
                )
            officer = desk.officer_by_id(row.officer_id)
            live = LiveSession(
                session_id=row.id,
                officer=officer.name if officer else "?",
                officer_id=row.officer_id,
                pubkey=officer.pubkey if officer else b"",
                key_id=row.key_id,
                workstation_id=row.workstation_id,
                os_user=row.os_user,
                nonce=row.nonce,
                opened_at=row.opened_at,
                expires_at=row.expires_at,
            )
            if check:
                session_guard.check_live(tx, live, now)
        if check:
            session_guard.bind(self._store, live)
        return live

    def end(self, live: LiveSession, reason: str = "signout") -> bool:
        """End ``live`` (``signout`` or ``lock``); True if it was still open. Audited."""
        with unit_of_work(self._store, clock=self._clock) as uow:
            signin, _ = _repos(uow.tx)
            ended = signin.end_session(live.session_id, uow.now, reason)
            if ended:
                action = "officer.lock" if reason == "lock" else "officer.signout"
                uow.audit(f"officer:{live.officer}", action, {"reason": reason}, session=live)
        session_guard.unbind(self._store, live.officer)
        return ended


__all__ = [
    "CHALLENGE_TTL",
    "DEFAULT_IDLE_LOCK_MINUTES",
    "DEFAULT_SESSION_HOURS",
    "IDLE_LOCK_SETTING",
    "SESSION_HOURS_SETTING",
    "OpenedSession",
    "SigninService",
    "challenge_tag",
    "idle_lock_after",
    "os_user",
    "secret_digest",
    "session_length",
]
