"""Scripted price paths: ``BTC:-25%:3600s`` = BTC falls linearly by 25% over an hour."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_RE = re.compile(r"(?P<asset>[A-Z0-9]{1,12}):(?P<pct>[+-]?[0-9]+(\.[0-9]+)?)%:(?P<secs>[0-9]+)s")


class PricePathError(ValueError):
    """A price path that is not ``ASSET:[+-]PCT%:SECONDSs``."""


@dataclass(frozen=True)
class PricePath:
    asset: str
    change: Decimal  # -0.25 for -25%
    duration_s: int

    def factor(self, elapsed_s: float) -> Decimal:
        """Price multiplier after ``elapsed_s`` seconds (linear, then flat)."""
        if self.duration_s == 0:
            progress = Decimal(1)
        else:
            progress = min(Decimal(1), max(Decimal(0), Decimal(str(elapsed_s)) / self.duration_s))
        return Decimal(1) + self.change * progress


def parse_price_path(text: str) -> PricePath:
    match = _RE.fullmatch(text.strip())
    if match is None:
        raise PricePathError(f"{text!r}: expected ASSET:[+-]PCT%:SECONDSs, e.g. BTC:-25%:3600s")
    change = Decimal(match["pct"]) / 100
    if change <= -1:
        raise PricePathError(f"{text!r}: a price cannot fall by 100% or more")
    return PricePath(match["asset"], change, int(match["secs"]))
