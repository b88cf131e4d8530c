"""Models of emergency orders, devices, officers and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.services.desk_facade import (
    AuditEntryRow,
    DeviceRow,
    EmergencyOrderRow,
    OfficerRow,
    Party,
    PartySignature,
)
from app.ui import format as fmt
from app.ui import theme
from app.ui.i18n_noop import QT_TRANSLATE_NOOP
from app.ui.models.base import CENTER, RIGHT, ColumnSpec, RowTableModel


def _t(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class EmergencyColumn(IntEnum):
    ORDER = 0
    CLIENT = 1
    REGULATOR = 2
    CUSTODIAN = 3
    EXCHANGE = 4
    QUORUM = 5
    TIME_LEFT = 6
    REASON = 7


def _party(row: EmergencyOrderRow, party: Party) -> PartySignature | None:
    return next((p for p in row.parties if p.party == party), None)


def _party_text(row: EmergencyOrderRow, party: Party) -> str:
    sig = _party(row, party)
    if sig is None or not sig.signed:
        return QCoreApplication.translate("EmergencyModel", "Not signed")
    if sig.verified:
        return QCoreApplication.translate("EmergencyModel", "✓ Signed, verified")
    return QCoreApplication.translate("EmergencyModel", "Signature INVALID")


def _party_tip(row: EmergencyOrderRow, party: Party) -> str:
    sig = _party(row, party)
    if sig is None or sig.signed_at is None:
        return ""
    return QCoreApplication.translate("EmergencyModel", "Signature received %1").replace(
        "%1", fmt.utc(sig.signed_at)
    )


def _party_fg(row: EmergencyOrderRow, party: Party) -> QColor | None:
    sig = _party(row, party)
    if sig is None or not sig.signed:
        return theme.muted()
    return theme.ok() if sig.verified else theme.bad()


def _state_text(row: EmergencyOrderRow) -> str:
    if row.executed_at is not None:
        return QCoreApplication.translate("EmergencyModel", "Executed")
    if datetime.now(UTC) >= row.expires_at:
        return QCoreApplication.translate("EmergencyModel", "Expired")
    if row.quorum:
        return QCoreApplication.translate("EmergencyModel", "Quorum — executable")
    return QCoreApplication.translate("EmergencyModel", "%1 of 2").replace(
        "%1", str(row.valid_signatures)
    )


class EmergencyModel(RowTableModel[EmergencyOrderRow, EmergencyColumn]):
    CONTEXT = "EmergencyModel"

    def columns(self) -> Sequence[ColumnSpec[EmergencyOrderRow]]:

        def party_col(header: str, party: Party) -> ColumnSpec[EmergencyOrderRow]:
            return ColumnSpec(
                header,
                lambda r: _party_text(r, party),
                lambda r: _party_text(r, party),
                CENTER,
                foreground=lambda r: _party_fg(r, party),
                tooltip=lambda r: _party_tip(r, party),
            )

        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("EmergencyModel", "Order"),
                lambda r: r.order_id,
                lambda r: r.order_id,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("EmergencyModel", "Client"),
                lambda r: r.client_id,
                lambda r: r.client_id,
            ),
            party_col(QT_TRANSLATE_NOOP("EmergencyModel", "Regulator"), Party.REGULATOR),
            party_col(QT_TRANSLATE_NOOP("EmergencyModel", "Custodian"), Party.CUSTODIAN),
            party_col(QT_TRANSLATE_NOOP("EmergencyModel", "Exchange"), Party.EXCHANGE),
            ColumnSpec(
                QT_TRANSLATE_NOOP("EmergencyModel", "Quorum"),
                _state_text,
                lambda r: (r.executed_at is None, r.valid_signatures),
                foreground=lambda r: theme.ok() if r.quorum else None,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("EmergencyModel", "Time left (48 h)"),
                lambda r: "—" if r.executed_at else fmt.countdown(r.expires_at),
                lambda r: r.expires_at,
                RIGHT,
                foreground=lambda r: (
                    theme.bad()
                    if r.executed_at is None and datetime.now(UTC) >= r.expires_at
                    else None
                ),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("EmergencyModel", "Reason"),
                lambda r: r.reason,
                lambda r: r.reason,
            ),
        ]


class DeviceColumn(IntEnum):
    LABEL = 0
    KIND = 1
    TRANSPORT = 2
    URI = 3
    FINGERPRINT = 4
    OFFICER = 5


class DevicesModel(RowTableModel[DeviceRow, DeviceColumn]):
    CONTEXT = "DevicesModel"

    def columns(self) -> Sequence[ColumnSpec[DeviceRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("DevicesModel", "Device"),
                lambda r: (
                    r.label
                    + (
                        QCoreApplication.translate("DevicesModel", "  [TEST EMULATOR]")
                        if r.is_emulator
                        else ""
                    )
                ),
                lambda r: r.label,
                foreground=lambda r: theme.bad() if r.is_emulator else None,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("DevicesModel", "Kind"), lambda r: r.kind, lambda r: r.kind
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("DevicesModel", "Transport"),
                lambda r: r.transport,
                lambda r: r.transport,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("DevicesModel", "Address"), lambda r: r.uri, lambda r: r.uri
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("DevicesModel", "Fingerprint"),
                lambda r: r.fingerprint or "—",
                lambda r: r.fingerprint or "",
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("DevicesModel", "Officer"),
                lambda r: r.officer or QCoreApplication.translate("DevicesModel", "not registered"),
                lambda r: r.officer or "",
                foreground=lambda r: None if r.officer else theme.muted(),
            ),
        ]


class OfficerColumn(IntEnum):
    NAME = 0
    ROLE = 1
    FINGERPRINT = 2
    ADDRESS = 3
    PATH = 4


class OfficersModel(RowTableModel[OfficerRow, OfficerColumn]):
    CONTEXT = "OfficersModel"

    def columns(self) -> Sequence[ColumnSpec[OfficerRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("OfficersModel", "Officer"), lambda r: r.name, lambda r: r.name
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("OfficersModel", "Role"), lambda r: r.role, lambda r: r.role
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("OfficersModel", "Key fingerprint"),
                lambda r: r.fingerprint,
                lambda r: r.fingerprint,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("OfficersModel", "Address"),
                lambda r: r.address,
                lambda r: r.address,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("OfficersModel", "Path"), lambda r: r.path, lambda r: r.path
            ),
        ]


class AuditColumn(IntEnum):
    SEQ = 0
    TIME = 1
    ACTOR = 2
    ACTION = 3
    HASH = 4
    DETAILS = 5  # last: it stretches


class AuditModel(RowTableModel[AuditEntryRow, AuditColumn]):
    CONTEXT = "AuditModel"

    def columns(self) -> Sequence[ColumnSpec[AuditEntryRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("AuditModel", "#"), lambda r: str(r.seq), lambda r: r.seq, RIGHT
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AuditModel", "Time"), lambda r: fmt.utc(r.time), lambda r: r.time
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AuditModel", "Actor"), lambda r: r.actor, lambda r: r.actor
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AuditModel", "Action"), lambda r: r.action, lambda r: r.action
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AuditModel", "Entry hash"),
                lambda r: fmt.short_hex(r.entry_hash, 8),
                lambda r: r.entry_hash,
                tooltip=lambda r: r.entry_hash,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AuditModel", "Details"),
                lambda r: r.payload[:160],
                lambda r: r.payload,
                tooltip=lambda r: r.payload,
            ),
        ]

    def search_text(self, row: AuditEntryRow) -> str:
        return f"{row.actor} {row.action} {row.payload}".lower()
