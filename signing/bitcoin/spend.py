"""The release spend: a BIP-174 PSBT moving every vault coin to one address.

``build_spend`` makes the unsigned PSBT a hardware wallet needs (non-witness and
witness UTXOs, witness script, BIP-32 derivations of all three keys);
``parse_psbt`` reads one back with every failure a :class:`PsbtError`;
``merge_signatures`` takes a partially signed copy, refuses it unless its unsigned
transaction is exactly ours, and keeps only signatures that verify against a
vault key of that input; ``finalize`` builds the witness from two distinct
parties' signatures and returns the raw transaction.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from embit import ec
from embit.psbt import PSBT, DerivationPath
from embit.script import Script, Witness, address_to_scriptpubkey
from embit.transaction import SIGHASH, Transaction, TransactionInput, TransactionOutput

from signing.bitcoin.errors import NotInVault, PsbtError, UtxoError
from signing.bitcoin.vault import THRESHOLD, Vault, VaultAddress

DUST_LIMIT_SAT = 330  # P2WSH/P2WPKH/P2TR outputs below this are non-standard
MAX_FEE_RATE = Decimal(1000)  # sat/vB: above this is a typo, not a fee
SEQUENCE_FINAL_RBF = 0xFFFFFFFD  # opt-in replace-by-fee, no relative lock
# vbytes of a P2WSH 2-of-3 input (outpoint 36, empty scriptSig 1, sequence 4) and its
# worst-case witness (items count, OP_0 dummy, two 73-byte signatures, 105-byte script).
_INPUT_NONWITNESS = 41
_INPUT_WITNESS_WU = 1 + 1 + 2 * (1 + 73) + (1 + 105)


@dataclass(frozen=True)
class Coin:
    """A vault UTXO with the transaction that created it."""

    txid: str  # display (big-endian) hex
    vout: int
    amount_sat: int
    prevtx: bytes
    index: int  # the vault address index it pays to


@dataclass(frozen=True)
class SpendSummary:
    """What the parties approve: it goes into the order's statement."""

    txid: str
    amount_sat: int
    fee_sat: int
    destination: str
    inputs: int

    def to_json(self) -> dict[str, object]:
        return {
            "txid": self.txid,
            "amount_sat": self.amount_sat,
            "fee_sat": self.fee_sat,
            "destination": self.destination,
            "inputs": self.inputs,
        }


def parse_tx(raw: bytes) -> Transaction:
    try:
        tx = Transaction.parse(raw)
    except Exception as exc:  # embit raises assorted errors for a bad transaction
        raise UtxoError(f"not a transaction: {type(exc).__name__}") from None
    if tx.serialize() != raw:
        raise UtxoError("transaction has trailing or non-canonical bytes")
    return tx


def check_coin(vault: Vault, txid: str, vout: int, amount_sat: int, prevtx: bytes) -> Coin:
    """A coin of ``vault``, or :class:`UtxoError` naming what the entry lies about."""
    tx = parse_tx(prevtx)
    if tx.txid().hex() != txid.lower():
        raise UtxoError(f"prevtx hashes to {tx.txid().hex()}, not {txid}")
    if not 0 <= vout < len(tx.vout):
        raise UtxoError(f"{txid} has no output {vout}")
    out = tx.vout[vout]
    if out.value != amount_sat:
        raise UtxoError(f"{txid}:{vout} pays {out.value} sat, not {amount_sat}")
    found = vault.find(bytes(out.script_pubkey.data))
    if found is None:
        raise NotInVault(f"{txid}:{vout} does not pay an address of {vault.client_id}'s vault")
    return Coin(txid.lower(), vout, amount_sat, prevtx, found.index)


def destination_script(address: str, vault: Vault) -> bytes:
    try:
        script = address_to_scriptpubkey(address)
    except Exception:  # embit raises assorted errors for a bad address
        raise PsbtError(f"{address!r} is not a Bitcoin address") from None
    if script.address(vault.embit_network) != address:
        raise PsbtError(f"{address} is not a {vault.network} address")
    return bytes(script.data)


def estimate_vsize(inputs: int, output_script_len: int) -> int:
    nonwitness = 4 + 4 + _varint_len(inputs) + 1 + inputs * _INPUT_NONWITNESS
    nonwitness += 8 + _varint_len(output_script_len) + output_script_len
    weight = nonwitness * 4 + 2 + inputs * _INPUT_WITNESS_WU
    return math.ceil(weight / 4)


def _varint_len(n: int) -> int:
    return 1 if n < 0xFD else 3 if n <= 0xFFFF else 5


def build_spend(vault: Vault, coins: Sequence[Coin], destination: str, fee_rate: Decimal) -> PSBT:
    """The unsigned PSBT spending every coin to ``destination`` at ``fee_rate`` sat/vB."""
    if not coins:
        raise PsbtError(f"{vault.client_id}'s vault has no coins to spend")
    if not Decimal(0) < fee_rate <= MAX_FEE_RATE:
        raise PsbtError(f"fee rate {fee_rate} sat/vB is outside (0, {MAX_FEE_RATE}]")
    if len({(c.txid, c.vout) for c in coins}) != len(coins):
        raise PsbtError("the same coin twice")
    out_script = destination_script(destination, vault)
    if any(out_script == vault.address(c.index).script_pubkey for c in coins):
        raise PsbtError("the release address is the vault itself")
    total = sum(c.amount_sat for c in coins)
    fee = math.ceil(fee_rate * estimate_vsize(len(coins), len(out_script)))
    amount = total - fee
    if amount < DUST_LIMIT_SAT:
        raise PsbtError(f"{total} sat cannot pay a {fee} sat fee and leave a spendable output")
    ordered = sorted(coins, key=lambda c: (c.txid, c.vout))  # BIP-69 input order
    tx = Transaction(
        version=2,
        vin=[
            TransactionInput(bytes.fromhex(c.txid), c.vout, sequence=SEQUENCE_FINAL_RBF)
            for c in ordered
        ],
        vout=[TransactionOutput(amount, Script(out_script))],
        locktime=0,
    )
    psbt = PSBT(tx)
    for _party, key in vault.keys:  # PSBT_GLOBAL_XPUB: signers rebuild the multisig from them
        psbt.xpubs[key.hdkey] = DerivationPath(key.fingerprint, list(key.path))
    for inp, coin in zip(psbt.inputs, ordered, strict=True):
        where = vault.address(coin.index)
        prev = parse_tx(coin.prevtx)
        inp.non_witness_utxo = prev
        inp.witness_utxo = prev.vout[coin.vout]
        inp.witness_script = Script(where.witness_script)
        inp.sighash_type = SIGHASH.ALL
        for pubkey, fingerprint, path in where.keys.values():
            inp.bip32_derivations[ec.PublicKey.parse(pubkey)] = DerivationPath(
                fingerprint, list(path)
            )
    return psbt


def parse_psbt(data: bytes | str) -> PSBT:
    """A PSBT from base64 text or raw bytes; anything malformed is a :class:`PsbtError`."""
    raw: bytes
    if isinstance(data, str) or not data.startswith(b"psbt\xff"):
        text = data if isinstance(data, str) else data.decode("ascii", errors="replace")
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise PsbtError("not a base64 PSBT") from None
    else:
        raw = data
    if not raw.startswith(b"psbt\xff"):
        raise PsbtError("no PSBT magic")
    try:
        psbt = PSBT.parse(raw)
    except Exception as exc:  # embit raises assorted errors for malformed data
        raise PsbtError(f"malformed PSBT: {type(exc).__name__}") from None
    try:
        if psbt.serialize() != raw:
            raise PsbtError("PSBT has trailing or non-canonical bytes")
    except PsbtError:
        raise
    except Exception as exc:
        raise PsbtError(f"malformed PSBT: {type(exc).__name__}") from None
    return psbt


def _unsigned(psbt: PSBT) -> bytes:
    return bytes(psbt.tx.serialize())


def summarize(psbt: PSBT, vault: Vault) -> SpendSummary:
    """Txid, amount, fee and destination of a release PSBT of ``vault``."""
    check_release(psbt, vault)
    tx = psbt.tx
    out = tx.vout[0]
    return SpendSummary(
        txid=tx.txid().hex(),
        amount_sat=out.value,
        fee_sat=psbt.fee(),
        destination=out.script_pubkey.address(vault.embit_network),
        inputs=len(tx.vin),
    )


def _input_address(psbt: PSBT, i: int, vault: Vault) -> VaultAddress:
    inp = psbt.inputs[i]
    try:
        inp.verify()  # non-witness UTXO hashes to the outpoint's txid
    except Exception:
        raise PsbtError(
            f"input {i}: non-witness UTXO missing or not the spent transaction"
        ) from None
    utxo = (
        inp.non_witness_utxo.vout[inp.vout] if inp.vout < len(inp.non_witness_utxo.vout) else None
    )
    if utxo is None:
        raise PsbtError(f"input {i}: spent output missing")
    if inp.witness_utxo is not None and inp.witness_utxo.serialize() != utxo.serialize():
        raise PsbtError(f"input {i}: witness UTXO disagrees with the spent transaction")
    found = vault.find(bytes(utxo.script_pubkey.data))
    if found is None:
        raise PsbtError(f"input {i} does not spend {vault.client_id}'s vault")
    if inp.witness_script is None or bytes(inp.witness_script.data) != found.witness_script:
        raise PsbtError(f"input {i}: witness script is not the vault's")
    return found


def check_release(psbt: PSBT, vault: Vault) -> list[VaultAddress]:
    """Every input spends the vault (checked against its prevtx), one output."""
    if len(psbt.inputs) == 0 or len(psbt.outputs) != 1:
        raise PsbtError("a release spends vault coins to exactly one output")
    return [_input_address(psbt, i, vault) for i in range(len(psbt.inputs))]


def signature_ok(psbt: PSBT, i: int, pubkey: bytes, sig: bytes, where: VaultAddress) -> bool:
    """``sig`` (DER + SIGHASH_ALL) verifies for input ``i`` under ``pubkey``."""
    if len(sig) < 9 or sig[-1] != SIGHASH.ALL:
        return False
    try:
        parsed = ec.Signature.parse(sig[:-1])
        key = ec.PublicKey.parse(pubkey)
        digest = psbt.tx.sighash_segwit(
            i, Script(where.witness_script), psbt.inputs[i].witness_utxo.value, SIGHASH.ALL
        )
        return bool(key.verify(parsed, digest))
    except Exception:
        return False


@dataclass(frozen=True)
class NewSignature:
    input_index: int
    party: str
    pubkey: bytes
    signature: bytes  # DER || sighash byte


def merge_signatures(base: PSBT, signed: PSBT, vault: Vault) -> list[NewSignature]:
    """Copy ``signed``'s valid new signatures into ``base``; refuse anything else.

    The unsigned transaction must be byte-identical (an output or fee changed
    after the order was made is refused); a signature must be by one of the three
    vault keys of that input and verify, else the whole copy is refused.
    """
    if _unsigned(base) != _unsigned(signed):
        raise PsbtError(
            "the PSBT's transaction is not the order's (outputs, inputs or fee changed)"
        )
    _same_metadata(base, signed)
    wheres = check_release(base, vault)
    added: list[NewSignature] = []
    for i, (mine, theirs) in enumerate(zip(base.inputs, signed.inputs, strict=True)):
        for key, sig in theirs.partial_sigs.items():
            pubkey = bytes(key.sec())
            party = vault.party_of(pubkey, wheres[i].index)
            if party is None:
                raise PsbtError(f"input {i}: a signature by a key that is not in the vault")
            if not signature_ok(base, i, pubkey, bytes(sig), wheres[i]):
                raise PsbtError(f"input {i}: {party}'s signature does not verify")
            if key in mine.partial_sigs:
                continue
            added.append(NewSignature(i, party, pubkey, bytes(sig)))
    for new in added:
        base.inputs[new.input_index].partial_sigs[ec.PublicKey.parse(new.pubkey)] = new.signature
    return added


def _same_metadata(base: PSBT, signed: PSBT) -> None:
    """What a copy carries besides signatures may be dropped, never changed."""
    ours = {bytes(k.sec()) + k.chain_code: v.serialize() for k, v in base.xpubs.items()}
    for key, der in signed.xpubs.items():
        if ours.get(bytes(key.sec()) + key.chain_code) != der.serialize():
            raise PsbtError("the PSBT names an account key that is not the vault's")
    for i, (mine, theirs) in enumerate(zip(base.inputs, signed.inputs, strict=True)):
        pairs = (
            (mine.non_witness_utxo, theirs.non_witness_utxo, "non-witness UTXO"),
            (mine.witness_utxo, theirs.witness_utxo, "witness UTXO"),
            (mine.witness_script, theirs.witness_script, "witness script"),
        )
        for ours_value, their_value, what in pairs:
            if their_value is not None and (
                ours_value is None or their_value.serialize() != ours_value.serialize()
            ):
                raise PsbtError(f"input {i}: the {what} differs from the order's")
        if theirs.sighash_type not in (None, SIGHASH.ALL):
            raise PsbtError(f"input {i}: sighash type {theirs.sighash_type} (only ALL)")
        for key, der in theirs.bip32_derivations.items():
            known = mine.bip32_derivations.get(key)
            if known is None or known.serialize() != der.serialize():
                raise PsbtError(f"input {i}: a key derivation differs from the order's")


def signers_per_input(psbt: PSBT, vault: Vault) -> tuple[frozenset[str], ...]:
    """For each input, the parties whose signature on it is valid (vault key, sighash)."""
    wheres = check_release(psbt, vault)
    return tuple(
        frozenset(
            party
            for key, sig in psbt.inputs[i].partial_sigs.items()
            if (party := vault.party_of(bytes(key.sec()), where.index)) is not None
            and signature_ok(psbt, i, bytes(key.sec()), bytes(sig), where)
        )
        for i, where in enumerate(wheres)
    )


def signed_parties(psbt: PSBT, vault: Vault) -> frozenset[str]:
    """Parties whose valid signatures cover every input."""
    covered: frozenset[str] | None = None
    for here in signers_per_input(psbt, vault):
        covered = here if covered is None else covered & here
    return covered or frozenset()


def finalize(psbt: PSBT, vault: Vault) -> bytes:
    """The fully signed raw transaction, from two distinct parties' valid signatures."""
    wheres = check_release(psbt, vault)
    tx = Transaction.parse(_unsigned(psbt))
    for i, where in enumerate(wheres):
        script = where.witness_script
        # sortedmulti: pubkeys appear in the script in order; sigs must follow that order
        ordered = sorted(where.keys.items(), key=lambda kv: kv[1][0])
        sigs: list[bytes] = []
        for party, (pubkey, _fp, _path) in ordered:
            sig = psbt.inputs[i].partial_sigs.get(ec.PublicKey.parse(pubkey))
            if sig is not None and signature_ok(psbt, i, pubkey, bytes(sig), where):
                sigs.append(bytes(sig))
            del party
            if len(sigs) == THRESHOLD:
                break
        if len(sigs) < THRESHOLD:
            raise PsbtError(f"input {i} has {len(sigs)} of {THRESHOLD} valid party signatures")
        tx.vin[i].witness = Witness([b"", *sigs, script])
    return bytes(tx.serialize())
