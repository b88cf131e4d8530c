"""Schema v14: the exchange feed's cursor bound to the audit chain.

No DDL. ``exchange.inbox_cursor`` (how far ``pull`` has read the exchange's feed) is
now written with an ``exchange.inbox_cursor`` audit entry that binds it
(``app.services.data_binding.BOUND_SETTINGS``): a cursor moved ahead with SQL, which
would make the desk skip documents, fails ``audit verify``. The data step is v10's:
a cursor an older desk wrote is bound as found in one ``data.adopt_unbound`` entry;
a store without one gets no entry.
"""

from __future__ import annotations

from app.store.migrations import Migration
from app.store.migrations.m0010_data_binding import SQL, adopt

MIGRATION = Migration(
    version=14, name="bind_inbox_cursor", sql=SQL, postgres_sql=SQL, after=adopt
)
