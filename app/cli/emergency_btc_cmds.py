"""The Bitcoin parts of ``emergency create|sign|import|psbt|execute``."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.cli.errors import CliError, read_input
from app.documents.canonical import MAX_ORDER_BYTES
from app.files import write_private as _write  # atomic and 0600

PSBT_PREFIXES = (b"psbt\xff", b"cHNidP8")  # raw magic, or its base64


def add_create_options(create: argparse.ArgumentParser) -> None:
    create.add_argument(
        "--to", metavar="ADDRESS", help="also build the BTC vault's release PSBT to this address"
    )
    create.add_argument("--fee-rate", metavar="SAT_VB", help="release fee rate (default 2 sat/vB)")


def release_request(args: argparse.Namespace) -> Any:
    from app.services.emergency_btc import DEFAULT_FEE_RATE, ReleaseRequest

    if not args.to:
        if args.fee_rate:
            raise CliError("--fee-rate needs --to")
        return None
    try:
        rate = Decimal(args.fee_rate) if args.fee_rate else DEFAULT_FEE_RATE
    except InvalidOperation as exc:
        raise CliError("--fee-rate must be a number of sat/vB") from exc
    return ReleaseRequest(args.to, rate)


def add_sign_options(sign: argparse.ArgumentParser) -> None:
    sign.add_argument(
        "--psbt",
        type=Path,
        metavar="FILE",
        help="the release PSBT of an order FILE from another desk (sign it too)",
    )


def psbt_path_beside(out: Path) -> Path:
    return out.with_suffix(".psbt")


def sign_release(args: argparse.Namespace, order_body: dict[str, Any], local: bool) -> Path | None:
    """Sign the order's release PSBT on the same device; write it beside ``--out``."""
    from app.cli.desk_cmds import CliInteraction, run_async
    from app.cli.store_cmds import default_actor, opened_store
    from app.documents.keys import Party
    from app.services.emergency_btc import import_psbt, order_psbt, sign_psbt_on_device

    if "btc_release" not in order_body:
        return None
    if local:
        with opened_store(args) as store:
            psbt = order_psbt(store, str(order_body["id"]))
    elif args.psbt is not None:
        psbt = _read_text(args.psbt)
    else:
        return None
    signed = run_async(sign_psbt_on_device(psbt, args.device, interaction=CliInteraction()))
    if local:
        with opened_store(args) as store:
            import_psbt(
                store, str(order_body["id"]), signed, actor=default_actor(),
                expect_party=Party(args.party),
            )
    out = psbt_path_beside(args.out)
    _write(out, signed.encode("ascii") + b"\n")
    return out


def is_psbt(data: bytes) -> bool:
    return data.lstrip().startswith(PSBT_PREFIXES)


def import_release(args: argparse.Namespace, data: bytes) -> int:
    from app.cli.store_cmds import default_actor, opened_store
    from app.services.emergency_btc import import_psbt, order_for_psbt

    with opened_store(args) as store:
        order_id = order_for_psbt(store, data)
        result = import_psbt(store, order_id, data, actor=default_actor())
    print(
        f"{order_id}: PSBT new {','.join(result.new_parties) or 'none'}; "
        f"signed on every input by {','.join(result.parties_signed) or 'none'}"
    )
    return 0


def register_psbt(esub: Any, guarded: Any) -> None:
    export = esub.add_parser("psbt", help="write the order's combined release PSBT (base64)")
    export.add_argument("id")
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(handler=guarded(cmd_psbt))


def cmd_psbt(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import opened_store
    from app.services.emergency_btc import order_psbt

    with opened_store(args) as store:
        psbt = order_psbt(store, args.id)
    _write(args.out, psbt.encode("ascii") + b"\n")
    print(f"wrote {args.out}")
    return 0


def require_release(args: argparse.Namespace) -> None:
    from app.cli.store_cmds import opened_store
    from app.services.emergency_btc import order_psbt

    with opened_store(args) as store:
        order_psbt(store, args.id)


def release_tx(args: argparse.Namespace) -> str | None:
    from app.cli.store_cmds import opened_store
    from app.services.emergency_btc import release_transaction

    with opened_store(args) as store:
        return release_transaction(store, args.id)


def _read_text(path: Path) -> str:
    data = read_input(path, MAX_ORDER_BYTES, "PSBT file")
    try:
        return data.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc


