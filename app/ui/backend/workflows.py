"""Blocking desk use cases the GUI facade calls, mapped to view rows.

Reads go straight to the desk repository; writes go through the owning
service (attestations, emergency, margin calls) when it is installed, so the
GUI never re-implements a rule the services enforce. A service that is not
there yet is refused with a clear message instead of being faked.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app.documents.canonical import MAX_ORDER_BYTES
from app.files import read_bounded, write_private
from app.services.desk_facade import (
    AttestationDetail,
    AttestationRow,
    AttestationStatus,
    DeviceRow,
    EmergencyOrderRow,
    MarginCallRow,
    OfficerRow,
    Party,
    PartySignature,
    ProofRow,
    RefusedError,
    Rejection,
    WaterfallLine,
)
from app.store.interface import Store, Transaction
from app.store.repo_desk import AttestationRecord, SqliteDeskRepository

if TYPE_CHECKING:  # the signing library is only needed once a device is used
    from signing.interface import Interaction

log = logging.getLogger(__name__)


def _repo(tx: Any) -> SqliteDeskRepository:
    repo: SqliteDeskRepository = tx.repository(SqliteDeskRepository)
    return repo


def service(name: str) -> ModuleType | None:
    """The desk service module ``app.services.<name>``, or None when it is not installed."""
    try:
        return importlib.import_module(f"app.services.{name}")
    except ImportError:
        return None


def _missing(what: str) -> RefusedError:
    return RefusedError([f"{what} is not available in this build of the desk."])


# --- officers and devices ----------------------------------------------------------
def officers(store: Store) -> list[OfficerRow]:
    with store.read() as tx:
        rows = _repo(tx).officers()
    return [
        OfficerRow(o.name, o.role, o.fingerprint, o.address, o.path, o.is_emulator)
        for o in rows
        if o.active
    ]


async def register_officer(
    store: Store, name: str, role: str, uri: str, path: str, *, interaction: Interaction
) -> OfficerRow:
    from app.services.officers import OfficerError
    from app.services.officers import register_officer as register

    try:
        record = await register(
            # the desk registers (the entry records whoever is signed in at the window)
            store, name, role, uri, path, interaction=interaction, actor="desk"
        )
    except OfficerError as exc:
        raise RefusedError([str(exc)]) from exc
    remember_fingerprint(uri, record.fingerprint)
    return OfficerRow(
        record.name,
        record.role,
        record.fingerprint,
        record.address,
        record.path,
        record.is_emulator,
    )


def devices(store: Store) -> list[DeviceRow]:
    try:
        registry: Any = importlib.import_module("signing.registry")
        found = list(registry.enumerate_devices())
    except ImportError:
        found = []
    except Exception:  # enumeration must never take the desk down
        log.exception("device enumeration failed")
        found = []
    from app.ui.backend.emulator import emulator_host

    host = emulator_host()
    seen = {info.uri for info in found}
    extra = [d for d in host.device_rows() if d.uri not in seen]
    known = fingerprints_by_uri()
    known.update(host.fingerprints())
    people = {o.fingerprint: o.name for o in officers(store)}
    rows = []
    for info in found:
        fingerprint = known.get(info.uri)
        rows.append(
            DeviceRow(
                uri=info.uri,
                kind=str(info.kind),
                label=info.label,
                transport=info.transport,
                is_emulator=info.is_emulator,
                fingerprint=fingerprint,
                officer=people.get(fingerprint or ""),
            )
        )
    for d in extra:
        fingerprint = known.get(d.uri)
        rows.append(
            DeviceRow(
                d.uri,
                d.kind,
                d.label,
                d.transport,
                True,
                fingerprint,
                people.get(fingerprint or ""),
            )
        )
    return rows


_FINGERPRINTS: dict[str, str] = {}


def remember_fingerprint(uri: str, fingerprint: str) -> None:
    """Devices are enumerated without opening them; a device seen open tells us its key."""
    _FINGERPRINTS[uri] = fingerprint


def fingerprints_by_uri() -> dict[str, str]:
    return dict(_FINGERPRINTS)


# --- attestations -------------------------------------------------------------------
def _officer_names(repo: SqliteDeskRepository) -> dict[int, str]:
    return {o.id: o.name for o in repo.officers()}


def _status(record: AttestationRecord) -> AttestationStatus:
    try:
        status = AttestationStatus(record.status)
    except ValueError:
        status = AttestationStatus.DRAFT
    if status == AttestationStatus.AWAITING_APPROVAL and datetime.now(UTC) >= record.expires_at:
        return AttestationStatus.EXPIRED
    return status


def _att_row(
    record: AttestationRecord, names: dict[int, str], clients: Sequence[str]
) -> AttestationRow:
    return AttestationRow(
        att_id=str(record.id),
        sequence=record.sequence,
        status=_status(record),
        client_ids=tuple(clients),
        total_collateral=record.total_collateral_usd,
        as_of=record.as_of,
        expires_at=record.expires_at,
        prepared_by=names.get(record.maker_officer_id, "?"),
        approved_by=names.get(record.checker_officer_id) if record.checker_officer_id else None,
        root_hex=record.root_hex,
    )


def attestations(store: Store) -> list[AttestationRow]:
    with store.read() as tx:
        repo = _repo(tx)
        names = _officer_names(repo)
        return [
            _att_row(r, names, [c.client_id for c in repo.attestation_clients(r.id)])
            for r in repo.attestations()
        ]


def attestation_detail(store: Store, att_id: str) -> AttestationDetail:
    with store.read() as tx:
        repo = _repo(tx)
        record = repo.attestation(int(att_id))
        if record is None:
            raise RefusedError([f"attestation {att_id} does not exist"])
        clients = repo.attestation_clients(record.id)
        names = _officer_names(repo)
        rejection = _rejection(tx, record.id) if record.status == "rejected" else None
    totals: dict[str, Decimal] = {}
    tree = record.tree
    for spec in tree.get("assets", []):
        total = tree.get("totals", {}).get(spec["asset"], 0)
        units = int(total["quantity"] if isinstance(total, dict) else total)  # format 2 | 1
        totals[spec["asset"]] = Decimal(units).scaleb(-int(spec["decimals"]))
    proofs = [
        ProofRow(
            c.client_id,
            c.leaf_index,
            c.collateral_value_usd,
            len(c.proof.get("siblings", c.proof.get("path", []))),
        )
        for c in clients
    ]
    return AttestationDetail(
        row=_att_row(record, names, [c.client_id for c in clients]),
        statement=record.statement,
        asset_totals=totals,
        proofs=proofs,
        signature_b64=record.signature_b64,
        signer_address=record.signer_address,
        rejection=rejection,
    )


def _rejection(tx: Transaction, att_id: int) -> Rejection | None:
    """The audited ``attestation.reject`` of ``att_id`` (the latest, should there be two)."""
    found = None
    for entry in tx.audit.entries(action="attestation.reject"):
        payload = json.loads(entry.payload)
        if payload.get("attestation_id") == att_id:
            by = entry.actor.removeprefix("officer:")
            found = Rejection(by, entry.time, str(payload.get("reason", "")))
    return found


def _require_fresh_prices(store: Store, client_ids: list[str]) -> None:
    """Refuse (with each stale price and the way out) before anything is prepared."""
    from app.services.holdings import HoldingsService, StalePrices

    try:
        HoldingsService(store).require_fresh_prices(client_ids)
    except StalePrices as exc:
        raise RefusedError(["Prices are too old to attest on:", *exc.reasons]) from exc


async def prepare_signed(
    store: Store, client_ids: list[str], officer: str, uri: str, interaction: Interaction
) -> AttestationRow:
    """Prepare as the maker and sign it on the maker's own device (bundle format 3)."""
    import asyncio

    from app.services.attestations import AttestationService

    await asyncio.to_thread(_require_fresh_prices, store, client_ids)  # before the device
    try:
        record = await AttestationService(store).prepare_signed(
            client_ids, officer, uri, interaction
        )
    except Exception as exc:
        raise _refusal(exc) from exc
    att_id = str(record.id)
    return next(r for r in attestations(store) if r.att_id == att_id)


async def approve_and_sign(
    store: Store, att_id: str, officer: str, uri: str, interaction: Interaction
) -> AttestationRow:
    from app.services.attestations import AttestationService

    try:
        await AttestationService(store).approve_and_sign(int(att_id), officer, uri, interaction)
    except Exception as exc:
        raise _refusal(exc) from exc
    return next(r for r in attestations(store) if r.att_id == att_id)


async def reject_attestation(store: Store, att_id: str, officer: str, reason: str) -> None:
    from app.services.attestations import AttestationService

    try:
        await AttestationService(store).reject_kept(int(att_id), officer, reason)
    except Exception as exc:
        raise _refusal(exc) from exc


def abandon_signing(store: Store, att_id: str, officer: str) -> None:
    """Return an attestation a killed process left in 'signing' to awaiting approval."""
    from app.services.attestations import AttestationService

    try:
        AttestationService(store).abandon_signing(int(att_id), officer)
    except Exception as exc:
        raise _refusal(exc) from exc


def queue_attestation(store: Store, att_id: str, officer: str) -> None:
    """Put the signed bundle in the outbox (sent by the next exchange sync)."""
    try:
        from app.exchange.push import queue_attestation as queue

        queue(store, int(att_id), actor=f"officer:{officer}")
    except Exception as exc:
        raise _refusal(exc) from exc


def verify_proof(store: Store, att_id: str, client_id: str) -> bool:
    """Run the bundle verifier over the stored attestation; True if it holds this client.

    The one verifier (``app.domain.attestation.verify_bundle``) recomputes the
    client's leaf from its id, salt, quantities, locked quantities and value and
    walks its Merkle-sum proof to the stored root (and every other check).
    """
    from app.domain.attestation import AttestationError, verify_bundle
    from app.services.attestations import AttestationError as StoredFormatError
    from app.services.attestations import stored_body

    with store.read() as tx:
        repo = _repo(tx)
        record = repo.attestation(int(att_id))
        clients = repo.attestation_clients(int(att_id))
    if record is None or not any(c.client_id == client_id for c in clients):
        return False
    try:
        body = stored_body(record, clients, [])
        att, _ = verify_bundle(body, statement=record.statement, signature_key_ids=None)
    except (AttestationError, StoredFormatError) as exc:
        log.info("attestation %s does not verify: %s", att_id, exc)
        return False
    return any(c.client_id == client_id for c in att.clients)


def _refusal(exc: Exception) -> Exception:
    """Typed signing errors pass through; a refused rule becomes a RefusedError."""
    from signing.errors import SigningError

    if isinstance(exc, SigningError | RefusedError):
        return exc
    reasons = getattr(exc, "reasons", None)
    if reasons:
        return RefusedError([str(r) for r in reasons])
    return RefusedError([str(exc)])


# --- margin calls ---------------------------------------------------------------------
def margin_calls(store: Store) -> list[MarginCallRow]:
    module = service("margin_calls")
    if module is None:
        return []
    rows: list[MarginCallRow] = list(module.list_margin_call_rows(store))
    return rows


def _calls() -> Any:
    module = service("margin_calls")
    if module is None:
        raise _missing("The margin-call service")
    return module


def acknowledge_call(store: Store, call_id: str, officer: str) -> None:
    try:
        _calls().acknowledge(store, call_id, officer=officer)
    except Exception as exc:
        raise _refusal(exc) from exc


def escalate_call(store: Store, call_id: str, officer: str) -> None:
    try:
        _calls().escalate(store, call_id, officer=officer, note="escalated from the desk window")
    except Exception as exc:
        raise _refusal(exc) from exc


async def top_up(
    store: Store, call_id: str, officer: str, uri: str, interaction: Interaction
) -> AttestationRow:
    """Prepare the top-up attestation; the maker's own device signs it (bundle format 3)."""
    import asyncio

    try:
        client_id = _calls().margin_call(store, call_id).client_id
    except Exception as exc:
        raise _refusal(exc) from exc
    await asyncio.to_thread(_require_fresh_prices, store, [client_id])  # before the device
    try:
        record = await _calls().top_up(
            store, call_id, officer=officer, device_uri=uri, interaction=interaction
        )
    except Exception as exc:
        raise _refusal(exc) from exc
    att_id = str(record.id)
    return next(r for r in attestations(store) if r.att_id == att_id)


async def answer_top_up(
    store: Store, call_id: str, officer: str, uri: str, interaction: Interaction
) -> None:
    try:
        await _calls().answer_top_up(
            store, call_id, officer=officer, device_uri=uri, interaction=interaction
        )
    except Exception as exc:
        raise _refusal(exc) from exc


def waterfall_from_service(store: Store, call_id: str) -> list[WaterfallLine] | None:
    """The service's plan for a stored call, or None when the store does not have it."""
    module = service("margin_calls")
    if module is None:
        return None
    try:
        lines: list[WaterfallLine] = list(module.waterfall_lines(store, call_id))
    except Exception:
        log.info("no stored plan for %s", call_id, exc_info=True)
        return None
    return lines


async def sign_liquidation(
    store: Store, call_id: str, officer: str, uri: str, interaction: Interaction
) -> None:
    try:
        await _calls().sign_liquidation(store, call_id, officer, uri, interaction)
    except Exception as exc:
        raise _refusal(exc) from exc


async def sync_exchange(store: Store, *, now: bool = False) -> str | None:
    """One round with the configured exchange link; None when none is configured."""
    module = service("margin_calls")
    if module is None:
        return None
    from app.exchange.configured import configured_target, link_for, tls_files

    target = configured_target(store)
    if not target:
        return None
    from app.services.desk_identity import desk_identity

    try:
        link: Any = link_for(target, tls_files(store), env=desk_identity(store).env)
    except ValueError as exc:  # BadLinkTarget: a mistyped link is said, not guessed
        raise _refusal(exc) from exc
    try:
        report = await module.sync(store, link, ignore_schedule=now)
    except Exception as exc:
        raise _refusal(exc) from exc
    finally:
        await link.aclose()
    received = sum(1 for r in report.inbound if r.ok)
    parts = [
        f"exchange: {len(report.outbox.sent)} sent",
        f"{received} received",
        f"{len(report.rejected)} rejected",
    ]
    if report.outbox.retrying:
        parts.append(f"{len(report.outbox.retrying)} to retry")
    for key, error in report.outbox.unverified.items():
        parts.append(f"{key}: exchange reply not verified ({error})")
    for key, error in report.outbox.failed.items():
        parts.append(f"{key} refused: {error}")
    return ", ".join(parts)


# --- emergency ---------------------------------------------------------------------------
def _order_row(store: Store, public_id: str) -> EmergencyOrderRow:
    from app.services.emergency import quorum_status

    with store.read() as tx:
        repo = _repo(tx)
        order = repo.order(public_id)
        if order is None:
            raise RefusedError([f"order {public_id} does not exist"])
        signatures = repo.order_signatures(order.id)
    signed = {s.party: s for s in signatures}
    verified = set(quorum_status(store, public_id).parties_signed)
    parties = tuple(
        PartySignature(
            party=p,
            signed=p.value in signed,
            verified=p.value in verified,
            signed_at=signed[p.value].imported_at if p.value in signed else None,
        )
        for p in Party
    )
    assets = order.body.get("assets", [])
    names = assets if isinstance(assets, list) else list(assets)
    return EmergencyOrderRow(
        order_id=order.public_id,
        client_id=order.client_id,
        assets=tuple(str(a if isinstance(a, str) else a.get("asset", "")) for a in names),
        reason=order.reason,
        created_at=order.created_at,
        expires_at=order.expires_at,
        parties=parties,
        executed_at=order.executed_at,
        safe_tx_hash=_safe_tx_hash(order.body),
    )


def _safe_tx_hash(body: dict[str, Any]) -> str | None:
    section = body.get("safe")
    return str(section["safe_tx_hash"]) if isinstance(section, dict) else None


def emergency_orders(store: Store) -> list[EmergencyOrderRow]:
    with store.read() as tx:
        ids = _repo(tx).order_ids()
    return [_order_row(store, i) for i in ids]


def create_order(store: Store, client_id: str, reason: str, officer: str) -> EmergencyOrderRow:
    from app.services.safe_orders import create_safe_order

    try:  # a client with a Safe gets the SafeTx beside the order
        document = create_safe_order(store, client_id, reason, actor=f"officer:{officer}")
    except Exception as exc:
        raise _refusal(exc) from exc
    return _order_row(store, str(document.body["id"]))


async def sign_safe_order(
    store: Store, order_id: str, officer: str, uri: str, interaction: Interaction
) -> EmergencyOrderRow:
    """The custodian's signature of the order's SafeTx, on the officer's device (EIP-712)."""
    from app.services.safe_orders import sign_safe_tx

    try:
        await sign_safe_tx(
            store, order_id, Party.CUSTODIAN, uri, interaction, actor=f"officer:{officer}"
        )
    except Exception as exc:
        raise _refusal(exc) from exc
    return _order_row(store, order_id)


async def sign_order(
    store: Store,
    order_id: str,
    officer: str,
    uri: str,
    interaction: Interaction,
    *,
    replace_reason: str = "",
) -> EmergencyOrderRow:
    """Sign the custodian's share on the officer's device, verify it, store it.

    With ``replace_reason`` the new share replaces the custodian's earlier one
    (audited ``emergency.share_replace``); without, a second share is refused.
    """
    replace = bool(replace_reason.strip())
    from app.services import emergency
    from app.services.officers import keys_file

    path = next((o.path for o in officers(store) if o.name == officer), DEFAULT_PATH)
    try:
        document = emergency.export_order(store, order_id)
        signed = await emergency.sign_share(
            document,
            Party.CUSTODIAN,
            uri,
            path,
            interaction=interaction,
            keys=keys_file(store),
            replace=replace,
        )
        await emergency.import_signed_kept(
            store,
            signed.to_bytes(),
            actor=f"officer:{officer}",
            replace=replace,
            reason=replace_reason,
        )
    except Exception as exc:
        raise _refusal(exc) from exc
    return _order_row(store, order_id)


def export_order(store: Store, order_id: str, path: str) -> None:
    from app.services import emergency

    document = emergency.export_order(store, order_id)
    write_private(Path(path), document.to_bytes())


async def import_order(store: Store, path: str) -> EmergencyOrderRow:
    import asyncio

    from app.services import emergency

    try:
        data = await asyncio.to_thread(read_bounded, Path(path), MAX_ORDER_BYTES,
                                       "signed order copy")
        result = await emergency.import_signed_kept(store, data, actor="desk:import")
    except Exception as exc:
        raise _refusal(exc) from exc
    return await asyncio.to_thread(_order_row, store, result.order_id)


def execute_order(store: Store, order_id: str, officer: str) -> EmergencyOrderRow:
    from app.services import emergency

    try:
        emergency.execute(store, order_id, actor=f"officer:{officer}")
    except Exception as exc:
        raise _refusal(exc) from exc
    return _order_row(store, order_id)


def execute_safe_order(store: Store, order_id: str, officer: str, path: str) -> EmergencyOrderRow:
    """A Safe order: write its ``execTransaction`` call to ``path`` and release it, once."""
    from app.services.safe_orders import execute_safe_order as execute_safe

    try:
        execute_safe(store, order_id, Path(path), actor=f"officer:{officer}")
    except Exception as exc:
        raise _refusal(exc) from exc
    return _order_row(store, order_id)


DEFAULT_PATH = "m/44'/0'/0'/0/0"
