"""Margin calls, liquidation instructions and reconciliations are bound to the audit
chain too (issue 15, case 3): an edited row fails ``audit verify`` by table and row.

One desk against the exchange simulator: a price shock brings a margin call and
its liquidation notice, bob signs the yield-first instruction on his emulator,
and a reconciliation runs and is signed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from test_exchange_support import open_desk

from app.cli.desk_cmds import CliInteraction
from app.exchange.push import queue_attestation
from app.services import margin_calls as mc
from app.services import reconciliation as rc
from app.services.audit import AuditService
from app.services.signin import SigninService
from app.store.sqlite_store import SqliteStore
from signing.emulator.main import RunningEmulator

CASES = [
    ("UPDATE margin_calls SET shortfall_usd = '1.00'", "margin_calls row (external_id="),
    ("UPDATE margin_calls SET deadline = '2099-01-01T00:00:00.000000Z'",
     "margin_calls row (external_id="),
    ("UPDATE liquidation_instructions SET lines_json = replace(lines_json, '\"', ' \"')",
     "liquidation_instructions row (public_id=li-"),
    ("UPDATE reconciliations SET break_count = break_count + 3",
     "reconciliations row (id=1): edited"),
    ("UPDATE reconciliations SET document_json = replace(document_json, 'breaks', 'brakes')",
     "reconciliations row (id=1): edited"),
    ("DELETE FROM reconciliations", "reconciliations row (id=1): deleted"),
]


def test_edited_exchange_rows_are_named(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    later = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 3, tzinfo=UTC)

    async def flow() -> Path:
        async with open_desk(tmp_path, devices, price_path="BUIDL:-20%:60s",
                             exposures={"jumeirah-yield": Decimal("54000000.00")}) as desk:
            link = desk.link()
            att = await desk.attest("jumeirah-yield")
            queue_attestation(desk.store, att, actor="test")
            await mc.sync(desk.store, link)
            desk.sim.advance(60)
            await mc.sync(desk.store, link)
            [row] = mc.list_margin_call_rows(desk.store)
            # bob acts "tomorrow": he signs in then (a session lasts 8 hours)
            await SigninService(desk.store, clock=lambda: later).sign_in(
                "bob", devices["bob"].trezor_uri, CliInteraction())
            await mc.sign_liquidation(desk.store, row.call_id, "bob",
                                      devices["bob"].trezor_uri, CliInteraction(),
                                      clock=lambda: later)
            record = await rc.reconcile(desk.store, link, actor="test")
            await rc.sign_report(desk.store, record.id, officer="alice",
                                 device_uri=devices["alice"].trezor_uri,
                                 interaction=CliInteraction(), send=False)
            return desk.path

    path = asyncio.run(flow())
    pristine = path.read_bytes()

    def data_check() -> tuple[bool, str]:
        store = SqliteStore(path)
        try:
            [check] = [c for c in AuditService(store).verify().checks if c.name == "data"]
        finally:
            store.close()
        return check.ok, check.detail

    ok, detail = data_check()
    assert ok, detail
    for sql, named in CASES:
        path.write_bytes(pristine)
        for extra in ("-wal", "-shm"):
            path.with_name(path.name + extra).unlink(missing_ok=True)
        db = sqlite3.connect(path, isolation_level=None)
        try:
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
                db.execute(f"DROP TRIGGER {name}")
            db.execute("PRAGMA foreign_keys = OFF")
            assert db.execute(sql).rowcount >= 1, sql
        finally:
            db.close()
        ok, detail = data_check()
        assert not ok and named in detail, (sql, detail)
