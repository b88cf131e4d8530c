"""The generic signed statement, for the kinds the domain has no statement for
(margin call, reconciliation report, exchange receipt); every other kind signs its
``app.domain.statement`` text.

Format (one line of printable ASCII, single spaces, at most 240 characters, so
Trezor- and Coldcard-class devices show it whole)::

    CDESK-DOC/1 kind=<kind> ex=<exchange id> env=<prod|test> id=<document id>
    seq=<n|-> exp=<YYYY-MM-DDTHH:MM:SSZ> body=<sha256 hex of the canonical body>

(shown wrapped here; it is one line). The tag and version come first so a
signature for one kind, exchange or environment can never verify as another:
every one of those values is inside the signed bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from app.documents.canonical import parse_utc, utc
from app.documents.errors import DocumentError, Reason

TAG = "CDESK-DOC"
VERSION = 1
MAX_STATEMENT_LENGTH = 240
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,47}"

# One statement format per kind: only these kinds use the generic line.
_KIND_CODES = frozenset({"margin_call", "reconciliation_report", "exchange_receipt"})

_LINE_RE = re.compile(
    rf"{TAG}/(?P<version>[0-9]+) kind=(?P<kind>[a-z_]+) ex=(?P<ex>{ID_PATTERN})"
    rf" env=(?P<env>prod|test) id=(?P<id>{ID_PATTERN}) seq=(?P<seq>[0-9]{{1,18}}|-)"
    r" exp=(?P<exp>[0-9TZ:-]{20}) body=(?P<body>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class StatementHeader:
    """What a statement commits to, whatever its kind."""

    kind: str
    version: int
    exchange_id: str
    env: str
    doc_id: str
    sequence: int | None
    expires_at: datetime
    binding: str  # body digest, or the Merkle root for attestations
    extra: dict[str, str] = field(default_factory=dict)  # kind-specific fields, as text


def check_id(value: str, what: str) -> str:
    """Ids that appear in statements: short, printable, no spaces."""
    if not re.fullmatch(ID_PATTERN, value):
        raise DocumentError(Reason.MALFORMED, f"{what} {value!r} must match {ID_PATTERN}")
    return value


def render_header(header: StatementHeader) -> str:
    """The statement text for ``header`` (raises if it would not fit a device screen)."""
    if header.kind not in _KIND_CODES:
        raise DocumentError(Reason.UNKNOWN_KIND, f"no generic statement for {header.kind}")
    check_id(header.exchange_id, "exchange id")
    check_id(header.doc_id, "document id")
    seq = "-" if header.sequence is None else str(header.sequence)
    text = (
        f"{TAG}/{header.version} kind={header.kind} ex={header.exchange_id}"
        f" env={header.env} id={header.doc_id} seq={seq} exp={utc(header.expires_at)}"
        f" body={header.binding}"
    )
    if len(text) > MAX_STATEMENT_LENGTH:
        raise DocumentError(Reason.MALFORMED, f"statement is {len(text)} > 240 characters")
    return text


def parse_header(text: str) -> StatementHeader:
    """Parse a generic statement; refuses anything that is not exactly the format."""
    if len(text) > MAX_STATEMENT_LENGTH:
        raise DocumentError(Reason.MALFORMED, "statement longer than 240 characters")
    match = _LINE_RE.fullmatch(text)
    if match is None:
        raise DocumentError(Reason.MALFORMED, f"statement is not a {TAG} line")
    version = int(match["version"])
    if version != VERSION:
        raise DocumentError(Reason.UNSUPPORTED_VERSION, f"statement version {version}")
    if match["kind"] not in _KIND_CODES:
        raise DocumentError(Reason.UNKNOWN_KIND, f"statement kind {match['kind']!r}")
    seq = match["seq"]
    return StatementHeader(
        kind=match["kind"],
        version=version,
        exchange_id=match["ex"],
        env=match["env"],
        doc_id=match["id"],
        sequence=None if seq == "-" else int(seq),
        expires_at=parse_utc(match["exp"], "statement exp"),
        binding=match["body"],
    )
