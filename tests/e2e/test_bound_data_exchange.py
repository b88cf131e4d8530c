"""Margin calls, liquidation instructions, reconciliations and the exchange link's
inbox and outbox are bound to the audit chain too (issue 15, case 3): an edited row
fails ``custody-desk audit verify`` by table and row, on SQLite and on PostgreSQL
(the same desk moved there with ``store migrate``).

One desk against the exchange simulator: a price shock brings a margin call and
its liquidation notice (both in the inbox as received), bob signs the yield-first
instruction on his emulator (queued in the outbox, delivered, the exchange's signed
receipt stored with it), and a reconciliation runs and is signed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from bound_cases import Copies
from test_exchange_support import open_desk

from app.cli.desk_cmds import CliInteraction
from app.exchange.push import queue_attestation
from app.paths import store_path
from app.services import margin_calls as mc
from app.services import reconciliation as rc
from app.services.signin import SigninService
from signing.emulator.main import RunningEmulator

CASES = [
    ("UPDATE margin_calls SET shortfall_usd = '1.00'", "margin_calls row (external_id="),
    ("UPDATE margin_calls SET deadline = '2099-01-01T00:00:00.000000Z'",
     "margin_calls row (external_id="),
    # the queue officers work: a call marked resolved (or its history rewritten) is named
    ("UPDATE margin_calls SET status = 'resolved', resolution = 'top_up'",
     "margin_calls row (external_id="),
    ("UPDATE margin_calls SET history_json = '[]'", "margin_calls row (external_id="),
    ("UPDATE liquidation_instructions SET lines_json = replace(lines_json, '\"', ' \"')",
     "liquidation_instructions row (public_id=li-"),
    ("UPDATE reconciliations SET break_count = break_count + 3",
     "reconciliations row (id=1): edited"),
    ("UPDATE reconciliations SET document_json = replace(document_json, 'breaks', 'brakes')",
     "reconciliations row (id=1): edited"),
    ("DELETE FROM reconciliations", "reconciliations row (id=1): deleted"),
    ("UPDATE liquidation_instructions SET status = 'cancelled'",
     "liquidation_instructions row (public_id=li-"),
    ("UPDATE liquidation_instructions SET signature = 'forged'",
     "liquidation_instructions row (public_id=li-"),
    ("UPDATE inbox SET body = replace(body, '\"', ' \"') WHERE id = 1",
     "inbox row (id=1): edited"),
    ("DELETE FROM inbox WHERE id = 2", "inbox row (id=2): deleted"),
    ("UPDATE outbox SET payload = replace(payload, '\"', ' \"')", "outbox row (id=1): edited"),
    ("UPDATE outbox SET status = 'pending', sent_at = NULL WHERE status = 'sent'",
     "outbox row (id="),
    ("UPDATE outbox SET response = replace(response, 'receipt', 'receipT') "
     "WHERE response IS NOT NULL", "outbox row (id="),
    ("UPDATE outbox SET destination = 'attacker'", "outbox row (id=1): edited"),
    # the feed cursor moved ahead: the desk would skip the exchange's next documents
    ("UPDATE settings SET value = '999999' WHERE key = 'exchange.inbox_cursor'",
     "settings row (key=exchange.inbox_cursor): edited"),
]


def test_edited_exchange_rows_are_named(
    tmp_path: Path, devices: dict[str, RunningEmulator], backend: str,
    request: pytest.FixtureRequest,
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
            return store_path(desk.path)

    path = asyncio.run(flow())
    db = sqlite3.connect(path)
    try:  # the desk has documents received and a message delivered with its receipt
        assert db.execute("SELECT COUNT(*) FROM inbox").fetchone()[0] == 2
        assert db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND response "
                          "LIKE '%receipt%'").fetchone()[0] >= 1
    finally:
        db.close()
    copies = Copies(backend, path, tmp_path, request)
    with copies.fresh() as desk:
        code, out, _ = desk.run("audit", "verify")
        assert code == 0, out
    for sql, named in CASES:
        with copies.fresh() as desk:
            assert desk.sql(sql) >= 1, sql
            line = desk.data_failure()
            assert named in line, (sql, line)
