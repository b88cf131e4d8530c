"""Officers and counterparty keys: registered from the device, exported as the keys file.

An officer's identity *is* the key on their own device: registering reads the
public key at a path from the device (never typed in), and approving later
needs a signature that verifies against exactly that key.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import cast

from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for
from app.documents.testseed_keys import why_test_key
from app.domain.names import InvalidName, check_name
from app.services.data_binding import with_bindings
from app.services.desk_identity import desk_identity
from app.services.device_access import SignerFactory, run_on_device
from app.services.independence import KeyClaim, NotIndependent, known_holders, refuse_dependent
from app.services.unit_of_work import unit_of_work
from app.store.interface import Store
from app.store.repo_desk import OfficerRecord, PartyKeyRecord, SqliteDeskRepository
from app.store.repo_signin import SqliteSigninRepository
from signing.crypto.addresses import address_matches, decode_address
from signing.crypto.secp256k1 import decode_point
from signing.errors import InvalidInput
from signing.interface import DeviceIdentity, Interaction, PublicKeyInfo, Signer

logger = logging.getLogger(__name__)


class OfficerError(Exception):
    """An officer or key operation was refused; nothing was stored."""


def desk_repo(tx: object) -> SqliteDeskRepository:
    """The desk repository bound to an open SQLite transaction."""
    return cast(SqliteDeskRepository, tx.repository(SqliteDeskRepository))  # type: ignore[attr-defined]


async def read_device_key(
    uri: str, path: str, interaction: Interaction, signer_factory: SignerFactory | None = None
) -> tuple[DeviceIdentity, PublicKeyInfo]:
    """The device's identity and its public key at ``path`` (read on the device thread)."""

    def read(signer: Signer, identity: DeviceIdentity) -> tuple[DeviceIdentity, PublicKeyInfo]:
        return identity, signer.get_public_key(path)

    return await run_on_device(uri, read, interaction, signer_factory)


async def register_officer(
    store: Store,
    name: str,
    role: str,
    uri: str,
    path: str,
    *,
    interaction: Interaction,
    actor: str,
    signer_factory: SignerFactory | None = None,
) -> OfficerRecord:
    """Register ``name`` with the key read from their device at ``path``."""
    _checked_name(name, "officer name")
    identity, key = await read_device_key(uri, path, interaction, signer_factory)
    refuse_test_key(store, key.pubkey, identity.master_fingerprint, identity.is_emulator)
    with unit_of_work(store) as uow:
        repo = desk_repo(uow.tx)
        if repo.officer_by_name(name) is not None:
            raise OfficerError(f"officer {name} is already registered")
        _refuse_dependent(
            repo, KeyClaim(Party.CUSTODIAN, identity.master_fingerprint, key.pubkey.hex(),
                           officer=True)
        )
        record = OfficerRecord(
            id=0,
            name=name,
            role=role,
            device_kind=identity.kind.value,
            fingerprint=identity.master_fingerprint,
            path=key.path,
            xpub=key.xpub,
            pubkey=key.pubkey,
            address=key.address,
            is_emulator=identity.is_emulator,
            active=True,
            registered_at=uow.now,
        )
        officer_id = repo.add_officer(record, registered_by=actor)
        uow.audit(
            actor,
            "officer.register",
            with_bindings(
                uow.tx,
                {
                    "name": name,
                    "role": role,
                    "fingerprint": identity.master_fingerprint,
                    "key_id": key_id_for(key.pubkey),
                    "is_emulator": identity.is_emulator,
                },
                ("officers", name),
            ),
        )
    logger.info("officer %s registered (key %s)", name, key_id_for(key.pubkey))
    return replace(record, id=officer_id)


def refuse_test_key(store: Store, pubkey: bytes, fingerprint: str, is_emulator: bool) -> None:
    """A production desk registers no test material: emulator flag, test-seed device or key."""
    if desk_identity(store).env != "prod":
        return
    reason = why_test_key(pubkey, fingerprint, is_emulator)
    if reason is not None:
        raise OfficerError(
            f"a test emulator key cannot be registered on a production desk: {reason}"
        )


def _checked_name(name: str, what: str) -> str:
    try:
        return check_name(name, what)
    except InvalidName as exc:
        raise OfficerError(str(exc)) from exc


def _refuse_dependent(repo: SqliteDeskRepository, claim: KeyClaim) -> None:
    """Independent parties, one device per officer (``app.services.independence``)."""
    import app.services.vault  # noqa: F401  (registers the Bitcoin multisig keys' holders)

    try:
        refuse_dependent(claim, known_holders(repo))
    except NotIndependent as exc:
        raise OfficerError(str(exc)) from exc


def _check_party_key(pubkey: bytes, address: str) -> None:
    """A trust-root key must be a real curve point, and its address really its own."""
    if len(pubkey) != 33 or pubkey[0] not in (2, 3):
        raise OfficerError("public key must be 33-byte compressed secp256k1")
    try:
        decode_point(pubkey)
        if address and not address_matches(pubkey, decode_address(address)):
            raise OfficerError(f"address {address} does not belong to this public key")
    except InvalidInput as exc:
        raise OfficerError(f"not a usable key or address: {exc}") from exc


def list_officers(store: Store) -> list[OfficerRecord]:
    with store.read() as tx:
        return desk_repo(tx).officers()


def add_party_key(
    store: Store,
    party: Party,
    pubkey: bytes,
    address: str,
    *,
    actor: str,
    role: Role = Role.EMERGENCY,
    name: str = "",
    is_emulator: bool = False,
    fingerprint: str = "",
    path: str = "",
) -> PartyKeyRecord:
    """Register a counterparty's (or our own emergency) public key in the trust root.

    ``fingerprint`` is the master fingerprint of the device the key was read
    from, when it was: a custody officer's device never holds another party's key.
    """
    _check_party_key(pubkey, address)
    if name:
        _checked_name(name, "key name")
    refuse_test_key(store, pubkey, fingerprint, is_emulator)
    with unit_of_work(store) as uow:
        repo = desk_repo(uow.tx)
        if any(k.pubkey == pubkey and k.role == role.value for k in repo.party_keys()):
            raise OfficerError(f"key {key_id_for(pubkey)} is already registered")
        # One key, one party, one device per party: a key or device shared by two
        # parties would let one organisation count as two in the 2-of-3.
        _refuse_dependent(repo, KeyClaim(party, fingerprint, pubkey.hex()))
        record = PartyKeyRecord(
            id=0,
            party=party.value,
            role=role.value,
            name=name or f"{party.value}-{role.value}",
            pubkey=pubkey,
            address=address,
            is_emulator=is_emulator,
            valid_from=uow.now,
            valid_until=None,
            revoked_at=None,
            fingerprint=fingerprint,
            path=path,
        )
        repo.add_party_key(record, added_at=uow.now)
        uow.audit(
            actor,
            "party_key.add",
            with_bindings(
                uow.tx,
                {
                    "party": party.value,
                    "role": role.value,
                    "key_id": key_id_for(pubkey),
                    "fingerprint": fingerprint or None,  # which device, when read from one
                },
                ("party_keys", pubkey.hex()),
            ),
        )
    return record


def revoke_key(store: Store, key_id: str, *, actor: str) -> None:
    """Revoke a key: from now on its signatures never count."""
    with unit_of_work(store) as uow:
        repo = desk_repo(uow.tx)
        matches = [k.pubkey for k in repo.party_keys() if key_id_for(k.pubkey) == key_id]
        matches += [o.pubkey for o in repo.officers() if key_id_for(o.pubkey) == key_id]
        if not matches:
            raise OfficerError(f"no key {key_id}")
        # audited first: an officer may revoke their own key while still signed in with it
        uow.audit(actor, "key.revoke", {"key_id": key_id})
        revoked = uow.tx.repository(SqliteSigninRepository)  # type: ignore[attr-defined]
        for pubkey in matches:
            repo.revoke_party_key(pubkey, uow.now)
            repo.deactivate_officer_key(pubkey)
            revoked.add_revoked_key(pubkey, uow.now, actor)


def revoke_officer(store: Store, name: str, *, actor: str) -> None:
    """Take ``name`` off the desk: they can no longer sign in or act (their key stays
    in the keys file, marked revoked, so their past signatures still verify as history)."""
    with unit_of_work(store) as uow:
        repo = desk_repo(uow.tx)
        officer = repo.officer_by_name(name)
        if officer is None:
            raise OfficerError(f"no officer named {name}")
        if not officer.active:
            raise OfficerError(f"officer {name} is already revoked")
        uow.audit(actor, "officer.revoke", {"name": name, "key_id": key_id_for(officer.pubkey)})
        repo.deactivate_officer_key(officer.pubkey)


def keys_from_repo(repo: SqliteDeskRepository, env: str) -> KeysFile:
    """The trust root as stored: officers' keys and every registered party key."""
    entries: list[KeyEntry] = []
    for o in repo.officers():
        entries.append(
            KeyEntry(
                key_id=key_id_for(o.pubkey),
                party=Party.CUSTODIAN,
                role=Role.OFFICER,
                name=o.name,
                pubkey=o.pubkey,
                address=o.address,
                valid_from=o.registered_at.replace(microsecond=0),
                valid_until=None,
                revoked=not o.active,
                is_emulator=o.is_emulator,
                fingerprint=o.fingerprint,
                path=o.path,
            )
        )
    officer_keys = {o.pubkey for o in repo.officers()}
    for k in repo.party_keys():
        if k.pubkey in officer_keys:
            # the custodian named an officer's key as its emergency key: the officer
            # entry already counts for the custodian's share and keeps its role
            continue
        entries.append(
            KeyEntry(
                key_id=key_id_for(k.pubkey),
                party=Party(k.party),
                role=Role(k.role),
                name=k.name,
                pubkey=k.pubkey,
                address=k.address,
                valid_from=k.valid_from.replace(microsecond=0),
                valid_until=k.valid_until,
                revoked=k.revoked_at is not None,
                is_emulator=k.is_emulator,
                fingerprint=k.fingerprint,
                path=k.path,
            )
        )
    result = KeysFile(env=env, entries=())
    for entry in entries:  # one entry per key id (registration keeps one key, one party)
        result = result.with_entry(entry)
    return result


def keys_file(store: Store) -> KeysFile:
    """The desk's trust root, for ``keys export`` and for verifying imports."""
    env = desk_identity(store).env
    with store.read() as tx:
        return keys_from_repo(desk_repo(tx), env)


__all__ = [
    "OfficerError",
    "add_party_key",
    "desk_repo",
    "keys_file",
    "keys_from_repo",
    "list_officers",
    "read_device_key",
    "refuse_test_key",
    "register_officer",
    "revoke_key",
    "revoke_officer",
]
