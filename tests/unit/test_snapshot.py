"""The snapshot parser: what it accepts, and every way it refuses, naming the field."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue
from app.domain.snapshot import (
    SnapshotError,
    canonical_snapshot_json,
    canonical_snapshot_pieces,
    load_snapshot,
    parse_snapshot,
    snapshot_sha256,
    snapshot_to_document,
)
from app.resources_path import resource_path

CATALOGUE = AssetCatalogue.load_default()


def good_document() -> dict[str, Any]:
    return {
        "as_of": "2026-11-26T09:00:00Z",
        "prices": {"BENJI": "1.00", "BTC": "97000.00", "USDC": "1.00"},
        "clients": [
            {
                "id": "alpha",
                "name": "Alpha Quant",
                "net_assets_usd": "10000000.00",
                "dubai_entity": True,
                "soc2_type2": True,
                "exposure_usd": "1000.00",
                "positions": [{"asset": "BENJI", "quantity": "80000000"}],
            },
            {
                "id": "beta",
                "name": "Beta Markets",
                "net_assets_usd": "20000000",
                "dubai_entity": True,
                "soc2_type2": False,
                "exposure_usd": "0",
                "positions": [
                    {"asset": "BTC", "quantity": "1.5"},
                    {"asset": "USDC", "quantity": "10.123456"},
                ],
            },
        ],
    }


def parse(doc: Any) -> Any:
    return parse_snapshot(json.dumps(doc), CATALOGUE)


def refusal(doc: Any) -> SnapshotError:
    with pytest.raises(SnapshotError) as info:
        parse(doc)
    return info.value


def test_good_document_parses_to_exact_decimals() -> None:
    snap = parse(good_document())
    assert snap.as_of == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert snap.prices["BTC"] == Decimal("97000.00")
    beta = snap.client("beta")
    assert beta.soc2_type2 is False
    assert beta.positions[0].quantity == Decimal("1.5")
    assert beta.positions[1].quantity == Decimal("10.123456")
    assert snap.clients[0].positions[0].locked_quantity == 0


def test_extra_fields_are_allowed() -> None:
    doc = good_document()
    doc["source"] = "exchange feed"
    doc["clients"][0]["desk_notes"] = {"anything": [1, 2.5]}
    doc["clients"][0]["positions"][0]["venue"] = "cold-1"
    assert parse(doc).clients[0].id == "alpha"


def test_offset_time_is_converted_to_utc() -> None:
    doc = good_document()
    doc["as_of"] = "2026-11-26T13:00:00+04:00"
    assert parse(doc).as_of == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def mutate(path: list[Any], value: Any) -> dict[str, Any]:
    doc = good_document()
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


Q = ["clients", 1, "positions", 0, "quantity"]


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (Q, 1.5, "clients[1].positions[0].quantity", "JSON number"),
        (Q, 2, "clients[1].positions[0].quantity", "JSON number"),
        (Q, "1e3", "clients[1].positions[0].quantity", "exponent"),
        (Q, "1E-3", "clients[1].positions[0].quantity", "exponent"),
        (Q, "-1.5", "clients[1].positions[0].quantity", "negative"),
        (Q, "0.000000001", "clients[1].positions[0].quantity", "BTC has at most 8"),
        (Q, "NaN", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, "Infinity", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, " 1", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, "+1", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, "01", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, ".5", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, "1.", "clients[1].positions[0].quantity", "plain decimal"),
        (Q, True, "clients[1].positions[0].quantity", "boolean"),
        (Q, None, "clients[1].positions[0].quantity", "decimal string"),
        (
            ["clients", 1, "positions", 1, "quantity"],
            "1.1234567",
            "clients[1].positions[1].quantity",
            "USDC has at most 6",
        ),
        (
            ["clients", 1, "positions", 0, "asset"],
            "DOGE",
            "clients[1].positions[0].asset",
            "unknown asset",
        ),
        (
            ["clients", 1, "positions", 0, "asset"],
            "BUIDL",
            "clients[1].positions[0].asset",
            "no price",
        ),
        (
            ["clients", 0, "net_assets_usd"],
            "1.001",
            "clients[0].net_assets_usd",
            "USD has at most 2",
        ),
        (["clients", 0, "exposure_usd"], 10, "clients[0].exposure_usd", "JSON number"),
        (["clients", 0, "dubai_entity"], "true", "clients[0].dubai_entity", "boolean"),
        (["clients", 0, "soc2_type2"], 1, "clients[0].soc2_type2", "boolean"),
        (["clients", 0, "id"], "", "clients[0].id", "characters"),
        (["clients", 0, "id"], "has space", "clients[0].id", "characters"),
        (["clients", 0, "name"], "", "clients[0].name", "non-empty"),
        (["clients", 1, "id"], "alpha", "clients[1].id", "duplicate client id"),
        (["prices", "BTC"], "0", "prices.BTC", "greater than 0"),
        (["prices", "BTC"], 97000.0, "prices.BTC", "JSON number"),
        (["prices", "XRP"], "0.5", "prices.XRP", "unknown asset"),
        (["prices", "BTC"], "1.123456789", "prices.BTC", "at most 8"),
        (["as_of"], "2026-11-26T09:00:00", "as_of", "timezone"),
        (["as_of"], "2026-11-26", "as_of", "timezone"),
        (["as_of"], "yesterday", "as_of", "ISO 8601"),
        (["clients"], {}, "clients", "array"),
        (["clients", 0, "positions"], "BENJI", "clients[0].positions", "array"),
    ],
)
def test_bad_values_are_refused_naming_the_field(
    path: list[Any], value: Any, field: str, words: str
) -> None:
    error = refusal(mutate(path, value))
    assert error.field == field
    assert words in str(error)
    assert "\n" not in str(error)
    assert str(error).startswith(field)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("id", "clients[0].id"),
        ("name", "clients[0].name"),
        ("net_assets_usd", "clients[0].net_assets_usd"),
        ("dubai_entity", "clients[0].dubai_entity"),
        ("soc2_type2", "clients[0].soc2_type2"),
        ("exposure_usd", "clients[0].exposure_usd"),
        ("positions", "clients[0].positions"),
    ],
)
def test_missing_client_fields_are_named(key: str, field: str) -> None:
    doc = good_document()
    del doc["clients"][0][key]
    error = refusal(doc)
    assert error.field == field
    assert "missing" in str(error)


@pytest.mark.parametrize("key", ["as_of", "prices", "clients"])
def test_missing_top_level_fields_are_named(key: str) -> None:
    doc = good_document()
    del doc[key]
    assert refusal(doc).field == key


def test_missing_quantity_is_named() -> None:
    doc = good_document()
    del doc["clients"][1]["positions"][1]["quantity"]
    assert refusal(doc).field == "clients[1].positions[1].quantity"


def test_duplicate_keys_are_refused_with_their_path() -> None:
    text = json.dumps(good_document()).replace(
        '"quantity": "1.5"', '"quantity": "1.5", "quantity": "900"'
    )
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text, CATALOGUE)
    assert info.value.field == "clients[1].positions[0].quantity"
    assert "duplicate key" in str(info.value)


def test_duplicate_top_level_key_is_refused() -> None:
    text = (
        '{"as_of": "2026-11-26T09:00:00Z", "as_of": "2026-11-27T09:00:00Z",'
        ' "prices": {}, "clients": []}'
    )
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text, CATALOGUE)
    assert info.value.field == "as_of"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_tokens_are_refused(constant: str) -> None:
    text = json.dumps(good_document()).replace('"1.5"', constant)
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text, CATALOGUE)
    assert info.value.field == "clients[1].positions[0].quantity"
    assert constant in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["", "{", "[1, 2", '{"as_of": }', "\ufeff{}", "null", "[]", '"text"'],
)
def test_malformed_or_non_object_json_is_refused(text: str) -> None:
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text, CATALOGUE)
    assert info.value.field == "$"


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(SnapshotError, match="UTF-8"):
        parse_snapshot(b'{"as_of": "\xff"}', CATALOGUE)


def test_duplicate_position_asset_is_refused() -> None:
    doc = good_document()
    doc["clients"][1]["positions"].append({"asset": "BTC", "quantity": "1"})
    error = refusal(doc)
    assert error.field == "clients[1].positions[2].asset"


def test_locked_quantity_cannot_exceed_quantity() -> None:
    doc = good_document()
    doc["clients"][0]["positions"][0]["locked_quantity"] = "80000000.000001"
    assert refusal(doc).field == "clients[0].positions[0].locked_quantity"


def test_liquidation_order_is_validated() -> None:
    doc = good_document()
    doc["clients"][0]["liquidation_order"] = ["BENJI", "ETH"]
    assert refusal(doc).field == "clients[0].liquidation_order[1]"
    doc["clients"][0]["liquidation_order"] = ["BENJI", "BENJI"]
    assert refusal(doc).field == "clients[0].liquidation_order[1]"
    doc["clients"][0]["liquidation_order"] = ["USDC", "BENJI"]
    assert parse(doc).clients[0].liquidation_order == ("USDC", "BENJI")


def test_missing_file_is_a_snapshot_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="cannot read"):
        load_snapshot(tmp_path / "absent.json", CATALOGUE)


def test_demo_snapshot_loads() -> None:
    snap = load_snapshot(resource_path("demo", "snapshot.json"), CATALOGUE)
    ids = [client.id for client in snap.clients]
    assert "alnoor-quant" in ids
    assert len(ids) == len(set(ids)) >= 5


def test_round_trip_through_canonical_document() -> None:
    snap = parse(good_document())
    again = parse(snapshot_to_document(snap))
    assert again == snap


@pytest.mark.parametrize("clients", [1, 499, 500, 501, 1203])
def test_canonical_text_in_pieces_is_the_whole_documents_text(clients: int) -> None:
    # The digest stored with every imported snapshot (and re-checked by the audit)
    # must not change because the text is now made a few hundred clients at a time.
    doc = good_document()
    template = doc["clients"][0]
    doc["clients"] = [
        {**template, "id": f"c{i:05d}", "name": f"Client ü{i} \"quoted\"",
         "positions": [{"asset": "BENJI", "quantity": f"{i}.5", "locked_quantity": "0.5"}],
         **({"liquidation_order": ["USDC", "BENJI"]} if i % 3 == 0 else {})}
        for i in range(clients)
    ]
    snap = parse(doc)
    whole = json.dumps(snapshot_to_document(snap), sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False)
    pieces = list(canonical_snapshot_pieces(snap))
    assert canonical_snapshot_json(snap) == "".join(pieces) == whole
    assert len(pieces) == 2 + -(-clients // 500)
    assert snapshot_sha256(snap) == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    assert parse(json.loads(whole)) == snap


@given(
    quantity=st.decimals(min_value=0, max_value=10**12, places=8, allow_nan=False),
    price=st.decimals(min_value=Decimal("0.00000001"), max_value=10**7, places=8),
)
def test_any_in_range_amount_round_trips(quantity: Decimal, price: Decimal) -> None:
    doc = copy.deepcopy(good_document())
    doc["clients"][1]["positions"][0]["quantity"] = f"{quantity:f}"
    doc["prices"]["BTC"] = f"{price:f}"
    snap = parse(doc)
    assert snap.client("beta").positions[0].quantity == quantity
    assert snap.prices["BTC"] == price
    assert parse(snapshot_to_document(snap)) == snap
