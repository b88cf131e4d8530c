"""Pure snapshot commands (no store): ``value`` and ``stress``.

``custody-desk value SNAPSHOT.json [--json]`` values every client;
``custody-desk stress SNAPSHOT.json --shock BTC=-25% [--shock USDC=0.97] [--json]``
re-values them at shocked prices and reports who crosses which line. Numbers in
JSON are decimal strings; a ratio or distance that does not exist (no exposure)
is ``null``. Bad input exits 2 with one line naming the field.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any, TextIO

from app.cli.errors import CliError
from app.domain.assets import AssetCatalogue, ConfigError
from app.domain.money import format_decimal, format_usd, quantize
from app.domain.snapshot import Snapshot, SnapshotError, format_utc, load_snapshot
from app.domain.stress import ShockError, StressLine, StressReport, parse_shock, run_stress
from app.domain.valuation import (
    ClientValuation,
    CollateralState,
    MissingPrice,
    totals,
    value_snapshot,
)
from app.resources_path import ResourceNotFound


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``value`` and ``stress``."""
    value = sub.add_parser(
        "value",
        help="value every client of a snapshot file (no store)",
        description="Value every client of SNAPSHOT.json: market value, collateral value, "
        "credit line, collateral ratio, state, eligibility and distance to each line.",
    )
    value.add_argument("snapshot", type=Path, metavar="SNAPSHOT.json")
    value.add_argument("--json", action="store_true", help="machine-readable output")
    value.add_argument("--assets", type=Path, metavar="ASSETS.toml", help=_ASSETS_HELP)
    value.set_defaults(handler=cmd_value)

    stress = sub.add_parser(
        "stress",
        help="apply price shocks to a snapshot and report who crosses which line",
        description="Re-value every client of SNAPSHOT.json after price shocks. "
        "A shock is ASSET=-25%% (relative move) or ASSET=0.97 (new price).",
    )
    stress.add_argument("snapshot", type=Path, metavar="SNAPSHOT.json")
    stress.add_argument(
        "--shock",
        action="append",
        required=True,
        metavar="ASSET=MOVE",
        help="e.g. BTC=-25%% or USDC=0.97; repeat for several",
    )
    stress.add_argument("--json", action="store_true", help="machine-readable output")
    stress.add_argument("--assets", type=Path, metavar="ASSETS.toml", help=_ASSETS_HELP)
    stress.set_defaults(handler=cmd_stress)


_ASSETS_HELP = "asset catalogue and risk policy (default: the shipped resources/assets.toml)"


# ---------------------------------------------------------------- value


def cmd_value(args: argparse.Namespace) -> int:
    """``custody-desk value``."""
    catalogue = _catalogue(args.assets)
    snapshot = _snapshot(args.snapshot, catalogue)
    try:
        valuations = value_snapshot(snapshot, catalogue)
    except MissingPrice as exc:
        raise CliError(f"{args.snapshot}: prices.{exc.asset}: missing") from None
    if args.json:
        write_valuation_json(format_utc(snapshot.as_of), catalogue, valuations, sys.stdout)
    else:
        print(f"Valuation as of {format_utc(snapshot.as_of)} ({len(valuations)} clients)")
        print(render_valuation_table(valuations))
    return 0


def valuation_json(v: ClientValuation) -> dict[str, Any]:
    """One client's valuation as JSON (decimal strings)."""
    return {
        "id": v.client_id,
        "name": v.name,
        "market_value_usd": _dec(v.market_value_usd),
        "locked_value_usd": _dec(v.locked_value_usd),
        "collateral_value_usd": _dec(v.collateral_value_usd),
        "credit_line_usd": _dec(v.credit_line_usd),
        "exposure_usd": _dec(v.exposure_usd),
        "available_credit_usd": _dec(v.available_credit_usd),
        "collateral_ratio": _dec(v.collateral_ratio),
        "state": v.state.value,
        "eligible": v.eligible,
        "ineligible_reasons": list(v.ineligible_reasons),
        "margin_call_ratio": _dec(v.margin_call_ratio),
        "liquidation_ratio": _dec(v.liquidation_ratio),
        "headroom_to_margin_call_usd": _dec(v.headroom_to_margin_call_usd),
        "headroom_to_liquidation_usd": _dec(v.headroom_to_liquidation_usd),
        "price_drop_to_margin_call": _dec(v.price_drop_to_margin_call),
        "price_drop_to_liquidation": _dec(v.price_drop_to_liquidation),
        "shortfall_usd": _dec(v.shortfall_usd),
        "positions": [
            {
                "asset": p.asset,
                "quantity": _dec(p.quantity),
                "locked_quantity": _dec(p.locked_quantity),
                "price": _dec(p.price),
                "market_value_usd": _dec(p.market_value_usd),
                "collateral_factor": _dec(p.collateral_factor),
                "collateral_value_usd": _dec(p.collateral_value_usd),
            }
            for p in v.positions
        ],
    }


def write_valuation_json(
    as_of: str, catalogue: AssetCatalogue, valuations: tuple[ClientValuation, ...], out: TextIO
) -> None:
    """``value --json``: exactly ``print(json.dumps(document, indent=2, ensure_ascii=False))``
    of ``{"as_of", "policy", "clients": [valuation_json(v)...], "totals"}``, written
    client by client as text (tests/unit/test_cli_value.py holds the two equal).

    ``json.dumps`` with ``indent=`` runs the pure-Python encoder: on 100,000 clients
    it was half the command's time, and it held the whole text in memory.
    """
    head = json.dumps(
        {"as_of": as_of, "policy": _policy_json(catalogue)}, indent=2, ensure_ascii=False
    )
    out.write(head[:-2] + ',\n  "clients": ')  # drop the closing "\n}"
    if not valuations:
        out.write("[]")
    else:
        chunk: list[str] = ["["]
        for n, v in enumerate(valuations):
            chunk.append(("\n" if n == 0 else ",\n") + _valuation_block(v))
            if len(chunk) >= 1000:
                out.write("".join(chunk))
                chunk.clear()
        chunk.append("\n  ]")
        out.write("".join(chunk))
    tail = json.dumps({"totals": _totals_json(valuations)}, indent=2, ensure_ascii=False)
    out.write(",\n" + tail[2:] + "\n")  # drop the opening "{\n"


def _valuation_block(v: ClientValuation) -> str:
    """One client of :func:`write_valuation_json`, at the indentation of the array."""
    if v.ineligible_reasons:
        reasons = "[\n" + ",\n".join(
            "        " + _quote(r) for r in v.ineligible_reasons
        ) + "\n      ]"
    else:
        reasons = "[]"
    if v.positions:
        positions = "[\n" + ",\n".join(
            "        {\n"
            f'          "asset": {_quote(p.asset)},\n'
            f'          "quantity": "{format_decimal(p.quantity)}",\n'
            f'          "locked_quantity": "{format_decimal(p.locked_quantity)}",\n'
            f'          "price": "{format_decimal(p.price)}",\n'
            f'          "market_value_usd": "{format_decimal(p.market_value_usd)}",\n'
            f'          "collateral_factor": "{format_decimal(p.collateral_factor)}",\n'
            f'          "collateral_value_usd": "{format_decimal(p.collateral_value_usd)}"\n'
            "        }"
            for p in v.positions
        ) + "\n      ]"
    else:
        positions = "[]"
    return (
        "    {\n"
        f'      "id": {_quote(v.client_id)},\n'
        f'      "name": {_quote(v.name)},\n'
        f'      "market_value_usd": "{format_decimal(v.market_value_usd)}",\n'
        f'      "locked_value_usd": "{format_decimal(v.locked_value_usd)}",\n'
        f'      "collateral_value_usd": "{format_decimal(v.collateral_value_usd)}",\n'
        f'      "credit_line_usd": "{format_decimal(v.credit_line_usd)}",\n'
        f'      "exposure_usd": "{format_decimal(v.exposure_usd)}",\n'
        f'      "available_credit_usd": "{format_decimal(v.available_credit_usd)}",\n'
        f'      "collateral_ratio": {_json_dec(v.collateral_ratio)},\n'
        f'      "state": {_quote(v.state.value)},\n'
        f'      "eligible": {"true" if v.eligible else "false"},\n'
        f'      "ineligible_reasons": {reasons},\n'
        f'      "margin_call_ratio": "{format_decimal(v.margin_call_ratio)}",\n'
        f'      "liquidation_ratio": "{format_decimal(v.liquidation_ratio)}",\n'
        f'      "headroom_to_margin_call_usd": "{format_decimal(v.headroom_to_margin_call_usd)}",\n'
        f'      "headroom_to_liquidation_usd": "{format_decimal(v.headroom_to_liquidation_usd)}",\n'
        f'      "price_drop_to_margin_call": {_json_dec(v.price_drop_to_margin_call)},\n'
        f'      "price_drop_to_liquidation": {_json_dec(v.price_drop_to_liquidation)},\n'
        f'      "shortfall_usd": "{format_decimal(v.shortfall_usd)}",\n'
        f'      "positions": {positions}\n'
        "    }"
    )


_quote = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) does to a str


def _json_dec(value: Decimal | None) -> str:
    return "null" if value is None else f'"{format_decimal(value)}"'


def render_valuation_table(valuations: tuple[ClientValuation, ...]) -> str:
    """A fixed-width table for a terminal."""
    header = (
        f"{'client':<20} {'state':<12} {'elig':<4} {'market value':>16} "
        f"{'collateral':>16} {'credit line':>16} {'exposure':>16} {'ratio':>8} "
        f"{'to MC':>7} {'to liq':>7} {'shortfall':>14}"
    )
    rows = [header, "-" * len(header)]
    for v in valuations:
        rows.append(
            f"{v.client_id[:20]:<20} {v.state.label:<12} {'yes' if v.eligible else 'NO':<4} "
            f"{format_usd(v.market_value_usd):>16} {format_usd(v.collateral_value_usd):>16} "
            f"{format_usd(v.credit_line_usd):>16} {format_usd(v.exposure_usd):>16} "
            f"{_ratio(v.collateral_ratio):>8} {_pct(v.price_drop_to_margin_call):>7} "
            f"{_pct(v.price_drop_to_liquidation):>7} {format_usd(v.shortfall_usd):>14}"
        )
    for v in valuations:
        for reason in v.ineligible_reasons:
            rows.append(f"  {v.client_id}: not eligible: {reason}")
    rows.append(
        "to MC / to liq: uniform price fall that reaches the margin-call / liquidation line"
    )
    return "\n".join(rows)


# ---------------------------------------------------------------- stress


def cmd_stress(args: argparse.Namespace) -> int:
    """``custody-desk stress``."""
    catalogue = _catalogue(args.assets)
    try:
        shocks = [parse_shock(text, catalogue) for text in args.shock]
    except ShockError as exc:
        raise CliError(f"--shock: {exc}") from None
    snapshot = _snapshot(args.snapshot, catalogue)
    try:
        report = run_stress(snapshot, shocks, catalogue)
    except ShockError as exc:
        raise CliError(f"--shock: {exc}") from None
    except MissingPrice as exc:
        raise CliError(f"{args.snapshot}: prices.{exc.asset}: missing") from None
    if args.json:
        _print_json(stress_json(snapshot, report))
    else:
        print(render_stress(snapshot, report))
    return 0


def stress_json(snapshot: Snapshot, report: StressReport) -> dict[str, Any]:
    """A stress report as JSON (decimal strings)."""
    return {
        "as_of": format_utc(snapshot.as_of),
        "shocks": [
            {
                "asset": s.asset,
                "kind": s.kind.value,
                "value": _dec(s.value),
                "description": s.describe(),
            }
            for s in report.shocks
        ],
        "prices_before": {k: _dec(v) for k, v in report.prices_before.items()},
        "prices_after": {k: _dec(v) for k, v in report.prices_after.items()},
        "clients": [_stress_line_json(line) for line in report.lines],
        "summary": {
            "clients": len(report.lines),
            "crossing": len(report.crossing),
            "margin_call": report.count(CollateralState.MARGIN_CALL),
            "liquidation": report.count(CollateralState.LIQUIDATION),
            "total_shortfall_usd": _dec(report.total_shortfall_usd),
        },
    }


def _stress_line_json(line: StressLine) -> dict[str, Any]:
    b, a = line.before, line.after
    return {
        "id": a.client_id,
        "name": a.name,
        "state_before": b.state.value,
        "state": a.state.value,
        "crossed": [state.value for state in line.crossed],
        "collateral_value_before_usd": _dec(b.collateral_value_usd),
        "collateral_value_usd": _dec(a.collateral_value_usd),
        "credit_line_usd": _dec(a.credit_line_usd),
        "exposure_usd": _dec(a.exposure_usd),
        "collateral_ratio_before": _dec(b.collateral_ratio),
        "collateral_ratio": _dec(a.collateral_ratio),
        "shortfall_usd": _dec(a.shortfall_usd),
        "eligible": a.eligible,
    }


def render_stress(snapshot: Snapshot, report: StressReport) -> str:
    """A readable stress report."""
    shocks = ", ".join(s.describe() for s in report.shocks)
    rows = [f"Stress as of {format_utc(snapshot.as_of)}: {shocks}"]
    header = (
        f"{'client':<20} {'before':<12} {'after':<12} {'crossed':<24} "
        f"{'collateral after':>18} {'ratio':>8} {'shortfall':>14}"
    )
    rows += [header, "-" * len(header)]
    for line in report.lines:
        crossed = ", ".join(s.label for s in line.crossed) or "-"
        rows.append(
            f"{line.client_id[:20]:<20} {line.before.state.label:<12} "
            f"{line.after.state.label:<12} {crossed:<24} "
            f"{format_usd(line.after.collateral_value_usd):>18} "
            f"{_ratio(line.after.collateral_ratio):>8} {format_usd(line.shortfall_usd):>14}"
        )
    rows.append(
        f"{len(report.crossing)} of {len(report.lines)} clients cross a line; "
        f"total shortfall USD {format_usd(report.total_shortfall_usd)}"
    )
    return "\n".join(rows)


# ---------------------------------------------------------------- helpers


def _catalogue(path: Path | None) -> AssetCatalogue:
    try:
        return AssetCatalogue.load_default() if path is None else AssetCatalogue.load(path)
    except (ConfigError, ResourceNotFound) as exc:
        raise CliError(f"asset catalogue: {exc}") from None
    except OSError as exc:
        raise CliError(f"asset catalogue: cannot read {path}: {exc.strerror or exc}") from None


def _snapshot(path: Path, catalogue: AssetCatalogue) -> Snapshot:
    try:
        return load_snapshot(path, catalogue)
    except SnapshotError as exc:
        raise CliError(f"{path}: {exc}") from None


def _policy_json(catalogue: AssetCatalogue) -> dict[str, Any]:
    policy = catalogue.policy
    return {
        "leverage": _dec(policy.leverage),
        "margin_call_ratio": _dec(policy.margin_call_ratio),
        "liquidation_ratio": _dec(policy.liquidation_ratio),
        "min_net_assets_usd": _dec(policy.min_net_assets_usd),
        "collateral_factors": {a.symbol: _dec(a.collateral_factor) for a in catalogue},
    }


def _totals_json(valuations: tuple[ClientValuation, ...]) -> dict[str, Any]:
    summary = totals(valuations)
    return {
        "clients": summary.clients,
        "market_value_usd": _dec(summary.market_value_usd),
        "collateral_value_usd": _dec(summary.collateral_value_usd),
        "credit_line_usd": _dec(summary.credit_line_usd),
        "exposure_usd": _dec(summary.exposure_usd),
        "shortfall_usd": _dec(summary.shortfall_usd),
        "by_state": {state.value: n for state, n in summary.by_state.items()},
    }


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _ratio(value: Decimal | None) -> str:
    # Rounded DOWN: a ratio just under a line must not display as on it.
    return "-" if value is None else format_decimal(quantize(value, 4, ROUND_DOWN))


def _pct(value: Decimal | None) -> str:
    return "-" if value is None else f"{format_decimal(quantize(value * 100, 1, ROUND_DOWN))}%"


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, indent=2, ensure_ascii=False))
