"""Officer-signed checkpoints go out with every push and reconciliation (issue 17, item 4).

Approving an attestation (and signing a reconciliation report) ends with the same
officer's device signing ``CDESK-CHECKPOINT/1`` over the trail that now holds the
act; every delivery carries the newest signed checkpoint (``Audit-Checkpoint``);
the exchange simulator keeps only checkpoints that verify against the registered
officer keys and exports them (``GET /v1/audit-checkpoints``). A trail rewritten
and re-hashed after the push is caught by ``audit verify --against`` that file.
A push whose approval no signed checkpoint covers is refused.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
from officer_desk import PATH
from signin_support import sign_in_async
from test_audit_anchored import rewrite_trail
from test_exchange_support import open_desk

from app.cli.desk_cmds import CliInteraction
from app.cli.main import main
from app.documents.envelope import Kind, SignatureEntry, parse_document
from app.documents.keys import key_id_for
from app.exchange.drop_folder import DropFolderLink
from app.exchange.link import checkpoint_header
from app.exchange.outbox import exchange_repo, flush
from app.exchange.push import queue_attestation
from app.paths import store_path
from app.services import margin_calls as mc
from app.services import reconciliation as rc
from app.services.attestations import AttestationService
from app.services.audit import AuditService
from app.services.audit_anchor import anchors_in, verify_against
from app.services.audit_checkpoints import (
    AuditCheckpointService,
    Unanchored,
    act_seq,
    covering_checkpoint,
)
from app.services.officers import desk_repo, revoke_key
from app.store import open_store
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL
from signing.errors import UserRejected
from signing.interface import Interaction, Signer
from signing.registry import open_signer


def _verify_cli(path: Path, *files: Path) -> int:
    argv = ["--store", f"sqlite:///{path}", "audit", "verify"]
    for file in files:
        argv += ["--against", str(file)]
    return main(argv)


def test_every_push_carries_an_officer_signed_checkpoint_the_exchange_keeps(
    tmp_path: Path, devices: dict[str, RunningEmulator], capsys: pytest.CaptureFixture[str]
) -> None:
    async def flow() -> tuple[Path, dict[str, object], dict[str, object], str]:
        async with open_desk(tmp_path, devices) as desk:
            att = await desk.attest("alnoor-quant")  # bob approves: his device signs both
            with desk.store.read() as tx:
                seq = act_seq(tx, "attestation.sign", "attestation_id", att)
                assert seq is not None
                covering = covering_checkpoint(tx, seq, env="test")
                bob = desk_repo(tx).officer_by_name("bob")
            assert covering is not None and covering.signer == key_id_for(bob.pubkey)
            queue_attestation(desk.store, att, actor="test")
            report = await mc.sync(desk.store, desk.link())
            assert report.outbox.clean and len(report.outbox.sent) == 1
            with desk.store.read() as tx:
                [sent] = [m for m in exchange_repo(tx).outbox() if m.status == "sent"]
            assert sent.response is not None
            kept = desk.sim.audit_checkpoints_json()
            return store_path(desk.path), kept, sent.response, covering.root_hash

    path, kept, answer, root = asyncio.run(flow())
    [doc_json] = kept["audit_checkpoints"]  # type: ignore[index]
    assert doc_json["kind"] == "audit_checkpoint" and doc_json["body"]["root"] == root
    assert doc_json["statement"].startswith("CDESK-CHECKPOINT/1 ")
    # the exchange's signed receipt says it kept it
    assert answer["audit_checkpoint"] == {  # type: ignore[comparison-overlap]
        "kept": True, "size": doc_json["body"]["size"], "root": root,
        "signer_key_ids": doc_json["body"]["signer_key_ids"]}
    held = tmp_path / "exchange-checkpoints.json"
    held.write_text(json.dumps(kept))
    assert _verify_cli(path, held) == 0
    out = capsys.readouterr().out
    assert "ok   anchor exchange-checkpoints.json[0] (signed checkpoint): the trail extends it" \
        in out and "signed by bob (k-" in out

    # after the push: the approval's entry and the desk's own signed checkpoints (with
    # their entries) dropped, every hash recomputed
    rewrite_trail(path, {"attestation.signing", "audit.checkpoint", "audit.checkpoint_sign"})
    store = open_store(path)
    try:
        assert AuditService(store).verify().ok  # the desk's own checks are fooled
    finally:
        store.close()
    assert _verify_cli(path, held) == 1
    out = capsys.readouterr().out
    assert "FAIL anchor exchange-checkpoints.json[0] (signed checkpoint): " in out
    assert "rewritten after it was shared" in out


def _forged(doc_bytes: bytes) -> list[str]:
    """The same checkpoint signed by an unregistered key, and one with its root changed."""
    doc = parse_document(doc_bytes)
    stranger = SoftHsm(TEST_MNEMONIC_LEGAL)
    key = stranger.get_public_key(PATH)
    made = stranger.sign_message(PATH, doc.statement)
    resigned = type(doc)(kind=doc.kind, statement=doc.statement,
                         body={**doc.body, "signer_key_ids": [key_id_for(key.pubkey)]},
                         signatures=(SignatureEntry(key_id_for(key.pubkey), "custodian",
                                                    made.signature),))
    edited = json.loads(doc_bytes)
    edited["body"]["root"] = "0" * 64
    return [checkpoint_header(resigned.to_bytes()),
            base64.urlsafe_b64encode(json.dumps(edited).encode()).decode()]


def test_the_simulator_keeps_only_checkpoints_signed_by_a_registered_officer(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            await desk.attest("alnoor-quant")
            genuine = AuditCheckpointService(desk.store).export_newest()
            assert genuine is not None
            sim = desk.sim
            for n, header in enumerate([*_forged(genuine.to_bytes()), "%%not base64%%"]):
                _status, answer, _ = sim.post("/v1/reconciliations", f"k{n}", b"{}",
                                              audit_checkpoint=header)
                receipt = parse_document(answer["receipt"].encode())
                said = receipt.body["answer"]["audit_checkpoint"]
                assert said["kept"] is False and said["detail"], said
            assert sim.audit_checkpoints_json() == {"audit_checkpoints": []}
            sim.post("/v1/reconciliations", "k-ok", b"{}",
                     audit_checkpoint=checkpoint_header(genuine.to_bytes()))
            assert len(sim.audit_checkpoints_json()["audit_checkpoints"]) == 1

    asyncio.run(flow())


class _RefusesCheckpoints:
    """A device whose officer signs the attestation but refuses the checkpoint."""

    def __init__(self, inner: Signer) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def sign_message(self, path: str, text: str) -> object:
        if text.startswith("CDESK-CHECKPOINT/"):
            raise UserRejected("the officer refused the checkpoint on the device")
        return self._inner.sign_message(path, text)


def _refusing(uri: str) -> Signer:
    return _RefusesCheckpoints(open_signer(uri))  # type: ignore[return-value]


def test_a_push_no_signed_checkpoint_covers_is_refused_until_one_is_signed(
    tmp_path: Path, devices: dict[str, RunningEmulator], capsys: pytest.CaptureFixture[str]
) -> None:
    interaction: Interaction = CliInteraction()

    async def flow() -> Path:
        async with open_desk(tmp_path, devices) as desk:
            service = AttestationService(desk.store, signer_factory=_refusing)
            rec = service.prepare(["alnoor-quant"], "alice")
            signed = await service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                                    interaction)
            assert signed.status == "signed"  # the approval stands
            with desk.store.read() as tx:
                assert [c for c in tx.audit.checkpoints() if c.signature] == []
            with pytest.raises(Unanchored, match=r"covered by no officer-signed audit "
                               r"checkpoint that still counts.*audit sign-checkpoint "
                               r"--officer NAME"):
                queue_attestation(desk.store, rec.id, actor="test")
            with desk.store.read() as tx:
                assert exchange_repo(tx).outbox() == []  # nothing queued
            return store_path(desk.path)

    path = asyncio.run(flow())
    drop = tmp_path / "drop"
    drop.mkdir()
    # the CLI says the same, exit 2, and nothing reaches the drop folder
    capsys.readouterr()
    assert main(["--store", f"sqlite:///{path}", "push", "--exchange", str(drop)]) == 2
    assert "covered by no officer-signed audit checkpoint" in capsys.readouterr().err
    assert list(drop.rglob("*.json")) == []

    async def sign_then_push() -> None:
        store = SqliteStore(path)
        try:
            await sign_in_async(store, "bob", devices["bob"].trezor_uri)
            row = await AuditCheckpointService(store).sign_head(
                "bob", devices["bob"].trezor_uri, interaction)
            assert row.signature is not None
            queue_attestation(store, 1, actor="test")
            await flush(store, DropFolderLink(drop))
        finally:
            store.close()

    asyncio.run(sign_then_push())
    [sent] = drop.glob("out/*.json")
    [carried] = drop.glob("out/audit-checkpoints/*.json")
    assert carried.name == sent.name and (carried.stat().st_mode & 0o777) == 0o600
    assert parse_document(carried.read_bytes()).kind is Kind.AUDIT_CHECKPOINT


def test_a_checkpoint_whose_signer_was_revoked_since_anchors_nothing(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            att = await desk.attest("alnoor-quant")  # bob approved and signed the checkpoint
            with desk.store.read() as tx:
                bob = desk_repo(tx).officer_by_name("bob")
            assert bob is not None
            revoke_key(desk.store, key_id_for(bob.pubkey), actor="test")
            assert AuditCheckpointService(desk.store).export_newest() is None  # never sent
            with pytest.raises(Unanchored, match="that still counts"):
                queue_attestation(desk.store, att, actor="test")
            # alice signs the trail as it is now: the approval is anchored again
            await AuditCheckpointService(desk.store).sign_head(
                "alice", devices["alice"].trezor_uri, CliInteraction())
            queue_attestation(desk.store, att, actor="test")
            newest = AuditCheckpointService(desk.store).export_newest()
            with desk.store.read() as tx:
                alice = desk_repo(tx).officer_by_name("alice")
            assert newest is not None and alice is not None
            assert newest.signatures[0].key_id == key_id_for(alice.pubkey)

    asyncio.run(flow())


def test_a_signed_reconciliation_report_goes_out_with_a_checkpoint_covering_it(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            queue_attestation(desk.store, await desk.attest("alnoor-quant"), actor="test")
            link = desk.link()
            await mc.sync(desk.store, link)
            run = await rc.reconcile(desk.store, link, actor="test")
            await rc.sign_report(desk.store, run.id, officer="alice",
                                 device_uri=devices["alice"].trezor_uri,
                                 interaction=CliInteraction())
            with desk.store.read() as tx:
                seq = act_seq(tx, "reconciliation.sign", "id", run.id)
                assert seq is not None
                covering = covering_checkpoint(tx, seq, env="test")
                alice = desk_repo(tx).officer_by_name("alice")
            assert covering is not None and covering.signer == key_id_for(alice.pubkey)
            report = await mc.sync(desk.store, link)
            assert report.outbox.clean
            kept = desk.sim.audit_checkpoints_json()["audit_checkpoints"]
            assert [d["body"]["root"] for d in kept][-1] == covering.root_hash
            anchors = anchors_in(json.dumps({"audit_checkpoints": kept}).encode(), "held")
            assert all(c.ok for c in verify_against(desk.store, anchors))
            assert Kind.AUDIT_CHECKPOINT.value == kept[-1]["kind"]

    asyncio.run(flow())
