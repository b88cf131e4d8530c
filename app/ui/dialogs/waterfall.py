"""Preview of the yield-first liquidation waterfall, and the button that signs it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.services.desk_facade import MarginCallRow, MarginCallStatus, WaterfallLine
from app.ui import format as fmt
from app.ui.models.desk import WaterfallModel
from app.ui.views.table import DeskTable


class WaterfallDialog(QDialog):
    """Accepted means: sign the pre-authorised liquidation instruction on the device."""

    def __init__(
        self, call: MarginCallRow, lines: Sequence[WaterfallLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("waterfallDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Liquidation waterfall — %1").replace("%1", call.client_name))
        self.resize(760, 380)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Shortfall USD %1. Accrued yield is applied first, then assets in the client's"
                " pre-authorised order, never more than needed."
            ).replace("%1", fmt.usd(call.shortfall))
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = WaterfallModel(self)
        self.model.set_rows(list(lines))
        self.table = DeskTable(self.model, self.tr("Waterfall steps"))
        self.table.setSortingEnabled(False)
        layout.addWidget(self.table)
        left = lines[-1].remaining_shortfall if lines else call.shortfall
        self.remaining = QLabel(
            self.tr("Shortfall left after the waterfall: USD %1").replace("%1", fmt.usd(left))
        )
        layout.addWidget(self.remaining)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = box.addButton(
            self.tr("&Sign liquidation instruction"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        # Signable once the call is past the liquidation line (the exchange's notice)
        # or an officer escalated it; the service refuses anything else too.
        signable = call.past_liquidation or call.status == MarginCallStatus.ESCALATED
        self.sign_button.setEnabled(signable and bool(lines))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
