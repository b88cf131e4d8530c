"""Attestation bundles (format 2): the one builder and the one verifier.

Everything here follows ``docs/attestation-format.md`` section 3, which is
normative. In short:

* The **asset schema** is every asset some attested client holds, ascending,
  each with its decimals, USD price and collateral factor. Its id hashes all
  four (``schema_text``), so a changed decimal, price or factor changes every
  leaf hash and therefore the signed root.
* A client's **leaf** commits to its salted commitment (client id + salt) and to
  the sum vector ``quantities || locked || [collateral value in cents]``: held
  quantities and locked quantities in base units, schema order, then the value.
  The Merkle-sum tree adds every lane, so the root's sums are the per-asset
  totals and the total collateral value the statement carries as ``cv``.
* **Valuation** (as ``app.domain.valuation``): a client's value is
  ``ROUND_DOWN_to_cents(sum((quantity - locked) x price x factor))``; locked
  shares are held but never count as collateral.
* Leaves are ordered by commitment (ascending bytes); ``clients[i]`` is leaf ``i``.

:func:`build_attestation` is the only way the desk makes one (the services
layer feeds it holdings); :func:`verify_bundle` is the only verifier: the CLI
``verify``, every import, the exchange simulator and the GUI call it on the
wire form of the body, and :func:`verify_attestation` runs it over a built
attestation's own body. It raises :class:`AttestationError` naming the first
check that fails (the names and their order are :data:`CHECKS`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from app.domain import merkle_sum as ms
from app.domain.merkle_sum import LaneSchema, SumLeaf, SumProof, SumSibling
from app.domain.money import (
    USD_SCALE,
    MoneyError,
    from_base_units,
    to_base_units,
    usd_down,
)
from app.domain.rfc6962 import MerkleError
from app.domain.snapshot import CLIENT_ID_PATTERN
from app.domain.statement import (
    AttestationStatement,
    Environment,
    MakerCheckerAttestationStatement,
    RetiredStatementVersion,
    StatementError,
    parse_as,
)

log = logging.getLogger(__name__)

FORMAT = 2
"""Bundle format; the statement tag says it (``CDESK-ATTEST/2``)."""
MAX_DECIMALS = 18
SCHEMA_TAG = b"CDESK-MSUM/2\x00"
SIGNATURE_ACTS: tuple[str, ...] = ("approved-by",)
"""What each entry of ``signatures`` (and of ``body.signer_key_ids``) is, by position,
in a format-2 bundle: exactly one signature, the approving (checker) officer's."""
MAKER_CHECKER_FORMAT = 3
ACTS_BY_FORMAT: dict[int, tuple[str, ...]] = {
    FORMAT: SIGNATURE_ACTS,
    MAKER_CHECKER_FORMAT: ("approved-by", "prepared-by"),
}
"""Format 3 (``CDESK-ATTEST/3``) carries the checker's and then the maker's signature
over the same statement; ``docs/attestation-format.md`` section 3.6."""


def signature_acts(statement: AttestationStatement) -> tuple[str, ...]:
    """The acts, by position, a bundle with ``statement`` carries."""
    return ACTS_BY_FORMAT[statement.VERSION]

# The checks of verify_bundle, in the order they run (docs/attestation-format.md 3.5).
CHECK_VERSION = "version"
CHECK_FIELDS = "fields"
CHECK_STATEMENT = "statement"
CHECK_ID = "id"
CHECK_ASSETS = "assets"
CHECK_CLIENT_COUNT = "client count"
CHECK_CLIENT_IDS = "client ids"
CHECK_POSITIONS = "positions"
CHECK_VALUES = "values"
CHECK_LEAF_ORDER = "leaf order"
CHECK_PROOF_SIZE = "proof size"
CHECK_PROOFS = "proofs"
CHECK_TOTALS = "totals"
CHECK_TOTAL_VALUE = "total value"
CHECK_SIGNERS = "signers"
CHECK_TIME = "time"
CHECKS: tuple[str, ...] = (
    CHECK_VERSION, CHECK_FIELDS, CHECK_STATEMENT, CHECK_ID, CHECK_ASSETS, CHECK_CLIENT_COUNT,
    CHECK_CLIENT_IDS, CHECK_POSITIONS, CHECK_VALUES, CHECK_LEAF_ORDER, CHECK_PROOF_SIZE,
    CHECK_PROOFS, CHECK_TOTALS, CHECK_TOTAL_VALUE, CHECK_SIGNERS, CHECK_TIME,
)

BODY_KEYS = frozenset({
    "id", "custodian_id", "exchange_id", "env", "sequence", "as_of", "expires_at", "root",
    "assets", "totals", "client_count", "total_collateral_usd", "signer_key_ids", "clients",
})
ASSET_KEYS = frozenset({"asset", "decimals", "price_usd", "collateral_factor"})
TOTAL_KEYS = frozenset({"quantity", "locked"})
CLIENT_KEYS = frozenset({"client_id", "salt", "collateral_value_usd", "positions", "proof"})
POSITION_KEYS = frozenset({"asset", "quantity", "locked_quantity"})
PROOF_KEYS = frozenset({"index", "size", "siblings"})
SIBLING_KEYS = frozenset({"sums", "hash"})

_ASSET_RE = re.compile(r"[A-Z0-9]{1,12}")
_DECIMAL_RE = re.compile(r"(?=.{1,40}$)(0|[1-9][0-9]*)(\.[0-9]+)?")  # prices, factors (hashed)
_QUANTITY_RE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")  # shortest form
_USD_RE = re.compile(r"(0|[1-9][0-9]{0,15})\.[0-9]{2}")
_UNITS_RE = re.compile(r"0|[1-9][0-9]{0,19}")
_UNITS_LIST_RE = re.compile(r"(?:0|[1-9][0-9]{0,19})(?:,(?:0|[1-9][0-9]{0,19}))*")
_HEX32_RE = re.compile(r"[0-9a-f]{64}")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Valuation digits: units (20) x price (40) x factor (40) x 10**-18 spans < 200 digits.
_EXACT = Context(prec=250, traps=[InvalidOperation, Inexact, Overflow, DivisionByZero])
MAX_VALUE_USD = Decimal(10) ** 16


class AttestationError(ValueError):
    """Inputs that cannot form an attestation, or a bundle that fails ``check``."""

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"{check}: {detail}")
        self.check = check
        self.detail = detail


@dataclass(frozen=True)
class AssetTerms:
    """One asset of the schema: code, decimals, USD price and collateral factor."""

    asset: str
    decimals: int
    price_usd: Decimal
    collateral_factor: Decimal


def schema_text(terms: Sequence[AssetTerms]) -> str:
    """``asset,decimals,price_usd,collateral_factor`` per asset, joined by ``;``."""
    return ";".join(
        f"{t.asset},{t.decimals},{t.price_usd:f},{t.collateral_factor:f}" for t in terms
    )


def bundle_schema(terms: Sequence[AssetTerms]) -> LaneSchema:
    """The tree's lanes (quantities, locked, value) under the id that hashes the terms."""
    assets = [t.asset for t in terms]
    lanes = (*assets, *(f"{a}.locked" for a in assets), "value")
    schema_id = hashlib.sha256(SCHEMA_TAG + schema_text(terms).encode("ascii")).digest()
    return LaneSchema(lanes, schema_id)


@dataclass(frozen=True)
class ClientHoldings:
    """One client's held quantities (locked shares included) and the locked part of each."""

    client_id: str
    quantities: Mapping[str, Decimal]
    locked: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientFigures:
    """One client's leaf: salt, quantities and locked (base units), value and proof."""

    client_id: str
    salt: bytes
    quantities: tuple[int, ...]  # base units, schema order
    locked: tuple[int, ...]  # base units, schema order; locked[j] <= quantities[j]
    collateral_value_usd: Decimal
    proof: SumProof  # commitment and lanes included

    @property
    def lanes(self) -> tuple[int, ...]:
        return lanes_of(self.quantities, self.locked, self.collateral_value_usd)


def lanes_of(
    quantities: Sequence[int], locked: Sequence[int], value_usd: Decimal
) -> tuple[int, ...]:
    """The sum vector of a leaf: quantities, then locked, then the value in cents."""
    return (*quantities, *locked, to_base_units(value_usd, USD_SCALE))


@dataclass(frozen=True)
class Attestation:
    """A built or verified attestation: the statement to sign and every figure behind it."""

    statement: AttestationStatement
    terms: tuple[AssetTerms, ...]
    totals: tuple[int, ...]  # the root's sums: quantities, locked, value in cents
    clients: tuple[ClientFigures, ...]  # leaf order

    @property
    def schema(self) -> LaneSchema:
        return bundle_schema(self.terms)

    @property
    def text(self) -> str:
        """The exact statement text the officer signs."""
        return self.statement.render()

    @property
    def doc_id(self) -> str:
        return doc_id_for(self.statement.seq)

    def figures_for(self, client_id: str) -> ClientFigures:
        for figures in self.clients:
            if figures.client_id == client_id:
                return figures
        raise KeyError(client_id)

    def to_body(self, signer_key_ids: Sequence[str]) -> dict[str, Any]:
        """The bundle body, JSON-ready (the only writer of it; section 3.4 of the spec)."""
        s = self.statement
        k = len(self.terms)
        return {
            "id": self.doc_id,
            "custodian_id": s.custodian,
            "exchange_id": s.exchange,
            "env": s.env.value,
            "sequence": s.seq,
            "as_of": _utc_text(s.as_of),
            "expires_at": _utc_text(s.expires_at),
            "root": s.root.hex(),
            "assets": [
                {"asset": t.asset, "decimals": t.decimals, "price_usd": f"{t.price_usd:f}",
                 "collateral_factor": f"{t.collateral_factor:f}"}
                for t in self.terms
            ],
            "totals": {
                t.asset: {"quantity": str(self.totals[j]), "locked": str(self.totals[k + j])}
                for j, t in enumerate(self.terms)
            },
            "client_count": s.client_count,
            "total_collateral_usd": f"{s.collateral_value_usd:.2f}",
            "signer_key_ids": list(signer_key_ids),
            "clients": [_client_body(self.terms, c) for c in self.clients],
        }


def _client_body(terms: Sequence[AssetTerms], c: ClientFigures) -> dict[str, Any]:
    return {
        "client_id": c.client_id,
        "salt": c.salt.hex(),
        "collateral_value_usd": f"{c.collateral_value_usd:.2f}",
        "positions": [
            {"asset": t.asset, "quantity": quantity_text(q, t.decimals),
             "locked_quantity": quantity_text(lk, t.decimals)}
            for t, q, lk in zip(terms, c.quantities, c.locked, strict=True) if q
        ],
        "proof": {
            "index": c.proof.index,
            "size": c.proof.size,
            "siblings": [
                {"sums": [str(v) for v in sib.sums], "hash": sib.hash.hex()}
                for sib in c.proof.siblings
            ],
        },
    }


def doc_id_for(sequence: int) -> str:
    """``body.id`` of attestation ``sequence``: ``att-<sequence>``."""
    return f"att-{sequence}"


def quantity_text(units: int, decimals: int) -> str:
    """The canonical (shortest) text of ``units`` base units: ``"120.5"``, ``"0"``, ``"300"``."""
    whole, frac = divmod(units, 10**decimals)
    digits = f"{frac:0{decimals}d}".rstrip("0") if decimals else ""
    return f"{whole}.{digits}" if digits else str(whole)


def _utc_text(moment: datetime) -> str:
    return moment.strftime(_TIME_FORMAT)


def random_salt(client_id: str) -> bytes:
    """A fresh 32-byte salt (the default): commitments are unlinkable across attestations."""
    return secrets.token_bytes(ms.SALT_SIZE)


# ------------------------------------------------------------------ building


def _check_terms(terms: Sequence[AssetTerms], check: str = CHECK_ASSETS) -> None:
    if not terms:
        raise AttestationError(check, "an attestation needs at least one asset")
    codes = [t.asset for t in terms]
    if codes != sorted(set(codes)):
        raise AttestationError(check, "asset codes must be unique and in ascending order")
    for t in terms:
        if not isinstance(t.asset, str) or not _ASSET_RE.fullmatch(t.asset):
            raise AttestationError(check, f"asset code {t.asset!r} must match [A-Z0-9]{{1,12}}")
        dec = t.decimals
        if isinstance(dec, bool) or not isinstance(dec, int) or not 0 <= dec <= MAX_DECIMALS:
            raise AttestationError(check, f"{t.asset}: decimals must be 0..{MAX_DECIMALS}")
        for what, value in (("price", t.price_usd), ("collateral factor", t.collateral_factor)):
            if not isinstance(value, Decimal) or not value.is_finite() or value.is_signed():
                raise AttestationError(check, f"{t.asset}: {what} must be a finite Decimal >= 0")
        if t.collateral_factor > 1:
            raise AttestationError(check, f"{t.asset}: collateral factor above 1")


def _units(quantity: object, t: AssetTerms, where: str) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, Decimal):
        raise AttestationError(CHECK_POSITIONS, f"{where}: quantity must be a Decimal, "
                               f"not {type(quantity).__name__}")
    try:
        units = ms.check_amount(to_base_units(quantity, t.decimals), where)
    except (MoneyError, MerkleError) as exc:
        raise AttestationError(CHECK_POSITIONS, f"{where}: {exc}") from None
    if from_base_units(units, t.decimals) != quantity:  # never a rounded quantity
        raise AttestationError(CHECK_POSITIONS, f"{where}: {quantity} is not a whole number "
                               f"of base units at {t.decimals} decimals")
    return units


def client_collateral_value(
    terms: Sequence[AssetTerms], quantities: Sequence[int], locked: Sequence[int]
) -> Decimal:
    """ROUND_DOWN to cents of sum((quantity - locked) x price x factor), exact before rounding.

    Exact: the products and the sum are computed with enough digits for any
    bundle the grammar admits (``Inexact`` is trapped, so a rounding can never
    pass silently). A value of 10**16 USD or more does not fit the USD text and
    is refused.
    """
    with localcontext(_EXACT):
        total = Decimal(0)
        for t, q, lk in zip(terms, quantities, locked, strict=True):
            if q - lk:
                total += (q - lk) * t.price_usd * t.collateral_factor * Decimal(1).scaleb(
                    -t.decimals)
    if total >= MAX_VALUE_USD:
        raise AttestationError(CHECK_VALUES, f"a collateral value of {total:.2f} USD does not "
                               "fit (at most 16 digits before the point)")
    return usd_down(total)


def build_attestation(
    *,
    custodian: str,
    exchange: str,
    env: Environment,
    seq: int,
    as_of: datetime,
    expires_at: datetime,
    holdings: Sequence[ClientHoldings],
    decimals: Mapping[str, int],
    prices: Mapping[str, Decimal],
    factors: Mapping[str, Decimal],
    salt_for: Callable[[str], bytes] = random_salt,
    maker_signs: bool = False,
) -> Attestation:
    """Build the tree, proofs, figures and statement for ``holdings`` as of ``as_of``.

    ``maker_signs``: a format-3 statement (``CDESK-ATTEST/3``), which the maker
    signs too; else format 2 (the checker's signature only).

    The schema is every asset some client holds a non-zero quantity of,
    ascending; zero positions are left out. Leaves are ordered by commitment.
    """
    if not holdings:
        raise AttestationError(CHECK_CLIENT_COUNT, "an attestation covers at least one client")
    ids = [h.client_id for h in holdings]
    if len(set(ids)) != len(ids):
        raise AttestationError(CHECK_CLIENT_IDS, "a client appears twice")
    assets = sorted({a for h in holdings for a, q in h.quantities.items() if q != 0})
    if not assets:
        raise AttestationError(CHECK_ASSETS, "no positions to attest")
    for h in holdings:
        unknown = {a for a, q in h.locked.items() if q != 0} - set(assets)
        if unknown:
            raise AttestationError(CHECK_POSITIONS, f"client {h.client_id}: locked quantity of "
                                   f"{sorted(unknown)} without a holding")
    missing = [a for a in assets if a not in decimals or a not in prices or a not in factors]
    if missing:
        raise AttestationError(CHECK_ASSETS, f"asset(s) {missing}: decimals, price and "
                               "collateral factor needed")
    terms = tuple(AssetTerms(a, decimals[a], prices[a], factors[a]) for a in assets)
    _check_terms(terms)
    schema = bundle_schema(terms)
    rows = []
    for h in holdings:
        if not isinstance(h.client_id, str) or not CLIENT_ID_PATTERN.fullmatch(h.client_id):
            raise AttestationError(CHECK_FIELDS, f"{h.client_id!r} is not a client id")
        salt = salt_for(h.client_id)
        try:
            commitment = ms.client_commitment(h.client_id, salt)
        except MerkleError as exc:
            raise AttestationError(CHECK_FIELDS, f"client {h.client_id!r}: {exc}") from None
        qty = tuple(_units(h.quantities.get(t.asset, Decimal(0)), t, f"client {h.client_id} "
                           f"{t.asset}") for t in terms)
        lck = tuple(_units(h.locked.get(t.asset, Decimal(0)), t, f"client {h.client_id} "
                           f"{t.asset} locked") for t in terms)
        for t, q, lk in zip(terms, qty, lck, strict=True):
            if lk > q:
                raise AttestationError(CHECK_POSITIONS, f"client {h.client_id} {t.asset}: "
                                       "locked quantity above the quantity held")
        value = client_collateral_value(terms, qty, lck)
        rows.append((commitment, h.client_id, salt, qty, lck, value))
    rows.sort(key=lambda r: r[0])
    leaves = [SumLeaf(c, lanes_of(q, lk, v)) for c, _, _, q, lk, v in rows]
    try:
        tree = ms.MerkleSumTree(schema, leaves)
    except MerkleError as exc:
        raise AttestationError(CHECK_TOTALS, str(exc)) from None
    clients = tuple(
        ClientFigures(cid, salt, q, lk, v, proof)
        for (_, cid, salt, q, lk, v), proof in zip(rows, tree.iter_proofs(leaves), strict=True)
    )
    total_value = sum((c.collateral_value_usd for c in clients), Decimal("0.00"))
    try:
        kind = MakerCheckerAttestationStatement if maker_signs else AttestationStatement
        statement = kind(
            custodian=custodian, exchange=exchange, env=env, seq=seq, as_of=as_of,
            expires_at=expires_at, client_count=len(clients),
            collateral_value_usd=total_value, root=tree.root,
        )
    except StatementError as exc:
        raise AttestationError(CHECK_STATEMENT, str(exc)) from None
    log.info("attestation seq=%s prepared over %d clients", seq, len(clients))
    return Attestation(statement, terms, tree.totals, clients)


# ------------------------------------------------------------------ verifying


@dataclass(frozen=True)
class Passed:
    """One check that passed, with what it established."""

    check: str
    detail: str


def _fail(check: str, detail: str) -> AttestationError:
    return AttestationError(check, detail)


def _keys(obj: object, expected: frozenset[str], where: str) -> dict[str, Any]:
    if type(obj) is dict and obj.keys() == expected:  # the common case, in C
        return obj
    if not isinstance(obj, dict):
        raise _fail(CHECK_FIELDS, f"{where} must be an object")
    extra = sorted(set(obj) - expected)
    if extra:
        raise _fail(CHECK_FIELDS, f"{where}: unknown key(s) {extra}")
    missing = sorted(expected - set(obj))
    if missing:
        raise _fail(CHECK_FIELDS, f"{where}: missing key(s) {missing}")
    return obj


def _typed(obj: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = obj[key]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise _fail(CHECK_FIELDS, f"{where}.{key} must be a {kind.__name__}")
    return value


def _text(obj: Mapping[str, Any], key: str, regex: re.Pattern[str], where: str,
          what: str) -> str:
    value = obj[key]
    if not isinstance(value, str) or not regex.fullmatch(value):
        raise _fail(CHECK_FIELDS, f"{where}.{key} {value!r} is not {what}")
    return value


def _base_units(value: object, where: str) -> int:
    if not isinstance(value, str) or not _UNITS_RE.fullmatch(value) or int(value) > ms.MAX_AMOUNT:
        raise _fail(CHECK_FIELDS, f"{where} {value!r} is not a base-unit integer in 0..2**64-1")
    return int(value)


@dataclass(frozen=True)
class _RawClient:
    client_id: str
    salt: bytes
    value: Decimal
    value_text: str
    positions: tuple[tuple[str, str, str], ...]  # (asset, quantity text, locked text)
    index: int
    size: int
    siblings: tuple[tuple[tuple[str, ...], str], ...]  # (sums, hash) as the bundle has them

    def proof(self, commitment: bytes, lanes: tuple[int, ...]) -> SumProof:
        siblings = tuple(SumSibling(tuple(map(int, sums)), bytes.fromhex(h))
                         for sums, h in self.siblings)
        return SumProof(self.index, self.size, commitment, lanes, siblings)


def _sibling_texts(proof: SumProof) -> tuple[tuple[tuple[str, ...], str], ...]:
    return tuple((tuple(map(str, s.sums)), s.hash.hex()) for s in proof.siblings)


def _parse_client(entry: object, i: int, lanes: int) -> _RawClient:
    where = f"body.clients[{i}]"
    entry = _keys(entry, CLIENT_KEYS, where)
    client_id = _typed(entry, "client_id", str, where)
    if not CLIENT_ID_PATTERN.fullmatch(client_id):
        raise _fail(CHECK_FIELDS, f"{where}.client_id {client_id!r} is not a client id")
    salt = bytes.fromhex(_text(entry, "salt", _HEX32_RE, where, "32 bytes of lowercase hex"))
    value_text = _text(entry, "collateral_value_usd", _USD_RE, where, "a USD amount (2 places)")
    positions = []
    for j, raw_pos in enumerate(_typed(entry, "positions", list, where)):
        pw = f"{where}.positions[{j}]"
        pos = _keys(raw_pos, POSITION_KEYS, pw)
        positions.append((
            _text(pos, "asset", _ASSET_RE, pw, "an asset code"),
            _text(pos, "quantity", _QUANTITY_RE, pw, "a quantity in shortest form"),
            _text(pos, "locked_quantity", _QUANTITY_RE, pw, "a quantity in shortest form"),
        ))
    proof = _keys(entry["proof"], PROOF_KEYS, f"{where}.proof")
    index = _typed(proof, "index", int, f"{where}.proof")
    size = _typed(proof, "size", int, f"{where}.proof")
    siblings = []
    for j, raw_sib in enumerate(_typed(proof, "siblings", list, f"{where}.proof")):
        sw = f"{where}.proof.siblings[{j}]"
        sib = _keys(raw_sib, SIBLING_KEYS, sw)
        sums = _typed(sib, "sums", list, sw)
        if len(sums) != lanes:
            raise _fail(CHECK_FIELDS, f"{sw}.sums has {len(sums)} values, the schema {lanes}")
        # one regex over the whole list (10,000-client bundles carry ~10^6 of these)
        if set(map(type, sums)) != {str} or not _UNITS_LIST_RE.fullmatch(",".join(sums)):
            raise _fail(CHECK_FIELDS, f"{sw}.sums are not base-unit integers in 0..2**64-1")
        if max(map(len, sums)) == 20 and max(int(v) for v in sums) > ms.MAX_AMOUNT:
            raise _fail(CHECK_FIELDS, f"{sw}.sums: a value exceeds 2**64-1")
        siblings.append((tuple(sums), _text(sib, "hash", _HEX32_RE, sw,
                                            "32 bytes of lowercase hex")))
    return _RawClient(client_id, salt, Decimal(value_text), value_text, tuple(positions),
                      index, size, tuple(siblings))


def _parse_statement(text: str) -> AttestationStatement:
    try:
        return parse_as(text, AttestationStatement)
    except RetiredStatementVersion as exc:
        raise _fail(CHECK_VERSION, str(exc)) from None
    except StatementError as exc:
        raise _fail(CHECK_STATEMENT, f"the signed text is not an attestation statement: "
                    f"{exc}") from None


def verify_bundle(
    body: object,
    *,
    statement: str,
    signature_key_ids: Sequence[str] | None,
    now: datetime | None = None,
) -> tuple[Attestation, list[Passed]]:
    """Check a bundle body against the signed ``statement``; every check of section 3.5.

    ``signature_key_ids`` are the envelope's signatures' key ids, in order (the
    signatures themselves are checked by ``app.documents``); ``None`` skips the
    ``signers`` check (an attestation not yet signed). With ``now``, also
    ``as_of <= now < expires_at``. Raises :class:`AttestationError` with the
    name of the first failing check; returns the attestation and what passed.
    """
    passed: list[Passed] = []
    signed = _parse_statement(statement)
    acts = signature_acts(signed)
    passed.append(Passed(CHECK_VERSION, f"bundle format {signed.VERSION} ({signed.tag()}: "
                         f"{', '.join(acts)})"))

    # fields: exact keys everywhere, every value in its grammar
    b = _keys(body, BODY_KEYS, "body")
    for key in ("id", "custodian_id", "exchange_id", "env", "as_of", "expires_at"):
        _typed(b, key, str, "body")
    sequence = _typed(b, "sequence", int, "body")
    client_count = _typed(b, "client_count", int, "body")
    root_text = _text(b, "root", _HEX32_RE, "body", "32 bytes of lowercase hex")
    total_text = _text(b, "total_collateral_usd", _USD_RE, "body", "a USD amount (2 places)")
    signer_ids = _typed(b, "signer_key_ids", list, "body")
    if not all(isinstance(k, str) for k in signer_ids):
        raise _fail(CHECK_FIELDS, "body.signer_key_ids must be strings")
    terms_list = []
    for j, raw_row in enumerate(_typed(b, "assets", list, "body")):
        aw = f"body.assets[{j}]"
        row = _keys(raw_row, ASSET_KEYS, aw)
        terms_list.append(AssetTerms(
            _text(row, "asset", _ASSET_RE, aw, "an asset code"),
            _typed(row, "decimals", int, aw),
            Decimal(_text(row, "price_usd", _DECIMAL_RE, aw, "a plain decimal")),
            Decimal(_text(row, "collateral_factor", _DECIMAL_RE, aw, "a plain decimal")),
        ))
    terms = tuple(terms_list)
    if not terms:
        raise _fail(CHECK_FIELDS, "body.assets is empty")
    k = len(terms)
    raw_totals = _keys(_typed(b, "totals", dict, "body"), frozenset(t.asset for t in terms),
                       "body.totals")
    claimed_q, claimed_l = [], []
    for t in terms:
        tw = f"body.totals.{t.asset}"
        row = _keys(raw_totals[t.asset], TOTAL_KEYS, tw)
        claimed_q.append(_base_units(row["quantity"], f"{tw}.quantity"))
        claimed_l.append(_base_units(row["locked"], f"{tw}.locked"))
    raw_clients = [
        _parse_client(e, i, 2 * k + 1) for i, e in enumerate(_typed(b, "clients", list, "body"))
    ]
    passed.append(Passed(CHECK_FIELDS, "every key known, every value in its grammar"))

    # statement: the body's own fields render the signed text byte for byte
    try:
        rebuilt = type(signed)(
            custodian=b["custodian_id"], exchange=b["exchange_id"], env=Environment(b["env"]),
            seq=sequence, as_of=_parse_time(b["as_of"]), expires_at=_parse_time(b["expires_at"]),
            client_count=client_count, collateral_value_usd=Decimal(total_text),
            root=bytes.fromhex(root_text),
        ).render()
    except (StatementError, ValueError) as exc:
        raise _fail(CHECK_STATEMENT, f"the body cannot form a statement: {exc}") from None
    if rebuilt != statement:
        raise _fail(CHECK_STATEMENT, "the body differs from the signed statement")
    passed.append(Passed(CHECK_STATEMENT, "the body rebuilds the signed text byte for byte"))

    if b["id"] != doc_id_for(sequence):
        raise _fail(CHECK_ID, f"body.id is {b['id']!r}, attestation {sequence} is "
                    f"{doc_id_for(sequence)!r}")
    passed.append(Passed(CHECK_ID, doc_id_for(sequence)))

    _check_terms(terms)
    schema = bundle_schema(terms)
    passed.append(Passed(CHECK_ASSETS, schema_text(terms)))

    n = signed.client_count
    if len(raw_clients) != n:
        raise _fail(CHECK_CLIENT_COUNT, f"the statement says {n} clients, the bundle lists "
                    f"{len(raw_clients)}")
    passed.append(Passed(CHECK_CLIENT_COUNT, f"{n} clients"))

    seen: set[str] = set()
    for c in raw_clients:
        if c.client_id in seen:
            raise _fail(CHECK_CLIENT_IDS, f"client {c.client_id} appears twice")
        seen.add(c.client_id)
    passed.append(Passed(CHECK_CLIENT_IDS, "every client id once"))

    by_code = {t.asset: j for j, t in enumerate(terms)}
    figures_q: list[tuple[int, ...]] = []
    figures_l: list[tuple[int, ...]] = []
    for c in raw_clients:
        held, locked = [0] * k, [0] * k
        last = -1
        for asset, q_text, l_text in c.positions:
            where = f"client {c.client_id} {asset}"
            j = by_code.get(asset, -1)
            if j < 0:
                raise _fail(CHECK_POSITIONS, f"{where}: not in the asset schema")
            if j <= last:
                raise _fail(CHECK_POSITIONS, f"client {c.client_id}: positions must follow the "
                            "schema order, each asset once")
            last = j
            held[j] = _units(Decimal(q_text), terms[j], where)
            locked[j] = _units(Decimal(l_text), terms[j], f"{where} locked")
            if held[j] == 0:
                raise _fail(CHECK_POSITIONS, f"{where}: a zero position is not listed")
            if locked[j] > held[j]:
                raise _fail(CHECK_POSITIONS, f"{where}: locked quantity above the quantity")
        figures_q.append(tuple(held))
        figures_l.append(tuple(locked))
    passed.append(Passed(CHECK_POSITIONS, "in schema order, non-zero, locked within held, "
                         "within each asset's decimals"))

    for c, qty, lck in zip(raw_clients, figures_q, figures_l, strict=True):
        expected = client_collateral_value(terms, qty, lck)
        if c.value != expected:
            raise _fail(CHECK_VALUES, f"client {c.client_id}: collateral value {c.value_text} "
                        f"does not follow from its positions ({expected:.2f})")
    passed.append(Passed(CHECK_VALUES, "each client's value = round_down(sum((quantity - "
                         "locked) x price x factor))"))

    commitments = []
    for i, c in enumerate(raw_clients):
        if c.index != i:
            raise _fail(CHECK_LEAF_ORDER, f"client {c.client_id} is listed at {i} with a proof "
                        f"for leaf {c.index}")
        commitments.append(ms.client_commitment(c.client_id, c.salt))
        if i and commitments[i - 1] >= commitments[i]:
            raise _fail(CHECK_LEAF_ORDER, f"client {c.client_id}: leaves are not in ascending "
                        "commitment order")
    passed.append(Passed(CHECK_LEAF_ORDER, f"clients[i] is leaf i for i in 0..{n - 1}, "
                         "commitments ascending"))

    for c in raw_clients:
        if c.size != n:
            raise _fail(CHECK_PROOF_SIZE, f"client {c.client_id}: proof for {c.size} leaves, "
                        f"the statement says {n}")
    passed.append(Passed(CHECK_PROOF_SIZE, f"every proof is for {n} leaves"))

    claimed = (*claimed_q, *claimed_l, to_base_units(signed.collateral_value_usd, USD_SCALE))
    lanes = [lanes_of(q, lk, c.value) for c, q, lk in zip(raw_clients, figures_q, figures_l,
                                                           strict=True)]
    proofs = _checked_proofs(schema, raw_clients, commitments, lanes, root=signed.root,
                             claimed=claimed)
    figures = [
        ClientFigures(c.client_id, c.salt, q, lk, c.value, proof)
        for c, q, lk, proof in zip(raw_clients, figures_q, figures_l, proofs, strict=True)
    ]
    passed.append(Passed(CHECK_PROOFS, f"all {n} inclusion proofs lead to the signed root"))

    sums = tuple(sum(lanes) for lanes in zip(*(f.lanes for f in figures), strict=True))
    if sums[: 2 * k] != claimed[: 2 * k]:
        raise _fail(CHECK_TOTALS, "body.totals are not the sums of the clients' quantities "
                    "and locked quantities")
    passed.append(Passed(CHECK_TOTALS, "quantities and locked quantities add up"))

    total_value = sum((f.collateral_value_usd for f in figures), Decimal("0.00"))
    if total_value != signed.collateral_value_usd:
        raise _fail(CHECK_TOTAL_VALUE, f"clients add up to {total_value:.2f} USD, the statement "
                    f"says {signed.collateral_value_usd:.2f}")
    passed.append(Passed(CHECK_TOTAL_VALUE, f"clients add up to {total_value:.2f} USD"))

    if signature_key_ids is not None:
        _check_signers(signer_ids, signature_key_ids, acts, signed.VERSION)
        passed.append(Passed(CHECK_SIGNERS, ", ".join(
            f"{act} {key}" for act, key in zip(acts, signer_ids, strict=True))))

    if now is not None:
        if now < signed.as_of:
            raise _fail(CHECK_TIME, "the statement is dated in the future")
        if signed.is_expired(now):
            raise _fail(CHECK_TIME, f"the statement expired at {_utc_text(signed.expires_at)}")
        passed.append(Passed(CHECK_TIME, "in force"))
    att = Attestation(signed, terms, claimed, tuple(figures))
    return att, passed


def _checked_proofs(
    schema: LaneSchema,
    clients: Sequence[_RawClient],
    commitments: Sequence[bytes],
    lanes: Sequence[tuple[int, ...]],
    *,
    root: bytes,
    claimed: tuple[int, ...],
) -> list[SumProof]:
    """Every proof verifies (section 2.5) to ``root`` and ``claimed``; the proofs, decoded.

    The bundle lists every leaf, so the tree is built once from them: when its root
    and totals are the signed ones, each client's proof must be that tree's proof
    of its leaf (the audit path of a leaf is unique). Any difference, and any
    other tree, is walked proof by proof (:func:`merkle_sum.verify_proof`) to name
    the first client whose proof does not lead to the root.
    """
    leaves = [SumLeaf(cm, ln) for cm, ln in zip(commitments, lanes, strict=True)]
    try:
        tree: ms.MerkleSumTree | None = ms.MerkleSumTree(schema, leaves)
    except MerkleError:
        tree = None  # a lane's total does not fit: some proof fails below
    if tree is not None and tree.root == root and tree.totals == claimed:
        built = list(tree.iter_proofs(leaves))
        for c, proof in zip(clients, built, strict=True):
            if c.siblings != _sibling_texts(proof):
                break
        else:
            return built
    for c, commitment, ln in zip(clients, commitments, lanes, strict=True):
        try:
            ms.verify_proof(schema, c.proof(commitment, ln), root, claimed)
        except MerkleError as exc:
            raise _fail(CHECK_PROOFS, f"client {c.client_id}: {exc}") from None
    raise _fail(CHECK_PROOFS, "the listed clients' leaves do not form the signed tree")


def _check_signers(
    signer_ids: Sequence[str],
    signature_key_ids: Sequence[str],
    acts: Sequence[str],
    version: int,
) -> None:
    if list(signer_ids) != list(signature_key_ids):
        raise _fail(CHECK_SIGNERS, f"body.signer_key_ids {list(signer_ids)} are not the "
                    f"signatures' key ids {list(signature_key_ids)} in order")
    if len(signer_ids) != len(acts):
        raise _fail(CHECK_SIGNERS, f"a format {version} bundle carries {len(acts)} "
                    f"signature(s) ({', '.join(acts)}), this one {len(signer_ids)}")
    if len(set(signer_ids)) != len(signer_ids):
        raise _fail(CHECK_SIGNERS, "a key signs twice (the maker's key cannot approve)")


def _parse_time(text: str) -> datetime:
    parsed = datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    if parsed.strftime(_TIME_FORMAT) != text:  # strptime matches "z" for "Z", "7" for "07"
        raise ValueError(f"{text!r} is not YYYY-MM-DDTHH:MM:SSZ")
    return parsed


def verify_attestation(att: Attestation, *, now: datetime | None = None) -> list[Passed]:
    """:func:`verify_bundle` over ``att``'s own (unsigned) body: what the desk checks
    before it stores a prepared attestation."""
    _, passed = verify_bundle(att.to_body([]), statement=att.text, signature_key_ids=None, now=now)
    return passed
