"""The details pane under the margin-call queue: one call's figures, history, documents and,
past the liquidation line, the yield-first waterfall the instruction would carry."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import DocumentRef, MarginCallDetail, MarginCallRow
from app.ui import format as fmt
from app.ui import labels, theme
from app.ui.models.desk import WaterfallModel, call_urgency
from app.ui.views.table import DeskTable

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def _html_row(*cells: str) -> str:
    """One table row of escaped cells; only the last (free text) may wrap."""
    fixed = "padding-right:10px; white-space:nowrap"
    tds = "".join(f"<td style='{fixed}'>{escape(c)}</td>" for c in cells[:-1])
    return f"<tr>{tds}<td>{escape(cells[-1])}</td></tr>"


def _value_label(name: str) -> QLabel:
    label = QLabel("—")
    label.setObjectName(name)
    label.setTextInteractionFlags(_SELECTABLE)
    return label


class MarginCallDetails(QWidget):
    """Read-only: what an officer needs to decide on the selected call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("marginCallDetails")
        self.detail: MarginCallDetail | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)

        summary = QGroupBox(self.tr("Selected call"))
        form = QFormLayout(summary)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.client = _value_label("callClient")
        self.client.setWordWrap(True)  # a long client name wraps instead of being cut off
        self.call = _value_label("callId")
        self.status = _value_label("callStatus")
        self.deadline = _value_label("callDeadline")
        self.time_left = _value_label("callTimeLeft")
        self.shortfall = _value_label("callShortfall")
        self.exposure = _value_label("callExposure")
        self.ratio = _value_label("callRatio")
        self.desk_view = _value_label("callDeskView")
        self.desk_view.setWordWrap(True)
        self.received = _value_label("callReceived")
        form.addRow(self.tr("Client:"), self.client)
        form.addRow(self.tr("Call:"), self.call)
        form.addRow(self.tr("Status:"), self.status)
        form.addRow(self.tr("Received:"), self.received)
        form.addRow(self.tr("Deadline:"), self.deadline)
        form.addRow(self.tr("Time left:"), self.time_left)
        # The exchange's figures and the desk's own, each labelled with its source.
        form.addRow(self.tr("Exchange shortfall (USD):"), self.shortfall)
        form.addRow(self.tr("Exchange exposure (USD):"), self.exposure)
        form.addRow(self.tr("Ratio at the call:"), self.ratio)
        form.addRow(self.tr("Desk now:"), self.desk_view)
        summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(summary, 3)

        middle = QVBoxLayout()
        history_box = QGroupBox(self.tr("Status history"))
        history_layout = QVBoxLayout(history_box)
        self.history = QLabel()
        self.history.setObjectName("callHistory")
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setTextInteractionFlags(_SELECTABLE)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.history.setWordWrap(True)
        # Long notes must not widen the pane at the waterfall's expense.
        self.history.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        history_layout.addWidget(self.history)
        middle.addWidget(history_box, 3)
        documents_box = QGroupBox(self.tr("Signed documents"))
        documents_layout = QVBoxLayout(documents_box)
        self.documents = QLabel()
        self.documents.setObjectName("callDocuments")
        self.documents.setTextFormat(Qt.TextFormat.RichText)
        self.documents.setTextInteractionFlags(_SELECTABLE)
        self.documents.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.documents.setWordWrap(True)
        self.documents.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        documents_layout.addWidget(self.documents)
        middle.addWidget(documents_box, 2)
        layout.addLayout(middle, 4)

        waterfall_box = QGroupBox(self.tr("Liquidation waterfall (yield first)"))
        waterfall_layout = QVBoxLayout(waterfall_box)
        self.waterfall_note = QLabel()
        self.waterfall_note.setObjectName("waterfallNote")
        self.waterfall_note.setWordWrap(True)
        waterfall_layout.addWidget(self.waterfall_note)
        self.waterfall_model = WaterfallModel(self)
        self.waterfall = DeskTable(self.waterfall_model, self.tr("Waterfall preview"))
        self.waterfall.setObjectName("callWaterfall")
        self.waterfall.setSortingEnabled(False)
        waterfall_layout.addWidget(self.waterfall, 1)
        layout.addWidget(waterfall_box, 4)
        self.show_detail(None)

    # --- content -----------------------------------------------------------------
    def show_detail(self, detail: MarginCallDetail | None) -> None:
        self.detail = detail
        if detail is None:
            for label in (
                self.client,
                self.call,
                self.status,
                self.received,
                self.deadline,
                self.time_left,
                self.shortfall,
                self.exposure,
                self.ratio,
                self.desk_view,
            ):
                label.setText("—")
            self.history.setText(self.tr("Select a call to see its history."))
            self.documents.setText("")
            self.waterfall_model.set_rows([])
            self.waterfall_note.setText("")
            return
        row = detail.row
        self.client.setText(f"{row.client_name} ({row.client_id})")
        self.call.setText(row.call_id)
        self.status.setText(labels.call_status(row.status))
        self.received.setText(fmt.utc(row.received_at))
        self.deadline.setText(fmt.utc(row.deadline))
        if row.past_liquidation and row.call_shortfall is not None:
            self.shortfall.setText(
                self.tr("%1 (liquidation notice; the call said %2)")
                .replace("%1", fmt.usd(row.shortfall))
                .replace("%2", fmt.usd(row.call_shortfall))
            )
        elif row.past_liquidation:
            text = self.tr("%1 (liquidation notice)")
            self.shortfall.setText(text.replace("%1", fmt.usd(row.shortfall)))
        else:
            text = self.tr("%1 (margin call)")
            self.shortfall.setText(text.replace("%1", fmt.usd(row.shortfall)))
        self.exposure.setText(fmt.usd(row.exposure))
        self.ratio.setText(fmt.ratio(row.ratio))
        self.desk_view.setText(
            self.tr("ratio %1 · %2 (the desk's valuation, Holdings tab)")
            .replace("%1", fmt.ratio(row.desk_ratio))
            .replace("%2", row.desk_standing or "—")
        )
        self.tick()
        self.history.setText(self._history_html(detail))
        self.documents.setText(self._documents_html(detail.documents))
        self.waterfall_model.set_rows(list(detail.waterfall))
        if not row.liquidation_path_open:
            self.waterfall_note.setText(
                self.tr("Not past the liquidation line: answer with a top-up, or escalate.")
            )
        elif not detail.waterfall:
            self.waterfall_note.setText(self.tr("Past the liquidation line, but nothing to sell."))
        else:
            left = detail.waterfall[-1].remaining_shortfall
            self.waterfall_note.setText(
                self.tr(
                    "Past the liquidation line: accrued yield is applied first, then assets in"
                    " the pre-authorised order. Shortfall left after the waterfall: USD %1."
                ).replace("%1", fmt.usd(left))
            )

    def tick(self) -> None:
        """Repaint the countdown (called every second by the view)."""
        if self.detail is None:
            return
        row = self.detail.row
        self.time_left.setText(fmt.countdown(row.deadline))
        urgency = call_urgency(row)
        color = {"past": theme.bad(), "near": theme.warn()}.get(urgency)
        self.time_left.setStyleSheet(f"color: {color.name()};" if color is not None else "")

    def _history_html(self, detail: MarginCallDetail) -> str:
        if not detail.history:
            return escape(self.tr("No recorded history for this call."))
        rows = "".join(
            _html_row(fmt.utc(e.at), labels.call_status(e.state), e.actor, e.note)
            for e in detail.history
        )
        return f"<table>{rows}</table>"

    def _documents_html(self, documents: tuple[DocumentRef, ...]) -> str:
        if not documents:
            return escape(self.tr("No signed documents yet."))
        names = {
            "margin_call": self.tr("Margin call (signed by the exchange)"),
            "liquidation_notice": self.tr("Liquidation notice (exchange)"),
            "top_up_attestation": self.tr("Top-up attestation"),
            "liquidation_instruction": self.tr("Liquidation instruction (custodian)"),
        }
        rows = "".join(_html_row(names.get(d.kind, d.kind), d.doc_id) for d in documents)
        return f"<table>{rows}</table>"

    def current_row(self) -> MarginCallRow | None:
        return self.detail.row if self.detail is not None else None
