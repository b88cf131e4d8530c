"""REST transport over HTTP(S) with ``httpx.AsyncClient``.

Every POST carries an ``Idempotency-Key`` header: the exchange books a key
once and answers a repeat with the stored answer, so a retry after a timeout
or a connection reset (the exchange may have booked before the reset) never
books twice. Retries are bounded (``max_attempts``) with exponential back-off
and jitter; a 4xx answer is a refusal and is not retried.

A hostile or broken server cannot crash or stall the desk: every attempt has a
total deadline (``deadline_s``: connect, headers and the whole body, however
slowly it drips), the body is read in chunks up to ``max_reply_bytes``, JSON
nested deeper than :data:`MAX_NESTING` is refused before parsing, and every
reply of the wrong shape is a typed :class:`LinkMalformed` (nothing in it is used).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

import httpx

from app.exchange.backoff import Backoff
from app.exchange.link import (
    ROUTES,
    Delivery,
    InboundItem,
    LinkMalformed,
    LinkRejected,
    LinkUnavailable,
    OutboundMessage,
    checkpoint_header,
)

logger = logging.getLogger(__name__)

_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


MAX_REPLY_BYTES = 64 * 1024 * 1024
MAX_NESTING = 64
DEADLINE_S = 30.0


@dataclass(frozen=True)
class _Reply:
    """A reply read whole (within the deadline and the size cap)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


def nesting_depth(data: bytes) -> int:
    """The deepest ``[``/``{`` nesting of a JSON text (brackets inside strings ignored)."""
    without_strings = _STRING_RE.sub(b"", data)
    brackets = without_strings.translate(None, _NOT_BRACKETS)
    return max(accumulate(1 if b in b"[{" else -1 for b in brackets), default=0)


_STRING_RE = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _json(reply: _Reply, what: str) -> dict[str, Any]:
    """The reply's JSON object, or :class:`LinkMalformed` saying what is wrong with it."""
    if nesting_depth(reply.content) > MAX_NESTING:
        raise LinkMalformed(f"{what}: reply nested deeper than {MAX_NESTING} levels")
    try:
        value = json.loads(reply.content, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise LinkMalformed(f"{what}: reply is not JSON ({type(exc).__name__})") from exc
    if not isinstance(value, dict):
        raise LinkMalformed(f"{what}: reply is a JSON {type(value).__name__}, not an object")
    return value


class RestLink:
    """The exchange's REST API at ``base_url`` (``http://127.0.0.1:8470``)."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = 5.0,
        deadline_s: float = DEADLINE_S,
        max_reply_bytes: int = MAX_REPLY_BYTES,
        max_attempts: int = 4,
        backoff: Backoff | None = None,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        verify: ssl.SSLContext | str | bool = True,
    ) -> None:
        """``verify``: TLS verification for ``https://`` URLs (True: the system's CAs,
        a path: the exchange's CA bundle, an SSLContext e.g. with a client
        certificate for mutual TLS). Never disable it outside a test.
        ``timeout_s`` bounds each network step, ``deadline_s`` a whole attempt."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.AsyncClient(
            base_url=self.base_url, timeout=httpx.Timeout(timeout_s), verify=verify
        )
        self._max_attempts = max_attempts
        self._deadline_s = deadline_s
        self._max_reply_bytes = max_reply_bytes
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    async def _once(
        self, method: str, path: str, content: bytes | None,
        headers: dict[str, str] | None, params: dict[str, str] | None,
    ) -> _Reply:
        """One attempt, whole, within the deadline and the size cap."""
        async with asyncio.timeout(self._deadline_s):
            async with self._client.stream(
                method, self.base_url + path, content=content, headers=headers, params=params
            ) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self._max_reply_bytes:
                    raise LinkMalformed(
                        f"{method} {path}: reply of {declared} bytes is over the "
                        f"{self._max_reply_bytes}-byte limit"
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self._max_reply_bytes:
                        raise LinkMalformed(
                            f"{method} {path}: reply over the {self._max_reply_bytes}-byte limit"
                        )
                    chunks.append(chunk)
                return _Reply(response.status_code, response.headers, b"".join(chunks))

    async def _request(
        self, method: str, path: str, *, content: bytes | None = None,
        headers: dict[str, str] | None = None, params: dict[str, str] | None = None,
    ) -> _Reply:
        last = "no attempt"
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = await self._once(method, path, content, headers, params)
            except TimeoutError:
                last = f"no whole reply within {self._deadline_s:g} s"
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
                **({"Audit-Head": message.audit_head.decode("ascii")}
                   if message.audit_head else {}),
                **({"Audit-Checkpoint": checkpoint_header(message.audit_checkpoint)}
                   if message.audit_checkpoint else {}),
            },
        )
        if response.status_code >= 400:
            try:
                refusal = _json(response, f"POST {route}")
            except LinkMalformed:
                refusal = {"error": "refused", "detail": response.content[:200].decode(
                    "utf-8", "replace")}
            raise LinkRejected(
                response.status_code, str(refusal.get("error", "refused"))[:100],
                str(refusal.get("detail", ""))[:500],
            )
        body = _json(response, f"POST {route}")
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return Delivery(response.status_code, body, replayed)

    async def fetch_inbound(self, after: int | None) -> list[InboundItem]:
        params = {} if after is None else {"after": str(after)}
        response = await self._request("GET", "/v1/inbox", params=params)
        if response.status_code != 200:
            raise LinkUnavailable(f"GET /v1/inbox: HTTP {response.status_code}")
        body = _json(response, "GET /v1/inbox")
        documents = body.get("documents", [])
        if not isinstance(documents, list):
            raise LinkMalformed("GET /v1/inbox: documents is not a list")
        items: list[InboundItem] = []
        for index, entry in enumerate(documents):
            if not isinstance(entry, dict) or not isinstance(entry.get("document"), str):
                raise LinkMalformed(f"GET /v1/inbox: documents[{index}] is not a document entry")
            seq = entry.get("sequence")
            if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
                raise LinkMalformed(f"GET /v1/inbox: documents[{index}].sequence is not an integer")
            items.append(
                InboundItem(ref=str(seq), data=entry["document"].encode("utf-8"), sequence=seq)
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
