"""Emergency 2-of-3 unfreeze policy.

An :class:`UnfreezeOrder` names the client, every asset with its quantity, a reason, its creation
time and an expiry exactly 48 hours later, the environment and the exchange.
Three parties (regulator, custodian, exchange) hold registered public keys.
The order is executable only with valid signatures, over the order's canonical
statement text (``app.domain.statement.UnfreezeStatement``), from two distinct
parties, before expiry; it executes exactly once.

Counting rules, each a deliberate refusal:

* a signature counts only if its key is registered *for the party it claims*
  (a key registered for one party never counts for another, and a key may be
  registered for one party only);
* the same key twice, or two keys of the same party, count as one party;
* a signature that does not verify, or whose verifier raises, counts for nothing.

Signature checking is injected as ``verify(pubkey, text, signature) -> bool``
(``signing.verify.verify_message_pubkey`` in the desk), so this module imports
no device code. The store persists orders, signatures and the execution; the
functions here are pure and :class:`EmergencyUnfreeze` rebuilds from them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from app.domain.parties import Party as Party  # noqa: PLC0414 (explicit re-export)
from app.domain.statement import (
    Environment,
    StatementError,
    UnfreezeStatement,
    UnfreezeStatementV3,
)

log = logging.getLogger(__name__)

EMERGENCY_WINDOW = timedelta(hours=48)
QUORUM = 2

Verifier = Callable[[bytes, str, bytes], bool]


class MultisigError(ValueError):
    """Base of the emergency-unfreeze errors."""


class OrderExpired(MultisigError):
    """The order's 48-hour window has closed."""


class QuorumNotReached(MultisigError):
    """Fewer than two distinct parties have valid signatures."""


class AlreadyExecuted(MultisigError):
    """The order has been executed; it never executes twice."""


@dataclass(frozen=True)
class PartyKey:
    """One registered emergency key."""

    party: Party
    pubkey: bytes


@dataclass(frozen=True)
class PartyKeys:
    """The registered keys; a key belongs to exactly one party."""

    keys: tuple[PartyKey, ...]

    def __post_init__(self) -> None:
        owner: dict[bytes, Party] = {}
        for key in self.keys:
            if not isinstance(key.party, Party):
                raise MultisigError(f"unknown party {key.party!r}")
            if not key.pubkey:
                raise MultisigError("empty public key")
            seen = owner.setdefault(bytes(key.pubkey), key.party)
            if seen is not key.party:
                raise MultisigError(
                    f"key {key.pubkey.hex()[:16]}... is registered for both {seen} and {key.party}"
                )

    def party_of(self, pubkey: bytes) -> Party | None:
        for key in self.keys:
            if key.pubkey == pubkey:
                return key.party
        return None


@dataclass(frozen=True)
class UnfreezeOrder:
    """An emergency unfreeze order; its statement text is what every party signs.

    ``body_digest`` is the SHA-256 of the order's canonical document body
    (computed by ``app.documents``); the statement carries it, so the reason
    and every other body field are bound by the same signatures.
    """

    order_id: str
    client_id: str
    assets: tuple[tuple[str, Decimal], ...]  # (code, quantity), codes ascending
    reason: str
    created_at: datetime
    expires_at: datetime
    env: Environment
    exchange: str
    custodian: str
    body_digest: bytes
    tx_prefix: bytes | None = None  # first 8 bytes of an on-chain order's transaction hash
    statement_version: int = UnfreezeStatementV3.VERSION  # 2 only for orders signed so

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise MultisigError("an unfreeze order needs a reason")
        if self.expires_at - self.created_at != EMERGENCY_WINDOW:
            raise MultisigError("an unfreeze order expires exactly 48 hours after creation")
        try:
            self.statement()
        except StatementError as exc:
            raise MultisigError(f"order cannot be stated: {exc}") from None

    @classmethod
    def create(
        cls,
        *,
        order_id: str,
        client_id: str,
        assets: Mapping[str, Decimal],
        reason: str,
        created_at: datetime,
        env: Environment,
        exchange: str,
        custodian: str,
        body_digest: bytes,
        tx_prefix: bytes | None = None,
        statement_version: int = UnfreezeStatementV3.VERSION,
    ) -> UnfreezeOrder:
        """A new order expiring :data:`EMERGENCY_WINDOW` after ``created_at``.

        ``created_at`` is floored to whole seconds: the signed text carries seconds.
        """
        created = created_at.replace(microsecond=0)
        return cls(order_id, client_id, tuple(sorted(assets.items())), reason, created,
                   created + EMERGENCY_WINDOW, env, exchange, custodian, body_digest, tx_prefix,
                   statement_version)

    def statement(self) -> UnfreezeStatement:
        """Format 3 (the reason shown on the device); format 2 for orders signed in it."""
        if self.statement_version == UnfreezeStatement.VERSION:
            return UnfreezeStatement(
                custodian=self.custodian, exchange=self.exchange, env=self.env,
                order_id=self.order_id, client_id=self.client_id, assets=self.assets,
                expires_at=self.expires_at, body_digest=self.body_digest,
                tx_prefix=self.tx_prefix,
            )
        if self.statement_version != UnfreezeStatementV3.VERSION:
            raise StatementError(f"no order statement format {self.statement_version}")
        return UnfreezeStatementV3(
            custodian=self.custodian, exchange=self.exchange, env=self.env,
            order_id=self.order_id, client_id=self.client_id, assets=self.assets,
            expires_at=self.expires_at, body_digest=self.body_digest, tx_prefix=self.tx_prefix,
            reason=self.reason,
        )

    @property
    def text(self) -> str:
        """The exact text each party signs."""
        return self.statement().render()


@dataclass(frozen=True)
class PartySignature:
    """A signature a party supplied for an order."""

    party: Party  # the party it claims to be from
    pubkey: bytes
    signature: bytes


@dataclass(frozen=True)
class QuorumStatus:
    """Where an order stands at ``now``."""

    valid_parties: frozenset[Party]
    rejected: tuple[tuple[PartySignature, str], ...]
    expires_at: datetime
    expired: bool
    executed: bool

    @property
    def quorum_reached(self) -> bool:
        return len(self.valid_parties) >= QUORUM

    @property
    def executable(self) -> bool:
        return self.quorum_reached and not self.expired and not self.executed


@dataclass(frozen=True)
class UnfreezeExecution:
    """The record of the one execution of an order."""

    order_id: str
    executed_at: datetime
    parties: frozenset[Party]


def check_signature(
    order: UnfreezeOrder, sig: PartySignature, keys: PartyKeys, verify: Verifier
) -> str | None:
    """None when ``sig`` counts for its party, else the reason it does not."""
    registered = keys.party_of(bytes(sig.pubkey))
    if registered is None:
        return "key is not registered"
    if registered is not sig.party:
        return f"key is registered for {registered}, not {sig.party}"
    try:
        ok = verify(bytes(sig.pubkey), order.text, bytes(sig.signature))
    except Exception as exc:  # a malformed signature must never count, whatever the verifier does
        log.warning("verifier raised %s for order %s", type(exc).__name__, order.order_id)
        return "signature is malformed"
    return None if ok else "signature does not verify"


def quorum_status(
    order: UnfreezeOrder,
    signatures: Sequence[PartySignature],
    keys: PartyKeys,
    verify: Verifier,
    *,
    now: datetime,
    executed: bool = False,
) -> QuorumStatus:
    """Which distinct parties have valid signatures, and whether the order may execute."""
    valid: set[Party] = set()
    rejected: list[tuple[PartySignature, str]] = []
    for sig in signatures:
        reason = check_signature(order, sig, keys, verify)
        if reason is None:
            valid.add(sig.party)
        else:
            rejected.append((sig, reason))
    return QuorumStatus(frozenset(valid), tuple(rejected), order.expires_at,
                        now >= order.expires_at, executed)


@dataclass
class EmergencyUnfreeze:
    """State machine of one order: collect signatures, then execute exactly once."""

    order: UnfreezeOrder
    keys: PartyKeys
    verify: Verifier
    signatures: list[PartySignature] = field(default_factory=list)
    execution: UnfreezeExecution | None = None

    def status(self, now: datetime) -> QuorumStatus:
        return quorum_status(self.order, self.signatures, self.keys, self.verify, now=now,
                             executed=self.execution is not None)

    def add_signature(self, sig: PartySignature, now: datetime) -> QuorumStatus:
        """Record ``sig`` if it counts; raises if it does not, the order expired or ran."""
        if self.execution is not None:
            raise AlreadyExecuted(f"order {self.order.order_id} was executed")
        if now >= self.order.expires_at:
            raise OrderExpired(f"order {self.order.order_id} expired")
        reason = check_signature(self.order, sig, self.keys, self.verify)
        if reason is not None:
            raise MultisigError(f"{sig.party} signature refused: {reason}")
        if all(s.pubkey != sig.pubkey for s in self.signatures):
            self.signatures.append(sig)
        return self.status(now)

    def execute(self, now: datetime) -> UnfreezeExecution:
        """Execute once, with quorum, before expiry."""
        if self.execution is not None:
            raise AlreadyExecuted(f"order {self.order.order_id} was executed")
        status = self.status(now)
        if status.expired:
            raise OrderExpired(f"order {self.order.order_id} expired")
        if not status.quorum_reached:
            raise QuorumNotReached(
                f"{len(status.valid_parties)} of {QUORUM} parties have signed"
            )
        self.execution = UnfreezeExecution(self.order.order_id, now, status.valid_parties)
        log.info("unfreeze order %s executed by %s", self.order.order_id,
                 sorted(status.valid_parties))
        return self.execution
