"""Single-key Bitcoin addresses: P2PKH, P2SH-P2WPKH and native P2WPKH (bech32)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from signing.crypto.encoding import (
    b58check_decode,
    b58check_encode,
    segwit_decode,
    segwit_encode,
)
from signing.crypto.hashes import hash160
from signing.errors import InvalidInput


class ScriptType(StrEnum):
    P2PKH = "p2pkh"
    P2SH_P2WPKH = "p2sh-p2wpkh"
    P2WPKH = "p2wpkh"


@dataclass(frozen=True)
class Network:
    name: str
    p2pkh_prefix: int
    p2sh_prefix: int
    hrp: str


MAINNET = Network("mainnet", 0x00, 0x05, "bc")
TESTNET = Network("testnet", 0x6F, 0xC4, "tb")
REGTEST = Network("regtest", 0x6F, 0xC4, "bcrt")
_NETWORKS = (MAINNET, TESTNET, REGTEST)


def _check_pubkey(pubkey: bytes, script_type: ScriptType) -> None:
    if len(pubkey) == 33 and pubkey[0] in (2, 3):
        return
    if len(pubkey) == 65 and pubkey[0] == 4 and script_type is ScriptType.P2PKH:
        return
    raise InvalidInput("segwit addresses need a 33-byte compressed public key")


def p2wpkh_redeem_script(pubkey: bytes) -> bytes:
    return b"\x00\x14" + hash160(pubkey)


def address_for(pubkey: bytes, script_type: ScriptType, network: Network = MAINNET) -> str:
    """The address of ``pubkey`` for the script type (P2PKH accepts uncompressed keys)."""
    _check_pubkey(pubkey, script_type)
    if script_type is ScriptType.P2PKH:
        return b58check_encode(bytes([network.p2pkh_prefix]) + hash160(pubkey))
    if script_type is ScriptType.P2SH_P2WPKH:
        return b58check_encode(bytes([network.p2sh_prefix]) + hash160(p2wpkh_redeem_script(pubkey)))
    return segwit_encode(network.hrp, 0, hash160(pubkey))


@dataclass(frozen=True)
class DecodedAddress:
    script_type: ScriptType
    network: Network
    hash: bytes  # HASH160 of the key (P2PKH, P2WPKH) or of the redeem script (P2SH)


def decode_address(address: str) -> DecodedAddress:
    """Classify a single-key address; anything else raises InvalidInput.

    A P2SH address is reported as P2SH-P2WPKH: only the key can confirm it.
    """
    if not isinstance(address, str):
        raise InvalidInput("an address is text")
    text = address.strip()
    if not text or len(text) > 90:
        raise InvalidInput("address is empty or too long")
    lowered = text.lower()
    for network in _NETWORKS:
        if lowered.startswith(network.hrp + "1"):
            hrp, witver, program = segwit_decode(text)
            if hrp != network.hrp:
                continue
            if witver != 0 or len(program) != 20:
                raise InvalidInput("only P2WPKH segwit addresses are supported")
            return DecodedAddress(ScriptType.P2WPKH, network, program)
    payload = b58check_decode(text)
    if len(payload) != 21:
        raise InvalidInput("base58 address must carry 21 bytes")
    prefix = payload[0]
    for network in _NETWORKS:
        if prefix == network.p2pkh_prefix:
            return DecodedAddress(ScriptType.P2PKH, network, payload[1:])
        if prefix == network.p2sh_prefix:
            return DecodedAddress(ScriptType.P2SH_P2WPKH, network, payload[1:])
    raise InvalidInput(f"unknown address version byte 0x{prefix:02x}")


def address_matches(pubkey: bytes, decoded: DecodedAddress) -> bool:
    """True when ``pubkey`` owns the decoded address."""
    if decoded.script_type is ScriptType.P2SH_P2WPKH:
        if len(pubkey) != 33:
            return False
        return hash160(p2wpkh_redeem_script(pubkey)) == decoded.hash
    if decoded.script_type is ScriptType.P2WPKH and len(pubkey) != 33:
        return False
    return hash160(pubkey) == decoded.hash


_PURPOSE_SCRIPT = {44: ScriptType.P2PKH, 49: ScriptType.P2SH_P2WPKH, 84: ScriptType.P2WPKH}
_HARDENED = 0x80000000


def script_type_for_path(indices: tuple[int, ...]) -> ScriptType:
    """The script type a wallet uses for a BIP-44/49/84 path (P2PKH for anything else)."""
    if indices and indices[0] >= _HARDENED:
        return _PURPOSE_SCRIPT.get(indices[0] - _HARDENED, ScriptType.P2PKH)
    return ScriptType.P2PKH


def network_for_path(indices: tuple[int, ...]) -> Network:
    """Mainnet unless the BIP-44 coin type is 1' (testnet)."""
    if len(indices) >= 2 and indices[1] == _HARDENED + 1:
        return TESTNET
    return MAINNET
