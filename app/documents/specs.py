"""Per-kind verification rules (who signs, what the body must agree with)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from app.documents.canonical import exact_fields, field, parse_amount, parse_hex32, parse_utc
from app.documents.envelope import Document, Kind, body_digest
from app.documents.errors import Reason
from app.documents.header import StatementHeader, parse_header
from app.documents.keys import Party, Role
from app.documents.order_body import order_checks
from app.documents.report import Check, failed, passed
from app.documents.statement_adapter import domain_statement_parser, rerender_check
from app.documents.verify import KindSpec, SignerRule
from app.domain.multisig import EMERGENCY_WINDOW
from app.domain.rfc6962 import InvalidProofError, verify_consistency

# Body fields that are money or quantities: always decimal strings.
_AMOUNT_KEY = re.compile(r".*(_usd|_value|quantity|amount|_ratio|shortfall)$")

CUSTODIAN_OFFICER = SignerRule(frozenset({Party.CUSTODIAN}), frozenset({Role.OFFICER}))
EXCHANGE_SIGNER = SignerRule(frozenset({Party.EXCHANGE}), frozenset({Role.EXCHANGE}))
# The custodian's share may be signed on a custody officer's own device (officer
# keys belong to the custodian only); regulator and exchange use emergency keys.
EMERGENCY_QUORUM = SignerRule(
    frozenset({Party.REGULATOR, Party.CUSTODIAN, Party.EXCHANGE}),
    frozenset({Role.EMERGENCY, Role.OFFICER}),
    quorum=2,
)


def _amounts_are_strings(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if _AMOUNT_KEY.fullmatch(key) and not isinstance(item, (dict, list)):
                if item is not None:
                    parse_amount(item, f"{where}.{key}")
            else:
                _amounts_are_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _amounts_are_strings(item, f"{where}[{index}]")


def common_body_checks(
    doc: Document, header: StatementHeader, body: dict[str, Any] | None = None
) -> list[Check]:
    """The body repeats the statement's id, exchange, env, expiry and is bound by digest."""
    body = doc.body if body is None else body
    digest = body_digest(body)
    if digest != header.binding:
        return [failed("body", Reason.MISMATCH, "body digest differs from the signed statement")]
    expected = {
        "id": header.doc_id,
        "exchange_id": header.exchange_id,
        "env": header.env,
    }
    for name, value in expected.items():
        if body.get(name) != value:
            return [failed("body", Reason.MISMATCH, f"body {name} differs from the statement")]
    if parse_utc(body.get("expires_at"), "body.expires_at") != header.expires_at:
        return [failed("body", Reason.MISMATCH, "body expires_at differs from the statement")]
    if body.get("sequence") != header.sequence:
        return [failed("body", Reason.MISMATCH, "body sequence differs from the statement")]
    _amounts_are_strings(body, "body")
    return [passed("body", f"bound to the statement (sha256 {digest[:16]}...)")]


def _domain_checks(doc: Document, header: StatementHeader) -> list[Check]:
    checks = [rerender_check(doc)]
    if checks[0].ok:
        _amounts_are_strings(doc.body, "body")
    return checks


def _unfreeze_checks(doc: Document, header: StatementHeader) -> list[Check]:
    """Every order field against the signed statement (a share is an order copy)."""
    checks = [order_checks(doc.body, doc.statement)]
    if not checks[0].ok:
        return checks
    created = parse_utc(doc.body.get("created_at"), "body.created_at")
    if header.expires_at - created != EMERGENCY_WINDOW:
        checks.append(failed("window", Reason.MISMATCH, "expiry is not 48 h after creation"))
    else:
        checks.append(passed("window", "expires 48 h after creation"))
    return checks


def _checkpoint_checks(doc: Document, header: StatementHeader) -> list[Check]:
    """An audit checkpoint may carry an RFC 6962 proof that it extends an earlier one.

    ``body.consistency`` (null for the first signed checkpoint) names the earlier
    checkpoint's ``from_size`` and ``from_root``; the proof must lead from that
    root to the signed ``root``. A holder of the earlier signed checkpoint then
    compares ``from_root`` with its own copy: equal means the log only grew.
    """
    checks = _domain_checks(doc, header)
    if not checks[0].ok:
        return checks
    size = field(doc.body, "size", int, "body")
    if doc.body["id"] != f"ckpt-{size}":
        return [failed("body", Reason.MISMATCH,
                       f"body.id is {doc.body['id']!r}, expected 'ckpt-{size}'")]
    signers = sorted(s.key_id for s in doc.signatures)
    if doc.body["signer_key_ids"] != signers:
        return [failed("body", Reason.MISMATCH,
                       "body.signer_key_ids differ from the keys that signed")]
    consistency = doc.body["consistency"]
    if consistency is None:
        return checks
    exact_fields(consistency, CONSISTENCY_FIELDS, "body.consistency")
    from_size = field(consistency, "from_size", int, "body.consistency")
    try:
        from_root = parse_hex32(consistency.get("from_root"), "body.consistency.from_root")
        proof = [
            parse_hex32(p, f"body.consistency.proof[{i}]")
            for i, p in enumerate(field(consistency, "proof", list, "body.consistency"))
        ]
        root = parse_hex32(doc.body.get("root"), "body.root")
        if from_size >= size:
            raise InvalidProofError(f"from_size {from_size} is not below size {size}")
        verify_consistency(from_size, size, proof, from_root, root)
    except (ValueError, TypeError) as exc:  # InvalidProofError is a ValueError
        checks.append(failed("consistency", Reason.BAD_PROOF, f"{exc}"))
        return checks
    checks.append(
        passed("consistency", f"extends the checkpoint at size {from_size} "
               f"(root {from_root.hex()[:16]}...)")
    )
    return checks


RELEASE_FIELDS: Mapping[str, type] = {"id": str, "order": dict}


def _release_checks(doc: Document, header: StatementHeader) -> list[Check]:
    """A release carries the order body; the quorum signed the order's statement.

    Every byte is bound: ``order`` by the quorum's statement, ``id`` must be
    ``rel-<order id>``. When and by whom the desk executed it is not in the
    document (nobody signed it); the desk's audit trail records it.
    """
    body = exact_fields(doc.body, RELEASE_FIELDS, "body")
    checks = [order_checks(body["order"], doc.statement, "body.order")]
    if not checks[0].ok:
        return checks
    order_id = body["order"]["id"]
    if body["id"] != f"rel-{order_id}":
        return [failed("body", Reason.MISMATCH, f"body.id is {body['id']!r}, expected "
                       f"'rel-{order_id}'")]
    return checks


def _generic(kind: Kind, signers: SignerRule) -> KindSpec:
    return KindSpec(
        kind=kind, parse_statement=parse_header, body_checks=common_body_checks, signers=signers
    )


def _domain(
    kind: Kind,
    signers: SignerRule,
    checks: Callable[..., list[Check]] = _domain_checks,
    body_fields: Mapping[str, type] | None = None,
) -> KindSpec:
    return KindSpec(
        kind=kind,
        parse_statement=domain_statement_parser(kind),
        body_checks=checks,
        signers=signers,
        body_fields=body_fields,
    )


_ISSUED = {"id": str, "exchange_id": str, "env": str, "margin_call_id": str,
           "client_id": str, "amount_usd": str, "expires_at": str}
TOPUP_FIELDS: Mapping[str, type] = {**_ISSUED, "attestation_seq": int}
LIQUIDATION_FIELDS: Mapping[str, type] = {**_ISSUED, "lines": list}
CHECKPOINT_FIELDS: Mapping[str, type] = {
    "id": str, "custodian_id": str, "exchange_id": str, "env": str, "size": int, "at": str,
    "expires_at": str, "root": str, "signer_key_ids": list, "consistency": object,
}
CONSISTENCY_FIELDS: Mapping[str, type] = {"from_size": int, "from_root": str, "proof": list}


def default_specs() -> dict[Kind, KindSpec]:
    """The verifier's rules for every kind this version knows."""
    from app.documents.attestation_spec import attestation_spec

    specs = [
        attestation_spec(),
        _generic(Kind.MARGIN_CALL, EXCHANGE_SIGNER),
        _generic(Kind.EXCHANGE_RECEIPT, EXCHANGE_SIGNER),
        _generic(Kind.RECONCILIATION_REPORT, CUSTODIAN_OFFICER),
        _domain(Kind.TOPUP_ANSWER, CUSTODIAN_OFFICER, body_fields=TOPUP_FIELDS),
        _domain(Kind.LIQUIDATION_INSTRUCTION, CUSTODIAN_OFFICER, body_fields=LIQUIDATION_FIELDS),
        _domain(Kind.AUDIT_CHECKPOINT, CUSTODIAN_OFFICER, _checkpoint_checks, CHECKPOINT_FIELDS),
        _domain(Kind.UNFREEZE_ORDER, EMERGENCY_QUORUM, _unfreeze_checks),
        KindSpec(
            kind=Kind.RELEASE_INSTRUCTION,
            parse_statement=domain_statement_parser(Kind.UNFREEZE_ORDER),
            body_checks=_release_checks,
            signers=EMERGENCY_QUORUM,
            statement_kind=Kind.UNFREEZE_ORDER.value,
        ),
    ]
    return {spec.kind: spec for spec in specs}
