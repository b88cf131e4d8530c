"""Stock trezorlib drives the emulator's SignTx flow for multisig P2WSH inputs.

The vector is trezor-firmware's ``test_send_multisig_2``
(tests/device_tests/bitcoin/test_signtx_segwit_native.py, seed "all" x 12): two
signatures by m/84h/1h/2h/0/1 and m/84h/1h/1h/0/1 of a 2-of-3 P2WSH spend, and the
serialized transaction, byte for byte. The previous transaction is the one in
trezor-firmware's tests/txcache/testnet (b9abfa0d…), rebuilt here from its fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from embit.script import Script
from embit.transaction import Transaction, TransactionInput, TransactionOutput
from trezorlib import btc as trezor_btc
from trezorlib import exceptions, messages
from trezorlib.tools import H_, parse_path

from signing.emulator.main import RunningEmulator, start_emulator
from tests.signing.test_trezor_emulator import stock_session

btc: Any = trezor_btc
TXHASH_B9ABFA = bytes.fromhex("b9abfa0d4a28f6f25e1f6c0f974bfc3f7c5a44c4d381b1796e3fbeef51b560a6")
SIG_2H = (
    "304402204ab0b571d1f4a37cf94cb3644f261483bcfa387d6a9f3631720d0966bf9248cf"
    "0220650b1f928343600b7eedc929902c9b16bf0f00431643b05642fdcf1ae1fd72af"
)
SIG_1H = (
    "3045022100ab35a9f9f915ed4d2017237c12d4676545bdf124c5b1c552e9e23777e601372b"
    "02202aee125c86a4255102ccba2ea0c5e7d42bb16f4b183a4cde3e707379574d6150"
)
TX_HEX = (
    "01000000000101a660b551efbe3f6e79b181d3c4445a7c3ffc4b970f6c1f5ef2f6284a0dfaabb9"
    "0100000000ffffffff01905f0100000000002200201e8dda334f11171190b3da72e526d4414914"
    "64769679a319a2f011da5ad312a10400483045022100ab35a9f9f915ed4d2017237c12d4676545"
    "bdf124c5b1c552e9e23777e601372b02202aee125c86a4255102ccba2ea0c5e7d42bb16f4b183a"
    "4cde3e707379574d61500147304402204ab0b571d1f4a37cf94cb3644f261483bcfa387d6a9f36"
    "31720d0966bf9248cf0220650b1f928343600b7eedc929902c9b16bf0f00431643b05642fdcf1a"
    "e1fd72af0169522103bab8ecdd9ae2c51a0dc858f4c751b27533143bf6013ba1725ba8a4ecebe7"
    "de8c21027d5e55696c875308b03f2ca3d8637f51d3e35da9456a5187aa14b3de8a89534f2103b7"
    "8eabaea8b3a4868be4f4bb96d6f66973f7081faa7f1cafba321444611c241e53ae00000000"
)
PREV_OUTPUTS = [
    (61283, "76a914687d46a330c851c8a0ffcf29fc9422b7ab708b7388ac"),
    (100000, "0020ef38cae54174ac3aba1449c2a7df94d2a5f00734bfaaeb9803727c1e26081637"),
    (100000, "0020f9c50fd24c0b399a9b895341853bd1ccb0bbf08391bb0e3b65150e9819d6e2cb"),
    (100000, "a9143e106cd1f1f0dcdb3e7400bed645ac3a21b406d987"),
    (100000, "a914f5a6e470de83ea66acb496a496593060444eaa7287"),
]
PREV_INPUT = (
    "d7d0188c694c9e0e234edc432d777cd9c98d87e5204d356ac11b33bcb54aa776",
    4,
    "4830450221009956ef8aa270914d14ad7459eab6c70e2b969f75ad6358814e84c929fd00939c02"
    "2064e3611017959a2a3908bae2e459560a4c415349c8b228316ed9192de4f21325012102fa5883"
    "9f1597665847186079737beffca362794c2e784bca9799ba9151ca219a",
    4294967293,
)


def prev_tx_b9abfa() -> messages.TransactionType:
    txid, index, script_sig, sequence = PREV_INPUT
    return messages.TransactionType(
        version=1,
        lock_time=0,
        inputs=[
            messages.TxInputType(
                prev_hash=bytes.fromhex(txid),
                prev_index=index,
                script_sig=bytes.fromhex(script_sig),
                sequence=sequence,
            )
        ],
        bin_outputs=[
            messages.TxOutputBinType(amount=a, script_pubkey=bytes.fromhex(s))
            for a, s in PREV_OUTPUTS
        ],
    )


def test_the_rebuilt_previous_transaction_hashes_to_its_txid() -> None:
    txid, index, script_sig, sequence = PREV_INPUT
    tx = Transaction(
        version=1,
        vin=[
            TransactionInput(
                bytes.fromhex(txid), index, Script(bytes.fromhex(script_sig)), sequence
            )
        ],
        vout=[TransactionOutput(a, Script(bytes.fromhex(s))) for a, s in PREV_OUTPUTS],
        locktime=0,
    )
    assert tx.txid() == TXHASH_B9ABFA


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(trezor_port=0) as emu:
        yield emu


def _multisig_input(session: Any, signer_account: int) -> messages.TxInputType:
    nodes = [
        btc.get_public_node(session, parse_path(f"m/84h/1h/{i}h"), coin_name="Testnet")
        for i in range(1, 4)
    ]
    multisig = messages.MultisigRedeemScriptType(
        nodes=[n.node for n in nodes], address_n=[0, 1], signatures=[b"", b"", b""], m=2
    )
    return messages.TxInputType(
        address_n=parse_path(f"m/84h/1h/{signer_account}h/0/1"),
        prev_hash=TXHASH_B9ABFA,
        prev_index=1,
        script_type=messages.InputScriptType.SPENDWITNESS,
        multisig=multisig,
        amount=100_000,
    )


OUT = messages.TxOutputType(
    address="tb1qr6xa5v60zyt3ry9nmfew2fk5g9y3gerkjeu6xxdz7qga5kknz2ssld9z2z",
    amount=100_000 - 10_000,
    script_type=messages.OutputScriptType.PAYTOADDRESS,
)


def test_multisig_p2wsh_signatures_and_transaction_equal_the_firmware_vector(
    emulator: RunningEmulator,
) -> None:
    session = stock_session(emulator)
    prev = {TXHASH_B9ABFA: prev_tx_b9abfa()}
    inp = _multisig_input(session, 2)
    signatures, _ = btc.sign_tx(session, "Testnet", [inp], [OUT], prev_txes=prev)
    assert signatures[0].hex() == SIG_2H
    inp.multisig.signatures[1] = signatures[0]
    inp.address_n[2] = H_(1)
    signatures, serialized = btc.sign_tx(session, "Testnet", [inp], [OUT], prev_txes=prev)
    assert signatures[0].hex() == SIG_1H
    assert serialized.hex() == TX_HEX


def test_the_device_shows_each_output_and_the_fee(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    shown: list[str] = []
    assert emulator.hsm is not None
    original = emulator.hsm.request_approval

    def spy(text: str, cancel: Any) -> bool:
        shown.append(text)
        return original(text, cancel)

    emulator.hsm.request_approval = spy  # type: ignore[method-assign]
    try:
        btc.sign_tx(
            session,
            "Testnet",
            [_multisig_input(session, 2)],
            [OUT],
            prev_txes={TXHASH_B9ABFA: prev_tx_b9abfa()},
        )
    finally:
        del emulator.hsm.request_approval
    assert shown == [
        "Confirm sending 0.00090000 tBTC to "
        "tb1qr6xa5v60zyt3ry9nmfew2fk5g9y3gerkjeu6xxdz7qga5kknz2ssld9z2z",
        "Really send 0.00090000 tBTC from your wallet? Fee included: 0.00010000 tBTC",
    ]


def test_a_lying_previous_transaction_is_refused(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    prev = prev_tx_b9abfa()
    prev.bin_outputs[1].amount = 1_000_000  # the segwit fee attack: a bigger input amount
    inp = _multisig_input(session, 2)
    with pytest.raises(exceptions.TrezorFailure, match="prev_hash"):
        btc.sign_tx(session, "Testnet", [inp], [OUT], prev_txes={TXHASH_B9ABFA: prev})


def test_mainnet_is_refused_in_test_mode(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    inp = _multisig_input(session, 2)
    with pytest.raises(exceptions.TrezorFailure, match="test networks only"):
        btc.sign_tx(session, "Bitcoin", [inp], [OUT], prev_txes={TXHASH_B9ABFA: prev_tx_b9abfa()})
    mainnet_out = messages.TxOutputType(
        address="bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk",
        amount=90_000,
        script_type=messages.OutputScriptType.PAYTOADDRESS,
    )
    with pytest.raises(exceptions.TrezorFailure, match="no mainnet"):
        btc.sign_tx(
            session, "Testnet", [inp], [mainnet_out], prev_txes={TXHASH_B9ABFA: prev_tx_b9abfa()}
        )


def test_a_key_outside_the_multisig_is_refused(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    inp = _multisig_input(session, 2)
    inp.address_n[2] = H_(7)
    with pytest.raises(exceptions.TrezorFailure, match="not found in multisig"):
        btc.sign_tx(session, "Testnet", [inp], [OUT], prev_txes={TXHASH_B9ABFA: prev_tx_b9abfa()})


def test_rejecting_on_the_device_cancels() -> None:
    with start_emulator(trezor_port=0, approve="reject") as emu:
        session = stock_session(emu)
        inp = _multisig_input(session, 2)
        with pytest.raises(exceptions.Cancelled):
            btc.sign_tx(
                session, "Testnet", [inp], [OUT], prev_txes={TXHASH_B9ABFA: prev_tx_b9abfa()}
            )


def test_trezorctl_signs_the_multisig_vector(emulator: RunningEmulator, tmp_path: Any) -> None:
    """``trezorctl btc sign-tx FILE`` (the JSON transaction format) gives the vector's tx."""
    import json

    from trezorlib import protobuf

    from tests.signing.test_trezor_emulator import trezorctl

    session = stock_session(emulator)
    inp = _multisig_input(session, 1)
    inp.multisig.signatures[1] = bytes.fromhex(SIG_2H)
    data = {
        "coin_name": "Testnet",
        "inputs": [protobuf.to_dict(inp)],
        "outputs": [protobuf.to_dict(OUT)],
        "prev_txes": {TXHASH_B9ABFA.hex(): protobuf.to_dict(prev_tx_b9abfa())},
    }
    source = tmp_path / "tx.json"
    source.write_text(json.dumps(data))
    assert emulator.trezor is not None
    done = trezorctl("-p", emulator.trezor.endpoint, "btc", "sign-tx", str(source))
    assert done.returncode == 0, done.stderr
    assert TX_HEX in done.stdout
