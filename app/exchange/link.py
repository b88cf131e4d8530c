"""The exchange link: one small interface, two transports (REST and drop folder).

A link only moves bytes. It never touches the store: the outbox
(``app.exchange.outbox``) decides what to send and records the result, and
inbound documents are verified (``app.exchange.inbound``) before anything is
stored.

Errors are typed: :class:`LinkUnavailable` (transient: down, timeout, reset,
5xx; the outbox retries later with the same idempotency key) and
:class:`LinkRejected` (the exchange answered and refused; retrying the same
bytes would not help).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any, Protocol

#: The ``Audit-Checkpoint`` header carries a signed checkpoint document, base64url.
MAX_CHECKPOINT_HEADER = 32 * 1024


def checkpoint_header(document: bytes) -> str:
    """The ``Audit-Checkpoint`` header value for a checkpoint document's bytes."""
    return base64.urlsafe_b64encode(document.strip()).decode("ascii")


def checkpoint_from_header(value: str) -> bytes:
    """The document bytes of an ``Audit-Checkpoint`` header (``ValueError``: not one)."""
    if len(value) > MAX_CHECKPOINT_HEADER:
        raise ValueError(f"Audit-Checkpoint is over {MAX_CHECKPOINT_HEADER} characters")
    try:
        return base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"Audit-Checkpoint is not base64url: {exc}") from exc

# Where each document kind goes on the exchange's API (docs/exchange-api.yaml).
ROUTES: dict[str, str] = {
    "attestation_bundle": "/v1/attestations",
    "topup_answer": "/v1/topups",
    "liquidation_instruction": "/v1/liquidations",
    "reconciliation_report": "/v1/reconciliations",
}


class LinkError(Exception):
    """Base of the link's typed errors."""


class LinkUnavailable(LinkError):
    """The exchange could not be reached or failed transiently; retry later."""


class LinkMalformed(LinkUnavailable):
    """The exchange's reply is not what the API promises (not JSON, wrong shape, too
    large, nested too deep, too slow): nothing in it is used; retried like an outage."""


class LinkRejected(LinkError):
    """The exchange refused the message; ``reason`` is its one-word code."""

    def __init__(self, status: int, reason: str, detail: str) -> None:
        super().__init__(f"{status} {reason}: {detail}")
        self.status = status
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class OutboundMessage:
    """One message to the exchange: the document bytes and its idempotency key."""

    idempotency_key: str
    kind: str
    payload: bytes
    # the desk's audit tree head (canonical JSON) handed over with the message, so the
    # exchange holds it outside the desk (``app.services.audit_anchor``)
    audit_head: bytes | None = None
    # the newest officer-signed audit_checkpoint document (its canonical bytes), so the
    # exchange holds a head the desk's officer signed, not only the desk's plain claim
    audit_checkpoint: bytes | None = None


@dataclass(frozen=True)
class Delivery:
    """The exchange's answer to a delivered message."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False  # the exchange had seen this key: the stored answer came back
    # written by the desk itself (a drop folder): no answer from the exchange to verify
    local: bool = False


@dataclass(frozen=True)
class InboundItem:
    """One document the exchange has for the desk; ``ref`` acknowledges it."""

    ref: str
    data: bytes
    sequence: int | None = None


class ExchangeLink(Protocol):
    """What the desk needs from any transport."""

    async def send(self, message: OutboundMessage) -> Delivery:
        """Deliver ``message`` (idempotent by key); raises LinkUnavailable/LinkRejected."""
        ...

    async def fetch_inbound(self, after: int | None) -> list[InboundItem]:
        """Documents issued by the exchange after sequence ``after`` (oldest first)."""
        ...

    async def done(self, item: InboundItem) -> None:
        """The desk has dealt with ``item`` (stored or rejected and audited)."""
        ...

    async def fetch_ledger(self) -> bytes:
        """The exchange's signed mirrored ledger (``app.exchange.ledger``)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
