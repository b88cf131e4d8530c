"""Message type numbers and field layouts of the Trezor messages the emulator speaks.

Numbers and tags follow trezor-common's ``messages*.proto`` as shipped in trezorlib
0.20.2 (``trezorlib/messages.py``); ``tests/signing/test_trezor_messages.py`` checks
every one against trezorlib so a drift cannot go unnoticed. The emulator itself never
imports trezorlib.
"""

from __future__ import annotations

from enum import IntEnum

from signing.framing.protobuf_lite import Field, Kind, Schema


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


U32, U64, BOOL, ENUM, STR, BYTES = (
    Kind.UINT32,
    Kind.UINT64,
    Kind.BOOL,
    Kind.ENUM,
    Kind.STRING,
    Kind.BYTES,
)

HD_NODE = Schema(
    "HDNodeType",
    (
        Field(1, "depth", U32, required=True),
        Field(2, "fingerprint", U32, required=True),
        Field(3, "child_num", U32, required=True),
        Field(4, "chain_code", BYTES, required=True),
        Field(5, "private_key", BYTES),
        Field(6, "public_key", BYTES, required=True),
    ),
)

SCHEMAS: dict[MessageType, Schema] = {
    MessageType.Initialize: Schema(
        "Initialize",
        (
            Field(1, "session_id", BYTES),
            Field(2, "_skip_passphrase", BOOL),
            Field(3, "derive_cardano", BOOL),
        ),
    ),
    MessageType.GetFeatures: Schema("GetFeatures", ()),
    MessageType.Features: Schema(
        "Features",
        (
            Field(1, "vendor", STR),
            Field(2, "major_version", U32, required=True),
            Field(3, "minor_version", U32, required=True),
            Field(4, "patch_version", U32, required=True),
            Field(5, "bootloader_mode", BOOL),
            Field(6, "device_id", STR),
            Field(7, "pin_protection", BOOL),
            Field(8, "passphrase_protection", BOOL),
            Field(9, "language", STR),
            Field(10, "label", STR),
            Field(12, "initialized", BOOL),
            Field(13, "revision", BYTES),
            Field(15, "imported", BOOL),
            Field(16, "unlocked", BOOL),
            Field(18, "firmware_present", BOOL),
            Field(20, "flags", U32),
            Field(21, "model", STR),
            Field(22, "fw_major", U32),
            Field(23, "fw_minor", U32),
            Field(24, "fw_patch", U32),
            Field(25, "fw_vendor", STR),
            Field(27, "unfinished_backup", BOOL),
            Field(28, "no_backup", BOOL),
            Field(30, "capabilities", ENUM, repeated=True),
            Field(35, "session_id", BYTES),
            Field(41, "busy", BOOL),
            Field(44, "internal_model", STR),
        ),
    ),
    MessageType.Ping: Schema(
        "Ping", (Field(1, "message", STR), Field(2, "button_protection", BOOL))
    ),
    MessageType.Success: Schema("Success", (Field(1, "message", STR),)),
    MessageType.Failure: Schema("Failure", (Field(1, "code", ENUM), Field(2, "message", STR))),
    MessageType.ButtonRequest: Schema(
        "ButtonRequest",
        (Field(1, "code", ENUM), Field(2, "pages", U32), Field(4, "name", STR)),
    ),
    MessageType.ButtonAck: Schema("ButtonAck", ()),
    MessageType.PinMatrixRequest: Schema("PinMatrixRequest", (Field(1, "type", ENUM),)),
    MessageType.PinMatrixAck: Schema("PinMatrixAck", (Field(1, "pin", STR, required=True),)),
    MessageType.Cancel: Schema("Cancel", ()),
    MessageType.LockDevice: Schema("LockDevice", ()),
    MessageType.GetPublicKey: Schema(
        "GetPublicKey",
        (
            Field(1, "address_n", U32, repeated=True),
            Field(2, "ecdsa_curve_name", STR),
            Field(3, "show_display", BOOL),
            Field(4, "coin_name", STR),
            Field(5, "script_type", ENUM),
            Field(6, "ignore_xpub_magic", BOOL),
        ),
    ),
    MessageType.PublicKey: Schema(
        "PublicKey",
        (
            Field(1, "node", Kind.MESSAGE, required=True, message=HD_NODE),
            Field(2, "xpub", STR, required=True),
            Field(3, "root_fingerprint", U32),
            Field(4, "descriptor", STR),
        ),
    ),
    MessageType.GetAddress: Schema(
        "GetAddress",
        (
            Field(1, "address_n", U32, repeated=True),
            Field(2, "coin_name", STR),
            Field(3, "show_display", BOOL),
            Field(4, "multisig", BYTES),  # only noticed, to refuse it: single-key emulator
            Field(5, "script_type", ENUM),
            Field(6, "ignore_xpub_magic", BOOL),
            Field(7, "chunkify", BOOL),
        ),
    ),
    MessageType.Address: Schema(
        "Address", (Field(1, "address", STR, required=True), Field(2, "mac", BYTES))
    ),
    MessageType.SignMessage: Schema(
        "SignMessage",
        (
            Field(1, "address_n", U32, repeated=True),
            Field(2, "message", BYTES, required=True),
            Field(3, "coin_name", STR),
            Field(4, "script_type", ENUM),
            Field(5, "no_script_type", BOOL),
            Field(6, "chunkify", BOOL),
        ),
    ),
    MessageType.MessageSignature: Schema(
        "MessageSignature",
        (Field(1, "address", STR, required=True), Field(2, "signature", BYTES, required=True)),
    ),
    MessageType.VerifyMessage: Schema(
        "VerifyMessage",
        (
            Field(1, "address", STR, required=True),
            Field(2, "signature", BYTES, required=True),
            Field(3, "message", BYTES, required=True),
            Field(4, "coin_name", STR),
            Field(5, "chunkify", BOOL),
        ),
    ),
    MessageType.ApplyFlags: Schema("ApplyFlags", (Field(1, "flags", U32, required=True),)),
    MessageType.PassphraseRequest: Schema("PassphraseRequest", ()),
    MessageType.PassphraseAck: Schema(
        "PassphraseAck", (Field(1, "passphrase", STR), Field(3, "on_device", BOOL))
    ),
    MessageType.EndSession: Schema("EndSession", ()),
}

KNOWN_TYPES: frozenset[int] = frozenset(int(t) for t in MessageType)
