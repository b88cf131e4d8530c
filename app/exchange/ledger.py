"""The exchange's mirrored ledger: a signed snapshot of every client's booked line.

The document kinds of ``app.documents`` have no ledger kind, so the ledger
travels in its own small envelope built from the same parts (canonical JSON,
the keys file, BIP-137 signatures)::

    {"document": "custody-desk/ledger", "version": 1,
     "statement": "CDESK-LEDGER/1 ex=<exchange> env=<env> seq=<n> exp=<time> body=<sha256>",
     "body": {"exchange_id", "env", "sequence", "as_of", "expires_at",
              "clients": [{"client_id", "attestation_seq", "positions": [{"asset", "quantity"}],
                           "attested_collateral_usd", "collateral_value_usd",
                           "credit_line_usd", "exposure_usd"}]},
     "signatures": [{"key_id", "party": "exchange", "signature"}]}

The statement binds the body by digest and names exchange, environment,
sequence and expiry, so a ledger signature can never pass for any other
document (no other statement starts with ``CDESK-LEDGER/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.documents.canonical import decode, encode, field, parse_amount, parse_utc, utc
from app.documents.envelope import SignatureEntry, body_digest
from app.documents.errors import DocumentError, Reason
from app.documents.keys import KeysFile, Party, Role
from app.documents.signatures import verify_message

LEDGER_FORMAT = "custody-desk/ledger"
_LINE = re.compile(
    r"CDESK-LEDGER/1 ex=(?P<ex>[A-Za-z0-9._:-]{1,48}) env=(?P<env>prod|test)"
    r" seq=(?P<seq>[0-9]{1,18}) exp=(?P<exp>[0-9TZ:-]{20}) body=(?P<body>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class LedgerLine:
    """One client as the exchange has it booked."""

    client_id: str
    attestation_seq: int
    positions: dict[str, Decimal]
    attested_collateral_usd: Decimal
    collateral_value_usd: Decimal
    credit_line_usd: Decimal
    exposure_usd: Decimal


@dataclass(frozen=True)
class Ledger:
    """A verified ledger."""

    exchange_id: str
    env: str
    sequence: int
    as_of: datetime
    expires_at: datetime
    lines: tuple[LedgerLine, ...]


def ledger_statement(body: dict[str, Any]) -> str:
    """The text the exchange signs for ``body``."""
    return (
        f"CDESK-LEDGER/1 ex={body['exchange_id']} env={body['env']} seq={body['sequence']}"
        f" exp={body['expires_at']} body={body_digest(body)}"
    )


def ledger_bytes(body: dict[str, Any], signature: SignatureEntry) -> bytes:
    """The wire form of a signed ledger."""
    return encode(
        {
            "document": LEDGER_FORMAT,
            "version": 1,
            "statement": ledger_statement(body),
            "body": body,
            "signatures": [signature.to_json()],
        }
    ) + b"\n"


def _line(obj: object, where: str) -> LedgerLine:
    positions = {
        field(p, "asset", str, where): parse_amount(p.get("quantity"), f"{where}.quantity")
        for p in field(obj, "positions", list, where)
    }
    assert isinstance(obj, dict)
    return LedgerLine(
        client_id=field(obj, "client_id", str, where),
        attestation_seq=field(obj, "attestation_seq", int, where),
        positions=positions,
        attested_collateral_usd=parse_amount(obj.get("attested_collateral_usd"), where),
        collateral_value_usd=parse_amount(obj.get("collateral_value_usd"), where),
        credit_line_usd=parse_amount(obj.get("credit_line_usd"), where),
        exposure_usd=parse_amount(obj.get("exposure_usd"), where),
    )


def verify_ledger(
    data: bytes, keys: KeysFile, *, env: str, exchange_id: str, now: datetime
) -> Ledger:
    """Parse and verify a ledger; raises DocumentError with the reason of the first failure."""
    obj = decode(data)
    if field(obj, "document", str) != LEDGER_FORMAT or field(obj, "version", int) != 1:
        raise DocumentError(Reason.MALFORMED, "not a custody-desk ledger v1")
    statement = field(obj, "statement", str)
    body = field(obj, "body", dict)
    match = _LINE.fullmatch(statement)
    if match is None or statement != ledger_statement(body):
        raise DocumentError(Reason.MISMATCH, "ledger statement does not bind its body")
    if match["env"] != env:
        raise DocumentError(Reason.WRONG_ENV, f"ledger for {match['env']}, desk is {env}")
    if match["ex"] != exchange_id:
        raise DocumentError(Reason.WRONG_EXCHANGE, f"ledger of {match['ex']}, not {exchange_id}")
    expires = parse_utc(match["exp"], "exp")
    if now >= expires:
        raise DocumentError(Reason.EXPIRED, f"ledger expired at {utc(expires)}")
    valid = False
    for i, raw in enumerate(field(obj, "signatures", list)):
        sig = SignatureEntry.from_json(raw, f"$.signatures[{i}]")
        entry = keys.usable(
            sig.key_id, at=now, env=env, party=Party.EXCHANGE, roles=(Role.EXCHANGE,)
        )
        if verify_message(entry.pubkey, statement, sig.signature):
            valid = True
    if not valid:
        raise DocumentError(Reason.BAD_SIGNATURE, "no valid exchange signature on the ledger")
    lines = tuple(
        _line(item, f"$.body.clients[{i}]")
        for i, item in enumerate(field(body, "clients", list, "$.body"))
    )
    return Ledger(
        exchange_id=match["ex"],
        env=env,
        sequence=int(match["seq"]),
        as_of=parse_utc(body.get("as_of"), "body.as_of"),
        expires_at=expires,
        lines=lines,
    )
