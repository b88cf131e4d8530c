"""Verify any signed document offline against a keys file.

The same function backs the standalone ``custody-desk verify`` command and
every import into the desk, so what the regulator's verifier accepts is
exactly what the desk accepts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.documents.canonical import exact_fields, utc
from app.documents.envelope import Document, Kind
from app.documents.errors import DocumentError, Reason
from app.documents.header import StatementHeader
from app.documents.keys import KeyEntry, KeysFile, Party, Role
from app.documents.report import Check, VerifyReport, failed, passed
from app.documents.signatures import header_problem, verify_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignerRule:
    """Who must sign a kind: allowed (party, roles) and how many distinct parties."""

    parties: frozenset[Party]
    roles: frozenset[Role]
    quorum: int = 1


@dataclass(frozen=True)
class KindSpec:
    """How one document kind is checked."""

    kind: Kind
    parse_statement: Callable[[str], StatementHeader]
    body_checks: Callable[[Document, StatementHeader], list[Check]]
    signers: SignerRule
    # the statement's kind when it differs from the document's (a release carries
    # the unfreeze order's statement and the quorum's signatures over it)
    statement_kind: str | None = None
    # the body's exact top-level fields (name -> type), when the kind fixes them:
    # an unknown, missing or mistyped field is refused by name before any other check
    body_fields: Mapping[str, type] | None = None
    # when the statement says it was made (an attestation's as-of), for kinds that date
    # themselves: a document dated past the verifier's clock plus FUTURE_SKEW is refused
    dated: Callable[[str], datetime] | None = None
    # checks over who signed (e.g. maker != checker), given the valid signatures
    signer_checks: Callable[[Document, list[ValidSignature]], list[Check]] | None = None


# How far ahead of the verifier's clock a document may be dated (clock drift between
# the desk and whoever verifies); the same allowance as a snapshot's (docs/documents.md).
FUTURE_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class VerifyContext:
    """What the verifier is told: the trust root, the environment, the time."""

    keys: KeysFile
    env: str
    now: datetime
    exchange_id: str | None = None  # None: accept any exchange id (reported)
    specs: dict[Kind, KindSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class ValidSignature:
    entry: KeyEntry
    signature: bytes


def _check_header(doc: Document, spec: KindSpec, ctx: VerifyContext) -> tuple[
    StatementHeader | None, list[Check]
]:
    checks: list[Check] = []
    try:
        header = spec.parse_statement(doc.statement)
    except DocumentError as exc:
        return None, [failed("statement", exc.reason, exc.message)]
    expected_kind = spec.statement_kind or doc.kind.value
    if header.kind != expected_kind:
        return None, [
            failed(
                "statement", Reason.MISMATCH, f"statement is a {header.kind}, not {expected_kind}"
            )
        ]
    checks.append(passed("statement", f"{doc.kind.value} v{header.version} id={header.doc_id}"))
    if header.env != ctx.env:
        checks.append(
            failed("environment", Reason.WRONG_ENV, f"signed for {header.env}, verifying {ctx.env}")
        )
    else:
        checks.append(passed("environment", header.env))
    if ctx.exchange_id is None:
        checks.append(passed("exchange", f"{header.exchange_id} (not pinned)"))
    elif header.exchange_id != ctx.exchange_id:
        checks.append(
            failed(
                "exchange",
                Reason.WRONG_EXCHANGE,
                f"signed for {header.exchange_id}, expected {ctx.exchange_id}",
            )
        )
    else:
        checks.append(passed("exchange", header.exchange_id))
    if ctx.now >= header.expires_at:  # expired from the expiry instant on
        checks.append(
            failed("expiry", Reason.EXPIRED, f"expired at {utc(header.expires_at)}")
        )
    else:
        checks.append(passed("expiry", f"valid until {utc(header.expires_at)}"))
    if spec.dated is not None:
        checks.append(_dated_check(spec.dated(doc.statement), ctx.now))
    return header, checks


def _dated_check(dated: datetime, now: datetime) -> Check:
    if dated > now + FUTURE_SKEW:
        return failed(
            "dated", Reason.BAD_TIME,
            f"dated {utc(dated)}, in the future (clock {utc(now)}, "
            f"at most {int(FUTURE_SKEW.total_seconds() // 60)} min ahead allowed)",
        )
    return passed("dated", f"as of {utc(dated)}")


def check_signatures(
    doc: Document,
    rule: SignerRule,
    ctx: VerifyContext,
    at: datetime | None = None,
) -> tuple[list[ValidSignature], list[Check]]:
    """Check each signature over the statement; return the valid ones and one line each."""
    checks: list[Check] = []
    valid: list[ValidSignature] = []
    when = at or ctx.now
    if not doc.signatures:
        return [], [failed("signatures", Reason.BAD_SIGNATURE, "the document carries none")]
    for sig in doc.signatures:
        name = f"signature {sig.party}/{sig.key_id}"
        try:
            entry = ctx.keys.usable(sig.key_id, at=when, env=ctx.env, roles=rule.roles)
        except DocumentError as exc:
            checks.append(failed(name, exc.reason, exc.message))
            continue
        if entry.party.value != sig.party or entry.party not in rule.parties:
            checks.append(
                failed(name, Reason.KEY_NOT_VALID, f"key belongs to {entry.party}, may not sign")
            )
            continue
        if not verify_message(entry.pubkey, doc.statement, sig.signature):
            checks.append(
                failed(name, Reason.BAD_SIGNATURE, f"does not verify under {entry.name}'s key")
            )
            continue
        problem = header_problem(entry.address, sig.signature)
        if problem is not None:
            checks.append(failed(name, Reason.BAD_SIGNATURE, problem))
            continue
        valid.append(ValidSignature(entry, sig.signature))
        checks.append(passed(name, f"valid, {entry.name} ({entry.role.value})"))
    return valid, checks


def device_of(entry: KeyEntry) -> str:
    """The device a key lives on: its master fingerprint, or the key itself when unknown."""
    return entry.fingerprint.lower() if entry.fingerprint else entry.key_id


def quorum_check(valid: Iterable[ValidSignature], rule: SignerRule) -> Check:
    """Distinct parties *and* distinct devices among valid signatures.

    A party signing twice counts once; two parties' signatures from one device
    (one master fingerprint) count as one device, and the quorum needs as many
    devices as parties: one device can never stand in for two organisations.
    """
    valid = list(valid)
    parties = sorted({v.entry.party.value for v in valid})
    devices = {device_of(v.entry) for v in valid}
    detail = (
        f"{len(parties)} of {rule.quorum} distinct parties ({', '.join(parties) or 'none'}) "
        f"on {len(devices)} distinct device{'' if len(devices) == 1 else 's'}"
    )
    if len(parties) >= rule.quorum and len(devices) >= rule.quorum:
        return passed("quorum", detail)
    return failed("quorum", Reason.NO_QUORUM, detail)


def verify_document(doc: Document, ctx: VerifyContext) -> VerifyReport:
    """Run every check for ``doc``'s kind. Never raises for a bad document."""
    from app.documents.specs import default_specs

    specs = ctx.specs or default_specs()
    report = VerifyReport()
    spec = specs.get(doc.kind)
    if spec is None:
        report.add(failed("kind", Reason.UNKNOWN_KIND, f"no verifier for {doc.kind}"))
        return report
    report.add(passed("format", f"custody-desk document v{doc.version}, kind {doc.kind.value}"))
    if ctx.keys.env != ctx.env:  # a test trust root never vouches for production, nor back
        report.add(
            failed(
                "keys", Reason.WRONG_ENV, f"keys file is for {ctx.keys.env}, verifying {ctx.env}"
            )
        )
    header, checks = _check_header(doc, spec, ctx)
    report.extend(checks)
    if header is None:
        return report
    try:
        if spec.body_fields is not None:
            exact_fields(doc.body, spec.body_fields, "body")
        report.extend(spec.body_checks(doc, header))
    except DocumentError as exc:
        report.add(failed("body", exc.reason, exc.message))
    valid, sig_checks = check_signatures(doc, spec.signers, ctx)
    report.extend(sig_checks)
    report.add(quorum_check(valid, spec.signers))
    if spec.signer_checks is not None:
        report.extend(spec.signer_checks(doc, valid))
    logger.debug("verified %s %s: ok=%s", doc.kind.value, header.doc_id, report.ok)
    return report
