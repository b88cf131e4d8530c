"""The Bitcoin emergency vault: party multisig keys, client descriptors, vault coins.

Each party registers one BIP-48 multisig account key, read from its own device
or given as an xpub with its key origin (a party that signs elsewhere). A
client's vault is ``wsh(sortedmulti(2, regulator, custodian, exchange))`` on the
client's branch (``signing.bitcoin.vault``). Vault coins come in from the
custodian's node as a JSON file; every entry is checked against its previous
transaction and the client's vault before anything is stored.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from embit.bip32 import HDKey
from embit.networks import NETWORKS

from app.documents.testseed_keys import why_test_key
from app.domain.parties import Party
from app.services.data_binding import with_bindings
from app.services.desk_identity import desk_identity
from app.services.device_access import SignerFactory, run_on_device
from app.services.independence import (
    HOLDER_SOURCES,
    KeyClaim,
    KeyHolder,
    NotIndependent,
    known_holders,
    refuse_dependent,
)
from app.services.officers import desk_repo
from app.services.unit_of_work import unit_of_work
from app.store.interface import Store
from app.store.repo_vault import MultisigKeyRecord, SqliteVaultRepository, VaultUtxoRecord
from signing.bitcoin.errors import BitcoinError, NotInVault
from signing.bitcoin.spend import Coin, check_coin
from signing.bitcoin.vault import (
    HARDENED,
    NETWORK_FOR_ENV,
    AccountKey,
    Vault,
    check_bip48_path,
    format_path,
    parse_path,
    vault_from_keys,
)
from signing.interface import DeviceIdentity, Interaction, Signer

logger = logging.getLogger(__name__)
SAT_PER_BTC = Decimal(100_000_000)
MAX_UTXOS_PER_FILE = 10_000


class VaultError(Exception):
    """A vault operation was refused; nothing was stored."""


def vault_repo(tx: object) -> SqliteVaultRepository:
    """The vault repository bound to an open SQLite transaction."""
    return cast(SqliteVaultRepository, tx.repository(SqliteVaultRepository))  # type: ignore[attr-defined]


def network_of(store: Store) -> str:
    return NETWORK_FOR_ENV[desk_identity(store).env]


# ---- multisig account keys ------------------------------------------------------------


def _multisig_holders(repo: Any) -> list[KeyHolder]:
    """Registered multisig keys, for the independence rule (one device per party)."""
    vault = SqliteVaultRepository(repo._db)  # the desk repository's own connection
    return [
        KeyHolder(Party(k.party), f"the {k.party} (multisig key)", k.fingerprint, k.xpub)
        for k in vault.multisig_keys()
    ]


HOLDER_SOURCES.append(_multisig_holders)


async def read_multisig_key(
    uri: str, path: str, interaction: Interaction, signer_factory: SignerFactory | None = None
) -> tuple[DeviceIdentity, AccountKey]:
    """The device's account xpub at ``path`` with its key origin (read on the device)."""

    try:
        indices = parse_path(path)
        network = "main" if len(indices) > 1 and indices[1] == HARDENED else "test"
        check_bip48_path(indices, network)
    except BitcoinError as exc:
        raise VaultError(str(exc)) from exc

    def read(signer: Signer, identity: DeviceIdentity) -> tuple[DeviceIdentity, str]:
        return identity, signer.get_public_key(path).xpub

    identity, xpub = await run_on_device(uri, read, interaction, signer_factory)
    try:
        # the path's coin type decides the network; devices print xpub or tpub alike
        node = HDKey.from_string(xpub)
        node.version = NETWORKS[network]["xpub"]
        key = AccountKey.from_hdkey(
            bytes.fromhex(identity.master_fingerprint), indices, node, network
        )
    except BitcoinError as exc:
        raise VaultError(str(exc)) from exc
    return identity, key


def parse_account_key(text: str, store: Store) -> AccountKey:
    try:
        return AccountKey.parse(text, network_of(store))
    except BitcoinError as exc:
        raise VaultError(str(exc)) from exc


def add_multisig_key(
    store: Store,
    party: Party,
    key: AccountKey,
    *,
    actor: str,
    is_emulator: bool = False,
    device_fingerprint: str = "",
) -> MultisigKeyRecord:
    """Register ``party``'s multisig account key (one per party, never shared)."""
    network = network_of(store)
    if is_emulator and network == "main":
        raise VaultError("a test emulator key cannot be registered on a production desk")
    if desk_identity(store).env == "prod":  # a pasted key of a published test seed too
        reason = why_test_key(b"", key.fingerprint.hex(), is_emulator)
        if reason is not None:
            raise VaultError(
                f"a test emulator key cannot be registered on a production desk: {reason}"
            )
    try:
        AccountKey.from_hdkey(key.fingerprint, key.path, key.hdkey, network)
    except BitcoinError as exc:
        raise VaultError(str(exc)) from exc
    if device_fingerprint and device_fingerprint != key.fingerprint.hex():
        raise VaultError("the key origin's fingerprint is not the device's")
    with unit_of_work(store) as uow:
        repo = vault_repo(uow.tx)
        if any(k.party == party.value for k in repo.multisig_keys()):
            raise VaultError(f"{party.value} already has a multisig key registered")
        try:
            refuse_dependent(
                KeyClaim(party, key.fingerprint.hex(), key.xpub), known_holders(desk_repo(uow.tx))
            )
        except NotIndependent as exc:
            raise VaultError(str(exc)) from exc
        record = MultisigKeyRecord(
            party=party.value,
            fingerprint=key.fingerprint.hex(),
            path="m" + format_path(key.path, "'"),
            xpub=key.xpub,
            is_emulator=is_emulator,
            added_at=uow.now,
        )
        repo.add_multisig_key(record)
        uow.audit(actor, "vault.multisig_key.add", with_bindings(
            uow.tx, {"party": party.value, "key": str(key)}, ("btc_multisig_keys", party.value)))
    logger.info("%s multisig key %s registered", party.value, key.origin)
    return record


def registered_keys(repo: SqliteVaultRepository) -> list[tuple[str, AccountKey]]:
    return [
        (k.party, AccountKey(bytes.fromhex(k.fingerprint), parse_path(k.path), k.xpub))
        for k in repo.multisig_keys()
    ]


_VAULTS: dict[tuple[str, tuple[tuple[str, AccountKey], ...], str], Vault] = {}


def _vault(client_id: str, keys: list[tuple[str, AccountKey]], network: str) -> Vault:
    """The client's vault (cached per key set: derivations are the costly part)."""
    try:
        built = vault_from_keys(client_id, keys, network)
    except BitcoinError as exc:
        raise VaultError(str(exc)) from exc
    cache_key = (client_id, built.keys, network)
    if cache_key not in _VAULTS and len(_VAULTS) < 1000:
        _VAULTS[cache_key] = built
    return _VAULTS.get(cache_key, built)


def vault_in(tx: object, client_id: str, network: str) -> Vault:
    """``client_id``'s vault from the keys registered in the open transaction ``tx``."""
    if not tx.holdings.has_client(client_id):  # type: ignore[attr-defined]
        raise VaultError(f"unknown client {client_id}")
    return _vault(client_id, registered_keys(vault_repo(tx)), network)


def client_vault(store: Store, client_id: str) -> Vault:
    network = network_of(store)
    with store.read() as tx:
        return vault_in(tx, client_id, network)


@dataclass(frozen=True)
class DescriptorInfo:
    client_id: str
    descriptor: str
    branch: int
    addresses: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "client_id": self.client_id,
            "descriptor": self.descriptor,
            "branch": self.branch,
            "receive_addresses": [
                {"index": i, "address": a} for i, a in enumerate(self.addresses)
            ],
        }


def describe(store: Store, client_id: str, count: int = 5) -> DescriptorInfo:
    vault = client_vault(store, client_id)
    return DescriptorInfo(
        client_id,
        vault.descriptor(),
        vault.branch,
        tuple(a.address for a in vault.addresses(count)),
    )


def check_descriptor(store: Store, client_id: str, text: str) -> None:
    """Refuse ``text`` unless it is exactly the client's vault of registered keys."""
    try:
        client_vault(store, client_id).check_descriptor(text)
    except BitcoinError as exc:
        raise VaultError(str(exc)) from exc


# ---- vault coins ------------------------------------------------------------------------


@dataclass(frozen=True)
class UtxoImport:
    added: tuple[VaultUtxoRecord, ...]
    already_known: int


def _entries(data: bytes) -> list[dict[str, Any]]:
    try:
        doc = json.loads(data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError) as exc:
        raise VaultError(f"not a JSON UTXO file: {exc}") from exc
    utxos = doc.get("utxos") if isinstance(doc, dict) else None
    if not isinstance(utxos, list):
        raise VaultError('expected {"utxos": [...]}')
    if len(utxos) > MAX_UTXOS_PER_FILE:
        raise VaultError(f"more than {MAX_UTXOS_PER_FILE} UTXOs in one file")
    for n, entry in enumerate(utxos):
        if not isinstance(entry, dict):
            raise VaultError(f"utxos[{n}] is not an object")
        txid, vout, amount, prevtx = (
            entry.get(k) for k in ("txid", "vout", "amount_sat", "prevtx")
        )
        if not (isinstance(txid, str) and len(txid) == 64):
            raise VaultError(f"utxos[{n}].txid must be 64 hex characters")
        for name, value in (("vout", vout), ("amount_sat", amount)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise VaultError(f"utxos[{n}].{name} must be a non-negative integer")
        if not isinstance(prevtx, str):
            raise VaultError(f"utxos[{n}].prevtx must be hex")
    return utxos


def import_utxos(
    store: Store, data: bytes, *, actor: str, client_id: str | None = None
) -> UtxoImport:
    """Import vault coins: each must pay exactly its amount to a client's vault, or none is stored.

    Without ``client_id`` each coin is matched against every client's vault.
    """
    entries = _entries(data)
    network = network_of(store)
    with unit_of_work(store) as uow:
        repo = vault_repo(uow.tx)
        keys = registered_keys(repo)
        clients = [client_id] if client_id else sorted(uow.tx.holdings.client_ids())
        if client_id and not uow.tx.holdings.has_client(client_id):
            raise VaultError(f"unknown client {client_id}")
        vaults = [_vault(c, keys, network) for c in clients]
        added: list[VaultUtxoRecord] = []
        known = 0
        seen: set[tuple[str, int]] = set()
        for n, entry in enumerate(entries):
            txid, vout = str(entry["txid"]).lower(), int(entry["vout"])
            try:
                prevtx = bytes.fromhex(str(entry["prevtx"]))
            except ValueError as exc:
                raise VaultError(f"utxos[{n}].prevtx is not hex") from exc
            coin, vault = _match(
                vaults, txid, vout, amount=int(entry["amount_sat"]), prevtx=prevtx, n=n
            )
            if (txid, vout) in seen:
                raise VaultError(f"utxos[{n}]: {txid}:{vout} appears twice in the file")
            seen.add((txid, vout))
            stored = repo.utxo(txid, vout)
            if stored is not None:
                if (stored.client_id, stored.amount_sat) != (vault.client_id, coin.amount_sat):
                    raise VaultError(f"utxos[{n}]: {txid}:{vout} is already stored differently")
                known += 1
                continue
            record = VaultUtxoRecord(
                client_id=vault.client_id, txid=txid, vout=vout, amount_sat=coin.amount_sat,
                address_index=coin.index, address=vault.address(coin.index).address,
                prevtx=prevtx, imported_at=uow.now,
            )
            repo.add_utxo(record)
            added.append(record)
        uow.audit(
            actor,
            "vault.utxos.import",
            with_bindings(
                uow.tx,
                {"added": [f"{u.txid}:{u.vout}" for u in added], "already_known": known},
                ("vault_utxos", vault.client_id),
            ),
        )
    return UtxoImport(tuple(added), known)


def _match(
    vaults: list[Vault], txid: str, vout: int, *, amount: int, prevtx: bytes, n: int
) -> tuple[Coin, Vault]:
    if not vaults:
        raise VaultError("no client to match the UTXOs against")
    last: NotInVault | None = None
    for vault in vaults:
        try:
            return check_coin(vault, txid, vout, amount, prevtx), vault
        except NotInVault as exc:
            last = exc
        except BitcoinError as exc:  # a lie about the coin itself: no vault will do
            raise VaultError(f"utxos[{n}]: {exc}") from exc
    raise VaultError(f"utxos[{n}]: {last.detail if last else 'no vault'}")


def vault_balances(store: Store) -> dict[str, Decimal]:
    """Unspent vault BTC per client (clients without coins are absent)."""
    with store.read() as tx:
        return {c: sat_to_btc(s) for c, s in vault_repo(tx).balances().items()}


def sat_to_btc(sat: int) -> Decimal:
    return (Decimal(sat) / SAT_PER_BTC).quantize(Decimal("0.00000001"))


def unspent_coins(tx: object, client_id: str) -> list[Coin]:
    return [
        Coin(u.txid, u.vout, u.amount_sat, u.prevtx, u.address_index)
        for u in vault_repo(tx).unspent(client_id)
    ]
