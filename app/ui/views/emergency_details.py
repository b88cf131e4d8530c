"""The details pane under the emergency orders: the exact statement each party signs, each
party's share (key id, verification result), the 48-hour window and the execution."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import BtcReleaseDetail, EmergencyOrderDetail, Party, PartyDetail
from app.ui import format as fmt
from app.ui import labels, theme

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse
_PARTY_ORDER = (Party.REGULATOR, Party.CUSTODIAN, Party.EXCHANGE)


def _btc(sat: int) -> str:
    """Satoshis as BTC with all eight places (0.99995000)."""
    return f"{Decimal(sat) / Decimal(100_000_000):.8f}"


def _cell(name: str = "") -> QLabel:
    label = QLabel("—")
    if name:
        label.setObjectName(name)
    label.setTextInteractionFlags(_SELECTABLE)
    return label


class EmergencyOrderDetails(QWidget):
    """Read-only: everything a party (or the regulator) would check before co-signing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergencyDetails")
        self.detail: EmergencyOrderDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)

        statement_box = QGroupBox(
            self.tr("Statement each party signs (exactly as shown on the device)")
        )
        statement_layout = QVBoxLayout(statement_box)
        self.statement = QPlainTextEdit()
        self.statement.setObjectName("orderStatement")
        self.statement.setReadOnly(True)
        self.statement.setAccessibleName(self.tr("Statement each party signs"))
        self.statement.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # The statement is a few lines: room for a wrapped line or two, no more.
        lines = self.statement.fontMetrics().lineSpacing()
        self.statement.setFixedHeight(lines * 4 + 12)
        statement_layout.addWidget(self.statement)
        layout.addWidget(statement_box)

        right = QHBoxLayout()
        parties_box = QGroupBox(self.tr("Signatures (2 of 3 distinct parties)"))
        grid = QGridLayout(parties_box)
        for column, title in enumerate(
            (self.tr("Party"), self.tr("Share"), self.tr("Key id"), self.tr("Verification"))
        ):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        self.party_cells: dict[Party, tuple[QLabel, QLabel, QLabel]] = {}
        for row, party in enumerate(_PARTY_ORDER, start=1):
            grid.addWidget(QLabel(labels.party(party)), row, 0)
            cells = (
                _cell(f"{party.value}Share"),
                _cell(f"{party.value}Key"),
                _cell(f"{party.value}Verification"),
            )
            for column, cell in enumerate(cells, start=1):
                grid.addWidget(cell, row, column)
            self.party_cells[party] = cells
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(len(_PARTY_ORDER) + 1, 1)
        right.addWidget(parties_box, 3)

        order_box = QGroupBox(self.tr("Order"))
        form = QFormLayout(order_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.order = _cell("orderId")
        self.created = _cell("orderCreated")
        self.expires = _cell("orderExpires")
        self.status = _cell("orderStatus")
        self.executed = _cell("orderExecuted")
        self.release = _cell("orderRelease")
        self.reason = _cell("orderReason")
        self.reason.setWordWrap(True)
        self.safe = _cell("orderSafeSignatures")
        self.safe.setWordWrap(True)
        form.addRow(self.tr("Order / client:"), self.order)
        form.addRow(self.tr("Reason:"), self.reason)
        form.addRow(self.tr("Created:"), self.created)
        form.addRow(self.tr("Expires (48 h):"), self.expires)
        form.addRow(self.tr("Status:"), self.status)
        form.addRow(self.tr("Executed:"), self.executed)
        form.addRow(self.tr("Release instruction:"), self.release)
        self.safe_hash = _cell("orderSafeTxHash")
        self.safe_hash.setWordWrap(True)
        form.addRow(self.tr("SafeTx hash:"), self.safe_hash)
        form.addRow(self.tr("SafeTx signatures:"), self.safe)
        right.addWidget(order_box, 2)
        layout.addLayout(right, 1)
        layout.addWidget(self._build_btc_box())
        self.show_detail(None)

    def _build_btc_box(self) -> QGroupBox:
        """The Bitcoin release PSBT (``emergency psbt``): the transaction and its signers."""
        self.btc_box = QGroupBox(self.tr("Bitcoin release transaction (PSBT)"))
        self.btc_box.setObjectName("btcRelease")
        form = QFormLayout(self.btc_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.btc_txid = _cell("btcTxid")
        self.btc_shape = _cell("btcInputsOutputs")
        self.btc_amount = _cell("btcAmount")
        self.btc_fee = _cell("btcFee")
        self.btc_destination = _cell("btcDestination")
        self.btc_signed = _cell("btcSignatures")
        self.btc_signed.setWordWrap(True)
        form.addRow(self.tr("Transaction id:"), self.btc_txid)
        form.addRow(self.tr("Inputs / outputs:"), self.btc_shape)
        form.addRow(self.tr("Amount to destination:"), self.btc_amount)
        form.addRow(self.tr("Fee:"), self.btc_fee)
        form.addRow(self.tr("Destination:"), self.btc_destination)
        form.addRow(self.tr("Signatures in the PSBT:"), self.btc_signed)
        self.btc_box.setVisible(False)
        return self.btc_box

    def _show_btc(self, detail: EmergencyOrderDetail | None) -> None:
        release = detail.btc_release if detail is not None else None
        self.btc_box.setVisible(release is not None)
        if release is None:
            return
        self.btc_txid.setText(release.txid)
        self.btc_shape.setText(
            self.tr("%1 vault coins in, %2 out").replace("%1", str(release.inputs))
            .replace("%2", str(release.outputs))
        )
        self.btc_amount.setText(
            self.tr("%1 BTC (%2 sat)").replace("%1", _btc(release.amount_sat))
            .replace("%2", f"{release.amount_sat:,}")
        )
        self.btc_fee.setText(self.tr("%1 sat").replace("%1", f"{release.fee_sat:,}"))
        self.btc_destination.setText(release.destination)
        self.btc_signed.setText(self._btc_signed_text(release))

    def _btc_signed_text(self, release: BtcReleaseDetail) -> str:
        """Each party: its signature on every input, on some, or none; then the quorum."""
        marks = []
        for party in _PARTY_ORDER:
            on = sum(1 for signers in release.signers_per_input if party.value in signers)
            if party.value in release.parties_signed:
                mark = self.tr("✓ %1: every input")
            elif on:
                mark = self.tr("◐ %1: %2 of %3 inputs").replace("%2", str(on)).replace(
                    "%3", str(release.inputs)
                )
            else:
                mark = self.tr("✗ %1: not signed")
            marks.append(mark.replace("%1", labels.party(party)))
        done = len(release.parties_signed)
        if done >= release.threshold:
            marks.append(self.tr("Enough signatures: %1 of %2 parties on every input")
                         .replace("%1", str(done)).replace("%2", str(release.threshold)))
        else:
            marks.append(self.tr("%1 of %2 parties' signatures on every input")
                         .replace("%1", str(done)).replace("%2", str(release.threshold)))
        return "\n".join(marks)

    def _status_text(self, status: str, signed: int = 0) -> str:
        if status == "open" and signed == 0:
            return self.tr("Open: no party has signed yet (any two of the three are needed)")
        texts = {
            "open": self.tr("Open: 1 of 2 signatures, waiting for a second party"),
            "executable": self.tr("Quorum reached: executable once"),
            "executed": self.tr("Executed"),
            "expired": self.tr("Expired: can no longer execute"),
        }
        return texts.get(status, status)

    def show_detail(self, detail: EmergencyOrderDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.statement.setPlainText("")
            self.statement.setPlaceholderText(self.tr("Select an order to see what is signed."))
            for cells in self.party_cells.values():
                for cell in cells:
                    cell.setText("—")
                    cell.setStyleSheet("")
            for label in (
                self.order,
                self.reason,
                self.created,
                self.expires,
                self.status,
                self.executed,
                self.release,
                self.safe,
                self.safe_hash,
            ):
                label.setText("—")
            self._show_btc(None)
            return
        row = detail.row
        self.statement.setPlainText(detail.statement)
        by_party = {p.party: p for p in detail.parties}
        for party, (share, key, verification) in self.party_cells.items():
            self._show_party(by_party.get(party), share, key, verification)
        self.order.setText(f"{row.order_id} · {row.client_id}")
        self.reason.setText(row.reason)
        self.created.setText(fmt.utc(row.created_at))
        self._show_expiry()
        signed = sum(1 for p in detail.parties if p.signed)
        self.status.setText(self._status_text(detail.status, signed))
        self.executed.setText(
            fmt.utc(row.executed_at) if row.executed_at is not None else self.tr("Not executed")
        )
        self.release.setText(detail.release_id or "—")
        self.safe.setText(self._safe_text(detail))
        self.safe_hash.setText(row.safe_tx_hash or self.tr("— (no Safe transaction)"))
        self._show_btc(detail)

    def _safe_text(self, detail: EmergencyOrderDetail) -> str:
        """Each owner's SafeTx signature (valid or why not) and how many more are needed."""
        if detail.safe_needed is None:
            return self.tr("— (no Safe transaction)")
        lines = [
            (
                self.tr("✓ %1 (%2) valid")
                if s.valid
                else self.tr("✗ %1 (%2) invalid: %3").replace("%3", s.problem or "—")
            )
            .replace("%1", s.owner)
            .replace("%2", labels.party(Party(s.party)))
            for s in detail.safe_signatures
        ]
        if detail.safe_needed == 1:
            lines.append(self.tr("1 more owner signature needed"))
        elif detail.safe_needed:
            lines.append(
                self.tr("%1 more owner signatures needed").replace("%1", str(detail.safe_needed))
            )
        else:
            lines.append(self.tr("Enough owner signatures (2 of 3)"))
        return "\n".join(lines)

    def _show_party(
        self, party: PartyDetail | None, share: QLabel, key: QLabel, verification: QLabel
    ) -> None:
        if party is None or not party.signed:
            share.setText(self.tr("Not signed"))
            key.setText("—")
            verification.setText("—")
            verification.setStyleSheet("")
            return
        when = fmt.utc(party.signed_at) if party.signed_at is not None else ""
        share.setText(self.tr("Signed %1").replace("%1", when).strip())
        key.setText(party.key_id or "—")
        key.setToolTip(party.address or "")
        if party.verified:
            verification.setText(self.tr("✓ Verified against the registered key"))
            verification.setStyleSheet(f"color: {theme.ok().name()};")
        else:
            verification.setText(self.tr("✗ Not valid: %1").replace("%1", party.problem or "—"))
            verification.setStyleSheet(f"color: {theme.bad().name()};")

    def tick(self) -> None:
        """Refresh the countdown (called every second by the view)."""
        if self.detail is not None:
            self._show_expiry()

    def _show_expiry(self) -> None:
        assert self.detail is not None
        row = self.detail.row
        if row.executed_at is not None:  # executed: the 48 h no longer run down
            self.expires.setText(fmt.utc(row.expires_at))
        else:
            self.expires.setText(f"{fmt.utc(row.expires_at)} ({fmt.countdown(row.expires_at)})")
