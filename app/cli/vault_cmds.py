"""``vault``: the on-chain emergency vaults.

Bitcoin: ``vault descriptor|utxos|balance``. Tokenized assets: ``vault safe set|show``
records a client's Safe (2-of-3) and the token contracts of its assets; ``vault chain
--rpc-url URL`` names the JSON-RPC node the desk reads Safes, tokens and nonces from
(read-only: the desk never broadcasts).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.errors import CliError, read_input


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
    safe = vsub.add_parser("safe", help="a client's Safe (tokenized assets, 2-of-3)")
    ssub = safe.add_subparsers(dest="safe_command", metavar="ACTION", required=True)
    sset = ssub.add_parser(
        "set",
        help="record a client's Safe and its tokens (checked on chain when a node is set)",
    )
    sset.add_argument("--client", required=True, metavar="ID")
    sset.add_argument("--chain-id", required=True, type=int, metavar="N")
    sset.add_argument("--safe", required=True, metavar="0x…")
    sset.add_argument(
        "--token", action="append", required=True, metavar="ASSET=0x…", help="repeatable"
    )
    sset.add_argument(
        "--release", required=True, metavar="0x…", help="where an unfreeze sends the tokens"
    )
    sset.add_argument(
        "--decimals",
        action="append",
        default=[],
        metavar="ASSET=N",
        help="the token contract's decimals() (only without a chain node: read otherwise)",
    )
    sset.add_argument("--nonce", type=int, default=None, help="the Safe's next nonce")
    sset.set_defaults(handler=guarded(cmd_safe_set))
    show = ssub.add_parser("show", help="a client's Safe record")
    show.add_argument("--client", required=True, metavar="ID")
    show.set_defaults(handler=guarded(cmd_safe_show))
    chain = vsub.add_parser("chain", help="the JSON-RPC node the desk reads (setting)")
    chain.add_argument("--rpc-url", required=True, metavar="URL", help='"" clears it')
    chain.set_defaults(handler=guarded(cmd_chain))


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
    from app.documents.canonical import MAX_DOCUMENT_BYTES
    from app.services.vault import import_utxos

    data = read_input(args.file, MAX_DOCUMENT_BYTES, "UTXO file")
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


def _pairs(items: list[str], what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        asset, sep, value = item.partition("=")
        if not sep or not asset or not value:
            raise CliError(f"{what} {item!r} is not ASSET=VALUE")
        if asset in pairs:
            raise CliError(f"{what} names {asset} twice")
        pairs[asset] = value
    return pairs


def cmd_safe_set(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import default_actor, opened_store
    from app.services.vault_safes import set_safe

    tokens = _pairs(args.token, "--token")
    try:
        decimals = {a: int(v) for a, v in _pairs(args.decimals, "--decimals").items()}
    except ValueError as exc:
        raise CliError("--decimals ASSET=N takes a whole number") from exc
    with opened_store(args) as store:
        record = set_safe(
            store,
            args.client,
            chain_id=args.chain_id,
            safe=args.safe,
            tokens=tokens,
            release=args.release,
            decimals=decimals,
            nonce=args.nonce,
            actor=default_actor(),
        )
    checked = "checked on chain" if record.checked_on_chain else "NOT checked on chain"
    print(
        f"{record.client_id}: Safe {record.safe_address} on chain {record.chain_id}, "
        f"next nonce {record.next_nonce}, {checked}"
    )
    for token in record.tokens:
        print(f"  {token.asset} {token.token_address} ({token.decimals} decimals)")
    return 0


def cmd_safe_show(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import opened_store
    from app.services.vault_safes import safe_of

    with opened_store(args) as store:
        record = safe_of(store, args.client)
    if record is None:
        raise CliError(f"client {args.client} has no Safe", 2)
    print(
        json.dumps(
            {
                "client_id": record.client_id,
                "chain_id": record.chain_id,
                "safe": record.safe_address,
                "release": record.release_address,
                "next_nonce": record.next_nonce,
                "checked_on_chain": record.checked_on_chain,
                "tokens": {
                    t.asset: {"address": t.token_address, "decimals": t.decimals}
                    for t in record.tokens
                },
            },
            indent=2,
            sort_keys=True,
        )
    )
    return 0


def cmd_chain(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import default_actor, opened_store
    from app.services.vault_safes import set_rpc_url

    with opened_store(args) as store:
        set_rpc_url(store, args.rpc_url, actor=default_actor())
    print(f"chain.rpc_url = {args.rpc_url or '(unset)'}")
    return 0
