"""Schema v13: the exchange link's settings bound to the audit chain.

No DDL. ``exchange.link``, its TLS files (``exchange.tls_ca``, ``exchange.tls_cert``,
``exchange.tls_key``) and ``chain.rpc_url`` are now bound by the audited use cases
that write them (``app.services.data_binding.LINK_SETTINGS``). The data step is
v10's: such rows no entry binds yet (``exchange-link`` wrote them unaudited before
v13) are bound as found in one ``data.adopt_unbound`` entry; a store with none
gets no entry.
"""

from __future__ import annotations

from app.store.migrations import Migration
from app.store.migrations.m0010_data_binding import SQL, adopt

MIGRATION = Migration(
    version=13, name="bind_link_settings", sql=SQL, postgres_sql=SQL, after=adopt
)
