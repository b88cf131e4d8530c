"""Regulator commands: ``regulator export --out DIR`` (docs/documents.md, "Regulator export").

Exit codes: 0 written; 2 refused (the folder exists and is not empty); 3 the
store failed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.errors import CliError
from app.cli.store_cmds import default_actor, opened_store


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's subcommands to the parser."""
    regulator = sub.add_parser("regulator", help="what the regulator receives from the desk")
    rsub = regulator.add_subparsers(dest="regulator_command", metavar="ACTION", required=True)
    export = rsub.add_parser(
        "export",
        help="write attestations (maker and checker), reconciliation breaks, emergency "
        "orders with their shares and the signed audit checkpoints as CSV/JSON into DIR",
    )
    export.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="a new or empty folder (created 0700; files 0600)")
    export.set_defaults(handler=cmd_regulator_export)


def cmd_regulator_export(args: argparse.Namespace) -> int:
    from app.services.regulator_export import RegulatorExportError, export_regulator

    with opened_store(args) as store:
        try:
            done = export_regulator(store, args.out, actor=default_actor())
        except RegulatorExportError as exc:
            raise CliError(str(exc)) from exc
    for name in sorted(done.files):
        print(f"wrote {args.out / name}")
    print(f"wrote {args.out / 'manifest.json'}")
    counts = done.counts
    print(f"{counts['attestations']} attestation(s), {counts['reconciliation_rows']} "
          f"reconciliation row(s), {counts['emergency_order_rows']} emergency order row(s), "
          f"{counts['checkpoints_in_json']} of {counts['signed_checkpoints']} signed "
          f"checkpoint(s) in checkpoints.json; audit head size {done.head['size']}, root "
          f"{done.head['root']}")
    print(f"verify later: custody-desk audit verify --against {args.out}")
    return 0
