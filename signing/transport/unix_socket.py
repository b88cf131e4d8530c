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
import time

from signing.errors import DeviceNotFound, DeviceTimeout, Disconnected
from signing.transport.base import TRAFFIC, check_report

log = logging.getLogger(__name__)

MAX_DATAGRAM = 1024  # bigger datagrams are cut here; the framing layer rejects them anyway
SEND_TIMEOUT_S = 2.0
LIVENESS_CHECK_S = 0.05  # while waiting for a report, how often to check the device is there


def socket_is_live(path: str) -> bool:
    """True if a live datagram socket listens at ``path`` (connecting sends nothing)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _socket_identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


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
            self._server_id = _socket_identity(server_path)
        except OSError as exc:
            self.close()
            raise DeviceNotFound(f"no emulator listening at {server_path}: {exc}") from exc

    def _check_server(self) -> None:
        """A datagram socket never says its peer closed: look at the socket file instead.

        A removed or replaced socket file is the emulator's "cable pulled".
        """
        try:
            same = _socket_identity(self.server_path) == self._server_id
        except OSError:
            same = False
        if not same:
            raise Disconnected(f"the device at {self.server_path} went away")

    def _require_sock(self) -> socket.socket:
        if self._sock is None:
            raise Disconnected(f"pipe to {self.server_path} is closed")
        return self._sock

    def write_report(self, report: bytes) -> None:
        sock = self._require_sock()
        data = check_report(report)
        self._check_server()
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
        deadline = time.monotonic() + max(1, int(timeout_ms)) / 1000.0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                sock.settimeout(min(remaining, LIVENESS_CHECK_S))
                data = sock.recv(MAX_DATAGRAM)
            except TimeoutError:
                self._check_server()
                continue
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
