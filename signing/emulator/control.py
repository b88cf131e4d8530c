"""The emulator's operator control channel: JSON lines over a loopback socket.

Tests and testers drive the emulated human through it: change the approval
policy, set or clear the PIN, lock, arm an unplug at the next prompt, unplug
and replug, read the state. One request per line, one answer per line::

    -> {"cmd": "set_approve", "mode": "delay:2", "hsm": "custodian"}
    <- {"ok": true, "state": {...}}
    <- {"ok": false, "error": "unknown command", "code": "invalid_input"}

``hsm`` names one of the served HSMs; it may be left out when only one is
served. Addresses are ``unix:/path/to/socket`` (mode 0600) or
``tcp:127.0.0.1:PORT`` (port 0 picks a free one); anything but loopback is
refused. The channel carries no secrets: a PIN can be set but never read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from signing.emulator.hsm import SoftHsm
from signing.emulator.trezor_server import require_loopback
from signing.errors import (
    DeviceTimeout,
    Disconnected,
    InvalidInput,
    NotAllowed,
    ProtocolError,
    SigningError,
)

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 64 * 1024
_Handler = Callable[[SoftHsm, Mapping[str, Any]], None]


def _set_approve(hsm: SoftHsm, request: Mapping[str, Any]) -> None:
    hsm.set_policy(str(request.get("mode", "")))


def _set_pin(hsm: SoftHsm, request: Mapping[str, Any]) -> None:
    pin = request.get("pin")
    if not isinstance(pin, str):
        raise InvalidInput("set_pin needs a string pin")
    hsm.set_pin(pin)


_COMMANDS: dict[str, _Handler] = {
    "state": lambda hsm, _: None,
    "set_approve": _set_approve,
    "set_pin": _set_pin,
    "clear_pin": lambda hsm, _: hsm.set_pin(None),
    "lock": lambda hsm, _: hsm.lock(),
    "arm_unplug": lambda hsm, _: hsm.arm_unplug(),
    "unplug": lambda hsm, _: hsm.unplug(),
    "replug": lambda hsm, _: hsm.replug(),
}


def parse_control_address(address: str) -> tuple[str, str | tuple[str, int]]:
    """``unix:PATH`` -> ("unix", PATH); ``tcp:HOST:PORT`` -> ("tcp", (HOST, PORT)).

    TCP is loopback only: any other host raises ``NotAllowed``.
    """
    kind, _, rest = address.partition(":")
    if kind == "unix" and rest:
        return "unix", rest
    if kind == "tcp":
        host, _, port_text = rest.rpartition(":")
        try:
            port = int(port_text)
        except ValueError as exc:
            raise InvalidInput(f"bad control address {address!r}") from exc
        if not 0 <= port <= 65535:
            raise InvalidInput("port out of range")
        # the emulator's one loopback rule: numeric, "localhost" pinned to 127.0.0.1
        return "tcp", (require_loopback(host.strip("[]")), port)
    raise InvalidInput(f"control address must be unix:PATH or tcp:127.0.0.1:PORT, not {address!r}")


class ControlServer:
    """Serves the control channel for one or more HSMs on a background thread."""

    def __init__(self, hsms: SoftHsm | Mapping[str, SoftHsm], address: str) -> None:
        self._hsms: dict[str, SoftHsm] = (
            {"default": hsms} if isinstance(hsms, SoftHsm) else dict(hsms)
        )
        if not self._hsms:
            raise InvalidInput("the control channel needs at least one HSM")
        kind, target = parse_control_address(address)
        self._unix_path: Path | None = None
        if kind == "unix":
            assert isinstance(target, str)
            self._unix_path = Path(target)
            with contextlib.suppress(FileNotFoundError):
                if self._unix_path.is_socket():
                    self._unix_path.unlink()  # stale socket from a killed run
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old_umask = os.umask(0o177)  # the socket file is created 0600
            try:
                sock.bind(target)
            finally:
                os.umask(old_umask)
            self.address = f"unix:{target}"
        else:
            assert isinstance(target, tuple)
            family = socket.AF_INET6 if ":" in target[0] else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(target)
            host, port = sock.getsockname()[:2]
            self.address = f"tcp:{host}:{port}"
        sock.listen(8)
        sock.settimeout(0.2)
        self._sock = sock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="emulator-control", daemon=True)

    def start(self) -> ControlServer:
        self._thread.start()
        log.info("emulator control channel on %s", self.address)
        return self

    def close(self) -> None:
        """Stop serving and remove the socket file. Safe to call twice."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2)
        self._sock.close()
        if self._unix_path is not None:
            with contextlib.suppress(FileNotFoundError):
                self._unix_path.unlink()

    def __enter__(self) -> ControlServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(
                target=self._serve_connection, args=(conn,), name="emulator-control-conn",
                daemon=True,
            ).start()  # fmt: skip

    def _serve_connection(self, conn: socket.socket) -> None:
        conn.settimeout(0.5)
        buffer = b""
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                buffer += chunk
                if len(buffer) > MAX_LINE_BYTES and b"\n" not in buffer:
                    self._send(
                        conn, {"ok": False, "error": "line too long", "code": "invalid_input"}
                    )
                    return
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        self._send(conn, self.handle_line(line))

    @staticmethod
    def _send(conn: socket.socket, answer: Mapping[str, Any]) -> None:
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps(answer).encode() + b"\n")

    def handle_line(self, line: bytes) -> dict[str, Any]:
        """Answer one request line (also usable without a socket)."""
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise InvalidInput("a request is a JSON object")
            command = request.get("cmd")
            if command == "list":
                return {"ok": True, "hsms": {n: h.state() for n, h in self._hsms.items()}}
            handler = _COMMANDS.get(str(command))
            if handler is None:
                raise InvalidInput(f"unknown command {command!r}")
            hsm = self._select(request.get("hsm"))
            handler(hsm, request)
            log.info("control: %s on %s", command, hsm.label)
            return {"ok": True, "state": hsm.state()}
        except SigningError as exc:
            return {"ok": False, "error": str(exc), "code": exc.code.value}
        except (ValueError, UnicodeDecodeError) as exc:
            return {"ok": False, "error": f"not JSON: {exc}", "code": "invalid_input"}

    def _select(self, name: object) -> SoftHsm:
        if name is None:
            if len(self._hsms) == 1:
                return next(iter(self._hsms.values()))
            raise InvalidInput(f"name the HSM: one of {sorted(self._hsms)}")
        hsm = self._hsms.get(str(name))
        if hsm is None:
            raise InvalidInput(f"no HSM named {name!r}; served: {sorted(self._hsms)}")
        return hsm


class ControlClient:
    """Blocking client of the control channel (tests, scripts)."""

    def __init__(self, address: str, timeout: float = 5.0) -> None:
        kind, target = parse_control_address(address)
        try:
            if kind == "unix":
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            else:
                assert isinstance(target, tuple)
                family = socket.AF_INET6 if ":" in target[0] else socket.AF_INET
                self._sock = socket.socket(family, socket.SOCK_STREAM)
            self._sock.settimeout(timeout)
            self._sock.connect(target)
        except OSError as exc:
            raise Disconnected(f"control channel {address}: {exc}") from exc
        self._file = self._sock.makefile("rb")

    def request(self, cmd: str, hsm: str | None = None, **fields: Any) -> dict[str, Any]:
        """Send one command; return its answer, raising the typed error it reports."""
        payload: dict[str, Any] = {"cmd": cmd, **fields}
        if hsm is not None:
            payload["hsm"] = hsm
        try:
            self._sock.sendall(json.dumps(payload).encode() + b"\n")
            line = self._file.readline(MAX_LINE_BYTES)
        except TimeoutError as exc:
            raise DeviceTimeout("control channel did not answer") from exc
        except OSError as exc:
            raise Disconnected(f"control channel: {exc}") from exc
        if not line:
            raise Disconnected("control channel closed")
        try:
            answer = json.loads(line)
        except ValueError as exc:
            raise ProtocolError("control channel sent non-JSON") from exc
        if not isinstance(answer, dict):
            raise ProtocolError("control channel answer is not an object")
        if not answer.get("ok"):
            error = str(answer.get("error", "control request failed"))
            if answer.get("code") == "not_allowed":
                raise NotAllowed(error)
            raise InvalidInput(error)
        return answer

    def state(self, hsm: str | None = None) -> dict[str, Any]:
        state: dict[str, Any] = self.request("state", hsm)["state"]
        return state

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
            self._sock.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
