"""Independent parties: no device and no key may speak for two parties (or two officers).

The 2-of-3 emergency channel means something only if the regulator, the
custodian and the exchange sign on devices none of the others holds. Every
registration (an officer, a party key; later an Ethereum or Bitcoin multisig
key) states a :class:`KeyClaim` — the party, the master fingerprint of the
device it was read from (when it was read from one) and the key itself — and
:func:`refuse_dependent` compares it with every :class:`KeyHolder` the desk
already knows. A second party on a known device or key is refused, naming the
holder.

Rules (docs/security.md, "Quorum rule"):

* a key (public key, address or xpub: any text that identifies it) belongs to
  one party: the same key for another party is refused;
* a device (master fingerprint) belongs to one party: a key of another party
  read from that device is refused;
* officers are the custodian's people, one device each: a second officer on a
  known officer device or key is refused (maker ≠ checker);
* the custodian's own emergency key may live on an officer's device (same party).

Other key kinds extend this by adding a holder source to :data:`HOLDER_SOURCES`
(a function of the desk repository returning more holders) and stating their
claim with the same :class:`KeyClaim`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.domain.parties import Party


@dataclass(frozen=True)
class KeyHolder:
    """A key the desk already knows, and the device it came from ("" when unknown)."""

    party: Party
    label: str  # for the refusal: "officer alice", "the regulator (regulator-emergency)"
    fingerprint: str
    key: str  # what identifies the key: compressed pubkey hex, address, xpub…
    officer: bool = False


@dataclass(frozen=True)
class KeyClaim:
    """A key being registered for ``party`` (``fingerprint`` "" when typed in, not read)."""

    party: Party
    fingerprint: str
    key: str
    officer: bool = False


class NotIndependent(Exception):
    """The claimed key or device already speaks for someone else."""

    def __init__(self, message: str, holder: KeyHolder) -> None:
        super().__init__(message)
        self.holder = holder


def _norm(value: str) -> str:
    return value.strip().lower()


def conflict(claim: KeyClaim, holder: KeyHolder) -> str | None:
    """Why ``claim`` may not be registered next to ``holder`` (None: no conflict)."""
    same_key = bool(claim.key) and _norm(claim.key) == _norm(holder.key)
    same_device = bool(claim.fingerprint) and _norm(claim.fingerprint) == _norm(
        holder.fingerprint
    )
    if claim.party is not holder.party:
        if same_key:
            if holder.officer:
                return f"this key is custody {holder.label}'s (the custodian's)"
            return f"this key is already registered to {holder.label}"
        if same_device:
            owner = f"custody {holder.label}'s" if holder.officer else f"{holder.label}'s"
            return (
                f"this device (fingerprint {claim.fingerprint}) is {owner}; "
                f"it cannot hold the {claim.party.value}'s key"
            )
        return None
    if claim.officer and holder.officer:
        if same_key:
            return f"this device key is already registered to {holder.label}"
        if same_device:
            return (
                f"this device (fingerprint {claim.fingerprint}) is already registered to "
                f"{holder.label}"
            )
    return None


def refuse_dependent(claim: KeyClaim, holders: Iterable[KeyHolder]) -> None:
    """Raise :class:`NotIndependent` naming the first holder ``claim`` collides with."""
    for holder in holders:
        reason = conflict(claim, holder)
        if reason is not None:
            raise NotIndependent(reason, holder)


def _officers_and_party_keys(repo: Any) -> list[KeyHolder]:
    holders = [
        KeyHolder(Party.CUSTODIAN, f"officer {o.name}", o.fingerprint, o.pubkey.hex(),
                  officer=True)
        for o in repo.officers()
    ]
    for k in repo.party_keys():
        party = Party(k.party)
        holders.append(
            KeyHolder(party, f"the {party.value} ({k.name})", k.fingerprint, k.pubkey.hex())
        )
    return holders


HolderSource = Callable[[Any], Iterable[KeyHolder]]

# Every place the desk keeps keys; other key kinds append their source here.
HOLDER_SOURCES: list[HolderSource] = [_officers_and_party_keys]


def known_holders(repo: Any) -> list[KeyHolder]:
    """Every key holder the desk knows (revoked keys too: a key never changes hands)."""
    return [holder for source in HOLDER_SOURCES for holder in source(repo)]


__all__ = [
    "HOLDER_SOURCES",
    "KeyClaim",
    "KeyHolder",
    "NotIndependent",
    "conflict",
    "known_holders",
    "refuse_dependent",
]


# Key kinds kept outside the desk repository register their holder sources on import.
from app.services import eth_holders as _eth_holders  # noqa: E402, F401
