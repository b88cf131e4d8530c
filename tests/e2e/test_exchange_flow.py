"""End to end against the exchange simulator on loopback.

attest -> credit line booked -> price shock -> margin call arrives, verified ->
top-up attestation -> resolved; and the liquidation path with the yield-first
waterfall signed on the officer's (emulated) device.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from test_exchange_support import open_desk, snapshot_with

from app.cli.desk_cmds import CliInteraction
from app.domain.snapshot import format_utc
from app.exchange.inbound import InboundAccepted
from app.exchange.push import queue_attestation
from app.services import margin_calls as mc
from app.services.attestations import AttestationService
from app.services.holdings import HoldingsService
from app.services.signin import SigninService
from signing.emulator.main import RunningEmulator


def test_margin_call_resolved_by_top_up(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BTC:-10%:3600s",
                             exposures={"palm-harbour": Decimal("44000000.00")}) as desk:
            link = desk.link()
            att = await desk.attest("palm-harbour")
            queue_attestation(desk.store, att, actor="test")
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean and len(report.outbox.sent) == 1
            [booked] = desk.sim.accounts_json()["accounts"]
            # 300 BTC x 97,000 x 80% = 23,280,000 collateral -> 46,560,000 line (2x)
            assert booked["credit_line_usd"] == "46560000.00"
            assert AttestationService(desk.store).detail(att).record.status == "sent"
            assert mc.margin_calls(desk.store) == []

            desk.sim.advance(3600)  # BTC -10%: ratio 20,952,000 / 44,000,000 < 0.5
            report = await mc.sync(desk.store, link)
            [accepted] = report.inbound
            assert isinstance(accepted, InboundAccepted)
            [row] = mc.list_margin_call_rows(desk.store)
            assert row.client_id == "palm-harbour" and row.status == "received"
            assert row.shortfall == Decimal("1048000.00") and not row.past_liquidation

            # no deposit yet: the desk's (older, higher) BTC price is no new collateral
            with pytest.raises(mc.MarginCallServiceError, match="no new collateral"):
                mc.top_up(desk.store, row.call_id, officer="alice")
            after_call = format_utc(datetime.now(UTC) + timedelta(minutes=1))
            # a deposit too small: 5 BTC at 87,300 x 80% = 349,200 < 1,048,000
            HoldingsService(desk.store).import_snapshot(
                HoldingsService(desk.store).parse(snapshot_with(
                    {"palm-harbour": {"positions": [{"asset": "BTC", "quantity": "305"}]}},
                    {"BTC": "87300.00"}, after_call)),
                actor="test")
            with pytest.raises(mc.MarginCallServiceError, match=r"adds USD 349,200\.00"):
                mc.top_up(desk.store, row.call_id, officer="alice")
            # the client moves 30 more BTC into custody; the desk sees it in a new snapshot
            HoldingsService(desk.store).import_snapshot(
                HoldingsService(desk.store).parse(snapshot_with(
                    {"palm-harbour": {"positions": [{"asset": "BTC", "quantity": "330"}]}},
                    {"BTC": "87300.00"},
                    format_utc(datetime.now(UTC) + timedelta(minutes=2)))),
                actor="test")
            top = mc.top_up(desk.store, row.call_id, officer="alice")
            with pytest.raises(mc.MarginCallServiceError, match="signed first"):
                await mc.answer_top_up(desk.store, row.call_id, officer="bob",
                                       device_uri=devices["bob"].trezor_uri,
                                       interaction=CliInteraction())
            await AttestationService(desk.store).approve_and_sign(
                top.id, "bob", devices["bob"].trezor_uri, CliInteraction())
            await mc.answer_top_up(desk.store, row.call_id, officer="bob",
                                   device_uri=devices["bob"].trezor_uri,
                                   interaction=CliInteraction())
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean and len(report.outbox.sent) == 2
            [row] = mc.list_margin_call_rows(desk.store)
            assert row.status == "topped_up"
            [call] = desk.sim.accounts_json()["calls"]
            assert call["status"] == "resolved"
            assert all(n == 1 for n in desk.sim.stats()["bookings_per_key"].values())

    asyncio.run(flow())


def test_liquidation_path_is_yield_first(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    # 03:00 UTC tomorrow: one day of BENJI yield is accrued, not yet distributed at 08:00
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    later = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 3, tzinfo=UTC)

    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BUIDL:-20%:60s",
                             exposures={"jumeirah-yield": Decimal("54000000.00")}) as desk:
            link = desk.link()
            att = await desk.attest("jumeirah-yield")
            queue_attestation(desk.store, att, actor="test")
            await mc.sync(desk.store, link)
            # 27,240,000 of collateral (the 2M locked BENJI count for nothing) / 54M: healthy;
            # BUIDL -20%: 23,360,000 / 54,000,000 < 0.45: call + notice
            desk.sim.advance(60)
            report = await mc.sync(desk.store, link)
            assert [r.ok for r in report.inbound] == [True, True]
            [row] = mc.list_margin_call_rows(desk.store)
            assert row.status == "escalated" and row.past_liquidation
            assert row.shortfall == Decimal("3640000.00")  # 27M - 23.36M

            lines = mc.waterfall_lines(desk.store, row.call_id, clock=lambda: later)
            assert lines[0].source == "accrued yield"
            assert lines[0].usd == Decimal("1369.86")  # 10M BENJI x 5% / 365, one day
            assert lines[1].source == "BENJI" and lines[-1].remaining_shortfall == 0

            # bob acts "tomorrow": he signs in then (a session lasts 8 hours)
            await SigninService(desk.store, clock=lambda: later).sign_in(
                "bob", devices["bob"].trezor_uri, CliInteraction())
            instruction = await mc.sign_liquidation(
                desk.store, row.call_id, "bob", devices["bob"].trezor_uri, CliInteraction(),
                clock=lambda: later)
            with pytest.raises(mc.MarginCallServiceError, match="already has an instruction"):
                await mc.sign_liquidation(desk.store, row.call_id, "bob",
                                          devices["bob"].trezor_uri, CliInteraction(),
                                          clock=lambda: later)
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean
            # selling collateral to pay the claim shrinks the line more than the claim
            # (docs/domain.md), so the exchange may well call again afterwards
            rows = {r.call_id: r for r in mc.list_margin_call_rows(desk.store)}
            assert rows[row.call_id].status == "liquidated"
            sim = desk.sim.accounts_json()
            call = next(c for c in sim["calls"] if c["id"] == row.call_id)
            assert call["status"] == "liquidated"
            [account] = sim["accounts"]
            assert account["exposure_usd"] == "50360000.00"  # 54M - 3.64M raised
            assert instruction == f"li-{row.call_id}"

    asyncio.run(flow())


def test_a_bad_document_in_the_feed_is_audited_once(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    from app.documents.envelope import SignatureEntry, parse_document
    from app.exchange.inbound import InboundRejected
    from app.services.audit import AuditService
    from signing.emulator.hsm import SoftHsm
    from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL

    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BTC:-10%:3600s",
                             exposures={"palm-harbour": Decimal("44000000.00")}) as desk:
            link = desk.link()
            queue_attestation(desk.store, await desk.attest("palm-harbour"), actor="test")
            await mc.sync(desk.store, link)
            desk.sim.advance(3600)
            [(seq, genuine)] = desk.sim.inbox(None)
            doc = parse_document(genuine)
            forged = doc.with_signature(SignatureEntry(
                doc.signatures[0].key_id, "exchange",
                SoftHsm(TEST_MNEMONIC_LEGAL).sign_message("m/44'/0'/0'/0/0",
                                                          doc.statement).signature))
            # a forged copy sits in the feed just before the genuine call
            desk.sim.documents[:] = [(seq, forged.to_bytes()), (seq + 1, genuine)]
            first = await mc.sync(desk.store, link)
            assert [type(r) for r in first.inbound] == [InboundRejected, InboundAccepted]
            again = await mc.sync(desk.store, link)
            assert again.inbound == []
            audited = AuditService(desk.store).entries(action="exchange.inbound_rejected")
            assert len(audited) == 1 and "bad_signature" in audited[0].payload
            assert len(mc.list_margin_call_rows(desk.store)) == 1

    asyncio.run(flow())


def test_a_lapsed_instruction_expires_the_call(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BUIDL:-20%:60s",
                             exposures={"jumeirah-yield": Decimal("54000000.00")}) as desk:
            link = desk.link()
            queue_attestation(desk.store, await desk.attest("jumeirah-yield"), actor="test")
            await mc.sync(desk.store, link)
            desk.sim.advance(60)
            await mc.sync(desk.store, link)
            [row] = mc.list_margin_call_rows(desk.store)
            # signed with a clock 25 hours behind: the instruction has already lapsed
            stale = datetime.now(UTC) - timedelta(hours=25)
            await mc.sign_liquidation(desk.store, row.call_id, "bob",
                                      devices["bob"].trezor_uri, CliInteraction(),
                                      clock=lambda: stale)
            report = await mc.sync(desk.store, link)
            [refusal] = report.outbox.failed.values()
            assert "expired" in refusal
            assert report.expired == [row.call_id]
            [row] = mc.list_margin_call_rows(desk.store)
            assert row.status == "expired"
            assert mc.expire_lapsed(desk.store) == []  # once

    asyncio.run(flow())
