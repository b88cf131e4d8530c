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
from app.documents.keys import key_id_for
from app.documents.verify import VerifyContext, verify_document
from app.domain.attestation import MAKER_CHECKER_FORMAT
from app.domain.snapshot import format_utc
from app.exchange.inbound import InboundAccepted
from app.exchange.push import queue_attestation
from app.services import margin_calls as mc
from app.services.attestations import AttestationService, MakerCannotApprove
from app.services.holdings import HoldingsService
from app.services.officers import desk_repo, keys_file
from app.services.signin import SigninService
from app.store.interface import Store
from signing.emulator.main import RunningEmulator
from signing.errors import WrongDevice


def officer_pubkey(store: Store, name: str) -> bytes:
    with store.read() as tx:
        officer = desk_repo(tx).officer_by_name(name)
    assert officer is not None
    return officer.pubkey

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


def test_margin_call_resolved_by_top_up(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BTC:-10%:3600s",
                             exposures={"palm-harbour": Decimal("44000000.00")}) as desk:
            alice_uri = devices["alice"].trezor_uri
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
                await mc.top_up(desk.store, row.call_id, officer="alice",
                                device_uri=alice_uri, interaction=CliInteraction())
            after_call = format_utc(datetime.now(UTC) + timedelta(minutes=1))
            # a deposit too small: 5 BTC at 87,300 x 80% = 349,200 < 1,048,000
            HoldingsService(desk.store).import_snapshot(
                HoldingsService(desk.store).parse(snapshot_with(
                    {"palm-harbour": {"positions": [{"asset": "BTC", "quantity": "305"}]}},
                    {"BTC": "87300.00"}, after_call)),
                actor="test")
            with pytest.raises(mc.MarginCallServiceError, match=r"adds USD 349,200\.00"):
                await mc.top_up(desk.store, row.call_id, officer="alice",
                                device_uri=alice_uri, interaction=CliInteraction())
            # the client moves 30 more BTC into custody; the desk sees it in a new snapshot
            HoldingsService(desk.store).import_snapshot(
                HoldingsService(desk.store).parse(snapshot_with(
                    {"palm-harbour": {"positions": [{"asset": "BTC", "quantity": "330"}]}},
                    {"BTC": "87300.00"},
                    format_utc(datetime.now(UTC) + timedelta(minutes=2)))),
                actor="test")
            # the maker's own device signs the top-up attestation: another device is refused
            # before it signs, and nothing awaits approval; the call is untouched
            before = AttestationService(desk.store).attestations()
            with pytest.raises(WrongDevice):
                await mc.top_up(desk.store, row.call_id, officer="alice",
                                device_uri=devices["bob"].trezor_uri,
                                interaction=CliInteraction())
            assert [a for a in AttestationService(desk.store).attestations()
                    if a.status == "awaiting_approval"] == [
                        a for a in before if a.status == "awaiting_approval"]
            assert mc.margin_call(desk.store, row.call_id).status == "received"
            top = await mc.top_up(desk.store, row.call_id, officer="alice",
                                  device_uri=alice_uri, interaction=CliInteraction())
            assert top.status == "awaiting_approval"
            assert top.tree["format"] == MAKER_CHECKER_FORMAT  # CDESK-ATTEST/3, prepared-by
            assert top.statement.startswith("CDESK-ATTEST/3 ")
            # maker == checker is refused: alice cannot approve what she prepared
            with pytest.raises(MakerCannotApprove):
                await AttestationService(desk.store).approve_and_sign(
                    top.id, "alice", alice_uri, CliInteraction())
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
            # the bundle sent names both officers, and verifies offline against the keys file
            bundle = AttestationService(desk.store).export_bundle(top.id)
            bob_id, alice_id = (key_id_for(officer_pubkey(desk.store, n)) for n in ("bob", "alice"))
            assert [s.key_id for s in bundle.signatures] == [bob_id, alice_id]
            report = verify_document(bundle, VerifyContext(keys=keys_file(desk.store), env="test",
                                                           now=datetime.now(UTC)))
            assert report.ok, report.lines()
            assert (f"OK   maker-checker: prepared by alice ({alice_id}), approved by bob "
                    f"({bob_id})") in report.lines()
            [row] = mc.list_margin_call_rows(desk.store)
            assert row.status == "topped_up"
            [call] = desk.sim.accounts_json()["calls"]
            assert call["status"] == "resolved"
            assert all(n == 1 for n in desk.sim.stats()["bookings_per_key"].values())

    asyncio.run(flow())


def test_a_format_2_top_up_from_before_this_change_is_still_answered_and_verifies(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    """A top-up attestation a desk prepared before top-ups were format 3 (no maker
    signature, as ``AttestationService.prepare`` without a device still makes) is
    approved, answered and sent as before, and its bundle verifies as format 2."""
    from app.exchange.call_records import domain_of, get_call, save_call
    from app.services.unit_of_work import unit_of_work

    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BTC:-10%:3600s",
                             exposures={"palm-harbour": Decimal("44000000.00")}) as desk:
            link = desk.link()
            queue_attestation(desk.store, await desk.attest("palm-harbour"), actor="test")
            await mc.sync(desk.store, link)
            desk.sim.advance(3600)
            await mc.sync(desk.store, link)
            [row] = mc.list_margin_call_rows(desk.store)
            HoldingsService(desk.store).import_snapshot(
                HoldingsService(desk.store).parse(snapshot_with(
                    {"palm-harbour": {"positions": [{"asset": "BTC", "quantity": "330"}]}},
                    {"BTC": "87300.00"},
                    format_utc(datetime.now(UTC) + timedelta(minutes=1)))),
                actor="test")
            mc.acknowledge(desk.store, row.call_id, officer="alice")
            old = AttestationService(desk.store).prepare(["palm-harbour"], "alice")
            assert old.statement.startswith("CDESK-ATTEST/2 ")
            with unit_of_work(desk.store) as uow:  # as the old top_up linked it
                save_call(uow, domain_of(get_call(uow, row.call_id)),
                          top_up_attestation_id=old.id)
            await AttestationService(desk.store).approve_and_sign(
                old.id, "bob", devices["bob"].trezor_uri, CliInteraction())
            await mc.answer_top_up(desk.store, row.call_id, officer="bob",
                                   device_uri=devices["bob"].trezor_uri,
                                   interaction=CliInteraction())
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean and len(report.outbox.sent) == 2
            assert mc.list_margin_call_rows(desk.store)[0].status == "topped_up"
            bundle = AttestationService(desk.store).export_bundle(old.id)
            assert len(bundle.signatures) == 1
            verdict = verify_document(bundle, VerifyContext(
                keys=keys_file(desk.store), env="test", now=datetime.now(UTC)))
            assert verdict.ok, verdict.lines()
            assert any("bundle format 2 carries no maker signature" in line
                       for line in verdict.lines())

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
