"""Attestation bundles (format 2): the one builder, the one verifier, every figure bound.

The tampering tests start from a real signed bundle (built by the domain builder,
signed by the public ``abandon`` test seed) and go through ``verify_document``,
which is what ``custody-desk verify`` runs; the CLI itself is exercised on a
desk-made bundle in ``tests/e2e/test_attest_tamper_cli.py``.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext
from typing import Any

import pytest
from bundle_tampering import TAMPERED, client_entry
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.errors import DocumentError
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for
from app.documents.verify import VerifyContext, verify_document
from app.domain import attestation as at
from app.domain.attestation import AttestationError, ClientHoldings
from app.domain.statement import Environment
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

ASOF = datetime(2026, 11, 26, 8, 0, 0, tzinfo=UTC)
EXP = ASOF + timedelta(hours=24)
DECIMALS = {"BENJI": 6, "BTC": 8, "USDC": 6, "BUIDL": 6}
PRICES = {"BENJI": Decimal("1.00"), "BTC": Decimal("97000.00"), "USDC": Decimal("1.00"),
          "BUIDL": Decimal("1.00")}
FACTORS = {"BENJI": Decimal("0.98"), "BTC": Decimal("0.80"), "USDC": Decimal("0.95"),
           "BUIDL": Decimal("0.97")}
PATH = "m/44'/0'/0'/0/0"


def _salt(client_id: str) -> bytes:
    """Deterministic test salts (production uses secrets.token_bytes)."""
    return hashlib.sha256(b"test-salt:" + client_id.encode()).digest()


# The demo desk's clients (resources/demo/snapshot.json), as the reviewer used them.
HOLDINGS = [
    ClientHoldings("alnoor-quant", {"BENJI": Decimal("80000000")}),
    ClientHoldings("palm-harbour", {"BTC": Decimal("300")}),
    ClientHoldings("sandstone-arb", {"BTC": Decimal("150"), "USDC": Decimal("5000000")}),
    ClientHoldings("jumeirah-yield", {"BUIDL": Decimal("20000000"), "BENJI": Decimal("10000000")},
                   {"BENJI": Decimal("2000000")}),
]


def _build(holdings: list[ClientHoldings] | None = None, **changes: Any) -> at.Attestation:
    args: dict[str, Any] = {
        "custodian": "CUST-DEMO", "exchange": "EXCH-DEMO", "env": Environment.TEST, "seq": 7,
        "as_of": ASOF, "expires_at": EXP, "holdings": HOLDINGS if holdings is None else holdings,
        "decimals": DECIMALS, "prices": PRICES, "factors": FACTORS, "salt_for": _salt,
    }
    args.update(changes)
    return at.build_attestation(**args)


HSM = SoftHsm(TEST_MNEMONIC_ABANDON)  # TEST-ONLY public seed
KEY = HSM.get_public_key(PATH)
KEYS = KeysFile("test", (KeyEntry(key_id_for(KEY.pubkey), Party.CUSTODIAN, Role.OFFICER, "alice",
                                  KEY.pubkey, KEY.address, datetime(2026, 1, 1, tzinfo=UTC),
                                  None, False, True),))
CTX = VerifyContext(keys=KEYS, env="test", now=ASOF + timedelta(hours=1), exchange_id="EXCH-DEMO")


def _signed(att: at.Attestation) -> Document:
    sig = HSM.sign_message(PATH, att.text)
    key_id = key_id_for(sig.pubkey)
    doc = Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body([key_id]))
    return doc.with_signature(SignatureEntry(key_id, "custodian", sig.signature))


BUNDLE = _signed(_build())
BUNDLE_JSON: dict[str, Any] = json.loads(BUNDLE.to_bytes())


def _lines(document: dict[str, Any] | bytes) -> list[str]:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    try:
        doc = parse_document(data)
    except DocumentError as exc:
        return [f"FAIL format: {exc.message} [{exc.reason.value}]"]
    return verify_document(doc, CTX).lines()


def _first_failure(document: dict[str, Any] | bytes) -> str:
    failures = [line for line in _lines(document) if line.startswith("FAIL")]
    assert failures, "the tampered bundle verified"
    return failures[0]


# ------------------------------------------------------------------ building


def test_the_real_bundle_verifies_with_every_check_named_in_order() -> None:
    lines = _lines(BUNDLE_JSON)
    assert all(line.startswith("OK ") for line in lines), lines
    names = [line[5:].split(":")[0] for line in lines]
    assert names[names.index("expiry") + 1] == "dated"  # the as-of is not in the future
    body = names[names.index("dated") + 1 : names.index("quorum") - 1]  # then the signature
    assert body == [c for c in at.CHECKS if c != at.CHECK_TIME]


def test_worked_example_from_the_brief() -> None:
    att = _build([ClientHoldings("alnoor-quant", {"BENJI": Decimal("80000000")})])
    assert att.clients[0].collateral_value_usd == Decimal("78400000.00")
    assert "cv=USD78400000.00 " in att.text
    assert att.totals == (80_000_000 * 10**6, 0, 7_840_000_000)  # quantity, locked, cents
    at.verify_attestation(att, now=ASOF)


def test_locked_shares_are_held_but_not_valued() -> None:
    jumeirah = client_entry(BUNDLE_JSON, "jumeirah-yield")
    # 20M BUIDL x 0.97 + (10M - 2M) BENJI x 0.98: the 27,240,000.00
    assert jumeirah["collateral_value_usd"] == "27240000.00"
    assert jumeirah["positions"] == [
        {"asset": "BENJI", "locked_quantity": "2000000", "quantity": "10000000"},
        {"asset": "BUIDL", "locked_quantity": "0", "quantity": "20000000"},
    ]
    assert BUNDLE_JSON["body"]["totals"]["BENJI"] == {
        "locked": "2000000000000", "quantity": "90000000000000"}
    assert BUNDLE_JSON["body"]["assets"][0] == {
        "asset": "BENJI", "collateral_factor": "0.98", "decimals": 6, "price_usd": "1.00"}


def test_zero_positions_are_left_out_and_unheld_assets_leave_the_schema() -> None:
    att = _build([ClientHoldings("a", {"BTC": Decimal("1"), "USDC": Decimal(0)}),
                  ClientHoldings("b", {"BTC": Decimal("2"), "BENJI": Decimal(0)})])
    body = att.to_body([])
    assert [t["asset"] for t in body["assets"]] == ["BTC"]
    assert all(len(c["positions"]) == 1 for c in body["clients"])


def test_leaves_are_in_commitment_order() -> None:
    att = _build()
    commitments = [c.proof.commitment for c in att.clients]
    assert commitments == sorted(commitments)
    assert [c.proof.index for c in att.clients] == list(range(len(HOLDINGS)))


@pytest.mark.parametrize(
    ("holdings", "check", "match"),
    [
        ([ClientHoldings("A", {"BTC": 1.5})], "positions", "Decimal"),  # type: ignore[dict-item]
        ([ClientHoldings("A", {"BTC": Decimal("0.000000001")})], "positions", "decimal places"),
        ([ClientHoldings("A", {"BTC": Decimal("-1")})], "positions", "negative"),
        ([ClientHoldings("A", {"ETH": Decimal("1")})], "assets", "ETH"),
        ([ClientHoldings("A", {"BTC": Decimal("1")}), ClientHoldings("A", {})], "client ids",
         "twice"),
        ([], "client count", "at least one"),
        ([ClientHoldings("A", {})], "assets", "no positions"),
        ([ClientHoldings("A", {"BTC": Decimal("1")}, {"BTC": Decimal("2")})], "positions",
         "locked quantity above"),
        ([ClientHoldings("A", {"BTC": Decimal("1")}, {"USDC": Decimal("2")})], "positions",
         "without a holding"),
        ([ClientHoldings("A", {"BTC": Decimal("184467440737.09551616")})], "positions",
         "2\\*\\*64"),
    ],
)
def test_bad_inputs_are_refused(holdings: list[ClientHoldings], check: str, match: str) -> None:
    with pytest.raises(AttestationError, match=match) as caught:
        _build(holdings)
    assert caught.value.check == check


def test_bad_terms_are_refused() -> None:
    with pytest.raises(AttestationError, match="factor above 1"):
        _build(factors={**FACTORS, "BTC": Decimal("1.2")})
    with pytest.raises(AttestationError, match="price"):
        _build(prices={**PRICES, "BTC": Decimal("-1")})
    with pytest.raises(AttestationError, match="price and collateral factor needed"):
        _build(prices={k: v for k, v in PRICES.items() if k != "BTC"})


def test_random_salts_make_commitments_unlinkable() -> None:
    a = _build(salt_for=at.random_salt)
    b = _build(salt_for=at.random_salt)
    assert {c.proof.commitment for c in a.clients}.isdisjoint(
        {c.proof.commitment for c in b.clients})
    at.verify_attestation(a)


def test_time_check_of_the_library() -> None:
    att = _build()
    with pytest.raises(AttestationError, match="future") as caught:
        at.verify_attestation(att, now=ASOF - timedelta(seconds=1))
    assert caught.value.check == "time"
    with pytest.raises(AttestationError, match="expired"):
        at.verify_attestation(att, now=EXP)


quantity = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(quantity, quantity, quantity), min_size=1, max_size=25))
def test_property_any_valid_holdings_verify(rows: list[tuple[Decimal, Decimal, Decimal]]) -> None:
    holdings = [
        ClientHoldings(f"C{i}", {"BENJI": b + lk, "USDC": u}, {"BENJI": lk})
        for i, (b, lk, u) in enumerate(rows)
    ]
    assume(any(b + lk for b, lk, _ in rows) and any(u for *_, u in rows))
    att = _build(holdings)
    at.verify_attestation(att)
    k = 2
    assert att.totals[:k] == (sum(int((b + lk) * 10**6) for b, lk, _ in rows),
                              sum(int(u * 10**6) for *_, u in rows))
    assert att.totals[k] == sum(int(lk * 10**6) for _, lk, _ in rows)
    assert att.totals[-1] * Decimal("0.01") == att.statement.collateral_value_usd


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=3, max_size=3),
       st.lists(st.integers(0, 2**64 - 1), min_size=3, max_size=3),
       st.decimals(min_value=0, max_value=10**6, places=8, allow_nan=False),
       st.decimals(min_value=0, max_value=1, places=4, allow_nan=False))
def test_property_collateral_value_is_free_quantity_times_price_times_factor(
    units: list[int], locks: list[int], price: Decimal, factor: Decimal
) -> None:
    locked = [min(u, lk) for u, lk in zip(units, locks, strict=True)]
    terms = [at.AssetTerms(a, DECIMALS[a], price, factor) for a in ("BENJI", "BTC", "USDC")]
    with localcontext(prec=100):  # exact reference
        expected = sum(
            (Decimal(u - lk).scaleb(-t.decimals) * price * factor
             for u, lk, t in zip(units, locked, terms, strict=True)),
            Decimal(0),
        )
    if expected >= 10**16:  # no USD text for it: refused, never rounded
        with pytest.raises(AttestationError, match="does not fit"):
            at.client_collateral_value(terms, units, locked)
        return
    got = at.client_collateral_value(terms, units, locked)
    assert got == expected.quantize(Decimal("0.01"), rounding="ROUND_DOWN")


def test_no_quantity_or_value_is_ever_rounded() -> None:
    # 66 significant digits: more than any default decimal context keeps
    long_quantity = "80000000." + "0" * 57 + "1"
    doc = _edit(lambda d: client_entry(d, "alnoor-quant")["positions"][0].update(
        quantity=long_quantity))
    with pytest.raises(AttestationError, match="not a whole number of base units") as caught:
        at.verify_bundle(doc["body"], statement=doc["statement"], signature_key_ids=None)
    assert caught.value.check == "positions"
    with pytest.raises(AttestationError, match="not a whole number of base units"):
        _build([ClientHoldings("A", {"BENJI": Decimal(long_quantity)})])
    # a 40-digit price and factor are valued exactly, and a value too large is refused
    big = Decimal("1" * 25 + "." + "1" * 14)
    with pytest.raises(AttestationError, match="does not fit") as caught:
        _build(prices={**PRICES, "BTC": big})
    assert caught.value.check == "values"
    doc = _edit(lambda d: d["body"]["assets"][1].update(price_usd=f"{big}"))
    assert _first_failure(doc).startswith("FAIL values:")
    exact = at.client_collateral_value(
        [at.AssetTerms("X", 18, Decimal("0." + "3" * 38), Decimal("0." + "7" * 38))],
        [2**64 - 1], [0])
    with localcontext(prec=300):
        reference = (Decimal(2**64 - 1).scaleb(-18) * Decimal("0." + "3" * 38)
                     * Decimal("0." + "7" * 38))
    assert exact == reference.quantize(Decimal("0.01"), rounding="ROUND_DOWN")


@pytest.mark.parametrize(("units", "decimals", "text"), [
    (30000000000, 8, "300"), (12050000000, 8, "120.5"), (1, 8, "0.00000001"), (0, 6, "0"),
    (5, 0, "5"), (10, 1, "1"),
])
def test_quantity_text_is_the_shortest_form(units: int, decimals: int, text: str) -> None:
    assert at.quantity_text(units, decimals) == text


# ------------------------------------------------------------------ tampering


def _edit(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BUNDLE_JSON)
    change(doc)
    return doc


@pytest.mark.parametrize("case", list(TAMPERED))
def test_a_tampered_copy_of_a_real_bundle_is_refused_with_the_check_named(case: str) -> None:
    change, check = TAMPERED[case]
    line = _first_failure(_edit(change))
    assert any(line.startswith(f"FAIL {name}") for name in check.split("|")), line


def test_the_library_names_the_same_checks() -> None:
    for case, (change, check) in TAMPERED.items():
        if check.startswith(("signature", "format")) or case == "format 1 statement":
            continue
        doc = _edit(change)
        with pytest.raises(AttestationError) as caught:
            at.verify_bundle(doc["body"], statement=doc["statement"],
                             signature_key_ids=[s["key_id"] for s in doc["signatures"]])
        assert caught.value.check in check.split("|"), case


@pytest.mark.parametrize(("client_id", "check"), [
    ("\ud800x", "format"),  # not Unicode: refused by the document parser
    ("alnoor-quant\n", "fields"), ("", "fields"), ("a b", "fields"), ("x" * 65, "fields"),
])
def test_a_client_id_outside_the_grammar_is_refused_not_a_crash(client_id: str,
                                                                 check: str) -> None:
    doc = _edit(lambda d: d["body"]["clients"][0].update(client_id=client_id))
    assert _first_failure(doc).startswith(f"FAIL {check}:")
    with pytest.raises(AttestationError, match="not a client id"):
        _build([ClientHoldings(client_id, {"BTC": Decimal(1)})])


def test_a_format_1_bundle_is_refused_by_version_with_a_clear_message() -> None:
    doc = _edit(TAMPERED["format 1 statement"][0])
    line = _first_failure(doc)
    assert "[unsupported_version]" in line and "format 1 (CDESK-ATTEST/1) is retired" in line
    with pytest.raises(AttestationError, match="retired") as caught:
        at.verify_bundle(doc["body"], statement=doc["statement"], signature_key_ids=None)
    assert caught.value.check == "version"


# ------------------------------------------------------------------ random mutations


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


SMALL = json.loads(_signed(_build(HOLDINGS[:3])).to_bytes())  # 3 clients: quicker to walk
SMALL_PATHS = _paths(SMALL)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 2**64) | st.text(max_size=8)
    | st.sampled_from(["0", "1", "0.00", "BTC", "att-7", "k-a41ac9373b9868ec", "custodian",
                       "\ud800", "x\n"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=5,
)


def _apply(doc: Any, path: tuple[Any, ...], op: str, value: Any, data: st.DataObject) -> None:
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    current = parent[key]
    if op == "replace":
        parent[key] = value
    elif op == "delete":
        del parent[key]
    elif op == "add":  # a new key or element inside a container
        if isinstance(current, dict):
            current[data.draw(st.text(min_size=1, max_size=6))] = value
        elif isinstance(current, list):
            current.insert(data.draw(st.integers(0, len(current))), value)
    elif op == "tweak":  # a small edit of a scalar: the kind an attacker makes
        if isinstance(current, bool):
            parent[key] = not current
        elif isinstance(current, int):
            parent[key] = current + data.draw(st.sampled_from([-1, 1, 10]))
        elif isinstance(current, str) and current:
            i = data.draw(st.integers(0, len(current) - 1))
            ch = data.draw(st.sampled_from("0123456789abcdefABCDEF.-/ =+"))
            parent[key] = current[:i] + ch + current[i + 1:]
        elif isinstance(current, list) and current:
            current.append(copy.deepcopy(current[data.draw(st.integers(0, len(current) - 1))]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_property_every_mutation_that_changes_the_parsed_content_is_refused(
    data: st.DataObject,
) -> None:
    doc = copy.deepcopy(SMALL)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc)[1:]
        path = data.draw(st.sampled_from(paths))
        op = data.draw(st.sampled_from(["replace", "delete", "add", "tweak", "tweak"]))
        _apply(doc, path, op, data.draw(json_values), data)
    assume(doc != SMALL)
    lines = _lines(doc)
    assert any(line.startswith("FAIL") for line in lines), lines


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_property_every_byte_flip_that_changes_the_parsed_content_is_refused(
    data: st.DataObject,
) -> None:
    raw = bytearray(json.dumps(SMALL, sort_keys=True, separators=(",", ":")).encode())
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] ^= data.draw(st.integers(1, 255))
    try:
        parsed = json.loads(bytes(raw))
    except (ValueError, UnicodeDecodeError):
        parsed = None  # not JSON any more: must be refused too
    assume(parsed != SMALL)
    assert any(line.startswith("FAIL") for line in _lines(bytes(raw)))
