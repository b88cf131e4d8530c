"""Parties' Ethereum owner addresses and clients' Safes (the tokenized-asset vaults).

* ``register_eth_owner`` records a party's Safe owner address, read from its own
  Trezor (``register_eth_owner_from_device``, ``m/44'/60'/0'/0/0`` by default) or
  given (EIP-55 checked) for a party that signs elsewhere. The independence rules
  (``app.services.independence``) apply: an address or a device speaks for one party.
* ``set_safe`` records a client's Safe: chain id, address, the release address, and
  the token contract of each asset with the decimals that contract reports. With the
  ``chain.rpc_url`` setting the desk reads the chain and refuses a Safe whose owners
  are not exactly the three registered parties or whose threshold is not 2, and reads
  every token's ``decimals()`` and the Safe's nonce itself; without it the officer
  states the decimals (read from the token contract) and the record is marked
  unchecked (``checked_on_chain`` false), and orders are checked again when a chain
  is configured.

Every refusal is a ``VaultError`` and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.documents.testseed_keys import why_test_key
from app.domain.parties import Party
from app.domain.safe_tx import MAX_DECIMALS, SafeTxError, checksum_address
from app.services.data_binding import with_bindings
from app.services.desk_identity import desk_identity
from app.services.device_access import SignerFactory, run_on_device
from app.services.emergency import EmergencyError
from app.services.eth_rpc import RPC_SETTING, ChainError, ChainReader
from app.services.independence import (
    KeyClaim,
    NotIndependent,
    known_holders,
    refuse_dependent,
)
from app.services.officers import desk_repo
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_ethereum import (
    EthereumRepository,
    EthOwnerRecord,
    SafeTokenRecord,
    VaultSafeRecord,
)
from signing.interface import DeviceIdentity, Interaction, Signer

ETH_DEFAULT_PATH = "m/44'/60'/0'/0/0"
THRESHOLD = 2


class VaultError(EmergencyError):
    """A Safe or owner record the desk refuses; the store is unchanged."""


def eth_repo(tx: object) -> EthereumRepository:
    """The Ethereum repository bound to an open transaction."""
    return tx.repository(EthereumRepository)  # type: ignore[attr-defined, no-any-return]


def _address(text: str, what: str) -> str:
    try:
        return checksum_address(text, what)
    except SafeTxError as exc:
        raise VaultError(str(exc)) from exc


# ---- the chain setting -----------------------------------------------------------------


def chain_reader(store: Store) -> ChainReader | None:
    """A reader for the configured ``chain.rpc_url`` (None when unset)."""
    with store.read() as tx:
        url = tx.settings.get(RPC_SETTING)
    return ChainReader(url) if url else None


def set_rpc_url(store: Store, url: str, *, actor: str) -> None:
    """Set (or, with "", clear) the JSON-RPC URL the desk reads Safes from."""
    if url:
        try:
            ChainReader(url)
        except ChainError as exc:
            raise VaultError(str(exc)) from exc
    with unit_of_work(store) as uow:
        uow.tx.settings.put(RPC_SETTING, url, uow.now)
        uow.audit(actor, "chain.rpc_url", with_bindings(
            uow.tx, {"url": url or None}, ("settings", RPC_SETTING)))


# ---- owners ----------------------------------------------------------------------------


def register_eth_owner(
    store: Store,
    party: Party,
    address: str,
    *,
    actor: str,
    device_uri: str = "",
    path: str = "",
    fingerprint: str = "",
    is_emulator: bool = False,
    clock: Clock = utc_now,
) -> EthOwnerRecord:
    """Record ``party``'s Safe owner address (replacing its previous one).

    A production desk refuses an owner read from a test emulator or from a device
    running a published test seed (``app.documents.testseed_keys``).
    """
    checked = _address(address, "owner address")
    if desk_identity(store).env == "prod":
        reason = why_test_key(b"", fingerprint, is_emulator, eth_address=checked)
        if reason is not None:
            raise VaultError(
                f"a test emulator key cannot be a Safe owner on a production desk: {reason}"
            )
    with unit_of_work(store, clock=clock) as uow:
        repo = eth_repo(uow.tx)
        try:  # the known holders include every party's Safe owner (_eth_holders)
            refuse_dependent(
                KeyClaim(party, fingerprint, checked), known_holders(desk_repo(uow.tx))
            )
        except NotIndependent as exc:
            raise VaultError(str(exc)) from exc
        record = EthOwnerRecord(party.value, checked, device_uri, path, fingerprint, uow.now)
        repo.put_eth_owner(record)
        uow.audit(
            actor,
            "party.eth_owner",
            with_bindings(
                uow.tx,
                {"party": party.value, "address": checked, "fingerprint": fingerprint or None},
                ("eth_owners", party.value),
            ),
        )
    return record


async def read_eth_owner(
    uri: str, path: str, interaction: Interaction, signer_factory: SignerFactory | None = None
) -> tuple[str, DeviceIdentity]:
    """The Ethereum address at ``path`` on the device at ``uri``, and that device."""

    def read(signer: Signer, identity: DeviceIdentity) -> tuple[str, DeviceIdentity]:
        return signer.get_eth_address(path), identity

    return await run_on_device(uri, read, interaction, signer_factory)


async def register_eth_owner_from_device(
    store: Store,
    party: Party,
    uri: str,
    path: str,
    interaction: Interaction,
    *,
    actor: str,
    signer_factory: SignerFactory | None = None,
) -> EthOwnerRecord:
    """Read ``party``'s owner address at ``path`` on its own device, then record it."""
    address, identity = await read_eth_owner(uri, path, interaction, signer_factory)
    return register_eth_owner(
        store,
        party,
        address,
        actor=actor,
        device_uri=uri,
        path=path,
        fingerprint=identity.master_fingerprint,
        is_emulator=identity.is_emulator,
    )


def eth_owners(store: Store) -> dict[Party, EthOwnerRecord]:
    with store.read() as tx:
        return {Party(o.party): o for o in eth_repo(tx).eth_owners()}


def _three_owners(owners: Mapping[Party, EthOwnerRecord]) -> list[str]:
    missing = [p.value for p in Party if p not in owners]
    if missing:
        raise VaultError(
            f"no Safe owner address registered for {', '.join(missing)}: "
            "parties add --party P --device URI --eth-path PATH (or --eth-address)"
        )
    return sorted(o.address for o in owners.values())


# ---- safes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainState:
    """What the chain says about a Safe right now."""

    owners: list[str]
    threshold: int
    nonce: int


def check_on_chain(reader: ChainReader, safe: VaultSafeRecord, owners: list[str]) -> ChainState:
    """Refuse a Safe that is not the registered 2-of-3 on the registered chain."""
    try:
        chain_id = reader.chain_id()
        if chain_id != safe.chain_id:
            raise VaultError(f"the node at {reader.url} is chain {chain_id}, not {safe.chain_id}")
        on_chain = reader.safe_owners(safe.safe_address)
        threshold = reader.safe_threshold(safe.safe_address)
        nonce = reader.safe_nonce(safe.safe_address)
    except ChainError as exc:
        raise VaultError(f"cannot read Safe {safe.safe_address}: {exc}") from exc
    if sorted(on_chain) != sorted(owners):
        raise VaultError(
            f"Safe {safe.safe_address} has owners {', '.join(sorted(on_chain))}, not the three "
            f"registered parties {', '.join(sorted(owners))}"
        )
    if threshold != THRESHOLD:
        raise VaultError(f"Safe {safe.safe_address} has threshold {threshold}, not 2")
    return ChainState(on_chain, threshold, nonce)


def set_safe(
    store: Store,
    client_id: str,
    *,
    chain_id: int,
    safe: str,
    tokens: Mapping[str, str],
    release: str,
    actor: str,
    decimals: Mapping[str, int] | None = None,
    nonce: int | None = None,
    clock: Clock = utc_now,
) -> VaultSafeRecord:
    """Record ``client_id``'s Safe and its token contracts (checked on chain when possible)."""
    if not isinstance(chain_id, int) or chain_id <= 0:
        raise VaultError(f"chain id {chain_id!r} is not a positive integer")
    safe_address = _address(safe, "Safe address")
    release_address = _address(release, "release address")
    if release_address == safe_address:
        raise VaultError("the release address is the Safe itself")
    if not tokens:
        raise VaultError("name at least one token: --token ASSET=0x…")
    token_addresses = {asset: _address(t, f"token of {asset}") for asset, t in tokens.items()}
    stated = dict(decimals or {})
    unknown = sorted(set(stated) - set(token_addresses))
    if unknown:
        raise VaultError(f"--decimals for {unknown[0]}, which has no --token")
    with store.read() as tx:
        if not tx.holdings.has_client(client_id):
            raise VaultError(f"unknown client {client_id}")
    owners = _three_owners(eth_owners(store))
    reader = chain_reader(store)
    draft = VaultSafeRecord(
        client_id, chain_id, safe_address, release_address, 0, False, clock(), ()
    )
    found: dict[str, int] = {}
    next_nonce = nonce
    if reader is not None:
        state = check_on_chain(reader, draft, owners)
        for asset, token in token_addresses.items():
            try:
                found[asset] = reader.token_decimals(token)
            except ChainError as exc:
                raise VaultError(f"cannot read decimals() of {asset} at {token}: {exc}") from exc
            if asset in stated and stated[asset] != found[asset]:
                raise VaultError(
                    f"{asset}'s contract says {found[asset]} decimals, not {stated[asset]}"
                )
        if nonce is not None and nonce != state.nonce:
            raise VaultError(f"the Safe's nonce is {state.nonce}, not {nonce}")
        next_nonce = state.nonce
    else:
        missing = sorted(set(token_addresses) - set(stated))
        if missing:
            raise VaultError(
                f"no chain to read {missing[0]}'s decimals() from: set {RPC_SETTING} "
                "(vault chain --rpc-url URL) or give --decimals ASSET=N from the token contract"
            )
        found = stated
    for asset, places in found.items():
        if not 0 <= places <= MAX_DECIMALS:
            raise VaultError(f"{asset} has {places} decimals: not 0..{MAX_DECIMALS}")
    if next_nonce is not None and next_nonce < 0:
        raise VaultError("a Safe nonce is not negative")
    with unit_of_work(store, clock=clock) as uow:
        repo = eth_repo(uow.tx)
        clash = [
            s
            for s in (repo.safe(c) for c in uow.tx.holdings.client_ids() if c != client_id)
            if s is not None and (s.chain_id, s.safe_address) == (chain_id, safe_address)
        ]
        if clash:
            raise VaultError(f"Safe {safe_address} is already client {clash[0].client_id}'s")
        record = VaultSafeRecord(
            client_id=client_id,
            chain_id=chain_id,
            safe_address=safe_address,
            release_address=release_address,
            next_nonce=next_nonce or 0,
            checked_on_chain=reader is not None,
            updated_at=uow.now,
            tokens=tuple(
                SafeTokenRecord(asset, token_addresses[asset], found[asset])
                for asset in sorted(token_addresses)
            ),
        )
        repo.put_safe(record)
        uow.audit(actor, "vault.safe_set", with_bindings(
            uow.tx,
            {
                "client_id": client_id,
                "chain_id": chain_id,
                "safe": safe_address,
                "release": release_address,
                "tokens": {t.asset: [t.token_address, t.decimals] for t in record.tokens},
                "checked_on_chain": record.checked_on_chain,
            },
            ("vault_safes", client_id),
            ("vault_safe_tokens", client_id),
        ))
    return record


def safe_of(store: Store, client_id: str) -> VaultSafeRecord | None:
    with store.read() as tx:
        return eth_repo(tx).safe(client_id)
