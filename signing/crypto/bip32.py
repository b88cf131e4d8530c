"""BIP-32 hierarchical deterministic keys: paths, private and public derivation, xpub/xprv.

The curve work is libsecp256k1's (coincurve): public keys of private scalars and
the public-derivation tweak ``K + t*G``; Base58Check is embit's. What stays here
is BIP-32's own bookkeeping (HMAC-SHA512, depth, fingerprints, the 78-byte
serialisation) behind the ``ExtendedKey`` the emulator and the drivers share;
the Bitcoin vault code uses embit's ``HDKey`` directly (``signing.bitcoin``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

import coincurve

from signing.crypto import secp256k1
from signing.crypto.encoding import b58check_decode, b58check_encode
from signing.crypto.hashes import hash160
from signing.errors import InvalidInput

HARDENED = 0x80000000
XPUB_MAINNET = 0x0488B21E
XPRV_MAINNET = 0x0488ADE4
XPUB_TESTNET = 0x043587CF
XPRV_TESTNET = 0x04358394
_PUBLIC_VERSIONS = {XPUB_MAINNET, XPUB_TESTNET, 0x049D7CB2, 0x04B24746, 0x044A5262, 0x045F1CF6}
_PRIVATE_VERSIONS = {XPRV_MAINNET, XPRV_TESTNET}
_MAX_DEPTH = 255
_STEP = re.compile(r"^(\d{1,10})(['hH]?)$")


def parse_path(path: str) -> tuple[int, ...]:
    """Parse ``m/44'/0'/0'/0/0`` (hardened marked ' or h) into child numbers.

    The leading ``m`` is optional; ``m`` alone is the master key.
    """
    text = path.strip()
    if text in ("m", "M", ""):
        return ()
    parts = text.split("/")
    if parts[0] in ("m", "M"):
        parts = parts[1:]
    if len(parts) > _MAX_DEPTH:
        raise InvalidInput("derivation path too deep")
    out: list[int] = []
    for part in parts:
        match = _STEP.match(part)
        if match is None:
            raise InvalidInput(f"invalid derivation path step {part!r} in {path!r}")
        index = int(match.group(1))
        if index >= HARDENED:
            raise InvalidInput(f"derivation index {index} is out of range")
        out.append(index + HARDENED if match.group(2) else index)
    return tuple(out)


def format_path(indices: tuple[int, ...] | list[int]) -> str:
    """Canonical path text, hardened steps marked with '."""
    steps = [f"{i - HARDENED}'" if i >= HARDENED else str(i) for i in indices]
    return "/".join(["m", *steps])


def canonical_path(path: str) -> str:
    return format_path(parse_path(path))


@lru_cache(maxsize=4096)
def private_to_public(secret: int) -> bytes:
    """Compressed public key of a private scalar (libsecp256k1 through coincurve)."""
    if not 1 <= secret < secp256k1.N:
        raise InvalidInput("private key out of range")
    return bytes(coincurve.PublicKey.from_secret(secret.to_bytes(32, "big")).format())


@dataclass(frozen=True)
class ExtendedKey:
    """A BIP-32 node. ``secret`` is None for a public-only (xpub) node."""

    depth: int
    parent_fingerprint: bytes
    child_number: int
    chain_code: bytes
    public_key: bytes
    secret: int | None = None

    def __repr__(self) -> str:  # never print the secret
        return f"ExtendedKey(depth={self.depth}, fingerprint={self.fingerprint().hex()})"

    @property
    def is_private(self) -> bool:
        return self.secret is not None

    def fingerprint(self) -> bytes:
        """First 4 bytes of HASH160 of the public key."""
        return hash160(self.public_key)[:4]

    def neuter(self) -> ExtendedKey:
        return ExtendedKey(
            self.depth, self.parent_fingerprint, self.child_number, self.chain_code,
            self.public_key,
        )  # fmt: skip

    def child(self, index: int) -> ExtendedKey:
        """CKDpriv for private nodes, CKDpub for public ones (hardened needs private)."""
        if not 0 <= index <= 0xFFFFFFFF:
            raise InvalidInput("child index out of range")
        if self.depth >= _MAX_DEPTH:
            raise InvalidInput("derivation path too deep")
        if index >= HARDENED:
            if self.secret is None:
                raise InvalidInput("hardened derivation needs the private key")
            data = b"\x00" + self.secret.to_bytes(32, "big") + index.to_bytes(4, "big")
        else:
            data = self.public_key + index.to_bytes(4, "big")
        digest = hmac.new(self.chain_code, data, hashlib.sha512).digest()
        tweak = int.from_bytes(digest[:32], "big")
        chain = digest[32:]
        if tweak >= secp256k1.N:
            raise InvalidInput("invalid child key (probability < 2^-127): use the next index")
        if self.secret is not None:
            secret = (tweak + self.secret) % secp256k1.N
            if secret == 0:
                raise InvalidInput("invalid child key: use the next index")
            public = private_to_public(secret)
        else:
            try:  # point(parent) + tweak*G, in libsecp256k1
                public = bytes(
                    coincurve.PublicKey(self.public_key).add(tweak.to_bytes(32, "big")).format()
                )
            except ValueError as exc:
                raise InvalidInput("invalid child key: use the next index") from exc
            secret = None
        return ExtendedKey(self.depth + 1, self.fingerprint(), index, chain, public, secret)

    def derive(self, path: str | tuple[int, ...]) -> ExtendedKey:
        """Follow a path (text or child numbers) from this node."""
        node = self
        for index in parse_path(path) if isinstance(path, str) else path:
            node = node.child(index)
        return node

    def _serialize(self, version: int, key_data: bytes) -> str:
        payload = (
            version.to_bytes(4, "big")
            + bytes([self.depth])
            + self.parent_fingerprint
            + self.child_number.to_bytes(4, "big")
            + self.chain_code
            + key_data
        )
        return b58check_encode(payload)

    def to_xpub(self, version: int = XPUB_MAINNET) -> str:
        return self._serialize(version, self.public_key)

    def to_xprv(self, version: int = XPRV_MAINNET) -> str:
        if self.secret is None:
            raise InvalidInput("public node has no xprv")
        return self._serialize(version, b"\x00" + self.secret.to_bytes(32, "big"))


def master_key(seed: bytes) -> ExtendedKey:
    """The BIP-32 master node of a 16..64-byte seed."""
    if not 16 <= len(seed) <= 64:
        raise InvalidInput("BIP-32 seed must be 16 to 64 bytes")
    digest = hmac.new(b"Bitcoin seed", seed, hashlib.sha512).digest()
    secret = int.from_bytes(digest[:32], "big")
    if not 1 <= secret < secp256k1.N:
        raise InvalidInput("seed gives an invalid master key")
    return ExtendedKey(0, b"\x00" * 4, 0, digest[32:], private_to_public(secret), secret)


def parse_extended_key(text: str) -> ExtendedKey:
    """Parse an xpub/xprv (and tpub/ypub/zpub style versions) with full validation."""
    raw = b58check_decode(text.strip())
    if len(raw) != 78:
        raise InvalidInput("extended key must be 78 bytes")
    version = int.from_bytes(raw[:4], "big")
    depth = raw[4]
    parent = raw[5:9]
    child_number = int.from_bytes(raw[9:13], "big")
    chain = raw[13:45]
    key_data = raw[45:]
    if depth == 0 and (parent != b"\x00" * 4 or child_number != 0):
        raise InvalidInput("master key with a parent or child number")
    if version in _PUBLIC_VERSIONS:
        secp256k1.decode_point(key_data)  # validates
        if key_data[0] not in (2, 3):
            raise InvalidInput("extended public key must be compressed")
        return ExtendedKey(depth, parent, child_number, chain, key_data)
    if version in _PRIVATE_VERSIONS:
        if key_data[0] != 0:
            raise InvalidInput("extended private key must start with 0x00")
        secret = int.from_bytes(key_data[1:], "big")
        public = private_to_public(secret)
        return ExtendedKey(depth, parent, child_number, chain, public, secret)
    raise InvalidInput(f"unknown extended key version 0x{version:08x}")
