"""``DeskFacade`` over the embedded store, the domain and the desk services.

Blocking store work runs in a worker thread (``asyncio.to_thread``; the store
is thread-safe behind its own lock) so the GUI loop never waits on SQLite.
Device work goes through ``app.services.device_access`` (the device thread).
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.bulk import bulk_build
from app.domain.price_freshness import PriceAge
from app.domain.valuation import BatchValuer, ClientValuation
from app.files import write_private
from app.services.desk_facade import (
    AttestationDetail,
    AttestationRow,
    AuditEntryRow,
    AuditStatus,
    ClientRow,
    DeskFacade,
    DeviceRow,
    EmergencyOrderDetail,
    EmergencyOrderRow,
    HoldingsSnapshot,
    LineState,
    MarginCallDetail,
    MarginCallRow,
    OfficerRow,
    PositionRow,
    RatioPoint,
    RefusedError,
    SessionRow,
    StressRow,
    WaterfallLine,
)
from app.services.holdings import ClientHolding, HoldingsService, current_cutoff
from app.store.interface import Store
from app.ui.backend import workflows as flows

if TYPE_CHECKING:  # imported when first used: not on the cold-start path
    from app.services.audit import AuditService
    from app.services.key_display import AddressCheck, RegisteredKey
    from app.services.session_guard import LiveSession
    from app.store.pg_listen import ChangeListener
    from signing.interface import Interaction

log = logging.getLogger(__name__)

_LINE_STATES = {state.value: state for state in LineState}  # a lookup, not an enum call


def line_state(valuation: ClientValuation) -> LineState:
    """The domain's standing (shared with the CLI), as the window's enum."""
    return _LINE_STATES[valuation.line_standing]


_NO_YIELD = Decimal(0)
_NO_ACCRUAL = Decimal("0.00")


def client_row(
    holding: ClientHolding, accrued: Decimal = _NO_YIELD, exchange_call: str = ""
) -> ClientRow:
    v = holding.valuation
    # ClientRow's fields in order, built without the named tuple's Python-level
    # __new__: one row per client on every load (docs/performance.md).
    return tuple.__new__(ClientRow, (
        v.client_id,
        v.name,
        v.market_value_usd,
        v.collateral_value_usd,
        v.usable_credit_line_usd,  # none while ineligible
        v.exposure_usd,
        v.collateral_ratio,
        line_state(v),
        v.price_drop_to_margin_call,
        v.price_drop_to_liquidation,
        v.eligible,
        tuple(v.ineligible_reasons),
        accrued,  # accrued_yield
        0,  # attestations_today
        exchange_call,
    ))


def position_rows(
    holding: ClientHolding,
    accrued: Mapping[str, Decimal] | None = None,
    ages: Mapping[str, PriceAge] | None = None,
    vault_btc: Decimal | None = None,
) -> list[PositionRow]:
    accrued = accrued or {}
    ages = ages or {}
    return [
        PositionRow(
            client_id=holding.valuation.client_id,
            asset=p.asset,
            quantity=p.quantity,
            price=p.price,
            market_value=p.market_value_usd,
            haircut=p.collateral_factor,
            collateral_value=p.collateral_value_usd,
            accrued_yield=accrued.get(p.asset, Decimal("0.00")),
            locked_quantity=p.locked_quantity,
            price_age=ages.get(p.asset),
            vault_quantity=vault_btc if p.asset == "BTC" else None,
        )
        for p in holding.positions
    ]


@dataclass(frozen=True)
class _ValuationInputs:
    """Everything the holdings valuation reads: equal inputs, equal valuations.

    Snapshots are insert-only (and bound to the audit chain), so the visible
    snapshot ids fix every client's record; prices and redemption locks are the rest.
    """

    snapshot_ids: tuple[int, ...]
    prices: dict[str, Decimal]
    locks: dict[str, dict[str, Decimal]]


@dataclass
class _Cache:
    holdings: list[ClientHolding]
    prices: dict[str, Decimal]
    accrued: dict[str, dict[str, Decimal]]  # client -> asset -> accrued-but-undistributed USD
    open_calls: dict[str, str] = field(default_factory=dict)  # client -> margin_call|liquidation
    price_ages: list[PriceAge] = field(default_factory=list)
    vault_btc: dict[str, Decimal] = field(default_factory=dict)  # client -> unspent vault BTC
    inputs: _ValuationInputs | None = None  # what ``holdings`` were valued from
    accrual_days: int = -1  # undistributed_day_count that ``accrued`` was computed for
    # Derived from ``holdings`` alone, made once per valuation and kept with it:
    index: dict[str, int] = field(default_factory=dict)  # client id -> position in holdings
    collateral_by_asset: dict[str, Decimal] = field(default_factory=dict)
    client_rows: list[ClientRow] = field(default_factory=list)  # the last snapshot's rows
    unshocked: list[StressRow] | None = None  # the what-if rows with no shock, once made

    @property
    def redemption_locks(self) -> dict[str, dict[str, Decimal]]:
        """client -> asset -> shares locked by pending redemptions (valued as in holdings)."""
        return self.inputs.locks if self.inputs is not None else {}

    def accrued_total(self, client_id: str) -> Decimal:
        accrued = self.accrued.get(client_id)
        if not accrued:  # most clients hold no yield-bearing asset
            return _NO_ACCRUAL
        return sum(accrued.values(), _NO_ACCRUAL)

    def client_row(self, holding: ClientHolding) -> ClientRow:
        client_id = holding.record.id
        return client_row(holding, self.accrued_total(client_id),
                          self.open_calls.get(client_id, ""))


class _PositionRows(Mapping[str, Sequence[PositionRow]]):
    """The window's position rows by client id, each client's built when first read.

    The window shows one client's positions at a time; building all 250,000 rows of
    a 100,000-client desk up front was a second of every load and reload. Rows are
    built from the snapshot's own figures (valuations, accrual, price ages, vault)
    whenever they are read, so they are the same as if built at load time.
    """

    def __init__(self, cache: _Cache, ages: Mapping[str, PriceAge]) -> None:
        self._cache = cache
        self._ages = ages
        self._built: dict[str, list[PositionRow]] = {}

    def __getitem__(self, client_id: str) -> list[PositionRow]:
        rows = self._built.get(client_id)
        if rows is None:
            cache = self._cache
            holding = cache.holdings[cache.index[client_id]]  # KeyError, as a dict
            rows = self._built[client_id] = position_rows(
                holding, cache.accrued.get(client_id), self._ages,
                vault_btc=cache.vault_btc.get(client_id),
            )
        return rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._cache.index)

    def __len__(self) -> int:
        return len(self._cache.index)


def _stress_row(before: ClientValuation, after: ClientValuation) -> StressRow:
    """One client's what-if row: its valuation now and under the shock."""
    return StressRow(
        client_id=before.client_id,
        name=before.name,
        ratio_before=before.collateral_ratio,
        ratio_after=after.collateral_ratio,
        state_before=line_state(before),
        state_after=line_state(after),
        shortfall=after.shortfall_usd,
    )


class StoreDesk(DeskFacade):
    """The real desk: store + domain + services."""

    def __init__(self, store: Store, *, env: str = "test") -> None:
        self.store = store
        self.env = env
        self.holdings_service = HoldingsService(store)
        self._audit: AuditService | None = None
        self._verifying: Store | None = None  # the audit check's own connection: _verifier
        self._verifier_lock = threading.Lock()
        self._cache: _Cache | None = None
        self._listeners: list[ChangeListener] = []
        self._sessions: dict[str, LiveSession] = {}  # signed in at this window, by si-<id>

    @property
    def audit_service(self) -> AuditService:
        """The audit service (its checkpoint crypto loads on first use, not at start)."""
        if self._audit is None:
            from app.services.audit import AuditService

            self._audit = AuditService(self.store)
        return self._audit

    def store_description(self) -> str:
        kind = "PostgreSQL" if self.store.dialect == "postgresql" else "SQLite"
        return f"{kind} {self.store.location}"

    def watch_changes(
        self, on_change: Callable[[], None], on_state: Callable[[bool, str], None]
    ) -> Callable[[], None] | None:
        """On a shared (PostgreSQL) desk: call ``on_change`` from a listener thread after
        every other workstation's commit; returns how to stop it (None: nothing to watch)."""
        if self.store.dialect != "postgresql":
            return None
        from app.store.pg_listen import ChangeListener

        listener = ChangeListener(self.store.url, on_change, on_state).start()
        self._listeners.append(listener)

        def stop() -> None:
            listener.stop()
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    # --- sign-in ----------------------------------------------------------------------
    async def sign_in(self, officer: str, uri: str, interaction: Interaction) -> SessionRow:
        from app.services.signin import SigninService
        from app.services.signin_errors import SigninError

        service = SigninService(self.store)
        try:
            opened = await service.sign_in(officer, uri, interaction)
        except SigninError as exc:
            raise RefusedError([str(exc)]) from exc
        live = opened.live
        self._sessions[live.signin_ref] = live
        row = next((o for o in flows.officers(self.store) if o.name == officer), None)
        return SessionRow(
            live.officer,
            live.workstation_id,
            live.signin_ref,
            live.expires_at,
            bool(row and row.is_emulator),
        )

    async def reload_after_restore(self, session: SessionRow | None) -> bool:
        self._cache = None
        self._audit = None
        await asyncio.to_thread(self._close_verifier)  # it read the store before the restore
        if session is None:
            return True
        live = self._sessions.get(session.signin)
        if live is not None and await asyncio.to_thread(self._still_live, live):
            return True
        from app.services import session_guard

        self._sessions.pop(session.signin, None)
        session_guard.unbind(self.store, session.officer)
        return False

    def _still_live(self, live: LiveSession) -> bool:
        from app.services import session_guard
        from app.services.signin_errors import SigninError
        from app.store.repo_signin import SqliteSigninRepository

        with self.store.read() as tx:
            row = tx.repository(SqliteSigninRepository).session(  # type: ignore[attr-defined]
                live.session_id
            )
            if row is None or (row.officer_id, row.workstation_id, row.nonce) != (
                live.officer_id, live.workstation_id, live.nonce
            ):
                return False  # none, or another session under the same number
            try:
                session_guard.check_live(tx, live, datetime.now(UTC))
            except SigninError:
                return False
        return True

    async def end_session(self, session: SessionRow, reason: str) -> None:
        from app.services.signin import SigninService

        live = self._sessions.pop(session.signin, None)
        if live is not None:
            await asyncio.to_thread(SigninService(self.store).end, live, reason)

    async def idle_lock_minutes(self) -> int:
        from app.services.signin import idle_lock_after

        delay = await asyncio.to_thread(idle_lock_after, self.store)
        return int(delay.total_seconds() // 60)

    async def close(self) -> None:
        for listener in list(self._listeners):
            await asyncio.to_thread(listener.stop)
        self._listeners.clear()
        await asyncio.to_thread(self._close_verifier)
        await asyncio.to_thread(self.store.close)

    # --- holdings -------------------------------------------------------------------
    def _load(self) -> _Cache:
        now = datetime.now(UTC)
        previous = self._cache
        with self.store.read() as tx:
            cutoff = current_cutoff(tx, now)  # never a price from the future
            stored_prices = {a: s.price_usd for a, s in tx.holdings.prices(cutoff).items()}
            inputs = _ValuationInputs(
                tuple(s.id for s in tx.snapshots.list() if s.as_of <= cutoff),
                stored_prices,
                tx.holdings.locked_quantities(),
            )
            # Nothing a valuation reads has changed (another workstation's attestation,
            # call or share): keep the valued clients, re-read the rest.
            kept = previous if previous is not None and previous.inputs == inputs else None
            holdings = (
                kept.holdings if kept is not None else self.holdings_service.holdings_in(tx, cutoff)
            )
        from app.domain.yield_accrual import undistributed_day_count
        from app.services.vault import vault_balances

        days = undistributed_day_count(now, self.holdings_service.catalogue.policy)
        if kept is not None:
            prices, index, by_asset = kept.prices, kept.index, kept.collateral_by_asset
            # the accrual moves only at 00:00 and at the distribution time
            accrued = kept.accrued if kept.accrual_days == days else self._accrued(
                holdings, prices, now)
        else:
            prices = {}
            index = {}
            by_asset = {}
            for number, h in enumerate(holdings):
                index[h.record.id] = number
                for p in h.positions:
                    prices[p.asset] = p.price
                    by_asset[p.asset] = by_asset.get(p.asset, Decimal(0)) + p.collateral_value_usd
            prices.update(stored_prices)
            accrued = self._accrued(holdings, prices, now)
        return _Cache(
            holdings,
            prices,
            accrued,
            self._open_calls(),
            self.holdings_service.price_ages(now),
            vault_balances(self.store),
            inputs,
            days,
            index,
            by_asset,
            unshocked=kept.unshocked if kept is not None else None,
        )

    def _open_calls(self) -> dict[str, str]:
        """Each client's open call from the exchange: past the liquidation line or not."""
        from app.exchange.call_records import margin_calls

        calls: dict[str, str] = {}
        for rec in margin_calls(self.store):
            if rec.status in ("received", "acknowledged", "escalated"):
                past = rec.liquidation_notice_id is not None or rec.status == "escalated"
                if past or rec.client_id not in calls:
                    calls[rec.client_id] = "liquidation" if past else "margin_call"
        return calls

    def _accrued(
        self, holdings: Sequence[ClientHolding], prices: Mapping[str, Decimal], now: datetime
    ) -> dict[str, dict[str, Decimal]]:
        """Tokenized-MMF yield accrued since the last 08:00 UTC distribution (domain rule)."""
        from app.domain.yield_accrual import accrued_by_client

        # a client with an asset without a NAV price accrues nothing we can show: left out
        return accrued_by_client(
            (h.record for h in holdings), prices, self.holdings_service.catalogue, now
        )

    async def holdings(self) -> HoldingsSnapshot:
        # Read, value and build every row in the worker thread: with 100,000 clients
        # building the rows alone is seconds the GUI thread must not wait.
        cache, snapshot = await asyncio.to_thread(self._load_snapshot)
        self._cache = cache
        return snapshot

    def _load_snapshot(self) -> tuple[_Cache, HoldingsSnapshot]:
        # ~2 million objects kept until the next reload: no GC rescans, now or later
        with bulk_build(keep=True):
            previous = self._cache
            cache = self._load()
            cache.client_rows = self._client_rows(cache, previous)
            policy = self.holdings_service.catalogue.policy
            as_of = max((h.record_as_of for h in cache.holdings), default=datetime.now(UTC))
            snapshot = HoldingsSnapshot(
                as_of=as_of,
                prices=dict(cache.prices),
                clients=cache.client_rows,
                positions=_PositionRows(cache, {a.asset: a for a in cache.price_ages}),
                collateral_by_asset=dict(cache.collateral_by_asset),
                price_ages=list(cache.price_ages),
                margin_call_ratio=policy.margin_call_ratio,
                liquidation_ratio=policy.liquidation_ratio,
            )
        return cache, snapshot

    @staticmethod
    def _client_rows(cache: _Cache, previous: _Cache | None) -> list[ClientRow]:
        """The clients' rows; a reload whose figures are all unchanged keeps the last
        snapshot's rows, and rebuilds only those whose exchange call changed."""
        if (
            previous is None
            or previous.holdings is not cache.holdings
            or previous.accrued is not cache.accrued
            or len(previous.client_rows) != len(cache.holdings)
        ):
            return [cache.client_row(h) for h in cache.holdings]
        rows = list(previous.client_rows)
        for client_id in previous.open_calls.keys() | cache.open_calls.keys():
            if previous.open_calls.get(client_id) != cache.open_calls.get(client_id):
                number = cache.index.get(client_id)
                if number is not None:  # a call on a client this snapshot lacks: no row
                    rows[number] = cache.client_row(cache.holdings[number])
        return rows

    async def import_snapshot(self, path: str, officer: str) -> str:
        from pathlib import Path

        from app.domain.snapshot import SnapshotError

        def run() -> str:
            try:
                result = self.holdings_service.import_file(Path(path), _actor(officer))
            except SnapshotError as exc:
                raise RefusedError([str(exc)]) from exc
            if not result.created:
                return f"{Path(path).name}: already imported, nothing changed"
            return f"{Path(path).name}: imported ({result.snapshot.client_count} clients)"

        return await asyncio.to_thread(run)

    def stress(self, shocks: Mapping[str, Decimal]) -> Sequence[StressRow]:
        cache = self._cache  # read once: a reload may replace it while a worker runs this
        if cache is None:
            return []
        holdings = cache.holdings
        if not any(shocks.values()):
            # No shock: every "after" is the figure already valued (nothing to recompute),
            # and the rows are kept with the valuations they come from.
            if cache.unshocked is None:
                cache.unshocked = [_stress_row(h.valuation, h.valuation) for h in holdings]
            return cache.unshocked
        catalogue = self.holdings_service.catalogue
        prices = {
            asset: (price * (1 + shocks.get(asset, Decimal(0)))).quantize(Decimal("0.00000001"))
            for asset, price in cache.prices.items()
        }
        # One BatchValuer pass (value_client's figures) over the cached desk; the stress
        # panel runs this in a worker thread, never on the GUI thread.
        valuer = BatchValuer(prices, catalogue)
        rows: list[StressRow] = []
        with bulk_build():
            for start in range(0, len(holdings), 1000):
                chunk = holdings[start : start + 1000]
                afters = valuer.value_many(
                    [
                        (r.id, r.name, r.net_assets_usd, r.dubai_entity, r.soc2_type2,
                         r.exposure_usd, r.positions, cache.redemption_locks.get(r.id))
                        for r in (h.record for h in chunk)
                    ]
                )
                rows.extend(
                    _stress_row(h.valuation, after)
                    for h, after in zip(chunk, afters, strict=True)
                )
        return rows

    async def ratio_history(self, client_id: str) -> Sequence[RatioPoint]:
        def history() -> list[RatioPoint]:
            points: list[RatioPoint] = []
            for snap in self.holdings_service.snapshots():
                for h in self.holdings_service.holdings(snap.as_of, client_id):
                    ratio = h.valuation.collateral_ratio
                    if ratio is not None:
                        points.append(RatioPoint(snap.as_of, ratio))
            points.sort(key=lambda p: p.time)
            return points

        return await asyncio.to_thread(history)

    # --- officers and devices -----------------------------------------------------
    async def officers(self) -> Sequence[OfficerRow]:
        return await asyncio.to_thread(flows.officers, self.store)

    async def register_officer(
        self, name: str, role: str, device_uri: str, path: str, interaction: Interaction
    ) -> OfficerRow:
        return await flows.register_officer(
            self.store, name, role, device_uri, path, interaction=interaction
        )

    async def devices(self) -> Sequence[DeviceRow]:
        return await asyncio.to_thread(flows.devices, self.store)

    async def registered_keys(self) -> Sequence[RegisteredKey]:
        from app.services import key_display

        return await asyncio.to_thread(key_display.registered_keys, self.store)

    async def show_key_address(
        self, key: RegisteredKey, device_uri: str, interaction: Interaction
    ) -> AddressCheck:
        from app.services import key_display

        return await key_display.show_on_device(key, device_uri, interaction)

    # --- attestations ---------------------------------------------------------------
    async def attestations(self) -> Sequence[AttestationRow]:
        return await asyncio.to_thread(flows.attestations, self.store)

    async def prepare_attestation(
        self,
        client_ids: Sequence[str],
        officer: str,
        uri: str,
        interaction: Interaction,
    ) -> AttestationRow:
        return await flows.prepare_signed(self.store, list(client_ids), officer, uri, interaction)

    async def attestation_detail(self, att_id: str) -> AttestationDetail:
        return await asyncio.to_thread(flows.attestation_detail, self.store, att_id)

    async def verify_proof(self, att_id: str, client_id: str) -> bool:
        return await asyncio.to_thread(flows.verify_proof, self.store, att_id, client_id)

    async def approve_and_sign(
        self, att_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> AttestationRow:
        return await flows.approve_and_sign(self.store, att_id, officer, device_uri, interaction)

    async def reject_attestation(self, att_id: str, officer: str, reason: str) -> None:
        await flows.reject_attestation(self.store, att_id, officer, reason)

    async def send_attestation(self, att_id: str, officer: str) -> str | None:
        await asyncio.to_thread(flows.queue_attestation, self.store, att_id, officer)
        return await flows.sync_exchange(self.store, now=True)

    # --- margin calls ----------------------------------------------------------------
    async def margin_calls(self) -> Sequence[MarginCallRow]:
        return await asyncio.to_thread(flows.margin_calls, self.store)

    async def acknowledge_call(self, call_id: str, officer: str) -> None:
        await asyncio.to_thread(flows.acknowledge_call, self.store, call_id, officer)

    async def top_up(
        self, call_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> AttestationRow:
        return await flows.top_up(self.store, call_id, officer, device_uri, interaction)

    async def escalate_call(self, call_id: str, officer: str) -> None:
        await asyncio.to_thread(flows.escalate_call, self.store, call_id, officer)

    async def answer_top_up(
        self, call_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> None:
        await flows.answer_top_up(self.store, call_id, officer, device_uri, interaction)

    async def sync_exchange(self, now: bool = False) -> str | None:
        return await flows.sync_exchange(self.store, now=now)

    async def waterfall(self, call: MarginCallRow) -> Sequence[WaterfallLine]:
        """The yield-first liquidation plan for the call's shortfall.

        The margin-call service's plan for a stored call (its pre-authorised order
        and accrued yield as stored); the domain plan for a call the store lacks.
        """
        stored = await asyncio.to_thread(flows.waterfall_from_service, self.store, call.call_id)
        if stored is not None:
            return stored
        if self._cache is None:
            self._cache = await asyncio.to_thread(self._load)
        holding = next((h for h in self._cache.holdings if h.record.id == call.client_id), None)
        if holding is None:
            return []
        return plan_lines(
            holding,
            call.shortfall,
            self._cache.prices,
            self.holdings_service,
            self._cache.accrued_total(call.client_id),
        )

    async def sign_liquidation(
        self, call_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> None:
        await flows.sign_liquidation(self.store, call_id, officer, device_uri, interaction)

    async def margin_call_detail(self, call: MarginCallRow) -> MarginCallDetail:
        from app.ui.backend import details

        lines = tuple(await self.waterfall(call)) if call.liquidation_path_open else ()
        return await asyncio.to_thread(details.margin_call_detail, self.store, call, lines)

    async def emergency_order_detail(self, order: EmergencyOrderRow) -> EmergencyOrderDetail:
        from app.ui.backend import details

        return await asyncio.to_thread(details.emergency_order_detail, self.store, order)

    # --- emergency ---------------------------------------------------------------------
    async def emergency_orders(self) -> Sequence[EmergencyOrderRow]:
        return await asyncio.to_thread(flows.emergency_orders, self.store)

    async def create_order(self, client_id: str, reason: str, officer: str) -> EmergencyOrderRow:
        return await asyncio.to_thread(flows.create_order, self.store, client_id, reason, officer)

    async def sign_order(
        self,
        order_id: str,
        officer: str,
        device_uri: str,
        interaction: Interaction,
        replace_reason: str = "",
    ) -> EmergencyOrderRow:
        return await flows.sign_order(
            self.store, order_id, officer, device_uri, interaction, replace_reason=replace_reason
        )

    async def sign_safe_order(
        self, order_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> EmergencyOrderRow:
        return await flows.sign_safe_order(self.store, order_id, officer, device_uri, interaction)

    async def export_order(self, order_id: str, path: str) -> None:
        await asyncio.to_thread(flows.export_order, self.store, order_id, path)

    async def import_order(self, path: str) -> EmergencyOrderRow:
        return await flows.import_order(self.store, path)

    async def execute_order(self, order_id: str, officer: str) -> EmergencyOrderRow:
        return await asyncio.to_thread(flows.execute_order, self.store, order_id, officer)

    async def execute_safe_order(
        self, order_id: str, officer: str, path: str
    ) -> EmergencyOrderRow:
        return await asyncio.to_thread(
            flows.execute_safe_order, self.store, order_id, officer, path
        )

    # --- audit ---------------------------------------------------------------------------
    async def audit_entries(self) -> Sequence[AuditEntryRow]:
        def read() -> list[AuditEntryRow]:
            return [
                AuditEntryRow(r.seq, r.time, r.actor, r.action, r.payload, r.entry_hash)
                for r in self.audit_service.entries()
            ]

        return await asyncio.to_thread(read)

    def _verifier(self) -> AuditService:
        """The audit service on a second connection of its own, for the full check.

        Verifying re-derives every stored snapshot from its tables (seconds at
        100,000 clients); on the window's own connection that held the store lock,
        and every reload behind it waited. The check reads one consistent
        transaction of its own connection instead.
        """
        from app.services.audit import AuditService

        with self._verifier_lock:  # two checks at once (two worker threads): one connection
            return AuditService(self._verifier_store())

    def _verifier_store(self) -> Store:
        if self._verifying is None:
            from app.store.url import open_store_url

            self._verifying = open_store_url(self.store.url)
        return self._verifying

    def _close_verifier(self) -> None:
        with self._verifier_lock:
            verifying, self._verifying = self._verifying, None
        if verifying is not None:
            verifying.close()

    async def audit_status(self) -> AuditStatus:
        def verify() -> AuditStatus:
            verifier = self._verifier()
            report: Any = verifier.verify()
            checkpoints = verifier.checkpoints()
            problems = [c.line() for c in report.checks if not c.ok]
            return AuditStatus(
                chain_ok=bool(report.ok),
                entries=sum(1 for _ in verifier.entries()),
                last_checkpoint_size=checkpoints[-1].tree_size if checkpoints else None,
                checkpoint_ok=bool(report.ok) if checkpoints else None,
                problem="; ".join(problems),
            )

        return await asyncio.to_thread(verify)

    async def audit_checkpoint(self, officer: str) -> int:
        def run() -> int:
            return self.audit_service.checkpoint(_actor(officer)).tree_size

        return await asyncio.to_thread(run)

    async def export_audit_csv(self, path: str) -> int:
        def export() -> int:
            rows = self.audit_service.entries()
            with io.StringIO(newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["seq", "time", "actor", "action", "payload", "prev_hash", "hash"])
                for r in rows:
                    writer.writerow(
                        [
                            r.seq,
                            r.time.isoformat(),
                            r.actor,
                            r.action,
                            r.payload,
                            r.prev_hash,
                            r.entry_hash,
                        ]
                    )
                write_private(Path(path), handle.getvalue().encode("utf-8"))  # 0600
            return len(rows)

        return await asyncio.to_thread(export)


def plan_lines(
    holding: ClientHolding,
    shortfall: Decimal,
    prices: Mapping[str, Decimal],
    holdings_service: HoldingsService,
    accrued_yield: Decimal = Decimal("0.00"),
) -> list[WaterfallLine]:
    """The domain's liquidation plan as view rows (remaining shortfall after each step)."""
    from app.domain.waterfall import StepKind, plan_liquidation

    plan = plan_liquidation(
        holding.record,
        shortfall.quantize(Decimal("0.01")),
        prices,
        holdings_service.catalogue,
        accrued_yield_usd=accrued_yield,
    )
    rows: list[WaterfallLine] = []
    remaining = plan.shortfall_usd
    for line in plan.lines:
        remaining = max(Decimal(0), remaining - line.cover_usd)
        source = "accrued yield" if line.kind is StepKind.APPLY_YIELD else str(line.asset)
        rows.append(
            WaterfallLine(
                step=line.step,
                source=source,
                quantity=line.quantity if line.quantity is not None else line.cover_usd,
                usd=line.cover_usd.quantize(Decimal("0.01")),
                remaining_shortfall=remaining.quantize(Decimal("0.01")),
            )
        )
    return rows


def _actor(officer: str) -> str:
    """The signed-in officer acts in their name (checked); with nobody signed in, the desk."""
    return f"officer:{officer}" if officer and officer != "desk" else "desk"


def refuse(reason: str) -> RefusedError:
    return RefusedError([reason])
