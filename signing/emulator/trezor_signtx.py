"""The emulated Trezor's SignTx flow for multisig P2WSH inputs (and P2WPKH).

The exchange is the one stock ``trezorlib.btc.sign_tx`` drives on a Trezor One:
``SignTx`` then ``TxRequest``/``TxAck`` rounds, in the legacy firmware's order:

1. every input (TXINPUT i), every output (TXOUTPUT o) with a ``ConfirmOutput``
   screen each ("Confirm sending 0.0009 tBTC to tb1q…"), then the ``SignTx``
   screen with the total and the fee;
2. for every input, its previous transaction (TXMETA, its inputs, its outputs)
   streamed and hashed: it must hash to the input's prev_hash and its output must
   pay the input's amount to the input's script (the segwit fee attack check);
3. inputs and outputs streamed once more (they must not have changed), then each
   input's BIP-143 signature (libsecp256k1, RFC 6979, low-s: as the firmware);
   the last ``TxRequest(TXFINISHED)`` carries the serialized transaction.

The flow is a generator: it yields what the device sends next (a request or a
screen) and receives the host's answer. Message classes and their wire codec are
trezorlib's own (``trezorlib.messages``, ``trezorlib.protobuf``), as for every
other message (``signing.emulator.trezor_codec``). The emulator is a test device:
it refuses the ``Bitcoin`` (mainnet) coin and any output that is not an address
of the test network.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Generator
from dataclasses import dataclass
from decimal import Decimal

from embit import bip32 as ebip32
from embit import ec
from embit.networks import NETWORKS
from embit.script import Script, Witness, address_to_scriptpubkey, p2wpkh, p2wsh
from embit.transaction import SIGHASH, Transaction, TransactionInput, TransactionOutput
from trezorlib import messages, protobuf

from signing.emulator.trezor_messages import ButtonRequestType, FailureType
from signing.emulator.trezor_requests import DeviceFailure

TransactionType = messages.TransactionType
R = messages.RequestType
IST = messages.InputScriptType
OST = messages.OutputScriptType
MAX_IO = 1000  # inputs/outputs per transaction (the firmware's own bound is similar)
MAX_PREV_IO = 10_000
TEST_COINS = {"Testnet": ("test", "tBTC"), "Regtest": ("regtest", "tBTC")}


@dataclass(frozen=True)
class Screen:
    """A confirmation the device shows (``ButtonRequest`` then the operator decides)."""

    code: ButtonRequestType
    text: str


Step = messages.TxRequest | Screen
Flow = Generator[Step, messages.TransactionType | None, None]


class TxSigner:
    """What the flow needs from the HSM: public nodes and digest signatures."""

    def __init__(
        self,
        pubkey_at: Callable[[tuple[int, ...]], bytes],
        sign_digest: Callable[[tuple[int, ...], bytes], bytes],
    ) -> None:
        self.pubkey_at = pubkey_at
        self.sign_digest = sign_digest


def decode_signtx(payload: bytes) -> messages.SignTx:
    return _load(messages.SignTx, payload)


def decode_txack(payload: bytes) -> messages.TransactionType:
    ack = _load(messages.TxAck, payload)
    if ack.tx is None:
        raise DeviceFailure(FailureType.DataError, "TxAck without tx")
    return ack.tx


def encode(msg: protobuf.MessageType) -> bytes:
    out = io.BytesIO()
    protobuf.dump_message(out, msg)
    return out.getvalue()


def _load(cls: type[protobuf.MT], payload: bytes) -> protobuf.MT:
    try:
        return protobuf.load_message(io.BytesIO(payload), cls)
    except Exception as exc:  # trezorlib raises ValueError/EOFError/... on bad bytes
        raise DeviceFailure(FailureType.DataError, f"Invalid message: {exc}") from None


def _btc(sat: int, unit: str) -> str:
    return f"{(Decimal(sat) / Decimal(100_000_000)).quantize(Decimal('0.00000001'))} {unit}"


def _node_key(node: messages.HDNodeType) -> ebip32.HDKey:
    try:
        return ebip32.HDKey(
            ec.PublicKey.parse(node.public_key),
            node.chain_code,
            version=NETWORKS["test"]["xpub"],
            depth=node.depth,
            fingerprint=node.fingerprint.to_bytes(4, "big"),
            child_number=node.child_num,
        )
    except Exception:
        raise DeviceFailure(FailureType.DataError, "Invalid multisig node") from None


def multisig_pubkeys(ms: messages.MultisigRedeemScriptType) -> list[bytes]:
    """The multisig's public keys in script order (as the firmware computes them)."""
    keys: list[bytes] = []
    try:
        if ms.nodes:
            if ms.pubkeys:
                raise DeviceFailure(FailureType.DataError, "Invalid multisig parameters")
            for node in ms.nodes:
                keys.append(bytes(_node_key(node).derive(list(ms.address_n)).key.sec()))
        else:
            for hd in ms.pubkeys:
                keys.append(bytes(_node_key(hd.node).derive(list(hd.address_n)).key.sec()))
    except DeviceFailure:
        raise
    except Exception:
        raise DeviceFailure(FailureType.DataError, "Invalid multisig node") from None
    if ms.pubkeys_order == messages.MultisigPubkeysOrder.LEXICOGRAPHIC:
        keys.sort()
    n = len(keys)
    if not 1 <= ms.m <= n <= 15 or len(ms.signatures) not in (0, n):
        raise DeviceFailure(FailureType.DataError, "Invalid multisig parameters")
    return keys


def multisig_script(m: int, pubkeys: list[bytes]) -> bytes:
    body = bytes([0x50 + m]) + b"".join(bytes([33]) + k for k in pubkeys)
    return body + bytes([0x50 + len(pubkeys), 0xAE])


@dataclass
class _Input:
    msg: messages.TxInputType
    script_code: bytes  # the BIP-143 scriptCode (witness script, or P2PKH for P2WPKH)
    script_pubkey: bytes
    own_pubkey: bytes
    multisig_keys: list[bytes] | None


class SignTxFlow:
    """One SignTx session; ``run()`` is the generator the device steps through."""

    def __init__(self, sign_tx: messages.SignTx, signer: TxSigner) -> None:
        self.req = sign_tx
        self.signer = signer
        coin = sign_tx.coin_name or "Bitcoin"
        if coin not in TEST_COINS:
            raise DeviceFailure(
                FailureType.ProcessError,
                f"Emulator refuses {coin}: test networks only (Testnet, Regtest)",
            )
        self.network_name, self.unit = TEST_COINS[coin]
        self.network = NETWORKS[self.network_name]
        if not 1 <= sign_tx.inputs_count <= MAX_IO or not 1 <= sign_tx.outputs_count <= MAX_IO:
            raise DeviceFailure(FailureType.DataError, "Invalid number of inputs or outputs")
        self.inputs: list[_Input] = []
        self.outputs: list[TransactionOutput] = []
        self.output_msgs: list[messages.TxOutputType] = []

    # ---- requests ----------------------------------------------------------------

    @staticmethod
    def _request(
        kind: R,
        index: int | None = None,
        tx_hash: bytes | None = None,
        serialized: messages.TxRequestSerializedType | None = None,
    ) -> messages.TxRequest:
        details = messages.TxRequestDetailsType(request_index=index, tx_hash=tx_hash)
        return messages.TxRequest(request_type=kind, details=details, serialized=serialized)

    def run(self) -> Flow:
        n_in, n_out = self.req.inputs_count, self.req.outputs_count
        # phase 1: inputs, outputs with a screen each, the total
        for i in range(n_in):
            tx = yield self._request(R.TXINPUT, i)
            self.inputs.append(self._check_input(self._one(tx, "inputs")))
        for o in range(n_out):
            tx = yield self._request(R.TXOUTPUT, o)
            msg = self._one(tx, "outputs")
            assert isinstance(msg, messages.TxOutputType)
            out = self._check_output(msg)
            self.output_msgs.append(msg)
            self.outputs.append(out)
            address = out.script_pubkey.address(self.network)
            yield Screen(
                ButtonRequestType.ConfirmOutput,
                f"Confirm sending {_btc(out.value, self.unit)} to {address}",
            )
        total_in = sum(int(i.msg.amount or 0) for i in self.inputs)
        total_out = sum(o.value for o in self.outputs)
        if total_out > total_in:
            raise DeviceFailure(FailureType.NotEnoughFunds, "Not enough funds")
        fee = total_in - total_out
        yield Screen(
            ButtonRequestType.SignTx,
            f"Really send {_btc(total_out, self.unit)} from your wallet? "
            f"Fee included: {_btc(fee, self.unit)}",
        )
        # phase 2: each previous transaction proves its input's amount and script
        for i, inp in enumerate(self.inputs):
            tx = yield self._request(R.TXINPUT, i)
            self._same_input(i, self._one(tx, "inputs"))
            yield from self._check_prev(inp)
        # phase 3: the transaction once more, then the signatures
        for i in range(n_in):
            tx = yield self._request(R.TXINPUT, i)
            self._same_input(i, self._one(tx, "inputs"))
        for o in range(n_out):
            tx = yield self._request(R.TXOUTPUT, o)
            if self._check_output(self._one(tx, "outputs")).serialize() != (
                self.outputs[o].serialize()
            ):
                raise DeviceFailure(
                    FailureType.ProcessError, "Transaction has changed during signing"
                )
        unsigned = Transaction(
            version=self.req.version if self.req.version is not None else 1,
            vin=[
                TransactionInput(
                    i.msg.prev_hash, i.msg.prev_index, sequence=i.msg.sequence or 0xFFFFFFFF
                )
                for i in self.inputs
            ],
            vout=self.outputs,
            locktime=self.req.lock_time or 0,
        )
        pending: messages.TxRequestSerializedType | None = None
        for i, inp in enumerate(self.inputs):
            tx = yield self._request(R.TXINPUT, i, serialized=pending)
            self._same_input(i, self._one(tx, "inputs"))
            digest = unsigned.sighash_segwit(
                i, Script(inp.script_code), int(inp.msg.amount or 0), SIGHASH.ALL
            )
            der = self.signer.sign_digest(tuple(inp.msg.address_n), digest)
            unsigned.vin[i].witness = self._witness(inp, der)
            pending = messages.TxRequestSerializedType(signature_index=i, signature=der)
        final = messages.TxRequestSerializedType(
            signature_index=pending.signature_index if pending else None,
            signature=pending.signature if pending else None,
            serialized_tx=bytes(unsigned.serialize()),
        )
        yield messages.TxRequest(request_type=R.TXFINISHED, serialized=final)

    # ---- checks ------------------------------------------------------------------

    @staticmethod
    def _one(tx: messages.TransactionType | None, field: str) -> object:
        items = getattr(tx, field, None) if tx is not None else None
        if not items or len(items) != 1:
            raise DeviceFailure(FailureType.DataError, f"Expected exactly one of {field}")
        return items[0]

    def _check_input(self, item: object) -> _Input:
        assert isinstance(item, messages.TxInputType)
        msg = item
        if len(msg.prev_hash) != 32:
            raise DeviceFailure(FailureType.DataError, "Invalid prev_hash")
        if msg.amount is None:
            raise DeviceFailure(FailureType.DataError, "Segwit input without amount")
        if msg.script_type != IST.SPENDWITNESS:
            raise DeviceFailure(
                FailureType.DataError, "Emulator signs native segwit (P2WSH multisig, P2WPKH) only"
            )
        path = tuple(msg.address_n)
        if not 1 <= len(path) <= 8:
            raise DeviceFailure(FailureType.DataError, "Forbidden key path")
        own = self.signer.pubkey_at(path)
        if msg.multisig is not None:
            keys = multisig_pubkeys(msg.multisig)
            if own not in keys:
                raise DeviceFailure(FailureType.DataError, "Pubkey not found in multisig script")
            script = multisig_script(msg.multisig.m, keys)
            return _Input(msg, script, bytes(p2wsh(Script(script)).data), own, keys)
        spk = bytes(p2wpkh(ec.PublicKey.parse(own)).data)
        code = b"\x76\xa9\x14" + spk[2:] + b"\x88\xac"
        return _Input(msg, code, spk, own, None)

    def _same_input(self, i: int, item: object) -> None:
        assert isinstance(item, messages.TxInputType)
        if encode(item) != encode(self.inputs[i].msg):
            raise DeviceFailure(FailureType.ProcessError, "Transaction has changed during signing")

    def _check_output(self, item: object) -> TransactionOutput:
        assert isinstance(item, messages.TxOutputType)
        msg = item
        if msg.script_type == OST.PAYTOOPRETURN:
            data = msg.op_return_data or b""
            return TransactionOutput(msg.amount, Script(b"\x6a" + bytes([len(data)]) + data))
        if msg.address is None or msg.address_n:
            raise DeviceFailure(FailureType.DataError, "Emulator signs outputs to addresses only")
        try:
            script = address_to_scriptpubkey(msg.address)
            ok = script.address(self.network) == msg.address
        except Exception:
            ok = False
        if not ok:
            raise DeviceFailure(
                FailureType.DataError,
                f"Invalid address {msg.address} for {self.req.coin_name} (test mode: no mainnet)",
            )
        return TransactionOutput(msg.amount, script)

    def _check_prev(self, inp: _Input) -> Generator[Step, messages.TransactionType | None, None]:
        tx_hash = inp.msg.prev_hash
        meta = yield self._request(R.TXMETA, None, tx_hash)
        if meta is None or meta.inputs_cnt is None or meta.outputs_cnt is None:
            raise DeviceFailure(FailureType.DataError, "Invalid previous transaction metadata")
        if meta.extra_data_len:
            raise DeviceFailure(FailureType.DataError, "Extra data not supported")
        if not 1 <= meta.inputs_cnt <= MAX_PREV_IO or not 1 <= meta.outputs_cnt <= MAX_PREV_IO:
            raise DeviceFailure(FailureType.DataError, "Invalid previous transaction size")
        vin: list[TransactionInput] = []
        for j in range(meta.inputs_cnt):
            tx = yield self._request(R.TXINPUT, j, tx_hash)
            prev_in = self._one(tx, "inputs")
            assert isinstance(prev_in, messages.TxInputType)
            vin.append(
                TransactionInput(
                    prev_in.prev_hash,
                    prev_in.prev_index,
                    script_sig=Script(prev_in.script_sig or b""),
                    sequence=prev_in.sequence,
                )
            )
        vout: list[TransactionOutput] = []
        for k in range(meta.outputs_cnt):
            tx = yield self._request(R.TXOUTPUT, k, tx_hash)
            bin_out = self._one(tx, "bin_outputs")
            assert isinstance(bin_out, messages.TxOutputBinType)
            vout.append(TransactionOutput(bin_out.amount, Script(bin_out.script_pubkey)))
        prev = Transaction(
            version=meta.version or 1, vin=vin, vout=vout, locktime=meta.lock_time or 0
        )
        if prev.txid() != tx_hash:
            raise DeviceFailure(FailureType.DataError, "Encountered invalid prev_hash")
        if inp.msg.prev_index >= len(vout):
            raise DeviceFailure(FailureType.DataError, "Not enough outputs in previous transaction")
        spent = vout[inp.msg.prev_index]
        if spent.value != inp.msg.amount:
            raise DeviceFailure(FailureType.DataError, "Invalid amount specified")
        if bytes(spent.script_pubkey.data) != inp.script_pubkey:
            raise DeviceFailure(FailureType.DataError, "Input does not match scriptPubKey")

    def _witness(self, inp: _Input, der: bytes) -> Witness:
        sig = der + bytes([SIGHASH.ALL])
        if inp.multisig_keys is None:
            return Witness([sig, inp.own_pubkey])
        ms = inp.msg.multisig
        assert ms is not None
        given = list(ms.signatures) or [b""] * len(inp.multisig_keys)
        items: list[bytes] = [b""]
        for key, other in zip(inp.multisig_keys, given, strict=True):
            if key == inp.own_pubkey:
                items.append(sig)
            elif other:
                items.append(bytes(other) + bytes([SIGHASH.ALL]))
        items.append(inp.script_code)
        return Witness(items)
