"""Tampered copies of a real attestation bundle, each with the check that must refuse it.

Shared by the library tests (tests/unit/test_attestation.py) and the CLI tests
(tests/e2e/test_attest_tamper_cli.py). Every case edits the parsed JSON of a
bundle over the demo desk's clients alnoor-quant, palm-harbour, sandstone-arb
and jumeirah-yield (resources/demo/snapshot.json); the check is the name of the
first ``FAIL`` line ``custody-desk verify`` prints (docs/attestation-format.md 3.5);
``a|b`` where either may come first (a changed salt or id moves the leaf's
commitment: it may break the leaf order, or keep it and fail its proof).
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

Change = Callable[[dict[str, Any]], object]


def client_entry(doc: dict[str, Any], client_id: str) -> dict[str, Any]:
    """The bundle's entry of ``client_id``."""
    found: dict[str, Any] = next(c for c in doc["body"]["clients"] if c["client_id"] == client_id)
    return found


def _duplicate_palm_over_sandstone(doc: dict[str, Any]) -> None:
    """The issue's case 1: sandstone-arb replaced by a copy of palm-harbour, the value
    adjusted so that the total still matches."""
    clients = doc["body"]["clients"]
    i = next(i for i, c in enumerate(clients) if c["client_id"] == "sandstone-arb")
    palm = next(c for c in clients if c["client_id"] == "palm-harbour")
    sandstone_value = Decimal(clients[i]["collateral_value_usd"])
    clients[i] = copy.deepcopy(palm)
    clients[i]["proof"]["index"] = i
    clients[i]["collateral_value_usd"] = f"{sandstone_value:.2f}"


def _drop_sandstone(doc: dict[str, Any]) -> None:
    doc["body"]["clients"] = [c for c in doc["body"]["clients"]
                              if c["client_id"] != "sandstone-arb"]


def _move_value(doc: dict[str, Any]) -> None:
    """Case 2: collateral value moved between two clients, total unchanged."""
    a, b = client_entry(doc, "alnoor-quant"), client_entry(doc, "palm-harbour")
    a["collateral_value_usd"] = f"{Decimal(a['collateral_value_usd']) - 1000000:.2f}"
    b["collateral_value_usd"] = f"{Decimal(b['collateral_value_usd']) + 1000000:.2f}"


def _lower_decimals(doc: dict[str, Any]) -> None:
    """Case 2: BENJI's decimals lowered by one and its quantities multiplied by ten
    (same base units): alnoor-quant would show 800,000,000 BENJI."""
    body = doc["body"]
    row = next(a for a in body["assets"] if a["asset"] == "BENJI")
    row["decimals"] -= 1
    for c in body["clients"]:
        for p in c["positions"]:
            if p["asset"] == "BENJI":
                p["quantity"] = str(Decimal(p["quantity"]) * 10)
                p["locked_quantity"] = str(Decimal(p["locked_quantity"]) * 10)


def _lower_decimals_keep_values(doc: dict[str, Any]) -> None:
    """The same, with each client's value recomputed to match: refused by the root."""
    _lower_decimals(doc)
    client_entry(doc, "alnoor-quant")["collateral_value_usd"] = "784000000.00"
    client_entry(doc, "jumeirah-yield")["collateral_value_usd"] = "97800000.00"


def _other_header(doc: dict[str, Any]) -> None:
    """Case 2: the same r, s under a P2SH-P2WPKH header."""
    raw = base64.b64decode(doc["signatures"][0]["signature"])
    doc["signatures"][0]["signature"] = base64.b64encode(bytes([raw[0] + 4]) + raw[1:]).decode()


def _rename_asset(doc: dict[str, Any]) -> None:
    """BENJI renamed AENJI everywhere (same order, same figures): only the root knows."""
    body = doc["body"]
    body["assets"][0]["asset"] = "AENJI"
    body["totals"]["AENJI"] = body["totals"].pop("BENJI")
    for c in body["clients"]:
        for p in c["positions"]:
            if p["asset"] == "BENJI":
                p["asset"] = "AENJI"


def _raise_quantity_and_value(doc: dict[str, Any]) -> None:
    """palm-harbour's 300 BTC made 301, its value recomputed (97,000 x 0.80 each)."""
    palm = client_entry(doc, "palm-harbour")
    palm["positions"][0]["quantity"] = "301"
    palm["collateral_value_usd"] = "23357600.00"


def _flip_hex(text: str) -> str:
    return text[:-1] + ("0" if text[-1] != "0" else "1")


TAMPERED: dict[str, tuple[Change, str]] = {
    "duplicated client": (_duplicate_palm_over_sandstone, "client ids"),
    "dropped client": (_drop_sandstone, "client count"),
    "dropped client, count edited": (
        lambda d: (_drop_sandstone(d), d["body"].update(client_count=3)), "statement"),
    "moved value": (_move_value, "values"),
    "changed decimals": (_lower_decimals, "values"),
    "changed decimals, values recomputed": (_lower_decimals_keep_values, "proofs"),
    "changed price text": (lambda d: d["body"]["assets"][1].update(price_usd="97000.0"),
                           "proofs"),
    "changed id": (lambda d: d["body"].update(id="att-8"), "id"),
    "changed factor": (lambda d: d["body"]["assets"][0].update(collateral_factor="0.99"),
                       "values"),
    "renamed asset": (_rename_asset, "proofs"),
    "quantity raised, value recomputed": (_raise_quantity_and_value, "proofs"),
    "changed salt": (lambda d: client_entry(d, "palm-harbour").update(
        salt=_flip_hex(client_entry(d, "palm-harbour")["salt"])), "leaf order|proofs"),
    "renamed client": (lambda d: client_entry(d, "palm-harbour").update(
        client_id="palm-harbor"), "leaf order|proofs"),
    "as_of edited": (lambda d: d["body"].update(as_of="2026-11-26T07:00:00Z"), "statement"),
    "proof size": (lambda d: d["body"]["clients"][0]["proof"].update(size=5), "proof size"),
    "header byte": (_other_header, "signature custodian/"),
    "extra body key": (lambda d: d["body"].update(destination="attacker"), "fields"),
    "extra top-level key": (lambda d: d.update(note="x"), "format"),
    "extra client key": (lambda d: d["body"]["clients"][0].update(extra=1), "fields"),
    "empty signer_key_ids": (lambda d: d["body"].update(signer_key_ids=[]), "signers"),
    "indices not 0..n-1": (lambda d: d["body"]["clients"][1]["proof"].update(index=0),
                           "leaf order"),
    "locked shares unlocked": (
        lambda d: client_entry(d, "jumeirah-yield")["positions"][0].update(locked_quantity="0"),
        "values"),
    "zero position listed": (
        lambda d: client_entry(d, "palm-harbour")["positions"].append(
            {"asset": "USDC", "locked_quantity": "0", "quantity": "0"}), "positions"),
    "totals edited": (lambda d: d["body"]["totals"]["BTC"].update(quantity="1"), "proofs"),
    "format 1 statement": (
        lambda d: d.update(statement=re.sub(r"ATTEST/[23]", "ATTEST/1", d["statement"])),
        "statement"),
    # the last signature (the maker's prepared-by in format 3) and its key id removed
    "last signature stripped": (
        lambda d: (d["signatures"].pop(), d["body"]["signer_key_ids"].pop()), "signers"),
}


