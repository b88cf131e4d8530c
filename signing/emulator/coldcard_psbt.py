"""The emulated Coldcard's PSBT signing: review the spend, then sign this seed's inputs.

What the firmware checks before it shows a transaction, as far as a P2WSH
multisig spend needs: every input's non-witness UTXO hashes to its outpoint and
agrees with the witness UTXO; this seed's BIP-32 derivation of an input gives
exactly the pubkey the PSBT names, and that pubkey is in the input's witness
script, whose hash is the spent output's script. The story shows every output
(address and amount) and the fee. The emulator is a testnet device: a PSBT
whose keys derive at coin type 0' (mainnet) or that pays a mainnet-only output
is refused. Signatures are libsecp256k1's (RFC 6979, low-s) over embit's
BIP-143 sighash; the result is the PSBT with this seed's partial signatures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from embit import ec
from embit.networks import NETWORKS
from embit.psbt import PSBT
from embit.script import Script
from embit.transaction import SIGHASH

from signing.errors import InvalidInput, NotAllowed

HARDENED = 0x80000000


@dataclass
class Review:
    psbt: PSBT
    story: str
    mine: list[tuple[int, tuple[int, ...], bytes]]  # (input, path, pubkey)


def _btc(sat: int) -> str:
    return f"{(Decimal(sat) / Decimal(100_000_000)).quantize(Decimal('0.00000001'))} XTN"


def review(
    raw: bytes, fingerprint: bytes, pubkey_at: Callable[[tuple[int, ...]], bytes]
) -> Review:
    """The story the device shows, and the inputs this seed signs; bad PSBTs refused."""
    try:
        psbt = PSBT.parse(raw)
    except Exception as exc:  # embit raises assorted errors on malformed data
        raise InvalidInput(f"PSBT parse failed: {type(exc).__name__}") from None
    mine: list[tuple[int, tuple[int, ...], bytes]] = []
    total_in = 0
    for i, inp in enumerate(psbt.inputs):
        try:
            inp.verify()
            spent = inp.non_witness_utxo.vout[inp.vout]
        except Exception:
            raise InvalidInput(f"input {i}: missing or wrong non-witness UTXO") from None
        if inp.witness_utxo is not None and inp.witness_utxo.serialize() != spent.serialize():
            raise InvalidInput(f"input {i}: witness UTXO disagrees")
        total_in += spent.value
        for pub, der in inp.bip32_derivations.items():
            path = tuple(der.derivation)
            if len(path) > 1 and path[1] == HARDENED:
                raise NotAllowed("Emulator is a testnet device: mainnet keys (coin type 0')")
            if bytes(der.fingerprint) != fingerprint:
                continue
            if pubkey_at(path) != bytes(pub.sec()):
                raise InvalidInput(f"input {i}: the derivation does not give its pubkey")
            script = inp.witness_script
            if script is None or bytes(pub.sec()) not in bytes(script.data):
                raise InvalidInput(f"input {i}: our key is not in the witness script")
            expected = b"\x00\x20" + hashlib.sha256(bytes(script.data)).digest()
            if bytes(spent.script_pubkey.data) != expected:
                raise InvalidInput(f"input {i}: the witness script is not the spent output's")
            mine.append((i, path, bytes(pub.sec())))
    if not mine:
        raise InvalidInput("PSBT does not contain any key path information for this seed")
    lines = ["Ok to send?", ""]
    total_out = 0
    for out in psbt.tx.vout:
        try:
            address = out.script_pubkey.address(NETWORKS["test"])
        except Exception:
            raise InvalidInput("an output this device cannot show") from None
        total_out += out.value
        lines.append(f" - {_btc(out.value)} to {address}")
    if total_out > total_in:
        raise InvalidInput("outputs exceed inputs")
    lines += ["", f"Network fee: {_btc(total_in - total_out)}"]
    return Review(psbt, "\n".join(lines), mine)


def sign(reviewed: Review, sign_digest: Callable[[tuple[int, ...], bytes], bytes]) -> bytes:
    """The PSBT with this seed's partial signatures (DER + SIGHASH_ALL), serialized."""
    psbt = reviewed.psbt
    for i, path, pubkey in reviewed.mine:
        inp = psbt.inputs[i]
        assert inp.witness_script is not None
        digest = psbt.tx.sighash_segwit(
            i, Script(bytes(inp.witness_script.data)), inp.non_witness_utxo.vout[inp.vout].value,
            SIGHASH.ALL,
        )
        inp.partial_sigs[ec.PublicKey.parse(pubkey)] = sign_digest(path, digest) + b"\x01"
    return bytes(psbt.serialize())
