"""The desk against a hostile exchange server on loopback (issue 17, items 2 and 5).

Replies that are unsigned, signed by another key, answer another message or are
not JSON change nothing and are reported; replies that are malformed, nested
200,000 deep, huge or dripped one byte at a time end in a typed error within
a bounded time. Links that are neither https nor an existing folder are refused.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli

from app.cli.desk_cmds import CliInteraction
from app.documents.builders import new_document
from app.documents.envelope import Kind, SignatureEntry
from app.documents.keys import Party, Role, key_id_for
from app.exchange.link import LinkMalformed, LinkUnavailable
from app.exchange.outbox import flush
from app.exchange.push import queue_attestation
from app.exchange.receipts import receipt_body
from app.exchange.rest import RestLink
from app.exchange.sim.state import SIM_KEY_PATH
from app.services.attestations import AttestationService
from app.services.officers import add_party_key
from app.services.unit_of_work import utc_now
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL, TEST_MNEMONIC_ZOO

EXCHANGE = SoftHsm(TEST_MNEMONIC_ZOO)  # the registered exchange key (the simulator's seed)
STRANGER = SoftHsm(TEST_MNEMONIC_LEGAL)


def _receipt(hsm: SoftHsm, key: str, payload: bytes, status: int) -> str:
    body = receipt_body(exchange_id="EXCH-DEMO", env="test", now=utc_now(),
                        idempotency_key=key, payload=payload, http_status=status,
                        answer={"status": "booked"})
    doc = new_document(Kind.EXCHANGE_RECEIPT, body)
    made = hsm.sign_message(SIM_KEY_PATH, doc.statement)
    pubkey = hsm.get_public_key(SIM_KEY_PATH).pubkey
    return doc.with_signature(SignatureEntry(key_id_for(pubkey), "exchange", made.signature)) \
        .to_bytes().decode("utf-8")


class _Hostile(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, data: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        payload = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key", "")
        mode = self.server.mode
        if mode == "unsigned":
            self._send(201, b'{"status":"booked"}')
        elif mode == "not_json":
            self._send(200, b"not json")
        elif mode == "wrong_key":
            receipt = _receipt(STRANGER, key, payload, 201)
            self._send(201, json.dumps({"status": "booked", "receipt": receipt}).encode())
        elif mode == "other_message":
            receipt = _receipt(EXCHANGE, "attestation_bundle:other:0", payload, 201)
            self._send(201, json.dumps({"status": "booked", "receipt": receipt}).encode())

    def do_GET(self) -> None:
        mode = self.server.mode
        if mode == "documents_5":
            self._send(200, b'{"documents":5}')
        elif mode == "deep":
            self._send(200, b'{"documents":' + b"[" * 200_000 + b"]" * 200_000 + b"}")
        elif mode == "huge":  # 64 MiB announced, streamed without end
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                chunk = b" " * 65536
                for _ in range(1024):
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif mode == "drip":  # one byte every 0.3 s, forever
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mode = "unsigned"


@pytest.fixture
def hostile() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _signed_attestation(store: SqliteStore, devices: dict[str, RunningEmulator]) -> int:
    key = EXCHANGE.get_public_key(SIM_KEY_PATH)
    add_party_key(store, Party.EXCHANGE, key.pubkey, key.address, actor="test",
                  role=Role.EXCHANGE, is_emulator=True)
    service = AttestationService(store)
    rec = service.prepare(["alnoor-quant"], "alice")
    asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                         CliInteraction()))
    queue_attestation(store, rec.id, actor="test")
    return rec.id


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("unsigned", "unsigned"), ("wrong_key", "unknown_key"), ("other_message", "replay")],
)
def test_a_reply_without_a_valid_signed_receipt_changes_nothing(
    mode: str, reason: str, hostile: _Server, store: SqliteStore,
    devices: dict[str, RunningEmulator],
) -> None:
    hostile.mode = mode
    att = _signed_attestation(store, devices)

    async def go() -> Any:
        link = RestLink(_url(hostile), max_attempts=1)
        try:
            return await flush(store, link)
        finally:
            await link.aclose()

    report = asyncio.run(go())
    assert not report.sent and not report.clean
    [(_, detail)] = report.unverified.items()
    assert detail.startswith(reason)
    assert AttestationService(store).detail(att).record.status == "signed"  # not "sent"
    with store.read() as tx:
        [entry] = tx.audit.entries(action="exchange.reply_unverified")
        [pending] = [m for m in store_outbox(tx) if m.status == "pending"]
    assert json.loads(entry.payload)["reason"] == reason
    assert pending.attempts == 1


def store_outbox(tx: Any) -> list[Any]:
    from app.exchange.outbox import exchange_repo

    return list(exchange_repo(tx).outbox())


def test_a_reply_that_is_not_json_changes_nothing(
    hostile: _Server, store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    hostile.mode = "not_json"
    att = _signed_attestation(store, devices)

    async def go() -> Any:
        link = RestLink(_url(hostile), max_attempts=1)
        try:
            return await flush(store, link)
        finally:
            await link.aclose()

    report = asyncio.run(go())
    assert not report.sent
    [(_, error)] = report.retrying.items()
    assert "not JSON" in error
    assert AttestationService(store).detail(att).record.status == "signed"


@pytest.mark.parametrize(
    ("mode", "error", "message"),
    [
        ("documents_5", LinkMalformed, "documents is not a list"),
        ("deep", LinkMalformed, "nested deeper"),
        ("huge", LinkMalformed, "byte limit"),
        ("drip", LinkUnavailable, "no whole reply within 1.5 s"),
    ],
)
def test_a_hostile_feed_ends_in_a_typed_error_in_bounded_time(
    mode: str, error: type[Exception], message: str, hostile: _Server
) -> None:
    hostile.mode = mode

    async def go() -> None:
        link = RestLink(_url(hostile), max_attempts=1, deadline_s=1.5,
                        max_reply_bytes=4 * 1024 * 1024)
        try:
            await link.fetch_inbound(None)
        finally:
            await link.aclose()

    start = time.monotonic()
    with pytest.raises(error, match=message):
        asyncio.run(go())
    assert time.monotonic() - start < 5


def test_pull_reports_a_malformed_feed_in_one_line(
    hostile: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.mode = "documents_5"
    code, _, err = cli(tmp_path / "desk", capsys, "pull", "--exchange", _url(hostile))
    assert code != 0 and "documents is not a list" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("notaurl", "neither an https:// URL nor an existing folder"),
        ("ftp://x", "must be an https:// URL or a folder"),
        ("http://exchange.example", "plain http is allowed only to a loopback address"),
    ],
)
def test_a_link_that_is_neither_https_nor_a_folder_is_an_error(
    target: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = tmp_path / "desk"
    code, _, err = cli(desk, capsys, "exchange-link", "--url", target)
    assert code == 2 and message in err
    code, out, err = cli(desk, capsys, "pull", "--exchange", target)
    assert code == 2 and message in err and "nothing new" not in out
    assert not (Path.cwd() / "notaurl").exists()
    code, out, _ = cli(desk, capsys, "exchange-link")
    assert "(no exchange link set)" in out


def test_the_simulator_times_out_slow_clients() -> None:
    """Half-sent requests are cut off at the deadline; excess connections are refused."""
    import socket

    from app.documents.keys import KeysFile
    from app.exchange.sim.factory import make_sim
    from app.exchange.sim.server import start_sim

    running = start_sim(make_sim(KeysFile("test", ())), request_deadline_s=1.0,
                        max_connections=8)
    try:
        port = running.port
        clients = []
        for _ in range(20):  # more half-sent requests than the server has slots
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            clients.append(sock)
        seen = 0
        until = time.monotonic() + 0.8  # before the 1 s deadline closes the first ones
        while time.monotonic() < until:
            seen = max(seen, running.server.busy)
            time.sleep(0.01)
        assert 0 < seen <= 8  # never more threads than slots: the rest were closed at once
        start = time.monotonic()
        for sock in clients:  # every one is closed by the server, none waits for ever
            sock.settimeout(5)
            assert sock.recv(1024) == b""
            sock.close()
        assert time.monotonic() - start < 3
        deadline = time.monotonic() + 3
        while running.server.busy and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.server.busy == 0  # no thread left behind
        # and the service still answers a well-behaved client
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            sock.settimeout(5)
            assert sock.recv(1024).startswith(b"HTTP/1.1 200")
    finally:
        running.stop()
