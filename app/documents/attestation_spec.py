"""The ``attestation_bundle`` kind: the envelope around the domain's one verifier.

Every body check is ``app.domain.attestation.verify_bundle`` (the checks and
their order are ``docs/attestation-format.md`` section 3.5); this module only
reports each as a line of the verifier's output, and hands it the envelope's
signature key ids for the ``signers`` check. The signatures themselves are
checked by ``app.documents.verify`` like every other kind's.
"""

from __future__ import annotations

from datetime import datetime

from app.documents.envelope import Document, Kind
from app.documents.errors import Reason
from app.documents.header import StatementHeader
from app.documents.report import Check, failed, passed
from app.documents.specs import CUSTODIAN_OFFICER
from app.documents.statement_adapter import parse_attestation_statement
from app.documents.verify import KindSpec, ValidSignature
from app.domain import attestation as at
from app.domain import statement as st
from app.domain.statement import AttestationStatement, StatementError, parse_as

CHECK_MAKER_CHECKER = "maker-checker"

_REASONS = {
    at.CHECK_VERSION: Reason.UNSUPPORTED_VERSION,
    at.CHECK_FIELDS: Reason.MALFORMED,
    at.CHECK_STATEMENT: Reason.MISMATCH,
    at.CHECK_ID: Reason.MISMATCH,
    at.CHECK_ASSETS: Reason.MALFORMED,
    at.CHECK_CLIENT_COUNT: Reason.MISMATCH,
    at.CHECK_CLIENT_IDS: Reason.MALFORMED,
    at.CHECK_POSITIONS: Reason.MALFORMED,
    at.CHECK_VALUES: Reason.BAD_SUM,
    at.CHECK_LEAF_ORDER: Reason.BAD_PROOF,
    at.CHECK_PROOF_SIZE: Reason.BAD_PROOF,
    at.CHECK_PROOFS: Reason.BAD_PROOF,
    at.CHECK_TOTALS: Reason.BAD_SUM,
    at.CHECK_TOTAL_VALUE: Reason.BAD_SUM,
    at.CHECK_SIGNERS: Reason.MISMATCH,
    at.CHECK_TIME: Reason.EXPIRED,
}


def attestation_body_checks(doc: Document, header: StatementHeader) -> list[Check]:
    """One line per check of the domain verifier, up to and including the first failure."""
    try:
        _, done = at.verify_bundle(
            doc.body,
            statement=doc.statement,
            signature_key_ids=[s.key_id for s in doc.signatures],
        )
    except at.AttestationError as exc:
        return [failed(exc.check, _REASONS.get(exc.check, Reason.MISMATCH), exc.detail)]
    return [passed(p.check, p.detail) for p in done]


def attestation_as_of(statement: str) -> datetime:
    """The as-of time the signed statement gives (parsed already by the header check)."""
    parsed = st.parse(statement)
    if not isinstance(parsed, st.AttestationStatement):
        raise TypeError(f"not an attestation statement: {type(parsed).__name__}")
    return parsed.as_of

def maker_checker_checks(doc: Document, valid: list[ValidSignature]) -> list[Check]:
    """Who prepared and who approved; a format-3 bundle needs two different officers.

    Two officers are one person when they share a key, a name in the keys file or a
    device (master fingerprint). Format 2 names only the approver.
    """
    try:
        statement = parse_as(doc.statement, AttestationStatement)
    except StatementError:
        return []  # the statement check already failed
    acts = at.signature_acts(statement)
    by_key = {v.entry.key_id: v.entry for v in valid}
    entries = [by_key.get(s.key_id) for s in doc.signatures]
    if len(acts) == 1:
        approver = entries[0] if entries else None
        who = approver.name if approver else "nobody (no valid signature)"
        return [passed(CHECK_MAKER_CHECKER, f"approved by {who}; bundle format "
                       f"{statement.VERSION} carries no maker signature")]
    if len(entries) != len(acts) or any(e is None for e in entries):
        return [failed(CHECK_MAKER_CHECKER, Reason.BAD_SIGNATURE,
                       f"format {statement.VERSION} needs valid {' and '.join(acts)} "
                       "signatures")]
    checker, maker = entries[0], entries[1]
    assert checker is not None and maker is not None
    same = (
        "key" if checker.key_id == maker.key_id
        else "officer" if checker.name == maker.name
        else "device" if checker.fingerprint and checker.fingerprint == maker.fingerprint
        else ""
    )
    if same:
        return [failed(CHECK_MAKER_CHECKER, Reason.NO_QUORUM,
                       f"prepared and approved with the same {same} ({maker.name}, "
                       f"{maker.key_id}): two different officers must sign")]
    return [passed(CHECK_MAKER_CHECKER, f"prepared by {maker.name} ({maker.key_id}), "
                   f"approved by {checker.name} ({checker.key_id})")]


def attestation_spec() -> KindSpec:
    return KindSpec(
        kind=Kind.ATTESTATION_BUNDLE,
        parse_statement=parse_attestation_statement,
        body_checks=attestation_body_checks,
        signers=CUSTODIAN_OFFICER,
        dated=attestation_as_of,
        signer_checks=maker_checker_checks,
    )
