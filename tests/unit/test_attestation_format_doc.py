"""docs/attestation-format.md: its test vectors follow from its own rules and match the code.

Each vector is recomputed twice: independently, with nothing but hashlib and the
rules as the document states them, and with the domain modules.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pytest

from app.domain import attestation as at
from app.domain import audit_chain as ac
from app.domain import merkle_sum as ms
from app.domain import statement as sm
from app.domain.attestation import ClientHoldings
from app.domain.statement import Environment

DOC = Path(__file__).resolve().parents[2] / "docs" / "attestation-format.md"

ASSETS = ("BENJI", "BTC", "USDC")
DECIMALS = {"BENJI": 6, "BTC": 8, "USDC": 6}
PRICES = {"BENJI": Decimal("1.00"), "BTC": Decimal("91000.00"), "USDC": Decimal("1.00")}
FACTORS = {"BENJI": Decimal("0.98"), "BTC": Decimal("0.80"), "USDC": Decimal("0.95")}
SALTS = {"QF-001": bytes([0x11] * 32), "MM-002": bytes([0x22] * 32), "MM-003": bytes([0x33] * 32)}
HOLDINGS = {
    "QF-001": {"BENJI": Decimal("80000000")},
    "MM-002": {"BTC": Decimal("120.5"), "USDC": Decimal("25000000.25")},
    "MM-003": {"BTC": Decimal("0.00000001")},
}
ASOF = datetime(2026, 11, 26, 8, tzinfo=UTC)


def _block(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- vector:{name} -->\s*```\w*\n(.*?)```", text, re.S)
    assert match, f"vector {name} missing from {DOC.name}"
    return match.group(1)


def _pairs(name: str) -> dict[str, str]:
    out = {}
    for line in _block(name).splitlines():
        key, _, value = line.partition(": ")
        out[key] = value
    return out


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _u64s(values: list[int]) -> bytes:
    return b"".join(v.to_bytes(8, "big") for v in values)


def test_merkle_sum_vector_follows_from_the_written_rules() -> None:
    v = _pairs("merkle-sum")
    schema_id = _sha(b"CDESK-MSUM/1\x00" + ",".join(ASSETS).encode())
    assert v["schema_id"] == schema_id.hex()
    leaves = []
    for client, held in HOLDINGS.items():
        commitment = _sha(b"CDESK-CLIENT/1\x00" + SALTS[client] + client.encode())
        amounts = [int(held.get(a, Decimal(0)) * 10 ** DECIMALS[a]) for a in ASSETS]
        value = sum(held.get(a, Decimal(0)) * PRICES[a] * FACTORS[a] for a in ASSETS)
        leaves.append((commitment, client, amounts,
                       Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_DOWN)))
    leaves.sort()  # ordered by commitment
    records = []
    for i, (commitment, client, amounts, value) in enumerate(leaves):
        leaf_hash = _sha(b"\x00" + schema_id + commitment + _u64s(amounts))
        assert v[f"leaf.{i}.client"] == client
        assert v[f"leaf.{i}.commitment"] == commitment.hex()
        assert v[f"leaf.{i}.amounts"] == ",".join(map(str, amounts))
        assert v[f"leaf.{i}.hash"] == leaf_hash.hex()
        assert v[f"leaf.{i}.value"] == f"{value:.2f}"
        records.append((amounts, leaf_hash))

    def node(left: tuple[list[int], bytes], right: tuple[list[int], bytes]
             ) -> tuple[list[int], bytes]:
        pre = b"\x01" + _u64s(left[0]) + left[1] + _u64s(right[0]) + right[1]
        return [a + b for a, b in zip(left[0], right[0], strict=True)], _sha(pre)

    n01 = node(records[0], records[1])  # n = 3 splits at 2
    top = node(n01, records[2])
    assert v["node.01.record"] == (_u64s(n01[0]) + n01[1]).hex()
    assert v["root.record"] == (_u64s(top[0]) + top[1]).hex()
    assert v["root"] == top[1].hex()
    assert v["totals"] == ",".join(map(str, top[0]))
    cv = sum(value for *_, value in leaves)
    assert v["statement"] == (
        "CDESK-ATTEST/1 cust=SCB-DXB ex=OKX env=test seq=42 asof=2026-11-26T08:00:00Z "
        f"exp=2026-11-27T08:00:00Z n=3 cv=USD{cv:.2f} root={top[1].hex()}"
    )


def _attestation() -> at.Attestation:
    return at.build_attestation(
        custodian="SCB-DXB", exchange="OKX", env=Environment.TEST, seq=42, as_of=ASOF,
        expires_at=ASOF + timedelta(days=1),
        holdings=[ClientHoldings(c, h) for c, h in HOLDINGS.items()],
        decimals=DECIMALS, prices=PRICES, factors=FACTORS, salt_for=SALTS.__getitem__,
    )


def test_merkle_sum_vector_matches_the_code() -> None:
    v = _pairs("merkle-sum")
    att = _attestation()
    at.verify_attestation(att, now=ASOF)
    assert att.text == v["statement"]
    assert att.statement.root.hex() == v["root"]
    assert att.schema.schema_id.hex() == v["schema_id"]
    for i, c in enumerate(att.clients):
        assert c.client_id == v[f"leaf.{i}.client"]
        assert f"{c.collateral_value_usd:.2f}" == v[f"leaf.{i}.value"]


def test_proof_vector_matches_the_code_and_the_written_algorithm() -> None:
    doc_proof = json.loads(_block("proof"))
    att = _attestation()
    assert att.figures_for("MM-002").proof.to_dict() == doc_proof
    proof = ms.SumProof.from_dict(doc_proof)
    root = bytes.fromhex(_pairs("merkle-sum")["root"])
    totals = [int(t) for t in _pairs("merkle-sum")["totals"].split(",")]
    ms.verify_proof(att.schema, proof, root, totals)

    # The pseudo-code of section 2.6, transcribed.
    schema_id = _sha(b"CDESK-MSUM/1\x00" + ",".join(ASSETS).encode())
    amounts = [int(a) for a in doc_proof["amounts"]]
    h = _sha(b"\x00" + schema_id + bytes.fromhex(doc_proof["commitment"]) + _u64s(amounts))
    s = amounts
    fn, sn = doc_proof["index"], doc_proof["size"] - 1
    for sib in doc_proof["siblings"]:
        assert sn != 0
        t, g = [int(x) for x in sib["sums"]], bytes.fromhex(sib["hash"])
        p = [a + b for a, b in zip(s, t, strict=True)]
        assert max(p) <= 2**64 - 1
        if fn % 2 == 1 or fn == sn:
            h = _sha(b"\x01" + _u64s(t) + g + _u64s(s) + h)
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            h = _sha(b"\x01" + _u64s(s) + h + _u64s(t) + g)
        s = p
        fn >>= 1
        sn >>= 1
    assert sn == 0 and h == root and s == totals


def test_statement_vectors_match_the_code() -> None:
    v = _pairs("statements")
    t0 = datetime(2026, 11, 26, 9, tzinfo=UTC)
    built = {
        "UNFREEZE": sm.UnfreezeStatement(
            "SCB-DXB", "OKX", Environment.TEST, "UF-0001", "QF-001",
            (("BENJI", Decimal("80000000.00")), ("BTC", Decimal("300"))),
            t0 + timedelta(hours=48), bytes(range(32))),
        "LIQUIDATE": sm.LiquidationStatement(
            "OKX", Environment.TEST, "LQ-0001", "MC-0007", "MM-002", Decimal("1250000.00"),
            t0 + timedelta(hours=24), _sha(b"[]")),
        "TOPUP": sm.TopUpStatement(
            "OKX", Environment.PROD, "TU-0001", "MC-0007", "MM-002", Decimal("1250000.00"), 43,
            t0 + timedelta(hours=24)),
    }
    assert set(v) == set(built)
    for kind, stmt in built.items():
        assert stmt.render() == v[kind]
        assert sm.parse(v[kind]) == stmt


def test_audit_vectors_follow_from_the_rules_and_match_the_code() -> None:
    v = _pairs("audit")
    payload1 = json.dumps({"b": "2", "a": "é"}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
    assert payload1 == v["entry.1.payload"]

    def entry_hash(seq: int, time: str, actor: str, action: str, payload: str, prev: str
                   ) -> str:
        body = {"action": action, "actor": actor, "payload": payload, "prev_hash": prev,
                "seq": seq, "time": time}
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    h1 = entry_hash(1, "2026-11-26T08:00:00.123456Z", "officer:alice", "import", payload1,
                    "0" * 64)
    h2 = entry_hash(2, "2026-11-26T08:00:01.000000Z", "officer:bob", "attestation.approve",
                    '{"attestation":"att-42"}', h1)
    assert (h1, h2) == (v["entry.1.hash"], v["entry.2.hash"])
    root = _sha(b"\x01" + _sha(b"\x00" + bytes.fromhex(h1)) + _sha(b"\x00" + bytes.fromhex(h2)))
    assert v["checkpoint"].endswith(f" root={root.hex()}")

    e1 = ac.next_entry(None, time=datetime(2026, 11, 26, 8, 0, 0, 123456, tzinfo=UTC),
                       actor="officer:alice", action="import", payload={"b": "2", "a": "é"})
    e2 = ac.next_entry(e1, time=datetime(2026, 11, 26, 8, 0, 1, tzinfo=UTC), actor="officer:bob",
                       action="attestation.approve", payload={"attestation": "att-42"})
    assert (e1.entry_hash, e2.entry_hash) == (h1, h2)
    cp = ac.checkpoint([e1, e2], datetime(2026, 11, 26, 8, 5, 0, 500, tzinfo=UTC))
    text = ac.checkpoint_text(cp, custodian="SCB-DXB", exchange="OKX", env=Environment.TEST)
    assert text == v["checkpoint"]


@pytest.mark.parametrize("name", ["merkle-sum", "proof", "statements", "audit"])
def test_every_vector_is_present(name: str) -> None:
    assert _block(name).strip()
