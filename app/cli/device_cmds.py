"""Device commands: `devices`, `sign`, `verify-message` (and `devices show-address`,
``app.cli.show_address_cmd``).

``sign`` checks the text against the device text rules before anything is
sent, runs the whole device flow on the signing library's device thread, asks
for a PIN with ``getpass`` and says "Confirm on your device" when the device
waits for its button; Ctrl-C cancels the flow on the device too. The
signature is verified locally before it is printed.

Exit codes: 0 success; ``verify-message``: 1 the signature is not valid,
2 malformed input; ``sign``/``devices``: 2 bad input, 1 any other typed
signing error (its message and code are printed).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import getpass
import json
import sys
from typing import Any, TextIO

from app.cli.errors import CliError
from signing.crypto.addresses import decode_address
from signing.crypto.bip32 import canonical_path
from signing.crypto.message import decode_compact
from signing.device_thread import shared_device_thread
from signing.devicetext import check_device_text
from signing.errors import (
    CancelledByHost,
    InvalidInput,
    InvalidSignature,
    InvalidText,
    SigningError,
)
from signing.interface import Capability, DeviceIdentity, DevicePrompt, MessageSignature, PromptKind
from signing.registry import enumerate_devices, open_signer
from signing.verify import require_valid, verify_message_pubkey

_BAD_INPUT = (InvalidText, InvalidInput)


NOT_FOUND_HINTS = """\
Hints:
  - plug the device in and unlock it (PIN) and leave it on its home screen;
  - Linux: install the udev rules once, then replug:
      sudo packaging/udev/install-udev-rules.sh   (the .deb installs them for you)
  - close other wallet apps (Trezor Suite, Electrum, another desk) that may hold the device;
  - an emulator on a non-default port or socket is found through
    CUSTODY_DESK_TREZOR_UDP_PORTS=PORT[,PORT] and CUSTODY_DESK_COLDCARD_SOCKETS=PATH[:PATH]."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `devices`, `sign` and `verify-message`."""
    devices = sub.add_parser("devices", help="list signing devices (emulators included)")
    devices.add_argument("--json", action="store_true", help="machine-readable output")
    devices.set_defaults(handler=cmd_devices)
    from app.cli import show_address_cmd

    show_address_cmd.register(devices)

    sign = sub.add_parser("sign", help="sign a statement on a device (Bitcoin message)")
    sign.add_argument(
        "--device",
        required=True,
        metavar="URI",
        help="trezor:udp:127.0.0.1:21324, coldcard:sock:PATH, coldcard:hid:PATH, ...",
    )
    sign.add_argument("--path", required=True, help="BIP-32 path, e.g. m/44'/0'/0'/0/0")
    sign.add_argument("--text", required=True, help="the statement, one line of ASCII")
    sign.add_argument("--json", action="store_true", help="machine-readable output")
    sign.set_defaults(handler=cmd_sign)

    verify = sub.add_parser(
        "verify-message", help="verify a Bitcoin signed message (exit 0 only when valid)"
    )
    verify.add_argument("--address", required=True)
    verify.add_argument("--signature", required=True, help="base64, as Bitcoin tools print it")
    verify.add_argument("--text", required=True)
    verify.add_argument(
        "--environment",
        choices=("test", "prod"),
        default="test",
        help="prod also requires the statement to carry env=prod",
    )
    verify.add_argument(
        "--allow-legacy-header",
        action="store_true",
        help="accept a P2PKH-style header for a segwit address (Electrum-style signatures)",
    )
    verify.set_defaults(handler=cmd_verify_message)


def _fail(exc: SigningError) -> CliError:
    code = 2 if isinstance(exc, _BAD_INPUT) else 1
    return CliError(f"{exc} [{exc.code.value}]", exit_code=code)


# ---- devices ---------------------------------------------------------------------------


def cmd_devices(args: argparse.Namespace) -> int:
    found = enumerate_devices()
    if args.json:
        rows = [
            {
                "uri": info.uri,
                "kind": info.kind.value,
                "label": info.label,
                "transport": info.transport,
                "is_emulator": info.is_emulator,
                "capabilities": sorted(c.value for c in info.capabilities),
            }
            for info in found
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not found:
        print("No signing devices found.")
        print(NOT_FOUND_HINTS)
        return 0
    for info in found:
        tag = "  [EMULATOR]" if info.is_emulator else ""
        print(f"{info.uri}  {info.kind.value}  {info.label}{tag}")
    return 0


# ---- sign ------------------------------------------------------------------------------


class TerminalInteraction:
    """Device prompts on the terminal (stderr, so --json output stays clean)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._stream = out

    @property
    def _out(self) -> TextIO:
        return self._stream or sys.stderr  # looked up late: tests and redirections swap it

    def on_prompt(self, prompt: DevicePrompt) -> None:
        if prompt.kind is PromptKind.PIN_ENTRY_ON_DEVICE:
            self._out.write(f"Enter the PIN on {prompt.device_label} itself.\n")
        else:
            self._out.write(
                f"Confirm on your device ({prompt.device_label}). It shows:\n  {prompt.text}\n"
                "Press Ctrl-C to cancel.\n"
            )
        self._out.flush()

    def on_done(self) -> None:
        pass

    def request_pin(self, device_label: str) -> str:
        self._out.write(
            f"{device_label} is locked. For a Trezor, type the positions of your PIN digits\n"
            "on the device's scrambled keypad (7 8 9 / 4 5 6 / 1 2 3).\n"
        )
        return _ask_secret(f"PIN for {device_label}: ")

    def request_passphrase(self, device_label: str) -> str:
        return _ask_secret(f"Passphrase for {device_label} (empty for none): ")


def _ask_secret(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt) as exc:
        raise CancelledByHost("no answer at the terminal") from exc


def sign_on_device(
    uri: str, path: str, text: str, interaction: TerminalInteraction
) -> tuple[DeviceIdentity, MessageSignature]:
    """The whole device flow, on the shared device thread; Ctrl-C cancels on the device."""
    signer = open_signer(uri)
    signer.require(Capability.SIGN_MESSAGE)

    def flow() -> tuple[DeviceIdentity, MessageSignature]:
        identity = signer.open(interaction)
        try:
            return identity, signer.sign_message(path, text)
        finally:
            signer.close()

    async def run() -> tuple[DeviceIdentity, MessageSignature]:
        return await shared_device_thread().run(flow, on_cancel=signer.cancel)

    return asyncio.run(run())


def cmd_sign(args: argparse.Namespace) -> int:
    try:
        text = check_device_text(args.text)
        path = canonical_path(args.path)
        identity, signed = sign_on_device(args.device, path, text, TerminalInteraction())
        if not verify_message_pubkey(signed.pubkey, text, signed.signature):
            raise InvalidSignature("the device returned a signature that does not verify")
    except SigningError as exc:
        raise _fail(exc) from exc
    signature_b64 = base64.b64encode(signed.signature).decode()
    if args.json:
        print(
            json.dumps(
                {
                    "address": signed.address,
                    "signature": signature_b64,
                    "pubkey": signed.pubkey.hex(),
                    "path": signed.path,
                    "text": text,
                    "device": {
                        "uri": args.device,
                        "label": identity.label,
                        "fingerprint": identity.master_fingerprint,
                        "is_emulator": identity.is_emulator,
                    },
                },
                indent=2,
            )
        )
    else:
        if identity.is_emulator:
            print("WARNING: signed by a TEST EMULATOR, not a hardware device.", file=sys.stderr)
        print(f"address:   {signed.address}")
        print(f"signature: {signature_b64}")
        print(f"pubkey:    {signed.pubkey.hex()}")
    return 0


# ---- verify-message --------------------------------------------------------------------


def decode_signature_text(text: str) -> bytes:
    """Strict base64 of a 65-byte BIP-137 signature; anything else raises InvalidInput."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("the signature is not base64") from exc
    try:
        decode_compact(raw)
    except InvalidSignature as exc:
        raise InvalidInput(f"not a BIP-137 signature: {exc.detail}") from exc
    return raw


def cmd_verify_message(args: argparse.Namespace) -> int:
    try:
        signature = decode_signature_text(args.signature)
        decode_address(args.address)
    except SigningError as exc:
        raise CliError(f"malformed input: {exc} [{exc.code.value}]", exit_code=2) from exc
    environment = "prod" if args.environment == "prod" else None
    try:
        require_valid(
            args.address,
            args.text,
            signature,
            environment=environment,
            legacy_segwit_header=args.allow_legacy_header,
        )
    except SigningError as exc:
        raise CliError(f"NOT VALID: {exc} [{exc.code.value}]", exit_code=1) from exc
    print(f"Signature valid for {args.address}")
    return 0
