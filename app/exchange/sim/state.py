"""The simulated exchange's books: verified bookings, exposure, signed notices.

Thread-safe (one lock): the HTTP server calls it from its request threads and
tests call it directly. Every POST is idempotent by key: the first answer to a
key is stored and returned for any repeat with the same bytes (a repeat with
other bytes is refused), and ``bookings_per_key`` counts how many times each
key really changed the books (the network-fault tests assert it is 1).

Valuation is the desk's own rules with the sim's prices: collateral value =
sum(quantity x price x collateral factor) rounded down to cents; credit line =
collateral value x leverage (capped at the pilot's 2x); a margin call is due
below ratio 1/leverage, a liquidation notice below the liquidation ratio; the
shortfall is exposure/leverage - collateral value, rounded up to cents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from pathlib import Path
from typing import Any

from app.documents.builders import new_document
from app.documents.canonical import amount, encode, parse_amount, utc
from app.documents.canonical import field as get_field
from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.errors import DocumentError
from app.documents.keys import KeysFile, key_id_for, parse_keys
from app.documents.verify import VerifyContext, verify_document
from app.domain.assets import PILOT_LEVERAGE_CAP, AssetCatalogue
from app.domain.attestation import verify_bundle
from app.domain.money import from_base_units
from app.exchange.ledger import ledger_bytes, ledger_statement
from app.exchange.link import checkpoint_from_header
from app.exchange.receipts import receipt_body
from app.exchange.sim.price_path import PricePath
from app.services.unit_of_work import utc_now
from signing.emulator.hsm import SoftHsm

logger = logging.getLogger(__name__)

SIM_KEY_PATH = "m/44'/0'/0'/0/0"
CENT = Decimal("0.01")
DEFAULT_PRICES = {
    "BENJI": Decimal("1.00"), "USDC": Decimal("1.00"),
    "BTC": Decimal("97000.00"), "BUIDL": Decimal("1.00"),
}
NOTICE_VALIDITY = timedelta(hours=24)
LEDGER_VALIDITY = timedelta(hours=1)


class SimError(Exception):
    """A refusal the API returns as ``{"error": reason, "detail": ...}``."""

    def __init__(self, status: int, reason: str, detail: str) -> None:
        super().__init__(f"{status} {reason}: {detail}")
        self.status = status
        self.reason = reason
        self.detail = detail


@dataclass
class Account:
    client_id: str
    attestation_seq: int
    positions: dict[str, Decimal]
    attested_collateral_usd: Decimal
    exposure_usd: Decimal
    # shares locked by a pending redemption: held (in positions) but never collateral
    locked: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class SimCall:
    id: str
    client_id: str
    shortfall_usd: Decimal
    status: str = "open"  # open | resolved | liquidated
    notice_id: str | None = None


@dataclass
class Faults:
    """Injected failures for tests: each of the next ``count`` requests (None: all)."""

    mode: str = "none"  # none | down | slow | error500 | reset
    count: int | None = None
    delay_s: float = 0.0

    def take(self) -> tuple[str, float]:
        if self.mode == "none":
            return "none", 0.0
        mode, delay = self.mode, self.delay_s
        if self.count is not None:
            self.count -= 1
            if self.count <= 0:
                self.mode, self.count = "none", None
        return mode, delay


@dataclass
class _Stored:
    body_hash: str
    status: int
    response: dict[str, Any]


KeysSource = KeysFile | Path | Callable[[], KeysFile]


class ExchangeSim:
    """The exchange's state. ``signer`` holds the sim's TEST key."""

    def __init__(
        self,
        keys: KeysSource,
        signer: SoftHsm,
        *,
        exchange_id: str = "EXCH-DEMO",
        env: str = "test",
        catalogue: AssetCatalogue | None = None,
        prices: dict[str, Decimal] | None = None,
        price_paths: Iterable[PricePath] = (),
        utilisation: Decimal = Decimal("0.9"),
        exposures: dict[str, Decimal] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if env != "test":
            raise SimError(400, "wrong_env", "the simulator signs test documents only")
        self._keys_source = keys
        self._keys_cache: tuple[float, KeysFile] | None = None
        self._signer = signer
        self.exchange_id = exchange_id
        self.env = env
        self.catalogue = catalogue or AssetCatalogue.load_default()
        self.policy = self.catalogue.policy
        self.leverage = min(self.policy.leverage, PILOT_LEVERAGE_CAP)
        self._base_prices = dict(prices or DEFAULT_PRICES)
        self._paths = {p.asset: p for p in price_paths}
        self.utilisation = utilisation
        self._preset = dict(exposures or {})
        self._clock = clock
        self._offset = timedelta(0)
        self.started_at = clock()
        self.lock = threading.RLock()
        self.faults = Faults()
        self.accounts: dict[str, Account] = {}
        self.calls: dict[str, SimCall] = {}
        self.last_attestation_seq = 0
        self._seq = 0
        self._ledger_seq = 0
        self.documents: list[tuple[int, bytes]] = []
        self.received: list[Document] = []
        self.audit_heads: list[dict[str, Any]] = []
        self.audit_checkpoints: list[Document] = []  # verified officer-signed checkpoints
        self._idempotency: dict[str, _Stored] = {}
        self.bookings_per_key: Counter[str] = Counter()
        self.bookings_per_attestation: Counter[int] = Counter()
        key = signer.get_public_key(SIM_KEY_PATH)
        self.pubkey = key.pubkey
        self.address = key.address
        self.key_id = key_id_for(key.pubkey)

    # -- time, prices, keys ---------------------------------------------------------

    def now(self) -> datetime:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the sim's clock forward (the price path follows), then re-evaluate."""
        with self.lock:
            self._offset += timedelta(seconds=seconds)
            self.evaluate()

    def prices(self) -> dict[str, Decimal]:
        elapsed = (self.now() - self.started_at).total_seconds()
        result = {}
        for asset, price in self._base_prices.items():
            path = self._paths.get(asset)
            value = price * path.factor(elapsed) if path else price
            result[asset] = value.quantize(Decimal("0.00000001"), ROUND_DOWN)
        return result

    def keys(self) -> KeysFile:
        source = self._keys_source
        if isinstance(source, KeysFile):
            return source
        if isinstance(source, Path):
            mtime = source.stat().st_mtime
            if self._keys_cache is None or self._keys_cache[0] != mtime:
                self._keys_cache = (mtime, parse_keys(source.read_bytes()))
            return self._keys_cache[1]
        return source()

    def key_info(self) -> dict[str, Any]:
        return {
            "party": "exchange", "role": "exchange", "key_id": self.key_id,
            "pubkey": self.pubkey.hex(), "address": self.address, "is_emulator": True,
            "exchange_id": self.exchange_id, "env": self.env,
        }

    # -- valuation ------------------------------------------------------------------

    def collateral(self, account: Account) -> Decimal:
        prices = self.prices()
        total = Decimal(0)
        for asset, quantity in account.positions.items():
            factor = self.catalogue.get(asset).collateral_factor
            free = quantity - account.locked.get(asset, Decimal(0))
            total += free * prices.get(asset, Decimal(0)) * factor
        return total.quantize(CENT, ROUND_DOWN)

    def credit_line(self, account: Account) -> Decimal:
        return (self.collateral(account) * self.leverage).quantize(CENT, ROUND_DOWN)

    def set_exposure(self, client_id: str, exposure_usd: Decimal) -> None:
        with self.lock:
            self._preset[client_id] = exposure_usd
            if client_id in self.accounts:
                self.accounts[client_id].exposure_usd = exposure_usd
            self.evaluate()

    # -- idempotent POST --------------------------------------------------------------

    def post(
        self, route: str, key: str | None, data: bytes, *, audit_head: str | None = None,
        audit_checkpoint: str | None = None,
    ) -> tuple[int, dict[str, Any], bool]:
        """Apply one POST once per idempotency key: (status, answer, replayed).

        ``audit_head``: the desk's audit tree head sent with the request; the
        exchange keeps it (``GET /v1/audit-heads``) and repeats it in the receipt.
        ``audit_checkpoint``: the ``Audit-Checkpoint`` header (the newest
        officer-signed checkpoint); kept (``GET /v1/audit-checkpoints``) only if
        it verifies against the registered officer keys, and the receipt says
        which (``answer.audit_checkpoint``)."""
        head = self._keep_head(audit_head)
        checkpoint = self._keep_checkpoint(audit_checkpoint)
        extra = {name: value for name, value in (("audit_head", head),
                                                 ("audit_checkpoint", checkpoint)) if value}
        handlers: dict[str, Callable[[bytes], tuple[int, dict[str, Any]]]] = {
            "/v1/attestations": self._book,
            "/v1/topups": self._topup,
            "/v1/liquidations": self._liquidate,
            "/v1/reconciliations": self._reconciliation,
        }
        handler = handlers.get(route)
        if handler is None:
            return 404, {"error": "not_found", "detail": route}, False
        if not key:
            refusal = {"error": "idempotency_key_required", "detail": "send Idempotency-Key"}
            return 400, refusal, False
        digest = hashlib.sha256(data).hexdigest()
        with self.lock:
            stored = self._idempotency.get(key)
            if stored is not None:
                if stored.body_hash != digest:
                    return 422, {"error": "idempotency_conflict",
                                 "detail": "this key was used for other bytes"}, False
                return stored.status, self._receipted(key, data, stored, extra), True
            try:
                status, response = handler(data)
            except DocumentError as exc:
                status, response = 422, {"error": exc.reason.value, "detail": exc.message}
            except SimError as exc:
                status, response = exc.status, {"error": exc.reason, "detail": exc.detail}
            if status < 500:  # a transient failure is not an answer: the retry runs again
                self._idempotency[key] = _Stored(digest, status, response)
            if status < 300:
                self.bookings_per_key[key] += 1
            stored = _Stored(digest, status, response)
            return status, self._receipted(key, data, stored, extra), False

    def _keep_head(self, text: str | None) -> dict[str, Any] | None:
        """The desk's audit head, kept as received (None when absent or unreadable)."""
        if not text:
            return None
        try:
            head = json.loads(text)
        except ValueError:
            return None
        if not isinstance(head, dict):
            return None
        try:
            encode(head)  # it travels inside the signed receipt: canonical JSON only
        except DocumentError:
            return None
        with self.lock:
            if head not in self.audit_heads:
                self.audit_heads.append(head)
        return head

    def _keep_checkpoint(self, header: str | None) -> dict[str, Any] | None:
        """Verify and keep a signed checkpoint; what the receipt says about it."""
        if not header:
            return None
        try:
            doc = parse_document(checkpoint_from_header(header))
            if doc.kind is not Kind.AUDIT_CHECKPOINT:
                raise SimError(422, "unknown_kind", f"{doc.kind.value} is not a checkpoint")
            ctx = VerifyContext(keys=self.keys(), env=self.env, now=self.now(),
                                exchange_id=self.exchange_id)
            failure = verify_document(doc, ctx).first_failure()
            if failure is not None:
                raise SimError(422, failure.reason.value if failure.reason else "invalid",
                               f"{failure.name}: {failure.detail}")
        except (ValueError, DocumentError, SimError, OSError) as exc:
            detail = exc.detail if isinstance(exc, SimError) else str(exc)
            logger.warning("sim refused the desk's audit checkpoint: %s", detail)
            return {"kept": False, "detail": detail[:200]}
        with self.lock:
            if all(d.statement != doc.statement or d.signatures != doc.signatures
                   for d in self.audit_checkpoints):
                self.audit_checkpoints.append(doc)
        return {"kept": True, "size": doc.body["size"], "root": doc.body["root"],
                "signer_key_ids": list(doc.body["signer_key_ids"])}

    def audit_checkpoints_json(self) -> dict[str, Any]:
        """Every verified officer-signed checkpoint desks handed over, in arrival order."""
        with self.lock:
            return {"audit_checkpoints": [d.to_json() for d in self.audit_checkpoints]}

    def audit_heads_json(self) -> dict[str, Any]:
        """Every audit head desks handed over, in arrival order (the exchange's copy)."""
        with self.lock:
            return {"audit_heads": list(self.audit_heads)}

    def _receipted(
        self, key: str, data: bytes, stored: _Stored, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The answer with the exchange's signed receipt for it (fresh on every reply);
        ``extra`` (what it kept: ``audit_head``, ``audit_checkpoint``) is in the receipt."""
        answer = {**stored.response, **(extra or {})}
        body = receipt_body(exchange_id=self.exchange_id, env=self.env, now=self.now(),
                            idempotency_key=key, payload=data, http_status=stored.status,
                            answer=answer)
        receipt = self.sign(new_document(Kind.EXCHANGE_RECEIPT, body))
        return {**stored.response, "receipt": receipt.to_bytes().decode("utf-8")}

    def _verified(self, data: bytes, kind: Kind) -> Document:
        doc = parse_document(data)
        if doc.kind is not kind:
            raise SimError(422, "unknown_kind", f"expected {kind.value}, got {doc.kind.value}")
        try:
            keys = self.keys()
        except (OSError, DocumentError) as exc:  # an operator is replacing the file
            raise SimError(503, "keys_unavailable", f"cannot read the keys file: {exc}") from exc
        ctx = VerifyContext(keys=keys, env=self.env, now=self.now(), exchange_id=self.exchange_id)
        report = verify_document(doc, ctx)
        failure = report.first_failure()
        if failure is not None:
            reason = failure.reason.value if failure.reason else "invalid"
            raise SimError(422, reason, f"{failure.name}: {failure.detail}")
        self.received.append(doc)
        return doc

    def _book(self, data: bytes) -> tuple[int, dict[str, Any]]:
        doc = self._verified(data, Kind.ATTESTATION_BUNDLE)
        seq = get_field(doc.body, "sequence", int, "body")
        if seq <= self.last_attestation_seq:
            raise SimError(
                409, "replay", f"attestation {seq} is not after {self.last_attestation_seq}"
            )
        self.last_attestation_seq = seq
        self.bookings_per_attestation[seq] += 1
        booked = []
        # the verifier's own reading of the bundle (verified above), not the raw JSON
        att, _ = verify_bundle(doc.body, statement=doc.statement,
                               signature_key_ids=[sig.key_id for sig in doc.signatures])
        for figures in att.clients:
            client_id = figures.client_id
            positions = {
                t.asset: from_base_units(units, t.decimals)
                for t, units in zip(att.terms, figures.quantities, strict=True) if units
            }
            locked = {
                t.asset: from_base_units(units, t.decimals)
                for t, units in zip(att.terms, figures.locked, strict=True) if units
            }
            attested = figures.collateral_value_usd
            account = self.accounts.get(client_id)
            if account is None:
                account = Account(client_id, seq, positions, attested, Decimal(0), locked)
                preset = self._preset.get(client_id)
                account.exposure_usd = (
                    preset if preset is not None
                    else (self.credit_line(account) * self.utilisation).quantize(CENT, ROUND_DOWN)
                )
                self.accounts[client_id] = account
            else:
                account.attestation_seq, account.positions = seq, positions
                account.locked = locked
                account.attested_collateral_usd = attested
            booked.append(self._account_json(account))
        logger.info("sim booked attestation %d (%d clients)", seq, len(booked))
        self.evaluate()
        return 201, {"status": "booked", "attestation_seq": seq, "clients": booked}

    def _account_json(self, account: Account) -> dict[str, Any]:
        return {
            "client_id": account.client_id,
            "attestation_seq": account.attestation_seq,
            "positions": [{"asset": a, "quantity": amount(q)}
                          for a, q in sorted(account.positions.items())],
            "attested_collateral_usd": amount(account.attested_collateral_usd),
            "collateral_value_usd": amount(self.collateral(account)),
            "credit_line_usd": amount(self.credit_line(account)),
            "exposure_usd": amount(account.exposure_usd),
        }

    def _call_for(self, doc: Document) -> tuple[SimCall, Account]:
        call_id = get_field(doc.body, "margin_call_id", str, "body")
        call = self.calls.get(call_id)
        if call is None:
            raise SimError(404, "unknown_margin_call", call_id)
        if call.client_id != get_field(doc.body, "client_id", str, "body"):
            raise SimError(422, "mismatch", "the call is for another client")
        return call, self.accounts[call.client_id]

    def _topup(self, data: bytes) -> tuple[int, dict[str, Any]]:
        doc = self._verified(data, Kind.TOPUP_ANSWER)
        call, account = self._call_for(doc)
        if call.status != "open":
            raise SimError(409, "not_open", f"margin call {call.id} is {call.status}")
        att_seq = get_field(doc.body, "attestation_seq", int, "body")
        if account.attestation_seq < att_seq:
            raise SimError(409, "not_booked", f"attestation {att_seq} is not booked yet")
        short = self._shortfall(account)
        if short > 0:
            return 200, {"status": "still_short", "margin_call_id": call.id,
                         "shortfall_usd": amount(short)}
        call.status = "resolved"
        return 200, {"status": "resolved", "margin_call_id": call.id,
                     "credit_line_usd": amount(self.credit_line(account))}

    def _liquidate(self, data: bytes) -> tuple[int, dict[str, Any]]:
        doc = self._verified(data, Kind.LIQUIDATION_INSTRUCTION)
        call, account = self._call_for(doc)
        if call.status != "open":
            raise SimError(409, "not_open", f"margin call {call.id} is {call.status}")
        paid = parse_amount(doc.body.get("amount_usd"), "amount_usd")
        for line in get_field(doc.body, "lines", list, "body"):
            if line.get("kind") == "sell":
                asset = get_field(line, "asset", str, "line")
                sold = parse_amount(line.get("quantity"), "quantity")
                held = account.positions.get(asset, Decimal(0))
                account.positions[asset] = max(Decimal(0), held - sold)
        account.exposure_usd = max(Decimal(0), account.exposure_usd - paid)
        call.status = "liquidated"
        return 200, {"status": "executed", "margin_call_id": call.id,
                     "amount_usd": amount(paid), "exposure_usd": amount(account.exposure_usd)}

    def _reconciliation(self, data: bytes) -> tuple[int, dict[str, Any]]:
        doc = self._verified(data, Kind.RECONCILIATION_REPORT)
        return 202, {"status": "received", "id": doc.body.get("id")}

    # -- notices ----------------------------------------------------------------------

    def _shortfall(self, account: Account) -> Decimal:
        need = account.exposure_usd / self.leverage - self.collateral(account)
        return max(Decimal(0), need.quantize(CENT, ROUND_UP))

    def _open_call(self, client_id: str) -> SimCall | None:
        for call in self.calls.values():
            if call.client_id == client_id and call.status == "open":
                return call
        return None

    def evaluate(self) -> None:
        """Issue margin calls and liquidation notices the prices now call for."""
        with self.lock:
            for account in self.accounts.values():
                if account.exposure_usd <= 0:
                    continue
                collateral = self.collateral(account)
                ratio = collateral / account.exposure_usd
                call = self._open_call(account.client_id)
                if ratio < 1 / self.leverage and call is None:
                    call = self._issue(account, "margin_call", None)
                past_line = ratio < self.policy.liquidation_ratio
                if call is not None and past_line and not call.notice_id:
                    self._issue(account, "liquidation", call)

    def _issue(self, account: Account, notice: str, call: SimCall | None) -> SimCall:
        self._seq += 1
        now = self.now().replace(microsecond=0)
        collateral = self.collateral(account)
        shortfall = self._shortfall(account)
        prefix = "mc" if notice == "margin_call" else "ln"
        doc_id = f"{prefix}-{self._seq:06d}"
        body: dict[str, Any] = {
            "id": doc_id, "exchange_id": self.exchange_id, "env": self.env,
            "sequence": self._seq, "expires_at": utc(now + NOTICE_VALIDITY),
            "notice": notice, "client_id": account.client_id, "issued_at": utc(now),
            "deadline_at": utc(now + timedelta(hours=self.policy.margin_call_deadline_hours)),
            "exposure_usd": amount(account.exposure_usd),
            "collateral_value_usd": amount(collateral),
            "collateral_ratio": amount((collateral / account.exposure_usd).quantize(
                Decimal("0.0001"), ROUND_DOWN)),
            "shortfall_usd": amount(shortfall),
            "prices": {a: amount(p) for a, p in sorted(self.prices().items())},
        }
        if call is not None:
            body["margin_call_id"] = call.id
        doc = self.sign(new_document(Kind.MARGIN_CALL, body))
        self.documents.append((self._seq, doc.to_bytes()))
        if call is None:
            call = SimCall(doc_id, account.client_id, shortfall)
            self.calls[doc_id] = call
        else:
            call.notice_id = doc_id
        logger.info("sim issued %s %s for %s (short %s)", notice, doc_id, account.client_id,
                    shortfall)
        return call

    def sign(self, doc: Document) -> Document:
        made = self._signer.sign_message(SIM_KEY_PATH, doc.statement)
        return doc.with_signature(SignatureEntry(self.key_id, "exchange", made.signature))

    def inbox(self, after: int | None) -> list[tuple[int, bytes]]:
        with self.lock:
            self.evaluate()
            return [(s, d) for s, d in self.documents if after is None or s > after]

    def ledger(self) -> bytes:
        with self.lock:
            self.evaluate()
            self._ledger_seq += 1
            now = self.now().replace(microsecond=0)
            body = {
                "exchange_id": self.exchange_id, "env": self.env,
                "sequence": self._ledger_seq, "as_of": utc(now),
                "expires_at": utc(now + LEDGER_VALIDITY),
                "clients": [self._account_json(a) for _, a in sorted(self.accounts.items())],
            }
            made = self._signer.sign_message(SIM_KEY_PATH, ledger_statement(body))
            return ledger_bytes(body, SignatureEntry(self.key_id, "exchange", made.signature))

    def accounts_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "prices": {a: amount(p) for a, p in sorted(self.prices().items())},
                "accounts": [self._account_json(a) for _, a in sorted(self.accounts.items())],
                "calls": [{"id": c.id, "client_id": c.client_id, "status": c.status,
                           "shortfall_usd": amount(c.shortfall_usd), "notice_id": c.notice_id}
                          for c in self.calls.values()],
            }

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "bookings_per_key": dict(self.bookings_per_key),
                "bookings_per_attestation": {str(k): v for k, v in
                                             self.bookings_per_attestation.items()},
                "documents_received": len(self.received),
            }


def encode_json(value: dict[str, Any]) -> bytes:
    """Answers are canonical JSON too (no floats anywhere)."""
    return encode(value)
