"""Schema v12: the workflow state of attestations, emergency orders and liquidation
instructions bound to the audit chain.

No DDL. Their status (and an attestation's status reason and sent time) is now
re-bound by every change: the repository setters note it (``app.store.rebind``) and
the use case's unit of work binds it again. The data step is v10's: rows no entry
binds yet are bound as found in one ``data.adopt_unbound`` entry
(``app.services.data_binding.adopt_unbound``); a store with none gets no entry.
"""

from __future__ import annotations

from app.store.migrations import Migration
from app.store.migrations.m0010_data_binding import SQL, adopt

MIGRATION = Migration(
    version=12, name="bind_workflow_state", sql=SQL, postgres_sql=SQL, after=adopt
)
