"""Building a simulator with its TEST signing key (a public BIP-39 test mnemonic)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal

from app.exchange.sim.price_path import PricePath
from app.exchange.sim.state import ExchangeSim, KeysSource
from app.services.unit_of_work import utc_now
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO


def make_sim(
    keys: KeysSource,
    *,
    exchange_id: str = "EXCH-DEMO",
    price_paths: Iterable[PricePath] = (),
    prices: dict[str, Decimal] | None = None,
    utilisation: Decimal = Decimal("0.9"),
    exposures: dict[str, Decimal] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> ExchangeSim:
    """A test-only exchange whose key is derived from the public 'zoo ... wrong' seed.

    ``clock``: the sim's time source (tests pass a frozen one and move it with
    ``advance``); default the real UTC time.
    """
    hsm = SoftHsm(TEST_MNEMONIC_ZOO, approve="auto", name="exchange-sim")
    return ExchangeSim(
        keys, hsm, exchange_id=exchange_id, price_paths=price_paths, prices=prices,
        utilisation=utilisation, exposures=exposures, clock=clock or utc_now,
    )
