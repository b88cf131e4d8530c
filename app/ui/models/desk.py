"""Models of the attestation queue and proofs, margin calls and the waterfall."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.services.desk_facade import (
    AttestationRow,
    AttestationStatus,
    MarginCallRow,
    MarginCallStatus,
    ProofRow,
    WaterfallLine,
)
from app.ui import format as fmt
from app.ui import labels, theme
from app.ui.i18n_noop import QT_TRANSLATE_NOOP
from app.ui.models.base import CENTER, RIGHT, ColumnSpec, RowTableModel

#: A call this close to its deadline turns amber.
NEAR_DEADLINE = timedelta(hours=1)


class AttestationColumn(IntEnum):
    SEQUENCE = 0
    STATUS = 1
    CLIENTS = 2
    TOTAL = 3
    AS_OF = 4
    EXPIRES = 5
    PREPARED_BY = 6
    APPROVED_BY = 7
    ROOT = 8


def _status_fg(row: AttestationRow) -> QColor | None:
    if row.status in (AttestationStatus.SIGNED, AttestationStatus.SENT):
        return theme.ok()
    if row.status in (AttestationStatus.REJECTED, AttestationStatus.EXPIRED):
        return theme.bad()
    if row.status == AttestationStatus.AWAITING_APPROVAL:
        return theme.warn()
    return None


class AttestationsModel(RowTableModel[AttestationRow, AttestationColumn]):
    CONTEXT = "AttestationsModel"

    def columns(self) -> Sequence[ColumnSpec[AttestationRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Seq"),
                lambda r: str(r.sequence),
                lambda r: r.sequence,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Status"),
                lambda r: labels.attestation_status(r.status),
                lambda r: r.status.value,
                foreground=_status_fg,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Clients"),
                lambda r: ", ".join(r.client_ids),
                lambda r: r.client_ids,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Collateral value (USD)"),
                lambda r: fmt.usd(r.total_collateral),
                lambda r: r.total_collateral,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "As of"),
                lambda r: fmt.utc(r.as_of),
                lambda r: r.as_of,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Expires"),
                lambda r: fmt.utc(r.expires_at),
                lambda r: r.expires_at,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Prepared by"),
                lambda r: r.prepared_by,
                lambda r: r.prepared_by,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Approved by"),
                lambda r: r.approved_by or "—",
                lambda r: r.approved_by or "",
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("AttestationsModel", "Root"),
                lambda r: fmt.short_hex(r.root_hex, 8),
                lambda r: r.root_hex,
                tooltip=lambda r: r.root_hex,
            ),
        ]


class ProofColumn(IntEnum):
    CLIENT = 0
    LEAF = 1
    COLLATERAL = 2
    PATH = 3
    VERIFIED = 4


class ProofsModel(RowTableModel[ProofRow, ProofColumn]):
    CONTEXT = "ProofsModel"

    def columns(self) -> Sequence[ColumnSpec[ProofRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("ProofsModel", "Client"),
                lambda r: r.client_id,
                lambda r: r.client_id,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ProofsModel", "Leaf"),
                lambda r: str(r.leaf_index),
                lambda r: r.leaf_index,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ProofsModel", "Collateral value (USD)"),
                lambda r: fmt.usd(r.collateral_value),
                lambda r: r.collateral_value,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ProofsModel", "Proof length"),
                lambda r: str(r.path_length),
                lambda r: r.path_length,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ProofsModel", "Verified"),
                lambda r: "—" if r.verified is None else labels.yes_no(r.verified),
                lambda r: {None: 0, True: 1, False: 2}[r.verified],
                CENTER,
                foreground=lambda r: (
                    None if r.verified is None else (theme.ok() if r.verified else theme.bad())
                ),
            ),
        ]


class MarginCallColumn(IntEnum):
    CLIENT = 0
    NAME = 1
    STATUS = 2
    DEADLINE = 3
    COUNTDOWN = 4
    SHORTFALL = 5
    EXPOSURE = 6
    RATIO = 7
    DESK_RATIO = 8


_OPEN_CALLS = (MarginCallStatus.RECEIVED, MarginCallStatus.ACKNOWLEDGED, MarginCallStatus.ESCALATED)


def call_urgency(row: MarginCallRow, now: datetime | None = None) -> str:
    """'past', 'near' or 'ok' for an open call; 'closed' otherwise."""
    if row.status not in _OPEN_CALLS:
        return "closed"
    now = now or datetime.now(UTC)
    if now >= row.deadline:
        return "past"
    if row.deadline - now <= NEAR_DEADLINE:
        return "near"
    return "ok"


def _urgency_bg(row: MarginCallRow) -> QColor | None:
    urgency = call_urgency(row)
    if urgency == "past":
        return theme.bad_bg()
    if urgency == "near":
        return theme.warn_bg()
    return None


def _urgency_fg(row: MarginCallRow) -> QColor | None:
    urgency = call_urgency(row)
    if urgency == "past":
        return theme.bad()
    if urgency == "near":
        return theme.warn()
    return None


def _shortfall_source(row: MarginCallRow) -> str:
    if row.past_liquidation and row.call_shortfall is not None:
        text = QCoreApplication.translate(
            "MarginCallsModel", "From the exchange's liquidation notice (the call said USD %1)."
        )
        return text.replace("%1", fmt.usd(row.call_shortfall))
    return QCoreApplication.translate("MarginCallsModel", "From the exchange's margin call.")


class MarginCallsModel(RowTableModel[MarginCallRow, MarginCallColumn]):
    """Pending calls; the countdown column is repainted every second by the view."""

    CONTEXT = "MarginCallsModel"

    def columns(self) -> Sequence[ColumnSpec[MarginCallRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Client"),
                lambda r: r.client_id,
                lambda r: r.client_id,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Name"),
                lambda r: r.client_name,
                lambda r: r.client_name,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Status"),
                lambda r: labels.call_status(r.status),
                lambda r: r.status.value,
                foreground=lambda r: theme.bad() if r.past_liquidation else None,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Deadline"),
                lambda r: fmt.utc(r.deadline),
                lambda r: r.deadline,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Time left"),
                lambda r: fmt.countdown(r.deadline) if r.status in _OPEN_CALLS else "—",
                lambda r: r.deadline,
                RIGHT,
                foreground=_urgency_fg,
                background=_urgency_bg,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Exchange shortfall (USD)"),
                lambda r: fmt.usd(r.shortfall),
                lambda r: r.shortfall,
                RIGHT,
                tooltip=_shortfall_source,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Exposure (USD)"),
                lambda r: fmt.usd(r.exposure),
                lambda r: r.exposure,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Ratio at the call"),
                lambda r: fmt.ratio(r.ratio),
                lambda r: r.ratio if r.ratio is not None else 0,
                RIGHT,
                tooltip=lambda r: QCoreApplication.translate(
                    "MarginCallsModel", "The exchange's collateral ratio when it issued the call."
                ),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("MarginCallsModel", "Desk ratio now"),
                lambda r: fmt.ratio(r.desk_ratio),
                lambda r: r.desk_ratio if r.desk_ratio is not None else 0,
                RIGHT,
                tooltip=lambda r: QCoreApplication.translate(
                    "MarginCallsModel", "The desk's own valuation of the client now: %1"
                ).replace("%1", r.desk_standing or "—"),
            ),
        ]

    def open_count(self) -> int:
        return sum(1 for r in self._rows if r.status in _OPEN_CALLS)


class WaterfallColumn(IntEnum):
    STEP = 0
    SOURCE = 1
    QUANTITY = 2
    USD = 3
    REMAINING = 4


class WaterfallModel(RowTableModel[WaterfallLine, WaterfallColumn]):
    CONTEXT = "WaterfallModel"

    def columns(self) -> Sequence[ColumnSpec[WaterfallLine]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("WaterfallModel", "Step"),
                lambda r: str(r.step),
                lambda r: r.step,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("WaterfallModel", "Source"),
                lambda r: r.source,
                lambda r: r.source,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("WaterfallModel", "Quantity"),
                lambda r: fmt.quantity(r.quantity),
                lambda r: r.quantity,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("WaterfallModel", "Covers (USD)"),
                lambda r: fmt.usd(r.usd),
                lambda r: r.usd,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("WaterfallModel", "Shortfall left (USD)"),
                lambda r: fmt.usd(r.remaining_shortfall),
                lambda r: r.remaining_shortfall,
                RIGHT,
            ),
        ]
