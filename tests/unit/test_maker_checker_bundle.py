"""Bundle format 3 (``CDESK-ATTEST/3``): the maker's ``prepared-by`` signature next to the
checker's ``approved-by``; the verifier names both and refuses one person in both roles.
A format-2 bundle from before this change (the vector printed in docs/documents.md)
still verifies. TEST-ONLY public seeds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from test_documents_vectors import NOW, PATH, T0, _doc_vectors

from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for, parse_keys
from app.documents.verify import VerifyContext, verify_document
from app.domain import attestation as at
from app.domain.attestation import ClientHoldings, build_attestation
from app.domain.statement import (
    AttestationStatement,
    Environment,
    MakerCheckerAttestationStatement,
    parse,
)
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL

ALICE, BOB = SoftHsm(TEST_MNEMONIC_ABANDON), SoftHsm(TEST_MNEMONIC_ALL)


def keys_for(**edits: dict[str, object]) -> KeysFile:
    entries = []
    for name, hsm in (("alice", ALICE), ("bob", BOB)):
        key = hsm.get_public_key(PATH)
        fields: dict[str, object] = {"name": name, "fingerprint": hsm.fingerprint()}
        fields.update(edits.get(name, {}))
        entries.append(KeyEntry(key_id_for(key.pubkey), Party.CUSTODIAN, Role.OFFICER,
                                str(fields["name"]), key.pubkey, key.address, T0, None, False,
                                True, str(fields["fingerprint"]), key.path))
    keys = KeysFile("test", ())
    for e in entries:
        keys = keys.with_entry(e)
    return keys


def attestation(maker_signs: bool) -> at.Attestation:
    return build_attestation(
        custodian="CUST-DEMO", exchange="EXCH-DEMO", env=Environment.TEST, seq=7,
        as_of=datetime(2026, 11, 26, 8, tzinfo=UTC),
        expires_at=datetime(2026, 11, 27, 8, tzinfo=UTC),
        holdings=[ClientHoldings("alnoor-quant", {"BENJI": Decimal("80000000")})],
        decimals={"BENJI": 6}, prices={"BENJI": Decimal("1.00")},
        factors={"BENJI": Decimal("0.98")},
        salt_for=lambda _c: bytes(32), maker_signs=maker_signs,
    )


def signed(att: at.Attestation, *signers: SoftHsm) -> Document:
    """The bundle with ``signers`` (checker first, then maker) over its statement."""
    ids = [key_id_for(h.get_public_key(PATH).pubkey) for h in signers]
    doc = Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body(ids))
    for hsm, key_id in zip(signers, ids, strict=True):
        sig = hsm.sign_message(PATH, att.text)
        doc = Document(doc.kind, doc.statement, doc.body,
                       (*doc.signatures, SignatureEntry(key_id, "custodian", sig.signature)))
    return doc


def lines(doc: Document, keys: KeysFile) -> tuple[bool, list[str]]:
    report = verify_document(doc, VerifyContext(keys=keys, env="test", now=NOW))
    return report.ok, report.lines()


def test_a_format_2_bundle_from_before_this_change_still_verifies() -> None:
    vectors = _doc_vectors()  # the bytes printed in docs/documents.md
    doc = parse_document(vectors["attestation_bundle"])
    assert doc.statement.startswith("CDESK-ATTEST/2 ") and len(doc.signatures) == 1
    report = verify_document(doc, VerifyContext(keys=parse_keys(vectors["keys"]), env="test",
                                                now=NOW))
    assert report.ok, report.lines()
    assert "OK   maker-checker: approved by alice; bundle format 2 carries no maker signature" \
        in report.lines()


def test_format_3_names_who_prepared_and_who_approved() -> None:
    att = attestation(maker_signs=True)
    assert att.text.startswith("CDESK-ATTEST/3 ")
    assert isinstance(parse(att.text), MakerCheckerAttestationStatement)
    assert isinstance(parse(att.text, AttestationStatement), MakerCheckerAttestationStatement)
    ok, out = lines(signed(att, BOB, ALICE), keys_for())
    assert ok, out
    alice, bob = (key_id_for(h.get_public_key(PATH).pubkey) for h in (ALICE, BOB))
    assert f"OK   maker-checker: prepared by alice ({alice}), approved by bob ({bob})" in out
    assert f"OK   signers: approved-by {bob}, prepared-by {alice}" in out
    assert any(line.startswith("OK   version: bundle format 3 (CDESK-ATTEST/3: approved-by, "
                               "prepared-by)") for line in out)


@pytest.mark.parametrize(
    ("edits", "same"),
    [({"bob": {"name": "alice"}}, "officer"),
     ({"bob": {"fingerprint": ALICE.fingerprint()}}, "device")],
    ids=["one officer's name", "one device"],
)
def test_one_person_as_maker_and_checker_is_refused(edits: dict[str, dict[str, object]],
                                                    same: str) -> None:
    ok, out = lines(signed(attestation(True), BOB, ALICE), keys_for(**edits))
    assert not ok
    [line] = [x for x in out if x.startswith("FAIL")]
    assert line.startswith(f"FAIL maker-checker: prepared and approved with the same {same}")
    assert "[no_quorum]" in line


def test_one_key_twice_or_a_missing_maker_signature_is_refused() -> None:
    att = attestation(True)
    ok, out = lines(signed(att, ALICE, ALICE), keys_for())
    assert not ok and any(x.startswith("FAIL signers: a key signs twice") for x in out)
    ok, out = lines(signed(att, BOB), keys_for())  # the maker's signature stripped
    assert not ok
    assert any(x.startswith("FAIL signers: a format 3 bundle carries 2 signature(s)")
               for x in out)
    # relabelled as format 2 to drop the maker: the checker's signature no longer verifies
    doc = signed(att, BOB)
    relabelled = json.loads(doc.to_bytes())
    relabelled["statement"] = relabelled["statement"].replace("ATTEST/3", "ATTEST/2")
    ok, out = lines(parse_document(json.dumps(relabelled).encode()), keys_for())
    assert not ok and any(x.startswith("FAIL signature custodian/") and "[bad_signature]" in x
                          for x in out)


def test_format_2_is_still_built_for_one_signature() -> None:
    att = attestation(maker_signs=False)
    assert att.text.startswith("CDESK-ATTEST/2 ")
    assert at.signature_acts(att.statement) == ("approved-by",)
    ok, out = lines(signed(att, BOB), keys_for())
    assert ok, out
