"""The regulator export (issues 17 and 13): who prepared and who approved each
attestation, reconciliation breaks, emergency orders with their shares and the
officer-signed checkpoints; ``audit verify --against`` the export catches a trail
rewritten after it was handed over."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from officer_desk import PATH
from test_audit_anchored import rewrite_trail
from test_exchange_support import open_desk

from app.cli.desk_cmds import CliInteraction
from app.cli.main import main
from app.documents.envelope import Document, SignatureEntry
from app.documents.keys import Party, key_id_for
from app.exchange.push import queue_attestation
from app.paths import store_path
from app.services import margin_calls as mc
from app.services import reconciliation as rc
from app.services.attestations import AttestationService
from app.services.audit import AuditService
from app.services.emergency import create_order, import_signed
from app.services.officers import add_party_key, desk_repo
from app.store import open_store
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL


def _share(doc: Document, hsm: SoftHsm, party: str) -> bytes:
    sig = hsm.sign_message(PATH, doc.statement)
    return doc.with_signature(SignatureEntry(key_id_for(sig.pubkey), party,
                                             sig.signature)).to_bytes()


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


@pytest.fixture
def exported(tmp_path: Path, devices: dict[str, RunningEmulator]) -> tuple[Path, Path, dict]:
    async def flow() -> tuple[Path, dict[str, str]]:
        async with open_desk(tmp_path, devices) as desk:
            service = AttestationService(desk.store)
            rec = await service.prepare_signed(["alnoor-quant"], "alice",
                                               devices["alice"].trezor_uri, CliInteraction())
            await service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                           CliInteraction())
            queue_attestation(desk.store, rec.id, actor="test")
            link = desk.link()
            await mc.sync(desk.store, link)
            run = await rc.reconcile(desk.store, link, actor="test")
            await rc.sign_report(desk.store, run.id, officer="alice",
                                 device_uri=devices["alice"].trezor_uri,
                                 interaction=CliInteraction())
            regulator = SoftHsm(TEST_MNEMONIC_LEGAL)  # (the simulator holds the "zoo" seed)
            key = regulator.get_public_key(PATH)
            add_party_key(desk.store, Party.REGULATOR, key.pubkey, key.address, actor="test",
                          is_emulator=True)
            order = create_order(desk.store, "alnoor-quant", "exchange unreachable",
                                 actor="test")
            import_signed(desk.store, _share(order, regulator, "regulator"), actor="test")
            with desk.store.read() as tx:
                repo = desk_repo(tx)
                ids = {n: key_id_for(repo.officer_by_name(n).pubkey)  # type: ignore[union-attr]
                       for n in ("alice", "bob")}
            return store_path(desk.path), ids

    path, ids = asyncio.run(flow())
    out = tmp_path / "vara"
    assert main(["--store", f"sqlite:///{path}", "regulator", "export", "--out", str(out)]) == 0
    return path, out, ids


def test_the_export_names_maker_and_checker_breaks_orders_and_checkpoints(
    exported: tuple[Path, Path, dict[str, str]]
) -> None:
    _, out, ids = exported
    names = sorted(p.name for p in out.iterdir())
    assert names == ["attestations.csv", "audit-head.json", "checkpoints.csv",
                     "checkpoints.json", "emergency_orders.csv", "manifest.json",
                     "reconciliation_breaks.csv"]
    assert out.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out.iterdir())

    [att] = _rows(out / "attestations.csv")
    assert att["status"] == "sent" and att["format"] == "3"
    assert (att["prepared_by"], att["prepared_by_key_id"]) == ("alice", ids["alice"])
    assert (att["approved_by"], att["approved_by_key_id"]) == ("bob", ids["bob"])
    assert att["prepared_signature"] and att["approved_signature"]
    assert att["prepared_signature"] != att["approved_signature"]
    assert att["signatures_verify"] == "approved-by valid; prepared-by valid"
    assert len(att["root"]) == 64 and att["as_of"].endswith("Z")

    [run] = _rows(out / "reconciliation_breaks.csv")
    assert run["status"] == "clean" and run["report_signed_by"] == f"alice ({ids['alice']})"
    assert int(run["audit_head_size"]) > 0

    [share] = _rows(out / "emergency_orders.csv")
    assert share["client_id"] == "alnoor-quant" and share["share_party"] == "regulator"
    assert share["statement"].startswith("CDESK-UNFREEZE/") and share["share_signature"]

    # bob's approval and alice's report each signed a checkpoint on the same device
    checkpoints = _rows(out / "checkpoints.csv")
    assert [c["signer"] for c in checkpoints] == ["bob", "alice"]
    assert all(c["in_checkpoints_json"] == "yes" for c in checkpoints)
    held = json.loads((out / "checkpoints.json").read_text())["audit_checkpoints"]
    assert [d["body"]["root"] for d in held] == [c["root"] for c in checkpoints]
    assert held[1]["body"]["consistency"]["from_size"] == int(checkpoints[0]["size"])

    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert manifest["audit_head"] == json.loads((out / "audit-head.json").read_text())


def test_audit_verify_against_the_export_catches_a_later_rewrite(
    exported: tuple[Path, Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, out, _ = exported
    store = ["--store", f"sqlite:///{path}"]
    capsys.readouterr()
    assert main([*store, "audit", "verify", "--against", str(out)]) == 0
    text = capsys.readouterr().out
    assert "ok   anchor vara/checkpoints.json[0] (signed checkpoint)" in text
    assert "ok   anchor vara/checkpoints.json[1] (signed checkpoint)" in text
    assert "ok   anchor vara/audit-head.json" in text

    # bob's start of signing taken out of the trail, the checkpoints with it, every hash
    # recomputed
    rewrite_trail(path, {"attestation.signing", "audit.checkpoint", "audit.checkpoint_sign"})
    opened = open_store(path)
    try:
        assert AuditService(opened).verify().ok  # the desk's own checks are fooled
    finally:
        opened.close()
    assert main([*store, "audit", "verify", "--against", str(out)]) == 1
    text = capsys.readouterr().out
    assert text.count("FAIL anchor vara/") == 3 and "rewritten after it was shared" in text


def test_the_export_refuses_a_folder_that_holds_files(
    exported: tuple[Path, Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, out, _ = exported
    before = (out / "manifest.json").read_bytes()
    capsys.readouterr()
    assert main(["--store", f"sqlite:///{path}", "regulator", "export", "--out",
                 str(out)]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert (out / "manifest.json").read_bytes() == before
