"""Schema v11: margin calls' state bound to the audit chain.

No DDL. The state of a margin call (status, history, resolution, the top-up
attestation, the liquidation amount and notice) is now re-bound by every state
change (binder ``margin_calls.state``). The data step is v10's: rows no entry binds
yet (calls a v10 desk received) are bound as found in one ``data.adopt_unbound``
entry (``app.services.data_binding.adopt_unbound``); a store with none gets no entry.
"""

from __future__ import annotations

from app.store.migrations import Migration
from app.store.migrations.m0010_data_binding import SQL, adopt

MIGRATION = Migration(
    version=11, name="bind_margin_call_state", sql=SQL, postgres_sql=SQL, after=adopt
)
