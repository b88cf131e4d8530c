"""How old each price is, where it came from, and whether it is too old to attest on.

Every price the desk values with comes from an imported snapshot (its ``as_of``
and its file). A price older than its limit is *stale*: Holdings flags it and no
attestation (nor a top-up) can be prepared on it until a fresh snapshot is
imported. Limits by asset kind (defaults; the setting ``prices.max_age`` — JSON
``{"BTC": "30m", "stablecoin": "12h"}`` — overrides per asset symbol or kind):

* ``crypto`` (BTC): 1 hour — it moves by the minute;
* fund NAVs (``tokenized_mmf``, ``tokenized_treasury``) and ``stablecoin``: 24 hours
  — NAVs are struck once a day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from app.domain.assets import AssetCatalogue, AssetKind

SETTING = "prices.max_age"

DEFAULT_LIMITS: Mapping[AssetKind, timedelta] = {
    AssetKind.CRYPTO: timedelta(hours=1),
    AssetKind.STABLECOIN: timedelta(hours=24),
    AssetKind.TOKENIZED_MMF: timedelta(hours=24),
    AssetKind.TOKENIZED_TREASURY: timedelta(hours=24),
}
FALLBACK_LIMIT = timedelta(hours=1)  # a kind added later: the strictest default

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class FreshnessConfigError(ValueError):
    """The ``prices.max_age`` setting cannot be read (the message says which entry)."""


@dataclass(frozen=True, slots=True)
class PricePoint:
    """A price as stored: value, the time it is for, and where it came from."""

    asset: str
    price: Decimal
    as_of: datetime
    source: str  # e.g. "snapshot #3 (custodian-0900.json)"


@dataclass(frozen=True, slots=True)
class PriceAge:
    """A price with its age against its limit."""

    point: PricePoint
    age: timedelta
    limit: timedelta

    @property
    def stale(self) -> bool:
        return self.age > self.limit

    @property
    def asset(self) -> str:
        return self.point.asset


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``1h``, ``2d`` → timedelta (FreshnessConfigError otherwise)."""
    match = _DURATION.match(text)
    if match is None or int(match[1]) <= 0:
        raise FreshnessConfigError(f"{text!r} is not a duration such as 30m, 1h or 2d")
    return timedelta(seconds=int(match[1]) * _UNIT[match[2]])


def parse_limits(text: str | None) -> dict[str, timedelta]:
    """The setting's overrides (asset symbol or kind → limit); ``{}`` when unset."""
    if not text:
        return {}
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FreshnessConfigError(f"{SETTING} is not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise FreshnessConfigError(f"{SETTING} must be an object of name -> duration")
    return {str(k): parse_duration(str(v)) for k, v in raw.items()}


def limit_for(
    asset: str, catalogue: AssetCatalogue, overrides: Mapping[str, timedelta] | None = None
) -> timedelta:
    """The age limit of ``asset``'s price: per symbol, else per kind, else the default."""
    overrides = overrides or {}
    if asset in overrides:
        return overrides[asset]
    kind = catalogue.get(asset).kind if asset in catalogue else None
    if kind is not None and kind.value in overrides:
        return overrides[kind.value]
    return DEFAULT_LIMITS.get(kind, FALLBACK_LIMIT) if kind is not None else FALLBACK_LIMIT


def price_ages(
    points: Iterable[PricePoint],
    catalogue: AssetCatalogue,
    now: datetime,
    overrides: Mapping[str, timedelta] | None = None,
) -> list[PriceAge]:
    """Each price's age at ``now`` against its limit, by asset symbol."""
    return sorted(
        (
            PriceAge(p, max(now - p.as_of, timedelta(0)), limit_for(p.asset, catalogue, overrides))
            for p in points
        ),
        key=lambda a: a.asset,
    )


def age_parts(age: timedelta) -> tuple[tuple[int, str], ...]:
    """The reading of :func:`format_age` as (number, unit) pairs, unit ``s``, ``min``,
    ``h`` or ``d`` (the window translates the units)."""
    seconds = int(age.total_seconds())
    if seconds < 60:
        return ((seconds, "s"),)
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return ((minutes, "min"),)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return ((hours, "h"), (minutes, "min")) if minutes else ((hours, "h"),)
    days, hours = divmod(hours, 24)
    return ((days, "d"), (hours, "h")) if hours else ((days, "d"),)


def format_age(age: timedelta) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``6 d 2 h`` (a reading, not an exact figure)."""
    parts = age_parts(age)
    return " ".join(
        f"{n:02d} {unit}" if i and unit == "min" else f"{n} {unit}"
        for i, (n, unit) in enumerate(parts)
    )


def stale_reasons(ages: Iterable[PriceAge], assets: Iterable[str] | None = None) -> list[str]:
    """One line per stale price (of ``assets`` only, when given): what, how old, the limit."""
    wanted = set(assets) if assets is not None else None
    return [
        f"the {a.asset} price is {format_age(a.age)} old (limit {format_age(a.limit)};"
        f" {a.point.source})"
        for a in ages
        if a.stale and (wanted is None or a.asset in wanted)
    ]


WAY_OUT = "import a fresh snapshot (File → Import snapshot…, or custody-desk import) first"
