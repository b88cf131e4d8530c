"""Limits and modes (issue 15, case 4): oversized files refused unread, long numbers
refused in the desk's words, every exported file owner-only (0600)."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import time
import tracemalloc
from pathlib import Path

import pytest
from test_documents_binding import VECTORS

from app.cli.main import main
from app.documents.canonical import MAX_DOCUMENT_BYTES, MAX_ORDER_BYTES
from app.documents.envelope import parse_document
from app.documents.errors import DocumentError
from app.domain.snapshot import MAX_SNAPSHOT_BYTES
from app.exchange.drop_folder import DropFolderLink
from app.exchange.link import OutboundMessage
from app.files import FileTooLarge, read_bounded, write_private

BIG = 100 * 1024 * 1024
PYTHON_HINT = "set_int_max_str_digits"


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # no bytes written: only reading it would cost anything
    return path


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_bytes(VECTORS["keys"])
    return path


def test_verify_refuses_a_100_mb_file_without_reading_it(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = _sparse(tmp_path / "release.json", BIG)
    tracemalloc.start()
    started = time.monotonic()
    code = main(["verify", str(big), "--keys", str(keys)])
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out = capsys.readouterr().out
    assert code == 1 and out.endswith("INVALID\n")
    assert f"release.json is {BIG:,} bytes; a document may be at most {MAX_DOCUMENT_BYTES:,}" in out
    assert peak < 10 * 1024 * 1024 and elapsed < 5, (peak, elapsed)


def test_emergency_import_refuses_an_oversized_copy_before_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = _sparse(tmp_path / "share.json", BIG)
    code = main(["--data-dir", str(tmp_path / "desk"), "emergency", "import", str(big)])
    err = capsys.readouterr().err
    assert code == 2 and f"may be at most {MAX_ORDER_BYTES:,} bytes" in err


def test_snapshot_import_refuses_an_oversized_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = _sparse(tmp_path / "snap.json", MAX_SNAPSHOT_BYTES + 1)
    code = main(["--data-dir", str(tmp_path / "desk"), "import", str(big)])
    assert code == 2 and "a snapshot may be at most" in capsys.readouterr().err


def test_read_bounded_refuses_a_file_that_grows_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10
    with pytest.raises(FileTooLarge, match="at most 9 bytes"):
        read_bounded(path, 9)


@pytest.mark.parametrize(
    "edit",
    [
        lambda obj: obj.update(version="@NUMBER@"),
        lambda obj: obj["body"]["assets"][0].update(quantity="9" * 5000),
        lambda obj: obj["body"].update(extra="@NUMBER@"),
    ],
)
def test_a_5000_digit_number_gets_a_desk_error(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str], edit: object
) -> None:
    obj = json.loads(VECTORS["unfreeze_order"])
    edit(obj)  # type: ignore[operator]
    path = tmp_path / "order.json"
    path.write_text(json.dumps(obj).replace('"@NUMBER@"', "9" * 5000))  # a bare number
    code = main(["verify", str(path), "--keys", str(keys), "--at", "2026-11-26T12:00:00Z"])
    out = capsys.readouterr().out
    assert code == 1 and out.endswith("INVALID\n")
    assert PYTHON_HINT not in out
    assert "5,000" in out and ("digits" in out or "characters" in out)


def test_a_5000_digit_number_in_a_snapshot_gets_a_desk_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "snap.json"
    path.write_text('{"as_of": ' + "9" * 5000 + ', "prices": {}, "clients": []}')
    code = main(["--data-dir", str(tmp_path / "desk"), "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and PYTHON_HINT not in err
    assert "snap.json: as_of: must be an ISO 8601 UTC time string" in err


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_private_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        target = tmp_path / "release.json"
        target.write_bytes(b"old")
        target.chmod(0o644)
        write_private(target, b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new" and _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["release.json"], "no .part left behind"


def test_exported_keys_file_and_outbound_messages_are_0600(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "keys.json"
        assert main(["--data-dir", str(tmp_path / "desk"), "keys", "export", "--out",
                     str(out)]) == 0
        link = DropFolderLink(tmp_path / "link")
        asyncio.run(link.send(OutboundMessage("k-1", "attestation_bundle", b"{}")))
    finally:
        os.umask(old)
    assert _mode(out) == 0o600
    [message] = list((tmp_path / "link" / "out").iterdir())
    assert _mode(message) == 0o600


def test_an_oversized_inbound_drop_file_is_read_bounded_and_refused(tmp_path: Path) -> None:
    inbox = tmp_path / "link" / "in"
    inbox.mkdir(parents=True)
    _sparse(inbox / "001.json", BIG)
    [item] = asyncio.run(DropFolderLink(tmp_path / "link").fetch_inbound(None))
    assert len(item.data) == MAX_DOCUMENT_BYTES + 1, "read at most one byte over the limit"
    with pytest.raises(DocumentError, match=f"at most {MAX_DOCUMENT_BYTES:,}"):
        parse_document(item.data)
