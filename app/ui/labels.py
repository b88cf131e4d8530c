"""Translated names of the desk's states, one place for every view."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.services.desk_facade import (
    AttestationStatus,
    LineState,
    MarginCallStatus,
    Party,
)
from app.ui.i18n_noop import QT_TRANSLATE_NOOP

_LINE = {
    LineState.HEALTHY: QT_TRANSLATE_NOOP("Labels", "Healthy"),
    LineState.MARGIN_CALL: QT_TRANSLATE_NOOP("Labels", "Margin call"),
    LineState.LIQUIDATION: QT_TRANSLATE_NOOP("Labels", "Liquidation"),
    LineState.NO_EXPOSURE: QT_TRANSLATE_NOOP("Labels", "No exposure"),
}
_ATT = {
    AttestationStatus.DRAFT: QT_TRANSLATE_NOOP("Labels", "Draft"),
    AttestationStatus.AWAITING_APPROVAL: QT_TRANSLATE_NOOP("Labels", "Awaiting approval"),
    AttestationStatus.SIGNING: QT_TRANSLATE_NOOP("Labels", "Signing"),
    AttestationStatus.SIGNED: QT_TRANSLATE_NOOP("Labels", "Signed"),
    AttestationStatus.SENT: QT_TRANSLATE_NOOP("Labels", "Sent"),
    AttestationStatus.REJECTED: QT_TRANSLATE_NOOP("Labels", "Rejected"),
    AttestationStatus.EXPIRED: QT_TRANSLATE_NOOP("Labels", "Expired"),
}
_CALL = {
    MarginCallStatus.RECEIVED: QT_TRANSLATE_NOOP("Labels", "Received"),
    MarginCallStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("Labels", "Acknowledged"),
    MarginCallStatus.TOPPED_UP: QT_TRANSLATE_NOOP("Labels", "Topped up"),
    MarginCallStatus.ESCALATED: QT_TRANSLATE_NOOP("Labels", "Escalated to liquidation"),
    MarginCallStatus.LIQUIDATED: QT_TRANSLATE_NOOP("Labels", "Liquidated"),
    MarginCallStatus.EXPIRED: QT_TRANSLATE_NOOP("Labels", "Expired"),
}
_PARTY = {
    Party.REGULATOR: QT_TRANSLATE_NOOP("Labels", "Regulator (VARA)"),
    Party.CUSTODIAN: QT_TRANSLATE_NOOP("Labels", "Custodian"),
    Party.EXCHANGE: QT_TRANSLATE_NOOP("Labels", "Exchange"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def line_state(state: LineState) -> str:
    return _t(_LINE[state])


def attestation_status(status: AttestationStatus) -> str:
    return _t(_ATT[status])


def call_status(status: MarginCallStatus) -> str:
    return _t(_CALL[status])


def party(value: Party) -> str:
    return _t(_PARTY[value])


def yes_no(value: bool) -> str:
    yes, no = QT_TRANSLATE_NOOP("Labels", "Yes"), QT_TRANSLATE_NOOP("Labels", "No")
    return _t(yes) if value else _t(no)
