"""``custody-desk emulator``: run the software HSM emulator in the foreground (testing only).

    custody-desk emulator [--trezor-port N] [--coldcard-socket PATH] [--mnemonic "..."]
                          [--approve auto|reject|interactive|delay:SECONDS] [--pin-file FILE]
                          [--control PATH]

It prints a TEST banner and the endpoints it serves, binds loopback only, and runs
until SIGTERM/SIGINT. A production (frozen) build refuses to start it without
``--allow-test-emulator``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from app.cli.errors import CliError


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``emulator`` to the parser."""
    parser = sub.add_parser(
        "emulator",
        help="run the software HSM emulator (Trezor on UDP, Coldcard on a Unix socket)",
        description="Run the TEST-ONLY software HSM emulator in the foreground until "
        "SIGTERM/SIGINT. It presents a Trezor (protocol v1 over loopback UDP, drivable "
        "by trezorlib/trezorctl) and a Coldcard-protocol module (Unix datagram socket).",
    )
    parser.add_argument(
        "--trezor-port",
        type=int,
        default=21324,
        metavar="N",
        help="UDP port of the emulated Trezor on 127.0.0.1 (default 21324; 0 picks one)",
    )
    parser.add_argument(
        "--coldcard-socket",
        default="/tmp/ckcc-simulator.sock",
        metavar="PATH",
        help="Unix socket of the emulated Coldcard (default /tmp/ckcc-simulator.sock)",
    )
    parser.add_argument(
        "--mnemonic",
        default=None,
        help="BIP-39 TEST mnemonic (default: twelve times 'all'); never a real seed",
    )
    parser.add_argument(
        "--approve",
        default="auto",
        metavar="auto|reject|interactive|delay:SECONDS",
        help="how the emulated human answers 'confirm on device' (default auto)",
    )
    parser.add_argument(
        "--pin",
        default=None,
        help="refused: a PIN on the command line shows in ps; use --pin-file or "
        f"{PIN_ENV}",
    )
    parser.add_argument(
        "--pin-file",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"lock the device with the PIN in FILE (digits; or set {PIN_ENV})",
    )
    parser.add_argument(
        "--control", default=None, metavar="PATH", help="Unix socket of the control channel"
    )
    parser.add_argument(
        "--eth-hash-only",
        action="store_true",
        help="behave as a Trezor One for Ethereum: EIP-712 signed by its two hashes only "
        "(EthereumSignTypedData is refused as unknown)",
    )
    parser.add_argument(
        "--allow-test-emulator",
        action="store_true",
        help="needed to start the emulator from a production build",
    )
    parser.set_defaults(handler=run)


PIN_ENV = "CUSTODY_DESK_EMULATOR_PIN"


def _pin(args: argparse.Namespace) -> str | None:
    """The PIN from --pin-file or the environment; never from the command line."""
    if args.pin is not None:
        raise CliError(
            "a PIN on the command line is visible to every local user (ps): "
            f"use --pin-file FILE or {PIN_ENV}"
        )
    if args.pin_file is not None:
        try:
            return str(args.pin_file.read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read --pin-file {args.pin_file}: {exc}") from exc
    return os.environ.get(PIN_ENV) or None


def run(args: argparse.Namespace) -> int:
    from app.build_info import EmulatorRefused, require_emulator_allowed
    from signing.emulator.hsm import ApprovalPolicy
    from signing.emulator.main import run_foreground
    from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
    from signing.errors import SigningError

    try:
        require_emulator_allowed(flag_given=args.allow_test_emulator)
    except EmulatorRefused as exc:
        raise CliError(str(exc)) from exc
    pin = _pin(args)
    if args.trezor_port is not None and not 0 <= args.trezor_port <= 65535:
        raise CliError(f"--trezor-port {args.trezor_port} is not a port number")
    try:
        ApprovalPolicy.parse(args.approve)
        return run_foreground(
            trezor_port=args.trezor_port,
            coldcard_socket=args.coldcard_socket or None,
            mnemonic=args.mnemonic or TEST_MNEMONIC_ALL,
            approve=args.approve,
            pin=pin,
            control=args.control,
            typed_data_full=not args.eth_hash_only,
        )
    except SigningError as exc:
        raise CliError(exc.detail or exc.user_message) from exc
    except OSError as exc:
        raise CliError(f"cannot serve: {exc}") from exc
