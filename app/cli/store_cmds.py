"""Store commands: ``import``, ``holdings``, ``audit verify|log|checkpoint|sign-checkpoint|
export-checkpoint``, ``backup``, ``restore``.

All of them work on the store chosen by ``--store URL`` (else ``CUSTODY_DESK_STORE``,
else SQLite in the data folder: ``--data-dir``, else ``CUSTODY_DESK_DATA_DIR``, else
the platform user data dir). Exit codes: 0 done,
1 verification failed, 2 bad input or refused, 3 the store itself failed, 4 the
device failed (typed signing error, nothing stored).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.errors import CliError, read_input
from app.paths import data_dir
from app.store import BackupError, StoreError
from app.store.interface import Store
from app.store.url import BadStoreUrl, StoreTarget, open_target, resolve_store

if TYPE_CHECKING:
    pass

EXIT_VERIFY_FAILED = 1
#: What ``audit verify --against DIR`` reads from a regulator export folder.
ANCHOR_FILES = ("checkpoints.json", "audit-head.json")
EXIT_STORE_FAILED = 3


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's subcommands to the parser."""
    imp = sub.add_parser("import", help="import a snapshot file into the store (idempotent)")
    imp.add_argument("snapshot", type=Path, metavar="SNAPSHOT.json")
    imp.add_argument("--actor", help="who is importing (default: cli:<login name>)")
    imp.add_argument(
        "--allow-older",
        action="store_true",
        help="import a snapshot older than the newest one as history (holdings keep the newest)",
    )
    imp.set_defaults(handler=cmd_import)

    hold = sub.add_parser("holdings", help="every client's holdings and valuation from the store")
    hold.add_argument("--json", action="store_true", help="machine-readable output")
    hold.add_argument("--as-of", help="as the desk saw it at this UTC time (ISO 8601)")
    hold.set_defaults(handler=cmd_holdings)

    audit = sub.add_parser("audit", help="verify or read the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="exit 0 only if the chain, tree and checkpoints verify"
    )
    verify.add_argument(
        "--against",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a tree head held outside the desk (signed checkpoint, reconciliation report, "
        "exchange receipt, audit head, the exchange's list of heads or of signed "
        "checkpoints, or a regulator export folder): the trail must extend it",
    )
    verify.set_defaults(handler=cmd_audit_verify)
    head = audit_sub.add_parser(
        "export-head", help="write the trail's current tree head (size, root) to FILE"
    )
    head.add_argument("--out", required=True, type=Path)
    head.set_defaults(handler=cmd_audit_export_head)
    log = audit_sub.add_parser("log", help="print the audit log")
    log.add_argument("--json", action="store_true")
    log.add_argument("--actor")
    log.add_argument("--action")
    log.add_argument("--limit", type=int)
    log.set_defaults(handler=cmd_audit_log)
    checkpoint = audit_sub.add_parser("checkpoint", help="store a checkpoint of the whole log")
    checkpoint.add_argument("--actor")
    checkpoint.set_defaults(handler=cmd_audit_checkpoint)
    sign = audit_sub.add_parser(
        "sign-checkpoint", help="sign a checkpoint on the officer's own registered device"
    )
    sign.add_argument("id", metavar="ID", nargs="?",
                      help="checkpoint id (as `audit checkpoint` prints); without it, "
                      "checkpoint the whole trail now and sign that")
    sign.add_argument("--officer", required=True, metavar="NAME")
    sign.add_argument("--device", required=True, metavar="URI")
    sign.set_defaults(handler=cmd_audit_sign_checkpoint)
    export = audit_sub.add_parser(
        "export-checkpoint", help="write a signed checkpoint as an audit_checkpoint document"
    )
    export.add_argument("id", metavar="ID")
    export.add_argument("--out", required=True, type=Path, metavar="FILE")
    export.set_defaults(handler=cmd_audit_export_checkpoint)

    backup = sub.add_parser("backup", help="write a consistent copy of the store to PATH")
    backup.add_argument("path", type=Path, metavar="PATH")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser(
        "restore", help="replace the store with a verified backup (the old store is kept aside)"
    )
    restore.add_argument("path", type=Path, metavar="BACKUP")
    restore.set_defaults(handler=cmd_restore)


def default_actor() -> str:
    """``cli:<login name>`` of whoever runs the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in some containers
        return "cli:unknown"


def store_target(args: argparse.Namespace) -> StoreTarget:
    """The store this command works on: ``--store``, ``CUSTODY_DESK_STORE``, the data dir."""
    try:
        return resolve_store(getattr(args, "store", None), getattr(args, "data_dir", None))
    except BadStoreUrl as exc:
        raise CliError(str(exc)) from exc


@contextmanager
def opened_store(args: argparse.Namespace) -> Iterator[Store]:
    """Open the command's store (see :func:`store_target`); failures become a one-line exit 3."""
    target = store_target(args)
    try:
        store = open_target(target)
    except StoreError as exc:
        raise CliError(f"cannot open the store: {exc}", EXIT_STORE_FAILED) from exc
    try:
        from app.cli.signin_cmds import live_session_or_none

        # this OS user's live session, if any, is what every audit entry rests on
        live_session_or_none(args, store)
        yield store
    except StoreError as exc:
        raise CliError(f"store error: {exc}", EXIT_STORE_FAILED) from exc
    finally:
        store.close()


def cmd_import(args: argparse.Namespace) -> int:
    from app.domain.snapshot import MAX_SNAPSHOT_BYTES, SnapshotError
    from app.services.holdings import HoldingsService

    actor = args.actor or default_actor()
    source: Path = args.snapshot
    # read once (what is parsed is what is kept), refusing an oversized file unread
    data = read_input(source, MAX_SNAPSHOT_BYTES, "snapshot")
    with opened_store(args) as store:
        service = HoldingsService(store)
        # Parse fully before the store is touched: a bad file changes nothing.
        try:
            snapshot = service.parse(data)
        except SnapshotError as exc:
            raise CliError(f"{source.name}: {exc.field}: {exc.message}") from exc
        try:
            result = service.import_snapshot(
                snapshot,
                actor,
                raw_json=data.decode("utf-8"),
                source_name=source.name,
                allow_older=args.allow_older,
            )
        except SnapshotError as exc:
            raise CliError(f"{source.name}: {exc.field}: {exc.message}") from exc
    record = result.snapshot
    if result.created:
        print(
            f"imported snapshot #{record.id} as of {_utc(record.as_of)}: "
            f"{record.client_count} clients (audit entry {result.audit_seq})"
        )
    else:
        print(f"already imported as snapshot #{record.id}; store unchanged")
    return 0


def cmd_holdings(args: argparse.Namespace) -> int:
    from app.services.holdings import ClientHolding, HoldingsService

    as_of = _parse_time(args.as_of, "--as-of") if args.as_of else None
    if args.json:
        from app.cli.holdings_json import write_holdings_json

        with opened_store(args) as store:
            write_holdings_json(HoldingsService(store), store, as_of, sys.stdout)
        return 0
    with opened_store(args) as store:
        rows: list[ClientHolding] = HoldingsService(store).holdings(as_of)
    if not rows:
        print("no holdings: import a snapshot first (custody-desk import SNAPSHOT.json)")
        return 0
    header = f"{'client':<22} {'market USD':>18} {'collateral USD':>18} {'credit line USD':>18}"
    print(f"{header} {'exposure USD':>18} {'ratio':>8} {'state':<26} eligible")
    for row in rows:
        v = row.valuation
        ratio = "-" if v.collateral_ratio is None else f"{v.collateral_ratio:.4f}"
        print(
            f"{row.record.id:<22} {v.market_value_usd:>18,} {v.collateral_value_usd:>18,} "
            f"{v.usable_credit_line_usd:>18,} {v.exposure_usd:>18,} {ratio:>8} "
            f"{v.standing_label:<26} "
            f"{'yes' if v.eligible else 'no: ' + '; '.join(v.ineligible_reasons)}"
        )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from app.documents.canonical import MAX_DOCUMENT_BYTES
    from app.services.audit import AuditService
    from app.services.audit_anchor import AnchorError, anchors_in, verify_against

    anchors = []
    for given in args.against:
        files = [(given, given.name)]
        if given.is_dir():  # a regulator export: its signed checkpoints and its head
            files = [(given / name, f"{given.name}/{name}") for name in ANCHOR_FILES
                     if (given / name).is_file()]
            if not files:
                raise CliError(f"{given}: a folder without {' or '.join(ANCHOR_FILES)} "
                               "(not a regulator export)")
        for path, label in files:
            try:
                anchors.extend(anchors_in(read_input(path, MAX_DOCUMENT_BYTES, "document"),
                                          label))
            except AnchorError as exc:
                raise CliError(str(exc)) from exc
    with opened_store(args) as store:
        report = AuditService(store).verify()
        anchored = verify_against(store, anchors)
    for check in report.checks:
        print(check.line())
    for anchor_check in anchored:
        print(anchor_check.line())
    ok = report.ok and all(c.ok for c in anchored)
    return 0 if ok else EXIT_VERIFY_FAILED


def cmd_audit_export_head(args: argparse.Namespace) -> int:
    from app.documents.canonical import encode
    from app.files import write_private
    from app.services.audit_anchor import current_head

    with opened_store(args) as store:
        head = current_head(store, datetime.now(UTC))
    write_private(args.out, encode(head) + b"\n")
    print(f"wrote {args.out} (size {head['size']}, root {head['root']})")
    return 0


def cmd_audit_log(args: argparse.Namespace) -> int:
    from app.services.audit import AuditService

    with opened_store(args) as store:
        rows = AuditService(store).entries(actor=args.actor, action=args.action, limit=args.limit)
    if args.json:
        document = [
            {
                "seq": r.seq,
                "time": _utc(r.time),
                "actor": r.actor,
                "action": r.action,
                "payload": json.loads(r.payload),
                "prev_hash": r.prev_hash,
                "entry_hash": r.entry_hash,
            }
            for r in rows
        ]
        json.dump(document, sys.stdout, indent=2)
        print()
        return 0
    for r in rows:
        print(f"{r.seq:>6} {_utc(r.time)} {r.actor:<20} {r.action:<22} {r.payload}")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from app.services.audit import AuditService

    with opened_store(args) as store:
        try:
            checkpoint = AuditService(store).checkpoint(args.actor or default_actor())
        except ValueError as exc:  # an empty log
            raise CliError(str(exc)) from exc
    print(
        f"checkpoint #{checkpoint.id}: {checkpoint.tree_size} entries, root {checkpoint.root_hash}"
    )
    return 0


def cmd_audit_sign_checkpoint(args: argparse.Namespace) -> int:
    """Exit 0 signed; 2 refused (unknown id or officer, already signed, log does not back
    it); 4 the device refused or is not the officer's (nothing stored either way)."""
    # desk_cmds imports this module, so its helpers are imported here, not at the top
    from app.cli.desk_cmds import CliInteraction, run_async
    from app.cli.signin_cmds import acting_officer
    from app.services.audit_checkpoints import (
        AuditCheckpointService,
        CheckpointError,
        parse_checkpoint_id,
    )

    with opened_store(args) as store:
        acting_officer(args, store, args.officer)
        try:
            service = AuditCheckpointService(store)
            row = run_async(
                service.sign_checkpoint(
                    parse_checkpoint_id(args.id), args.officer, args.device, CliInteraction()
                ) if args.id is not None
                else service.sign_head(args.officer, args.device, CliInteraction())
            )
        except CheckpointError as exc:
            raise CliError(str(exc)) from exc
    print(f"checkpoint #{row.id} signed by {args.officer} ({row.signer}): {row.statement}")
    return 0


def cmd_audit_export_checkpoint(args: argparse.Namespace) -> int:
    from app.files import write_private  # atomic and 0600
    from app.services.audit_checkpoints import (
        AuditCheckpointService,
        CheckpointError,
        parse_checkpoint_id,
    )

    with opened_store(args) as store:
        try:
            doc = AuditCheckpointService(store).export_checkpoint(parse_checkpoint_id(args.id))
        except CheckpointError as exc:
            raise CliError(str(exc)) from exc
    write_private(args.out, doc.to_bytes())
    print(f"wrote {args.out}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    destination: Path = args.path
    if destination.exists():
        raise CliError(f"{destination} already exists; refusing to overwrite it")
    from app.services.backup import backup_store

    with opened_store(args) as store:
        try:
            backup_store(store, destination, actor=default_actor())
        except BackupError as exc:
            raise CliError(str(exc)) from exc
    print(f"backup written to {destination}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.services.backup import RestoreRefused, restore_store, restore_store_into

    target = store_target(args)
    try:
        if target.path is not None:
            kept = restore_store(args.path, target.path, actor=default_actor())
        else:
            with opened_store(args) as store:
                kept = restore_store_into(
                    args.path, store, keep_dir=data_dir(args.data_dir), actor=default_actor()
                )
    except RestoreRefused as exc:
        raise CliError(str(exc)) from exc
    except StoreError as exc:
        raise CliError(f"restore failed: {exc}", EXIT_STORE_FAILED) from exc
    print(f"restored {args.path}" + (f"; previous store kept as {kept}" if kept else ""))
    return 0


def _dec(value: Decimal) -> str:
    return format(value, "f")


def _utc(moment: datetime) -> str:
    from app.domain.snapshot import format_utc

    return format_utc(moment)


def _parse_time(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"{option}: not an ISO 8601 time: {text!r}") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CliError(f"{option}: time has no timezone (add 'Z'): {text!r}")
    return moment.astimezone(UTC)
