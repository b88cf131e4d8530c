"""Asset catalogue, collateral factors and the pilot's risk policy.

Both come from ``resources/assets.toml`` (read with :mod:`tomllib`). Numbers are
TOML strings parsed as exact Decimals; a TOML float is refused.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.domain.money import MoneyError, from_base_units, parse_decimal_string, to_base_units
from app.resources_path import resource_path

log = logging.getLogger(__name__)

PILOT_LEVERAGE_CAP = Decimal(2)
"""The pilot caps the mirrored credit line at 2x collateral value."""

MAX_ASSET_DECIMALS = 18


class AssetKind(StrEnum):
    """What kind of instrument an asset is (drives yield and display)."""

    TOKENIZED_MMF = "tokenized_mmf"
    STABLECOIN = "stablecoin"
    CRYPTO = "crypto"
    TOKENIZED_TREASURY = "tokenized_treasury"


class UnknownAsset(KeyError):
    """The symbol is not in the asset catalogue."""

    def __init__(self, symbol: str) -> None:
        super().__init__(symbol)
        self.symbol = symbol

    def __str__(self) -> str:
        return f"unknown asset {self.symbol!r}"


class ConfigError(ValueError):
    """``assets.toml`` is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One collateral asset.

    ``collateral_factor`` is the share of market value that counts as collateral
    (1 - haircut). ``decimals`` is the quantity scale (base units per unit = 10**decimals).
    ``annual_yield`` is set for yield-bearing fund shares (accrued daily).
    """

    symbol: str
    name: str
    kind: AssetKind
    decimals: int
    collateral_factor: Decimal
    annual_yield: Decimal | None = None

    @property
    def haircut(self) -> Decimal:
        """1 - collateral factor."""
        return Decimal(1) - self.collateral_factor

    def to_base_units(self, quantity: Decimal) -> int:
        """Exact integer base units of ``quantity`` (raises if it has too many places)."""
        return to_base_units(quantity, self.decimals)

    def from_base_units(self, units: int) -> Decimal:
        """The quantity of ``units`` base units of this asset."""
        return from_base_units(units, self.decimals)


@dataclass(frozen=True, slots=True)
class RiskPolicy:
    """The pilot's risk parameters (see docs/domain.md for each default and why)."""

    leverage: Decimal = Decimal(2)
    liquidation_ratio: Decimal = Decimal("0.45")
    settlements_per_utc_day: int = 2
    yield_distribution_utc: time = time(8, 0)
    yield_day_count_basis: int = 365
    redemption_settlement_hours: int = 24
    min_net_assets_usd: Decimal = Decimal("5000000.00")
    margin_call_deadline_hours: int = 24

    def __post_init__(self) -> None:
        if not Decimal(0) < self.leverage <= PILOT_LEVERAGE_CAP:
            raise ConfigError(f"policy.leverage must be in (0, {PILOT_LEVERAGE_CAP}]")
        if not Decimal(0) < self.liquidation_ratio < self.margin_call_ratio:
            raise ConfigError(
                "policy.liquidation_ratio must be above 0 and below the margin-call "
                f"ratio 1/leverage = {self.margin_call_ratio}"
            )
        if self.settlements_per_utc_day < 1:
            raise ConfigError("policy.settlements_per_utc_day must be >= 1")
        if self.yield_day_count_basis not in (360, 365):
            raise ConfigError("policy.yield_day_count_basis must be 360 or 365")
        if self.redemption_settlement_hours < 1 or self.margin_call_deadline_hours < 1:
            raise ConfigError("policy hours must be >= 1")
        if self.min_net_assets_usd < 0:
            raise ConfigError("policy.min_net_assets_usd must be >= 0")

    @property
    def margin_call_ratio(self) -> Decimal:
        """Collateral ratio below which a margin call is due: 1 / leverage."""
        return Decimal(1) / self.leverage


class AssetCatalogue:
    """The assets the desk accepts as collateral, by symbol, in configured order."""

    def __init__(self, assets: Sequence[Asset], policy: RiskPolicy | None = None) -> None:
        by_symbol: dict[str, Asset] = {}
        for asset in assets:
            if asset.symbol in by_symbol:
                raise ConfigError(f"assets: duplicate symbol {asset.symbol!r}")
            by_symbol[asset.symbol] = asset
        self._assets = by_symbol
        self.policy = policy if policy is not None else RiskPolicy()

    @classmethod
    def load(cls, path: Path) -> AssetCatalogue:
        """Load a catalogue and policy from a TOML file."""
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path.name}: {exc}") from exc
        return cls.from_mapping(data)

    @classmethod
    def load_default(cls) -> AssetCatalogue:
        """The catalogue shipped in ``resources/assets.toml``."""
        return cls.load(resource_path("assets.toml"))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AssetCatalogue:
        """Build from parsed TOML (``[policy]`` table and ``[[assets]]`` array)."""
        policy = _parse_policy(data.get("policy", {}))
        raw_assets = data.get("assets")
        if not isinstance(raw_assets, list) or not raw_assets:
            raise ConfigError("assets: at least one [[assets]] entry is required")
        assets = [_parse_asset(entry, f"assets[{i}]") for i, entry in enumerate(raw_assets)]
        log.debug("asset catalogue loaded: %s", ", ".join(a.symbol for a in assets))
        return cls(assets, policy)

    def get(self, symbol: str) -> Asset:
        """The asset for ``symbol``; raises UnknownAsset (never a silent default)."""
        try:
            return self._assets[symbol]
        except KeyError:
            raise UnknownAsset(symbol) from None

    def __getitem__(self, symbol: str) -> Asset:
        return self.get(symbol)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._assets

    def __iter__(self) -> Iterator[Asset]:
        """Assets in configured order."""
        return iter(self._assets.values())

    def __len__(self) -> int:
        return len(self._assets)

    @property
    def symbols(self) -> tuple[str, ...]:
        """Symbols in configured order."""
        return tuple(self._assets)


def _parse_policy(raw: object) -> RiskPolicy:
    if not isinstance(raw, Mapping):
        raise ConfigError("policy must be a table")
    defaults = RiskPolicy()
    hh, _, mm = str(raw.get("yield_distribution_utc", "08:00")).partition(":")
    try:
        distribution = time(int(hh), int(mm))
    except ValueError as exc:
        raise ConfigError("policy.yield_distribution_utc must be HH:MM") from exc
    return RiskPolicy(
        leverage=_decimal(raw, "leverage", "policy", defaults.leverage),
        liquidation_ratio=_decimal(raw, "liquidation_ratio", "policy", defaults.liquidation_ratio),
        settlements_per_utc_day=_int(
            raw, "settlements_per_utc_day", "policy", defaults.settlements_per_utc_day
        ),
        yield_distribution_utc=distribution,
        yield_day_count_basis=_int(
            raw, "yield_day_count_basis", "policy", defaults.yield_day_count_basis
        ),
        redemption_settlement_hours=_int(
            raw, "redemption_settlement_hours", "policy", defaults.redemption_settlement_hours
        ),
        min_net_assets_usd=_decimal(
            raw, "min_net_assets_usd", "policy", defaults.min_net_assets_usd
        ),
        margin_call_deadline_hours=_int(
            raw, "margin_call_deadline_hours", "policy", defaults.margin_call_deadline_hours
        ),
    )


def _parse_asset(raw: object, where: str) -> Asset:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where} must be a table")
    symbol = raw.get("symbol")
    if not isinstance(symbol, str) or not symbol.isascii() or not symbol.isalnum():
        raise ConfigError(f"{where}.symbol must be an alphanumeric ASCII string")
    name = raw.get("name", symbol)
    if not isinstance(name, str):
        raise ConfigError(f"{where}.name must be a string")
    try:
        kind = AssetKind(str(raw.get("kind")))
    except ValueError:
        raise ConfigError(
            f"{where}.kind must be one of {', '.join(k.value for k in AssetKind)}"
        ) from None
    decimals = _int(raw, "decimals", where, None)
    if not 0 <= decimals <= MAX_ASSET_DECIMALS:
        raise ConfigError(f"{where}.decimals must be 0..{MAX_ASSET_DECIMALS}")
    factor = _decimal(raw, "collateral_factor", where, None)
    if not Decimal(0) <= factor <= Decimal(1):
        raise ConfigError(f"{where}.collateral_factor must be between 0 and 1")
    annual_yield = _decimal(raw, "annual_yield", where, None) if "annual_yield" in raw else None
    if annual_yield is not None and not Decimal(0) <= annual_yield < Decimal(1):
        raise ConfigError(f"{where}.annual_yield must be in [0, 1)")
    return Asset(symbol, name, kind, decimals, factor, annual_yield)


def _decimal(raw: Mapping[str, Any], key: str, where: str, default: Decimal | None) -> Decimal:
    value = raw.get(key)
    if value is None:
        if default is None:
            raise ConfigError(f"{where}.{key} is required")
        return default
    if not isinstance(value, str):
        raise ConfigError(f'{where}.{key} must be a decimal string like "0.98", not a number')
    try:
        return parse_decimal_string(value)
    except MoneyError as exc:
        raise ConfigError(f"{where}.{key}: {exc}") from None


def _int(raw: Mapping[str, Any], key: str, where: str, default: int | None) -> int:
    value = raw.get(key)
    if value is None:
        if default is None:
            raise ConfigError(f"{where}.{key} is required")
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}.{key} must be an integer")
    return value
