"""Reconciliation end to end: desk's attested positions vs the simulator's signed ledger,
the signed report, JSON and CSV exports, a forged ledger recorded as a failed run,
and a schedule slot that runs once."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from test_exchange_support import open_desk

from app.cli.desk_cmds import CliInteraction
from app.documents.envelope import parse_document
from app.documents.verify import VerifyContext, verify_document
from app.exchange.push import queue_attestation
from app.services import margin_calls as mc
from app.services import reconciliation as rc
from app.services.officers import keys_file
from signing.emulator.main import RunningEmulator

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


def test_reconcile_clean_then_breaks_signed_and_exported(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            link = desk.link()
            for client in ("alnoor-quant", "palm-harbour"):
                queue_attestation(desk.store, await desk.attest(client), actor="test")
            assert (await mc.sync(desk.store, link)).outbox.clean

            clean = await rc.reconcile(desk.store, link, actor="test")
            assert clean.status == "clean" and clean.break_count == 0
            assert clean.report["clients_compared"] == 2

            # the exchange's books drift: a quantity changes, a client is unknown to it
            with desk.sim.lock:
                desk.sim.accounts["palm-harbour"].positions["BTC"] = Decimal("299.5")
                desk.sim.accounts.pop("alnoor-quant")
            run = await rc.reconcile(desk.store, link, actor="test")
            assert run.status == "breaks"
            kinds = {(b["client_id"], b["kind"]) for b in run.report["breaks"]}
            assert kinds == {("alnoor-quant", "missing_at_exchange"),
                             ("palm-harbour", "quantity")}

            doc = await rc.sign_report(desk.store, run.id, officer="bob",
                                       device_uri=devices["bob"].trezor_uri,
                                       interaction=CliInteraction())
            exported = parse_document(rc.export_json(desk.store, run.id))
            assert exported.statement == doc.statement
            ctx = VerifyContext(keys=keys_file(desk.store), env="test",
                                now=datetime.now(UTC), exchange_id="EXCH-DEMO")
            assert verify_document(exported, ctx).ok
            rows = list(csv.DictReader(io.StringIO(rc.export_csv(desk.store, run.id))))
            assert {(r["client_id"], r["kind"]) for r in rows} == kinds
            qty = next(r for r in rows if r["kind"] == "quantity")
            assert (qty["desk"], qty["exchange"], qty["difference"]) == (
                "300", "299.5", "-0.5")
            # the signed report goes to the exchange through the outbox
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean and len(report.outbox.sent) == 1
            with pytest.raises(rc.ReconciliationError, match="already signed"):
                await rc.sign_report(desk.store, run.id, officer="bob",
                                     device_uri=devices["bob"].trezor_uri,
                                     interaction=CliInteraction())

    asyncio.run(flow())


def test_forged_ledger_is_a_failed_run_and_slots_run_once(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    class ForgingLink:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        async def fetch_ledger(self) -> bytes:
            data: bytes = await self.inner.fetch_ledger()  # type: ignore[attr-defined]
            doc = json.loads(data)
            doc["body"]["as_of"] = "2020-01-01T00:00:00Z"  # any edit breaks the binding
            return json.dumps(doc).encode()

    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            link = desk.link()
            run = await rc.reconcile(desk.store, ForgingLink(link), actor="test")  # type: ignore[arg-type]
            assert run.status == "failed" and "mismatch" in run.report["error"]
            now = datetime.now(UTC)
            first = await rc.run_if_due(desk.store, link, actor="sched", clock=lambda: now)
            assert first is not None and first.slot == rc.current_slot(now, rc.DEFAULT_TIMES)
            assert await rc.run_if_due(desk.store, link, actor="sched", clock=lambda: now) is None
            assert [r.status for r in rc.runs(desk.store)] == ["failed", "clean"]

            class ReplayLink:  # an old, genuinely signed ledger played back
                async def fetch_ledger(self) -> bytes:
                    return old

            old: bytes = desk.sim.ledger()
            assert (await rc.reconcile(desk.store, link, actor="test")).status == "clean"
            replayed = await rc.reconcile(desk.store, ReplayLink(), actor="test")  # type: ignore[arg-type]
            assert replayed.status == "failed" and "replay" in replayed.report["error"]

    asyncio.run(flow())
