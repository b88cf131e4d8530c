"""State changes whose rows the audit trail must bind again (``app.services.data_binding``).

A repository method that changes a bound row's state (an attestation's status, an
order's, a margin call's, an instruction's) notes ``(binder, group)`` here, keyed
by the transaction's connection. The use case's unit of work takes the notes and
puts the rows' new hashes in its next audit entry (or, if none follows, in a
``data.rebind`` entry before COMMIT), so no caller can forget it. A change made
outside a unit of work is never taken, and ``audit verify`` reports the row: an
unaudited state change is what it must catch.
"""

from __future__ import annotations

_pending: dict[int, dict[tuple[str, str], None]] = {}


def note(connection: object, binder: str, group: object) -> None:
    """``binder``'s ``group`` changed in the transaction on ``connection``."""
    _pending.setdefault(id(connection), {})[(binder, str(group))] = None


def take(connection: object) -> list[tuple[str, str]]:
    """The groups noted on ``connection`` since the last take (and forget them)."""
    return list(_pending.pop(id(connection), {}))


def reset(connection: object) -> None:
    """Forget what an earlier (rolled back, or not audited) transaction noted."""
    _pending.pop(id(connection), None)
