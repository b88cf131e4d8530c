"""The closed tree of signing errors.

Every failure that leaves ``signing/`` is one of these. Each class has a stable
``code`` (scripts and the audit log rely on it) and a ``user_message`` that says
what happened and what to do next. Vendor exceptions are mapped at the driver
edge with ``raise ... from exc``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorCode(StrEnum):
    DEVICE_NOT_FOUND = "device_not_found"
    WRONG_DEVICE = "wrong_device"
    BUSY = "busy"
    PIN_REQUIRED = "pin_required"
    WRONG_PIN = "wrong_pin"
    USER_REJECTED = "user_rejected"
    CANCELLED = "cancelled"
    DISCONNECTED = "disconnected"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol_error"
    UNSUPPORTED = "unsupported"
    INVALID_TEXT = "invalid_text"
    INVALID_SIGNATURE = "invalid_signature"
    INVALID_INPUT = "invalid_input"
    INVALID_TYPED_DATA = "invalid_typed_data"
    NOT_ALLOWED = "not_allowed"


class SigningError(Exception):
    """Base of every error raised by the signing library."""

    code: ClassVar[ErrorCode]
    user_message: ClassVar[str]

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(f"{self.user_message} ({detail})" if detail else self.user_message)


class DeviceNotFound(SigningError):
    code = ErrorCode.DEVICE_NOT_FOUND
    user_message = (
        "No signing device found. Plug it in and unlock it; on Linux check the udev "
        "rules (packaging/udev) and that no other app holds the device."
    )


class WrongDevice(SigningError):
    code = ErrorCode.WRONG_DEVICE
    user_message = "This is not the expected device: its key fingerprint does not match."


class DeviceBusy(SigningError):
    code = ErrorCode.BUSY
    user_message = "The device is busy with another request or held by another app."


class PinRequired(SigningError):
    code = ErrorCode.PIN_REQUIRED
    user_message = "The device is locked. Unlock it with its PIN and try again."


class WrongPin(SigningError):
    code = ErrorCode.WRONG_PIN
    user_message = "Wrong PIN. Mind the device's wipe counter before trying again."


class UserRejected(SigningError):
    code = ErrorCode.USER_REJECTED
    user_message = "The request was rejected on the device. Nothing was signed."


class CancelledByHost(SigningError):
    code = ErrorCode.CANCELLED
    user_message = "The request was cancelled. Nothing was signed."


class Disconnected(SigningError):
    code = ErrorCode.DISCONNECTED
    user_message = "The device was disconnected. Reconnect it and try again."


class DeviceTimeout(SigningError):
    code = ErrorCode.TIMEOUT
    user_message = "The device did not answer in time. Check it and try again."


class ProtocolError(SigningError):
    code = ErrorCode.PROTOCOL
    user_message = "The device sent something unexpected. Reconnect it and try again."


class Unsupported(SigningError):
    code = ErrorCode.UNSUPPORTED
    user_message = "This device cannot do that operation."


class InvalidText(SigningError):
    code = ErrorCode.INVALID_TEXT
    user_message = (
        "The text cannot be shown whole on the device: it must be one line of printable "
        "ASCII, 2 to 240 characters, without leading, trailing or triple spaces."
    )


class InvalidSignature(SigningError):
    code = ErrorCode.INVALID_SIGNATURE
    user_message = "The signature does not verify against the expected key."


class InvalidInput(SigningError):
    code = ErrorCode.INVALID_INPUT
    user_message = "Invalid input to the signing library."


class InvalidTypedData(InvalidInput):
    code = ErrorCode.INVALID_TYPED_DATA
    user_message = (
        "The EIP-712 typed data is malformed (types, primaryType, domain, message): "
        "nothing was sent to the device."
    )


class NotAllowed(SigningError):
    code = ErrorCode.NOT_ALLOWED
    user_message = "Refused by policy."


ALL_ERRORS: tuple[type[SigningError], ...] = (
    DeviceNotFound,
    WrongDevice,
    DeviceBusy,
    PinRequired,
    WrongPin,
    UserRejected,
    CancelledByHost,
    Disconnected,
    DeviceTimeout,
    ProtocolError,
    Unsupported,
    InvalidText,
    InvalidSignature,
    InvalidInput,
    InvalidTypedData,
    NotAllowed,
)
