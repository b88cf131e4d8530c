"""``vault``: the on-chain emergency vaults (Bitcoin: descriptor, UTXOs, balances)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.errors import CliError


def register(sub: argparse._SubParsersAction[Any]) -> None:
    from app.cli.desk_cmds import guarded

    vault = sub.add_parser("vault", help="on-chain emergency vaults (2-of-3 multisig)")
    vsub = vault.add_subparsers(dest="vault_command", metavar="ACTION", required=True)
    desc = vsub.add_parser(
        "descriptor", help="a client's wsh(sortedmulti(2,...)) descriptor and receive addresses"
    )
    desc.add_argument("--client", required=True)
    desc.add_argument("--count", type=int, default=5, help="receive addresses to show")
    desc.add_argument("--check", metavar="DESCRIPTOR", help="refuse unless it is this vault")
    desc.add_argument("--json", action="store_true")
    desc.set_defaults(handler=guarded(cmd_descriptor))
    utxos = vsub.add_parser("utxos", help="the vault's coins")
    usub = utxos.add_subparsers(dest="utxos_command", metavar="ACTION", required=True)
    imp = usub.add_parser("import", help='import {"utxos": [...]} (every entry checked first)')
    imp.add_argument("file", type=Path)
    imp.add_argument("--client", help="only this client's vault (default: match every client)")
    imp.set_defaults(handler=guarded(cmd_utxos_import))
    bal = vsub.add_parser("balance", help="unspent vault BTC per client")
    bal.add_argument("--json", action="store_true")
    bal.set_defaults(handler=guarded(cmd_balance))


def cmd_descriptor(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import opened_store
    from app.services.vault import check_descriptor, describe

    if not 1 <= args.count <= 1000:
        raise CliError("--count must be 1..1000")
    with opened_store(args) as store:
        if args.check:
            check_descriptor(store, args.client, args.check)
        info = describe(store, args.client, args.count)
    if args.json:
        print(json.dumps(info.to_json(), indent=2, sort_keys=True))
    else:
        print(info.descriptor)
        for i, address in enumerate(info.addresses):
            print(f"{i}: {address}")
    return 0


def cmd_utxos_import(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import default_actor, opened_store
    from app.services.vault import import_utxos

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from exc
    with opened_store(args) as store:
        result = import_utxos(store, data, actor=default_actor(), client_id=args.client)
    total = sum(u.amount_sat for u in result.added)
    print(f"imported {len(result.added)} UTXOs ({total} sat); {result.already_known} already known")
    return 0


def cmd_balance(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import opened_store
    from app.services.vault import vault_balances

    with opened_store(args) as store:
        balances = vault_balances(store)
    if args.json:
        print(json.dumps({c: str(b) for c, b in sorted(balances.items())}, indent=2))
    else:
        for client, btc in sorted(balances.items()):
            print(f"{client}: {btc} BTC")
    return 0
