"""The simulator's HTTP service (stdlib ``http.server``, one thread per request).

Every answer to a POST carries the exchange's signed receipt
(``app.exchange.receipts``). A slow client cannot hold the service: each request
(reading it, answering it) has a total deadline after which the connection is
closed, and at most ``max_connections`` are served at once (more are closed at once).

Loopback only unless ``allow_remote``. Test-control routes under ``/v1/test/``
move the clock, set exposures and inject faults (``down``: the connection is
reset before the request is read; ``reset``: the request is applied, then the
connection is reset before the answer; ``error500``: 500 without applying;
``slow``: the answer waits ``delay_s``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.exchange.configured import is_loopback
from app.exchange.sim.state import ExchangeSim, encode_json

logger = logging.getLogger(__name__)

MAX_BODY = 300 * 1024 * 1024
REQUEST_DEADLINE_S = 30.0
MAX_CONNECTIONS = 64


class NonLoopbackRefused(ValueError):
    """The simulator binds to loopback unless ``--allow-remote``."""


class _Handler(BaseHTTPRequestHandler):
    server: _SimServer
    protocol_version = "HTTP/1.1"
    # one write per answer (headers + body), flushed by handle_one_request; with
    # TCP_NODELAY this avoids the ~40 ms Nagle/delayed-ACK stall on keep-alive
    wbufsize = 1 << 16

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        """One request within the server's total deadline (a slow drip is cut off)."""
        timer = threading.Timer(self.server.request_deadline_s, self._expire)
        timer.daemon = True
        timer.start()
        try:
            super().handle_one_request()
        except OSError:  # the deadline closed the socket under us
            self.close_connection = True
        finally:
            timer.cancel()

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the deadline (or the client) closed the socket
            super().finish()

    def _expire(self) -> None:
        logger.info("sim: closing %s, request not done within %.1f s", self.address_string(),
                    self.server.request_deadline_s)
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("sim %s " + format, self.address_string(), *args)

    # -- plumbing ---------------------------------------------------------------------

    def _reset(self) -> None:
        """Drop the connection with a TCP reset (SO_LINGER 0), no answer."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    def _answer(self, status: int, body: dict[str, Any] | bytes, replayed: bool = False) -> None:
        data = body if isinstance(body, bytes) else encode_json(body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _fault(self) -> str:
        mode, delay = self.server.sim.faults.take() if not self.path.startswith(
            "/v1/test/") else ("none", 0.0)
        if mode == "slow":
            time.sleep(delay)
        return mode

    # -- routes -------------------------------------------------------------------------

    def do_GET(self) -> None:
        sim = self.server.sim
        mode = self._fault()
        if mode in ("down", "reset"):
            self._reset()
            return
        if mode == "error500":
            self._answer(500, {"error": "injected", "detail": "fault injection"})
            return
        url = urlsplit(self.path)
        if url.path == "/v1/health":
            self._answer(200, {"status": "ok", "exchange_id": sim.exchange_id, "env": sim.env})
        elif url.path == "/v1/keys":
            self._answer(200, sim.key_info())
        elif url.path == "/v1/inbox":
            after_raw = parse_qs(url.query).get("after", [None])[0]
            after = int(after_raw) if after_raw and after_raw.isdigit() else None
            docs = [{"sequence": s, "document": d.decode("utf-8")} for s, d in sim.inbox(after)]
            last = docs[-1]["sequence"] if docs else after
            self._answer(200, {"documents": docs, "last_sequence": last})
        elif url.path == "/v1/ledger":
            self._answer(200, sim.ledger())
        elif url.path == "/v1/audit-heads":
            self._answer(200, sim.audit_heads_json())
        elif url.path == "/v1/audit-checkpoints":
            self._answer(200, sim.audit_checkpoints_json())
        elif url.path == "/v1/accounts":
            self._answer(200, sim.accounts_json())
        elif url.path == "/v1/test/stats":
            self._answer(200, sim.stats())
        else:
            self._answer(404, {"error": "not_found", "detail": url.path})

    def do_POST(self) -> None:
        sim = self.server.sim
        mode = self._fault()
        if mode == "down":
            self._reset()
            return
        try:
            data = self._body()
        except (ValueError, OSError) as exc:
            self._answer(413, {"error": "too_large", "detail": str(exc)})
            return
        if mode == "error500":
            self._answer(500, {"error": "injected", "detail": "fault injection"})
            return
        path = urlsplit(self.path).path
        if path.startswith("/v1/test/"):
            self._control(path, data)
            return
        status, answer, replayed = sim.post(path, self.headers.get("Idempotency-Key"), data,
                                            audit_head=self.headers.get("Audit-Head"),
                                            audit_checkpoint=self.headers.get("Audit-Checkpoint"))
        if mode == "reset":  # booked, but the desk never hears the answer
            self._reset()
            return
        self._answer(status, answer, replayed)

    def _control(self, path: str, data: bytes) -> None:
        sim = self.server.sim
        try:
            args = json.loads(data or b"{}", parse_float=Decimal)
            if path == "/v1/test/clock":
                sim.advance(float(args["advance_s"]))
            elif path == "/v1/test/exposure":
                sim.set_exposure(str(args["client_id"]), Decimal(str(args["exposure_usd"])))
            elif path == "/v1/test/faults":
                with sim.lock:
                    sim.faults.mode = str(args.get("mode", "none"))
                    count = args.get("count")
                    sim.faults.count = None if count is None else int(count)
                    sim.faults.delay_s = float(args.get("delay_s", 0))
            else:
                self._answer(404, {"error": "not_found", "detail": path})
                return
        except (KeyError, ValueError, TypeError) as exc:
            self._answer(400, {"error": "bad_request", "detail": str(exc)})
            return
        self._answer(200, {"status": "ok"})


class _SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        sim: ExchangeSim,
        *,
        request_deadline_s: float = REQUEST_DEADLINE_S,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.sim = sim
        self.request_deadline_s = request_deadline_s
        self._slots = threading.BoundedSemaphore(max_connections)
        self._busy_lock = threading.Lock()
        self.busy = 0  # connections being served now (each holds one thread)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):  # full: refuse rather than queue a thread
            logger.warning("sim: too many connections, closing %s", client_address)
            self.shutdown_request(request)
            return
        with self._busy_lock:
            self.busy += 1
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._busy_lock:
                self.busy -= 1
            self._slots.release()


@dataclass
class RunningSim:
    """A simulator serving in a background thread."""

    sim: ExchangeSim
    server: _SimServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_sim(
    sim: ExchangeSim,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    allow_remote: bool = False,
    request_deadline_s: float = REQUEST_DEADLINE_S,
    max_connections: int = MAX_CONNECTIONS,
) -> RunningSim:
    """Serve ``sim`` on ``host:port`` (0: a free port) in a daemon thread."""
    if not allow_remote and not is_loopback(host):
        raise NonLoopbackRefused(
            f"refusing to bind {host}: the simulator serves loopback only (--allow-remote)"
        )
    server = _SimServer((host, port), sim, request_deadline_s=request_deadline_s,
                        max_connections=max_connections)
    thread = threading.Thread(target=server.serve_forever, name="exchange-sim", daemon=True)
    thread.start()
    logger.info("exchange simulator on http://%s:%d", host, server.server_address[1])
    return RunningSim(sim, server, thread)
