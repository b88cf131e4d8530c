"""The air-gapped desk: the same flow over a drop folder carried by a courier."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest
from test_exchange_support import open_desk

from app.exchange.drop_folder import DropFolderLink
from app.exchange.inbound import InboundRejected
from app.exchange.push import queue_attestation
from app.services import margin_calls as mc
from app.services import reconciliation as rc
from signing.emulator.main import RunningEmulator

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


def test_drop_folder_round_trip(tmp_path: Path, devices: dict[str, RunningEmulator]) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices, price_path="BTC:-10%:3600s",
                             exposures={"palm-harbour": Decimal("44000000.00")}) as desk:
            folder = tmp_path / "drop"
            link = DropFolderLink(folder)
            queue_attestation(desk.store, await desk.attest("palm-harbour"), actor="test")
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean
            # the courier carries out/ to the exchange, which books each file by its name
            for path in sorted((folder / "out").glob("*.json")):
                key = path.name.removesuffix(".json").replace("_", ":")
                status, _, _ = desk.sim.post("/v1/attestations", key, path.read_bytes())
                assert status == 201
            desk.sim.advance(3600)
            (folder / "in").mkdir()
            for seq, data in desk.sim.inbox(None):
                (folder / "in" / f"{seq:08d}.json").write_bytes(data)
            (folder / "in" / "ledger-0001.json").write_bytes(desk.sim.ledger())

            [accepted] = (await mc.sync(desk.store, link)).inbound
            assert accepted.ok and [r.call_id for r in mc.list_margin_call_rows(desk.store)] == [
                "mc-000001"]
            assert list((folder / "in" / "done").iterdir())  # dealt with, moved aside
            # the courier brings the same file again: rejected as a replay, nothing stored
            (folder / "in" / "again.json").write_bytes(desk.sim.inbox(None)[0][1])
            [again] = (await mc.sync(desk.store, link)).inbound
            assert isinstance(again, InboundRejected) and again.reason.value == "replay"
            assert len(mc.list_margin_call_rows(desk.store)) == 1

            run = await rc.reconcile(desk.store, link, actor="test")
            assert run.status == "clean"

    asyncio.run(flow())
