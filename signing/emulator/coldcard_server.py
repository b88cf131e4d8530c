"""Coldcard-protocol emulator served on a Unix datagram socket.

Public entry point for ``custody-desk emulator``::

    server = ColdcardServer(hsm, "/tmp/ckcc-simulator.sock")
    server.start()      # binds, serves on a background thread
    ...
    server.stop()       # unbinds and removes the socket file

It follows the official Coldcard simulator's socket convention, so the stock
reference client (ckcc-protocol's ``UnixSimulatorPipe``) can drive it too:
the device binds a ``SOCK_DGRAM`` Unix socket at a path (default
``/tmp/ckcc-simulator.sock``), each datagram is one 64-byte report without a
report id, and each client binds a path of its own; replies go to the sender
of the last datagram. The stock ``ckcc`` command line drives it too, e.g.
``ckcc -s /path/to/emulator.sock msg -p m/44'/0'/0'/0/0 "some text"`` (or ``ckcc -x``
at the default path). A Unix socket is local by nature: nothing is reachable
from the network; the socket file is made owner-only (0600).

Simulated unplug (``server.unplug()`` or the HSM's unplug flag) closes the
socket and power-cycles the device state, as pulling the cable would; clients
see ``Disconnected`` and must reconnect after ``replug()``.

``server.transcript`` is what the emulated device saw and answered, as
``("in" | "out", kind)`` pairs of plaintext command and answer kinds (the link
itself is encrypted); tests compare it with a flow's exact expected sequence.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
import threading
from collections import deque

from signing.emulator.coldcard_backend import as_coldcard_backend
from signing.emulator.coldcard_device import LABEL_PREFIX, ColdcardBackend, ColdcardDevice
from signing.emulator.hsm import SoftHsm
from signing.errors import NotAllowed
from signing.transport.unix_socket import socket_is_live

log = logging.getLogger(__name__)

DEFAULT_SOCKET_PATH = "/tmp/ckcc-simulator.sock"
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS
_RECV_TIMEOUT_S = 0.02  # how often the loop looks at the stop and unplug flags
_MAX_DATAGRAM = 1024


class ColdcardServer:
    """Serves one emulated Coldcard on ``socket_path`` until ``stop()``."""

    def __init__(
        self, hsm: SoftHsm | ColdcardBackend, socket_path: str = DEFAULT_SOCKET_PATH
    ) -> None:
        if len(os.fsencode(socket_path)) > MAX_SOCKET_PATH:
            raise NotAllowed(f"socket path longer than {MAX_SOCKET_PATH} bytes: {socket_path}")
        self.socket_path = socket_path
        self.backend: ColdcardBackend = as_coldcard_backend(hsm)
        # Same name as the SoftHsm's Trezor face: one emulator, one label.
        label = hsm.label if isinstance(hsm, SoftHsm) else LABEL_PREFIX
        self.device = ColdcardDevice(self.backend, label=label)
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._forced_unplug = threading.Event()
        self._plugged = threading.Event()
        self._stalled = threading.Event()

    @property
    def uri(self) -> str:
        return f"coldcard:sock:{self.socket_path}"

    @property
    def transcript(self) -> deque[tuple[str, str]]:
        """The device's record of commands read and answers given (``clear()`` it freely)."""
        return self.device.transcript

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ----------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Bind the socket and serve on a daemon thread. Refuses a path in use."""
        if self.running:
            return
        self._stop.clear()
        self._bind()
        self._thread = threading.Thread(
            target=self._serve, name=f"coldcard-emulator:{self.socket_path}", daemon=True
        )
        self._thread.start()
        log.info("Coldcard emulator (TEST ONLY) serving on %s", self.socket_path)

    def stop(self) -> None:
        """Stop serving and remove the socket file. Safe to call twice."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)
        self._unbind()
        self.device.power_cycle()

    def __enter__(self) -> ColdcardServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---------------------------------------------------- operator control

    def unplug(self) -> None:
        """Pull the virtual cable: the socket goes away and device state is lost."""
        self._forced_unplug.set()
        self._wait_plugged(False)

    def replug(self) -> None:
        """Plug the virtual cable back in (the HSM's own unplug flag must be clear too)."""
        self._forced_unplug.clear()
        self._wait_plugged(True)

    def stall(self, stalled: bool = True) -> None:
        """Keep reading reports but never answer (a hung device), for timeout tests."""
        if stalled:
            self._stalled.set()
        else:
            self._stalled.clear()

    @property
    def plugged(self) -> bool:
        return self._plugged.is_set()

    def _wait_plugged(self, want: bool, timeout_s: float = 2.0) -> None:
        if not self.running:
            return
        deadline = threading.Event()
        waited = 0.0
        while self._plugged.is_set() != want and waited < timeout_s:
            deadline.wait(_RECV_TIMEOUT_S)
            waited += _RECV_TIMEOUT_S

    def _should_be_unplugged(self) -> bool:
        return self._forced_unplug.is_set() or bool(self.backend.unplugged)

    # ---------------------------------------------------------------- I/O

    def _bind(self) -> None:
        path = self.socket_path
        if os.path.lexists(path):
            mode = os.lstat(path).st_mode
            if not stat.S_ISSOCK(mode):
                raise NotAllowed(f"{path} exists and is not a socket; not touching it")
            if socket_is_live(path):
                raise NotAllowed(f"another emulator is already serving on {path}")
            os.unlink(path)  # stale socket from a run that died
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            sock.bind(path)
            os.chmod(path, 0o600)  # only this user's clients
        except OSError:
            sock.close()
            raise
        sock.settimeout(_RECV_TIMEOUT_S)
        self._sock = sock
        self._plugged.set()

    def _unbind(self) -> None:
        self._plugged.clear()
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()
            with contextlib.suppress(OSError):
                os.unlink(self.socket_path)

    def _serve(self) -> None:
        while not self._stop.is_set():
            if self._should_be_unplugged():
                if self._sock is not None:
                    log.info("Coldcard emulator unplugged (simulated)")
                    self._unbind()
                    self.device.power_cycle()
                self._stop.wait(_RECV_TIMEOUT_S)
                continue
            if self._sock is None:
                try:
                    self._bind()
                    log.info("Coldcard emulator plugged back in")
                except (OSError, NotAllowed):
                    log.exception("cannot rebind %s", self.socket_path)
                    self._stop.wait(0.5)
                    continue
            self._serve_one()

    def _serve_one(self) -> None:
        sock = self._sock
        if sock is None:
            return
        try:
            data, sender = sock.recvfrom(_MAX_DATAGRAM)
        except TimeoutError:
            return
        except OSError:
            log.debug("recv failed", exc_info=True)
            return
        if not sender:
            log.warning("dropped a report from a client that did not bind a reply address")
            return
        if self._should_be_unplugged():
            return  # the cable went while we were reading: no answer
        replies = self.device.handle_report(data, client=str(sender), defer=True)
        try:
            if self._stalled.is_set():
                return
            for reply in replies:
                sock.sendto(reply, sender)
        except OSError:
            # The client went away; like the firmware, drop the rest.
            log.debug("client %r gone", sender)
        finally:
            self.device.start_deferred()
