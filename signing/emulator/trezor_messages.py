"""Message type numbers and enum values of the Trezor messages the emulator speaks.

The numbers follow trezor-common's ``messages*.proto`` as shipped in trezorlib 0.20.2;
the field layouts are trezorlib's own message classes (``signing.emulator.trezor_codec``),
and ``tests/signing/test_trezor_messages.py`` checks every number and enum here against
trezorlib so a drift cannot go unnoticed.
"""

from __future__ import annotations

from enum import IntEnum


class MessageType(IntEnum):
    Initialize = 0
    Ping = 1
    Success = 2
    Failure = 3
    GetPublicKey = 11
    SignTx = 15
    PublicKey = 12
    Features = 17
    PinMatrixRequest = 18
    PinMatrixAck = 19
    Cancel = 20
    TxRequest = 21
    TxAck = 22
    LockDevice = 24
    ButtonRequest = 26
    ButtonAck = 27
    ApplyFlags = 28
    GetAddress = 29
    Address = 30
    SignMessage = 38
    VerifyMessage = 39
    MessageSignature = 40
    PassphraseRequest = 41
    PassphraseAck = 42
    GetFeatures = 55
    EndSession = 83


class FailureType(IntEnum):
    UnexpectedMessage = 1
    ButtonExpected = 2
    DataError = 3
    ActionCancelled = 4
    PinExpected = 5
    PinCancelled = 6
    PinInvalid = 7
    InvalidSignature = 8
    ProcessError = 9
    NotEnoughFunds = 10
    NotInitialized = 11
    InvalidSession = 14
    Busy = 15
    InvalidProtocol = 17
    FirmwareError = 99


class ButtonRequestType(IntEnum):
    Other = 1
    ConfirmOutput = 3
    ProtectCall = 7
    SignTx = 8
    Address = 10
    PublicKey = 11


class PinMatrixRequestType(IntEnum):
    Current = 1


class InputScriptType(IntEnum):
    SPENDADDRESS = 0
    SPENDMULTISIG = 1
    EXTERNAL = 2
    SPENDWITNESS = 3
    SPENDP2SHWITNESS = 4
    SPENDTAPROOT = 5


class Capability(IntEnum):
    Bitcoin = 1
    Bitcoin_like = 2
    Crypto = 5
    Ethereum = 7


KNOWN_TYPES: frozenset[int] = frozenset(int(t) for t in MessageType)
