"""Finding Coldcards and emulators, and making signers for ``coldcard:`` URIs.

Enumeration never opens a device: USB HID devices are listed by VID/PID through
``hid.enumerate``; emulator sockets are found by name and probed with a
``connect`` (which sends nothing) to skip stale socket files.
URIs: ``coldcard:hid:<hidapi path>`` and ``coldcard:sock:/path/to/socket``.
"""

from __future__ import annotations

import glob
import os
import stat

from signing.devices.coldcard import (
    CAPABILITIES,
    DEFAULT_APPROVAL_TIMEOUT_S,
    DEFAULT_IO_TIMEOUT_MS,
    DEFAULT_SIM_SOCKET,
    FAMILY,
    SOCKETS_ENV,
    ColdcardSigner,
    PipeFactory,
    TrafficHook,
)
from signing.errors import InvalidInput
from signing.interface import DeviceInfo, DeviceKind
from signing.transport.base import ReportPipe
from signing.transport.hid_enumerate import EnumerateFn, enumerate_family, text_to_path
from signing.transport.unix_socket import socket_is_live


def emulator_socket_paths() -> list[str]:
    """Live emulator sockets: the simulator default, ``$CUSTODY_DESK_COLDCARD_SOCKETS``
    and ``/tmp/ckcc-simulator*.sock``. Connecting (which sends nothing) weeds out
    stale socket files."""
    candidates = [DEFAULT_SIM_SOCKET]
    extra = os.environ.get(SOCKETS_ENV, "")
    candidates += [p for p in extra.split(os.pathsep) if p]
    candidates += sorted(glob.glob("/tmp/ckcc-simulator*.sock"))
    found: list[str] = []
    for path in candidates:
        if path in found:
            continue
        try:
            if not stat.S_ISSOCK(os.stat(path).st_mode):
                continue
        except OSError:
            continue
        if socket_is_live(path):
            found.append(path)
    return found


def _socket_info(path: str) -> DeviceInfo:
    return DeviceInfo(
        uri=f"{FAMILY.name}:sock:{path}",
        kind=DeviceKind.COLDCARD,
        label=f"Coldcard emulator (TEST ONLY) at {path}",
        transport="sock",
        is_emulator=True,
        capabilities=CAPABILITIES,
    )


def _hid_info(uri: str, serial: str) -> DeviceInfo:
    return DeviceInfo(
        uri=uri,
        kind=DeviceKind.COLDCARD,
        label=f"Coldcard {serial}" if serial else "Coldcard",
        transport="hid",
        is_emulator=False,
        capabilities=CAPABILITIES,
    )


def enumerate_devices(
    *,
    socket_paths: list[str] | None = None,
    enumerate_fn: EnumerateFn | None = None,
) -> list[DeviceInfo]:
    """Every Coldcard on USB HID and every live emulator socket. Opens nothing."""
    infos = [
        _hid_info(candidate.uri, candidate.serial_number)
        for candidate in enumerate_family(FAMILY, enumerate_fn)
    ]
    paths = emulator_socket_paths() if socket_paths is None else socket_paths
    infos += [_socket_info(path) for path in paths]
    return infos


def parse_uri(uri: str) -> tuple[str, str]:
    """``coldcard:hid:<path>`` or ``coldcard:sock:/path`` -> (transport, target)."""
    scheme, _, rest = uri.partition(":")
    transport, _, target = rest.partition(":")
    if scheme != FAMILY.name or transport not in ("hid", "sock") or not target:
        raise InvalidInput(
            f"not a Coldcard URI: {uri!r} (coldcard:hid:<path> or coldcard:sock:/path)"
        )
    return transport, target


def signer_for_uri(
    uri: str,
    *,
    io_timeout_ms: int = DEFAULT_IO_TIMEOUT_MS,
    approval_timeout_s: float = DEFAULT_APPROVAL_TIMEOUT_S,
    expected_fingerprint: str | None = None,
    on_traffic: TrafficHook | None = None,
) -> ColdcardSigner:
    """A signer for ``uri``; nothing is opened until ``open()``."""
    transport, target = parse_uri(uri)
    factory: PipeFactory
    if transport == "sock":
        from signing.transport.unix_socket import UnixDatagramPipe

        info = _socket_info(target)

        def factory() -> ReportPipe:
            return UnixDatagramPipe(target)

    else:
        from signing.transport.hidapi_pipe import open_hid_path

        info = _hid_info(uri, "")

        def factory() -> ReportPipe:
            return open_hid_path(text_to_path(target), label=info.label)

    return ColdcardSigner(
        info,
        factory,
        io_timeout_ms=io_timeout_ms,
        approval_timeout_s=approval_timeout_s,
        expected_fingerprint=expected_fingerprint,
        on_traffic=on_traffic,
    )
