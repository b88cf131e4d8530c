"""The one interface the desk signs through, and the values it exchanges.

A ``Signer`` is blocking; the desk calls it only from the signing library's
device thread (``signing.device_thread``). Human interaction ("confirm on
device", PIN matrix, passphrase) reaches the caller through ``Interaction``,
which the GUI or the CLI implements. ``cancel()`` may be called from any thread.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class DeviceKind(StrEnum):
    TREZOR = "trezor"
    COLDCARD = "coldcard"


class Capability(StrEnum):
    GET_XPUB = "get_xpub"
    SIGN_MESSAGE = "sign_message"
    PIN_MATRIX = "pin_matrix"  # host-side PIN entry with a scrambled keypad
    PASSPHRASE = "passphrase"
    ENCRYPTED_LINK = "encrypted_link"
    CANCEL = "cancel"
    ETH_ADDRESS = "eth_address"  # EthereumGetAddress
    ETH_TYPED_DATA = "eth_typed_data"  # EIP-712 shown field by field (EthereumSignTypedData)
    ETH_TYPED_HASH = "eth_typed_hash"  # EIP-712 by its two hashes (EthereumSignTypedHash)
    SIGN_PSBT = "sign_psbt"  # Bitcoin multisig spends (BIP-174)
    SHOW_ADDRESS = "show_address"  # displays a single-key Bitcoin address for the human
    SHOW_MULTISIG_ADDRESS = "show_multisig_address"  # displays a sortedmulti P2WSH address
    SHOW_ETH_ADDRESS = "show_eth_address"  # displays an Ethereum address (EthereumGetAddress)


@dataclass(frozen=True)
class DeviceInfo:
    """What enumeration learns without opening the device."""

    uri: str  # e.g. trezor:udp:127.0.0.1:21324, coldcard:sock:/tmp/x, coldcard:hid:<path>
    kind: DeviceKind
    label: str
    transport: str  # udp, webusb, hid, bridge, sock
    is_emulator: bool
    capabilities: frozenset[Capability]


@dataclass(frozen=True)
class DeviceIdentity:
    """What the device says about itself once opened."""

    kind: DeviceKind
    label: str
    model: str
    firmware_version: str
    master_fingerprint: str  # 8 lowercase hex chars (BIP-32 fingerprint of m)
    is_emulator: bool


@dataclass(frozen=True)
class PublicKeyInfo:
    path: str  # canonical form, hardened marked with ', e.g. m/44'/0'/0'/0/0
    xpub: str
    pubkey: bytes  # 33-byte compressed secp256k1
    address: str  # the address the device signs messages for at this path


@dataclass(frozen=True)
class MessageSignature:
    """A BIP-137 message signature, exactly as the device returned it."""

    path: str
    text: str
    address: str
    signature: bytes  # 65 bytes: header || r || s
    pubkey: bytes  # 33-byte compressed


@dataclass(frozen=True)
class TypedDataSignature:
    """An EIP-712 signature as the device returned it, with the hashes it covers.

    ``signature`` is the standard 65 bytes ``r || s || v`` (v 27 or 28) over
    ``keccak(0x1901 || domain_hash || message_hash)``; ``message_hash`` is None when
    the primary type is the domain itself. ``shown_in_full`` tells whether the device
    walked through every field (``sign_typed_data``) or showed only the two hashes.
    """

    path: str
    address: str  # EIP-55
    signature: bytes
    domain_hash: bytes
    message_hash: bytes | None
    shown_in_full: bool


@dataclass(frozen=True)
class MultisigCosigner:
    """One key of a multisig address: its account key and where it comes from."""

    fingerprint: bytes  # 4-byte master fingerprint of the device holding it
    account_path: tuple[int, ...]  # master -> account node, e.g. 48'/1'/0'/2'
    account_xpub: str  # the extended public key at ``account_path``


@dataclass(frozen=True)
class MultisigAddressRequest:
    """A ``wsh(sortedmulti(threshold, ...))`` address for a device to derive and show.

    Every cosigner's key is its account key derived along ``suffix`` (the same
    non-hardened steps for all, e.g. the client's branch and the address index); the
    script orders the keys by their bytes (BIP-67). The device must hold one of the
    cosigners (its fingerprint) and derives the address itself from these keys.
    """

    threshold: int
    cosigners: tuple[MultisigCosigner, ...]
    suffix: tuple[int, ...]
    testnet: bool


class PromptKind(StrEnum):
    CONFIRM_ON_DEVICE = "confirm_on_device"
    PIN_ENTRY_ON_DEVICE = "pin_entry_on_device"


@dataclass(frozen=True)
class DevicePrompt:
    kind: PromptKind
    device_label: str
    text: str  # what the device is showing, in full


class Interaction(Protocol):
    """Callbacks from the device thread to the caller's UI.

    ``on_prompt`` and ``on_done`` must not block. ``request_pin`` and
    ``request_passphrase`` block the device thread (never the GUI thread) until
    the user answers; they raise ``CancelledByHost`` if the user cancels.
    """

    def on_prompt(self, prompt: DevicePrompt) -> None: ...

    def on_done(self) -> None: ...

    def request_pin(self, device_label: str) -> str: ...

    def request_passphrase(self, device_label: str) -> str: ...


class NullInteraction:
    """For scripts: prompts are ignored; PIN and passphrase cannot be asked."""

    def on_prompt(self, prompt: DevicePrompt) -> None:
        pass

    def on_done(self) -> None:
        pass

    def request_pin(self, device_label: str) -> str:
        from signing.errors import PinRequired

        raise PinRequired(f"{device_label} asks for a PIN and no one can enter it")

    def request_passphrase(self, device_label: str) -> str:
        return ""


class CancelToken:
    """A thread-safe flag a driver polls between reads while waiting for a human."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def reset(self) -> None:
        self._event.clear()


class Signer(ABC):
    """A connected signing device. Blocking; use it from the device thread only."""

    info: DeviceInfo

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.info.capabilities

    def require(self, capability: Capability) -> None:
        """Raise ``Unsupported`` unless the device has ``capability``."""
        if capability not in self.capabilities:
            from signing.errors import Unsupported

            raise Unsupported(f"{self.info.label} lacks {capability.value}")

    @abstractmethod
    def open(self, interaction: Interaction) -> DeviceIdentity:
        """Connect, handshake, and return who the device is."""

    @abstractmethod
    def close(self) -> None:
        """Release the device. Safe to call twice."""

    @abstractmethod
    def get_public_key(self, path: str) -> PublicKeyInfo:
        """Public key, xpub and message address at ``path``."""

    @abstractmethod
    def sign_message(self, path: str, text: str) -> MessageSignature:
        """Have the device show ``text`` in full and sign it (BIP-137)."""

    # ---- "show address on device": the human compares what the device displays --------

    def show_address(self, path: str, *, shown: str = "") -> str:
        """Display the single-key Bitcoin address at ``path`` on the device; return it.

        The script type follows the path's purpose, as ``get_public_key``'s address. A
        device that asks its human to confirm (Trezor) raises ``UserRejected`` when
        they refuse; one that only displays it (Coldcard) returns at once. Either way
        the caller compares the returned address with the registered one. ``shown`` is
        what the host's "check your device" prompt says (the address it expects).
        """
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} cannot show an address on its screen")

    def show_multisig_address(
        self, request: MultisigAddressRequest, *, shown: str = ""
    ) -> str:
        """Display the multisig address of ``request`` (derived on the device); return it."""
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} cannot show a multisig address")

    def show_eth_address(self, path: str, *, shown: str = "") -> str:
        """Display the EIP-55 Ethereum address at ``path`` on the device; return it."""
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} cannot show an Ethereum address")

    # ---- Ethereum (EIP-712); a device family without them keeps these refusals ----------

    def get_eth_address(self, path: str) -> str:
        """The EIP-55 Ethereum address at ``path`` (e.g. m/44'/60'/0'/0/0)."""
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} has no Ethereum app")

    def sign_typed_data(
        self, path: str, data: dict[str, Any], *, shown: str = ""
    ) -> TypedDataSignature:
        """Have the device walk through EIP-712 ``data`` (domain and every field) and sign.

        ``shown`` is what the host's "confirm on your device" prompt says. Raises
        ``InvalidTypedData`` before touching the device when ``data`` is malformed, and
        ``Unsupported`` when the device cannot show typed data (a Trezor One):
        fall back to ``sign_typed_hash``.
        """
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} cannot sign EIP-712 typed data")

    def sign_typed_hash(
        self, path: str, domain_hash: bytes, message_hash: bytes | None, *, shown: str = ""
    ) -> TypedDataSignature:
        """Sign EIP-712 data by its domain separator and message hash (the device shows both)."""
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} cannot sign EIP-712 hashes")

    # ---- Bitcoin multisig (BIP-174) -------------------------------------------------------

    def sign_psbt(self, psbt: str) -> str:
        """Have the device show the spend (outputs, amount, fee) and sign its own inputs.

        ``psbt`` and the result are base64 BIP-174; the result adds this device's
        partial signatures. Devices without ``SIGN_PSBT`` raise ``Unsupported``.
        """
        self.require(Capability.SIGN_PSBT)
        from signing.errors import Unsupported

        raise Unsupported(f"{self.info.label} cannot sign PSBTs")

    @abstractmethod
    def cancel(self) -> None:
        """Abort the flow in progress from any thread; the waiting call raises CancelledByHost."""
