"""Orders, shares and release instructions bind every body field (issue 15, case 1).

Each test edits a real signed copy (the documents.md vectors: RFC 6979 signatures
from public test seeds) the way a reviewer would, and runs the same verifier as
``custody-desk verify``: the edit must fail, naming the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_documents_vectors import NOW, build_vectors

from app.cli.main import main
from app.documents import order_body
from app.documents.envelope import Document, Kind, parse_document
from app.documents.errors import DocumentError, Reason
from app.documents.keys import parse_keys
from app.documents.order_body import OrderExtension, order_statement, register_order_extension
from app.documents.report import VerifyReport
from app.documents.verify import VerifyContext, verify_document

VECTORS = build_vectors()
KEYS = parse_keys(VECTORS["keys"])
CTX = VerifyContext(keys=KEYS, env="test", now=NOW, exchange_id="EXCH-DEMO")


def _order() -> Document:
    return parse_document(VECTORS["unfreeze_order"])


def _share() -> Document:
    """One party's signed copy of the order (what ``emergency sign`` writes)."""
    order = _order()
    return Document(order.kind, order.statement, order.body, order.signatures[:1])


def _release() -> Document:
    order = _order()
    body = {"id": "rel-uo-00000001", "order": order.body}
    return Document(Kind.RELEASE_INSTRUCTION, order.statement, body, order.signatures)


def _edited(doc: Document, edit: Any) -> Document:
    obj = json.loads(doc.to_bytes())
    edit(obj)
    return parse_document(json.dumps(obj).encode())


def _body_failure(report: VerifyReport) -> str:
    bad = [c for c in report.checks if not c.ok and c.name == "body"]
    assert bad, report.lines()
    return bad[0].detail


def test_the_untouched_order_release_and_share_bind_their_bodies() -> None:
    for doc in (_order(), _release()):
        report = verify_document(doc, CTX)
        assert report.ok, report.lines()
    share = verify_document(_share(), CTX)
    assert [c.name for c in share.checks if not c.ok] == ["quorum"]
    assert "assets=BENJI:80000000 " in _order().statement
    assert " cust=CUST-DEMO " in _order().statement


ORDER_EDITS = [
    (lambda b: b["assets"][0].update(quantity="99999999999"), "assets[0].quantity"),
    (lambda b: b["assets"][0].update(quantity="80000000.0"), "assets[0].quantity"),
    (lambda b: b["assets"][0].update(asset="BTC"), "assets[0].asset"),
    (lambda b: b["assets"].append({"asset": "USDC", "quantity": "5"}), "assets[1].asset"),
    (lambda b: b.update(custodian_id="CUST-EVIL"), "custodian_id"),
    (lambda b: b.update(client_id="palm-harbour"), "client_id"),
    (lambda b: b.update(destination="attacker"), "destination: unknown field"),
    (lambda b: b["assets"][0].update(to="attacker"), "assets[0].to: unknown field"),
    (lambda b: b.pop("reason"), "reason: missing"),
    # format 3 shows the reason: an edit is named like any shown field
    (lambda b: b.update(reason="changed my mind"), "reason is 'changed my mind'"),
    (lambda b: b.update(created_at="2026-11-26T08:00:01Z"), "does not show (created_at)"),
    (lambda b: b.update(assets=[]), "assets: empty"),
]


@pytest.mark.parametrize(("edit", "named"), ORDER_EDITS)
@pytest.mark.parametrize("make", [_order, _share], ids=["order", "share"])
def test_an_edited_order_or_share_fails_naming_the_field(
    make: Any, edit: Any, named: str
) -> None:
    doc = _edited(make(), lambda obj: edit(obj["body"]))
    report = verify_document(doc, CTX)
    assert not report.ok
    assert named in _body_failure(report)


@pytest.mark.parametrize(("edit", "named"), ORDER_EDITS)
def test_an_edited_release_order_fails_naming_the_field(edit: Any, named: str) -> None:
    doc = _edited(_release(), lambda obj: edit(obj["body"]["order"]))
    report = verify_document(doc, CTX)
    assert not report.ok
    detail = _body_failure(report)
    assert named in detail and detail.startswith("body.order")


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda b: b.update(destination="attacker"), "body.destination: unknown field"),
        (lambda b: b.update(id="rel-other"), "body.id"),
        (lambda b: b.update(executed_at="2026-11-26T11:00:00Z"),
         "body.executed_at: unknown field"),
        (lambda b: b.pop("id"), "body.id: missing"),
    ],
)
def test_an_edited_release_fails_naming_the_field(edit: Any, named: str) -> None:
    doc = _edited(_release(), lambda obj: edit(obj["body"]))
    assert named in _body_failure(verify_document(doc, CTX))


@pytest.mark.parametrize("make", [_order, _share, _release])
def test_an_extra_top_level_key_is_refused_by_name(make: Any) -> None:
    obj = json.loads(make().to_bytes())
    obj["destination"] = "attacker"
    with pytest.raises(DocumentError, match=r"\$\.destination: unknown top-level key"):
        parse_document(json.dumps(obj).encode())
    obj.pop("destination")
    obj["signatures"][0]["note"] = "x"
    with pytest.raises(DocumentError, match=r"signatures\[0\]\.note: unknown field"):
        parse_document(json.dumps(obj).encode())


def test_non_canonical_base64_signature_is_refused() -> None:
    obj = json.loads(_order().to_bytes())
    sig = obj["signatures"][0]["signature"]
    assert sig.endswith("=")  # 65 bytes: the last character carries 2 unused bits
    last = sig[-2]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twin = alphabet[alphabet.index(last) ^ 1]  # same 6-bit group but one unused bit set
    obj["signatures"][0]["signature"] = sig[:-2] + twin + "="
    with pytest.raises(DocumentError, match="not canonical base64"):
        parse_document(json.dumps(obj).encode())


def test_version_1_orders_are_refused_by_version() -> None:
    order = _order()
    v1 = ("CDESK-UNFREEZE/1 ex=EXCH-DEMO env=test id=uo-00000001 client=alnoor-quant "
          "assets=BENJI exp=2026-11-28T08:00:00Z why=" + "2b" * 32)
    doc = Document(order.kind, v1, order.body, order.signatures)
    report = verify_document(doc, CTX)
    first = report.first_failure()
    assert first is not None and first.name == "statement"
    assert first.reason is Reason.UNSUPPORTED_VERSION
    assert "CDESK-UNFREEZE/3" in first.detail and "quantities" in first.detail


def test_cli_verify_says_invalid_for_the_reviewers_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys.json"
    keys.write_bytes(VECTORS["keys"])
    release = tmp_path / "release.json"
    argv = ["verify", str(release), "--keys", str(keys), "--at", "2026-11-26T12:00:00Z"]
    release.write_bytes(_release().to_bytes())
    assert main(argv) == 0 and capsys.readouterr().out.endswith("VALID\n")
    edited = _edited(
        _release(), lambda obj: obj["body"]["order"]["assets"][0].update(quantity="99999999999")
    )
    release.write_bytes(edited.to_bytes())
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "body.order.assets[0].quantity" in out and out.endswith("INVALID\n")


def test_an_on_chain_extension_is_shown_by_its_hash_and_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_body, "_EXTENSIONS", {})
    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict) or set(value) != {"tx_hash"}:
            raise DocumentError(Reason.MALFORMED, f"{where}: expected {{tx_hash}}")

    register_order_extension(
        OrderExtension("test_chain", check, lambda v: bytes.fromhex(v["tx_hash"]))
    )
    # an on-chain order leaves less room for the reason (tx= takes 20 characters)
    body = {**_order().body, "reason": "exchange down 6h", "test_chain": {"tx_hash": "ab" * 32}}
    text = order_statement(body).render()
    assert " tx=" + "ab" * 8 + " body=" in text and text.startswith("CDESK-UNFREEZE/3 ")
    doc = Document(Kind.UNFREEZE_ORDER, text, body)
    edited = _edited(doc, lambda obj: obj["body"]["test_chain"].update(tx_hash="cd" * 32))
    assert "transaction hash" in _body_failure(verify_document(edited, CTX))
    with pytest.raises(DocumentError, match="test_chain"):
        order_statement({**body, "test_chain": {"tx_hash": "ab", "x": 1}})
