"""Reconciliation: the desk's last attested positions against the exchange's ledger.

API::

    run = await reconcile(store, link, actor="cli:alice")          # on demand
    run = await run_if_due(store, link, actor="desk:scheduler")    # None unless a slot is due
    doc = await sign_report(store, run.id, officer="bob", device_uri=uri, interaction=ui)
    export_json(store, run.id) -> bytes     # the signed report (or the unsigned body)
    export_csv(store, run.id) -> str        # one row per break, for the regulator

Twice a day by default (``DEFAULT_TIMES``: 00:00 and 12:00 UTC, configurable in
the store settings ``reconciliation.times`` as ``HH:MM,HH:MM``): a slot is the
latest scheduled time at or before now; it runs at most once (unique index).

Breaks (each with the client, the asset where it applies, the desk's and the
exchange's figure and the difference):

* ``missing_at_exchange`` / ``missing_at_desk``: a client on one side only;
* ``stale_attestation``: the exchange booked another attestation sequence;
* ``quantity``: an asset's quantity differs by more than ``Tolerance.quantity``;
* ``value``: the attested collateral value differs by more than ``Tolerance.usd``.

The ledger is verified (``app.exchange.ledger``) before it is compared, and
must be newer (sequence) than the last one used; a ledger that fails (or cannot
be fetched) records a ``failed`` run
with the reason, audited. The report is a ``reconciliation_report`` document
signed on a custody officer's device and can be queued for the exchange; the
same device then signs an audit checkpoint (``sign_report(checkpoint=True)``).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from app.documents.builders import new_document
from app.documents.canonical import amount, utc
from app.documents.envelope import Document, Kind, SignatureEntry
from app.documents.errors import DocumentError, Reason
from app.documents.keys import Party, key_id_for
from app.exchange.ledger import Ledger, verify_ledger
from app.exchange.link import ExchangeLink, LinkError
from app.exchange.outbox import enqueue, exchange_repo
from app.services.audit_anchor import head_of
from app.services.audit_checkpoints import AuditCheckpointService
from app.services.data_binding import with_bindings
from app.services.desk_identity import desk_identity
from app.services.device_access import SignerFactory, sign_on_device
from app.services.officers import desk_repo, keys_file
from app.services.signed_commit import commit_signed
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_exchange import ReconciliationRecord
from signing.interface import Interaction

logger = logging.getLogger(__name__)

DEFAULT_TIMES = (time(0, 0), time(12, 0))
SETTING_TIMES = "reconciliation.times"
REPORT_VALIDITY = timedelta(days=30)


class ReconciliationError(Exception):
    """A reconciliation action was refused; the store is unchanged."""


@dataclass(frozen=True)
class Tolerance:
    """Differences at or below these are not breaks."""

    quantity: Decimal = Decimal(0)
    usd: Decimal = Decimal("0.01")


@dataclass(frozen=True)
class Break:
    client_id: str
    kind: str
    asset: str | None
    desk: Decimal | None
    exchange: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.desk is None or self.exchange is None:
            return None
        return self.exchange - self.desk

    def to_json(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else amount(v)

        return {
            "client_id": self.client_id, "kind": self.kind, "asset": self.asset,
            "desk_amount": text(self.desk), "exchange_amount": text(self.exchange),
            "difference_amount": text(self.difference),
        }


@dataclass(frozen=True)
class DeskLine:
    """A client as last attested by the desk."""

    client_id: str
    attestation_seq: int
    positions: dict[str, Decimal]
    collateral_value_usd: Decimal


# -- schedule ---------------------------------------------------------------------------


def parse_times(text: str) -> tuple[time, ...]:
    """``"00:00,12:00"`` -> the schedule (refuses anything else)."""
    try:
        times = tuple(sorted(time.fromisoformat(t.strip()) for t in text.split(",") if t.strip()))
    except ValueError as exc:
        raise ReconciliationError(f"reconciliation times {text!r}: use HH:MM,HH:MM") from exc
    if not times:
        raise ReconciliationError("at least one reconciliation time is needed")
    return times


def schedule(store: Store) -> tuple[time, ...]:
    with store.read() as tx:
        raw = tx.settings.get(SETTING_TIMES)
    return parse_times(raw) if raw else DEFAULT_TIMES


def current_slot(now: datetime, times: tuple[time, ...]) -> str:
    """The latest scheduled instant at or before ``now``, as ``YYYY-MM-DDTHH:MMZ``."""
    candidates = []
    for day in (now.date(), now.date() - timedelta(days=1)):
        for t in times:
            moment = datetime.combine(day, t, tzinfo=now.tzinfo)
            if moment <= now:
                candidates.append(moment)
    return max(candidates).strftime("%Y-%m-%dT%H:%MZ")


# -- comparison -------------------------------------------------------------------------


def desk_lines(store: Store) -> dict[str, DeskLine]:
    """Each client's figures from the latest signed (or sent) attestation that holds it."""
    lines: dict[str, DeskLine] = {}
    with store.read() as tx:
        repo = desk_repo(tx)
        attested = [r for r in repo.attestations() if r.status in ("signed", "sent")]
        for rec in sorted(attested, key=lambda r: r.sequence):
            for client in repo.attestation_clients(rec.id):
                positions: dict[str, Decimal] = {}
                for p in client.leaf["positions"]:
                    positions[p["asset"]] = positions.get(p["asset"], Decimal(0)) + Decimal(
                        p["quantity"])
                lines[client.client_id] = DeskLine(
                    client.client_id, rec.sequence, positions, client.collateral_value_usd
                )
    return lines


def compare(desk: dict[str, DeskLine], ledger: Ledger, tolerance: Tolerance) -> list[Break]:
    """Every break between the desk's lines and the ledger, by client then asset."""
    exchange = {line.client_id: line for line in ledger.lines}
    breaks: list[Break] = []
    for client_id in sorted(set(desk) | set(exchange)):
        mine, theirs = desk.get(client_id), exchange.get(client_id)
        if theirs is None:
            assert mine is not None
            breaks.append(Break(client_id, "missing_at_exchange", None,
                                mine.collateral_value_usd, None))
            continue
        if mine is None:
            breaks.append(Break(client_id, "missing_at_desk", None, None,
                                theirs.attested_collateral_usd))
            continue
        if mine.attestation_seq != theirs.attestation_seq:
            breaks.append(Break(client_id, "stale_attestation", None,
                                Decimal(mine.attestation_seq), Decimal(theirs.attestation_seq)))
        for asset in sorted(set(mine.positions) | set(theirs.positions)):
            a = mine.positions.get(asset, Decimal(0))
            b = theirs.positions.get(asset, Decimal(0))
            if abs(a - b) > tolerance.quantity:
                breaks.append(Break(client_id, "quantity", asset, a, b))
        if abs(mine.collateral_value_usd - theirs.attested_collateral_usd) > tolerance.usd:
            breaks.append(Break(client_id, "value", None, mine.collateral_value_usd,
                                theirs.attested_collateral_usd))
    return breaks


# -- runs -------------------------------------------------------------------------------


async def reconcile(
    store: Store,
    link: ExchangeLink,
    *,
    actor: str,
    tolerance: Tolerance | None = None,
    slot: str | None = None,
    clock: Clock = utc_now,
) -> ReconciliationRecord:
    """Fetch and verify the ledger, compare, store the run (with its audit entry)."""
    tolerance = tolerance or Tolerance()
    desk = desk_identity(store)
    keys = keys_file(store)
    now = clock()
    error: str | None = None
    ledger: Ledger | None = None
    with store.read() as tx:
        last_seq = exchange_repo(tx).last_ledger_sequence()
    try:
        data = await link.fetch_ledger()
        ledger = verify_ledger(data, keys, env=desk.env, exchange_id=desk.exchange_id, now=now)
        if last_seq is not None and ledger.sequence <= last_seq:
            raise DocumentError(
                Reason.REPLAY, f"ledger {ledger.sequence} is not newer than {last_seq}"
            )
    except (LinkError, DocumentError) as exc:
        error = str(exc)
        ledger = None
    mine = desk_lines(store)
    breaks = [] if ledger is None else compare(mine, ledger, tolerance)
    status = "failed" if ledger is None else ("breaks" if breaks else "clean")
    run_at = now.replace(microsecond=0)
    body: dict[str, Any] = {
        "id": f"recon-{run_at:%Y%m%dT%H%M%SZ}", "exchange_id": desk.exchange_id,
        "env": desk.env, "sequence": None, "expires_at": utc(run_at + REPORT_VALIDITY),
        "custodian_id": desk.custodian_id, "run_at": utc(run_at), "slot": slot,
        "ledger_sequence": None if ledger is None else ledger.sequence,
        "ledger_as_of": None if ledger is None else utc(ledger.as_of),
        "tolerance_quantity": amount(tolerance.quantity), "tolerance_usd": amount(tolerance.usd),
        "clients_compared": len(set(mine) | ({ln.client_id for ln in ledger.lines}
                                             if ledger else set())),
        "status": status, "error": error, "breaks": [b.to_json() for b in breaks],
    }
    with unit_of_work(store, clock=clock) as uow:
        repo = exchange_repo(uow.tx)
        if slot is not None and repo.slot_done(slot):
            raise ReconciliationError(f"slot {slot} has already run")
        # the trail's head as of this run: the signed report anchors it outside the desk
        body["audit_head"] = head_of(uow.tx, desk.custodian_id, desk.exchange_id, desk.env,
                                     run_at)
        rec_id = repo.add_reconciliation(
            run_at=uow.now, status=status, break_count=len(breaks), report=body,
            created_by=actor, slot=slot, ledger_sequence=body["ledger_sequence"],
        )
        uow.audit(actor, "reconciliation.run", with_bindings(uow.tx, {
            "id": rec_id, "status": status, "breaks": len(breaks), "slot": slot,
            "error": error,
        }, ("reconciliations", rec_id), ("reconciliations.signature", rec_id)))
        record = repo.reconciliation(rec_id)
    assert record is not None
    logger.info("reconciliation %d: %s (%d breaks)", rec_id, status, len(breaks))
    return record


async def run_if_due(
    store: Store, link: ExchangeLink, *, actor: str, clock: Clock = utc_now,
    tolerance: Tolerance | None = None,
) -> ReconciliationRecord | None:
    """Run the current slot's reconciliation unless it has run already."""
    slot = current_slot(clock(), schedule(store))
    with store.read() as tx:
        if exchange_repo(tx).slot_done(slot):
            return None
    return await reconcile(store, link, actor=actor, tolerance=tolerance, slot=slot,
                           clock=clock)


def runs(store: Store) -> list[ReconciliationRecord]:
    with store.read() as tx:
        return exchange_repo(tx).reconciliations()


def _run(store: Store, rec_id: int) -> ReconciliationRecord:
    with store.read() as tx:
        rec = exchange_repo(tx).reconciliation(rec_id)
    if rec is None:
        raise ReconciliationError(f"no reconciliation {rec_id}")
    return rec


async def sign_report(
    store: Store,
    rec_id: int,
    *,
    officer: str,
    device_uri: str,
    interaction: Interaction,
    send: bool = True,
    signer_factory: SignerFactory | None = None,
    clock: Clock = utc_now,
    checkpoint: bool = True,
) -> Document:
    """Sign run ``rec_id``'s report on ``officer``'s device; queue it for the exchange.

    With ``checkpoint`` (the default) the same device then signs an audit
    checkpoint over the trail including this signature (one more confirmation):
    the report goes out with it (``Audit-Checkpoint``) and the regulator export
    lists it. A refusal of that step leaves the signed report stored.
    """
    rec = _run(store, rec_id)
    if rec.document_json is not None:
        raise ReconciliationError(f"reconciliation {rec_id} is already signed")
    with store.read() as tx:
        signer = desk_repo(tx).officer_by_name(officer)
    if signer is None or not signer.active:
        raise ReconciliationError(f"no active officer named {officer}")
    doc = new_document(Kind.RECONCILIATION_REPORT, rec.report)
    made = await sign_on_device(device_uri, signer.path, doc.statement, interaction,
                                expected_pubkey=signer.pubkey, signer_factory=signer_factory)
    doc = doc.with_signature(SignatureEntry(key_id_for(signer.pubkey), Party.CUSTODIAN.value,
                                            made.signature))
    data = doc.to_bytes()

    def attempt() -> Document:
        with unit_of_work(store, clock=clock) as uow:
            repo = exchange_repo(uow.tx)
            current = repo.reconciliation(rec_id)
            if current is None or current.document_json is not None:
                raise ReconciliationError(f"reconciliation {rec_id} changed while signing")
            repo.set_reconciliation_document(rec_id, doc.signatures[0].to_json()["signature"],
                                             data.decode("utf-8"))
            actor = f"officer:{officer}"
            if send:
                enqueue(uow, Kind.RECONCILIATION_REPORT.value, str(rec.report["id"]), data, actor)
            uow.audit(actor, "reconciliation.sign", with_bindings(
                uow.tx, {"id": rec_id, "statement": doc.statement},
                ("reconciliations.signature", rec_id),
            ))
        return doc

    def already() -> Document | None:
        current = _run(store, rec_id)
        return doc if current.document_json == data.decode("utf-8") else None

    # The device has signed: kept across an outage and stored exactly once.
    await commit_signed(
        f"{officer}'s signature of reconciliation {rec_id}", attempt, already=already
    )
    if checkpoint:
        await AuditCheckpointService(store, clock=clock, signer_factory=signer_factory
                                     ).sign_head_after(f"reconciliation {rec_id}'s signed report",
                                                       officer, device_uri, interaction)
    return doc


def export_json(store: Store, rec_id: int) -> bytes:
    """The signed report document, or (not signed yet) the report body."""
    rec = _run(store, rec_id)
    if rec.document_json is not None:
        return rec.document_json.encode("utf-8")
    return (json.dumps(rec.report, sort_keys=True, indent=2) + "\n").encode("utf-8")


CSV_COLUMNS = ("run_id", "run_at", "status", "client_id", "kind", "asset", "desk",
               "exchange", "difference")


def break_rows(rec: ReconciliationRecord) -> list[list[object]]:
    """A run's rows in :data:`CSV_COLUMNS` order: one per break (a clean or failed run:
    one row with empty break columns). The regulator export uses them too."""
    head: list[object] = [rec.id, rec.report["run_at"], rec.status]
    breaks = rec.report.get("breaks", [])
    if not breaks:
        return [[*head, "", "", "", "", "", ""]]
    return [[*head, b["client_id"], b["kind"], b["asset"] or "", b["desk_amount"] or "",
             b["exchange_amount"] or "", b["difference_amount"] or ""] for b in breaks]


def export_csv(store: Store, rec_id: int) -> str:
    """One row per break (a clean run has a single row with empty break columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(break_rows(_run(store, rec_id)))
    return out.getvalue()
