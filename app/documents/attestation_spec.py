"""Verification of an attestation bundle: statement, Merkle-sum proofs, sums.

Body (all amounts decimal strings; base-unit integers as decimal strings)::

    {"id", "custodian_id", "exchange_id", "env", "sequence", "as_of", "expires_at",
     "root": hex, "assets": [{"asset", "decimals"}], "totals": {asset: base units},
     "client_count", "total_collateral_usd", "signer_key_ids": [...],
     "clients": [{"client_id", "salt": hex, "collateral_value_usd",
                  "positions": [{"asset", "quantity"}], "proof": {...}}]}

The statement (``app.domain.statement``) carries the root, client count and
total collateral value, so the signature covers every client's figures
through the proofs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.documents.canonical import field, parse_amount
from app.documents.envelope import Document, Kind
from app.documents.errors import DocumentError, Reason
from app.documents.header import StatementHeader
from app.documents.report import Check, failed, passed
from app.documents.specs import CUSTODIAN_OFFICER
from app.documents.statement_adapter import parse_attestation_statement, rerender_check
from app.documents.verify import KindSpec


def _client_checks(
    body: dict[str, Any],
    root: bytes,
    totals: tuple[int, ...],
    assets: list[str],
    decimals: list[int],
) -> list[Check]:
    from app.domain.merkle_sum import (
        AssetSchema,
        InvalidSumProofError,
        SumProof,
        client_commitment,
        verify_proof,
    )
    from app.domain.money import to_base_units

    schema = AssetSchema.of(assets)
    checks: list[Check] = []
    clients = field(body, "clients", list, "body")
    total_value = Decimal(0)
    bad = 0
    for i, entry in enumerate(clients):
        where = f"body.clients[{i}]"
        client_id = field(entry, "client_id", str, where)
        name = f"proof {client_id}"
        try:
            salt = bytes.fromhex(field(entry, "salt", str, where))
            proof = SumProof.from_dict(field(entry, "proof", dict, where))
            if proof.commitment != client_commitment(client_id, salt):
                raise InvalidSumProofError("commitment does not match the client id and salt")
            held = {a: 0 for a in assets}
            for pos in field(entry, "positions", list, where):
                asset = field(pos, "asset", str, where)
                if asset not in held:
                    raise InvalidSumProofError(f"asset {asset} is not in the schema")
                quantity = parse_amount(pos.get("quantity"), f"{where}.quantity")
                held[asset] += to_base_units(quantity, decimals[assets.index(asset)])
            if tuple(held[a] for a in assets) != proof.amounts:
                raise InvalidSumProofError("figures differ from the amounts in the proof")
            verify_proof(schema, proof, root, totals)
        except (InvalidSumProofError, ValueError) as exc:
            bad += 1
            checks.append(failed(name, Reason.BAD_PROOF, str(exc)))
            continue
        total_value += parse_amount(entry.get("collateral_value_usd"), f"{where}.collateral")
        checks.append(passed(name, f"leaf {proof.index} of {proof.size} leads to the root"))
    if bad == 0 and len(clients) > 20:
        # keep the verifier's output readable for big bundles: one summary line
        checks = [passed("proofs", f"all {len(clients)} inclusion proofs lead to the root")]
    claimed = parse_amount(body.get("total_collateral_usd"), "body.total_collateral_usd")
    if total_value != claimed:
        checks.append(
            failed("sum", Reason.BAD_SUM, f"clients add up to {total_value}, claimed {claimed}")
        )
    else:
        checks.append(passed("sum", f"client collateral values add up to {claimed} USD"))
    return checks


def attestation_body_checks(doc: Document, header: StatementHeader) -> list[Check]:
    """Statement and body agree; every proof verifies; sums add up."""
    body = doc.body
    bound = rerender_check(doc)
    if not bound.ok:
        return [bound]
    clients = field(body, "clients", list, "body")
    if len(clients) != field(body, "client_count", int, "body"):
        return [failed("body", Reason.MISMATCH, "client_count differs from the clients listed")]
    asset_rows = field(body, "assets", list, "body")
    assets = [field(a, "asset", str, "body.assets") for a in asset_rows]
    decimals = [field(a, "decimals", int, "body.assets") for a in asset_rows]
    raw_totals = field(body, "totals", dict, "body")
    try:
        totals = tuple(int(parse_amount(raw_totals[a], f"body.totals.{a}")) for a in assets)
        root = bytes.fromhex(field(body, "root", str, "body"))
    except (KeyError, ValueError) as exc:
        raise DocumentError(Reason.MALFORMED, f"body.totals: {exc}") from exc
    checks = [bound]
    checks.extend(_client_checks(body, root, totals, assets, decimals))
    return checks


def attestation_spec() -> KindSpec:
    return KindSpec(
        kind=Kind.ATTESTATION_BUNDLE,
        parse_statement=parse_attestation_statement,
        body_checks=attestation_body_checks,
        signers=CUSTODIAN_OFFICER,
    )
