"""Multisig account keys and each client's 2-of-3 vault descriptor.

A party's **account key** is the xpub at its BIP-48 script-type-2 path
(``m/48'/0'/0'/2'`` on mainnet, ``m/48'/1'/0'/2'`` on test networks) with its key
origin ``[fingerprint/48h/coin'h/account'h/2h]``. A client's vault is

    wsh(sortedmulti(2, [fpR/...]xpubR/B/*, [fpC/...]xpubC/B/*, [fpE/...]xpubE/B/*))#checksum

where ``B`` is the client's branch (:func:`client_branch`) and ``*`` the address
index. The descriptor, its checksum (BIP-380), its addresses and witness scripts
all come from embit; this module only decides which keys go in and refuses a
vault in which one party appears twice or a key is not the registered one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from embit import bip32 as ebip32
from embit.descriptor import Descriptor
from embit.descriptor.checksum import add_checksum
from embit.networks import NETWORKS

from signing.bitcoin.errors import DescriptorError, KeyOriginError
from signing.interface import MultisigAddressRequest, MultisigCosigner

HARDENED = 0x80000000
THRESHOLD = 2
PARTY_ORDER = ("regulator", "custodian", "exchange")
DEFAULT_GAP = 100  # receive addresses searched when matching a UTXO's script
NETWORK_FOR_ENV = {"prod": "main", "test": "test"}
COIN_TYPE = {"main": 0, "test": 1, "regtest": 1, "signet": 1}
_ORIGIN = re.compile(r"^\[([0-9a-fA-F]{8})((?:/[0-9]+[hH']?)*)\](.+)$")


def format_path(path: Sequence[int], hardened_mark: str = "h") -> str:
    return "".join(f"/{i - HARDENED}{hardened_mark}" if i >= HARDENED else f"/{i}" for i in path)


def parse_path(text: str) -> tuple[int, ...]:
    """``m/48'/1'/0'/2'`` or ``48h/1h/0h/2h`` -> indices."""
    parts = [p for p in text.strip().split("/") if p]
    if parts and parts[0] == "m":
        parts = parts[1:]
    out: list[int] = []
    for part in parts:
        hard = part[-1] in "hH'"
        digits = part[:-1] if hard else part
        if not digits.isdigit() or int(digits) >= HARDENED:
            raise KeyOriginError(f"bad path element {part!r}")
        out.append(int(digits) + (HARDENED if hard else 0))
    return tuple(out)


def bip48_path(network: str, account: int = 0) -> tuple[int, ...]:
    """The BIP-48 P2WSH account path for ``network`` (m/48'/coin'/account'/2')."""
    return (48 + HARDENED, COIN_TYPE[network] + HARDENED, account + HARDENED, 2 + HARDENED)


def check_bip48_path(path: Sequence[int], network: str) -> None:
    """Refuse anything but m/48'/coin'/account'/2' with the network's coin type."""
    if (
        len(path) != 4
        or path[0] != 48 + HARDENED
        or path[1] != COIN_TYPE[network] + HARDENED
        or path[2] < HARDENED
        or path[3] != 2 + HARDENED
    ):
        want = "m/48'/0'/N'/2'" if network == "main" else "m/48'/1'/N'/2'"
        raise KeyOriginError(f"multisig path m{format_path(path, chr(39))} is not {want}")


def client_branch(client_id: str) -> int:
    """The client's non-hardened branch below every party's account key.

    Derived from the client id alone (first 31 bits of SHA-256 of a tagged id), so
    every party and every desk computes the same vault without a shared table.
    """
    if not client_id:
        raise DescriptorError("empty client id")
    digest = hashlib.sha256(b"custody-desk/vault-branch/" + client_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _network_of(key: ebip32.HDKey) -> str:
    for name in ("main", "test"):
        net = NETWORKS[name]
        if key.version in (net["xpub"], net.get("Zpub"), net.get("Ypub")):
            return name
    raise KeyOriginError("not a mainnet or testnet extended public key")


@dataclass(frozen=True)
class AccountKey:
    """One party's multisig account key with its origin."""

    fingerprint: bytes  # master key fingerprint, 4 bytes
    path: tuple[int, ...]  # from the master to the account node
    xpub: str  # normalised to xpub/tpub

    @classmethod
    def parse(cls, text: str, network: str | None = None) -> AccountKey:
        """``[5c9e228d/48h/1h/0h/2h]tpub…`` (h or ' for hardened; SLIP-132 Vpub/Zpub accepted)."""
        match = _ORIGIN.match(text.strip())
        if match is None:
            raise KeyOriginError("expected [fingerprint/48h/1h/0h/2h]xpub")
        fingerprint = bytes.fromhex(match.group(1))
        path = parse_path(match.group(2))
        try:
            key = ebip32.HDKey.from_string(match.group(3))
        except Exception as exc:  # embit raises several types for a bad base58 string
            raise KeyOriginError(f"bad extended key: {exc}") from None
        return cls.from_hdkey(fingerprint, path, key, network)

    @classmethod
    def from_hdkey(
        cls,
        fingerprint: bytes,
        path: Sequence[int],
        key: ebip32.HDKey,
        network: str | None = None,
    ) -> AccountKey:
        if key.is_private:
            raise KeyOriginError("a private key was given: register the xpub only")
        key_network = _network_of(key)
        if network is not None and NETWORKS[network]["xpub"] != NETWORKS[key_network]["xpub"]:
            raise KeyOriginError(f"a {key_network} key on a {network} desk")
        check_bip48_path(path, network or key_network)
        if key.depth != len(path) or key.child_number != path[-1]:
            raise KeyOriginError("the key's depth or child number does not match its origin path")
        if len(fingerprint) != 4:
            raise KeyOriginError("a fingerprint is 4 bytes")
        base = ebip32.HDKey(
            key.key,
            key.chain_code,
            version=NETWORKS[key_network]["xpub"],
            depth=key.depth,
            fingerprint=key.fingerprint,
            child_number=key.child_number,
        )
        return cls(bytes(fingerprint), tuple(path), base.to_base58())

    @cached_property
    def hdkey(self) -> ebip32.HDKey:
        return ebip32.HDKey.from_string(self.xpub)

    @property
    def origin(self) -> str:
        return f"[{self.fingerprint.hex()}{format_path(self.path)}]"

    def __str__(self) -> str:
        return self.origin + self.xpub

    def pubkey(self, branch: int, index: int) -> bytes:
        return bytes(self.hdkey.derive([branch, index]).key.sec())


@dataclass(frozen=True)
class VaultAddress:
    """One receive address of a vault, with what a signer needs to spend from it."""

    index: int
    address: str
    script_pubkey: bytes
    witness_script: bytes
    # party -> (pubkey, master fingerprint, full path from the master)
    keys: Mapping[str, tuple[bytes, bytes, tuple[int, ...]]]


@dataclass(frozen=True)
class Vault:
    """The 2-of-3 P2WSH vault of one client."""

    client_id: str
    keys: tuple[tuple[str, AccountKey], ...]  # (party, key), one per party
    network: str
    _cache: dict[int, VaultAddress] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        parties = [p for p, _ in self.keys]
        if sorted(parties) != sorted(PARTY_ORDER):
            missing = sorted(set(PARTY_ORDER) - set(parties))
            if len(set(parties)) != len(parties):
                raise DescriptorError("a party appears twice in the vault")
            raise DescriptorError(f"no multisig key registered for {', '.join(missing)}")
        xpubs = [k.xpub for _, k in self.keys]
        if len(set(xpubs)) != len(xpubs):
            raise DescriptorError("two parties registered the same multisig key")
        for _, key in self.keys:
            check_bip48_path(key.path, self.network)
            if NETWORKS[self.network]["xpub"] != key.hdkey.version:
                raise DescriptorError(f"{key} is not a {self.network} key")

    @property
    def branch(self) -> int:
        return client_branch(self.client_id)

    @property
    def embit_network(self) -> dict[str, object]:
        return NETWORKS[self.network]  # type: ignore[no-any-return]

    def descriptor(self) -> str:
        """The BIP-380/383 descriptor with its checksum."""
        inner = ",".join(f"{key}/{self.branch}/*" for _, key in self.keys)
        return str(add_checksum(f"wsh(sortedmulti({THRESHOLD},{inner}))"))

    @cached_property
    def _descriptor(self) -> Descriptor:
        return Descriptor.from_string(self.descriptor())

    def address(self, index: int) -> VaultAddress:
        if not 0 <= index < HARDENED:
            raise DescriptorError(f"address index {index} out of range")
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        derived = self._descriptor.derive(index)
        witness_script = bytes(derived.witness_script().data)
        spk = derived.script_pubkey()
        keys = {
            party: (
                key.pubkey(self.branch, index),
                key.fingerprint,
                (*key.path, self.branch, index),
            )
            for party, key in self.keys
        }
        result = VaultAddress(
            index, spk.address(self.embit_network), bytes(spk.data), witness_script, keys
        )
        if len(self._cache) < 10_000:
            self._cache[index] = result
        return result

    def display_request(self, index: int) -> MultisigAddressRequest:
        """What a party's device needs to derive and show receive address ``index``."""
        if not 0 <= index < HARDENED:
            raise DescriptorError(f"address index {index} out of range")
        return MultisigAddressRequest(
            threshold=THRESHOLD,
            cosigners=tuple(
                MultisigCosigner(key.fingerprint, key.path, key.xpub) for _, key in self.keys
            ),
            suffix=(self.branch, index),
            testnet=self.network != "main",
        )

    def addresses(self, count: int, start: int = 0) -> list[VaultAddress]:
        return [self.address(i) for i in range(start, start + count)]

    def find(self, script_pubkey: bytes, gap: int = DEFAULT_GAP) -> VaultAddress | None:
        """The receive address paying to ``script_pubkey`` among the first ``gap``."""
        for i in range(gap):
            found = self.address(i)
            if found.script_pubkey == script_pubkey:
                return found
        return None

    def party_of(self, pubkey: bytes, index: int) -> str | None:
        for party, (pk, _fp, _path) in self.address(index).keys.items():
            if pk == pubkey:
                return party
        return None

    def check_descriptor(self, text: str) -> None:
        """Refuse ``text`` unless it is exactly this vault (same keys, parties, branch)."""
        try:
            other = Descriptor.from_string(text.strip())
        except Exception as exc:  # embit's parser raises assorted errors
            raise DescriptorError(f"not a descriptor: {exc}") from None
        theirs = [str(k) for k in other.keys]
        if len({k.key.sec() for k in other.keys}) != len(theirs):
            raise DescriptorError("one party's key appears twice in the descriptor")
        ours = {f"{key}/{self.branch}/*" for _, key in self.keys}
        for key_text in theirs:
            if key_text not in ours:
                raise DescriptorError(f"{key_text} is not a registered multisig key")
        if other.to_string().split("#")[0] != self.descriptor().split("#")[0]:
            raise DescriptorError("the descriptor is not this client's 2-of-3 vault")


def vault_from_keys(client_id: str, keys: Iterable[tuple[str, AccountKey]], network: str) -> Vault:
    """The client's vault from the registered (party, key) pairs, in party order."""
    pairs = list(keys)
    by_party: dict[str, AccountKey] = {}
    for party, key in pairs:
        if party in by_party:
            raise DescriptorError(f"{party} has two multisig keys registered")
        by_party[party] = key
    ordered = tuple((p, by_party[p]) for p in PARTY_ORDER if p in by_party)
    extra = [p for p in by_party if p not in PARTY_ORDER]
    if extra:
        raise DescriptorError(f"unknown party {extra[0]}")
    return Vault(client_id, ordered, network)
