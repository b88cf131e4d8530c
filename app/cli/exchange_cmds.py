"""Exchange commands: ``exchange-sim``, ``exchange-link``, ``push``, ``outbox``, ``pull``,
``margin``, ``reconcile`` (documented in docs/exchange.md).

The link is ``--exchange URL|DIR`` or the store setting ``exchange.link``
(``custody-desk exchange-link --url http://127.0.0.1:8470`` or ``--drop DIR``).
Exit codes: 0 done; 1 a document was rejected / reconciliation found breaks or
failed; 2 bad input or refused; 3 the store failed; 4 the device failed;
5 the exchange could not be reached (messages stay queued and are retried).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Coroutine
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from app.cli.errors import CliError
from app.cli.store_cmds import default_actor, opened_store
from app.exchange.configured import LINK_SETTING
from app.files import write_private as _write  # atomic and 0600

EXIT_REJECTED = 1
EXIT_UNREACHABLE = 5
T = TypeVar("T")


def _guard(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapper(args: argparse.Namespace) -> int:
        from app.cli.desk_cmds import guarded
        from app.exchange.sim.price_path import PricePathError
        from app.services.margin_calls import MarginCallServiceError
        from app.services.reconciliation import ReconciliationError

        try:
            return guarded(fn)(args)
        except (MarginCallServiceError, ReconciliationError, PricePathError) as exc:
            raise CliError(str(exc), 2) from exc

    return wrapper


def _run(coro: Coroutine[Any, Any, T]) -> T:
    from app.cli.desk_cmds import run_async

    return run_async(coro)


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a decimal") from exc
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a decimal")
    return value


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's subcommands to the parser."""
    sim = sub.add_parser("exchange-sim", help="run the reference exchange simulator (TEST ONLY)")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8470)
    sim.add_argument("--keys", type=Path, help="the desk's keys file (custody-desk keys export)")
    sim.add_argument("--price-path", action="append", default=[], metavar="ASSET:PCT%:SECs",
                     help="scripted price move, e.g. BTC:-25%%:3600s (repeatable)")
    sim.add_argument("--exchange-id", default="EXCH-DEMO")
    sim.add_argument("--utilisation", type=_decimal, default=Decimal("0.9"),
                     help="exposure of a newly booked client, as a share of its line")
    sim.add_argument("--exposure", action="append", default=[], metavar="CLIENT=USD")
    sim.add_argument("--allow-remote", action="store_true",
                     help="allow binding a non-loopback address")
    sim.set_defaults(handler=_guard(cmd_sim))

    link = sub.add_parser("exchange-link", help="show or set how the desk reaches the exchange")
    group = link.add_mutually_exclusive_group()
    group.add_argument("--url", help="REST base URL, e.g. http://127.0.0.1:8470")
    group.add_argument("--drop", type=Path, help="drop folder for an air-gapped desk")
    link.set_defaults(handler=_guard(cmd_link))

    push = sub.add_parser("push", help="queue signed attestation(s) and send the outbox")
    push.add_argument("id", nargs="?", help="attestation id (default: every signed one)")
    _exchange_arg(push)
    push.set_defaults(handler=_guard(cmd_push))

    outbox = sub.add_parser("outbox", help="messages not yet delivered; --send sends them")
    outbox.add_argument("--send", action="store_true", help="send every pending message now")
    outbox.add_argument("--retry", type=int, metavar="ID", help="requeue a refused message")
    outbox.add_argument("--json", action="store_true")
    _exchange_arg(outbox)
    outbox.set_defaults(handler=_guard(cmd_outbox))

    pull = sub.add_parser("pull", help="fetch and verify margin calls and notices")
    _exchange_arg(pull)
    pull.set_defaults(handler=_guard(cmd_pull))

    margin = sub.add_parser("margin", help="the margin-call queue")
    msub = margin.add_subparsers(dest="margin_command", metavar="ACTION", required=True)
    mlist = msub.add_parser("list", help="margin calls and their state")
    mlist.add_argument("--json", action="store_true")
    mlist.set_defaults(handler=_guard(cmd_margin_list))
    for name, helptext in (("ack", "acknowledge a call"),
                           ("topup", "prepare the top-up attestation (the maker's device signs)"),
                           ("escalate", "escalate to the pre-authorised liquidation")):
        p = msub.add_parser(name, help=helptext)
        p.add_argument("call_id")
        p.add_argument("--officer", required=True)
        if name == "escalate":
            p.add_argument("--note", default="")
        if name == "topup":
            p.add_argument(
                "--device", required=True, metavar="URI",
                help="the maker's own device: it signs the statement (prepared-by)",
            )
        p.set_defaults(handler=_guard(cmd_margin_action))
    answer = msub.add_parser("answer", help="sign the top-up answer on a device, queue, send")
    answer.add_argument("call_id")
    answer.add_argument("--officer", required=True)
    answer.add_argument("--device", required=True, metavar="URI")
    _exchange_arg(answer)
    answer.set_defaults(handler=_guard(cmd_margin_answer))
    water = msub.add_parser("waterfall", help="the yield-first liquidation plan of a call")
    water.add_argument("call_id")
    water.set_defaults(handler=_guard(cmd_margin_waterfall))
    liq = msub.add_parser("liquidate", help="sign the liquidation instruction, queue, send")
    liq.add_argument("call_id")
    liq.add_argument("--officer", required=True)
    liq.add_argument("--device", required=True, metavar="URI")
    _exchange_arg(liq)
    liq.set_defaults(handler=_guard(cmd_margin_liquidate))

    rec = sub.add_parser("reconcile", help="compare attested positions with the exchange ledger")
    rec.add_argument("--if-due", action="store_true",
                     help="run only if the current schedule slot has not run (for cron)")
    rec.add_argument("--run", type=int, metavar="ID", help="export an earlier run instead")
    rec.add_argument("--officer", help="sign the report on this officer's device")
    rec.add_argument("--device", metavar="URI")
    rec.add_argument("--tolerance-usd", type=_decimal, default=Decimal("0.01"))
    rec.add_argument("--tolerance-qty", type=_decimal, default=Decimal(0))
    rec.add_argument("--export-json", type=Path, metavar="FILE")
    rec.add_argument("--export-csv", type=Path, metavar="FILE")
    _exchange_arg(rec)
    rec.set_defaults(handler=_guard(cmd_reconcile))


def _exchange_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exchange", metavar="URL|DIR",
                        help="the exchange link (default: the exchange-link setting)")


def _link(args: argparse.Namespace, store: Any) -> Any:
    from app.exchange.configured import BadLinkTarget, configured_target, link_for, tls_files
    from app.services.desk_identity import desk_identity

    target = getattr(args, "exchange", None) or configured_target(store)
    if not target:
        raise CliError("no exchange link: use --exchange or custody-desk exchange-link --url URL")
    try:
        return link_for(target, tls_files(store), env=desk_identity(store).env)
    except BadLinkTarget as exc:
        raise CliError(str(exc), 2) from exc


# -- exchange-sim -----------------------------------------------------------------------


def cmd_sim(args: argparse.Namespace) -> int:
    from app.documents.keys import KeysFile
    from app.exchange.sim.factory import make_sim
    from app.exchange.sim.price_path import parse_price_path
    from app.exchange.sim.server import NonLoopbackRefused, start_sim

    paths = [parse_price_path(p) for p in args.price_path]
    exposures: dict[str, Decimal] = {}
    for item in args.exposure:
        client, _, usd = item.partition("=")
        try:
            exposures[client] = Decimal(usd)
        except InvalidOperation as exc:
            raise CliError(f"--exposure {item!r}: use CLIENT=USD") from exc
    keys = args.keys if args.keys else KeysFile("test", ())
    if args.keys and not args.keys.exists():
        raise CliError(f"keys file {args.keys} does not exist")
    sim = make_sim(keys, exchange_id=args.exchange_id, price_paths=paths,
                   utilisation=args.utilisation, exposures=exposures)
    try:
        running = start_sim(sim, host=args.host, port=args.port, allow_remote=args.allow_remote)
    except NonLoopbackRefused as exc:
        raise CliError(str(exc), 2) from exc
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc}", 2) from exc
    print(f"exchange simulator (TEST ONLY, keys from a public test seed) on {running.url}")
    print(f"exchange {sim.exchange_id} env={sim.env} key {sim.key_id} pubkey {sim.pubkey.hex()}")
    print("register it on the desk: custody-desk parties add --party exchange --role exchange"
          f" --pubkey {sim.pubkey.hex()} --address {sim.address} --emulator")
    if not args.keys:
        print("warning: no --keys file: every attestation will be refused (unknown_key)",
              file=sys.stderr)
    sys.stdout.flush()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        # poll: a signal delivered to one of the server's threads only runs its Python
        # handler when the main thread next wakes, and a bare wait() never wakes
        while not stop.wait(0.2):
            pass
    finally:
        running.stop()
    return 0


# -- link, push, outbox, pull -----------------------------------------------------------


def cmd_link(args: argparse.Namespace) -> int:
    from app.exchange.configured import BadLinkTarget, check_target
    from app.services.data_binding import with_bindings
    from app.services.desk_identity import desk_identity
    from app.services.unit_of_work import unit_of_work

    with opened_store(args) as store:
        if args.url or args.drop:
            value = args.url or str(args.drop.resolve())
            try:
                check_target(value, desk_identity(store).env)
            except BadLinkTarget as exc:
                raise CliError(str(exc), 2) from exc
            with unit_of_work(store) as uow:  # audited and bound, as the window does it
                uow.tx.settings.put(LINK_SETTING, value, uow.now)
                uow.audit(default_actor(), "settings.exchange_link", with_bindings(
                    uow.tx, {"target": value}, ("settings", LINK_SETTING)))
        with store.read() as tx:
            current = tx.settings.get(LINK_SETTING)
    print(current or "(no exchange link set)")
    return 0


def _send(store: Any, link: Any) -> int:
    from app.services.margin_calls import sync

    async def go() -> Any:
        try:
            return await sync(store, link, ignore_schedule=True)
        finally:
            await link.aclose()

    report = _run(go())
    for key, delivery in report.outbox.sent.items():
        replay = " (already booked: stored answer)" if delivery.replayed else ""
        print(f"sent {key}: {delivery.status} {delivery.body.get('status', '')}{replay}")
    for key, error in report.outbox.failed.items():
        print(f"refused {key}: {error}", file=sys.stderr)
    for key, error in report.outbox.retrying.items():
        print(f"not delivered {key}: {error} (queued, will retry)", file=sys.stderr)
    for key, error in report.outbox.unverified.items():
        print(f"reply not verified {key}: {error} (nothing changed; queued, will retry)",
              file=sys.stderr)
    _print_inbound(report.inbound)
    if report.inbound_error:
        print(f"could not fetch from the exchange: {report.inbound_error}", file=sys.stderr)
    if report.outbox.retrying or report.outbox.unverified or report.inbound_error:
        return EXIT_UNREACHABLE
    if report.outbox.failed:
        return 2
    return EXIT_REJECTED if report.rejected else 0


def _print_inbound(results: list[Any]) -> None:
    for r in results:
        if r.ok:
            n = r.notice
            print(f"received {n.notice} {n.document_id} client {n.client_id}"
                  f" shortfall USD {n.shortfall_usd} (verified)")
        else:
            print(f"REJECTED {r.document_id or '?'}: {r.reason.value}: {r.detail}",
                  file=sys.stderr)


def cmd_push(args: argparse.Namespace) -> int:
    from app.exchange.push import queue_attestation, queue_signed_attestations
    from app.services.attestations import parse_att_id

    with opened_store(args) as store:
        link = _link(args, store)
        if args.id:
            keys = [queue_attestation(store, parse_att_id(args.id), actor=default_actor())]
        else:
            keys = queue_signed_attestations(store, actor=default_actor())
        for key in keys:
            print(f"queued {key}")
        return _send(store, link)


def cmd_outbox(args: argparse.Namespace) -> int:
    from app.documents.canonical import utc
    from app.exchange.outbox import pending, requeue_failed

    with opened_store(args) as store:
        if args.retry is not None:
            try:
                requeue_failed(store, args.retry, default_actor())
            except ValueError as exc:
                raise CliError(str(exc), 2) from exc
        if args.send:
            return _send(store, _link(args, store))
        items = pending(store)
    rows = [
        {"id": m.id, "key": m.idempotency_key, "kind": m.kind, "status": m.status,
         "attempts": m.attempts, "created_at": utc(m.created_at),
         "next_attempt_at": utc(m.next_attempt_at) if m.next_attempt_at else None,
         "last_error": m.last_error}
        for m in items
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print(f"{r['id']:>4} {r['status']:<8} tries={r['attempts']} {r['key']}"
                  f"{'  ' + str(r['last_error']) if r['last_error'] else ''}")
        if not rows:
            print("outbox empty: everything was delivered")
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from app.exchange.link import LinkError
    from app.services.margin_calls import pull

    with opened_store(args) as store:
        link = _link(args, store)

        async def go() -> Any:
            try:
                return await pull(store, link)
            finally:
                await link.aclose()

        try:
            results = _run(go())
        except LinkError as exc:
            raise CliError(f"could not reach the exchange: {exc}", EXIT_UNREACHABLE) from exc
    _print_inbound(results)
    if not results:
        print("nothing new from the exchange")
    return EXIT_REJECTED if any(not r.ok for r in results) else 0


# -- margin -----------------------------------------------------------------------------


def cmd_margin_list(args: argparse.Namespace) -> int:
    from app.documents.canonical import amount, utc
    from app.services.margin_calls import list_margin_call_rows

    with opened_store(args) as store:
        rows = list_margin_call_rows(store)
    items = [
        {"id": r.call_id, "client_id": r.client_id, "status": r.status.value,
         "shortfall_usd": amount(r.shortfall), "exposure_usd": amount(r.exposure),
         "ratio": None if r.ratio is None else amount(r.ratio),
         "deadline": utc(r.deadline), "past_liquidation": r.past_liquidation}
        for r in rows
    ]
    if args.json:
        print(json.dumps(items, indent=2))
    else:
        for i in items:
            flag = " LIQUIDATION" if i["past_liquidation"] else ""
            print(f"{i['id']:<10} {i['client_id']:<18} {i['status']:<13} "
                  f"USD {i['shortfall_usd']:>16} due {i['deadline']}{flag}")
        if not items:
            print("no margin calls")
    return 0


def cmd_margin_action(args: argparse.Namespace) -> int:
    from app.cli.signin_cmds import acting_officer
    from app.services import margin_calls as mc

    with opened_store(args) as store:
        acting_officer(args, store, args.officer)
        if args.margin_command == "ack":
            mc.acknowledge(store, args.call_id, officer=args.officer)
            print(f"{args.call_id} acknowledged")
        elif args.margin_command == "escalate":
            mc.escalate(store, args.call_id, officer=args.officer, note=args.note)
            print(f"{args.call_id} escalated")
        else:
            from app.cli.desk_cmds import require_fresh_prices

            require_fresh_prices(store, [mc.margin_call(store, args.call_id).client_id])
            from app.cli.desk_cmds import CliInteraction

            att = _run(mc.top_up(store, args.call_id, officer=args.officer,
                                 device_uri=args.device, interaction=CliInteraction()))
            print(att.id)
            print(f"attestation {att.id} prepared for the top-up and signed by its maker"
                  f" (prepared-by): another officer signs it (attest sign {att.id}),"
                  f" then: margin answer {args.call_id}", file=sys.stderr)
    return 0


def cmd_margin_answer(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction
    from app.cli.signin_cmds import acting_officer
    from app.services import margin_calls as mc

    with opened_store(args) as store:
        acting_officer(args, store, args.officer)
        link = _link(args, store)
        key = _run(mc.answer_top_up(store, args.call_id, officer=args.officer,
                                    device_uri=args.device, interaction=CliInteraction()))
        print(f"queued {key}")
        return _send(store, link)


def cmd_margin_waterfall(args: argparse.Namespace) -> int:
    from app.services import margin_calls as mc

    with opened_store(args) as store:
        plan = mc.plan(store, args.call_id)
    print(f"liquidation plan for {plan.client_id}: raise USD {plan.shortfall_usd}")
    for line in plan.lines:
        print(f"  {line.describe()}")
    if not plan.fully_covered:
        print(f"  NOT COVERED by the pre-authorised path: USD {plan.uncovered_usd}")
    return 0


def cmd_margin_liquidate(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction
    from app.cli.signin_cmds import acting_officer
    from app.services import margin_calls as mc

    with opened_store(args) as store:
        acting_officer(args, store, args.officer)
        link = _link(args, store)
        instruction = _run(mc.sign_liquidation(store, args.call_id, args.officer, args.device,
                                               CliInteraction()))
        print(f"signed {instruction}")
        return _send(store, link)


# -- reconcile --------------------------------------------------------------------------


def cmd_reconcile(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction
    from app.services import reconciliation as rc

    if bool(args.officer) != bool(args.device):
        raise CliError("--officer and --device go together")
    from app.cli.signin_cmds import acting_officer

    with opened_store(args) as store:
        if args.officer:
            acting_officer(args, store, args.officer)
        if args.run is not None:
            rec_id = args.run
        else:
            link = _link(args, store)
            tolerance = rc.Tolerance(quantity=args.tolerance_qty, usd=args.tolerance_usd)

            async def go() -> Any:
                try:
                    if args.if_due:
                        return await rc.run_if_due(store, link, actor=default_actor(),
                                                   tolerance=tolerance)
                    return await rc.reconcile(store, link, actor=default_actor(),
                                              tolerance=tolerance)
                finally:
                    await link.aclose()

            run = _run(go())
            if run is None:
                print("nothing due: this schedule slot has run")
                return 0
            rec_id = run.id
            print(f"reconciliation {run.id}: {run.status}, {run.break_count} break(s)"
                  f"{' - ' + str(run.report.get('error')) if run.report.get('error') else ''}")
            for b in run.report["breaks"]:
                print(f"  {b['client_id']:<18} {b['kind']:<20} {b['asset'] or '':<6}"
                      f" desk={b['desk_amount']} exchange={b['exchange_amount']}")
            if args.officer:
                doc = _run(rc.sign_report(store, run.id, officer=args.officer,
                                          device_uri=args.device, interaction=CliInteraction()))
                print(f"signed: {doc.statement}")
                from app.cli.desk_cmds import report_anchor

                report_anchor(store, f"reconciliation {run.id}'s signed report",
                              "reconciliation.sign", "id", run.id)
        if args.export_json:
            _write(args.export_json, rc.export_json(store, rec_id))
            print(f"wrote {args.export_json}")
        if args.export_csv:
            _write(args.export_csv, rc.export_csv(store, rec_id).encode("utf-8"))
            print(f"wrote {args.export_csv}")
        status = next(r.status for r in rc.runs(store) if r.id == rec_id)
    return 0 if status == "clean" else EXIT_REJECTED


