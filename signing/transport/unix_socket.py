"""Report pipe over a Unix datagram socket: how the desk reaches the emulator.

It follows the Coldcard simulator's convention: the device binds a
``SOCK_DGRAM`` socket at a path (default ``/tmp/ckcc-simulator.sock``), each
datagram is one 64-byte report without the hidapi report id, and the client
binds a path of its own so the device can answer with ``sendto``. Apart from
that, this pipe behaves like the hidapi one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import tempfile

from signing.errors import DeviceNotFound, DeviceTimeout, Disconnected
from signing.transport.base import TRAFFIC, check_report

log = logging.getLogger(__name__)

MAX_DATAGRAM = 1024  # bigger datagrams are cut here; the framing layer rejects them anyway
SEND_TIMEOUT_S = 2.0


class UnixDatagramPipe:
    """A ``ReportPipe`` to a device listening on a Unix datagram socket."""

    def __init__(self, server_path: str) -> None:
        self.server_path = server_path
        # A private directory: nobody else can squat on or read our reply address.
        self._dir = tempfile.mkdtemp(prefix="ccdesk-")
        self.client_path = os.path.join(self._dir, "client.sock")
        self._sock: socket.socket | None = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self._sock.bind(self.client_path)
            self._sock.connect(server_path)
        except OSError as exc:
            self.close()
            raise DeviceNotFound(f"no emulator listening at {server_path}: {exc}") from exc

    def _require_sock(self) -> socket.socket:
        if self._sock is None:
            raise Disconnected(f"pipe to {self.server_path} is closed")
        return self._sock

    def write_report(self, report: bytes) -> None:
        sock = self._require_sock()
        data = check_report(report)
        log.log(TRAFFIC, "sock tx %s", data.hex())
        try:
            sock.settimeout(SEND_TIMEOUT_S)
            sent = sock.send(data)
        except TimeoutError as exc:
            raise DeviceTimeout(f"{self.server_path} is not reading") from exc
        except OSError as exc:
            raise Disconnected(f"{self.server_path}: {exc}") from exc
        if sent != len(data):
            raise Disconnected(f"{self.server_path}: short send ({sent} bytes)")

    def read_report(self, timeout_ms: int) -> bytes | None:
        sock = self._require_sock()
        try:
            sock.settimeout(max(1, int(timeout_ms)) / 1000.0)
            data = sock.recv(MAX_DATAGRAM)
        except TimeoutError:
            return None
        except OSError as exc:
            raise Disconnected(f"{self.server_path}: {exc}") from exc
        log.log(TRAFFIC, "sock rx %s", data.hex())
        return data

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()
        with contextlib.suppress(OSError):
            os.unlink(self.client_path)
        shutil.rmtree(self._dir, ignore_errors=True)
