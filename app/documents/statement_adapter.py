"""The attestation statement the checker officer signs on the device.

One line of printable ASCII, at most 240 characters::

    CDESK-ATT/1 cust=<custodian id> ex=<exchange id> env=<prod|test> seq=<n>
    asof=<UTC> exp=<UTC> n=<client count> tcv=<total collateral USD> root=<hex>

(one line; wrapped here). Everything a reader needs to judge the attestation is
on the device screen, and the root binds every client's figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.documents.canonical import amount, parse_utc, utc
from app.documents.errors import DocumentError, Reason
from app.documents.header import ID_PATTERN, MAX_STATEMENT_LENGTH, StatementHeader, check_id

TAG = "CDESK-ATT"
VERSION = 1

_RE = re.compile(
    rf"{TAG}/(?P<v>[0-9]+) cust=(?P<cust>{ID_PATTERN}) ex=(?P<ex>{ID_PATTERN})"
    r" env=(?P<env>prod|test) seq=(?P<seq>[0-9]{1,18}) asof=(?P<asof>[0-9TZ:-]{20})"
    r" exp=(?P<exp>[0-9TZ:-]{20}) n=(?P<n>[1-9][0-9]{0,8})"
    r" tcv=(?P<tcv>(0|[1-9][0-9]*)(\.[0-9]+)?) root=(?P<root>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class AttestationStatement:
    custodian_id: str
    exchange_id: str
    env: str
    sequence: int
    as_of: datetime
    expires_at: datetime
    client_count: int
    total_collateral_usd: Decimal
    root_hex: str

    @property
    def doc_id(self) -> str:
        return attestation_doc_id(self.sequence)


def attestation_doc_id(sequence: int) -> str:
    """The document id of the attestation with ``sequence``."""
    return f"att-{sequence}"


def render_attestation_statement(s: AttestationStatement) -> str:
    """The exact text the device shows and signs."""
    check_id(s.custodian_id, "custodian id")
    check_id(s.exchange_id, "exchange id")
    text = (
        f"{TAG}/{VERSION} cust={s.custodian_id} ex={s.exchange_id} env={s.env}"
        f" seq={s.sequence} asof={utc(s.as_of)} exp={utc(s.expires_at)} n={s.client_count}"
        f" tcv={amount(s.total_collateral_usd)} root={s.root_hex}"
    )
    if len(text) > MAX_STATEMENT_LENGTH:
        raise DocumentError(Reason.MALFORMED, f"statement is {len(text)} > 240 characters")
    return text


def parse_attestation_statement(text: str) -> StatementHeader:
    """Parse an attestation statement into the common header (plus its own fields)."""
    if len(text) > MAX_STATEMENT_LENGTH:
        raise DocumentError(Reason.MALFORMED, "statement longer than 240 characters")
    m = _RE.fullmatch(text)
    if m is None:
        raise DocumentError(Reason.MALFORMED, f"statement is not a {TAG} line")
    if int(m["v"]) != VERSION:
        raise DocumentError(Reason.UNSUPPORTED_VERSION, f"statement version {m['v']}")
    parse_utc(m["asof"], "statement asof")
    return StatementHeader(
        kind="attestation_bundle",
        version=VERSION,
        exchange_id=m["ex"],
        env=m["env"],
        doc_id=attestation_doc_id(int(m["seq"])),
        sequence=int(m["seq"]),
        expires_at=parse_utc(m["exp"], "statement exp"),
        binding=m["root"],
        extra={
            "custodian_id": m["cust"],
            "as_of": m["asof"],
            "client_count": m["n"],
            "total_collateral_usd": m["tcv"],
        },
    )
