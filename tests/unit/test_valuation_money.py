"""Money helpers and the asset catalogue that valuation stands on."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue, AssetKind, ConfigError, RiskPolicy, UnknownAsset
from app.domain.money import (
    MoneyError,
    format_decimal,
    format_usd,
    from_base_units,
    parse_decimal_string,
    ratio_down,
    to_base_units,
    to_decimal,
    usd_display,
    usd_down,
    usd_to_cents,
    usd_up,
)

CATALOGUE = AssetCatalogue.load_default()


def test_float_is_a_type_error_everywhere() -> None:
    with pytest.raises(TypeError):
        to_decimal(0.98)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_decimal(True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        usd_down(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_base_units(1.5, 8)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        from_base_units(1.0, 8)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["1e3", "NaN", "Infinity", "+1", "01", ".5", "1.", " 1", "", "1,000"]
)
def test_only_plain_decimal_strings(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_decimal_string(text)


def test_to_decimal_refuses_non_finite_decimals() -> None:
    with pytest.raises(MoneyError):
        to_decimal(Decimal("NaN"))


def test_rounding_directions() -> None:
    assert usd_display(Decimal("0.125")) == Decimal("0.12")  # half-even
    assert usd_display(Decimal("0.135")) == Decimal("0.14")
    assert usd_down(Decimal("0.129")) == Decimal("0.12")
    assert usd_up(Decimal("0.121")) == Decimal("0.13")
    assert usd_up(Decimal("0.12")) == Decimal("0.12")
    assert ratio_down(Decimal("0.4999999")) == Decimal("0.499999")


def test_base_units_are_exact_and_never_round() -> None:
    assert to_base_units(Decimal("1.5"), 8) == 150_000_000
    assert to_base_units(Decimal("80000000"), 6) == 80_000_000_000_000
    assert CATALOGUE.get("BTC").to_base_units(Decimal("0.00000001")) == 1
    assert from_base_units(150_000_000, 8) == Decimal("1.50000000")
    assert usd_to_cents(Decimal("78400000.00")) == 7_840_000_000
    with pytest.raises(MoneyError):
        to_base_units(Decimal("0.000000001"), 8)


@given(
    units=st.integers(min_value=0, max_value=2**80), decimals=st.integers(min_value=0, max_value=18)
)
def test_base_units_round_trip(units: int, decimals: int) -> None:
    assert to_base_units(from_base_units(units, decimals), decimals) == units


def test_formatting_never_uses_exponents() -> None:
    assert format_decimal(Decimal("1E+3")) == "1000"
    assert format_decimal(Decimal("1E-8")) == "0.00000001"
    assert format_usd(Decimal("78400000")) == "78,400,000.00"


def test_catalogue_has_the_four_pilot_assets() -> None:
    assert [a.symbol for a in CATALOGUE] == ["BENJI", "USDC", "BTC", "BUIDL"]
    benji = CATALOGUE.get("BENJI")
    assert benji.kind is AssetKind.TOKENIZED_MMF
    assert benji.annual_yield == Decimal("0.05")
    assert benji.haircut == Decimal("0.02")
    assert CATALOGUE.get("BTC").decimals == 8
    assert CATALOGUE.get("USDC").decimals == 6
    with pytest.raises(UnknownAsset, match="DOGE"):
        CATALOGUE.get("DOGE")


def test_policy_defaults_from_the_shipped_file() -> None:
    policy = CATALOGUE.policy
    assert policy.leverage == 2
    assert policy.margin_call_ratio == Decimal("0.5")
    assert policy.liquidation_ratio == Decimal("0.45")
    assert policy.settlements_per_utc_day == 2
    assert policy.yield_distribution_utc.hour == 8
    assert policy.redemption_settlement_hours == 24
    assert policy.min_net_assets_usd == Decimal("5000000.00")


def base_config() -> dict[str, Any]:
    return {
        "policy": {"leverage": "2"},
        "assets": [
            {
                "symbol": "BTC",
                "name": "Bitcoin",
                "kind": "crypto",
                "decimals": 8,
                "collateral_factor": "0.7",
            }
        ],
    }


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("assets", 0, "collateral_factor"), 0.7, "decimal string"),
        (("assets", 0, "collateral_factor"), "1.2", "between 0 and 1"),
        (("assets", 0, "kind"), "meme", "kind must be one of"),
        (("assets", 0, "decimals"), 40, "decimals"),
        (("assets", 0, "symbol"), "B T C", "symbol"),
        (("policy", "leverage"), "3", "leverage"),
        (("policy", "liquidation_ratio"), "0.6", "liquidation_ratio"),
        (("policy", "settlements_per_utc_day"), "2", "integer"),
    ],
)
def test_bad_config_is_refused_naming_the_key(
    path: tuple[Any, ...], value: Any, words: str
) -> None:
    config = base_config()
    target: Any = config
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ConfigError, match=words):
        AssetCatalogue.from_mapping(config)


def test_btc_factor_is_configurable(tmp_path: Path) -> None:
    text = (
        Path(shipped_catalogue_path())
        .read_text(encoding="utf-8")
        .replace('collateral_factor = "0.80"', 'collateral_factor = "0.70"')
    )
    path = tmp_path / "assets.toml"
    path.write_text(text, encoding="utf-8")
    assert AssetCatalogue.load(path).get("BTC").collateral_factor == Decimal("0.70")


def test_malformed_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "assets.toml"
    path.write_text("[policy\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        AssetCatalogue.load(path)


def test_policy_validation() -> None:
    with pytest.raises(ConfigError):
        RiskPolicy(settlements_per_utc_day=0)
    with pytest.raises(ConfigError):
        RiskPolicy(yield_day_count_basis=364)


def shipped_catalogue_path() -> Path:
    from app.resources_path import resource_path

    return resource_path("assets.toml")
