"""Demo data for a first run: ``resources/demo/snapshot.json`` into an empty store.

API::

    loaded = load_demo_if_empty(store)   # True when the demo snapshot was imported now

The demo's prices are dated at the moment it is loaded. Only a store that has never
held a snapshot gets the demo; the import is audited
(actor ``system:demo``) like any other, so demo clients are never mistaken for an
unexplained change.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from app.resources_path import resources_dir
from app.services.holdings import HoldingsService
from app.services.unit_of_work import utc_now
from app.store.interface import Store

logger = logging.getLogger(__name__)

DEMO_ACTOR = "system:demo"


def demo_snapshot_path() -> Path:
    """The shipped demo snapshot file."""
    return resources_dir() / "demo" / "snapshot.json"


def load_demo_if_empty(store: Store, holdings: HoldingsService | None = None) -> bool:
    """Import the demo snapshot when the store has no snapshot yet."""
    service = holdings if holdings is not None else HoldingsService(store)
    if service.snapshots():
        return False
    # Re-checked by the import itself: the same content is never stored twice, so two
    # desks starting at once still load the demo only once (a minute apart, twice).
    # The demo's prices are dated now: a first run can attest at once instead of
    # meeting week-old prices (prices have an age limit, app.domain.price_freshness).
    shipped = service.parse(demo_snapshot_path().read_bytes())
    now = utc_now().replace(second=0, microsecond=0)
    result = service.import_snapshot(
        dataclasses.replace(shipped, as_of=now), DEMO_ACTOR, source_name="demo snapshot"
    )
    if result.created:
        logger.info("loaded the demo snapshot into %s", store.location)
    return result.created
