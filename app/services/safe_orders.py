"""Emergency orders for tokenized assets: the SafeTx beside the order, its signatures, execution.

* ``create_safe_order``: for a client with a Safe, the order for one tokenized asset
  carries a ``safe`` section (``app.documents.safe_section``): the SafeTx moving the
  order's quantity, in the token's smallest units, from the Safe to the client's
  release address, at the Safe's next nonce. Its hash is in the statement (``tx=``).
  One open order per Safe and nonce (checked in the order's transaction): a second
  would get the same nonce, and the first executed would make the other's SafeTx void.
* ``sign_safe_tx``: a party signs the SafeTx on its own Trezor with
  ``sign_typed_data`` (the device walks the domain and every field); a Trezor One
  falls back to ``sign_typed_hash`` and the desk's prompt shows both hashes. The
  signature must recover to the party's registered owner address.
* ``import_safe_signature``: a 65-byte ``r||s||v`` from a party signing elsewhere,
  checked the same way.
* ``safe_signatures``: the SafeTx signatures collected, each re-checked (owner, party,
  valid or why not), and how many more the Safe needs (``emergency status``, the
  window's details pane).
* ``execute_safe_order``: with two distinct owners' signatures, before expiry, at the
  Safe's current nonce (read from the chain when ``chain.rpc_url`` is set), writes the
  ``execTransaction`` call as JSON and produces the order's release instruction once.

Every refusal is one ``VaultError`` (or the emergency service's own typed error) and
nothing is stored or written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.documents.canonical import amount
from app.documents.envelope import Document
from app.documents.safe_section import KEY as SAFE_KEY
from app.documents.safe_section import safe_tx_of
from app.domain.parties import Party
from app.domain.safe_tx import (
    SafeTx,
    SafeTxError,
    token_units,
    unfreeze_safe_tx,
    units_to_quantity,
)
from app.files import write_private
from app.services import emergency
from app.services.data_binding import with_bindings
from app.services.device_access import SignerFactory, run_on_device
from app.services.officers import desk_repo
from app.services.signed_commit import commit_signed
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.services.vault_safes import (
    ETH_DEFAULT_PATH,
    THRESHOLD,
    VaultError,
    chain_reader,
    check_on_chain,
    eth_owners,
    eth_repo,
    safe_of,
)
from app.store.interface import Store
from app.store.repo_ethereum import SafeSignatureRecord
from signing.errors import Unsupported, WrongDevice
from signing.interface import DeviceIdentity, Interaction, Signer, TypedDataSignature


def _positions(store: Store, client_id: str) -> dict[str, Decimal]:
    with store.read() as tx:
        states = [s for s in tx.holdings.client_states() if s.client_id == client_id]
    if not states:
        raise VaultError(f"unknown client {client_id}")
    return {p.asset: p.quantity for p in states[0].positions if p.quantity > 0}


def safe_section_for(
    store: Store, client_id: str, assets: dict[str, Decimal]
) -> dict[str, Any] | None:
    """The ``safe`` section for an order of ``assets`` (None: no tokenized asset involved)."""
    safe = safe_of(store, client_id)
    if safe is None:
        return None
    tokens = [a for a in sorted(assets) if safe.token(a) is not None]
    if not tokens:
        return None
    if len(assets) != 1:
        raise VaultError(
            f"an on-chain order moves one token through the Safe: order {', '.join(tokens)} "
            f"separately (emergency create --asset {tokens[0]})"
        )
    asset = tokens[0]
    token = safe.token(asset)
    assert token is not None
    owners = eth_owners(store)
    missing = [p.value for p in Party if p not in owners]
    if missing:
        raise VaultError(f"no Safe owner address registered for {', '.join(missing)}")
    owner_addresses = sorted(o.address for o in owners.values())
    reader = chain_reader(store)
    nonce = safe.next_nonce
    if reader is not None:
        nonce = check_on_chain(reader, safe, owner_addresses).nonce
    try:
        units = token_units(assets[asset], token.decimals)
        tx = unfreeze_safe_tx(
            chain_id=safe.chain_id,
            safe=safe.safe_address,
            token=token.token_address,
            recipient=safe.release_address,
            units=units,
            nonce=nonce,
        )
    except SafeTxError as exc:
        raise VaultError(f"{asset}: {exc}") from exc
    return {
        "chain_id": safe.chain_id,
        "safe": safe.safe_address,
        "asset": asset,
        "token": token.token_address,
        "decimals": token.decimals,
        "recipient": safe.release_address,
        "units": str(units),
        "owners": owner_addresses,
        "threshold": THRESHOLD,
        "safe_tx": tx.to_json(),
        "safe_tx_hash": "0x" + tx.safe_tx_hash.hex(),
    }


def create_safe_order(
    store: Store,
    client_id: str,
    reason: str,
    *,
    actor: str,
    assets: list[str] | None = None,
    btc_release: Any = None,
    clock: Clock = utc_now,
) -> Document:
    """An emergency order, with the SafeTx beside it when a tokenized asset is ordered
    (``btc_release``: the Bitcoin vault's release, passed on to ``create_order``)."""
    positions = _positions(store, client_id)
    if assets:
        unknown = [a for a in assets if a not in positions]
        if unknown:
            raise VaultError(f"client {client_id} holds no {unknown[0]}")
        positions = {a: positions[a] for a in assets}
    section = safe_section_for(store, client_id, positions)

    def one_open_order_per_safe(tx: Any, now: datetime) -> None:
        assert section is not None
        nonce = safe_tx_of(section).nonce
        other = open_safe_order(tx, int(section["chain_id"]), str(section["safe"]), nonce, now)
        if other is not None:
            raise VaultError(
                f"Safe {section['safe']} already has open order {other} at nonce {nonce}: "
                "execute it or let it expire before another order on this Safe (two open "
                "orders would share one nonce)"
            )

    return emergency.create_order(
        store,
        client_id,
        reason,
        actor=actor,
        assets=positions,
        btc_release=btc_release,
        clock=clock,
        onchain=None if section is None else (SAFE_KEY, section),
        onchain_check=None if section is None else one_open_order_per_safe,
    )


def open_safe_order(
    tx: Any, chain_id: int, safe_address: str, nonce: int, now: datetime
) -> str | None:
    """The open (neither executed nor expired) order on this Safe at ``nonce``, if any.

    An open order whose nonce the Safe has moved past (its SafeTx can no longer
    execute) does not hold the next one up."""
    repo = desk_repo(tx)
    for order_id in repo.order_ids():
        order = repo.order(order_id)
        if order is None or order.status == "executed" or now >= order.expires_at:
            continue
        section = order.body.get(SAFE_KEY)
        if (
            isinstance(section, dict)
            and int(section["chain_id"]) == chain_id
            and str(section["safe"]).lower() == safe_address.lower()
            and safe_tx_of(section).nonce == nonce
        ):
            return order.public_id
    return None


# ---- what the parties see ------------------------------------------------------------


@dataclass(frozen=True)
class SafeOrder:
    order_id: str
    client_id: str
    section: dict[str, Any]
    tx: SafeTx
    expires_at: datetime
    executed: bool

    @property
    def quantity(self) -> Decimal:
        units = units_to_quantity(int(self.section["units"]), int(self.section["decimals"]))
        return units.normalize() if units else units

    def prompt(self, *, with_hashes: bool = False) -> str:
        """What the desk's "confirm on your device" dialog shows, decoded."""
        lines = [
            f"Unfreeze order {self.order_id} (client {self.client_id}): Safe transaction",
            f"Token: {self.section['asset']} at {self.section['token']}",
            f"Amount: {amount(self.quantity)} {self.section['asset']} "
            f"({self.section['units']} units, {self.section['decimals']} decimals)",
            f"Destination: {self.section['recipient']}",
            f"From Safe {self.tx.safe} on chain {self.tx.chain_id}, nonce {self.tx.nonce}",
            f"SafeTx hash: 0x{self.tx.safe_tx_hash.hex()}",
        ]
        if with_hashes:
            lines += [
                "Your device shows only two hashes: compare them with these.",
                f"Domain hash: 0x{self.tx.domain_hash.hex()}",
                f"Message hash: 0x{self.tx.message_hash.hex()}",
            ]
        return "\n".join(lines)


def safe_order(store: Store, order_id: str) -> SafeOrder:
    with store.read() as tx:
        order = desk_repo(tx).order(order_id)
    if order is None:
        raise VaultError(f"no emergency order {order_id}")
    section = order.body.get(SAFE_KEY)
    if not isinstance(section, dict):
        raise VaultError(f"order {order_id} has no Safe transaction")
    return SafeOrder(
        order.public_id,
        order.client_id,
        section,
        safe_tx_of(section),
        order.expires_at,
        order.status == "executed",
    )


def has_safe_tx(store: Store, order_id: str) -> bool:
    """Whether ``order_id`` is an order with a Safe transaction (False: none, or no order)."""
    try:
        safe_order(store, order_id)
    except VaultError:
        return False
    return True


# ---- signatures ----------------------------------------------------------------------


def _store_signature(
    store: Store,
    order_id: str,
    party: Party,
    signature: bytes,
    *,
    shown_in_full: bool,
    actor: str,
    clock: Clock,
) -> SafeSignatureRecord:
    order = safe_order(store, order_id)
    owner = eth_owners(store).get(party)
    if owner is None:
        raise VaultError(f"no Safe owner address registered for the {party.value}")
    try:
        recovered = order.tx.recover_owner(signature)
    except SafeTxError as exc:
        raise VaultError(str(exc)) from exc
    if recovered != owner.address:
        raise VaultError(
            f"the signature is {recovered}'s over this SafeTx, not the {party.value}'s owner "
            f"{owner.address} (another key, or a SafeTx with a changed field)"
        )
    if owner.address not in order.section["owners"]:
        raise VaultError(f"{owner.address} is not an owner of this order's Safe")
    with unit_of_work(store, clock=clock) as uow:
        if uow.now >= order.expires_at:
            raise VaultError(f"order {order_id} expired")
        current = desk_repo(uow.tx).order(order_id)
        if current is None or current.status == "executed":
            raise VaultError(f"order {order_id} was already executed")
        record = SafeSignatureRecord(
            order_id,
            order.tx.safe_tx_hash.hex(),
            owner.address,
            party.value,
            signature,
            shown_in_full,
            uow.now,
        )
        if not eth_repo(uow.tx).add_safe_signature(record):
            raise VaultError(f"the {party.value}'s owner {owner.address} already signed")
        uow.audit(
            actor,
            "emergency.safe_signature",
            with_bindings(
                uow.tx,
                {
                    "order_id": order_id,
                    "party": party.value,
                    "owner": owner.address,
                    "safe_tx_hash": "0x" + record.safe_tx_hash,
                    "shown_in_full": shown_in_full,
                },
                ("order_safe_signatures", order_id),
            ),
        )
    return record


def import_safe_signature(
    store: Store,
    order_id: str,
    party: Party,
    signature_hex: str,
    *,
    actor: str,
    clock: Clock = utc_now,
) -> SafeSignatureRecord:
    """Import a party's 65-byte ``r||s||v`` signature of the order's SafeTx hash."""
    text = signature_hex.strip().removeprefix("0x")
    try:
        signature = bytes.fromhex(text)
    except ValueError as exc:
        raise VaultError("a signature is 65 bytes of hex (r || s || v)") from exc
    if len(signature) != 65:
        raise VaultError(f"a signature is 65 bytes r || s || v, not {len(signature)}")
    return _store_signature(
        store, order_id, party, signature, shown_in_full=False, actor=actor, clock=clock
    )


async def sign_safe_tx(
    store: Store,
    order_id: str,
    party: Party,
    uri: str,
    interaction: Interaction,
    *,
    actor: str,
    path: str | None = None,
    signer_factory: SignerFactory | None = None,
    clock: Clock = utc_now,
) -> SafeSignatureRecord:
    """Sign the order's SafeTx on ``party``'s device and store the checked signature."""
    order = safe_order(store, order_id)
    if order.executed:
        raise VaultError(f"order {order_id} was already executed")
    owner = eth_owners(store).get(party)
    if owner is None:
        raise VaultError(f"no Safe owner address registered for the {party.value}")
    key_path = path or owner.path or ETH_DEFAULT_PATH

    def sign(signer: Signer, _identity: DeviceIdentity) -> TypedDataSignature:
        if signer.get_eth_address(key_path) != owner.address:
            raise WrongDevice(f"this device's {key_path} is not the {party.value}'s owner")
        try:
            return signer.sign_typed_data(key_path, order.tx.typed_data(), shown=order.prompt())
        except Unsupported:
            return signer.sign_typed_hash(
                key_path,
                order.tx.domain_hash,
                order.tx.message_hash,
                shown=order.prompt(with_hashes=True),
            )

    result = await run_on_device(uri, sign, interaction, signer_factory)
    if (result.domain_hash, result.message_hash) != (order.tx.domain_hash, order.tx.message_hash):
        raise VaultError("the device signed other hashes than this SafeTx's")

    def already() -> SafeSignatureRecord | None:
        with store.read() as tx:
            held = eth_repo(tx).safe_signatures(order_id)
        return next((r for r in held if r.signature == result.signature), None)

    # The device has signed: kept across an outage and stored exactly once.
    return await commit_signed(
        f"the {party.value}'s SafeTx signature of emergency order {order_id}",
        lambda: _store_signature(
            store,
            order_id,
            party,
            result.signature,
            shown_in_full=result.shown_in_full,
            actor=actor,
            clock=clock,
        ),
        already=already,
    )


# ---- what has been collected -----------------------------------------------------------


@dataclass(frozen=True)
class SafeSignatureCheck:
    """One stored SafeTx signature, re-checked now (``problem`` says why it does not count)."""

    owner: str
    party: str
    signature: bytes
    valid: bool
    problem: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "owner": self.owner,
            "party": self.party,
            "valid": self.valid,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class SafeSignatures:
    """The SafeTx signatures an order collected and how many more the Safe needs."""

    order_id: str
    safe_tx_hash: str  # "0x" + 64 hex
    signatures: tuple[SafeSignatureCheck, ...]
    threshold: int = THRESHOLD

    @property
    def valid(self) -> dict[str, bytes]:
        """Valid signatures by owner address (one per owner)."""
        return {s.owner: s.signature for s in self.signatures if s.valid}

    @property
    def needed(self) -> int:
        return max(0, self.threshold - len(self.valid))

    def to_json(self) -> dict[str, object]:
        return {
            "safe_tx_hash": self.safe_tx_hash,
            "signatures": [s.to_json() for s in self.signatures],
            "valid": len(self.valid),
            "needed": self.needed,
            "threshold": self.threshold,
        }


def _check(order: SafeOrder, record: SafeSignatureRecord, owners: list[str]) -> SafeSignatureCheck:
    def refused(problem: str) -> SafeSignatureCheck:
        return SafeSignatureCheck(record.owner, record.party, record.signature, False, problem)

    if record.safe_tx_hash != order.tx.safe_tx_hash.hex():
        return refused("signs another SafeTx")
    if record.owner not in owners or record.owner not in order.section["owners"]:
        return refused("not a registered owner of this order's Safe")
    try:
        recovered = order.tx.recover_owner(record.signature)
    except SafeTxError as exc:
        return refused(str(exc))
    if recovered != record.owner:
        return refused(f"recovers to {recovered}")
    return SafeSignatureCheck(record.owner, record.party, record.signature, True)


def safe_signatures(store: Store, order_id: str) -> SafeSignatures:
    """Each SafeTx signature stored for the order, re-checked against today's owners."""
    order = safe_order(store, order_id)
    owners = sorted(o.address for o in eth_owners(store).values())
    with store.read() as tx:
        records = eth_repo(tx).safe_signatures(order_id)
    return SafeSignatures(
        order_id,
        "0x" + order.tx.safe_tx_hash.hex(),
        tuple(_check(order, r, owners) for r in records),
    )


# ---- execution -----------------------------------------------------------------------


def exec_call(store: Store, order_id: str, *, clock: Clock = utc_now) -> dict[str, Any]:
    """The ``execTransaction`` call for the order, or one ``VaultError`` saying why not."""
    order = safe_order(store, order_id)
    if order.executed:
        raise VaultError(f"order {order_id} was already executed")
    if clock() >= order.expires_at:
        raise VaultError(f"order {order_id} expired: the Safe transaction is not released")
    owners = eth_owners(store)
    owner_addresses = sorted(o.address for o in owners.values())
    if owner_addresses != sorted(order.section["owners"]):
        raise VaultError("the registered owners changed since the order was made")
    with store.read() as tx:
        safe = eth_repo(tx).safe(order.client_id)
    valid = safe_signatures(store, order_id).valid
    if len(valid) < THRESHOLD:
        raise VaultError(
            f"order {order_id} has {len(valid)} of 2 distinct owner signatures of its SafeTx"
        )
    reader = chain_reader(store)
    if reader is not None and safe is not None:
        nonce = check_on_chain(reader, safe, owner_addresses).nonce
        where = "on chain"
    else:
        nonce = safe.next_nonce if safe is not None else order.tx.nonce
        where = "in the desk's record (no chain configured)"
    if nonce != order.tx.nonce:
        raise VaultError(
            f"stale nonce: the SafeTx uses nonce {order.tx.nonce}, the Safe is at {nonce} {where}"
        )
    try:
        call = order.tx.exec_transaction(valid, owner_addresses, THRESHOLD)
    except SafeTxError as exc:
        raise VaultError(str(exc)) from exc
    call["order_id"] = order_id
    call["asset"] = order.section["asset"]
    call["quantity"] = amount(order.quantity)
    call["recipient"] = order.section["recipient"]
    return call


def execute_safe_order(
    store: Store,
    order_id: str,
    out: Path,
    *,
    actor: str,
    clock: Clock = utc_now,
) -> tuple[Document, dict[str, Any]]:
    """Write the ``execTransaction`` JSON to ``out`` and release the order, once.

    The call is checked first (two distinct owners, nonce, expiry); the release
    instruction is produced next (the statement's 2-of-3); only then does ``out``
    appear, atomically. A refusal at either step leaves no file and no change.
    """
    call = exec_call(store, order_id, clock=clock)
    client_id = safe_order(store, order_id).client_id
    data = (json.dumps(call, indent=2, sort_keys=True) + "\n").encode()
    part = out.with_name(out.name + ".part")
    write_private(part, data)  # an order's release: owner-only, like every exported file
    try:
        release = emergency.execute(
            store, order_id, actor=actor, clock=clock, safe_call_checked=True
        )
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, out)
    with unit_of_work(store, clock=clock) as uow:
        eth_repo(uow.tx).advance_nonce(client_id, int(call["nonce"]))
        uow.audit(
            actor,
            "emergency.safe_exec_written",
            with_bindings(
                uow.tx,
                {
                    "order_id": order_id,
                    "safe_tx_hash": call["safe_tx_hash"],
                    "signers": call["signers"],
                },
                ("vault_safes", client_id),  # its next nonce
            ),
        )
    return release, call
