"""How numbers and times look on the desk (Decimal in, text out; never float)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from PySide6.QtCore import QCoreApplication

from app.domain.price_freshness import age_parts
from app.ui.i18n_noop import QT_TRANSLATE_NOOP

_CENT = Decimal("0.01")


def usd(value: Decimal | None) -> str:
    """12,345,678.90 — cents, thousands separators, half-even for display."""
    if value is None:
        return "—"
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_EVEN):,}"


def quantity(value: Decimal) -> str:
    """Quantities keep their own scale, with trailing zeros trimmed to at least 2 places."""
    text = f"{value:,f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        frac = frac.ljust(2, "0")
        return f"{whole}.{frac}"
    return f"{text}.00"


def percent(value: Decimal | None, places: int = 2) -> str:
    """A fraction as a percentage: 1.5 -> 150.00%."""
    if value is None:
        return "—"
    exp = Decimal(1).scaleb(-places)
    return f"{(value * 100).quantize(exp, rounding=ROUND_HALF_EVEN):,}%"


def ratio(value: Decimal | None) -> str:
    return percent(value)


def utc(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def countdown(deadline: datetime, now: datetime | None = None) -> str:
    """'3h 04m 12s' before the deadline, '-0h 01m 05s' after it."""
    now = now or datetime.now(UTC)
    delta = deadline - now
    sign = "" if delta >= timedelta(0) else "−"
    seconds = int(abs(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}h {minutes:02d}m {secs:02d}s"


def short_hex(value: str, keep: int = 10) -> str:
    return value if len(value) <= 2 * keep + 1 else f"{value[:keep]}…{value[-keep:]}"


_UNITS = (
    (Decimal("1e12"), "T"),
    (Decimal("1e9"), "B"),
    (Decimal("1e6"), "M"),
    (Decimal("1e3"), "K"),
)


def compact_usd(value: Decimal | None) -> str:
    """147,088,000.00 -> '147.09M': a dense column; the full amount goes in the tooltip."""
    if value is None:
        return "—"
    magnitude = abs(value)
    for threshold, unit in _UNITS:
        if magnitude >= threshold:
            scaled = (value / threshold).quantize(_CENT, rounding=ROUND_HALF_EVEN)
            return f"{scaled:,}{unit}"
    return usd(value)


_AGE_UNITS = {
    "s": QT_TRANSLATE_NOOP("Format", "%1 s"),
    "min": QT_TRANSLATE_NOOP("Format", "%1 min"),
    "h": QT_TRANSLATE_NOOP("Format", "%1 h"),
    "d": QT_TRANSLATE_NOOP("Format", "%1 d"),
}


def age(value: timedelta) -> str:
    """A price's age as ``app.domain.price_freshness.format_age`` reads it, in the
    window's language (``3 h 05 min``, ``3 小时 05 分钟``)."""
    parts = age_parts(value)
    return " ".join(
        QCoreApplication.translate("Format", _AGE_UNITS[unit]).replace(
            "%1", f"{n:02d}" if i and unit == "min" else str(n)
        )
        for i, (n, unit) in enumerate(parts)
    )


_SOURCE = re.compile(r"snapshot #(\d+)(?: \((.+)\))?")


def price_source(text: str) -> str:
    """``snapshot #3 (custodian.json)`` (the holdings service's words) translated; the
    file name is the officer's own and stays as it is ("demo snapshot" is translated)."""
    match = _SOURCE.fullmatch(text)
    if match is None:
        return text
    name = match[2]
    if name == "demo snapshot":
        name = QCoreApplication.translate("Format", "demo snapshot")
    snapshot = QCoreApplication.translate("Format", "snapshot #%1").replace("%1", match[1])
    return f"{snapshot} ({name})" if name else snapshot
