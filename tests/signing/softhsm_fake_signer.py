"""A test-only in-process Signer over a SoftHsm (no wire protocol), for registry/CLI tests."""

from __future__ import annotations

import threading

from signing.emulator.hsm import SoftHsm
from signing.errors import CancelledByHost, UserRejected
from signing.interface import (
    Capability,
    DeviceIdentity,
    DeviceInfo,
    DeviceKind,
    DevicePrompt,
    Interaction,
    MessageSignature,
    NullInteraction,
    PromptKind,
    PublicKeyInfo,
    Signer,
)


class HsmSigner(Signer):
    def __init__(self, uri: str, hsm: SoftHsm) -> None:
        self.info = DeviceInfo(
            uri=uri,
            kind=DeviceKind.TREZOR,
            label=hsm.label,
            transport="memory",
            is_emulator=True,
            capabilities=frozenset({Capability.SIGN_MESSAGE, Capability.GET_XPUB}),
        )
        self.hsm = hsm
        self._cancel = threading.Event()
        self._interaction: Interaction = NullInteraction()
        self.closed = False

    def open(self, interaction: Interaction) -> DeviceIdentity:
        self._interaction = interaction
        if self.hsm.locked:
            self.hsm.unlock(interaction.request_pin(self.hsm.label))
        return self.hsm.identity(DeviceKind.TREZOR)

    def close(self) -> None:
        self.closed = True

    def get_public_key(self, path: str) -> PublicKeyInfo:
        return self.hsm.get_public_key(path)

    def sign_message(self, path: str, text: str) -> MessageSignature:
        self._interaction.on_prompt(
            DevicePrompt(PromptKind.CONFIRM_ON_DEVICE, self.hsm.label, text)
        )
        approved = self.hsm.request_approval(text, self._cancel)
        self._interaction.on_done()
        if self._cancel.is_set():
            raise CancelledByHost()
        if not approved:
            raise UserRejected()
        return self.hsm.sign_message(path, text)

    def cancel(self) -> None:
        self._cancel.set()
