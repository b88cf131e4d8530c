"""REST transport over HTTP(S) with ``httpx.AsyncClient``.

Every POST carries an ``Idempotency-Key`` header: the exchange books a key
once and answers a repeat with the stored answer, so a retry after a timeout
or a connection reset (the exchange may have booked before the reset) never
books twice. Retries are bounded (``max_attempts``) with exponential back-off
and jitter; a 4xx answer is a refusal and is not retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from app.exchange.backoff import Backoff
from app.exchange.link import (
    ROUTES,
    Delivery,
    InboundItem,
    LinkRejected,
    LinkUnavailable,
    OutboundMessage,
)

logger = logging.getLogger(__name__)

_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {"error": "malformed", "detail": response.text[:200]}
    return value if isinstance(value, dict) else {"value": value}


class RestLink:
    """The exchange's REST API at ``base_url`` (``http://127.0.0.1:8470``)."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = 5.0,
        max_attempts: int = 4,
        backoff: Backoff | None = None,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        verify: ssl.SSLContext | str | bool = True,
    ) -> None:
        """``verify``: TLS verification for ``https://`` URLs (True: the system's CAs,
        a path: the exchange's CA bundle, an SSLContext e.g. with a client
        certificate for mutual TLS). Never disable it outside a test."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.AsyncClient(
            base_url=self.base_url, timeout=httpx.Timeout(timeout_s), verify=verify
        )
        self._max_attempts = max_attempts
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    async def _request(
        self, method: str, path: str, *, content: bytes | None = None,
        headers: dict[str, str] | None = None, params: dict[str, str] | None = None,
    ) -> httpx.Response:
        last = "no attempt"
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = await self._client.request(
                    method, self.base_url + path, content=content, headers=headers, params=params
                )
            except httpx.TransportError as exc:  # connect, timeout, reset, protocol
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code not in _RETRY_STATUS:
                    return response
                last = f"HTTP {response.status_code}"
            logger.info("%s %s attempt %d/%d failed: %s", method, path, attempt,
                        self._max_attempts, last)
            if attempt < self._max_attempts:
                await self._sleep(self._backoff.delay(attempt))
        raise LinkUnavailable(f"{method} {path}: {last} after {self._max_attempts} attempts")

    async def send(self, message: OutboundMessage) -> Delivery:
        route = ROUTES.get(message.kind)
        if route is None:
            raise LinkRejected(0, "unknown_kind", f"no route for {message.kind}")
        response = await self._request(
            "POST",
            route,
            content=message.payload,
            headers={
                "Idempotency-Key": message.idempotency_key,
                "Content-Type": "application/json",
            },
        )
        body = _json(response)
        if response.status_code >= 400:
            raise LinkRejected(
                response.status_code, str(body.get("error", "refused")),
                str(body.get("detail", "")),
            )
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return Delivery(response.status_code, body, replayed)

    async def fetch_inbound(self, after: int | None) -> list[InboundItem]:
        params = {} if after is None else {"after": str(after)}
        response = await self._request("GET", "/v1/inbox", params=params)
        if response.status_code != 200:
            raise LinkUnavailable(f"GET /v1/inbox: HTTP {response.status_code}")
        body = _json(response)
        items: list[InboundItem] = []
        for entry in body.get("documents", []):
            if not isinstance(entry, dict) or not isinstance(entry.get("document"), str):
                continue
            seq = entry.get("sequence")
            items.append(
                InboundItem(
                    ref=str(seq),
                    data=entry["document"].encode("utf-8"),
                    sequence=seq if isinstance(seq, int) else None,
                )
            )
        return items

    async def done(self, item: InboundItem) -> None:
        """Nothing to do: the desk asks for ``after`` its last stored sequence."""

    async def fetch_ledger(self) -> bytes:
        response = await self._request("GET", "/v1/ledger")
        if response.status_code != 200:
            raise LinkUnavailable(f"GET /v1/ledger: HTTP {response.status_code}")
        return response.content

    async def aclose(self) -> None:
        await self._client.aclose()
