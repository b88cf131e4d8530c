"""Benchmark: parse and value a snapshot of 100,000 clients; stress it once.

Run: ``.venv/bin/python tests/benchmarks/bench_valuation.py [CLIENTS]``.
Prints a table; it is a figure to record, not a pass/fail test.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain.assets import AssetCatalogue  # noqa: E402
from app.domain.snapshot import parse_snapshot  # noqa: E402
from app.domain.stress import parse_shock, run_stress  # noqa: E402
from app.domain.valuation import totals, value_snapshot  # noqa: E402

T = TypeVar("T")
DEFAULT_CLIENTS = 100_000
PRICES = {
    "BENJI": Decimal("1.00"),
    "USDC": Decimal("1.00"),
    "BTC": Decimal("97000.00"),
    "BUIDL": Decimal("1.00"),
}
FACTORS = {
    "BENJI": Decimal("0.98"),
    "USDC": Decimal("0.95"),
    "BTC": Decimal("0.80"),
    "BUIDL": Decimal("0.97"),
}


def synthetic_document(clients: int, seed: int = 7) -> dict[str, Any]:
    """A snapshot with ``clients`` clients holding 1-3 of BENJI/USDC/BTC/BUIDL."""
    rng = random.Random(seed)
    assets = ["BENJI", "USDC", "BTC", "BUIDL"]
    rows = []
    for i in range(clients):
        held = rng.sample(assets, rng.randint(1, 3))
        positions = []
        collateral = Decimal(0)
        for symbol in held:
            if symbol == "BTC":
                quantity = Decimal(rng.randint(1, 5_000_000_000)).scaleb(-8)
            else:
                quantity = Decimal(rng.randint(1, 10**14)).scaleb(-6)
            collateral += quantity * PRICES[symbol] * FACTORS[symbol]
            positions.append({"asset": symbol, "quantity": f"{quantity:f}"})
        # Exposure between 0 and 2.3x collateral value: most clients inside their line.
        exposure = (collateral * rng.randint(0, 230) / 100).quantize(Decimal("0.01"))
        rows.append(
            {
                "id": f"client-{i:06d}",
                "name": f"Client {i}",
                "net_assets_usd": f"{rng.randint(1, 10**10)}.00",
                "dubai_entity": rng.random() > 0.05,
                "soc2_type2": rng.random() > 0.05,
                "exposure_usd": f"{exposure:f}",
                "positions": positions,
            }
        )
    return {
        "as_of": "2026-11-26T09:00:00Z",
        "prices": {symbol: f"{price:f}" for symbol, price in PRICES.items()},
        "clients": rows,
    }


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[T, float]:
    """Result and best wall time of ``repeat`` runs (the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best


def main(clients: int = DEFAULT_CLIENTS) -> None:
    """Print the valuation benchmark table."""
    catalogue = AssetCatalogue.load_default()
    text = json.dumps(synthetic_document(clients))
    positions = text.count('"asset"')
    snapshot, t_parse = timed(lambda: parse_snapshot(text, catalogue))
    valuations, t_value = timed(lambda: value_snapshot(snapshot, catalogue))
    shocks = [parse_shock("BTC=-25%", catalogue), parse_shock("USDC=0.97", catalogue)]
    report, t_stress = timed(lambda: run_stress(snapshot, shocks, catalogue))
    summary = totals(valuations)

    rows = [
        ("parse + validate snapshot", t_parse),
        ("value every client", t_value),
        ("stress (2 shocks, before+after)", t_stress),
    ]
    print(f"Valuation benchmark: {clients:,} clients, {positions:,} positions")
    print(f"{'step (best of 3)':<34} {'seconds':>9} {'us/client':>10} {'clients/s':>12}")
    print("-" * 68)
    for label, seconds in rows:
        per = seconds / clients * 1e6
        rate = clients / seconds if seconds else float("inf")
        print(f"{label:<34} {seconds:>9.3f} {per:>10.1f} {rate:>12,.0f}")
    print("-" * 68)
    by_state = ", ".join(f"{s.value}={n:,}" for s, n in summary.by_state.items())
    print(f"states: {by_state}; crossing under stress: {len(report.crossing):,}")
    print(f"total collateral value USD {summary.collateral_value_usd:,}")
    assert summary.collateral_value_usd > Decimal(0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CLIENTS)
