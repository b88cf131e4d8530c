"""Schema v10: every business table bound to the audit chain.

No DDL. The data step binds, in one audited entry, the rows a desk wrote before
their table was bound to the chain (``app.services.data_binding.adopt_unbound``):
a ``data.adopt_unbound`` entry by ``system:migration`` records each such row's
content hash *as found at the upgrade*, with a count per table. From then on
``audit verify`` reports an edited, deleted or inserted row of any bound table;
what happened to those rows before the upgrade cannot be proven from the store,
and the entry says so. A new (empty) store gets no entry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.store.migrations import Migration


def adopt(tx: Any) -> None:
    """Bind every row no audit entry binds yet, as found (one audited entry, or none)."""
    # The audit chain's own append (hashing, frontier, checkpoints) lives with the
    # services; imported here, at run time, so the store package keeps no import
    # of it at load time.
    from app.services.data_binding import adopt_unbound

    adopt_unbound(tx, datetime.now(UTC))


SQL = "SELECT 1;"

MIGRATION = Migration(
    version=10, name="data_binding", sql=SQL, postgres_sql=SQL, after=adopt
)
