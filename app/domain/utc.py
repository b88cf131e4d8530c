"""UTC time helpers for the domain: every time is timezone-aware and in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


class NaiveTime(ValueError):
    """A datetime without a timezone reached the domain."""


def require_utc(moment: datetime, name: str = "time") -> datetime:
    """``moment`` converted to UTC; raises NaiveTime if it has no timezone."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTime(f"{name} must be timezone-aware (UTC): {moment.isoformat()}")
    return moment.astimezone(UTC)


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of ``moment``."""
    return require_utc(moment).date()


def start_of_utc_day(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def next_utc_midnight(moment: datetime) -> datetime:
    """The first UTC midnight strictly after ``moment``."""
    return start_of_utc_day(utc_day(moment) + timedelta(days=1))
