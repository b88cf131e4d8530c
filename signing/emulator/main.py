"""Run the software HSM emulator: in threads of this process, or in the foreground.

``start_emulator(...)`` is what tests and the GUI use::

    with start_emulator(trezor_port=0, approve="auto") as emu:
        signer = TrezorSigner.from_uri(emu.trezor_uri)

``run_foreground(...)`` backs ``custody-desk emulator``: it prints the TEST banner
and the endpoints, then serves until SIGTERM or SIGINT. One emulator is one
``SoftHsm`` (one seed, one approval policy, one PIN, one unplug switch) presented
as a Trezor on loopback UDP and, when a socket path is given, as a Coldcard on a
Unix datagram socket. Several emulators with different seeds run side by side on
different ports and paths.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType, TracebackType
from typing import Any, TextIO

from signing.emulator.hsm import ApprovalPolicy, SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
from signing.emulator.trezor_server import DEFAULT_HOST, DEFAULT_PORT, TrezorUdpServer
from signing.errors import DeviceNotFound, InvalidInput

log = logging.getLogger(__name__)

BANNER = "TEST EMULATOR — NOT FOR PRODUCTION"
DEFAULT_COLDCARD_SOCKET = "/tmp/ckcc-simulator.sock"


class RunningEmulator:
    """An emulator serving in background threads; ``stop()`` (or leaving ``with``) ends it."""

    def __init__(
        self,
        hsm: SoftHsm,
        trezor: TrezorUdpServer | None,
        coldcard: Any | None,
        control: Any | None,
        control_path: str | None,
    ) -> None:
        self.hsm = hsm
        self.trezor = trezor
        self.coldcard = coldcard
        self.control = control
        self.control_path = control_path
        self._stopped = False

    @property
    def trezor_uri(self) -> str:
        """The desk's URI of the emulated Trezor, e.g. ``trezor:udp:127.0.0.1:21324``.

        ``DeviceNotFound`` when this emulator was started without one (``trezor_port=None``).
        """
        if self.trezor is None:
            raise DeviceNotFound("this emulator serves no Trezor (started without trezor_port)")
        return f"trezor:{self.trezor.endpoint}"

    @property
    def coldcard_uri(self) -> str:
        """The desk's URI of the emulated Coldcard, e.g. ``coldcard:sock:/tmp/cc.sock``.

        ``DeviceNotFound`` when this emulator was started without one (no ``coldcard_socket``).
        """
        if self.coldcard is None:
            raise DeviceNotFound(
                "this emulator serves no Coldcard (started without coldcard_socket)"
            )
        return str(self.coldcard.uri)

    def endpoints(self) -> list[tuple[str, str]]:
        """(what, where) for every endpoint served, in banner order."""
        out: list[tuple[str, str]] = []
        if self.trezor is not None:
            out.append(("trezor", self.trezor_uri))
        if self.coldcard is not None:
            out.append(("coldcard", self.coldcard_uri))
        if self.control_path is not None:
            out.append(("control", self.control_path))
        return out

    def unplug(self) -> None:
        """Pull the virtual cable of every protocol this emulator serves."""
        self.hsm.unplug()
        if self.trezor is not None:
            self.trezor.unplug()

    def replug(self) -> None:
        self.hsm.replug()
        if self.trezor is not None:
            self.trezor.replug()
        if self.coldcard is not None and hasattr(self.coldcard, "replug"):
            self.coldcard.replug()

    def stop(self) -> None:
        """Stop every server; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        for server in (self.control, self.coldcard, self.trezor):
            if server is None:
                continue
            try:
                _shutdown(server)
            except Exception:
                log.exception("stopping %r failed", server)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_emulator(
    *,
    trezor_port: int | None = DEFAULT_PORT,
    coldcard_socket: str | None = None,
    mnemonic: str = TEST_MNEMONIC_ALL,
    approve: str | ApprovalPolicy = "auto",
    pin: str | None = None,
    control: str | None = None,
    host: str = DEFAULT_HOST,
    name: str | None = None,
    terminal_in: TextIO | None = None,
    terminal_out: TextIO | None = None,
    typed_data_full: bool = True,
) -> RunningEmulator:
    """Start an emulator in threads of this process and return it once it serves.

    ``trezor_port=0`` picks a free port (tests); ``None`` serves no Trezor.
    ``coldcard_socket=None`` serves no Coldcard. ``host`` must be a loopback address.
    Raises ``signing.errors.InvalidInput``/``NotAllowed`` for bad settings and
    ``OSError`` when a port or path is taken. ``typed_data_full=False`` makes the
    Trezor a Trezor One for Ethereum: EIP-712 by its two hashes only.
    """
    if trezor_port is not None and pin is not None and "0" in pin:
        raise InvalidInput("the Trezor PIN matrix has the digits 1 to 9 only: no 0 in --pin")
    hsm = SoftHsm(
        mnemonic,
        pin=pin,
        approve=approve,
        name=name,
        terminal_in=terminal_in,
        terminal_out=terminal_out,
    )
    trezor: TrezorUdpServer | None = None
    coldcard: Any | None = None
    control_server: Any | None = None
    try:
        if trezor_port is not None:
            trezor = TrezorUdpServer(
                hsm, host=host, port=trezor_port, typed_data_full=typed_data_full
            )
            trezor.start()
        if coldcard_socket is not None:
            from signing.emulator.coldcard_server import ColdcardServer  # lazily: optional

            coldcard = ColdcardServer(hsm, coldcard_socket)
            coldcard.start()
        running = RunningEmulator(hsm, trezor, coldcard, None, control)
        if control is not None:
            control_server = _start_control(hsm, control)
            running.control_path = control_server.address
            running.control = control_server
    except BaseException:
        for server in (control_server, coldcard, trezor):
            if server is not None:
                _shutdown(server)
        raise
    log.info("%s serving %s", BANNER, running.endpoints())
    return running


def _shutdown(server: Any) -> None:
    """Servers stop with ``stop()``; the control channel with ``close()``."""
    (server.close if hasattr(server, "close") else server.stop)()


def control_address(path: str) -> str:
    """``--control PATH`` as a control-channel address (``unix:PATH`` unless prefixed)."""
    return path if path.startswith(("unix:", "tcp:")) else f"unix:{path}"


def _start_control(hsm: SoftHsm, path: str) -> Any:
    """The operator control channel (``signing.emulator.control``), started on ``path``."""
    from signing.emulator.control import ControlServer

    return ControlServer(hsm, control_address(path)).start()


def _show(stream: TextIO, text: str) -> None:
    stream.write(f"\n[device screen] {text}\n")
    stream.flush()


def banner_lines(running: RunningEmulator) -> list[str]:
    """What the foreground emulator prints before it serves."""
    rule = "=" * 64
    lines = [
        rule,
        f"  {BANNER}",
        "  Keys come from a public test mnemonic: anyone can sign as this device.",
        rule,
        f"label:     {running.hsm.label} (fingerprint {running.hsm.fingerprint()})",
        f"approve:   {running.hsm.policy}",
        f"pin:       {'set (PIN matrix on the host)' if running.hsm.has_pin() else 'none'}",
    ]
    for what, where in running.endpoints():
        lines.append(f"{what + ':':<10} {where}")
    if running.trezor is not None:
        lines.append(f"           trezorctl -p {running.trezor.endpoint} ...")
    lines.append("Stop with Ctrl-C or SIGTERM.")
    return lines


def run_foreground(
    *,
    trezor_port: int | None = DEFAULT_PORT,
    coldcard_socket: str | None = DEFAULT_COLDCARD_SOCKET,
    mnemonic: str = TEST_MNEMONIC_ALL,
    approve: str = "auto",
    pin: str | None = None,
    control: str | None = None,
    out: TextIO | None = None,
    typed_data_full: bool = True,
) -> int:
    """Serve until SIGTERM/SIGINT (main thread only). Returns the exit code."""
    stream = out or sys.stdout
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping the emulator", signum)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with start_emulator(
            trezor_port=trezor_port,
            coldcard_socket=coldcard_socket,
            mnemonic=mnemonic,
            approve=approve,
            pin=pin,
            control=control,
            typed_data_full=typed_data_full,
        ) as running:
            stream.write("\n".join(banner_lines(running)) + "\n")
            stream.flush()
            if running.trezor is not None:
                running.trezor.device.screen = lambda text: _show(stream, text)
            while not stop.wait(0.5):
                pass
            stream.write("emulator stopped\n")
            stream.flush()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
