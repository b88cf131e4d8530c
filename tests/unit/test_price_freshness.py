"""Price freshness: limits by asset kind (BTC 1 h, NAVs and stablecoins 24 h),
overrides from the desk setting, stale reasons naming age, limit and source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.assets import AssetCatalogue
from app.domain.price_freshness import (
    FreshnessConfigError,
    PricePoint,
    format_age,
    limit_for,
    parse_limits,
    price_ages,
    stale_reasons,
)

CATALOGUE = AssetCatalogue.load_default()
NOW = datetime.now(UTC)


def point(asset: str, age: timedelta) -> PricePoint:
    return PricePoint(asset, Decimal("1.00"), NOW - age, "snapshot #7 (custodian.json)")


def test_default_limits_follow_the_asset_kind() -> None:
    assert limit_for("BTC", CATALOGUE) == timedelta(hours=1)
    for nav in ("BENJI", "BUIDL", "USDC"):
        assert limit_for(nav, CATALOGUE) == timedelta(hours=24)


def test_a_price_past_its_limit_is_stale_and_says_why() -> None:
    ages = price_ages(
        [point("BTC", timedelta(hours=6, minutes=5)), point("BENJI", timedelta(hours=6))],
        CATALOGUE,
        NOW,
    )
    assert [(a.asset, a.stale) for a in ages] == [("BENJI", False), ("BTC", True)]
    [reason] = stale_reasons(ages)
    assert reason == (
        "the BTC price is 6 h 05 min old (limit 1 h; snapshot #7 (custodian.json))"
    )
    assert stale_reasons(ages, assets={"BENJI"}) == []  # only the assets that matter


def test_the_setting_overrides_per_symbol_or_kind_and_refuses_nonsense() -> None:
    overrides = parse_limits('{"BTC": "30m", "stablecoin": "2d"}')
    assert limit_for("BTC", CATALOGUE, overrides) == timedelta(minutes=30)
    assert limit_for("USDC", CATALOGUE, overrides) == timedelta(days=2)
    assert limit_for("BENJI", CATALOGUE, overrides) == timedelta(hours=24)
    for bad in ('{"BTC": "soon"}', '{"BTC": "0h"}', "[1]", "{"):
        with pytest.raises(FreshnessConfigError):
            parse_limits(bad)


def test_ages_read_like_a_clock() -> None:
    assert format_age(timedelta(seconds=42)) == "42 s"
    assert format_age(timedelta(minutes=12, seconds=3)) == "12 min"
    assert format_age(timedelta(days=6, hours=2, minutes=9)) == "6 d 2 h"
    assert format_age(timedelta(hours=24)) == "1 d" and format_age(timedelta(hours=1)) == "1 h"


def test_the_cli_warns_when_it_prepares_on_stale_prices(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    from app.cli.main import main
    from app.services.demo import demo_snapshot_path

    old = _json.loads(demo_snapshot_path().read_text())
    old["as_of"] = (NOW - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / "three-hours-old.json"
    path.write_text(_json.dumps(old))
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "import", str(path)]) == 0
    main(["--data-dir", data, "attest", "prepare", "--clients", "palm-harbour", "--officer", "x",
          "--device", "trezor:udp:127.0.0.1:1"])  # refused (nobody signed in) after the warning
    err = capsys.readouterr().err
    assert "warning: the BTC price is 3 h" in err and "import a fresh snapshot" in err.lower()
