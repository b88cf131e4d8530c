"""What the window's Settings dialog reads and changes (each write audited).

The exchange link (URL or drop folder, TLS files), the party keys (list, add as
``custody-desk parties add`` does, revoke, export the keys file), backup and
restore, the store in use and the build. Plain functions over the store: the
dialog runs them in a worker thread.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.documents.keys import Party, key_id_for
from app.exchange.configured import (
    LINK_SETTING,
    TLS_SETTINGS,
    BadLinkTarget,
    check_target,
    configured_target,
    tls_files,
)
from app.files import write_private
from app.services.data_binding import with_bindings
from app.services.desk_facade import RefusedError
from app.services.unit_of_work import unit_of_work
from app.store.interface import Store
from signing.interface import Interaction


@dataclass(frozen=True, slots=True)
class ExchangeSettings:
    target: str  # an http(s) URL or a drop-folder path; "" for none
    tls_ca: str = ""
    tls_cert: str = ""
    tls_key: str = ""


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One registered key: a party's (regulator, exchange, custodian) or an officer's."""

    key_id: str
    party: str
    name: str
    address: str
    active: bool
    since: datetime
    kind: str = "statement"  # or "multisig" (BTC account key), "safe" (Safe owner)
    is_test: bool = False  # a multisig key read from a test emulator

    @property
    def revocable(self) -> bool:
        """Statement keys are revoked here; a multisig key or Safe owner is replaced."""
        return self.kind == "statement" and self.active


def exchange_settings(store: Store) -> ExchangeSettings:
    return ExchangeSettings(configured_target(store) or "", *tls_files(store))


def save_exchange_settings(store: Store, settings: ExchangeSettings, actor: str) -> None:
    """Store the link and its TLS files (each file must exist); audited."""
    target = settings.target.strip()
    problems = []
    if target:
        from app.services.desk_identity import desk_identity

        try:  # the one rule for every link: https, loopback http on a test desk, or a folder
            check_target(target, desk_identity(store).env)
        except BadLinkTarget as exc:
            problems.append(str(exc))
    files = (settings.tls_ca.strip(), settings.tls_cert.strip(), settings.tls_key.strip())
    for name, path in zip(("CA bundle", "client certificate", "client key"), files, strict=True):
        if path and not Path(path).is_file():
            problems.append(f"{name} {path}: no such file")
    if files[2] and not files[1]:
        problems.append("a client key needs its client certificate")
    if problems:
        raise RefusedError(problems)
    with unit_of_work(store) as uow:
        uow.tx.settings.put(LINK_SETTING, target, uow.now)
        for name, value in zip(TLS_SETTINGS, files, strict=True):
            uow.tx.settings.put(name, value, uow.now)
        uow.audit(actor, "settings.exchange_link", with_bindings(
            uow.tx, {"target": target, "tls_files": list(files)},
            *(("settings", name) for name in (LINK_SETTING, *TLS_SETTINGS))))


def keys(store: Store) -> list[KeyRow]:
    """Every party key and officer key, active ones first."""
    from app.services.officers import desk_repo

    with store.read() as tx:
        repo = desk_repo(tx)
        rows = [
            KeyRow(
                key_id_for(k.pubkey),
                k.party,
                k.name,
                k.address,
                k.revoked_at is None,
                k.valid_from,
            )
            for k in repo.party_keys()
        ]
        known = {r.key_id for r in rows}
        rows += [
            KeyRow(
                key_id_for(o.pubkey),
                f"officer ({o.role})",
                o.name,
                o.address,
                o.active,
                o.registered_at,
            )
            for o in repo.officers()
            if key_id_for(o.pubkey) not in known
        ]
        rows += _vault_keys(tx)
    return sorted(rows, key=lambda r: (not r.active, r.party, r.kind, r.name))


def _vault_keys(tx: object) -> list[KeyRow]:
    """The parties' Bitcoin multisig account keys and Safe owner addresses."""
    from app.services.vault import vault_repo
    from app.services.vault_safes import eth_repo

    rows = [
        KeyRow(
            f"[{k.fingerprint}{k.path.removeprefix('m')}]",
            k.party,
            "",
            k.xpub,
            True,
            k.added_at,
            "multisig",
            k.is_emulator,
        )
        for k in vault_repo(tx).multisig_keys()
    ]
    rows += [
        KeyRow(o.fingerprint or "—", o.party, "", o.address, True, o.added_at, "safe")
        for o in eth_repo(tx).eth_owners()
    ]
    return rows


def revoke(store: Store, key_id: str, actor: str) -> None:
    from app.services.officers import OfficerError, revoke_key

    try:
        revoke_key(store, key_id, actor=actor)
    except OfficerError as exc:
        raise RefusedError([str(exc)]) from exc


#: The parties whose key the Settings dialog adds (the custodian's are its officers').
ADDABLE_PARTIES = ("regulator", "exchange")
#: Roles a party key can have (the CLI's ``--role``).
PARTY_KEY_ROLES = ("emergency", "exchange")


def add_party_key(
    store: Store,
    party: str,
    role: str,
    pubkey_hex: str,
    address: str,
    *,
    actor: str,
    name: str = "",
    fingerprint: str = "",
    is_emulator: bool = False,
    path: str = "",
) -> str:
    """Register ``party``'s key given as hex (or read from a device); its key id.

    Through ``app.services.officers.add_party_key``, as ``parties add`` does: the
    independence check (one key, one device per party) and the refusal of test
    keys on a production desk; its ``OfficerError`` becomes a ``RefusedError``.
    """
    import re

    from app.documents.keys import Party, Role
    from app.services import officers

    reasons = []
    if party not in ADDABLE_PARTIES:
        reasons.append(f"party must be one of {', '.join(ADDABLE_PARTIES)}")
    if role not in PARTY_KEY_ROLES:
        reasons.append(f"role must be one of {', '.join(PARTY_KEY_ROLES)}")
    if fingerprint and not re.fullmatch(r"[0-9a-fA-F]{8}", fingerprint):
        reasons.append("the device fingerprint must be 8 hex digits")
    try:
        pubkey = bytes.fromhex(pubkey_hex.strip())
    except ValueError:
        reasons.append("the public key must be hex")
        pubkey = b""
    if reasons:
        raise RefusedError(reasons)
    try:
        officers.add_party_key(
            store,
            Party(party),
            pubkey,
            address.strip(),
            actor=actor,
            role=Role(role),
            name=name.strip(),
            is_emulator=is_emulator,
            fingerprint=fingerprint.lower(),
            path=path,
        )
    except officers.OfficerError as exc:
        raise RefusedError([str(exc)]) from exc
    return key_id_for(pubkey)


async def add_party_key_from_device(
    store: Store,
    party: str,
    role: str,
    uri: str,
    path: str,
    *,
    interaction: Interaction,
    actor: str,
    name: str = "",
) -> str:
    """Read ``party``'s key at ``path`` on the device at ``uri`` and register it."""
    import asyncio

    from app.services.officers import read_device_key

    if not path.strip():
        raise RefusedError(["give the derivation path of the key on the device"])
    identity, key = await read_device_key(uri, path.strip(), interaction)
    return await asyncio.to_thread(
        add_party_key,
        store,
        party,
        role,
        key.pubkey.hex(),
        key.address,
        actor=actor,
        name=name,
        fingerprint=identity.master_fingerprint,
        is_emulator=identity.is_emulator,
        path=key.path,
    )


#: Parties whose multisig account key or Safe owner the dialog adds (all three: the
#: custodian's are the desk's own, not an officer's signing key).
VAULT_PARTIES = ("custodian", "regulator", "exchange")


def _vault_party(party: str) -> Party:
    from app.documents.keys import Party

    if party not in VAULT_PARTIES:
        raise RefusedError([f"party must be one of {', '.join(VAULT_PARTIES)}"])
    return Party(party)


def _vault_refusal(exc: Exception) -> RefusedError:
    return RefusedError([str(exc)])


def add_multisig_key(store: Store, party: str, text: str, *, actor: str) -> str:
    """Register ``party``'s multisig account key pasted with its origin
    (``[fp/48h/1h/0h/2h]tpub…``), as ``parties add --multisig-xpub`` does; the key."""
    from app.services import vault

    who = _vault_party(party)
    try:
        key = vault.parse_account_key(text, store)
        vault.add_multisig_key(store, who, key, actor=actor)
    except vault.VaultError as exc:
        raise _vault_refusal(exc) from exc
    return str(key)


async def add_multisig_key_from_device(
    store: Store, party: str, uri: str, path: str, *, interaction: Interaction, actor: str
) -> str:
    """Read ``party``'s account xpub at the BIP-48 ``path`` on its device (the device
    thread) and register it, as ``parties add --multisig-path`` does; the key."""
    import asyncio

    from app.services import vault

    who = _vault_party(party)
    try:
        identity, key = await vault.read_multisig_key(uri, path.strip(), interaction)
        await asyncio.to_thread(
            vault.add_multisig_key, store, who, key, actor=actor,
            is_emulator=identity.is_emulator, device_fingerprint=identity.master_fingerprint,
        )
    except vault.VaultError as exc:
        raise _vault_refusal(exc) from exc
    return str(key)


def add_safe_owner(
    store: Store, party: str, address: str, *, actor: str, fingerprint: str = ""
) -> str:
    """Record ``party``'s Safe owner address (EIP-55 checked), as ``parties add
    --eth-address`` does; the checksummed address."""
    import re

    from app.services import vault_safes

    who = _vault_party(party)
    if fingerprint and not re.fullmatch(r"[0-9a-fA-F]{8}", fingerprint):
        raise RefusedError(["the device fingerprint must be 8 hex digits"])
    try:
        owner = vault_safes.register_eth_owner(
            store, who, address.strip(), actor=actor, fingerprint=fingerprint.lower()
        )
    except vault_safes.VaultError as exc:
        raise _vault_refusal(exc) from exc
    return owner.address


async def add_safe_owner_from_device(
    store: Store, party: str, uri: str, path: str, *, interaction: Interaction, actor: str
) -> str:
    """Read ``party``'s Ethereum address at ``path`` on its device and record it as its
    Safe owner, as ``parties add --eth-path`` does; the address."""
    import asyncio

    from app.services import vault_safes

    who = _vault_party(party)
    if not path.strip():
        raise RefusedError(["give the derivation path of the address on the device"])
    address, identity = await vault_safes.read_eth_owner(uri, path.strip(), interaction)
    try:  # the store write off the GUI thread, as for every other key
        owner = await asyncio.to_thread(
            vault_safes.register_eth_owner, store, who, address, actor=actor, device_uri=uri,
            path=path.strip(), fingerprint=identity.master_fingerprint,
            is_emulator=identity.is_emulator,
        )
    except vault_safes.VaultError as exc:
        raise _vault_refusal(exc) from exc
    return owner.address


def multisig_path_default(store: Store) -> str:
    """The BIP-48 account path a device is read at: coin type 1' on a test desk."""
    from app.services.vault import network_of

    return "m/48'/0'/0'/2'" if network_of(store) == "main" else "m/48'/1'/0'/2'"


def export_keys_file(store: Store, path: str) -> int:
    """Write the desk's keys file (what the exchange and regulator trust); its size."""
    from app.services.officers import keys_file

    data = keys_file(store).to_bytes()
    write_private(Path(path), data)
    return len(data)


def backup(store: Store, path: str, actor: str) -> None:
    from app.services.backup import backup_store

    try:
        backup_store(store, Path(path), actor=actor)
    except Exception as exc:
        raise RefusedError([f"backup failed: {exc}"]) from exc


def restore(store: Store, path: str, actor: str) -> str:
    """Replace the live store with the backup at ``path``; says where the old one is."""
    from app.paths import data_dir
    from app.services.backup import restore_store_into

    # into the window's own open store: the officer's session is bound to it (a second
    # connection would refuse the audited act), and the window reads it right after
    if store.dialect == "sqlite":
        live = Path(str(store.location))
        keep_dir, name = live.parent, live.name
    else:
        keep_dir, name = data_dir(), "desk.sqlite3"
    try:
        kept = restore_store_into(Path(path), store, keep_dir=keep_dir, actor=actor, name=name)
    except Exception as exc:
        raise RefusedError([f"restore refused: {exc}"]) from exc
    return str(kept) if kept is not None else ""


def about() -> dict[str, str]:
    """Version, build and the components' licences (About)."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from app import __version__
    from app.build_info import build_kind

    return {
        "version": __version__,
        "build": build_kind(),
        "python": sys.version.split()[0],
        "qt": f"Qt {qVersion()}, PySide6 {pyside_version}",
    }


#: Third-party components shipped with the desk and their licences (About).
LICENCE_NOTICES = (
    ("Qt / PySide6", "LGPL-3.0 (The Qt Company); dynamically linked, replaceable"),
    ("qasync", "BSD-2-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("embit", "MIT"),
    ("coincurve (libsecp256k1)", "MIT / Apache-2.0"),
    ("eth-account, eth-abi", "MIT"),
    ("psycopg 3", "LGPL-3.0"),
    ("trezorlib protocol definitions", "LGPL-3.0 (SatoshiLabs), used as a reference"),
)
