"""The audit trail anchored outside the desk: tree heads others hold, checked later.

A forger with the desk's files can drop the triggers, rewrite entries and
recompute every hash with the desk's own functions: ``audit verify`` alone then
passes. What they cannot change is a tree head (size, RFC 6962 root) someone
else already holds. The desk hands one out with every exchange delivery and
every reconciliation:

* :func:`current_head` is the head as an ``audit_head`` object::

      {"document": "custody-desk/audit-head", "custodian_id": "CUST-DEMO",
       "exchange_id": "EXCH-DEMO", "env": "test", "size": 41, "root": "<hex>",
       "at": "2026-12-03T07:00:00Z"}

* the REST link sends it with every POST (header ``Audit-Head``); the exchange
  keeps it and repeats it inside its **signed receipt** (``answer.audit_head``),
  and the simulator exports what it kept (``GET /v1/audit-heads``);
* a reconciliation report carries it in its **officer-signed** body
  (``audit_head``), so the regulator's copy holds it too;
* every delivery also carries the newest **officer-signed** ``audit_checkpoint``
  document (header ``Audit-Checkpoint``; approving an attestation and signing a
  reconciliation report sign one on the officer's device); the exchange keeps
  those that verify against the registered officer keys (the simulator exports
  them at ``GET /v1/audit-checkpoints`` as ``{"audit_checkpoints": [...]}``);
* ``audit export-checkpoint`` files and the regulator export
  (``custody-desk regulator export``: ``checkpoints.json``) are anchors as well.

:func:`verify_against` (``custody-desk audit verify --against FILE``) reads any
of those files (a document, one head, ``{"audit_heads": [...]}`` or
``{"audit_checkpoints": [...]}``) and checks that the local trail *extends*
every head: the first ``size`` entries hash to exactly that root. A trail
rewritten, truncated or replaced after the head was shared fails, naming the
head. A signed checkpoint's signature is checked too, against the officer keys
the desk ever registered (a key revoked since still identifies who signed the
head then): one that verifies under none is not this desk's checkpoint and fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.documents.canonical import encode, utc
from app.documents.envelope import Document, Kind, parse_document
from app.documents.errors import DocumentError
from app.documents.keys import KeysFile, Party
from app.documents.signatures import verify_message
from app.domain import audit_chain
from app.domain.statement import CheckpointStatement, StatementError, parse_as
from app.services.audit_log import head_root
from app.services.desk_identity import desk_identity
from app.store.interface import Store, Transaction
from app.store.records import AuditRow

AUDIT_HEAD_DOCUMENT = "custody-desk/audit-head"


class AnchorError(ValueError):
    """The file holds no tree head the desk can read."""


@dataclass(frozen=True)
class Anchor:
    """A tree head held outside the desk, and where it came from."""

    size: int
    root: str
    source: str
    custodian_id: str | None = None
    exchange_id: str | None = None
    env: str | None = None
    signed: Document | None = None  # the signed checkpoint it came from, if any


@dataclass(frozen=True)
class AnchorCheck:
    anchor: Anchor
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} anchor {self.anchor.source}: {self.detail}"


def head_of(tx: Transaction, custodian_id: str, exchange_id: str, env: str,
            at: datetime) -> dict[str, Any]:
    """The trail's head in ``tx`` as an ``audit_head`` object."""
    head = tx.audit.head()
    return {
        "document": AUDIT_HEAD_DOCUMENT,
        "custodian_id": custodian_id,
        "exchange_id": exchange_id,
        "env": env,
        "size": 0 if head is None else head.size,
        "root": head_root(head).hex(),
        "at": utc(at),
    }


def current_head(store: Store, at: datetime) -> dict[str, Any]:
    """The store's trail head now, ready to hand to the exchange or the regulator."""
    desk = desk_identity(store)
    with store.read() as tx:
        return head_of(tx, desk.custodian_id, desk.exchange_id, desk.env, at)


def _head(obj: object, source: str) -> Anchor:
    if not isinstance(obj, dict):
        raise AnchorError(f"{source}: not an audit head")
    size, root = obj.get("size"), obj.get("root")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise AnchorError(f"{source}: size is not a count")
    if not isinstance(root, str) or len(root) != 64:
        raise AnchorError(f"{source}: root is not a SHA-256 hex")
    def text(name: str) -> str | None:
        value = obj.get(name)
        return value if isinstance(value, str) else None
    return Anchor(size, root.lower(), source, text("custodian_id"), text("exchange_id"),
                  text("env"))


def anchors_in(data: bytes, name: str) -> list[Anchor]:
    """Every tree head in a file: a signed document carrying one, a head, or a list."""
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise AnchorError(f"{name}: not JSON") from exc
    if isinstance(obj, dict) and obj.get("document") == AUDIT_HEAD_DOCUMENT:
        return [_head(obj, name)]
    if isinstance(obj, dict) and isinstance(obj.get("audit_heads"), list):
        return [_head(h, f"{name}[{i}]") for i, h in enumerate(obj["audit_heads"])]
    if isinstance(obj, dict) and isinstance(obj.get("audit_checkpoints"), list):
        found: list[Anchor] = []
        for i, item in enumerate(obj["audit_checkpoints"]):
            where = f"{name}[{i}]"
            try:
                doc = parse_document(encode(item))
            except DocumentError as exc:
                raise AnchorError(f"{where}: not a signed checkpoint ({exc})") from exc
            if doc.kind is not Kind.AUDIT_CHECKPOINT:
                raise AnchorError(f"{where}: a {doc.kind.value}, not a signed checkpoint")
            found.append(_signed_checkpoint(doc, where))
        return found
    try:
        doc = parse_document(data)
    except DocumentError as exc:
        raise AnchorError(f"{name}: neither an audit head nor a document ({exc})") from exc
    body = doc.body
    if doc.kind is Kind.AUDIT_CHECKPOINT:
        return [_signed_checkpoint(doc, name)]
    if doc.kind is Kind.RECONCILIATION_REPORT and "audit_head" in body:
        return [_head(body["audit_head"], f"{name} (signed reconciliation report)")]
    if doc.kind is Kind.EXCHANGE_RECEIPT:
        answer = body.get("answer")
        if isinstance(answer, dict) and "audit_head" in answer:
            return [_head(answer["audit_head"], f"{name} (exchange receipt)")]
    raise AnchorError(f"{name}: a {doc.kind.value} document carries no audit head")


def _signed_checkpoint(doc: Document, where: str) -> Anchor:
    """The head a signed checkpoint states (its signed statement, not only its body)."""
    try:
        stated = parse_as(doc.statement, CheckpointStatement)
    except StatementError as exc:
        raise AnchorError(f"{where}: not a checkpoint statement ({exc})") from exc
    body = doc.body
    if body.get("size") != stated.size or str(body.get("root", "")) != stated.root.hex():
        raise AnchorError(f"{where}: the body's size or root is not the signed statement's")
    return Anchor(stated.size, stated.root.hex(), f"{where} (signed checkpoint)",
                  stated.custodian, stated.exchange, stated.env.value, signed=doc)


def signer_of(doc: Document, keys: KeysFile) -> str | None:
    """The officer whose registered key (revoked since or not) signed ``doc``, else None."""
    for sig in doc.signatures:
        entry = keys.get(sig.key_id)
        if entry is not None and entry.party is Party.CUSTODIAN and verify_message(
            entry.pubkey, doc.statement, sig.signature
        ):
            return f"{entry.name} ({entry.key_id}{', revoked since' if entry.revoked else ''})"
    return None


def check_anchor(entries: list[AuditRow], anchor: Anchor, desk: Any,
                 keys: KeysFile | None = None) -> AnchorCheck:
    """Does the local trail extend ``anchor`` (and, when signed, did an officer sign it)?"""
    for field_name, mine in (("custodian_id", desk.custodian_id),
                             ("exchange_id", desk.exchange_id), ("env", desk.env)):
        theirs = getattr(anchor, field_name)
        if theirs is not None and theirs != mine:
            return AnchorCheck(anchor, False, f"another desk's head ({field_name} {theirs}, "
                                              f"this desk is {mine})")
    if anchor.size > len(entries):
        return AnchorCheck(anchor, False, (
            f"the head covers {anchor.size} entries but the trail holds {len(entries)}: "
            "truncated or rewritten after it was shared"))
    root = audit_chain.tree(entries[: anchor.size]).root.hex()
    if root != anchor.root:
        return AnchorCheck(anchor, False, (
            f"the trail's first {anchor.size} entries hash to {root[:16]}…, the head held "
            f"outside says {anchor.root[:16]}…: rewritten after it was shared"))
    signed_by = ""
    if anchor.signed is not None and keys is not None:
        who = signer_of(anchor.signed, keys)
        if who is None:
            return AnchorCheck(anchor, False, (
                "the trail extends its head, but its signature verifies under no officer key "
                "of this desk: not this desk's checkpoint, or altered"))
        signed_by = f", signed by {who}"
    return AnchorCheck(anchor, True, f"the trail extends it (size {anchor.size}, "
                                     f"root {anchor.root[:16]}…{signed_by})")


def verify_against(store: Store, anchors: Iterable[Anchor]) -> list[AnchorCheck]:
    """Check every anchor against the store's trail (one line each)."""
    from app.services.officers import desk_repo, keys_from_repo

    desk = desk_identity(store)
    with store.read() as tx:
        entries = list(tx.audit.iter_all())
        keys = keys_from_repo(desk_repo(tx), desk.env)
    return [check_anchor(entries, anchor, desk, keys) for anchor in anchors]


__all__ = [
    "AUDIT_HEAD_DOCUMENT",
    "Anchor",
    "AnchorCheck",
    "AnchorError",
    "anchors_in",
    "check_anchor",
    "current_head",
    "head_of",
    "signer_of",
    "verify_against",
]
