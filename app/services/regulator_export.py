"""The regulator export: what the desk did, who did it, and the tree heads that pin it.

API::

    written = export_regulator(store, Path("vara-2026-12-03"), actor="officer:alice")

writes, into a folder (created 0700; every file 0600, atomically)::

    attestations.csv          one row per attestation: root, as_of, status, who PREPARED
                              it (maker, key id, prepared-by signature: bundle format 3)
                              and who APPROVED it (checker, key id, signature, when),
                              and whether both signatures verify under those keys now
    reconciliation_breaks.csv one row per break of every run (a clean run: one row with
                              empty break columns), with who signed the report
    emergency_orders.csv      one row per share of every emergency unfreeze order
                              (an order without shares: one row with empty share columns)
    checkpoints.csv           every signed audit checkpoint: size, root, signer, statement,
                              signature, and why it is not in checkpoints.json if it is not
    checkpoints.json          {"audit_checkpoints": [audit_checkpoint documents]}: the
                              officer-signed tree heads, each with its consistency proof
    audit-head.json           the trail's head at the export (the desk's plain claim)
    manifest.json             the desk, the time, the head and the SHA-256 of every file

``custody-desk audit verify --against DIR`` (or ``--against DIR/checkpoints.json``)
then proves the trail a regulator is later shown still extends every head the
export carried. The export is audited (``regulator.export``, with the manifest's
digests), after the files are written.

Assumptions: amounts are written as the desk stores them (decimal strings, USD
to the cent); times are UTC ``YYYY-MM-DDTHH:MM:SSZ``; the CSVs use ``,`` and
``\\n`` and quote as Python's csv module does. Formula-looking cells (``=``, ``+``,
``-``, ``@`` first, unless a plain number) are prefixed with ``'`` so a
spreadsheet never runs them.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.documents.canonical import encode, utc
from app.documents.keys import key_id_for
from app.documents.signatures import verify_message
from app.domain.attestation import MAKER_CHECKER_FORMAT
from app.exchange.outbox import exchange_repo
from app.files import write_private
from app.services.audit_anchor import head_of
from app.services.audit_checkpoints import AuditCheckpointService
from app.services.desk_identity import desk_identity
from app.services.officers import desk_repo
from app.services.reconciliation import CSV_COLUMNS, break_rows
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_signin import SqliteSigninRepository

MANIFEST_FORMAT = "custody-desk/regulator-export"
MANIFEST_VERSION = 1

ATTESTATION_COLUMNS = (
    "attestation_id", "sequence", "status", "format", "as_of", "root", "client_count",
    "total_collateral_usd", "statement",
    "prepared_by", "prepared_by_key_id", "prepared_signature",
    "approved_by", "approved_by_key_id", "approved_signature", "approved_at",
    "signatures_verify",
)
BREAK_COLUMNS = (*CSV_COLUMNS, "report_signed_by", "audit_head_size", "audit_head_root")
ORDER_COLUMNS = ("order_id", "client_id", "status", "reason", "created_by", "created_at",
                 "expires_at", "executed_at", "statement", "share_party", "share_key_id",
                 "share_address", "share_signature", "share_imported_at")
CHECKPOINT_COLUMNS = ("checkpoint_id", "size", "root", "created_at", "signer", "signer_key_id",
                      "statement", "signature", "in_checkpoints_json")


class RegulatorExportError(Exception):
    """The export was refused (nothing was written)."""


@dataclass(frozen=True)
class RegulatorExport:
    folder: Path
    files: dict[str, str]  # file name -> SHA-256 hex
    head: dict[str, Any]
    counts: dict[str, int]


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _cell(value: object) -> str:
    """A cell as text; a formula-looking one (not a plain number) gets a leading ``'``."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _time(moment: datetime | None) -> str:
    return "" if moment is None else utc(moment.replace(microsecond=0))


def _attestation_rows(store: Store) -> list[list[object]]:
    rows: list[list[object]] = []
    with store.read() as tx:
        repo = desk_repo(tx)
        signin = tx.repository(SqliteSigninRepository)  # type: ignore[attr-defined]
        for rec in repo.attestations():
            maker = repo.officer_by_id(rec.maker_officer_id)
            checker = repo.officer_by_id(rec.checker_officer_id or 0)
            maker_b64 = signin.maker_signature(rec.id)
            fmt = rec.tree.get("format")
            verdicts: list[str] = []
            if rec.signature_b64 and checker is not None:
                good = verify_message(checker.pubkey, rec.statement,
                                      base64.b64decode(rec.signature_b64))
                verdicts.append(f"approved-by {'valid' if good else 'INVALID'}")
            if maker_b64 and maker is not None:
                good = verify_message(maker.pubkey, rec.statement, base64.b64decode(maker_b64))
                verdicts.append(f"prepared-by {'valid' if good else 'INVALID'}")
            elif fmt == MAKER_CHECKER_FORMAT:
                verdicts.append("prepared-by MISSING")
            rows.append([
                rec.id, rec.sequence, rec.status, fmt, _time(rec.as_of), rec.root_hex,
                rec.client_count, f"{rec.total_collateral_usd:.2f}", rec.statement,
                maker.name if maker else f"officer #{rec.maker_officer_id}",
                key_id_for(maker.pubkey) if maker else "", maker_b64 or "",
                checker.name if checker else "",
                key_id_for(checker.pubkey) if checker and rec.signature_b64 else "",
                rec.signature_b64 or "", _time(rec.signed_at), "; ".join(verdicts),
            ])
    return rows


def _break_rows(store: Store) -> list[list[object]]:
    rows: list[list[object]] = []
    with store.read() as tx:
        repo = exchange_repo(tx)
        runs = repo.reconciliations()
        officers = {key_id_for(o.pubkey): o.name for o in desk_repo(tx).officers()}
    for rec in sorted(runs, key=lambda r: r.id):
        signed_by = ""
        if rec.document_json:
            doc = json.loads(rec.document_json)
            signed_by = ", ".join(
                f"{officers.get(s.get('key_id'), '?')} ({s.get('key_id')})"
                for s in doc.get("signatures", [])
            )
        head = rec.report.get("audit_head") or {}
        for row in break_rows(rec):
            rows.append([*row, signed_by, head.get("size", ""), head.get("root", "")])
    return rows


def _order_rows(store: Store) -> list[list[object]]:
    rows: list[list[object]] = []
    with store.read() as tx:
        repo = desk_repo(tx)
        for public_id in repo.order_ids():
            order = repo.order(public_id)
            if order is None:
                continue
            head = [order.public_id, order.client_id, order.status, order.reason,
                    order.created_by, _time(order.created_at), _time(order.expires_at),
                    _time(order.executed_at), order.statement]
            shares = repo.order_signatures(order.id)
            if not shares:
                rows.append([*head, "", "", "", "", ""])
            for share in shares:
                rows.append([*head, share.party, key_id_for(share.pubkey), share.address,
                             share.signature_b64, _time(share.imported_at)])
    return rows


def export_regulator(
    store: Store, folder: Path, *, actor: str, clock: Clock = utc_now
) -> RegulatorExport:
    """Write the regulator export into ``folder`` (new or empty); audit it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise RegulatorExportError(f"{folder} exists and is not an empty folder")
    desk = desk_identity(store)
    now = clock()
    checkpoints = AuditCheckpointService(store, clock=clock).export_signed()
    with store.read() as tx:
        head = head_of(tx, desk.custodian_id, desk.exchange_id, desk.env, now)
        names = {key_id_for(o.pubkey): o.name for o in desk_repo(tx).officers()}
    attestations = _attestation_rows(store)
    breaks = _break_rows(store)
    orders = _order_rows(store)
    checkpoint_rows = [
        [c.row.id, c.row.tree_size, c.row.root_hash, _time(c.row.created_at),
         names.get(c.row.signer or "", "?"), c.row.signer, c.row.statement, c.row.signature,
         "yes" if c.document is not None else f"no: {c.problem}"]
        for c in checkpoints
    ]
    held = {"audit_checkpoints": [c.document.to_json() for c in checkpoints
                                  if c.document is not None]}
    contents: dict[str, bytes] = {
        "attestations.csv": _csv(ATTESTATION_COLUMNS, attestations),
        "reconciliation_breaks.csv": _csv(BREAK_COLUMNS, breaks),
        "emergency_orders.csv": _csv(ORDER_COLUMNS, orders),
        "checkpoints.csv": _csv(CHECKPOINT_COLUMNS, checkpoint_rows),
        "checkpoints.json": encode(held) + b"\n",
        "audit-head.json": encode(head) + b"\n",
    }
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    counts = {"attestations": len(attestations), "reconciliation_rows": len(breaks),
              "emergency_order_rows": len(orders), "signed_checkpoints": len(checkpoints),
              "checkpoints_in_json": len(held["audit_checkpoints"])}
    manifest = {"document": MANIFEST_FORMAT, "version": MANIFEST_VERSION,
                "custodian_id": desk.custodian_id, "exchange_id": desk.exchange_id,
                "env": desk.env, "exported_at": utc(now.replace(microsecond=0)),
                "audit_head": head, "counts": counts, "files": digests}
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    for name, data in contents.items():
        write_private(folder / name, data)
    write_private(folder / "manifest.json", encode(manifest) + b"\n")
    with unit_of_work(store, clock=clock) as uow:
        uow.audit(actor, "regulator.export", {"folder": str(folder), "files": digests,
                                              "audit_head_size": head["size"],
                                              "audit_head_root": head["root"]})
    return RegulatorExport(folder, digests, head, counts)


__all__ = [
    "ATTESTATION_COLUMNS",
    "BREAK_COLUMNS",
    "CHECKPOINT_COLUMNS",
    "ORDER_COLUMNS",
    "RegulatorExport",
    "RegulatorExportError",
    "export_regulator",
]
