"""A small desk for the contract suite: a store, a maker and a checker officer.

The maker ("alice") signs on her own Trezor emulator (another test seed); the
checker ("bob") is registered on the device under test, so the attestation
service's ``approve_and_sign`` runs through the driver being checked.
TEST ONLY seeds.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import TracebackType

from signin_support import sign_in_all

from app.services.attestations import AttestationService
from app.services.audit import AuditService
from app.services.holdings import HoldingsService
from app.services.officers import register_officer
from app.store import open_store
from app.store.repo_desk import AttestationRecord
from signing.emulator.main import start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON
from signing.interface import NullInteraction

OFFICER_PATH = "m/44'/0'/0'/0/0"
CLIENT = "alnoor-quant"


class Desk:
    def __init__(self, data_dir: Path, *, checker_uri: str, snapshot: Path) -> None:
        self.checker_uri = checker_uri
        self.maker_device = start_emulator(
            trezor_port=0, coldcard_socket=None, mnemonic=TEST_MNEMONIC_ABANDON, name="alice"
        )
        self.store = open_store(data_dir / "desk.sqlite3")
        HoldingsService(self.store).import_file(snapshot, "test")
        for name, uri in (("alice", self.maker_device.trezor_uri), ("bob", checker_uri)):
            asyncio.run(
                register_officer(
                    self.store, name, "officer", uri, OFFICER_PATH,
                    interaction=NullInteraction(), actor="test",
                )
            )  # fmt: skip
        # both on duty: bob signs in through the driver under test
        sign_in_all(self.store, {"alice": self.maker_device.trezor_uri, "bob": checker_uri})
        self.service = AttestationService(self.store)

    def prepare(self) -> int:
        return self.service.prepare([CLIENT], "alice").id

    async def approve(self, att_id: int) -> AttestationRecord:
        return await self.service.approve_and_sign(
            att_id, "bob", self.checker_uri, NullInteraction()
        )

    def record(self, att_id: int) -> AttestationRecord:
        return self.service.detail(att_id).record

    def audit_actions(self, att_id: int) -> list[str]:
        """The audit actions that name ``att_id``, in log order."""
        actions = []
        for row in AuditService(self.store).entries():
            payload = json.loads(row.payload)
            if isinstance(payload, dict) and payload.get("attestation_id") == att_id:
                actions.append(row.action)
        return actions

    def signature_entries(self) -> list[str]:
        """Every audit entry that records a signature (of any attestation), as payload text."""
        rows = AuditService(self.store).entries()
        return [row.payload for row in rows if row.action == "attestation.sign"]

    def close(self) -> None:
        self.store.close()
        self.maker_device.stop()

    def __enter__(self) -> Desk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
