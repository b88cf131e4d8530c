"""Trezor URIs, paths and presence checks: the parts of the driver that need no trezorlib.

``trezor:udp:127.0.0.1:21324``, ``trezor:webusb:001:4``, ``trezor:hid:<path>``: the
text after ``trezor:`` is trezorlib's own transport path.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence

from signing import errors
from signing.crypto.addresses import TESTNET, Network, ScriptType, network_for_path
from signing.crypto.bip32 import HARDENED, parse_extended_key
from signing.interface import Capability, DeviceInfo, DeviceKind

URI_PREFIX = "trezor:"
DEFAULT_UDP_HOST = "127.0.0.1"
DEFAULT_UDP_PORT = 21324
UDP_PORTS_ENV = "CUSTODY_DESK_TREZOR_UDP_PORTS"
TRANSPORTS = ("udp", "webusb", "hid", "bridge")
CAPABILITIES = frozenset(
    {
        Capability.GET_XPUB,
        Capability.SIGN_MESSAGE,
        Capability.PIN_MATRIX,
        Capability.CANCEL,
        Capability.ETH_ADDRESS,
        Capability.ETH_TYPED_DATA,  # a Trezor One refuses it at run time: Unsupported
        Capability.ETH_TYPED_HASH,
        Capability.SIGN_PSBT,
        Capability.SHOW_ADDRESS,
        Capability.SHOW_MULTISIG_ADDRESS,
        Capability.SHOW_ETH_ADDRESS,
    }
)
# trezor-common InputScriptType numbers (what trezorlib's enum holds)
SPENDADDRESS, SPENDWITNESS, SPENDP2SHWITNESS = 0, 3, 4
_SCRIPT_FOR_PURPOSE = {
    49 + HARDENED: (ScriptType.P2SH_P2WPKH, SPENDP2SHWITNESS),
    84 + HARDENED: (ScriptType.P2WPKH, SPENDWITNESS),
}
_P2PKH = (ScriptType.P2PKH, SPENDADDRESS)


def trezorlib_path(uri: str) -> str:
    """``trezor:udp:127.0.0.1:21324`` -> ``udp:127.0.0.1:21324`` (InvalidInput otherwise)."""
    if not uri.startswith(URI_PREFIX):
        raise errors.InvalidInput(f"not a Trezor device URI: {uri!r}")
    path = uri[len(URI_PREFIX) :]
    if path.split(":", 1)[0] not in TRANSPORTS:
        raise errors.InvalidInput(f"unknown Trezor transport in {uri!r}")
    return path


def script_for_path(indices: Sequence[int]) -> tuple[ScriptType, int]:
    """Address type by BIP-44/49/84 purpose, as trezorctl and wallets do (P2PKH otherwise)."""
    if indices:
        return _SCRIPT_FOR_PURPOSE.get(indices[0], _P2PKH)
    return _P2PKH


def coin_for_path(indices: Sequence[int]) -> tuple[str, Network]:
    """trezorlib's coin name and the address network for a path: SLIP-44 coin type 1' is
    ``Testnet`` (m/n/2/tb1 addresses), anything else ``Bitcoin``, as SoftHsm and the
    Coldcard driver decide it (``signing.crypto.addresses.network_for_path``)."""
    network = network_for_path(tuple(indices))
    return ("Testnet" if network is TESTNET else "Bitcoin"), network


def desk_xpub(device_xpub: str, pubkey: bytes) -> str:
    """The device's extended key in the desk's one form, the ``xpub`` version bytes.

    Firmware serialises with the coin's version (``tpub`` for Testnet even with
    ``ignore_xpub_magic``); the desk stores and compares keys as ``xpub`` whatever the
    path's network, as SoftHsm and the Coldcard emulator report them. The key must be
    the one the device sent beside it (ProtocolError otherwise).
    """
    try:
        node = parse_extended_key(device_xpub)
    except errors.InvalidInput as exc:
        raise errors.ProtocolError(f"device returned an invalid xpub: {exc.detail}") from exc
    if node.public_key != pubkey:
        raise errors.ProtocolError("device's xpub does not carry the public key it reported")
    return node.to_xpub()


def udp_probe(host: str, port: int, timeout: float = 0.2) -> str:
    """PINGPING the emulator: ``alive``, ``refused`` (nothing bound: unplugged) or ``silent``."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((host, port))
            sock.send(b"PINGPING")
            return "alive" if sock.recv(8) == b"PONGPONG" else "silent"
        except ConnectionRefusedError:
            return "refused"
        except OSError:
            return "silent"


def udp_device_present(host: str, port: int, timeout: float = 0.2) -> bool:
    """The emulator presence check trezorlib uses (PINGPING/PONGPONG); opens no session."""
    return udp_probe(host, port, timeout) == "alive"


def udp_ports_to_probe() -> list[int]:
    """Loopback UDP ports enumeration checks: 21324, or ``$CUSTODY_DESK_TREZOR_UDP_PORTS``
    (comma-separated) when several emulators run side by side."""
    raw = os.environ.get(UDP_PORTS_ENV, "")
    ports = [int(p) for p in raw.replace(" ", "").split(",") if p.isdigit() and 0 < int(p) < 65536]
    return ports or [DEFAULT_UDP_PORT]


def device_info_for(uri: str) -> DeviceInfo:
    """A ``DeviceInfo`` for a URI given by the user (nothing is opened)."""
    path = trezorlib_path(uri)
    transport = path.split(":", 1)[0]
    return DeviceInfo(
        uri=uri,
        kind=DeviceKind.TREZOR,
        label=f"Trezor ({path})",
        transport=transport,
        is_emulator=transport == "udp",
        capabilities=CAPABILITIES,
    )


def looks_like_emulator(label: str | None, fw_vendor: str | None, transport: str) -> bool:
    """Every UDP Trezor is an emulator (official or ours); ours also says so in its identity."""
    return (
        transport == "udp"
        or (label or "").startswith("EMULATOR")
        or "EMULATOR" in (fw_vendor or "")
    )
