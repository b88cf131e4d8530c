"""Bridge between the domain's signed statements (``app.domain.statement``) and
the documents that carry them.

For each kind the domain defines, a document body is bound to its statement
by *re-rendering*: the statement built from the body's own fields must equal
the signed text byte for byte. Nothing in the body that the statement covers
can change without breaking that equality.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.documents.canonical import encode, field, parse_amount, parse_hex32, parse_utc
from app.documents.envelope import Document, Kind
from app.documents.errors import DocumentError, Reason
from app.documents.header import StatementHeader
from app.documents.order_body import order_statement
from app.documents.report import Check, failed, passed
from app.domain import statement as st
from app.domain.attestation import doc_id_for


def attestation_doc_id(sequence: int) -> str:
    """The document id of the attestation with ``sequence`` (``app.domain.attestation``)."""
    return doc_id_for(sequence)


def lines_digest(lines: list[Any]) -> bytes:
    """SHA-256 of the canonical encoding of liquidation instruction lines."""
    return hashlib.sha256(encode(lines)).digest()


def _time(body: dict[str, Any], name: str) -> datetime:
    return parse_utc(body.get(name), f"body.{name}")


def _env(body: dict[str, Any]) -> st.Environment:
    try:
        return st.Environment(field(body, "env", str, "body"))
    except ValueError as exc:
        raise DocumentError(Reason.MALFORMED, "body.env must be prod or test") from exc


def topup_from_body(b: dict[str, Any]) -> st.Statement:
    return st.TopUpStatement(
        exchange=field(b, "exchange_id", str, "body"),
        env=_env(b),
        answer_id=field(b, "id", str, "body"),
        margin_call_id=field(b, "margin_call_id", str, "body"),
        client_id=field(b, "client_id", str, "body"),
        amount_usd=parse_amount(b.get("amount_usd"), "body.amount_usd"),
        attestation_seq=field(b, "attestation_seq", int, "body"),
        expires_at=_time(b, "expires_at"),
    )


def liquidation_from_body(b: dict[str, Any]) -> st.Statement:
    return st.LiquidationStatement(
        exchange=field(b, "exchange_id", str, "body"),
        env=_env(b),
        instruction_id=field(b, "id", str, "body"),
        margin_call_id=field(b, "margin_call_id", str, "body"),
        client_id=field(b, "client_id", str, "body"),
        amount_usd=parse_amount(b.get("amount_usd"), "body.amount_usd"),
        expires_at=_time(b, "expires_at"),
        lines_digest=lines_digest(field(b, "lines", list, "body")),
    )


def checkpoint_from_body(b: dict[str, Any]) -> st.Statement:
    return st.CheckpointStatement(
        custodian=field(b, "custodian_id", str, "body"),
        exchange=field(b, "exchange_id", str, "body"),
        env=_env(b),
        size=field(b, "size", int, "body"),
        at=_time(b, "at"),
        expires_at=_time(b, "expires_at"),
        root=parse_hex32(b.get("root"), "body.root"),
    )


def _doc_id(s: st.Statement) -> tuple[str, int | None]:
    if isinstance(s, st.AttestationStatement):
        return attestation_doc_id(s.seq), s.seq
    if isinstance(s, st.UnfreezeStatement):
        return s.order_id, None
    if isinstance(s, st.TopUpStatement):
        return s.answer_id, None
    if isinstance(s, st.LiquidationStatement):
        return s.instruction_id, None
    if isinstance(s, st.CheckpointStatement):
        return f"ckpt-{s.size}", s.size
    raise DocumentError(Reason.UNKNOWN_KIND, type(s).__name__)


_DOMAIN_KINDS: dict[Kind, tuple[type[st.Statement], Callable[[dict[str, Any]], st.Statement]]] = {
    Kind.UNFREEZE_ORDER: (st.UnfreezeStatement, order_statement),
    Kind.TOPUP_ANSWER: (st.TopUpStatement, topup_from_body),
    Kind.LIQUIDATION_INSTRUCTION: (st.LiquidationStatement, liquidation_from_body),
    Kind.AUDIT_CHECKPOINT: (st.CheckpointStatement, checkpoint_from_body),
}


# Bundles rebuild their statement in app.domain.attestation.verify_bundle (the one verifier).
_STATEMENT_CLASSES: dict[Kind, type[st.Statement]] = {
    Kind.ATTESTATION_BUNDLE: st.AttestationStatement,
    **{kind: cls for kind, (cls, _) in _DOMAIN_KINDS.items()},
}


def domain_statement_parser(kind: Kind) -> Callable[[str], StatementHeader]:
    """A parser of ``kind``'s domain statement into the common header."""
    cls = _STATEMENT_CLASSES[kind]

    def parse(text: str) -> StatementHeader:
        try:
            parsed = st.parse(text)
        except st.RetiredStatementVersion as exc:
            raise DocumentError(Reason.UNSUPPORTED_VERSION, f"statement: {exc}") from exc
        except st.StatementError as exc:
            raise DocumentError(Reason.MALFORMED, f"statement: {exc}") from exc
        if not isinstance(parsed, cls):
            return StatementHeader(
                kind=f"{parsed.KIND}",
                version=parsed.VERSION,
                exchange_id=parsed.exchange,
                env=parsed.env.value,
                doc_id="",
                sequence=None,
                expires_at=parsed.expires_at,
                binding="",
            )
        doc_id, sequence = _doc_id(parsed)
        return StatementHeader(
            kind=kind.value,
            version=parsed.VERSION,
            exchange_id=parsed.exchange,
            env=parsed.env.value,
            doc_id=doc_id,
            sequence=sequence,
            expires_at=parsed.expires_at,
            binding=parsed.digest().hex(),
        )

    return parse


def rerender_check(doc: Document, body: dict[str, Any] | None = None) -> Check:
    """The statement rebuilt from the body must equal the signed text exactly."""
    kind = Kind.UNFREEZE_ORDER if doc.kind is Kind.RELEASE_INSTRUCTION else doc.kind
    _, from_body = _DOMAIN_KINDS[kind]
    if kind is Kind.UNFREEZE_ORDER:  # rebuilt in the format it was signed in (2 or 3)
        try:
            version = st.tag_version(doc.statement)
        except st.StatementError as exc:
            return failed("body", Reason.MISMATCH, f"statement: {exc}")
        from_body = lambda b: order_statement(b, "body", version)  # noqa: E731
    try:
        rebuilt = from_body(doc.body if body is None else body).render()
    except (st.StatementError, ValueError) as exc:
        return failed("body", Reason.MISMATCH, f"body cannot form a statement: {exc}")
    if rebuilt != doc.statement:
        return failed("body", Reason.MISMATCH, "body differs from the signed statement")
    return passed("body", "every signed field matches the body")


def parse_attestation_statement(text: str) -> StatementHeader:
    return domain_statement_parser(Kind.ATTESTATION_BUNDLE)(text)
