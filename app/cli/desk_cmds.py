"""Desk commands: ``officers``, ``attest``, ``keys``, ``parties``, ``emergency``, ``verify``.

The headless maker-checker and emergency flows for testers, on the same
services the GUI uses (maker != checker holds here exactly as there). Exit
codes: 0 done, 1 a document did not verify, 2 bad input or refused, 3 the
store failed, 4 the device failed (typed signing error, nothing stored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from app.cli.device_cmds import TerminalInteraction
from app.cli.errors import CliError
from app.cli.store_cmds import default_actor, opened_store
from app.documents.errors import DocumentError
from app.files import write_private as _write  # atomic and 0600
from signing.errors import SigningError

EXIT_INVALID = 1
EXIT_DEVICE = 4
PARTIES = ("regulator", "custodian", "exchange")
T = TypeVar("T")


# The desk commands prompt exactly as ``sign`` does: one terminal interaction.
CliInteraction = TerminalInteraction


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a service coroutine; typed device errors become a one-line exit 4."""
    try:
        return asyncio.run(coro)
    except SigningError as exc:
        raise CliError(f"{exc.code.value}: {exc}", EXIT_DEVICE) from exc


def guarded(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Map the services' typed refusals to one-line exit 2."""

    def wrapper(args: argparse.Namespace) -> int:
        from app.services.attestations import AttestationError
        from app.services.audit_checkpoints import CheckpointError
        from app.services.emergency import EmergencyError
        from app.services.emergency_btc import PsbtRefused
        from app.services.officers import OfficerError
        from app.services.vault import VaultError

        try:
            return fn(args)
        except DocumentError as exc:
            raise CliError(str(exc), 2) from exc
        except (AttestationError, CheckpointError, EmergencyError, OfficerError, PsbtRefused,
                VaultError) as exc:
            raise CliError(str(exc), 2) from exc
        except SigningError as exc:
            raise CliError(f"{exc.code.value}: {exc}", EXIT_DEVICE) from exc

    return wrapper




def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's subcommands to the parser."""
    from app.cli import desk_emergency

    officers = sub.add_parser("officers", help="custody officers and their device keys")
    osub = officers.add_subparsers(dest="officers_command", metavar="ACTION", required=True)
    add = osub.add_parser("add", help="register an officer with the key read from their device")
    add.add_argument("name")
    add.add_argument("--role", required=True)
    add.add_argument("--device", required=True, metavar="URI")
    add.add_argument("--path", required=True, help="derivation path, e.g. m/44'/0'/0'/0/0")
    add.set_defaults(handler=guarded(cmd_officers_add))
    lst = osub.add_parser("list", help="registered officers")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=guarded(cmd_officers_list))
    orev = osub.add_parser("revoke", help="take an officer off the desk (signed-in officer)")
    orev.add_argument("name")
    orev.set_defaults(handler=guarded(cmd_officers_revoke))

    attest = sub.add_parser("attest", help="prepare, sign and export attestations")
    asub = attest.add_subparsers(dest="attest_command", metavar="ACTION", required=True)
    prep = asub.add_parser("prepare", help="prepare an attestation (prints its id)")
    prep.add_argument("--clients", required=True, help="ID[,ID...]")
    prep.add_argument("--officer", help="the maker (default: the signed-in officer)")
    prep.add_argument(
        "--device", required=True, metavar="URI",
        help="the maker's own device: it signs the statement (prepared-by)",
    )
    prep.set_defaults(handler=guarded(cmd_attest_prepare))
    sign = asub.add_parser("sign", help="approve and sign on the checker's own device")
    sign.add_argument("id")
    sign.add_argument(
        "--officer", help="the checker, not the maker (default: the signed-in officer)"
    )
    sign.add_argument("--device", required=True, metavar="URI")
    sign.set_defaults(handler=guarded(cmd_attest_sign))
    exp = asub.add_parser("export", help="write the signed bundle document")
    exp.add_argument("id")
    exp.add_argument("--out", required=True, type=Path)
    exp.set_defaults(handler=guarded(cmd_attest_export))
    alist = asub.add_parser("list", help="attestations and their status")
    alist.add_argument("--json", action="store_true")
    alist.set_defaults(handler=guarded(cmd_attest_list))
    rej = asub.add_parser("reject", help="reject an attestation (not by its maker)")
    rej.add_argument("id")
    rej.add_argument("--officer", help="default: the signed-in officer")
    rej.add_argument("--reason", required=True)
    rej.set_defaults(handler=guarded(cmd_attest_reject))

    keys = sub.add_parser("keys", help="the keys file (trust root)")
    ksub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    kexp = ksub.add_parser("export", help="write the keys file")
    kexp.add_argument("--out", required=True, type=Path)
    kexp.set_defaults(handler=guarded(cmd_keys_export))
    krev = ksub.add_parser("revoke", help="revoke a key: its signatures stop counting")
    krev.add_argument("key_id")
    krev.set_defaults(handler=guarded(cmd_keys_revoke))

    parties = sub.add_parser("parties", help="counterparty keys (emergency 2-of-3)")
    psub = parties.add_subparsers(dest="parties_command", metavar="ACTION", required=True)
    padd = psub.add_parser("add", help="register a party's key from a device or as hex")
    padd.add_argument("--party", required=True, choices=PARTIES)
    padd.add_argument("--device", metavar="URI")
    padd.add_argument("--path")
    padd.add_argument("--pubkey", metavar="HEX")
    padd.add_argument("--address", default="")
    padd.add_argument("--role", default="emergency", choices=("emergency", "exchange"))
    padd.add_argument("--name", default="")
    padd.add_argument("--emulator", action="store_true", help="flag a --pubkey as a test key")
    padd.add_argument(
        "--fingerprint",
        default="",
        metavar="HEX8",
        help="master fingerprint of the device a --pubkey comes from (independence check)",
    )
    padd.add_argument(
        "--multisig-path",
        metavar="PATH",
        help="register the party's multisig account key read from --device at this BIP-48 "
        "path (m/48'/1'/0'/2' on test networks)",
    )
    padd.add_argument(
        "--multisig-xpub",
        metavar="KEY",
        help='register a multisig account key given with its origin: "[fp/48h/1h/0h/2h]tpub…"',
    )
    padd.add_argument(
        "--eth-path",
        metavar="PATH",
        nargs="?",
        const="m/44'/60'/0'/0/0",
        help="also (or only) read the party's Safe owner address at PATH on --device "
        "(without PATH: m/44'/60'/0'/0/0)",
    )
    padd.add_argument(
        "--eth-address",
        metavar="0x…",
        help="the Safe owner address of a party that signs elsewhere (EIP-55 checked)",
    )
    padd.set_defaults(handler=guarded(cmd_parties_add))

    desk_emergency.register(sub, guarded)


def cmd_officers_add(args: argparse.Namespace) -> int:
    from app.services.officers import register_officer

    with opened_store(args) as store:
        officer = run_async(
            register_officer(
                store,
                args.name,
                args.role,
                args.device,
                args.path,
                interaction=CliInteraction(),
                actor=default_actor(),
            )
        )
    from app.documents.keys import key_id_for

    print(
        f"{officer.name} {officer.role} {key_id_for(officer.pubkey)} {officer.address}"
        f"{' (TEST EMULATOR)' if officer.is_emulator else ''}"
    )
    return 0


def cmd_officers_revoke(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.services.officers import revoke_officer

    with opened_store(args) as store:
        officer = acting_officer(args, store)
        revoke_officer(store, args.name, actor=f"officer:{officer}")
    print(f"revoked officer {args.name}")
    return 0


def cmd_officers_list(args: argparse.Namespace) -> int:
    from app.documents.keys import key_id_for
    from app.services.officers import list_officers

    with opened_store(args) as store:
        rows = list_officers(store)
    items = [
        {
            "name": o.name,
            "role": o.role,
            "device_kind": o.device_kind,
            "fingerprint": o.fingerprint,
            "path": o.path,
            "xpub": o.xpub,
            "pubkey": o.pubkey.hex(),
            "key_id": key_id_for(o.pubkey),
            "address": o.address,
            "is_emulator": o.is_emulator,
            "active": o.active,
        }
        for o in rows
    ]
    if args.json:
        print(json.dumps(items, indent=2))
    else:
        for i in items:
            print(
                f"{i['name']:<16} {i['role']:<12} {i['fingerprint']} {i['key_id']} "
                f"{i['address']}{' EMULATOR' if i['is_emulator'] else ''}"
                f"{'' if i['active'] else ' (revoked)'}"
            )
    return 0


def _service(store: Any) -> Any:
    from app.services.attestations import AttestationService

    return AttestationService(store)


def require_fresh_prices(store: Any, client_ids: list[str]) -> None:
    """Refuse, as the window does, to attest on a price past its limit: a
    :class:`CliError` naming each stale price (asset, age, limit, snapshot) and the way
    out. The rule is :meth:`HoldingsService.require_fresh_prices`, the window's too."""
    from app.services.holdings import HoldingsService, StalePrices

    try:
        HoldingsService(store).require_fresh_prices(client_ids)
    except StalePrices as exc:
        raise CliError(
            "refused: prices are too old to attest on:\n"
            + "\n".join(f"  {reason}" for reason in exc.reasons)
        ) from exc


def cmd_attest_prepare(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer

    with opened_store(args) as store:
        clients = args.clients.split(",")
        require_fresh_prices(store, clients)  # before the session and the device
        officer = acting_officer(args, store, args.officer)
        rec = run_async(
            _service(store).prepare_signed(clients, officer, args.device, CliInteraction())
        )
    print(rec.id)
    return 0


def cmd_attest_sign(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.services.attestations import parse_att_id

    with opened_store(args) as store:
        officer = acting_officer(args, store, args.officer)
        rec = run_async(
            _service(store).approve_and_sign(
                parse_att_id(args.id), officer, args.device, CliInteraction()
            )
        )
        print(f"{rec.id} {rec.status}: {rec.statement}")
        report_anchor(store, f"attestation {rec.id}'s approval", "attestation.sign",
                      "attestation_id", rec.id)
    return 0


def report_anchor(store: Any, act: str, action: str, field_name: str, value: object) -> None:
    """Say which signed checkpoint pins ``act`` (its last ``action`` entry), or how to sign one."""
    from app.exchange.push import SIGN_CHECKPOINT_HINT
    from app.services.audit_checkpoints import act_seq, covering_checkpoint
    from app.services.desk_identity import desk_identity

    env = desk_identity(store).env
    with store.read() as tx:
        seq = act_seq(tx, action, field_name, value)
        covering = None if seq is None else covering_checkpoint(tx, seq, env=env)
    if covering is not None:
        print(f"audit checkpoint #{covering.id} signed ({covering.tree_size} entries, root "
              f"{covering.root_hash[:16]}…): it goes to the exchange with the next delivery")
    else:
        print(f"warning: {act} is stored, but no signed audit checkpoint covers it yet "
              f"(push refuses an attestation until one does): {SIGN_CHECKPOINT_HINT}",
              file=sys.stderr)


def cmd_attest_export(args: argparse.Namespace) -> int:
    from app.services.attestations import parse_att_id

    with opened_store(args) as store:
        doc = _service(store).export_bundle(parse_att_id(args.id))
    _write(args.out, doc.to_bytes())
    print(f"wrote {args.out}")
    return 0


def cmd_attest_reject(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.services.attestations import parse_att_id

    with opened_store(args) as store:
        officer = acting_officer(args, store, args.officer)
        run_async(_service(store).reject_kept(parse_att_id(args.id), officer, args.reason))
    return 0


def cmd_attest_list(args: argparse.Namespace) -> int:
    from app.documents.canonical import amount, utc

    with opened_store(args) as store:
        rows = _service(store).attestations()
    items = [
        {
            "id": r.id,
            "sequence": r.sequence,
            "status": r.status,
            "clients": r.client_count,
            "total_collateral_usd": amount(r.total_collateral_usd),
            "expires_at": utc(r.expires_at),
            "statement": r.statement,
        }
        for r in rows
    ]
    if args.json:
        print(json.dumps(items, indent=2))
    else:
        for i in items:
            print(
                f"{i['id']:>4} seq={i['sequence']} {i['status']:<18} n={i['clients']} "
                f"USD {i['total_collateral_usd']} exp {i['expires_at']}"
            )
    return 0


def cmd_keys_export(args: argparse.Namespace) -> int:
    from app.services.officers import keys_file

    with opened_store(args) as store:
        keys = keys_file(store)
    _write(args.out, keys.to_bytes())
    print(f"wrote {args.out} ({len(keys.entries)} keys, env={keys.env})")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.services.officers import revoke_key

    with opened_store(args) as store:
        officer = acting_officer(args, store)
        revoke_key(store, args.key_id, actor=f"officer:{officer}")
    print(f"revoked {args.key_id}")
    return 0


def cmd_parties_add(args: argparse.Namespace) -> int:
    from app.documents.keys import Party, Role, key_id_for
    from app.services.officers import add_party_key, read_device_key

    if args.multisig_path or args.multisig_xpub:
        return _add_multisig_key(args)
    if args.eth_path and args.eth_address:
        raise CliError("give --eth-path (read from --device) or --eth-address, not both")
    if args.eth_path and not args.device:
        raise CliError("--eth-path reads the address on --device URI")
    if (args.eth_path or args.eth_address) and not (args.path or args.pubkey):
        _add_eth_owner(args)  # the Safe owner only: the statement key is registered already
        return 0
    if bool(args.device) == bool(args.pubkey):
        raise CliError("give either --device URI --path PATH or --pubkey HEX")
    emulator = bool(args.emulator)
    fingerprint = ""
    if args.device:
        if not args.path:
            raise CliError("--device needs --path")
        identity, key = run_async(read_device_key(args.device, args.path, CliInteraction()))
        pubkey, address, emulator = key.pubkey, key.address, identity.is_emulator
        fingerprint, path = identity.master_fingerprint, key.path
    else:
        if args.fingerprint and not re.fullmatch(r"[0-9a-fA-F]{8}", args.fingerprint):
            raise CliError("--fingerprint must be 8 hex digits")
        fingerprint, path = args.fingerprint.lower(), ""
        try:
            pubkey = bytes.fromhex(args.pubkey)
        except ValueError as exc:
            raise CliError("--pubkey must be hex") from exc
        address = args.address
    with opened_store(args) as store:
        add_party_key(
            store,
            Party(args.party),
            pubkey,
            address,
            actor=default_actor(),
            role=Role(args.role),
            name=args.name,
            is_emulator=emulator,
            fingerprint=fingerprint,
            path=path,
        )
    print(f"{args.party} {args.role} {key_id_for(pubkey)}{' (TEST EMULATOR)' if emulator else ''}")
    if args.eth_path or args.eth_address:
        _add_eth_owner(args)
    return 0


def _add_multisig_key(args: argparse.Namespace) -> int:
    from app.documents.keys import Party
    from app.services.vault import add_multisig_key, parse_account_key, read_multisig_key

    if bool(args.multisig_path) == bool(args.multisig_xpub) or args.pubkey or args.path:
        raise CliError("give either --device URI --multisig-path PATH or --multisig-xpub KEY")
    device_fingerprint = ""
    emulator = bool(args.emulator)
    with opened_store(args) as store:
        if args.multisig_path:
            if not args.device:
                raise CliError("--multisig-path needs --device")
            identity, key = run_async(
                read_multisig_key(args.device, args.multisig_path, CliInteraction())
            )
            device_fingerprint, emulator = identity.master_fingerprint, identity.is_emulator
        else:
            key = parse_account_key(args.multisig_xpub, store)
        add_multisig_key(
            store,
            Party(args.party),
            key,
            actor=default_actor(),
            is_emulator=emulator,
            device_fingerprint=device_fingerprint,
        )
    print(f"{args.party} multisig {key}{' (TEST EMULATOR)' if emulator else ''}")
    return 0


def _add_eth_owner(args: argparse.Namespace) -> None:
    from app.documents.keys import Party
    from app.services.vault_safes import register_eth_owner, register_eth_owner_from_device

    if args.fingerprint and not re.fullmatch(r"[0-9a-fA-F]{8}", args.fingerprint):
        raise CliError("--fingerprint must be 8 hex digits")
    with opened_store(args) as store:
        if args.eth_path:
            owner = run_async(
                register_eth_owner_from_device(
                    store,
                    Party(args.party),
                    args.device,
                    args.eth_path,
                    CliInteraction(),
                    actor=default_actor(),
                )
            )
        else:
            owner = register_eth_owner(
                store,
                Party(args.party),
                args.eth_address,
                actor=default_actor(),
                fingerprint=args.fingerprint.lower(),
            )
    print(f"{args.party} Safe owner {owner.address}")
