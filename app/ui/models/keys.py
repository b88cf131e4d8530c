"""The registered keys a device can be asked to show (Devices tab, "Show address on device")."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QCoreApplication

from app.services.key_display import KeyKind, RegisteredKey
from app.ui.i18n_noop import QT_TRANSLATE_NOOP
from app.ui.models.base import ColumnSpec, RowTableModel

KIND_NAMES = {
    KeyKind.OFFICER: QT_TRANSLATE_NOOP("KeysModel", "Officer key"),
    KeyKind.MULTISIG: QT_TRANSLATE_NOOP("KeysModel", "Multisig key (vault)"),
    KeyKind.SAFE_OWNER: QT_TRANSLATE_NOOP("KeysModel", "Safe owner"),
}


def kind_name(kind: KeyKind) -> str:
    return QCoreApplication.translate("KeysModel", KIND_NAMES[kind])


def owner_name(key: RegisteredKey) -> str:
    """The officer's name, or the party (regulator, custodian, exchange) translated."""
    if key.kind is KeyKind.OFFICER:
        return key.owner
    from app.domain.parties import Party
    from app.ui import labels

    try:
        return labels.party(Party(key.owner))
    except ValueError:
        return key.owner


def key_name(key: RegisteredKey) -> str:
    """One line naming the key, in the window's language."""
    if key.kind is KeyKind.MULTISIG:
        return (
            QCoreApplication.translate("KeysModel", "%1's multisig key (%2's vault, address #0)")
            .replace("%1", owner_name(key))
            .replace("%2", key.client_id)
        )
    if key.kind is KeyKind.SAFE_OWNER:
        return QCoreApplication.translate("KeysModel", "%1's Safe owner").replace(
            "%1", owner_name(key)
        )
    return QCoreApplication.translate("KeysModel", "officer %1's key").replace("%1", key.owner)


class KeyColumn(IntEnum):
    KIND = 0
    OWNER = 1
    ADDRESS = 2
    PATH = 3
    FINGERPRINT = 4


class KeysModel(RowTableModel[RegisteredKey, KeyColumn]):
    CONTEXT = "KeysModel"

    def columns(self) -> Sequence[ColumnSpec[RegisteredKey]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("KeysModel", "Kind"),
                lambda r: kind_name(r.kind),
                lambda r: r.kind.value,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("KeysModel", "Officer or party"),
                owner_name,
                lambda r: r.owner,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("KeysModel", "Address the device must show"),
                lambda r: r.address,
                lambda r: r.address,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("KeysModel", "Path"), lambda r: r.path, lambda r: r.path
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("KeysModel", "Device fingerprint"),
                lambda r: r.fingerprint,
                lambda r: r.fingerprint,
            ),
        ]
