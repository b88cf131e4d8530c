"""Shared set-up of the exchange end-to-end tests: a desk store, two officers on
emulated devices, the exchange simulator on loopback (TEST keys only)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desk_stores import open_desk_store
from officer_desk import PATH, SNAPSHOT
from signin_support import sign_in_async

from app.cli.desk_cmds import CliInteraction
from app.documents.keys import Party, Role
from app.exchange.backoff import Backoff
from app.exchange.rest import RestLink
from app.exchange.sim.factory import make_sim
from app.exchange.sim.price_path import parse_price_path
from app.exchange.sim.server import RunningSim, start_sim
from app.services.attestations import AttestationService
from app.services.holdings import HoldingsService
from app.services.officers import add_party_key, keys_file, register_officer
from app.services.signin import OpenedSession, SigninService
from app.store.interface import Store
from signing.emulator.main import RunningEmulator


@dataclass
class Desk:
    store: Store
    path: Path  # the desk's data folder (its store on the test's backend)
    devices: dict[str, RunningEmulator]
    running: RunningSim
    links: list[RestLink] = field(default_factory=list)
    sessions: list[OpenedSession] = field(default_factory=list)

    @property
    def sim(self) -> Any:
        return self.running.sim

    def link(self, timeout_s: float = 2.0, attempts: int = 3) -> RestLink:
        """A REST link to the simulator, closed with the desk."""
        link = RestLink(self.running.url, timeout_s=timeout_s, max_attempts=attempts,
                        backoff=Backoff(base_s=0.01, cap_s=0.05))
        self.links.append(link)
        return link

    async def close(self) -> None:
        """Close the links, stop the simulator, close the store."""
        for link in self.links:
            await link.aclose()
        self.running.stop()
        self.store.close()

    async def attest(self, client_id: str) -> int:
        service = AttestationService(self.store)
        rec = service.prepare([client_id], "alice")
        await service.approve_and_sign(rec.id, "bob", self.devices["bob"].trezor_uri,
                                       CliInteraction())
        return rec.id

    def reopen(self) -> None:
        """A desk restart: close the store and open it again from disk."""
        self.store.close()
        self.store = open_desk_store(self.path)
        for opened in self.sessions:  # the officers' sessions outlive the restart
            SigninService(self.store).resume(opened.live.session_id, opened.secret)


def snapshot_with(changes: dict[str, dict[str, Any]], prices: dict[str, str],
                  as_of: str) -> bytes:
    """The demo snapshot with some clients' positions and some prices changed."""
    doc = json.loads(SNAPSHOT.read_text())
    doc["as_of"] = as_of
    doc["prices"].update(prices)
    for client in doc["clients"]:
        client.update(changes.get(client["id"], {}))
    return json.dumps(doc).encode()


async def make_desk(tmp: Path, devices: dict[str, RunningEmulator], *,
                    price_path: str | None = None,
                    exposures: dict[str, Decimal] | None = None) -> Desk:
    path = tmp / "desk"
    store = open_desk_store(path)
    HoldingsService(store).import_file(SNAPSHOT, actor="test")
    for name in ("alice", "bob"):
        await register_officer(store, name, "officer", devices[name].trezor_uri, PATH,
                               interaction=CliInteraction(), actor="test")
    # both on duty, each signed in on their own device
    sessions = [await sign_in_async(store, n, devices[n].trezor_uri) for n in ("alice", "bob")]
    keys_path = tmp / "keys.json"
    frozen = datetime.now(UTC)  # the sim's time moves only with sim.advance()
    sim = make_sim(keys_path,
                   price_paths=[parse_price_path(price_path)] if price_path else [],
                   exposures=exposures, clock=lambda: frozen)
    add_party_key(store, Party.EXCHANGE, sim.pubkey, sim.address, actor="test",
                  role=Role.EXCHANGE, name="exchange-sim", is_emulator=True)
    keys_path.write_bytes(keys_file(store).to_bytes())  # the sim's trust root
    running = start_sim(sim)
    return Desk(store, path, devices, running, sessions=sessions)


@asynccontextmanager
async def open_desk(tmp: Path, devices: dict[str, RunningEmulator], *,
                    price_path: str | None = None,
                    exposures: dict[str, Decimal] | None = None) -> AsyncIterator[Desk]:
    """:func:`make_desk`, closed (links, simulator, store) when the block ends."""
    desk = await make_desk(tmp, devices, price_path=price_path, exposures=exposures)
    try:
        yield desk
    finally:
        await desk.close()
