"""docs/attestation-format.md: its test vectors follow from its own rules and match the code.

Each vector is recomputed twice: independently, with nothing but hashlib and the
rules as the document states them, and with the domain modules.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

import pytest

from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.errors import DocumentError
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for
from app.documents.verify import VerifyContext, verify_document
from app.domain import attestation as at
from app.domain import audit_chain as ac
from app.domain import merkle_sum as ms
from app.domain import statement as sm
from app.domain.attestation import ClientHoldings
from app.domain.statement import Environment
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL

DOC = Path(__file__).resolve().parents[2] / "docs" / "attestation-format.md"

ASSETS = ("BENJI", "BTC", "USDC")
DECIMALS = {"BENJI": 6, "BTC": 8, "USDC": 6}
PRICES = {"BENJI": Decimal("1.00"), "BTC": Decimal("91000.00"), "USDC": Decimal("1.00")}
FACTORS = {"BENJI": Decimal("0.98"), "BTC": Decimal("0.80"), "USDC": Decimal("0.95")}
SALTS = {"QF-001": bytes([0x11] * 32), "MM-002": bytes([0x22] * 32), "MM-003": bytes([0x33] * 32)}
HOLDINGS = {
    "QF-001": {"BENJI": Decimal("80000000")},
    "MM-002": {"BTC": Decimal("120.5"), "USDC": Decimal("25000000.25")},
    "MM-003": {"BTC": Decimal("0.00000001"), "USDC": Decimal("0")},  # a zero position
}
LOCKED = {"QF-001": {"BENJI": Decimal("2000000")}}  # a pending redemption
ASOF = datetime(2026, 11, 26, 8, tzinfo=UTC)
SIGNER_SEED = TEST_MNEMONIC_ABANDON  # TEST-ONLY public seed: alice of docs/documents.md
SIGNER_PATH = "m/44'/0'/0'/0/0"
CHECKER_SEED = TEST_MNEMONIC_ALL  # TEST-ONLY public seed: bob, the checker of 5.5
CHECKER_PATH = "m/44'/0'/1'/0/0"  # account 1: not any key of docs/documents.md


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
    """Sections 2 and 3.2-3.3 transcribed with hashlib and Decimal only."""
    v = _pairs("merkle-sum")
    held = [a for a in ASSETS if any(HOLDINGS[c].get(a, 0) for c in HOLDINGS)]
    schema_text = ";".join(f"{a},{DECIMALS[a]},{PRICES[a]},{FACTORS[a]}" for a in held)
    assert v["schema_text"] == schema_text
    schema_id = _sha(b"CDESK-MSUM/2\x00" + schema_text.encode("ascii"))
    assert v["schema_id"] == schema_id.hex()
    leaves = []
    for client, holding in HOLDINGS.items():
        commitment = _sha(b"CDESK-CLIENT/1\x00" + SALTS[client] + client.encode())
        locked = LOCKED.get(client, {})
        quantity = [int(holding.get(a, Decimal(0)) * 10 ** DECIMALS[a]) for a in held]
        lock = [int(locked.get(a, Decimal(0)) * 10 ** DECIMALS[a]) for a in held]
        value = sum((holding.get(a, Decimal(0)) - locked.get(a, Decimal(0)))
                    * PRICES[a] * FACTORS[a] for a in held)
        value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        leaves.append((commitment, client, [*quantity, *lock, int(value * 100)], value))
    leaves.sort()  # ordered by commitment
    records = []
    for i, (commitment, client, sums, value) in enumerate(leaves):
        leaf_hash = _sha(b"\x00" + schema_id + commitment + _u64s(sums))
        assert v[f"leaf.{i}.client"] == client
        assert v[f"leaf.{i}.commitment"] == commitment.hex()
        assert v[f"leaf.{i}.sums"] == ",".join(map(str, sums))
        assert v[f"leaf.{i}.hash"] == leaf_hash.hex()
        assert v[f"leaf.{i}.value"] == f"{value:.2f}"
        records.append((sums, leaf_hash))

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
    assert top[0][-1] == int(cv * 100)  # the value lane adds up to cv
    assert v["statement"] == (
        "CDESK-ATTEST/2 cust=SCB-DXB ex=OKX env=test seq=42 asof=2026-11-26T08:00:00Z "
        f"exp=2026-11-27T08:00:00Z n=3 cv=USD{cv:.2f} root={top[1].hex()}"
    )


def _attestation(maker_signs: bool = False) -> at.Attestation:
    return at.build_attestation(
        custodian="SCB-DXB", exchange="OKX", env=Environment.TEST, seq=42, as_of=ASOF,
        expires_at=ASOF + timedelta(days=1),
        holdings=[ClientHoldings(c, h, LOCKED.get(c, {})) for c, h in HOLDINGS.items()],
        decimals=DECIMALS, prices=PRICES, factors=FACTORS, salt_for=SALTS.__getitem__,
        maker_signs=maker_signs,
    )


def _hsm() -> SoftHsm:
    return SoftHsm(SIGNER_SEED)


def _checker_hsm() -> SoftHsm:
    return SoftHsm(CHECKER_SEED)


def _entry(hsm: SoftHsm, name: str, path: str) -> KeyEntry:
    key = hsm.get_public_key(path)
    return KeyEntry(key_id_for(key.pubkey), Party.CUSTODIAN, Role.OFFICER, name, key.pubkey,
                    key.address, datetime(2026, 1, 1, tzinfo=UTC), None, False, True,
                    hsm.fingerprint(), path)


def _keys(*, bob_named: str = "bob") -> KeysFile:
    """alice (the 5.3 signer) and bob (the 5.5 checker), each with their device's
    fingerprint; ``bob_named`` renames bob's entry (one person in both roles)."""
    return KeysFile("test", (_entry(_hsm(), "alice", SIGNER_PATH),
                             _entry(_checker_hsm(), bob_named, CHECKER_PATH)))


def build_bundle_3() -> Document:
    """The format-3 bundle of section 5.5: alice prepared (``prepared-by``), bob approved
    (``approved-by``); signatures and ``signer_key_ids`` in that order: checker, maker."""
    att = _attestation(maker_signs=True)
    signers = ((_checker_hsm(), CHECKER_PATH), (_hsm(), SIGNER_PATH))
    ids = [key_id_for(h.get_public_key(path).pubkey) for h, path in signers]
    doc = Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body(ids))
    for (hsm, path), key_id in zip(signers, ids, strict=True):
        sig = hsm.sign_message(path, att.text)
        doc = doc.with_signature(SignatureEntry(key_id, "custodian", sig.signature))
    return doc


def build_bundle() -> Document:
    """The signed bundle of section 5.1 (deterministic: RFC 6979 signature, fixed salts)."""
    att = _attestation()
    sig = _hsm().sign_message(SIGNER_PATH, att.text)
    key_id = key_id_for(sig.pubkey)
    doc = Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body([key_id]))
    return doc.with_signature(SignatureEntry(key_id, "custodian", sig.signature))


def build_vectors() -> dict[str, str]:
    """name -> the exact text of each generated vector block (without the refusals)."""
    att = _attestation()
    schema = att.schema
    lines = [f"schema_text: {at.schema_text(att.terms)}", f"schema_id: {schema.schema_id.hex()}"]
    for i, c in enumerate(att.clients):
        lines += [
            f"leaf.{i}.client: {c.client_id}",
            f"leaf.{i}.commitment: {c.proof.commitment.hex()}",
            f"leaf.{i}.sums: {','.join(map(str, c.lanes))}",
            f"leaf.{i}.hash: {ms.leaf_hash(schema, c.proof.commitment, c.lanes).hex()}",
            f"leaf.{i}.value: {c.collateral_value_usd:.2f}",
        ]
    tree = ms.MerkleSumTree(schema, [ms.SumLeaf(c.proof.commitment, c.lanes)
                                     for c in att.clients])
    lines += [
        f"node.01.record: {tree.levels[1].record(0).hex()}",
        f"root.record: {tree.levels[-1].record(0).hex()}",
        f"root: {tree.root.hex()}",
        f"totals: {','.join(map(str, tree.totals))}",
        f"statement: {att.text}",
    ]
    bundle = build_bundle()
    proof = bundle.body["clients"][2]["proof"]
    quantities = [(30000000000, 8), (12050000000, 8), (1, 8), (0, 6), (25000000250000, 6),
                  (80000000000000, 6)]
    sig = bundle.signatures[0].signature
    return {
        "merkle-sum": "\n".join(lines) + "\n",
        "proof": json.dumps(proof, indent=2) + "\n",
        "quantity-text": "".join(f"{u} {d}: {at.quantity_text(u, d)}\n" for u, d in quantities),
        "bundle": bundle.to_bytes().decode("utf-8"),
        "bundle-3": build_bundle_3().to_bytes().decode("utf-8"),
        "header-byte": (
            f"signature: {base64.b64encode(sig).decode()}\n"
            f"valid header: {sig[0]}\n"
            f"refused headers: {','.join(str(h) for h in range(27, 43) if h != sig[0])}\n"
        ),
        "verify-3": "".join(
            f"{line}\n" for line in _verify(build_bundle_3().to_bytes())
            if "maker-checker" in line or line.startswith(("OK   signers", "OK   version"))
        ),
    }


@pytest.mark.parametrize("name", ["merkle-sum", "proof", "quantity-text", "bundle",
                                  "header-byte", "bundle-3", "verify-3"])
def test_generated_vectors_are_in_the_doc_byte_for_byte(name: str) -> None:
    assert _block(name) == build_vectors()[name]


def test_merkle_sum_vector_matches_the_code() -> None:
    v = _pairs("merkle-sum")
    att = _attestation()
    at.verify_attestation(att, now=ASOF)
    assert att.text == v["statement"]
    assert [f"{c.collateral_value_usd:.2f}" for c in att.clients] == [
        v[f"leaf.{i}.value"] for i in range(3)]
    # jumeirah-style valuation: 2,000,000 of QF-001's BENJI are locked and worth nothing
    assert att.figures_for("QF-001").collateral_value_usd == Decimal("76440000.00")
    # MM-003's zero USDC is not listed; its 1 satoshi is worth 0.000728 USD, i.e. 0.00
    mm3 = next(c for c in build_bundle().body["clients"] if c["client_id"] == "MM-003")
    assert [p["asset"] for p in mm3["positions"]] == ["BTC"]


def test_quantity_text_vector_follows_from_the_written_rule() -> None:
    for line in _block("quantity-text").splitlines():
        spec, _, text = line.partition(": ")
        units, decimals = map(int, spec.split())
        assert re.fullmatch(r"(0|[1-9][0-9]*)(\.[0-9]*[1-9])?", text)
        assert Decimal(text) * 10**decimals == units


def test_proof_vector_matches_the_written_algorithm() -> None:
    doc_proof = json.loads(_block("proof"))
    v = _pairs("merkle-sum")
    root = bytes.fromhex(v["root"])
    totals = [int(t) for t in v["totals"].split(",")]
    schema_id = bytes.fromhex(v["schema_id"])
    leaf = doc_proof["index"]
    sums = [int(x) for x in v[f"leaf.{leaf}.sums"].split(",")]
    commitment = bytes.fromhex(v[f"leaf.{leaf}.commitment"])

    # The pseudo-code of section 2.5, transcribed.
    h = _sha(b"\x00" + schema_id + commitment + _u64s(sums))
    s = sums
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


def _verify(doc_bytes: bytes, keys: KeysFile | None = None) -> list[str]:
    """What ``custody-desk verify`` prints for ``doc_bytes`` against the vectors' keys."""
    try:
        doc = parse_document(doc_bytes)
    except DocumentError as exc:
        return [f"FAIL format: {exc.message} [{exc.reason.value}]"]
    ctx = VerifyContext(keys=keys or _keys(), env="test", now=ASOF + timedelta(hours=1),
                        exchange_id="OKX")
    return verify_document(doc, ctx).lines()


def test_the_format_3_vector_names_maker_and_checker_and_refuses_one_person() -> None:
    """5.5: the same attestation as 5.3 in format 3; the statement differs only in its tag."""
    bundle = _block("bundle-3")
    doc = parse_document(bundle.encode())
    assert doc.statement == build_bundle().statement.replace("CDESK-ATTEST/2 ", "CDESK-ATTEST/3 ")
    assert doc.body == {**build_bundle().body, "signer_key_ids": doc.body["signer_key_ids"]}
    lines = _verify(bundle.encode())
    assert all(line.startswith("OK ") for line in lines), lines
    assert "".join(f"{line}\n" for line in lines if "maker-checker" in line
                   or line.startswith(("OK   signers", "OK   version"))) == _block("verify-3")
    # one officer under two names' keys: bob's entry named alice
    refused = _verify(bundle.encode(), _keys(bob_named="alice"))
    [first] = [line for line in refused if line.startswith("FAIL")]
    assert first.startswith("FAIL maker-checker: prepared and approved with the same officer")
    # the maker's signature stripped: a format-3 bundle needs both
    stripped = json.loads(bundle)
    del stripped["signatures"][1]
    assert any(line.startswith("FAIL signers:") for line in _verify(json.dumps(stripped).encode()))
    # the 5.3 format-2 bundle still verifies beside it, naming its checker alone
    assert all(line.startswith("OK ") for line in _verify(_block("bundle").encode()))


def test_the_bundle_vector_verifies() -> None:
    lines = _verify(_block("bundle").encode())
    assert all(line.startswith("OK ") for line in lines), lines
    names = [line[5:].split(":")[0] for line in lines]
    assert names[names.index("expiry") + 1] == "dated"  # the as-of is not in the future
    body = names[names.index("dated") + 1 : names.index("quorum") - 1]  # then the signature
    assert body == [c for c in at.CHECKS if c != at.CHECK_TIME]


def test_header_byte_vector_follows_from_the_written_rule() -> None:
    v = _pairs("header-byte")
    bundle = json.loads(_block("bundle"))
    assert bundle["signatures"][0]["signature"] == v["signature"]
    sig = base64.b64decode(v["signature"])
    assert 31 <= int(v["valid header"]) <= 34  # a compressed-P2PKH (1...) key
    for header in map(int, v["refused headers"].split(",")):
        bundle["signatures"][0]["signature"] = base64.b64encode(
            bytes([header]) + sig[1:]).decode()
        lines = _verify(json.dumps(bundle).encode())
        failures = [line for line in lines if line.startswith("FAIL")]
        assert len(failures) >= 1 and "signature custodian/" in failures[0], (header, lines)
        assert "[bad_signature]" in failures[0]


def _path(doc: Any, path: str) -> tuple[Any, str | int]:
    """The container and key/index that ``a.b[2].c`` names inside ``doc``."""
    tokens = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    node = doc
    for token in tokens[:-1]:
        node = node[int(token[1:-1])] if token.startswith("[") else node[token]
    last = tokens[-1]
    return node, int(last[1:-1]) if last.startswith("[") else last


def mutate(doc: Any, ops: str) -> Any:
    """Apply the section-5.4 mutation language to a copy of ``doc``."""
    doc = copy.deepcopy(doc)
    for op in ops.split(" ; "):
        verb, path, *rest = op.split(" ", 2)
        node, key = _path(doc, path)
        arg = rest[0] if rest else ""
        if verb == "set":
            node[key] = json.loads(arg)
        elif verb == "del":
            del node[key]
        elif verb == "append":
            node[key].append(json.loads(arg))
        elif verb == "copy":
            src, skey = _path(doc, arg)
            node[key] = copy.deepcopy(src[skey])
        elif verb == "swap":
            other, okey = _path(doc, arg)
            node[key], other[okey] = other[okey], node[key]
        elif verb == "sub":
            old, new = json.loads(f"[{arg}]")
            node[key] = node[key].replace(old, new)
        elif verb == "header":
            raw = base64.b64decode(node[key])
            node[key] = base64.b64encode(bytes([int(arg)]) + raw[1:]).decode()
        else:  # pragma: no cover - a typo in the document
            raise AssertionError(f"unknown mutation {verb}")
    return doc


def _refusals() -> list[tuple[str, str]]:
    out = []
    for line in _block("refusals").splitlines():
        check, _, ops = line.partition(" <= ")
        out.append((check, ops))
    return out


@pytest.mark.parametrize(("check", "ops"), _refusals())
def test_each_refusal_vector_fails_the_check_it_names(check: str, ops: str) -> None:
    bundle = json.loads(_block("bundle"))
    lines = _verify(json.dumps(mutate(bundle, ops)).encode())
    failures = [line for line in lines if line.startswith("FAIL")]
    assert failures, (ops, lines)
    assert failures[0].startswith(f"FAIL {check}:"), (ops, failures)


def test_every_check_has_a_refusal_vector() -> None:
    named = {check.split(" custodian/")[0] for check, _ in _refusals()}
    reachable = set(at.CHECKS) - {at.CHECK_TIME, at.CHECK_VERSION, at.CHECK_TOTALS,
                                  at.CHECK_TOTAL_VALUE}  # 13-14 follow from 12 (3.5)
    assert reachable <= named, reachable - named


def test_statement_vectors_match_the_code() -> None:
    v = _pairs("statements")
    t0 = datetime(2026, 11, 26, 9, tzinfo=UTC)
    built = {
        "UNFREEZE": sm.UnfreezeStatement(
            "SCB-DXB", "OKX", Environment.TEST, "UF-0001", "QF-001",
            (("BENJI", Decimal("80000000.00")), ("BTC", Decimal("300"))),
            t0 + timedelta(hours=48), bytes(range(32))),
        "UNFREEZE3": sm.UnfreezeStatementV3(
            "SCB-DXB", "OKX", Environment.TEST, "UF-0001", "QF-001",
            (("BENJI", Decimal("80000000.00")), ("BTC", Decimal("300"))),
            t0 + timedelta(hours=48), bytes(range(32)), None, 'exchange "down" 6h'),
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


@pytest.mark.parametrize("name", ["merkle-sum", "proof", "quantity-text", "bundle",
                                  "header-byte", "refusals", "statements", "audit"])
def test_every_vector_is_present(name: str) -> None:
    assert _block(name).strip()


if __name__ == "__main__":
    for vector_name, text in build_vectors().items():
        print(f"<!-- vector:{vector_name} -->\n```\n{text}```\n")
