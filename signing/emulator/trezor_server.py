"""The emulated Trezor on UDP, as the official emulator serves it (default 127.0.0.1:21324).

Each datagram is one 64-byte protocol-v1 chunk; ``PINGPING`` is answered ``PONGPONG``
(trezorlib's presence check). Replies go to the address of the last chunk received.
The server binds loopback addresses only. ``unplug()`` closes the socket (the host
then gets "connection refused", as when the official emulator stops) and drops the
session and the flow in progress; ``replug()`` binds the same port again.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import select
import socket
import threading
from collections.abc import Callable
from typing import Protocol

from signing.emulator import trezor_codec
from signing.emulator.trezor_codec import Record
from signing.emulator.trezor_device import TrezorDevice, TrezorHsm
from signing.emulator.trezor_messages import KNOWN_TYPES, MessageType
from signing.errors import NotAllowed
from signing.framing import trezor_v1
from signing.framing.trezor_v1 import Frame, FramingError, FramingFault, Reassembler

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 21324
PING = b"PINGPING"
PONG = b"PONGPONG"
MAX_DATAGRAM = 2048  # read more than a chunk so an oversized datagram is seen, not cut
# The emulated firmware's input buffer: trezorlib sends nothing near this.
MAX_INCOMING_MESSAGE = 16 * 1024
UNPLUGGED_POLL = 0.05


def require_loopback(host: str) -> str:
    """Return the numeric loopback address for ``host``; anything else is refused."""
    name = "127.0.0.1" if host == "localhost" else host
    try:
        address = ipaddress.ip_address(name)
    except ValueError as exc:
        raise NotAllowed(f"the emulator binds loopback only, not {host!r}") from exc
    if not address.is_loopback:
        raise NotAllowed(f"the emulator binds loopback only, not {host!r}")
    return str(address)


def make_decoder() -> Reassembler:
    """The server's decoder for host->device chunks (also used directly by the fuzz tests)."""
    return Reassembler(max_size=MAX_INCOMING_MESSAGE, known_types=KNOWN_TYPES, reject_unknown=False)


class ServerDecoder:
    """Chunks in, complete frames out; framing faults are logged and dropped as the
    firmware does, and a start chunk in the middle of a message restarts reassembly."""

    def __init__(self) -> None:
        self.reassembler = make_decoder()
        self.faults: list[FramingFault] = []

    def feed(self, chunk: bytes) -> Frame | None:
        try:
            return self.reassembler.feed(chunk)
        except FramingError as exc:
            self._note(exc)
            if exc.fault is FramingFault.START_MID_MESSAGE and exc.chunk is not None:
                try:
                    return self.reassembler.feed(exc.chunk)
                except FramingError as again:
                    self._note(again)
            return None

    def _note(self, exc: FramingError) -> None:
        if len(self.faults) < 1000:
            self.faults.append(exc.fault)
        log.debug("dropped malformed chunk: %s", exc.detail)


class UnpluggableHsm(TrezorHsm, Protocol):
    """The SoftHsm's unplug switch, shared by every protocol served from one HSM."""

    @property
    def unplugged(self) -> bool: ...

    def replug(self) -> None: ...

    def add_unplug_listener(self, callback: Callable[[], None]) -> None: ...


class TrezorUdpServer:
    """Serves one ``TrezorDevice`` on a loopback UDP port from a background thread.

    The port follows the HSM's unplug switch (``SoftHsm.unplug``/``replug``, e.g. from
    the control channel) as well as this server's own ``unplug``/``replug``.
    """

    def __init__(
        self,
        hsm: UnpluggableHsm,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        on_frame: Callable[[str, int], None] | None = None,
        typed_data_full: bool = True,
    ) -> None:
        self.host = require_loopback(host)
        self._requested_port = port
        self.port = port
        self.hsm = hsm
        self.device = TrezorDevice(
            hsm, self._send, send_encoded=self._send_encoded, typed_data_full=typed_data_full
        )
        self.decoder = ServerDecoder()
        self._on_frame = on_frame
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self._peer: tuple[str, int] | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._stop = threading.Event()
        self._forced_unplug = threading.Event()
        self._stalled = threading.Event()
        self._thread: threading.Thread | None = None
        hsm.add_unplug_listener(self._on_hsm_unplug)

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """The trezorlib path of this device, e.g. ``udp:127.0.0.1:21324``."""
        return f"udp:{self.host}:{self.port}"

    @property
    def plugged(self) -> bool:
        return self._sock is not None

    def start(self) -> None:
        """Bind and serve in a daemon thread; returns once the port is open."""
        self._bind()
        self._thread = threading.Thread(target=self._serve, name="trezor-emulator-udp", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._close_socket()
        self.device.unplug()
        self.device.close()
        self._wake_r.close()
        self._wake_w.close()

    def unplug(self) -> None:
        """Simulate pulling the cable: the port closes and all device state is lost."""
        self._forced_unplug.set()
        self._power_off()

    def replug(self) -> None:
        """Plug it back in on the same port (clears the HSM's unplug switch too)."""
        self._forced_unplug.clear()
        if self.hsm.unplugged:
            self.hsm.replug()
        self._power_on()

    def stall(self, stalled: bool = True) -> None:
        """A hung firmware: PINGPING still answered, messages read but never answered."""
        if stalled:
            self._stalled.set()
        else:
            self._stalled.clear()
            self.decoder.reassembler.reset()

    def _on_hsm_unplug(self) -> None:
        self._power_off()

    def _power_off(self) -> None:
        if self._sock is None:
            return
        self._close_socket()
        self.device.unplug()
        self.decoder.reassembler.reset()
        self._wake()
        log.info("emulated Trezor unplugged")

    def _power_on(self) -> None:
        if self._sock is None and not self._stop.is_set():
            self._bind()
            self._wake()
            log.info("emulated Trezor plugged in again on %s", self.endpoint)

    def _follow_hsm(self) -> None:
        """Rebind once the HSM's switch is back (the control channel replugs the HSM)."""
        if self._forced_unplug.is_set() or self.hsm.unplugged:
            return
        try:
            self._power_on()
        except OSError as exc:
            log.warning("cannot rebind %s: %s", self.endpoint, exc)

    def _bind(self) -> None:
        sock = socket.socket(
            socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_DGRAM
        )
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        with self._sock_lock:
            self._sock = sock

    def _close_socket(self) -> None:
        with self._sock_lock:
            sock, self._sock = self._sock, None
            self._peer = None
        if sock is not None:
            sock.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    # ---- I/O -------------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._stop.is_set():
            sock = self._sock
            if sock is None:
                self._follow_hsm()
                sock = self._sock
            readable = [self._wake_r] + ([sock] if sock is not None else [])
            # Unplugged: poll the HSM's switch; plugged: sleep until data or a wake-up.
            timeout = None if sock is not None else UNPLUGGED_POLL
            try:
                ready, _, _ = select.select(readable, [], [], timeout)
            except (OSError, ValueError):
                continue  # the socket was closed under us by unplug(); loop re-reads it
            if self._wake_r in ready:
                self._wake_r.recv(64)
            if sock is None or sock not in ready:
                continue
            try:
                data, peer = sock.recvfrom(MAX_DATAGRAM)
            except OSError:
                continue
            self._on_datagram(sock, data, peer)

    def _on_datagram(self, sock: socket.socket, data: bytes, peer: tuple[str, int]) -> None:
        if data == PING:
            with contextlib.suppress(OSError):
                sock.sendto(PONG, peer)
            return
        if self._stalled.is_set():
            return
        with self._sock_lock:
            self._peer = peer
        frame = self.decoder.feed(data)
        if frame is None:
            return
        if self._on_frame is not None:
            self._on_frame("in", frame.msg_type)
        try:
            self.device.handle(frame)
        except Exception:  # the emulator must keep serving whatever a host sends
            log.exception("emulated Trezor failed on message type %d", frame.msg_type)

    def _send(self, msg_type: MessageType, record: Record) -> None:
        self._send_encoded(int(msg_type), trezor_codec.encode(msg_type, record))

    def _send_encoded(self, msg_type: int, payload: bytes) -> None:
        chunks = trezor_v1.encode(msg_type, payload)
        if self._on_frame is not None:
            self._on_frame("out", msg_type)
        with self._sock_lock:
            sock, peer = self._sock, self._peer
            if sock is None or peer is None:
                return  # unplugged: the message is lost, as on a real cable pull
            for chunk in chunks:
                try:
                    sock.sendto(chunk, peer)
                except OSError as exc:
                    log.debug("send failed: %s", exc)
                    return
