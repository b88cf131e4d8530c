"""Entry point of `custody-desk`: no subcommand starts the GUI, subcommands run headless.

Each command group lives in its own module exposing ``register(subparsers)``; a
subparser sets ``handler`` to a function ``(argparse.Namespace) -> int`` (the exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app import __version__
from app.cli.errors import CliError
from app.services.signin_errors import SigninError

# One module per command group. Order is the order of `custody-desk --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "app.cli.snapshot_cmds",  # value, stress
    "app.cli.store_cmds",  # import, holdings, audit, backup
    "app.cli.device_cmds",  # devices, sign, verify-message
    "app.cli.emulator_cmd",  # emulator
    "app.cli.signin_cmds",  # signin, signout, whoami
    "app.cli.desk_cmds",  # officers, attest, keys, parties, emergency
    "app.cli.vault_cmds",  # vault (on-chain emergency vaults)
    "app.cli.exchange_cmds",  # exchange-sim, verify, reconcile, margin
    "app.cli.regulator_cmds",  # regulator export
    "app.cli.system_cmds",  # self-test
    "app.cli.shared_cmds",  # store migrate|init-roles|info (the shared desk)
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custody-desk",
        description="Custody Desk. Without a command, opens the desk window.",
    )
    parser.add_argument("--version", action="version", version=f"custody-desk {__version__}")
    parser.add_argument(
        "--data-dir",
        help="folder of the desk's store and settings (default: the platform user data dir)",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        help="the desk's store: postgresql://user@host/db (libpq URL, sslmode etc. honoured) "
        "or sqlite:///PATH (default: $CUSTODY_DESK_STORE, else SQLite in the data dir)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from app.ui.main import run_gui

        return run_gui(data_dir=args.data_dir, store_url=args.store)
    try:
        code: int = args.handler(args)
    except CliError as exc:
        print(f"custody-desk {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except SigninError as exc:  # no live session, or a refused sign-in: nothing was done
        print(f"custody-desk {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error of ours
        _silence_stdout()
        return 0
    return code


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    raise SystemExit(main())
