"""The Bitcoin half of an emergency order: its release PSBT, signed by two of three.

``emergency create --to ADDRESS`` builds, beside the order, a BIP-174 PSBT
spending every unspent coin of the client's vault to the release address; the
order body names its txid, amount, fee and destination (``btc_release``), so what
each party approves binds the transaction. Partially signed copies come back
from the parties' devices or from any PSBT wallet; each new signature must
verify against the vault key (the registered multisig key) of its input and the
unsigned transaction must be byte-identical to the order's, or the copy is
refused whole. ``execute`` finalises only with two distinct parties' signatures
on every input and before the order's expiry (the desk enforces the 48 hours:
a Bitcoin transaction itself never expires).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from embit.psbt import PSBT

from app.domain.parties import Party
from app.services.data_binding import with_bindings
from app.services.device_access import SignerFactory, run_on_device
from app.services.officers import desk_repo
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.services.vault import network_of, unspent_coins, vault_in, vault_repo
from app.store.interface import Store
from app.store.repo_desk import EmergencyOrderRecord
from app.store.repo_vault import OrderPsbtRecord
from signing.bitcoin.errors import BitcoinError
from signing.bitcoin.spend import (
    SpendSummary,
    build_spend,
    finalize,
    merge_signatures,
    parse_psbt,
    signed_parties,
    signers_per_input,
    summarize,
)
from signing.bitcoin.vault import THRESHOLD, Vault
from signing.interface import DeviceIdentity, Interaction, Signer

logger = logging.getLogger(__name__)
DEFAULT_FEE_RATE = Decimal(2)  # sat/vB


class PsbtRefused(Exception):
    """A release PSBT was refused (malformed, another transaction, a bad signature…).

    Nothing was stored. Raised through ``EmergencyError`` by the services.
    """


@dataclass(frozen=True)
class ReleaseRequest:
    destination: str
    fee_rate: Decimal = DEFAULT_FEE_RATE


@dataclass(frozen=True)
class PsbtImport:
    order_id: str
    new: tuple[tuple[str, int], ...]  # (party, input index) of each new signature
    parties_signed: tuple[str, ...]

    @property
    def new_parties(self) -> tuple[str, ...]:
        return tuple(sorted({p for p, _ in self.new}))


def _refused(exc: BitcoinError) -> PsbtRefused:
    return PsbtRefused(exc.detail or str(exc))


def plan_release(tx: object, client_id: str, request: ReleaseRequest, network: str) -> PSBT:
    """The unsigned release PSBT of the client's unspent vault coins (inside ``tx``)."""
    vault = vault_in(tx, client_id, network)
    try:
        return build_spend(vault, unspent_coins(tx, client_id), request.destination,
                           request.fee_rate)
    except BitcoinError as exc:
        raise _refused(exc) from exc


def summary_of(psbt: PSBT, tx: object, client_id: str, network: str) -> SpendSummary:
    try:
        return summarize(psbt, vault_in(tx, client_id, network))
    except BitcoinError as exc:
        raise _refused(exc) from exc


def store_release(tx: object, order_row_id: int, psbt: PSBT, summary: SpendSummary,
                  now: Any) -> None:
    vault_repo(tx).add_psbt(
        OrderPsbtRecord(order_row_id, psbt.to_string(), summary.txid, summary.amount_sat,
                        summary.fee_sat, summary.destination, None, now)
    )


def _order_and_psbt(tx: object, order_id: str) -> tuple[EmergencyOrderRecord, OrderPsbtRecord]:
    order = desk_repo(tx).order(order_id)
    if order is None:
        raise PsbtRefused(f"no emergency order {order_id}")
    row = vault_repo(tx).psbt(order.id)
    if row is None:
        raise PsbtRefused(f"order {order_id} has no Bitcoin release")
    return order, row


def order_psbt(store: Store, order_id: str) -> str:
    """The order's PSBT (base64) with every verified signature collected so far."""
    with store.read() as tx:
        return _order_and_psbt(tx, order_id)[1].psbt


@dataclass(frozen=True)
class ReleaseStatus:
    """An order's release PSBT as the desk reads it now: the transaction the parties
    approve and whose valid signatures it holds (re-checked against the vault keys)."""

    summary: SpendSummary
    outputs: int
    signers_per_input: tuple[tuple[str, ...], ...]  # valid signers of each input
    parties_signed: tuple[str, ...]  # valid on every input
    threshold: int = THRESHOLD


def release_status(store: Store, order_id: str) -> ReleaseStatus | None:
    """The PSBT summary and signature status of ``order_id``'s Bitcoin release (what
    ``emergency psbt`` exports), or None for an order without one."""
    network = network_of(store)
    with store.read() as tx:
        order = desk_repo(tx).order(order_id)
        row = vault_repo(tx).psbt(order.id) if order is not None else None
        if order is None or row is None:
            return None
        vault = _vault_of(tx, order, network)
    try:
        psbt = parse_psbt(row.psbt)
        summary = summarize(psbt, vault)
        per_input = signers_per_input(psbt, vault)
    except BitcoinError as exc:
        raise _refused(exc) from exc
    every = frozenset.intersection(*per_input) if per_input else frozenset()
    return ReleaseStatus(
        summary,
        len(psbt.tx.vout),
        tuple(tuple(sorted(p)) for p in per_input),
        tuple(sorted(every)),
    )


def order_for_psbt(store: Store, data: bytes | str) -> str:
    """The order whose release transaction ``data`` is (by txid)."""
    try:
        txid = parse_psbt(data).tx.txid().hex()
    except BitcoinError as exc:
        raise _refused(exc) from exc
    with store.read() as tx:
        found = [
            public_id
            for public_id in desk_repo(tx).order_ids()
            if (o := desk_repo(tx).order(public_id)) is not None
            and (row := vault_repo(tx).psbt(o.id)) is not None
            and row.txid == txid
        ]
    if not found:
        raise PsbtRefused(f"no emergency order releases transaction {txid}")
    return found[0]


def _vault_of(tx: object, order: EmergencyOrderRecord, network: str) -> Vault:
    return vault_in(tx, order.client_id, network)


def import_psbt(
    store: Store,
    order_id: str,
    data: bytes | str,
    *,
    actor: str,
    expect_party: Party | None = None,
    clock: Clock = utc_now,
) -> PsbtImport:
    """Merge a partially signed copy: every new signature verified, or nothing stored."""
    network = network_of(store)
    with unit_of_work(store, clock=clock) as uow:
        order, row = _order_and_psbt(uow.tx, order_id)
        if order.status == "executed":
            raise PsbtRefused(f"order {order_id} was already executed")
        if uow.now >= order.expires_at:
            raise PsbtRefused(f"order {order_id} expired")
        vault = _vault_of(uow.tx, order, network)
        try:
            base = parse_psbt(row.psbt)
            added = merge_signatures(base, parse_psbt(data), vault)
            parties = signed_parties(base, vault)
        except BitcoinError as exc:
            raise _refused(exc) from exc
        if expect_party is not None:
            strangers = {s.party for s in added} - {expect_party.value}
            if strangers:
                raise PsbtRefused(
                    f"the device signed as {', '.join(sorted(strangers))}, "
                    f"not {expect_party.value}"
                )
        vault_repo(uow.tx).update_psbt(order.id, base.to_string(), uow.now)
        result = PsbtImport(
            order_id, tuple((s.party, s.input_index) for s in added), tuple(sorted(parties))
        )
        uow.audit(
            actor,
            "emergency.psbt_import",
            with_bindings(
                uow.tx,
                {
                    "order_id": order_id,
                    "txid": row.txid,
                    "new_signatures": [f"{p}@{i}" for p, i in result.new],
                    "parties_signed": list(result.parties_signed),
                },
                ("emergency_psbts", order.id),
            ),
        )
    return result


async def sign_psbt_on_device(
    psbt: str,
    uri: str,
    *,
    interaction: Interaction,
    signer_factory: SignerFactory | None = None,
) -> str:
    """The device at ``uri`` shows the spend and adds its signatures (base64 PSBT back)."""

    def sign(signer: Signer, _identity: DeviceIdentity) -> str:
        return signer.sign_psbt(psbt)

    return await run_on_device(uri, sign, interaction, signer_factory)


def finalize_release(tx: object, order: EmergencyOrderRecord, now: Any, network: str) -> str | None:
    """The fully signed raw transaction (hex) of ``order``'s release, or None without one.

    Refused unless two distinct parties signed every input and the PSBT is still
    exactly the transaction the order names (txid, amount, fee, destination).
    Marks the vault coins spent by this order.
    """
    row = vault_repo(tx).psbt(order.id)
    if row is None:
        return None
    named = order.body.get("btc_release")
    vault = _vault_of(tx, order, network)
    try:
        psbt = parse_psbt(row.psbt)
        summary = summarize(psbt, vault)
        parties = signed_parties(psbt, vault)
    except BitcoinError as exc:
        raise _refused(exc) from exc
    if not isinstance(named, dict) or summary.to_json() != named:
        raise PsbtRefused(
            f"order {order.public_id}: the PSBT is not the transaction the order names "
            "(an output, amount or fee changed)"
        )
    if len(parties) < THRESHOLD:
        raise PsbtRefused(
            f"order {order.public_id}: the release transaction has {len(parties)} of "
            f"{THRESHOLD} distinct parties' signatures on every input"
        )
    try:
        raw = finalize(psbt, vault)
    except BitcoinError as exc:
        raise _refused(exc) from exc
    from embit.transaction import Transaction

    if Transaction.parse(raw).txid().hex() != summary.txid:
        raise PsbtRefused("the finalised transaction is not the order's")
    outpoints = [(bytes(i.txid).hex(), i.vout) for i in psbt.tx.vin]
    if vault_repo(tx).mark_spent(outpoints, order.public_id) != len(outpoints):
        raise PsbtRefused("a vault coin of this release is already spent by another order")
    vault_repo(tx).set_raw_tx(order.id, raw.hex(), now)
    return raw.hex()


def release_transaction(store: Store, order_id: str) -> str | None:
    """The raw transaction (hex) of an executed order's Bitcoin release."""
    with store.read() as tx:
        order = desk_repo(tx).order(order_id)
        row = vault_repo(tx).psbt(order.id) if order is not None else None
        return row.raw_tx if row is not None else None


__all__ = [
    "DEFAULT_FEE_RATE",
    "PsbtImport",
    "PsbtRefused",
    "ReleaseRequest",
    "ReleaseStatus",
    "finalize_release",
    "import_psbt",
    "order_for_psbt",
    "order_psbt",
    "plan_release",
    "release_status",
    "release_transaction",
    "sign_psbt_on_device",
]
