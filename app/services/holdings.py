"""Holdings: import snapshots into the store, and read every client's valued holdings.

API::

    service = HoldingsService(store)                       # default asset catalogue
    result = service.import_file(Path("snap.json"), actor="cli:alice")
    result = service.import_snapshot(snapshot, actor="officer:bob", raw_json=text)
    result.created          # False when the same snapshot was imported before
    rows = service.holdings()                               # list[ClientHolding], latest
    rows = service.holdings(as_of=datetime(..., tzinfo=UTC))  # as the desk saw it then
    with unit_of_work(store) as uow:                        # inside another use case
        rows = service.holdings_in(uow.tx)

Import is idempotent: the key is the SHA-256 of the snapshot's canonical JSON, so
the same content imported twice (even re-formatted) is stored once and audited
once. Every import is one transaction, with its ``snapshot.import`` audit entry;
a bad file raises :class:`app.domain.snapshot.SnapshotError` before anything is
written.

A client's holding as of a time is its record from the latest snapshot (by
``as_of``, then import order) at or before that time; prices are each asset's
latest at or before that time; shares locked by pending redemptions (table
``redemptions``) never count as collateral. "Now" (``as_of=None``) means the
desk clock plus the allowed skew, so a snapshot dated in the future is never
shown, even one imported before this guard existed.

Import guards (each a :class:`SnapshotError` naming ``as_of``, nothing stored):
an ``as_of`` more than the allowed skew ahead of the desk clock (setting
``snapshot.max_future_skew_seconds``, default 300), and an ``as_of`` older than
the newest snapshot already imported, unless ``allow_older=True`` (history
back-fill; holdings keep showing the newest).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

from app.bulk import bulk_build
from app.domain.assets import AssetCatalogue, RiskPolicy
from app.domain.price_freshness import SETTING as FRESHNESS_SETTING
from app.domain.price_freshness import (
    WAY_OUT,
    PriceAge,
    PricePoint,
    parse_limits,
    price_ages,
    stale_reasons,
)
from app.domain.snapshot import (
    MAX_SNAPSHOT_BYTES,
    ClientRecord,
    Snapshot,
    SnapshotError,
    canonical_snapshot_json,
    format_utc,
    parse_snapshot,
)
from app.domain.valuation import BatchValuer, ClientValuation, PositionValuation, client_parts
from app.files import FileTooLarge, read_bounded
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store, Transaction
from app.store.records import (
    NewClientState,
    NewSnapshot,
    SnapshotRecord,
    StoredClientState,
)

logger = logging.getLogger(__name__)

SKEW_SETTING = "snapshot.max_future_skew_seconds"
DEFAULT_FUTURE_SKEW = timedelta(minutes=5)


def future_skew(tx: Transaction) -> timedelta:
    """How far ahead of the desk clock a snapshot's ``as_of`` may be (the setting)."""
    raw = tx.settings.get(SKEW_SETTING)
    if raw is None:
        return DEFAULT_FUTURE_SKEW
    try:
        seconds = int(raw)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= 86_400:
        raise SnapshotError("$", f"setting {SKEW_SETTING}={raw!r} is not 0..86400 seconds")
    return timedelta(seconds=seconds)


def current_cutoff(tx: Transaction, now: datetime) -> datetime:
    """The latest ``as_of`` "now" may show: the desk clock plus the allowed skew."""
    return now + future_skew(tx)


def check_import_time(
    tx: Transaction, snapshot: Snapshot, now: datetime, *, allow_older: bool
) -> None:
    """Refuse a snapshot from the future, or older than the newest one (unless allowed)."""
    skew = future_skew(tx)
    if snapshot.as_of > now + skew:
        ahead = snapshot.as_of - now
        raise SnapshotError(
            "as_of",
            f"{format_utc(snapshot.as_of)} is {_duration(ahead)} ahead of the desk clock "
            f"({format_utc(now)}); at most {_duration(skew)} is allowed ({SKEW_SETTING})",
        )
    known = [r for r in tx.snapshots.list() if r.as_of <= now + skew]  # a future one never counts
    newest = max(known, key=lambda r: r.as_of) if known else None
    if newest is not None and snapshot.as_of < newest.as_of and not allow_older:
        raise SnapshotError(
            "as_of",
            f"{format_utc(snapshot.as_of)} is older than the newest snapshot already imported "
            f"(#{newest.id} as of {format_utc(newest.as_of)}); to add it as history, "
            "import it explicitly with --allow-older",
        )


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 86_400:
        return f"{seconds // 86_400} d {seconds % 86_400 // 3600} h"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"


class StalePrices(Exception):
    """No attestation (or top-up) on prices older than their limit; names each and the
    way out."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons) + f": {WAY_OUT}")
        self.reasons = [*reasons, WAY_OUT[0].upper() + WAY_OUT[1:] + "."]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: ``created`` is False for an idempotent repeat."""

    snapshot: SnapshotRecord
    created: bool
    audit_seq: int | None  # the ``snapshot.import`` entry (None for a repeat)


@dataclass(frozen=True, slots=True)
class ClientHolding:
    """One client as the desk sees it: its record, its valuation, from which snapshot."""

    record: ClientRecord
    valuation: ClientValuation
    snapshot_id: int
    record_as_of: datetime

    @property
    def positions(self) -> tuple[PositionValuation, ...]:
        """The client's positions, each with price, market and collateral value."""
        return self.valuation.positions


class HoldingsService:
    """Imports snapshots and serves valued holdings from ``store``."""

    def __init__(
        self,
        store: Store,
        catalogue: AssetCatalogue | None = None,
        *,
        policy: RiskPolicy | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._catalogue = catalogue if catalogue is not None else AssetCatalogue.load_default()
        self._policy = policy
        self._clock = clock

    @property
    def catalogue(self) -> AssetCatalogue:
        return self._catalogue

    def on(self, store: Store) -> HoldingsService:
        """The same service (catalogue, policy, clock) over another connection."""
        return HoldingsService(store, self._catalogue, policy=self._policy, clock=self._clock)

    def cutoff(self, tx: Transaction) -> datetime:
        """The latest ``as_of`` "now" may show, in ``tx`` (what ``as_of=None`` means)."""
        return current_cutoff(tx, self._clock())

    def parse(self, text: str | bytes) -> Snapshot:
        """Parse a snapshot document strictly (raises SnapshotError naming the field)."""
        return parse_snapshot(text, self._catalogue)

    def import_file(self, path: Path, actor: str, *, allow_older: bool = False) -> ImportResult:
        """Read, parse and import a snapshot file."""
        try:  # read once (what is parsed is what is kept), an oversized file unread
            data = read_bounded(path, MAX_SNAPSHOT_BYTES, "snapshot")
        except FileTooLarge as exc:
            raise SnapshotError("$", str(exc)) from None
        except OSError as exc:
            raise SnapshotError("$", f"cannot read {path}: {exc.strerror or exc}") from None
        snapshot = self.parse(data)
        return self.import_snapshot(
            snapshot,
            actor,
            raw_json=data.decode("utf-8"),
            source_name=path.name,
            allow_older=allow_older,
        )

    def import_snapshot(
        self,
        snapshot: Snapshot,
        actor: str,
        *,
        raw_json: str | None = None,
        source_name: str = "",
        allow_older: bool = False,
    ) -> ImportResult:
        """Store ``snapshot`` once (idempotent) with its audit entry; returns after COMMIT.

        Refuses (SnapshotError on ``as_of``) a snapshot dated beyond the allowed
        skew, or older than the newest imported unless ``allow_older``.
        """
        canonical = canonical_snapshot_json(snapshot)
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        new = _to_new_snapshot(snapshot, digest, raw_json or canonical, source_name)
        with unit_of_work(self._store, clock=self._clock) as uow:
            existing = uow.tx.snapshots.find_by_hash(digest)
            if existing is not None:
                logger.info("snapshot %s already imported as #%d", digest[:12], existing.id)
                return ImportResult(snapshot=existing, created=False, audit_seq=None)
            check_import_time(uow.tx, snapshot, uow.now, allow_older=allow_older)
            record = uow.tx.snapshots.add(new, imported_by=actor, imported_at=uow.now)
            entry = uow.audit(
                actor,
                "snapshot.import",
                {
                    "snapshot_id": record.id,
                    "content_sha256": digest,
                    "as_of": format_utc(snapshot.as_of),
                    "source_name": source_name,
                    "clients": [client.id for client in snapshot.clients],
                    "prices": {k: format(v, "f") for k, v in snapshot.prices.items()},
                },
            )
        logger.info("imported snapshot #%d (%d clients)", record.id, record.client_count)
        return ImportResult(snapshot=record, created=True, audit_seq=entry.seq)

    def snapshots(self) -> list[SnapshotRecord]:
        """Every import, oldest ``as_of`` first."""
        with self._store.read() as tx:
            return tx.snapshots.list()

    def price_ages(self, now: datetime | None = None) -> list[PriceAge]:
        """Every latest price with its age, source and limit (``app.domain.price_freshness``)."""
        now = now or self._clock()
        with self._store.read() as tx:
            prices = tx.holdings.prices(current_cutoff(tx, now))
            sources = {s.id: s for s in tx.snapshots.list()}
            overrides = parse_limits(tx.settings.get(FRESHNESS_SETTING))
        points = []
        for asset, stored in prices.items():
            snap = sources.get(stored.snapshot_id)
            name = f" ({snap.source_name})" if snap is not None and snap.source_name else ""
            points.append(
                PricePoint(asset, stored.price_usd, stored.as_of,
                           f"snapshot #{stored.snapshot_id}{name}")
            )
        return price_ages(points, self._catalogue, now, overrides)

    def require_fresh_prices(self, client_ids: list[str], now: datetime | None = None) -> None:
        """Raise :class:`StalePrices` when a price the clients are valued at is too old."""
        held = {
            p.asset
            for h in self.holdings()
            if h.record.id in client_ids
            for p in h.record.positions
        }
        reasons = stale_reasons(self.price_ages(now), held)
        if reasons:
            raise StalePrices(reasons)

    def holdings(
        self, as_of: datetime | None = None, client_id: str | None = None
    ) -> list[ClientHolding]:
        """Every client's valued holdings as of ``as_of`` (None: the latest), by client id
        (only ``client_id``'s when given: a client's history reads one client)."""
        with self._store.read() as tx:
            return self.holdings_in(tx, as_of, client_id)

    def holdings_in(
        self, tx: Transaction, as_of: datetime | None = None, client_id: str | None = None
    ) -> list[ClientHolding]:
        """Like :meth:`holdings`, inside a transaction the caller already holds.

        A use case that decides from holdings (an attestation, a margin-call answer)
        reads them in its own write transaction, so no import can slip in between.
        """
        with bulk_build():
            return [
                ClientHolding(record, valuation, state.snapshot_id, state.as_of)
                for state, record, valuation in self._valued_in(tx, as_of, client_id)
            ]

    def iter_valued_states(
        self, as_of: datetime | None = None
    ) -> Generator[tuple[StoredClientState, ClientValuation], None, None]:
        """Every client's stored record and valuation, one at a time, by client id.

        The same figures as :meth:`holdings` (one read transaction, held until the
        iterator is exhausted or closed) without keeping 100,000 of them at once:
        what ``custody-desk holdings --json`` streams.
        """
        with self._store.read() as tx:
            yield from self.valued_states_in(tx, as_of)

    def valued_states_in(
        self,
        tx: Transaction,
        as_of: datetime | None = None,
        client_id: str | None = None,
        *,
        from_id: str | None = None,
        before_id: str | None = None,
    ) -> Iterator[tuple[StoredClientState, ClientValuation]]:
        """:meth:`iter_valued_states` inside a transaction the caller holds (only
        ``client_id``, or the ids in ``[from_id, before_id)``, when given).

        Values with :class:`~app.domain.valuation.BatchValuer`: ``value_client``'s
        figures, the prices and locks read once for the whole desk.
        """
        for state, _record, valuation in self._valued_in(
            tx, as_of, client_id, from_id=from_id, before_id=before_id
        ):
            yield state, valuation

    def _valued_in(
        self,
        tx: Transaction,
        as_of: datetime | None,
        client_id: str | None,
        *,
        from_id: str | None = None,
        before_id: str | None = None,
    ) -> Iterator[tuple[StoredClientState, ClientRecord, ClientValuation]]:
        """:meth:`valued_states_in` with each client's record (what it was valued from)."""
        if as_of is None:
            as_of = current_cutoff(tx, self._clock())
        prices = {asset: p.price_usd for asset, p in tx.holdings.prices(as_of).items()}
        locks = tx.holdings.locked_quantities()
        valuer = BatchValuer(prices, self._catalogue, self._policy)
        states = tx.holdings.iter_client_states(
            as_of, client_id, from_id=from_id, before_id=before_id
        )
        while chunk := list(islice(states, _CHUNK)):
            records = [_to_record(state) for state in chunk]
            valuations = valuer.value_many(
                [client_parts(record, locks.get(record.id)) for record in records]
            )
            yield from zip(chunk, records, valuations, strict=True)


_CHUNK = 1000  # clients valued per BatchValuer.value_many call while streaming


def _to_new_snapshot(
    snapshot: Snapshot, digest: str, raw_json: str, source_name: str
) -> NewSnapshot:
    return NewSnapshot(
        content_sha256=digest,
        as_of=snapshot.as_of,
        source_name=source_name,
        raw_json=raw_json,
        prices=dict(snapshot.prices),
        clients=tuple(
            NewClientState(
                client_id=client.id,
                name=client.name,
                net_assets_usd=client.net_assets_usd,
                dubai_entity=client.dubai_entity,
                soc2_type2=client.soc2_type2,
                exposure_usd=client.exposure_usd,
                positions=client.positions,  # Position is StoredPosition
                liquidation_order=client.liquidation_order,
            )
            for client in snapshot.clients
        ),
    )


def _to_record(state: StoredClientState) -> ClientRecord:
    # ClientRecord's fields in order, without the named tuple's Python-level __new__
    # (one per client of a 100,000-client load: docs/performance.md).
    return tuple.__new__(ClientRecord, (
        state.client_id,
        state.name,
        state.net_assets_usd,
        state.dubai_entity,
        state.soc2_type2,
        state.exposure_usd,
        state.positions,  # already the domain's Position tuples
        state.liquidation_order,
    ))
