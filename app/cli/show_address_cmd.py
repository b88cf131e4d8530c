"""`devices show-address`: check a registered key on its device, as the window's Devices tab.

The device derives the key's address and shows it on its own screen; the command
prints what the device answered beside the registered address and says ``match`` or
``MISMATCH``. Exit codes: 0 match; 1 MISMATCH (the device does not hold the registered
key); 2 bad input (no such key); 3 store failure; 4 a typed signing error (refused on
the device, unplugged, cancelled with Ctrl-C...).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.errors import CliError


def register(devices: argparse.ArgumentParser) -> None:
    """Add ``show-address`` below ``devices`` (``devices`` alone still lists devices)."""
    sub = devices.add_subparsers(dest="devices_command", metavar="COMMAND")
    show = sub.add_parser(
        "show-address",
        help="show a registered key's address on its device and compare it (match/MISMATCH)",
    )
    show.add_argument("--device", required=True, metavar="URI", help="the device to ask")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--officer", metavar="NAME", help="an officer's signing key")
    which.add_argument(
        "--multisig",
        metavar="PARTY",
        help="a party's multisig key: the first client's vault address #0, derived on the device",
    )
    which.add_argument("--safe-owner", metavar="PARTY", help="a party's Safe owner address")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=cmd_show_address)


def cmd_show_address(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction, run_async
    from app.cli.store_cmds import opened_store
    from app.services.key_display import KeyKind, registered_keys, show_on_device

    if args.officer:
        kind, owner = KeyKind.OFFICER, args.officer
    elif args.multisig:
        kind, owner = KeyKind.MULTISIG, args.multisig
    else:
        kind, owner = KeyKind.SAFE_OWNER, args.safe_owner
    with opened_store(args) as store:
        keys = registered_keys(store)
    key = next((k for k in keys if k.kind is kind and k.owner == owner), None)
    if key is None:
        known = ", ".join(k.owner for k in keys if k.kind is kind) or "none"
        raise CliError(f"no registered {kind.value} key for {owner!r} (registered: {known})")
    check = run_async(show_on_device(key, args.device, CliInteraction()))
    verdict = "match" if check.matches else "MISMATCH"
    if args.json:
        out: dict[str, Any] = {
            "kind": kind.value,
            "owner": owner,
            "path": key.path,
            "client_id": key.client_id or None,
            "registered_address": key.address,
            "device_address": check.shown,
            "device_fingerprint": check.device_fingerprint,
            "matches": check.matches,
        }
        print(json.dumps(out, sort_keys=True))
    else:
        print(f"{key.description}")
        print(f"  registered: {key.address}")
        print(f"  device:     {check.shown}  ({check.device_label}, {check.device_fingerprint})")
        print(f"  {verdict}")
    if check.wrong_device:
        print(
            f"{check.device_label} ({check.device_fingerprint}) is not the device "
            f"{key.description} was registered from ({key.fingerprint}): nothing was shown",
            file=sys.stderr,
        )
        return 1
    if not check.matches:
        print(
            f"MISMATCH: {check.device_label} does not show the registered address of "
            f"{key.description}. Do not use this key until it is resolved.",
            file=sys.stderr,
        )
        return 1
    return 0
