"""Show a registered key's address on its device and compare it with the registration.

As Trezor Suite and Sparrow do: the device derives the address itself and shows it on
its own screen; the desk compares what the device answers with the address it
registered and says match or MISMATCH. A mismatch means the device does not hold the
registered key (another seed, another passphrase, a swapped device) or the registration
is wrong: the key must not be used until that is resolved.

Three kinds of registered key:

* an **officer's** signing key (path and address read from their device at registration);
* a party's **multisig** account key: the device shows receive address 0 of a client's
  2-of-3 vault, derived on the device from the three registered account keys, and the
  desk compares it with the vault's address (so all three keys must be registered);
* a party's **Safe owner** address (Ethereum), at its registered path (an owner
  registered by its address alone has no path and is not listed).

A multisig key is checked on the device it was registered from (its fingerprint):
any of the three devices would show the same vault address.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from app.services.device_access import SignerFactory, run_on_device
from app.services.officers import desk_repo
from app.services.vault import VaultError, network_of, vault_in
from app.services.vault_safes import eth_repo
from app.store.interface import Store
from signing.bitcoin.errors import BitcoinError
from signing.errors import Unsupported
from signing.interface import DeviceIdentity, Interaction, MultisigAddressRequest, Signer

log = logging.getLogger(__name__)

VAULT_INDEX = 0  # the receive address a multisig key check shows


class KeyKind(StrEnum):
    OFFICER = "officer"
    MULTISIG = "multisig"
    SAFE_OWNER = "safe_owner"


@dataclass(frozen=True, slots=True)
class RegisteredKey:
    """One registered key the desk can ask a device to show."""

    kind: KeyKind
    owner: str  # officer name or party
    path: str  # officer and Safe owner: the key's path; multisig: the account path
    address: str  # what the device must show
    fingerprint: str  # the device it was read from ("" when not recorded)
    client_id: str = ""  # multisig: whose vault address is shown
    multisig: MultisigAddressRequest | None = None

    @property
    def description(self) -> str:
        if self.kind is KeyKind.OFFICER:
            return f"officer {self.owner}'s key at {self.path}"
        if self.kind is KeyKind.MULTISIG:
            return f"the {self.owner}'s multisig key: {self.client_id}'s vault, receive #0"
        return f"the {self.owner}'s Safe owner at {self.path}"


@dataclass(frozen=True, slots=True)
class AddressCheck:
    """What the device showed for ``key``, and whether it is the registered address."""

    key: RegisteredKey
    shown: str  # "" when the device was not asked: it is not the key's registered device
    device_label: str
    device_fingerprint: str

    @property
    def matches(self) -> bool:
        return bool(self.shown) and self.shown == self.key.address

    @property
    def wrong_device(self) -> bool:
        """A multisig key asked of another device than the one it was registered from."""
        return not self.shown


def registered_keys(store: Store) -> list[RegisteredKey]:
    """Every active officer key, every party's multisig key (with the first client's
    vault, when all three are registered) and every Safe owner."""
    network = network_of(store)
    keys: list[RegisteredKey] = []
    with store.read() as tx:
        for officer in desk_repo(tx).officers():
            if officer.active:
                keys.append(
                    RegisteredKey(
                        KeyKind.OFFICER,
                        officer.name,
                        officer.path,
                        officer.address,
                        officer.fingerprint,
                    )
                )
        keys.extend(_multisig_keys(tx, network))
        for owner in eth_repo(tx).eth_owners():
            if not owner.path:  # pasted as an address: no path a device could show it at
                continue
            keys.append(
                RegisteredKey(
                    KeyKind.SAFE_OWNER,
                    owner.party,
                    owner.path,
                    owner.address,
                    owner.fingerprint,
                )
            )
    return keys


def _multisig_keys(tx: object, network: str) -> list[RegisteredKey]:
    from app.services.vault import vault_repo

    records = vault_repo(tx).multisig_keys()
    first = tx.holdings.first_client_id()  # type: ignore[attr-defined]
    if not records or first is None:
        return []
    try:
        vault = vault_in(tx, first, network)
    except (BitcoinError, VaultError) as exc:  # not all three parties' keys yet: none shown
        log.debug("no vault to show: %s", exc)
        return []
    request = vault.display_request(VAULT_INDEX)
    address = vault.address(VAULT_INDEX).address
    return [
        RegisteredKey(
            KeyKind.MULTISIG,
            record.party,
            record.path,
            address,
            record.fingerprint,
            client_id=first,
            multisig=request,
        )
        for record in records
    ]


def expectation(key: RegisteredKey) -> str:
    """The host's "check your device" text: what the device must show."""
    return f"The device must show {key.address} ({key.description}): compare every character"


async def show_on_device(
    key: RegisteredKey,
    uri: str,
    interaction: Interaction,
    signer_factory: SignerFactory | None = None,
) -> AddressCheck:
    """Have the device at ``uri`` derive and show ``key``'s address; compare it.

    Typed ``signing.errors`` propagate (a refusal on the device is ``UserRejected``; a
    device that holds none of a multisig's keys is ``WrongDevice``). A multisig key asked
    of another device than its own is not shown at all (``AddressCheck.wrong_device``).
    """
    shown_text = expectation(key)

    def show(signer: Signer, identity: DeviceIdentity) -> tuple[str, DeviceIdentity]:
        if key.kind is KeyKind.OFFICER:
            return signer.show_address(key.path, shown=shown_text), identity
        if key.kind is KeyKind.MULTISIG:
            if key.multisig is None:
                raise Unsupported("no vault to show for this multisig key")
            # Any of the three devices derives the same vault address: the check is about
            # this party's key, so the device must be the one it was registered from.
            if key.fingerprint and identity.master_fingerprint != key.fingerprint:
                return "", identity
            return signer.show_multisig_address(key.multisig, shown=shown_text), identity
        return signer.show_eth_address(key.path, shown=shown_text), identity

    shown, identity = await run_on_device(uri, show, interaction, signer_factory)
    check = AddressCheck(key, shown, identity.label, identity.master_fingerprint)
    if check.wrong_device:
        log.warning(
            "%s (%s) is not the device %s was registered from (%s): nothing shown",
            identity.label,
            identity.master_fingerprint,
            key.description,
            key.fingerprint,
        )
    elif not check.matches:
        log.warning(
            "address MISMATCH for %s: device %s showed %s, registered %s",
            key.description,
            identity.master_fingerprint,
            shown,
            key.address,
        )
    return check
