"""``emergency create|sign|import|status|execute|list`` and the standalone ``verify``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.cli import emergency_btc_cmds as btc_cmds
from app.cli.errors import CliError, read_input
from app.documents.canonical import MAX_DOCUMENT_BYTES, MAX_KEYS_BYTES, MAX_ORDER_BYTES
from app.files import write_private as _write  # atomic and 0600

Handler = Callable[[argparse.Namespace], int]
PARTIES = ("regulator", "custodian", "exchange")


def register(sub: argparse._SubParsersAction[Any], guarded: Callable[[Handler], Handler]) -> None:
    em = sub.add_parser("emergency", help="2-of-3 emergency unfreeze orders")
    esub = em.add_subparsers(dest="emergency_command", metavar="ACTION", required=True)
    create = esub.add_parser("create", help="create an unfreeze order (prints its id)")
    create.add_argument("--client", required=True)
    create.add_argument(
        "--reason",
        required=True,
        help="why (shown on every party's device as why=\"...\"): printable ASCII, at most "
        "100 characters and what the order's 240-character statement leaves",
    )
    btc_cmds.add_create_options(create)
    create.add_argument(
        "--asset",
        action="append",
        default=None,
        metavar="CODE",
        help="order only these assets (repeatable; default all). A tokenized asset held "
        "in the client's Safe gets its SafeTx beside the order: one such asset per order",
    )
    create.set_defaults(handler=guarded(cmd_create))
    ssign = esub.add_parser(
        "safe-sign", help="sign a Safe order's SafeTx on the party's own Trezor (EIP-712)"
    )
    ssign.add_argument("id")
    ssign.add_argument("--party", required=True, choices=PARTIES)
    ssign.add_argument("--device", required=True, metavar="URI")
    ssign.add_argument("--eth-path", default=None, help="default: the path it was registered at")
    ssign.set_defaults(handler=guarded(cmd_safe_sign))
    simp = esub.add_parser(
        "safe-import", help="import a party's 65-byte r||s||v signature of the SafeTx hash"
    )
    simp.add_argument("id")
    simp.add_argument("--party", required=True, choices=PARTIES)
    simp.add_argument("--signature", required=True, metavar="0x…")
    simp.set_defaults(handler=guarded(cmd_safe_import))
    sign = esub.add_parser("sign", help="sign a party's share on its own device")
    sign.add_argument("id", help="an order id on this desk, or an exported order FILE")
    sign.add_argument("--party", required=True, choices=PARTIES)
    sign.add_argument("--device", required=True, metavar="URI")
    sign.add_argument("--path", required=True)
    sign.add_argument("--out", required=True, type=Path)
    sign.add_argument("--keys", type=Path, help="keys file to check the device key against")
    _replace_options(sign)
    btc_cmds.add_sign_options(sign)
    sign.set_defaults(handler=guarded(cmd_sign))
    imp = esub.add_parser("import", help="import a signed copy (every signature verified)")
    imp.add_argument("file", type=Path)
    _replace_options(imp)
    imp.set_defaults(handler=guarded(cmd_import))
    status = esub.add_parser("status", help="parties signed, quorum, executable, expiry")
    status.add_argument("id")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=guarded(cmd_status))
    exp = esub.add_parser("export", help="write the order with the signatures collected")
    exp.add_argument("id")
    exp.add_argument("--out", required=True, type=Path)
    exp.set_defaults(handler=guarded(cmd_export))
    ex = esub.add_parser("execute", help="produce the signed release instruction, once")
    ex.add_argument("id")
    ex.add_argument("--out", type=Path, help="also write the release instruction here")
    ex.add_argument(
        "--tx-out", type=Path, help="write the fully signed release transaction (hex) here"
    )
    ex.add_argument(
        "--safe-tx-out",
        type=Path,
        metavar="FILE",
        help="a Safe order: write the execTransaction call (JSON, ABI calldata) here",
    )
    ex.set_defaults(handler=guarded(cmd_execute))
    btc_cmds.register_psbt(esub, guarded)

    verify = sub.add_parser("verify", help="verify any signed document offline against a keys file")
    verify.add_argument("file", type=Path)
    verify.add_argument("--keys", required=True, type=Path)
    verify.add_argument(
        "--env",
        choices=("prod", "test"),
        default=None,
        help="environment to verify for (default: the keys file's)",
    )
    verify.add_argument("--exchange", default=None, help="require this exchange id")
    verify.add_argument("--at", default=None, help="verify as of YYYY-MM-DDTHH:MM:SSZ")
    verify.set_defaults(handler=guarded(cmd_verify))


def _replace_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace a share the party already gave on this order (audited; needs --reason)",
    )
    parser.add_argument("--reason", default="", help="why the share is replaced")


def _replace_args(args: argparse.Namespace) -> tuple[bool, str]:
    if args.reason and not args.replace:
        raise CliError("--reason goes with --replace")
    if args.replace and not args.reason.strip():
        raise CliError("--replace needs --reason TEXT (it is written to the audit trail)")
    return bool(args.replace), str(args.reason)




def cmd_create(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.cli.store_cmds import opened_store
    from app.services.safe_orders import create_safe_order

    with opened_store(args) as store:
        officer = acting_officer(args, store)  # creating an order is an officer's act
        doc = create_safe_order(
            store,
            args.client,
            args.reason,
            actor=f"officer:{officer}",
            assets=args.asset,
            btc_release=btc_cmds.release_request(args),
        )
    print(doc.body["id"])
    section = doc.body.get("safe")
    if section:
        print(f"SafeTx {section['safe_tx_hash']} (nonce {section['safe_tx']['nonce']})")
    return 0


def cmd_safe_sign(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction, run_async
    from app.cli.store_cmds import default_actor, opened_store
    from app.documents.keys import Party
    from app.services.safe_orders import safe_order, sign_safe_tx

    with opened_store(args) as store:
        order = safe_order(store, args.id)
        print(order.prompt())
        record = run_async(
            sign_safe_tx(
                store,
                args.id,
                Party(args.party),
                args.device,
                CliInteraction(),
                actor=default_actor(),
                path=args.eth_path,
            )
        )
    how = "shown in full" if record.shown_in_full else "by its two hashes"
    print(f"{args.id}: {args.party} ({record.owner}) signed the SafeTx ({how})")
    return 0


def cmd_safe_import(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import default_actor, opened_store
    from app.documents.keys import Party
    from app.services.safe_orders import import_safe_signature

    with opened_store(args) as store:
        record = import_safe_signature(
            store, args.id, Party(args.party), args.signature, actor=default_actor()
        )
    print(f"{args.id}: {args.party} ({record.owner}) signature of the SafeTx imported")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction, run_async
    from app.cli.signin_cmds import acting_officer
    from app.cli.store_cmds import default_actor, opened_store
    from app.documents.envelope import parse_document
    from app.documents.keys import Party, parse_keys
    from app.services.emergency import (
        ShareAlreadySigned,
        export_order,
        import_signed_kept,
        share_of,
        sign_share,
    )
    from app.services.officers import keys_file

    replace, reason = _replace_args(args)
    source = Path(args.id)
    local = not source.is_file()
    actor = default_actor()
    if local:  # signing this desk's own order and storing the share: an officer's act
        with opened_store(args) as store:
            actor = f"officer:{acting_officer(args, store)}"
    keys = parse_keys(read_input(args.keys, MAX_KEYS_BYTES, "keys file")) if args.keys else None
    order_bytes = None if local else read_input(source, MAX_ORDER_BYTES, "signed order copy")
    if order_bytes is None:
        with opened_store(args) as store:
            order = export_order(store, args.id)
            keys = keys or keys_file(store)
            held = share_of(store, args.id, Party(args.party))
        if held is not None and not replace:  # refuse before the device is even asked
            raise ShareAlreadySigned(args.id, args.party, held)
    else:
        order = parse_document(order_bytes)
    signed = run_async(
        sign_share(
            order,
            Party(args.party),
            args.device,
            args.path,
            interaction=CliInteraction(),
            keys=keys,
            replace=replace,
        )
    )
    _write(args.out, signed.to_bytes())
    if local:  # our own share goes straight into the store too
        with opened_store(args) as store:
            run_async(import_signed_kept(store, signed.to_bytes(), actor=actor, replace=replace,
                                         reason=reason))
    psbt_out = btc_cmds.sign_release(args, order.body, local)
    print(f"wrote {args.out}" + (f" and {psbt_out}" if psbt_out else ""))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import run_async
    from app.cli.store_cmds import default_actor, opened_store
    from app.services.emergency import import_signed_kept

    replace, reason = _replace_args(args)
    data = read_input(args.file, MAX_ORDER_BYTES, "signed order copy or PSBT")
    if btc_cmds.is_psbt(data):
        return btc_cmds.import_release(args, data)
    with opened_store(args) as store:
        result = run_async(import_signed_kept(store, data, actor=default_actor(), replace=replace,
                                              reason=reason))
    print(
        f"{result.order_id}: new {','.join(result.new_parties) or 'none'}; "
        f"signed by {','.join(result.status.parties_signed) or 'none'}; "
        f"quorum {'reached' if result.status.quorum_reached else 'not reached'}"
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import opened_store
    from app.services.emergency import quorum_status
    from app.services.safe_orders import has_safe_tx, safe_signatures

    with opened_store(args) as store:
        status = quorum_status(store, args.id)
        safe = safe_signatures(store, args.id) if has_safe_tx(store, args.id) else None
    data = status.to_json()
    if safe is not None:
        data["safe"] = safe.to_json()
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    for key in sorted(data):
        if key != "safe":
            print(f"{key}: {data[key]}")
    if safe is not None:
        print(f"safe_tx_hash: {safe.safe_tx_hash}")
        for sig in safe.signatures:
            verdict = "valid" if sig.valid else f"invalid ({sig.problem})"
            print(f"safe_signature: {sig.owner} {sig.party} {verdict}")
        print(
            f"safe_signatures: {len(safe.valid)} valid of {safe.threshold} needed, "
            f"{safe.needed} more needed"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import opened_store
    from app.services.emergency import export_order

    with opened_store(args) as store:
        doc = export_order(store, args.id)
    _write(args.out, doc.to_bytes())
    print(f"wrote {args.out}")
    return 0


def cmd_execute(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.cli.store_cmds import opened_store
    from app.services.emergency import execute
    from app.services.safe_orders import execute_safe_order, has_safe_tx

    if args.tx_out:
        btc_cmds.require_release(args)  # refuse before anything is executed
    with opened_store(args) as store:
        actor = f"officer:{acting_officer(args, store)}"  # executing is an officer's act
        on_chain = has_safe_tx(store, args.id)
        if on_chain and args.safe_tx_out is None:
            raise CliError(
                f"order {args.id} moves tokens through a Safe: give --safe-tx-out FILE", 2
            )
        if not on_chain and args.safe_tx_out is not None:
            raise CliError(f"order {args.id} has no Safe transaction", 2)
        if on_chain:
            release, call = execute_safe_order(
                store, args.id, args.safe_tx_out, actor=actor
            )
            print(
                f"wrote {args.safe_tx_out}: execTransaction on {call['safe']} "
                f"(nonce {call['nonce']}, signed by {', '.join(call['signers'])})"
            )
        else:
            release = execute(store, args.id, actor=actor)
    data = release.to_bytes()
    raw_tx = btc_cmds.release_tx(args)
    if args.tx_out and raw_tx is not None:
        _write(args.tx_out, raw_tx.encode("ascii") + b"\n")
        print(f"wrote {args.tx_out} (txid {release.body['order']['btc_release']['txid']})")
    if args.out:
        _write(args.out, data)
        print(f"released {args.id}: wrote {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app.documents.canonical import parse_utc
    from app.documents.envelope import parse_document
    from app.documents.errors import DocumentError
    from app.documents.keys import parse_keys
    from app.documents.verify import VerifyContext, verify_document
    from app.files import FileTooLarge, read_bounded

    try:
        keys = parse_keys(read_input(args.keys, MAX_KEYS_BYTES, "keys file"))
    except DocumentError as exc:
        raise CliError(f"keys file {args.keys}: {exc}") from exc
    now = parse_utc(args.at, "--at") if args.at else datetime.now(UTC)
    try:
        doc = parse_document(read_bounded(args.file, MAX_DOCUMENT_BYTES, "document"))
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    except (DocumentError, FileTooLarge) as exc:
        message = exc.message if isinstance(exc, DocumentError) else str(exc)
        reason = exc.reason.value if isinstance(exc, DocumentError) else "malformed"
        print(f"FAIL format: {message} [{reason}]")
        print("INVALID")
        return 1
    ctx = VerifyContext(keys=keys, env=args.env or keys.env, now=now, exchange_id=args.exchange)
    report = verify_document(doc, ctx)
    for line in report.lines():
        print(line)
    print("VALID" if report.ok else "INVALID")
    return 0 if report.ok else 1
