"""The Qt-free face the desk GUI talks to.

The GUI's slots stay thin: they await one of these coroutines and show the
immutable view rows it returns. An implementation adapts the store, the domain
and the services (see ``app/ui/backend``); the GUI never reaches past this
interface, so a view can be tested against a small fake.

Every row here is immutable (a frozen dataclass; :class:`ClientRow` a named
tuple) of ``Decimal``/UTC ``datetime`` values; formatting for people happens in
the GUI.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from app.domain.parties import Party as Party  # noqa: PLC0414 (explicit re-export)
from app.domain.price_freshness import PriceAge

if TYPE_CHECKING:  # the signing library is only needed once a device is used
    from app.services.key_display import AddressCheck, RegisteredKey
    from signing.interface import Interaction


class LineState(StrEnum):
    """Where a client's collateral ratio stands against the desk's lines."""

    HEALTHY = "healthy"
    MARGIN_CALL = "margin_call"
    LIQUIDATION = "liquidation"
    NO_EXPOSURE = "no_exposure"


class ClientRow(NamedTuple):
    """One client's valuation as the holdings table shows it.

    A named tuple, not a frozen dataclass like the other rows: the window builds
    one per client on every load (100,000 on the benchmark desk), and a frozen
    dataclass's ``__init__`` costs about eight times as much (docs/performance.md).
    """

    client_id: str
    name: str
    market_value: Decimal
    collateral_value: Decimal
    credit_line: Decimal
    exposure: Decimal
    collateral_ratio: Decimal | None  # None when there is no exposure
    state: LineState
    to_margin_call: Decimal | None  # fraction of collateral value that may still fall
    to_liquidation: Decimal | None
    eligible: bool
    ineligible_reasons: tuple[str, ...]
    accrued_yield: Decimal = Decimal("0")
    attestations_today: int = 0
    # An open call from the exchange on this client ("margin_call" or "liquidation"):
    # Holdings shows it beside the desk's own state, which may differ (other prices).
    exchange_call: str = ""


@dataclass(frozen=True, slots=True)
class PositionRow:
    client_id: str
    asset: str
    quantity: Decimal
    price: Decimal
    market_value: Decimal
    haircut: Decimal  # collateral factor, e.g. 0.98
    collateral_value: Decimal
    accrued_yield: Decimal
    locked_quantity: Decimal
    price_age: PriceAge | None = None  # how old the price is, its source and limit
    # BTC in the client's on-chain emergency vault (imported UTXOs); None: no vault coins
    vault_quantity: Decimal | None = None

    @property
    def vault_differs(self) -> bool:
        """The vault's coins and the snapshot's quantity disagree (flagged in Holdings)."""
        return self.vault_quantity is not None and self.vault_quantity != self.quantity


@dataclass(frozen=True, slots=True)
class HoldingsSnapshot:
    as_of: datetime
    prices: Mapping[str, Decimal]
    clients: Sequence[ClientRow]
    positions: Mapping[str, Sequence[PositionRow]]  # by client id (may build rows when read)
    collateral_by_asset: Mapping[str, Decimal]  # the desk's collateral value in each asset
    margin_call_ratio: Decimal
    liquidation_ratio: Decimal
    price_ages: Sequence[PriceAge] = ()  # every price: age, source, limit, stale or not


@dataclass(frozen=True, slots=True)
class StressRow:
    """One client under a what-if price shock."""

    client_id: str
    name: str
    ratio_before: Decimal | None
    ratio_after: Decimal | None
    state_before: LineState
    state_after: LineState
    shortfall: Decimal  # USD to top up to get back to the margin-call line


@dataclass(frozen=True, slots=True)
class RatioPoint:
    time: datetime
    ratio: Decimal


class AttestationStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SIGNING = "signing"
    SIGNED = "signed"
    SENT = "sent"
    REJECTED = "rejected"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class AttestationRow:
    att_id: str
    sequence: int
    status: AttestationStatus
    client_ids: tuple[str, ...]
    total_collateral: Decimal
    as_of: datetime
    expires_at: datetime
    prepared_by: str
    approved_by: str | None
    root_hex: str


@dataclass(frozen=True, slots=True)
class ProofRow:
    client_id: str
    leaf_index: int
    collateral_value: Decimal
    path_length: int
    verified: bool | None = None  # None until the officer asks


@dataclass(frozen=True, slots=True)
class AttestationDetail:
    row: AttestationRow
    statement: str  # exactly the text the device will show
    asset_totals: Mapping[str, Decimal]
    proofs: Sequence[ProofRow]
    signature_b64: str | None = None
    signer_address: str | None = None
    rejection: Rejection | None = None  # who rejected it, when and why (rejected only)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A checker's rejection of an attestation, as audited."""

    by: str
    at: datetime
    reason: str


class MarginCallStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    TOPPED_UP = "topped_up"
    ESCALATED = "escalated"
    LIQUIDATED = "liquidated"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class MarginCallRow:
    call_id: str
    client_id: str
    client_name: str
    received_at: datetime
    deadline: datetime
    shortfall: Decimal
    exposure: Decimal
    ratio: Decimal | None
    status: MarginCallStatus
    past_liquidation: bool
    # The figures' sources, labelled in the window: the exchange's call, its liquidation
    # notice (when one came), and the desk's own valuation of the client now.
    call_shortfall: Decimal | None = None
    desk_ratio: Decimal | None = None
    desk_standing: str = ""

    @property
    def liquidation_path_open(self) -> bool:
        """Past the line (the exchange's notice) or escalated: the waterfall applies."""
        return self.past_liquidation or self.status == MarginCallStatus.ESCALATED


@dataclass(frozen=True, slots=True)
class WaterfallLine:
    step: int
    source: str  # "accrued yield" or an asset
    quantity: Decimal
    usd: Decimal
    remaining_shortfall: Decimal


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One step of a margin call's lifecycle, as recorded."""

    state: MarginCallStatus
    at: datetime
    actor: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A signed document tied to an item: what it is and its id."""

    kind: str  # e.g. "margin_call", "liquidation_notice", "top_up_attestation"
    doc_id: str


@dataclass(frozen=True, slots=True)
class MarginCallDetail:
    """What the margin-call details pane shows for one call."""

    row: MarginCallRow
    history: tuple[CallEvent, ...] = ()
    documents: tuple[DocumentRef, ...] = ()
    waterfall: tuple[WaterfallLine, ...] = ()  # only when past the liquidation line


@dataclass(frozen=True, slots=True)
class PartySignature:
    party: Party
    signed: bool
    verified: bool
    signed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EmergencyOrderRow:
    order_id: str
    client_id: str
    assets: tuple[str, ...]
    reason: str
    created_at: datetime
    expires_at: datetime
    parties: tuple[PartySignature, ...]
    executed_at: datetime | None = None
    safe_tx_hash: str | None = None  # a tokenized-asset order: its SafeTx ("0x" + 64 hex)

    @property
    def valid_signatures(self) -> int:
        return sum(1 for p in self.parties if p.signed and p.verified)

    @property
    def quorum(self) -> bool:
        return self.valid_signatures >= 2


@dataclass(frozen=True, slots=True)
class PartyDetail:
    """One party's share of an emergency order, as re-verified by the desk."""

    party: Party
    signed: bool
    verified: bool
    key_id: str | None = None
    address: str | None = None
    signed_at: datetime | None = None
    problem: str = ""  # why a stored signature does not count, when it does not


@dataclass(frozen=True, slots=True)
class SafeSignatureRow:
    """One owner's stored signature of the order's SafeTx, re-checked by the desk."""

    owner: str
    party: str
    valid: bool
    problem: str = ""


@dataclass(frozen=True, slots=True)
class BtcReleaseDetail:
    """A Bitcoin order's release PSBT: the transaction every party approves, and whose
    valid signatures it holds now (``emergency_btc.release_status``)."""

    txid: str
    inputs: int
    outputs: int
    amount_sat: int
    fee_sat: int
    destination: str
    parties_signed: tuple[str, ...]  # valid on every input
    signers_per_input: tuple[tuple[str, ...], ...]
    threshold: int = 2


@dataclass(frozen=True, slots=True)
class EmergencyOrderDetail:
    """What the emergency details pane shows for one order."""

    row: EmergencyOrderRow
    statement: str  # exactly the text each party signs
    parties: tuple[PartyDetail, ...]
    status: str  # open, executable, executed, expired
    release_id: str | None = None
    safe_signatures: tuple[SafeSignatureRow, ...] = ()
    safe_needed: int | None = None  # None: the order has no Safe transaction
    btc_release: BtcReleaseDetail | None = None  # None: the order has no Bitcoin release


@dataclass(frozen=True, slots=True)
class OfficerRow:
    name: str
    role: str
    fingerprint: str
    address: str
    path: str
    is_emulator: bool = False  # a test emulator's key: the officer picker marks it (TEST)


@dataclass(frozen=True, slots=True)
class SessionRow:
    """The officer signed in at this window: who, where, until when, on which sign-in."""

    officer: str
    workstation: str
    signin: str  # si-<id>, what every audit entry made in this session names
    expires_at: datetime
    is_emulator: bool = False


@dataclass(frozen=True, slots=True)
class DeviceRow:
    uri: str
    kind: str
    label: str
    transport: str
    is_emulator: bool
    fingerprint: str | None = None  # known once opened
    officer: str | None = None  # whose registered key it holds


@dataclass(frozen=True, slots=True)
class AuditEntryRow:
    seq: int
    time: datetime
    actor: str
    action: str
    payload: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class AuditStatus:
    chain_ok: bool
    entries: int
    last_checkpoint_size: int | None
    checkpoint_ok: bool | None
    problem: str = ""


class RefusedError(Exception):
    """A desk rule refused the action; ``reasons`` say why, one line each."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        super().__init__("; ".join(self.reasons))


@dataclass(frozen=True, slots=True)
class EmulatorEndpoints:
    trezor_uri: str | None
    coldcard_uri: str | None
    extra: Mapping[str, str] = field(default_factory=dict)


class DeskFacade(ABC):
    """Everything the GUI may ask of the desk. Coroutines never block the loop."""

    # --- holdings ---------------------------------------------------------
    @abstractmethod
    async def holdings(self) -> HoldingsSnapshot: ...

    @abstractmethod
    def stress(self, shocks: Mapping[str, Decimal]) -> Sequence[StressRow]:
        """Pure and fast: shocks are relative changes, e.g. {"BTC": Decimal("-0.25")}."""

    @abstractmethod
    async def ratio_history(self, client_id: str) -> Sequence[RatioPoint]: ...

    @abstractmethod
    async def import_snapshot(self, path: str, officer: str) -> str:
        """Import a snapshot file (idempotent); a one-line result. Bad files raise RefusedError."""

    # --- officers and devices ----------------------------------------------
    @abstractmethod
    async def officers(self) -> Sequence[OfficerRow]: ...

    @abstractmethod
    async def register_officer(
        self, name: str, role: str, device_uri: str, path: str, interaction: Interaction
    ) -> OfficerRow: ...

    @abstractmethod
    async def devices(self) -> Sequence[DeviceRow]: ...

    @abstractmethod
    async def registered_keys(self) -> Sequence[RegisteredKey]:
        """Officer keys, parties' multisig keys and Safe owners a device can be asked to show."""

    @abstractmethod
    async def show_key_address(
        self, key: RegisteredKey, device_uri: str, interaction: Interaction
    ) -> AddressCheck:
        """Have the device derive and show ``key``'s address; compare it with the registration."""

    # --- attestations --------------------------------------------------------
    @abstractmethod
    async def attestations(self) -> Sequence[AttestationRow]: ...

    @abstractmethod
    async def prepare_attestation(
        self,
        client_ids: Sequence[str],
        officer: str,
        uri: str,
        interaction: Interaction,
    ) -> AttestationRow:
        """Prepare as the maker; the maker's own device at ``uri`` signs the statement
        (``prepared-by``, bundle format 3). Raises ``RefusedError`` with one reason per
        refused client, or the device's typed signing error (nothing awaits approval)."""

    @abstractmethod
    async def attestation_detail(self, att_id: str) -> AttestationDetail: ...

    @abstractmethod
    async def verify_proof(self, att_id: str, client_id: str) -> bool: ...

    @abstractmethod
    async def approve_and_sign(
        self, att_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> AttestationRow:
        """Raises ``RefusedError`` (maker = checker, ...) or a ``SigningError``."""

    @abstractmethod
    async def reject_attestation(self, att_id: str, officer: str, reason: str) -> None:
        """A checker (never the maker) rejects a prepared attestation."""

    @abstractmethod
    async def send_attestation(self, att_id: str, officer: str) -> str | None:
        """Queue the signed bundle for the exchange and sync; the sync summary (None: no link)."""

    # --- margin calls ----------------------------------------------------------
    @abstractmethod
    async def margin_calls(self) -> Sequence[MarginCallRow]: ...

    @abstractmethod
    async def acknowledge_call(self, call_id: str, officer: str) -> None: ...

    @abstractmethod
    async def top_up(
        self, call_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> AttestationRow:
        """Prepare the client's top-up attestation; the maker's device signs it (format 3)."""

    @abstractmethod
    async def escalate_call(self, call_id: str, officer: str) -> None:
        """Received/acknowledged -> escalated: the pre-authorised liquidation path runs."""

    @abstractmethod
    async def answer_top_up(
        self, call_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> None:
        """Sign the top-up answer (its attestation already signed) and queue it."""

    @abstractmethod
    async def sync_exchange(self, now: bool = False) -> str | None:
        """Send the outbox and fetch new documents; a one-line summary, None if no link.

        ``now`` sends every queued item at once (an officer asked), instead of only
        those whose retry time has come (the background poll).
        """

    @abstractmethod
    async def waterfall(self, call: MarginCallRow) -> Sequence[WaterfallLine]:
        """The yield-first liquidation plan that would cover ``call``'s shortfall."""

    @abstractmethod
    async def sign_liquidation(
        self, call_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> None: ...

    async def margin_call_detail(self, call: MarginCallRow) -> MarginCallDetail:
        """History, signed documents and (past the liquidation line) the waterfall.

        The default knows only the row and the waterfall; a store-backed facade adds
        the recorded history and document ids.
        """
        lines = await self.waterfall(call) if call.liquidation_path_open else ()
        return MarginCallDetail(row=call, waterfall=tuple(lines))

    # --- emergency ---------------------------------------------------------------
    @abstractmethod
    async def emergency_orders(self) -> Sequence[EmergencyOrderRow]: ...

    @abstractmethod
    async def create_order(
        self, client_id: str, reason: str, officer: str
    ) -> EmergencyOrderRow: ...

    @abstractmethod
    async def sign_order(
        self,
        order_id: str,
        officer: str,
        device_uri: str,
        interaction: Interaction,
        replace_reason: str = "",  # non-empty: replace the custodian's share (audited)
    ) -> EmergencyOrderRow: ...

    async def sign_safe_order(
        self, order_id: str, officer: str, device_uri: str, interaction: Interaction
    ) -> EmergencyOrderRow:
        """Sign the order's Safe transaction (EIP-712) for the custodian on the device."""
        raise RefusedError(["this desk has no Safe transactions"])

    async def execute_safe_order(
        self, order_id: str, officer: str, path: str
    ) -> EmergencyOrderRow:
        """Execute a Safe order: write its ``execTransaction`` call (JSON) to ``path``."""
        raise RefusedError(["this desk has no Safe transactions"])

    @abstractmethod
    async def export_order(self, order_id: str, path: str) -> None: ...

    @abstractmethod
    async def import_order(self, path: str) -> EmergencyOrderRow: ...

    @abstractmethod
    async def execute_order(self, order_id: str, officer: str) -> EmergencyOrderRow: ...

    async def emergency_order_detail(self, order: EmergencyOrderRow) -> EmergencyOrderDetail:
        """The signed statement and each party's key and verification result.

        The default knows only the row; a store-backed facade reads the statement
        and re-verifies every stored signature.
        """
        parties = tuple(
            PartyDetail(p.party, p.signed, p.verified, signed_at=p.signed_at) for p in order.parties
        )
        status = "executed" if order.executed_at else ("executable" if order.quorum else "open")
        return EmergencyOrderDetail(order, "", parties, status)

    # --- audit -------------------------------------------------------------------
    @abstractmethod
    async def audit_entries(self) -> Sequence[AuditEntryRow]: ...

    @abstractmethod
    async def audit_status(self) -> AuditStatus: ...

    @abstractmethod
    async def export_audit_csv(self, path: str) -> int: ...

    @abstractmethod
    async def audit_checkpoint(self, officer: str) -> int:
        """Store a checkpoint over the whole log now; returns its tree size."""

    # --- sign-in -------------------------------------------------------------------
    @abstractmethod
    async def sign_in(self, officer: str, uri: str, interaction: Interaction) -> SessionRow:
        """Open ``officer``'s session: a one-time challenge signed on their own device."""

    @abstractmethod
    async def end_session(self, session: SessionRow, reason: str) -> None:
        """End the session (``signout`` or ``lock``): nothing more in the officer's name."""

    @abstractmethod
    async def idle_lock_minutes(self) -> int:
        """Idle minutes after which the window locks (setting, default 15)."""

    async def reload_after_restore(self, session: SessionRow | None) -> bool:
        """The store's content was replaced by a backup: forget what was read from the old
        one. True when ``session`` is still live in the restored store (the same session,
        officer, key and nonce, not ended nor expired); otherwise it is forgotten here,
        with nothing written (the restored store does not know it, or knows it ended)."""
        return session is None

    # --- lifecycle ---------------------------------------------------------------
    @abstractmethod
    def store_description(self) -> str: ...

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store."""
