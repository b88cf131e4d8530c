"""Tokenized-MMF yield: daily accrual (ACT/365) and the 08:00 UTC distribution.

Convention (docs/domain.md, "Yield"):

* A yield-bearing asset (``Asset.annual_yield`` set; BENJI in the pilot) earns,
  for each UTC calendar day D, ``quantity x NAV x annual_yield / basis`` where
  ``basis`` is ``RiskPolicy.yield_day_count_basis`` (365: ACT/365 Fixed, one day
  is always 1/365 of the annual rate, leap years included).
* Day D's yield is *booked* at the end of D (00:00 UTC of D+1) on the holding of
  record, and *distributed* at the next distribution time (08:00 UTC of D+1).
* Accrued-but-undistributed yield at time t is the sum over booked days whose
  end lies after the last distribution and at or before t. With distributions
  on schedule that is day D's yield between 00:00 and 08:00 UTC, and nothing
  between 08:00 and midnight; a missed distribution keeps accumulating.
* Locked (redeeming) shares still earn: they remain fund shares until the
  redemption settles.
* Daily amounts are kept exact; the accrued total per asset is rounded DOWN to
  cents (the desk never counts yield that does not exist).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.domain.assets import AssetCatalogue, RiskPolicy
from app.domain.money import money_context, to_decimal, usd_down
from app.domain.snapshot import ClientRecord
from app.domain.utc import require_utc, start_of_utc_day, utc_day

_ZERO_USD = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class DailyRecord:
    """The holding of record at the end of one UTC day."""

    day: date
    quantity: Decimal
    nav_price: Decimal


@dataclass(frozen=True, slots=True)
class AssetYield:
    """Accrued-but-undistributed yield of one asset for one client."""

    asset: str
    quantity: Decimal
    nav_price: Decimal
    annual_yield: Decimal
    days: tuple[date, ...]
    daily_usd: Decimal
    accrued_usd: Decimal


@dataclass(frozen=True, slots=True)
class ClientYield:
    """A client's accrued-but-undistributed yield at ``as_of``."""

    client_id: str
    as_of: datetime
    last_distribution_at: datetime
    next_distribution_at: datetime
    assets: tuple[AssetYield, ...]

    @property
    def accrued_usd(self) -> Decimal:
        """Total accrued-but-undistributed yield in USD (cents, rounded down per asset)."""
        return sum((item.accrued_usd for item in self.assets), _ZERO_USD)


def daily_yield(
    quantity: Decimal, nav_price: Decimal, annual_yield: Decimal, basis: int = 365
) -> Decimal:
    """One day's yield in USD, exact (not rounded): quantity x NAV x rate / basis."""
    quantity, nav_price, annual_yield = (
        to_decimal(quantity),
        to_decimal(nav_price),
        to_decimal(annual_yield),
    )
    if quantity < 0 or nav_price < 0 or annual_yield < 0:
        raise ValueError("quantity, NAV and yield must not be negative")
    with money_context():
        return quantity * nav_price * annual_yield / Decimal(basis)


def accrue(records: Iterable[DailyRecord], annual_yield: Decimal, basis: int = 365) -> Decimal:
    """Sum of the daily yields of ``records`` (one per day), rounded DOWN to cents."""
    seen: set[date] = set()
    total = Decimal(0)
    with money_context():
        for record in records:
            if record.day in seen:
                raise ValueError(f"two holdings of record for {record.day}")
            seen.add(record.day)
            total += daily_yield(record.quantity, record.nav_price, annual_yield, basis)
        return usd_down(total)


def distribution_at(day: date, policy: RiskPolicy) -> datetime:
    """The distribution time (UTC) on ``day``."""
    moment = start_of_utc_day(day)
    at = policy.yield_distribution_utc
    return moment + timedelta(hours=at.hour, minutes=at.minute)


def last_scheduled_distribution(now: datetime, policy: RiskPolicy | None = None) -> datetime:
    """The latest scheduled distribution time at or before ``now``."""
    policy = policy if policy is not None else RiskPolicy()
    now = require_utc(now, "now")
    today = distribution_at(utc_day(now), policy)
    return today if today <= now else today - timedelta(days=1)


def next_distribution(now: datetime, policy: RiskPolicy | None = None) -> datetime:
    """The first scheduled distribution strictly after ``now``."""
    return last_scheduled_distribution(now, policy) + timedelta(days=1)


def undistributed_days(last_distribution_at: datetime, now: datetime) -> tuple[date, ...]:
    """Days D whose end (00:00 UTC of D+1) is after the last distribution and <= now."""
    last = require_utc(last_distribution_at, "last_distribution_at")
    now = require_utc(now, "now")
    if now < last:
        raise ValueError("now is before the last distribution")
    days: list[date] = []
    # First day-end strictly after the last distribution.
    end = start_of_utc_day(utc_day(last) + timedelta(days=1))
    while end <= now:
        days.append(utc_day(end) - timedelta(days=1))
        end += timedelta(days=1)
    return tuple(days)


def undistributed_day_count(now: datetime, policy: RiskPolicy) -> int:
    """How many booked days are undistributed at ``now`` with distributions on time.

    The desk-wide accrual is a function of this count (not of ``now`` itself): it
    changes only at 00:00 and at the distribution time, so a figure computed at one
    moment holds until the next of those.
    """
    return len(undistributed_days(last_scheduled_distribution(now, policy), now))


def accrued_yield(
    client: ClientRecord,
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    now: datetime,
    *,
    last_distribution_at: datetime | None = None,
    policy: RiskPolicy | None = None,
) -> ClientYield:
    """Accrued-but-undistributed yield of ``client`` at ``now``.

    The client's current positions are taken as the holding of record for every
    undistributed day, at the current NAV (``prices``). ``last_distribution_at``
    defaults to the last scheduled 08:00 UTC distribution (distributions on time).
    """
    policy = policy if policy is not None else catalogue.policy
    now = require_utc(now, "now")
    last = (
        last_scheduled_distribution(now, policy)
        if last_distribution_at is None
        else require_utc(last_distribution_at, "last_distribution_at")
    )
    days = undistributed_days(last, now)
    items: list[AssetYield] = []
    for position in client.positions:
        asset = catalogue.get(position.asset)
        if asset.annual_yield is None:
            continue
        nav = prices.get(position.asset)
        if nav is None:
            raise KeyError(f"no NAV price for {position.asset}")
        per_day = daily_yield(
            position.quantity, nav, asset.annual_yield, policy.yield_day_count_basis
        )
        with money_context():
            accrued = usd_down(per_day * len(days))
        items.append(
            AssetYield(
                asset=position.asset,
                quantity=position.quantity,
                nav_price=nav,
                annual_yield=asset.annual_yield,
                days=days,
                daily_usd=per_day,
                accrued_usd=accrued,
            )
        )
    return ClientYield(
        client_id=client.id,
        as_of=now,
        last_distribution_at=last,
        next_distribution_at=next_distribution(now, policy),
        assets=tuple(items),
    )


def accrued_by_client(
    clients: Iterable[ClientRecord],
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    now: datetime,
    policy: RiskPolicy | None = None,
) -> dict[str, dict[str, Decimal]]:
    """Each client's accrued-but-undistributed yield per asset, as :func:`accrued_yield`
    gives it (``{a.asset: a.accrued_usd for a in accrued_yield(...).assets}``).

    The desk-wide form, for the window's 100,000 clients: the distribution times
    and undistributed days depend only on ``now`` and are computed once, each
    asset's rate once. A client :func:`accrued_yield` refuses with a ``KeyError``
    (an asset not in the catalogue, or a yield-bearing asset without a NAV price)
    is left out, as the window has always left it out; a negative quantity raises
    ``ValueError`` as :func:`daily_yield` does. ``tests/unit/test_yield_accrual.py``
    holds the two equal. The result depends on ``now`` only through
    :func:`undistributed_day_count`.
    """
    policy = policy if policy is not None else catalogue.policy
    now = require_utc(now, "now")
    days = undistributed_day_count(now, policy)
    basis = Decimal(policy.yield_day_count_basis)
    rates: dict[str, Decimal | None] = {}
    result: dict[str, dict[str, Decimal]] = {}
    with money_context():
        for client in clients:
            accrued: dict[str, Decimal] = {}
            try:
                for position in client.positions:
                    symbol = position.asset
                    if symbol in rates:
                        rate = rates[symbol]
                    else:
                        rate = rates[symbol] = catalogue.get(symbol).annual_yield
                    if rate is None:
                        continue
                    nav = prices.get(symbol)
                    if nav is None:
                        raise KeyError(f"no NAV price for {symbol}")
                    quantity = position.quantity
                    if quantity < 0 or nav < 0 or rate < 0:
                        raise ValueError("quantity, NAV and yield must not be negative")
                    accrued[symbol] = usd_down(quantity * nav * rate / basis * days)
            except KeyError:
                continue
            result[client.id] = accrued
    return result
