"""Models of the holdings view: clients, the selected client's positions, stress results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from enum import IntEnum
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.services.desk_facade import ClientRow, LineState, PositionRow, StressRow
from app.ui import format as fmt
from app.ui import labels, theme
from app.ui.i18n_noop import QT_TRANSLATE_NOOP
from app.ui.models.base import LEFT, RIGHT, ColumnSpec, RowTableModel

_NONE_LAST = Decimal("1e30")


def _dec(value: Decimal | None) -> Decimal:
    return _NONE_LAST if value is None else value


_PAST_MARGIN = (LineState.MARGIN_CALL, LineState.LIQUIDATION)


def _distance(value: Decimal | None, crossed: bool) -> str:
    """A distance to a line, or 'crossed' once the client is past it."""
    if crossed:
        return QCoreApplication.translate("ClientsModel", "crossed")
    return fmt.percent(value)


class ClientColumn(IntEnum):
    """Risk first: an officer reads state and distance before the amounts."""

    CLIENT = 0
    NAME = 1
    STATE = 2
    RATIO = 3
    TO_MARGIN_CALL = 4
    TO_LIQUIDATION = 5
    MARKET_VALUE = 6
    COLLATERAL_VALUE = 7
    CREDIT_LINE = 8
    EXPOSURE = 9
    ELIGIBLE = 10


def _state_fg(row: ClientRow) -> QColor | None:
    return theme.state_color(row.state)


def _eligible_text(row: ClientRow) -> str:
    if row.eligible:
        return labels.yes_no(True)
    return f"{labels.yes_no(False)} — {'; '.join(row.ineligible_reasons)}"


def _state_text(row: ClientRow) -> str:
    """The line state; an ineligible client says so first, so nobody can miss it."""
    state = labels.line_state(row.state)
    if row.exchange_call:  # the exchange's view, beside the desk's own
        call = (
            QCoreApplication.translate("ClientsModel", "exchange: liquidation")
            if row.exchange_call == "liquidation"
            else QCoreApplication.translate("ClientsModel", "exchange: margin call")
        )
        state = f"{state} · ⚑ {call}"
    if row.eligible:
        return state
    marker = QCoreApplication.translate("ClientsModel", "INELIGIBLE")
    return f"⚠ {marker} · {state}"


def _state_tooltip(row: ClientRow) -> str:
    if row.eligible:
        return ""
    title = QCoreApplication.translate(
        "ClientsModel", "Not eligible for the pilot: no attestation can be prepared."
    )
    return "\n".join((title, *(f"• {r}" for r in row.ineligible_reasons)))


def _money(header: str, value: Callable[[ClientRow], Decimal]) -> ColumnSpec[ClientRow]:
    """A compact USD column (147.09M); the exact amount is the tooltip."""
    return ColumnSpec(
        header,
        lambda r: fmt.compact_usd(value(r)),
        value,
        RIGHT,
        tooltip=lambda r: f"USD {fmt.usd(value(r))}",
    )


class ClientsModel(RowTableModel[ClientRow, ClientColumn]):
    """Every client's valuation; state coloured, ineligible rows explained."""

    CONTEXT = "ClientsModel"

    def search_text(self, row: ClientRow) -> str:
        # Cheap on purpose: called once per row by the filter proxy (100k+ rows).
        eligible = "eligible:yes" if row.eligible else "eligible:no"
        return f"{row.client_id} {row.name} state:{row.state.value} {eligible}".lower()

    def columns(self) -> Sequence[ColumnSpec[ClientRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "Client"),
                lambda r: r.client_id,
                lambda r: r.client_id,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "Name"),
                lambda r: r.name,
                lambda r: r.name.lower(),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "State"),
                _state_text,
                lambda r: _STATE_ORDER[r.state],
                LEFT,
                foreground=lambda r: _state_fg(r) if r.eligible else theme.bad(),
                background=lambda r: (
                    theme.state_background(r.state) if r.eligible else theme.bad_bg()
                ),
                tooltip=_state_tooltip,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "Collateral ratio"),
                lambda r: fmt.ratio(r.collateral_ratio),
                lambda r: _dec(r.collateral_ratio),
                RIGHT,
                foreground=_state_fg,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "To margin call"),
                lambda r: _distance(r.to_margin_call, r.state in _PAST_MARGIN),
                lambda r: _dec(r.to_margin_call),
                RIGHT,
                foreground=lambda r: theme.warn() if r.state in _PAST_MARGIN else None,
                tooltip=lambda r: QCoreApplication.translate(
                    "ClientsModel", "How far collateral value may fall before the margin-call line"
                ),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "To liquidation"),
                lambda r: _distance(r.to_liquidation, r.state == LineState.LIQUIDATION),
                lambda r: _dec(r.to_liquidation),
                RIGHT,
                foreground=lambda r: theme.bad() if r.state == LineState.LIQUIDATION else None,
            ),
            _money(QT_TRANSLATE_NOOP("ClientsModel", "Market value"), attrgetter("market_value")),
            _money(
                QT_TRANSLATE_NOOP("ClientsModel", "Collateral value"),
                attrgetter("collateral_value"),
            ),
            _money(QT_TRANSLATE_NOOP("ClientsModel", "Credit line"), attrgetter("credit_line")),
            _money(QT_TRANSLATE_NOOP("ClientsModel", "Exposure"), attrgetter("exposure")),
            ColumnSpec(
                QT_TRANSLATE_NOOP("ClientsModel", "Eligible"),
                _eligible_text,
                lambda r: (r.eligible, r.client_id),
                LEFT,
                foreground=lambda r: None if r.eligible else theme.bad(),
                tooltip=lambda r: "\n".join(r.ineligible_reasons),
            ),
        ]


_STATE_ORDER = {
    LineState.LIQUIDATION: 0,
    LineState.MARGIN_CALL: 1,
    LineState.HEALTHY: 2,
    LineState.NO_EXPOSURE: 3,
}


def _vault_tip(row: PositionRow) -> str:
    if row.vault_quantity is None:
        return ""
    vault = fmt.quantity(row.vault_quantity)
    # QCoreApplication.translate spelled out: lupdate reads an alias's first argument as
    # the text (the .ts then asked translators for "PositionsModel" and this stayed English)
    if not row.vault_differs:
        return QCoreApplication.translate(
            "PositionsModel", "On-chain vault: {0} {1}, as in the snapshot"
        ).format(vault, row.asset)
    return QCoreApplication.translate(
        "PositionsModel", "On-chain vault: {0} {1}, the snapshot says {2}"
    ).format(vault, row.asset, fmt.quantity(row.quantity))


class PositionColumn(IntEnum):
    ASSET = 0
    QUANTITY = 1
    PRICE = 2
    MARKET_VALUE = 3
    HAIRCUT = 4
    COLLATERAL_VALUE = 5
    ACCRUED_YIELD = 6
    LOCKED = 7


def _stale(row: PositionRow) -> bool:
    return row.price_age is not None and row.price_age.stale


def price_age_tooltip(row: PositionRow) -> str:
    age = row.price_age
    if age is None:
        return ""
    text = (
        QCoreApplication.translate("PositionsModel", "%1 old: as of %2 from %3; limit %4.")
        .replace("%1", fmt.age(age.age))
        .replace("%2", fmt.utc(age.point.as_of))
        .replace("%3", fmt.price_source(age.point.source))
        .replace("%4", fmt.age(age.limit))
    )
    if age.stale:
        stale = QCoreApplication.translate(
            "PositionsModel", "STALE: no attestation on it until a fresh snapshot is imported."
        )
        return f"{text}\n{stale}"
    return text


class PositionsModel(RowTableModel[PositionRow, PositionColumn]):
    """The positions of the selected client."""

    CONTEXT = "PositionsModel"

    def columns(self) -> Sequence[ColumnSpec[PositionRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Asset"), lambda r: r.asset, lambda r: r.asset
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Quantity"),
                lambda r: ("\u26a0 " if r.vault_differs else "") + fmt.quantity(r.quantity),
                lambda r: r.quantity,
                RIGHT,
                foreground=lambda r: theme.warn() if r.vault_differs else None,
                tooltip=_vault_tip,
                header_tip=QT_TRANSLATE_NOOP(
                    "PositionsModel",
                    "The snapshot's quantity; for BTC, flagged when the client's on-chain"
                    " 2-of-3 vault (imported UTXOs) holds a different amount",
                ),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Price"),
                lambda r: f"⚠ {fmt.quantity(r.price)}" if _stale(r) else fmt.quantity(r.price),
                lambda r: r.price,
                RIGHT,
                foreground=lambda r: theme.bad() if _stale(r) else None,
                tooltip=price_age_tooltip,  # its age, source and limit; STALE past it
                header_tip=QT_TRANSLATE_NOOP(
                    "PositionsModel",
                    "Each price's age and source are in its tooltip and above the clients;"
                    " past its limit (1 h for BTC, 24 h for fund NAVs and stablecoins) it is"
                    " STALE (⚠, red)",
                ),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Market value"),
                lambda r: fmt.usd(r.market_value),
                lambda r: r.market_value,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Collateral factor"),
                lambda r: fmt.percent(r.haircut),
                lambda r: r.haircut,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Collateral value"),
                lambda r: fmt.usd(r.collateral_value),
                lambda r: r.collateral_value,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Accrued yield"),
                lambda r: fmt.usd(r.accrued_yield),
                lambda r: r.accrued_yield,
                RIGHT,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("PositionsModel", "Redemption lock"),
                lambda r: fmt.quantity(r.locked_quantity),
                lambda r: r.locked_quantity,
                RIGHT,
                foreground=lambda r: theme.warn() if r.locked_quantity > 0 else None,
                header_tip=QT_TRANSLATE_NOOP(
                    "PositionsModel",
                    "Quantity locked in the custodian's contract for redemption (fiat settles"
                    " within 24 hours)",
                ),
            ),
        ]


class StressColumn(IntEnum):
    CLIENT = 0
    NAME = 1
    RATIO_BEFORE = 2
    RATIO_AFTER = 3
    STATE_BEFORE = 4
    STATE_AFTER = 5
    SHORTFALL = 6


class StressModel(RowTableModel[StressRow, StressColumn]):
    """Clients under the what-if shock; the ones that cross a line come first."""

    CONTEXT = "StressModel"

    def columns(self) -> Sequence[ColumnSpec[StressRow]]:
        return [
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "Client"),
                lambda r: r.client_id,
                lambda r: r.client_id,
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "Name"), lambda r: r.name, lambda r: r.name.lower()
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "Ratio now"),
                lambda r: fmt.ratio(r.ratio_before),
                lambda r: _dec(r.ratio_before),
                RIGHT,
                header_tip=QT_TRANSLATE_NOOP(
                    "StressModel", "Collateral ratio now, coloured by the state now"
                ),
                foreground=lambda r: theme.state_color(r.state_before),
                tooltip=lambda r: labels.line_state(r.state_before),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "After shock"),
                lambda r: fmt.ratio(r.ratio_after),
                lambda r: _dec(r.ratio_after),
                RIGHT,
                header_tip=QT_TRANSLATE_NOOP("StressModel", "Collateral ratio after the shock"),
                foreground=lambda r: theme.state_color(r.state_after),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "State now"),
                lambda r: labels.line_state(r.state_before),
                lambda r: _STATE_ORDER[r.state_before],
                foreground=lambda r: theme.state_color(r.state_before),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "State after"),
                lambda r: labels.line_state(r.state_after),
                lambda r: _STATE_ORDER[r.state_after],
                foreground=lambda r: theme.state_color(r.state_after),
                background=lambda r: (
                    theme.state_background(r.state_after)
                    if r.state_after != r.state_before
                    else None
                ),
            ),
            ColumnSpec(
                QT_TRANSLATE_NOOP("StressModel", "Shortfall (USD)"),
                lambda r: fmt.compact_usd(r.shortfall),
                lambda r: r.shortfall,
                RIGHT,
                foreground=lambda r: theme.bad() if r.shortfall > 0 else None,
                tooltip=lambda r: f"USD {fmt.usd(r.shortfall)}",
            ),
        ]


class TotalsModel(ClientsModel):
    """The pinned TOTAL line: sums, the desk-wide ratio, and how many clients are past a line."""

    CONTEXT = "ClientsModel"

    def __init__(self, parent: Any = None) -> None:
        self.state_counts: dict[LineState, int] = {}
        self.ineligible = 0
        super().__init__(parent)

    def columns(self) -> Sequence[ColumnSpec[ClientRow]]:
        specs = list(super().columns())

        def counts(_row: ClientRow) -> str:
            margin = self.state_counts.get(LineState.MARGIN_CALL, 0)
            liquidation = self.state_counts.get(LineState.LIQUIDATION, 0)
            text = (
                QCoreApplication.translate("ClientsModel", "MC %1 · LIQ %2")
                .replace("%1", str(margin))
                .replace("%2", str(liquidation))
            )
            if self.ineligible:
                text += " · ⚠ " + str(self.ineligible)
            return text

        specs[ClientColumn.STATE] = ColumnSpec(
            specs[ClientColumn.STATE].header,
            counts,
            lambda r: 0,
            foreground=lambda r: (
                theme.bad()
                if self.state_counts.get(LineState.LIQUIDATION) or self.ineligible
                else (theme.warn() if self.state_counts.get(LineState.MARGIN_CALL) else None)
            ),
        )
        for column in (ClientColumn.TO_MARGIN_CALL, ClientColumn.TO_LIQUIDATION):
            specs[column] = ColumnSpec(specs[column].header, lambda r: "", lambda r: 0, RIGHT)
        specs[ClientColumn.RATIO] = ColumnSpec(
            specs[ClientColumn.RATIO].header,
            lambda r: fmt.ratio(r.collateral_ratio),
            lambda r: 0,
            RIGHT,
        )
        specs[ClientColumn.ELIGIBLE] = ColumnSpec(
            specs[ClientColumn.ELIGIBLE].header, lambda r: "", lambda r: 0
        )
        # One band across the line, readable on light and dark schemes.
        return [replace(spec, background=lambda r: theme.band()) for spec in specs]

    def set_totals(self, row: ClientRow, counts: dict[LineState, int], ineligible: int = 0) -> None:
        self.state_counts = dict(counts)
        self.ineligible = ineligible
        self.set_rows([row])
