"""Each typed signing error as a message a custody officer can act on (translated)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.ui.i18n_noop import QT_TRANSLATE_NOOP
from signing.errors import ErrorCode, SigningError

_C = "SigningErrors"

_MESSAGES: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.DEVICE_NOT_FOUND: (
        QT_TRANSLATE_NOOP("SigningErrors", "No signing device found"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "Plug the device in and unlock it. On Linux install the udev rules from"
            " packaging/udev, and close any other app (a wallet, a browser tab) that holds it.",
        ),
    ),
    ErrorCode.WRONG_DEVICE: (
        QT_TRANSLATE_NOOP("SigningErrors", "This is not the officer's registered device"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "Its key fingerprint does not match the key registered for the officer on duty."
            " Plug in the officer's own device, or change the officer on duty.",
        ),
    ),
    ErrorCode.BUSY: (
        QT_TRANSLATE_NOOP("SigningErrors", "The device is busy"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "Another request or another app is using it. Finish or close that, then try again.",
        ),
    ),
    ErrorCode.PIN_REQUIRED: (
        QT_TRANSLATE_NOOP("SigningErrors", "The device is locked"),
        QT_TRANSLATE_NOOP("SigningErrors", "Unlock it with its PIN and try again."),
    ),
    ErrorCode.WRONG_PIN: (
        QT_TRANSLATE_NOOP("SigningErrors", "Wrong PIN"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "Nothing was signed. The device counts failed attempts and wipes itself after"
            " too many: check the digits on the device before trying again.",
        ),
    ),
    ErrorCode.USER_REJECTED: (
        QT_TRANSLATE_NOOP("SigningErrors", "Rejected on the device"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "Nothing was signed. If the text on the device differed from the desk's, report"
            " it to security before trying again.",
        ),
    ),
    ErrorCode.CANCELLED: (
        QT_TRANSLATE_NOOP("SigningErrors", "Cancelled"),
        QT_TRANSLATE_NOOP("SigningErrors", "The request was cancelled. Nothing was signed."),
    ),
    ErrorCode.DISCONNECTED: (
        QT_TRANSLATE_NOOP("SigningErrors", "The device was disconnected"),
        QT_TRANSLATE_NOOP(
            "SigningErrors", "Nothing was signed. Reconnect the device and start again."
        ),
    ),
    ErrorCode.TIMEOUT: (
        QT_TRANSLATE_NOOP("SigningErrors", "The device did not answer in time"),
        QT_TRANSLATE_NOOP("SigningErrors", "Check that it is awake and unlocked, then retry."),
    ),
    ErrorCode.PROTOCOL: (
        QT_TRANSLATE_NOOP("SigningErrors", "The device sent something unexpected"),
        QT_TRANSLATE_NOOP(
            "SigningErrors", "Reconnect it and retry; if it persists, update its firmware."
        ),
    ),
    ErrorCode.UNSUPPORTED: (
        QT_TRANSLATE_NOOP("SigningErrors", "The device cannot do this"),
        QT_TRANSLATE_NOOP("SigningErrors", "Use a device that can sign messages."),
    ),
    ErrorCode.INVALID_TEXT: (
        QT_TRANSLATE_NOOP("SigningErrors", "The statement cannot be shown whole on the device"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "It must be one line of printable ASCII of at most 240 characters. Report this"
            " to the desk's administrators.",
        ),
    ),
    ErrorCode.INVALID_SIGNATURE: (
        QT_TRANSLATE_NOOP("SigningErrors", "The signature did not verify"),
        QT_TRANSLATE_NOOP(
            "SigningErrors",
            "Nothing was stored as signed. The device signed with a key that is not the"
            " officer's registered key (another passphrase or device?).",
        ),
    ),
    ErrorCode.INVALID_INPUT: (
        QT_TRANSLATE_NOOP("SigningErrors", "Invalid request"),
        QT_TRANSLATE_NOOP("SigningErrors", "Check the device address and key path."),
    ),
    ErrorCode.NOT_ALLOWED: (
        QT_TRANSLATE_NOOP("SigningErrors", "Refused by policy"),
        QT_TRANSLATE_NOOP("SigningErrors", "The desk's policy does not allow this signature here."),
    ),
}


def describe(error: SigningError) -> tuple[str, str]:
    """(title, what to do next) for a signing error, translated."""
    title, advice = _MESSAGES.get(error.code, (error.user_message, ""))
    return QCoreApplication.translate(_C, title), QCoreApplication.translate(_C, advice)
