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


def _snapshot_aged(tmp_path, age: timedelta):  # type: ignore[no-untyped-def]
    import json as _json

    from app.services.demo import demo_snapshot_path

    doc = _json.loads(demo_snapshot_path().read_text())
    doc["as_of"] = (datetime.now(UTC) - age).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / f"aged-{int(age.total_seconds())}s.json"
    path.write_text(_json.dumps(doc))
    return path


def test_the_cli_refuses_to_prepare_on_stale_prices_as_the_window_does(  # type: ignore[no-untyped-def]
    tmp_path, capsys
) -> None:
    from app.cli.main import main

    data = str(tmp_path / "data")
    old = _snapshot_aged(tmp_path, timedelta(hours=3))
    assert main(["--data-dir", data, "import", str(old)]) == 0
    prepare = ["--data-dir", data, "attest", "prepare", "--clients", "palm-harbour",
               "--officer", "x", "--device", "trezor:udp:127.0.0.1:1"]
    capsys.readouterr()
    assert main(prepare) == 2
    err = capsys.readouterr().err
    # which asset, how old, the limit, and the way out; not a warning
    assert "refused: prices are too old to attest on" in err
    assert "the BTC price is 3 h old (limit 1 h" in err
    assert "import a fresh snapshot" in err.lower() and "warning" not in err
    assert "sign in" not in err.lower()  # refused before the session or the device is asked
    assert main(["--data-dir", data, "attest", "list", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"  # nothing prepared
    # a client holding only fund NAVs (24 h limit) is not held up by the BTC price
    capsys.readouterr()
    main(["--data-dir", data, "attest", "prepare", "--clients", "alnoor-quant",
          "--officer", "x", "--device", "trezor:udp:127.0.0.1:1"])
    assert "too old" not in capsys.readouterr().err
    # the way out works: a fresh snapshot, and the refusal is gone (the session check is next)
    fresh = _snapshot_aged(tmp_path, timedelta(minutes=1))
    assert main(["--data-dir", data, "import", str(fresh)]) == 0
    capsys.readouterr()
    assert main(prepare) == 2
    err = capsys.readouterr().err
    assert "too old" not in err and "signin" in err


def test_the_cli_checks_a_top_up_with_the_same_rule(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`margin topup` calls the same check as `attest prepare` for the call's client."""
    from app.cli.desk_cmds import require_fresh_prices
    from app.cli.errors import CliError
    from app.services.holdings import HoldingsService
    from app.store.sqlite_store import SqliteStore

    store = SqliteStore(tmp_path / "desk.sqlite3")
    try:
        HoldingsService(store).import_file(_snapshot_aged(tmp_path, timedelta(hours=2)), "test")
        with pytest.raises(CliError, match="the BTC price is 2 h old"):
            require_fresh_prices(store, ["palm-harbour"])
        require_fresh_prices(store, ["alnoor-quant"])  # BENJI only: within its 24 h
    finally:
        store.close()
