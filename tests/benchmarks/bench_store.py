"""Benchmark: the store's commit latency, snapshot import, holdings read, audit verify.

Run: ``.venv/bin/python tests/benchmarks/bench_store.py [CLIENTS] [WRITES]``
(defaults 100,000 clients, 2,000 audited writes), on the disk of a temporary dir.
Prints a table; it is a figure to record, not a pass/fail test. Commit latency
depends on how fast the disk honours fsync (``synchronous=FULL``).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.services.audit import AuditService  # noqa: E402
from app.services.holdings import HoldingsService  # noqa: E402
from app.store import open_store  # noqa: E402

DEFAULT_CLIENTS = 100_000
DEFAULT_WRITES = 2_000


def _document(clients: int) -> dict[str, Any]:
    return {
        "as_of": "2026-11-26T09:00:00Z",
        "prices": {"BENJI": "1.00", "BTC": "97000.00", "USDC": "1.00"},
        "clients": [
            {
                "id": f"c{i:07d}",
                "name": f"Client {i}",
                "net_assets_usd": "10000000.00",
                "dubai_entity": True,
                "soc2_type2": True,
                "exposure_usd": "1000000.00",
                "positions": [
                    {"asset": "BENJI", "quantity": str(1_000_000 + i)},
                    {"asset": "BTC", "quantity": "1.50000000"},
                ],
            }
            for i in range(clients)
        ],
    }


def main() -> None:
    """Print the store's figures as a table."""
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CLIENTS
    writes = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_WRITES
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        store = open_store(Path(folder) / "desk.sqlite3")
        audit = AuditService(store)
        latencies = []
        for n in range(writes):
            started = time.perf_counter()
            audit.record("bench", "bench.write", {"n": n})
            latencies.append(time.perf_counter() - started)
        latencies.sort()
        rows.append(
            (f"audited write, median of {writes}", f"{statistics.median(latencies) * 1e3:.3f} ms")
        )
        rows.append(("audited write, p99", f"{latencies[int(len(latencies) * 0.99)] * 1e3:.3f} ms"))

        started = time.perf_counter()
        report = audit.verify()
        rows.append(
            (
                f"audit verify, {report.entry_count} entries",
                f"{time.perf_counter() - started:.3f} s",
            )
        )

        holdings = HoldingsService(store)
        text = json.dumps(_document(clients))
        snapshot = holdings.parse(text)
        started = time.perf_counter()
        holdings.import_snapshot(snapshot, "bench", raw_json=text)
        rows.append(
            (f"import snapshot, {clients:,} clients", f"{time.perf_counter() - started:.2f} s")
        )

        with store.read() as tx:
            started = time.perf_counter()
            states = tx.holdings.client_states()
            rows.append(
                (f"read {len(states):,} client records", f"{time.perf_counter() - started:.2f} s")
            )
        started = time.perf_counter()
        valued = holdings.holdings()
        rows.append(
            (
                f"holdings() with valuation, {len(valued):,}",
                f"{time.perf_counter() - started:.2f} s",
            )
        )

        started = time.perf_counter()
        report = audit.verify()  # the data check rebuilds and hashes the whole snapshot
        assert report.ok, [c.line() for c in report.checks if not c.ok]
        rows.append(
            (
                f"audit verify with that snapshot bound ({report.entry_count} entries)",
                f"{time.perf_counter() - started:.2f} s",
            )
        )

        target = Path(folder) / "backup.sqlite3"
        started = time.perf_counter()
        store.backup(target)
        size_mb = target.stat().st_size / 1e6
        rows.append((f"backup ({size_mb:.0f} MB)", f"{time.perf_counter() - started:.2f} s"))
        store.close()
    width = max(len(name) for name, _ in rows)
    print(f"{'store benchmark':<{width}}  result")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
