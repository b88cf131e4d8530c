"""Signed documents: build, encode, parse and fully verify a 10,000-client bundle.

Run: ``python tests/benchmarks/bench_documents.py`` (prints a table; not a test).
Signing is by an in-process SoftHsm (test seed); verification is what
``custody-desk verify`` does: statement, body binding, every inclusion proof,
the sum, the signature, the quorum.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for
from app.documents.verify import VerifyContext, verify_document
from app.domain.attestation import ClientHoldings, build_attestation
from app.domain.statement import Environment
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

PATH = "m/44'/0'/0'/0/0"
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def build_bundle(n: int, hsm: SoftHsm) -> Document:
    """An ``n``-client, 3-asset format-2 bundle from the desk's one builder, signed."""
    holdings = [
        ClientHoldings(
            f"client-{i:05d}",
            {"BENJI": Decimal(1000 + i), "BTC": Decimal(i % 7), "USDC": Decimal(500 * i)},
            {"BENJI": Decimal(i % 3)},
        )
        for i in range(n)
    ]
    att = build_attestation(
        custodian="CUST-DEMO", exchange="EXCH-DEMO", env=Environment.TEST, seq=1,
        as_of=datetime(2026, 11, 26, 8, tzinfo=UTC),
        expires_at=datetime(2026, 11, 27, 8, tzinfo=UTC), holdings=holdings,
        decimals={"BENJI": 2, "BTC": 8, "USDC": 6},
        prices={"BENJI": Decimal("1.00"), "BTC": Decimal("91000.00"), "USDC": Decimal("1.00")},
        factors={"BENJI": Decimal("0.98"), "BTC": Decimal("0.80"), "USDC": Decimal("0.95")},
        salt_for=lambda cid: int(cid[7:]).to_bytes(32, "big"),
    )
    sig = hsm.sign_message(PATH, att.text)
    key_id = key_id_for(sig.pubkey)
    doc = Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body([key_id]))
    return doc.with_signature(SignatureEntry(key_id, "custodian", sig.signature))


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main() -> None:
    hsm = SoftHsm(TEST_MNEMONIC_ABANDON)
    key = hsm.get_public_key(PATH)
    keys = KeysFile("test", (KeyEntry(key_id_for(key.pubkey), Party.CUSTODIAN, Role.OFFICER,
                                      "bench", key.pubkey, key.address,
                                      NOW - timedelta(days=1), None, False, True),))
    ctx = VerifyContext(keys=keys, env="test", now=NOW, exchange_id="EXCH-DEMO")
    print(f"{'step (10,000 clients, 3 assets)':<44} {'median s':>10}")
    build_s, doc = timed(lambda: build_bundle(10_000, hsm), 1)
    print(f"{'build tree + proofs + sign':<44} {build_s:>10.3f}")
    encode_s, data = timed(doc.to_bytes, 3)
    print(f"{'encode canonical JSON':<44} {encode_s:>10.3f}   ({len(data) / 1e6:.1f} MB)")
    parse_s, parsed = timed(lambda: parse_document(data), 3)
    print(f"{'parse (strict)':<44} {parse_s:>10.3f}")
    verify_s, report = timed(lambda: verify_document(parsed, ctx), 3)
    assert report.ok, report.lines()
    print(f"{'verify: statement, 10,000 proofs, sum, signature':<44} {verify_s:>10.3f}")
    print(f"{'parse + verify':<44} {parse_s + verify_s:>10.3f}")


if __name__ == "__main__":
    main()
