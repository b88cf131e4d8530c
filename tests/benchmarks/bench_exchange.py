"""Exchange link: attestation push to booked credit line on loopback, and big bundles.

Run: ``python tests/benchmarks/bench_exchange.py`` (prints a table; not a test).

* push -> booked: one signed 1-client bundle queued in the desk's outbox (its
  own SQLite transaction, synchronous=FULL) and sent over HTTP to the simulator
  on 127.0.0.1, which verifies the signature and the proof and books the line;
  measured per push, 1,000 pushes, median and p99.
* the same without the store (the HTTP send and the booking only).
* a 10,000-client bundle: parse + verify every proof (what the sim and
  ``custody-desk verify`` do), and the full push of it to a booked line.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_documents import build_bundle

from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for
from app.documents.verify import VerifyContext, verify_document
from app.domain.attestation import ClientHoldings, build_attestation
from app.domain.statement import Environment
from app.exchange.backoff import Backoff
from app.exchange.link import OutboundMessage
from app.exchange.outbox import enqueue, flush
from app.exchange.rest import RestLink
from app.exchange.sim.factory import make_sim
from app.exchange.sim.server import start_sim
from app.services.unit_of_work import unit_of_work
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

PATH = "m/44'/0'/0'/0/0"
PUSHES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def one_client_bundle(seq: int, hsm: SoftHsm, key_id: str, now: datetime) -> Document:
    att = build_attestation(
        custodian="CUST-DEMO", exchange="EXCH-DEMO", env=Environment.TEST, seq=seq,
        as_of=(now - timedelta(minutes=5)).replace(microsecond=0),
        expires_at=(now + timedelta(days=1)).replace(microsecond=0),
        holdings=[ClientHoldings("bench-client", {"BTC": Decimal(1)})],
        decimals={"BTC": 8}, prices={"BTC": Decimal("97000.00")},
        factors={"BTC": Decimal("0.80")}, salt_for=lambda _: seq.to_bytes(32, "big"),
    )
    doc = Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body([key_id]))
    made = hsm.sign_message(PATH, doc.statement)
    return doc.with_signature(SignatureEntry(key_id, "custodian", made.signature))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(name: str, runs: list[float]) -> None:
    print(f"{name:<52} {len(runs):>6} {statistics.median(runs) * 1e3:>10.2f}"
          f" {pct(runs, 0.99) * 1e3:>10.2f}")


async def bench(tmp: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    hsm = SoftHsm(TEST_MNEMONIC_ABANDON)
    key = hsm.get_public_key(PATH)
    key_id = key_id_for(key.pubkey)
    keys = KeysFile("test", (KeyEntry(key_id, Party.CUSTODIAN, Role.OFFICER, "bench",
                                      key.pubkey, key.address,  # valid for the big bundle too
                                      min(now, datetime(2026, 11, 26, tzinfo=UTC)), None,
                                      False, True),))
    sim = make_sim(keys)
    running = start_sim(sim)
    link = RestLink(running.url, backoff=Backoff(base_s=0.01, cap_s=0.1))
    store = SqliteStore(tmp / "desk.db")
    docs = [one_client_bundle(seq, hsm, key_id, now) for seq in range(1, 2 * PUSHES + 11)]
    print(f"{'step (loopback, simulator in-process)':<52} {'n':>6} {'median ms':>10}"
          f" {'p99 ms':>10}")
    # warm-up: connection pool, imports, caches
    for doc in docs[:10]:
        await link.send(OutboundMessage(f"warm-{doc.body['id']}", "attestation_bundle",
                                        doc.to_bytes()))
    with_store: list[float] = []
    for doc in docs[10:10 + PUSHES]:
        data = doc.to_bytes()
        start = time.perf_counter()
        with unit_of_work(store) as uow:
            key_sent = enqueue(uow, "attestation_bundle", str(doc.body["id"]), data, "bench")
        flushed = await flush(store, link, only=key_sent)
        with_store.append(time.perf_counter() - start)
        assert key_sent in flushed.sent and flushed.sent[key_sent].status == 201
    row("push: outbox commit + HTTP + verify + book", with_store)
    send_only: list[float] = []
    for doc in docs[10 + PUSHES:]:
        message = OutboundMessage(f"raw-{doc.body['id']}", "attestation_bundle", doc.to_bytes())
        start = time.perf_counter()
        delivery = await link.send(message)
        send_only.append(time.perf_counter() - start)
        assert delivery.status == 201
    row("send only: HTTP + verify + book", send_only)
    assert all(n == 1 for n in sim.stats()["bookings_per_key"].values())

    big = build_bundle(10_000, hsm)
    data = big.to_bytes()
    ctx = VerifyContext(keys=keys, env="test", now=datetime(2026, 11, 26, 12, tzinfo=UTC),
                        exchange_id="EXCH-DEMO")
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        report = verify_document(parse_document(data), ctx)
        runs.append(time.perf_counter() - start)
        assert report.ok, [line for line in report.lines() if line.startswith("FAIL")]
    row(f"10,000-client bundle: parse + all proofs ({len(data) / 1e6:.1f} MB)", runs)
    await link.aclose()
    running.stop()
    store.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(bench(Path(tmp)))


if __name__ == "__main__":
    main()
