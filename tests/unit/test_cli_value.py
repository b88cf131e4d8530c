"""`custody-desk value` and `custody-desk stress`, driven through the real CLI entry."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.cli.snapshot_cmds import _policy_json, _totals_json, valuation_json
from app.domain.assets import AssetCatalogue
from app.domain.snapshot import format_utc, load_snapshot
from app.domain.valuation import value_client
from app.resources_path import resource_path

DEMO = str(resource_path("demo", "snapshot.json"))


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "snap.json"
    path.write_text(text, encoding="utf-8")
    return str(path)


def demo_document() -> dict[str, Any]:
    return json.loads(Path(DEMO).read_text(encoding="utf-8"))


def test_value_json_has_every_documented_field_as_decimal_strings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run_json(capsys, "value", DEMO, "--json")
    clients = {c["id"]: c for c in out["clients"]}
    quant = clients["alnoor-quant"]
    assert quant["market_value_usd"] == "80000000.00"
    assert quant["collateral_value_usd"] == "78400000.00"
    assert quant["credit_line_usd"] == "156800000.00"
    assert quant["collateral_ratio"] == "0.653333"
    assert quant["state"] == "healthy"
    assert quant["eligible"] is True
    assert quant["ineligible_reasons"] == []
    assert quant["price_drop_to_margin_call"] == "0.234693"
    for field in (
        "market_value_usd",
        "collateral_value_usd",
        "credit_line_usd",
        "exposure_usd",
        "shortfall_usd",
        "headroom_to_margin_call_usd",
    ):
        assert isinstance(quant[field], str)


def test_value_json_shows_ineligible_reasons_and_margin_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run_json(capsys, "value", DEMO, "--json")
    clients = {c["id"]: c for c in out["clients"]}
    small = clients["creekside-digital"]
    assert small["eligible"] is False
    assert "5,000,000.00" in small["ineligible_reasons"][0]
    assert small["collateral_ratio"] is None  # no exposure
    assert clients["sandstone-arb"]["state"] == "margin_call"
    assert clients["sandstone-arb"]["shortfall_usd"] == "610000.00"
    assert out["totals"]["by_state"]["margin_call"] == 1


def test_value_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["value", DEMO]) == 0
    out = capsys.readouterr().out
    assert "156,800,000.00" in out
    assert "Margin call" in out
    assert "creekside-digital: not eligible" in out


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (
            lambda d: d["clients"][0]["positions"][0].update(quantity="-5"),
            "clients[0].positions[0].quantity",
        ),
        (
            lambda d: d["clients"][1]["positions"][0].update(quantity=1.5),
            "clients[1].positions[0].quantity",
        ),
        (
            lambda d: d["clients"][1]["positions"][0].update(quantity="1e3"),
            "clients[1].positions[0].quantity",
        ),
        (
            lambda d: d["clients"][2]["positions"][0].update(asset="DOGE"),
            "clients[2].positions[0].asset",
        ),
        (lambda d: d["clients"][3].pop("exposure_usd"), "clients[3].exposure_usd"),
        (lambda d: d.update(as_of="2026-11-26T09:00:00"), "as_of"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: Any, field: str
) -> None:
    doc = demo_document()
    mutate(doc)
    path = write(tmp_path, json.dumps(doc))
    assert main(["value", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert field in lines[0]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "malformed JSON"),
        ('{"as_of": NaN}', "NaN"),
        ('{"as_of": "2026-11-26T09:00:00Z", "as_of": "x"}', "duplicate key"),
    ],
)
def test_malformed_files_exit_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str
) -> None:
    assert main(["value", write(tmp_path, text)]) == 2
    err = capsys.readouterr().err
    assert words in err
    assert len(err.strip().splitlines()) == 1


def test_missing_file_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["value", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_stress_reports_who_crosses_which_line(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "stress", DEMO, "--shock", "BTC=-25%", "--shock", "USDC=0.97", "--json")
    clients = {c["id"]: c for c in out["clients"]}
    palm = clients["palm-harbour"]
    assert palm["state_before"] == "healthy"
    assert palm["state"] == "liquidation"
    assert palm["crossed"] == ["margin_call", "liquidation"]
    # 300 BTC x 72,750 x 0.80 = 17,460,000 ; need 44,000,000 / 2 = 22,000,000
    assert palm["collateral_value_usd"] == "17460000.00"
    assert palm["shortfall_usd"] == "4540000.00"
    assert clients["alnoor-quant"]["crossed"] == []
    assert out["prices_after"]["BTC"] == "72750.0000"
    assert out["prices_after"]["USDC"] == "0.97"
    assert out["summary"]["crossing"] == 2


def test_stress_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stress", DEMO, "--shock", "BTC=-25%"]) == 0
    out = capsys.readouterr().out
    assert "BTC -25%" in out
    assert "Margin call, Liquidation" in out


@pytest.mark.parametrize("shock", ["BTC", "BTC=-x%", "DOGE=-10%", "BTC=-150%", "USDC=-0.5"])
def test_bad_shock_exits_non_zero(capsys: pytest.CaptureFixture[str], shock: str) -> None:
    assert main(["stress", DEMO, "--shock", shock, "--json"]) == 2
    err = capsys.readouterr().err
    assert "--shock" in err
    assert len(err.strip().splitlines()) == 1


def test_shock_on_unpriced_asset_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = demo_document()
    del doc["prices"]["BUIDL"]
    doc["clients"] = [c for c in doc["clients"] if c["id"] != "jumeirah-yield"]
    assert main(["stress", write(tmp_path, json.dumps(doc)), "--shock", "BUIDL=-1%"]) == 2
    assert "no price for it" in capsys.readouterr().err


def test_value_json_is_byte_for_byte_the_indented_json_dumps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The streamed writer prints exactly what ``json.dumps(indent=2)`` of the documented
    document printed, valued by the reference ``value_client``, on a generated snapshot
    (no positions, no exposure: null ratio and drops, ineligible with reasons, names
    JSON escapes, 8-decimal quantities)."""
    rng = random.Random(16)
    names = ['Alpha "Quant"', "Société Générale · Dubai", "Back\\slash", "日本 Trust"]
    clients = []
    for n in range(250):
        held = rng.sample(["BENJI", "BTC", "USDC"], rng.randrange(0, 4))
        clients.append({
            "id": f"c{n:04d}",
            "name": f"{names[n % 4]} {n}",
            "net_assets_usd": rng.choice(["4999999.99", "250000000.00"]),
            "dubai_entity": rng.random() > 0.2,
            "soc2_type2": rng.random() > 0.2,
            "exposure_usd": rng.choice(["0", "0.00", "1000000.00", "35000.01"]),
            "positions": [
                {"asset": a, "quantity": f"{Decimal(rng.randrange(10**11)).scaleb(-places):f}"}
                for a in held
                for places in [8 if a == "BTC" else 6]
            ],
        })
    document = {"as_of": "2026-11-26T09:00:00Z",
                "prices": {"BENJI": "1.00", "BTC": "97000.12345678", "USDC": "0.9999"},
                "clients": clients}
    path = write(tmp_path, json.dumps(document))
    catalogue = AssetCatalogue.load_default()
    snapshot = load_snapshot(Path(path), catalogue)
    reference = tuple(value_client(c, snapshot.prices, catalogue) for c in snapshot.clients)
    assert any(v.collateral_ratio is None for v in reference)
    assert any(v.ineligible_reasons for v in reference)
    assert any(not v.positions for v in reference)
    expected = json.dumps(
        {
            "as_of": format_utc(snapshot.as_of),
            "policy": _policy_json(catalogue),
            "clients": [valuation_json(v) for v in reference],
            "totals": _totals_json(reference),
        },
        indent=2,
        ensure_ascii=False,
    )
    assert main(["value", path, "--json"]) == 0
    assert capsys.readouterr().out == expected + "\n"
