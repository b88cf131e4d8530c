"""Identify a connected device: model, firmware, label, fingerprint, and whether it
holds an officer's registered key (read back from the device and compared)."""

from __future__ import annotations

from dataclasses import dataclass

from signing.interface import DeviceIdentity, Interaction, Signer


@dataclass(frozen=True, slots=True)
class DeviceCheck:
    """What the device said about itself, and the key check against the registration."""

    model: str
    firmware: str
    label: str
    fingerprint: str
    is_emulator: bool
    officer: str  # whose registered key it holds ("" when none)
    path: str
    address: str  # the address the device gives for that key now
    matches: bool  # the device's key at ``path`` is the registered one


async def identify(
    uri: str,
    registered: list[tuple[str, str, str, str]],  # (officer, fingerprint, path, address)
    interaction: Interaction,
) -> DeviceCheck:
    """Open the device at ``uri``; for the officer whose fingerprint it has, read the key
    at the registered path and compare its address with the registered one."""
    from app.services.device_access import run_on_device

    def check(signer: Signer, identity: DeviceIdentity) -> DeviceCheck:
        mine = next((r for r in registered if r[1] == identity.master_fingerprint), None)
        address, matches = "", False
        if mine is not None:
            address = signer.get_public_key(mine[2]).address
            matches = address == mine[3]
        return DeviceCheck(
            identity.model,
            identity.firmware_version,
            identity.label,
            identity.master_fingerprint,
            identity.is_emulator,
            mine[0] if mine else "",
            mine[2] if mine else "",
            address,
            matches,
        )

    return await run_on_device(uri, check, interaction)
