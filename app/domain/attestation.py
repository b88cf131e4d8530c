"""An attestation: clients' positions as of a time, committed in a Merkle-sum tree.

:func:`build_attestation` turns holdings (Decimal quantities) into integer base
units, builds the Merkle-sum tree (``app.domain.merkle_sum``) over salted client
commitments, values each client (quantity x price x collateral factor, rounded
down to the cent per client, as ``app.domain.valuation`` does) and renders the
statement the officer signs (``app.domain.statement``). The statement's total
collateral value is the sum of the per-client values.

:func:`verify_attestation` checks a whole bundle: statement <-> root <-> every
proof <-> totals <-> figures; :func:`verify_client` checks one client's figures
against a signed statement, which is what an exchange does for a single account.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.domain import merkle_sum as ms
from app.domain.merkle_sum import AssetSchema, SumLeaf, SumProof
from app.domain.money import MoneyError, from_base_units, money_context, to_base_units, usd_down
from app.domain.rfc6962 import MerkleError
from app.domain.statement import (
    AttestationStatement,
    Environment,
    StatementError,
    parse_as,
)

log = logging.getLogger(__name__)

MAX_DECIMALS = 18


class AttestationError(ValueError):
    """Inputs that cannot form an attestation, or a bundle that does not verify."""


@dataclass(frozen=True)
class AssetTerms:
    """What the attestation needs to know about one asset, in schema order."""

    asset: str
    decimals: int
    price_usd: Decimal
    collateral_factor: Decimal


@dataclass(frozen=True)
class ClientHoldings:
    """One client's quantities that count as collateral (locked shares excluded)."""

    client_id: str
    quantities: Mapping[str, Decimal]


@dataclass(frozen=True)
class ClientFigures:
    """One client's line in an attestation: its salt, amounts, value and proof."""

    client_id: str
    salt: bytes
    amounts: tuple[int, ...]  # base units, schema order
    collateral_value_usd: Decimal
    proof: SumProof


@dataclass(frozen=True)
class Attestation:
    """A prepared attestation: statement text to sign plus everything to verify it."""

    statement: AttestationStatement
    terms: tuple[AssetTerms, ...]
    totals: tuple[int, ...]
    clients: tuple[ClientFigures, ...]  # leaf order

    @property
    def schema(self) -> AssetSchema:
        return AssetSchema(tuple(t.asset for t in self.terms))

    @property
    def text(self) -> str:
        """The exact statement text the officer signs."""
        return self.statement.render()

    def figures_for(self, client_id: str) -> ClientFigures:
        for figures in self.clients:
            if figures.client_id == client_id:
                return figures
        raise KeyError(client_id)

    def to_body(self) -> dict[str, Any]:
        """JSON-ready bundle body (decimal strings, lowercase hex, UTC ``...Z``)."""
        s = self.statement
        return {
            "custodian_id": s.custodian,
            "exchange_id": s.exchange,
            "env": s.env.value,
            "sequence": s.seq,
            "as_of": _utc_text(s.as_of),
            "expires_at": _utc_text(s.expires_at),
            "root": s.root.hex(),
            "assets": [
                {"asset": t.asset, "decimals": t.decimals, "price_usd": _dec(t.price_usd),
                 "collateral_factor": _dec(t.collateral_factor)}
                for t in self.terms
            ],
            "totals": {t.asset: str(v) for t, v in zip(self.terms, self.totals, strict=True)},
            "client_count": s.client_count,
            "total_collateral_usd": _dec(s.collateral_value_usd),
            "statement": s.render(),
            "clients": [
                {
                    "client_id": c.client_id,
                    "salt": c.salt.hex(),
                    "collateral_value_usd": _dec(c.collateral_value_usd),
                    "positions": [
                        {"asset": t.asset, "quantity": _dec(from_base_units(a, t.decimals))}
                        for t, a in zip(self.terms, c.amounts, strict=True) if a
                    ],
                    "proof": c.proof.to_dict(),
                }
                for c in self.clients
            ],
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> Attestation:
        """Inverse of :meth:`to_body`; raises :class:`AttestationError` on malformed input.

        Only the structure is checked here; call :func:`verify_attestation` next.
        """
        try:
            statement = parse_as(body["statement"], AttestationStatement)
            terms = tuple(
                AssetTerms(
                    _str(row["asset"]), _int(row["decimals"]), _decimal(row["price_usd"]),
                    _decimal(row["collateral_factor"]),
                )
                for row in body["assets"]
            )
            schema = AssetSchema(tuple(t.asset for t in terms))
            totals = tuple(_units(body["totals"][a]) for a in schema.assets)
            clients = []
            for entry in body["clients"]:
                held: dict[str, Decimal] = {}
                for pos in entry["positions"]:
                    asset = _str(pos["asset"])
                    if asset in held:
                        raise AttestationError(f"asset {asset} listed twice")
                    held[asset] = _decimal(pos["quantity"])
                amounts = _amounts(schema, terms, held, _str(entry["client_id"]))
                clients.append(ClientFigures(
                    client_id=_str(entry["client_id"]),
                    salt=_hex(entry["salt"], ms.SALT_SIZE),
                    amounts=amounts,
                    collateral_value_usd=_decimal(entry["collateral_value_usd"]),
                    proof=SumProof.from_dict(entry["proof"]),
                ))
        except (KeyError, TypeError, StatementError, MerkleError) as exc:
            raise AttestationError(f"malformed attestation body: {exc}") from None
        if body.get("root") != statement.root.hex():
            raise AttestationError("body root differs from the statement")
        return cls(statement, terms, totals, tuple(clients))


def _utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _dec(value: Decimal) -> str:
    return f"{value:f}"


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise AttestationError(f"expected a string, got {type(value).__name__}")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AttestationError(f"expected an integer, got {type(value).__name__}")
    return value


_DECIMAL_RE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")


def _decimal(value: object) -> Decimal:
    if not isinstance(value, str) or not _DECIMAL_RE.fullmatch(value):
        raise AttestationError(f"{value!r} is not a plain non-negative decimal string")
    return Decimal(value)


def _units(value: object) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"0|[1-9][0-9]{0,19}", value):
        raise AttestationError(f"{value!r} is not a base-unit integer string")
    return int(value)


def _hex(value: object, size: int) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(f"[0-9a-f]{{{2 * size}}}", value):
        raise AttestationError(f"expected {2 * size} lowercase hex digits")
    return bytes.fromhex(value)


def random_salt(client_id: str) -> bytes:
    """A fresh 32-byte salt (the default): commitments are unlinkable across attestations."""
    return secrets.token_bytes(ms.SALT_SIZE)


def _terms_for(
    assets: Sequence[str],
    decimals: Mapping[str, int],
    prices: Mapping[str, Decimal],
    factors: Mapping[str, Decimal],
) -> tuple[AssetTerms, ...]:
    terms = []
    for asset in assets:
        if asset not in decimals or asset not in prices or asset not in factors:
            raise AttestationError(f"asset {asset}: decimals, price and collateral factor needed")
        dec, price, factor = decimals[asset], prices[asset], factors[asset]
        if isinstance(dec, bool) or not isinstance(dec, int) or not 0 <= dec <= MAX_DECIMALS:
            raise AttestationError(f"asset {asset}: decimals must be an int in 0..{MAX_DECIMALS}")
        for what, value in (("price", price), ("collateral factor", factor)):
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise AttestationError(f"asset {asset}: {what} must be a finite Decimal >= 0")
        if factor > 1:
            raise AttestationError(f"asset {asset}: collateral factor above 1")
        terms.append(AssetTerms(asset, dec, price, factor))
    return tuple(terms)


def _amounts(
    schema: AssetSchema, terms: Sequence[AssetTerms], quantities: Mapping[str, Decimal],
    client_id: str,
) -> tuple[int, ...]:
    unknown = set(quantities) - set(schema.assets)
    if unknown:
        raise AttestationError(f"client {client_id}: unknown asset(s) {sorted(unknown)}")
    out = []
    for t in terms:
        quantity = quantities.get(t.asset, Decimal(0))
        where = f"client {client_id} {t.asset}"
        if isinstance(quantity, bool) or not isinstance(quantity, Decimal):
            raise AttestationError(f"{where}: quantity must be a Decimal, "
                                   f"not {type(quantity).__name__}")
        try:
            units = to_base_units(quantity, t.decimals)
        except MoneyError as exc:
            raise AttestationError(f"{where}: {exc}") from None
        try:
            out.append(ms.check_amount(units, where))
        except ms.AmountError as exc:
            raise AttestationError(str(exc)) from None
    return tuple(out)


def client_collateral_value(terms: Sequence[AssetTerms], amounts: Sequence[int]) -> Decimal:
    """Sum of quantity x price x factor over the client's assets, rounded down to the cent."""
    return _collateral_values(terms, [amounts])[0]


def _collateral_values(
    terms: Sequence[AssetTerms], rows: Sequence[Sequence[int]]
) -> list[Decimal]:
    # One decimal context for all clients; per asset, the value of one base unit
    # (price x factor / 10**decimals) is exact, so units x unit value is too.
    with money_context():
        unit_values = [
            t.price_usd * t.collateral_factor * from_base_units(1, t.decimals) for t in terms
        ]
        out = []
        for amounts in rows:
            total = Decimal(0)
            for units, unit_value in zip(amounts, unit_values, strict=True):
                if units:
                    total += units * unit_value
            out.append(usd_down(total))
        return out


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
) -> Attestation:
    """Build the tree, proofs, figures and statement for ``holdings`` as of ``as_of``.

    The schema is every asset any client holds, in ascending order. Leaves are
    ordered by commitment, so a leaf's index tells nothing about the client.
    """
    if not holdings:
        raise AttestationError("an attestation covers at least one client")
    ids = [h.client_id for h in holdings]
    if len(set(ids)) != len(ids):
        raise AttestationError("a client appears twice")
    assets = sorted({a for h in holdings for a in h.quantities})
    if not assets:
        raise AttestationError("no positions to attest")
    try:
        schema = AssetSchema(tuple(assets))
    except MerkleError as exc:
        raise AttestationError(str(exc)) from None
    terms = _terms_for(assets, decimals, prices, factors)
    rows = []
    for h in holdings:
        salt = salt_for(h.client_id)
        try:
            commitment = ms.client_commitment(h.client_id, salt)
        except MerkleError as exc:
            raise AttestationError(f"client {h.client_id!r}: {exc}") from None
        amounts = _amounts(schema, terms, h.quantities, h.client_id)
        rows.append((commitment, h.client_id, salt, amounts))
    rows.sort()
    leaves = [SumLeaf(c, a) for c, _, _, a in rows]
    try:
        tree = ms.MerkleSumTree(schema, leaves)
    except MerkleError as exc:
        raise AttestationError(str(exc)) from None
    values = _collateral_values(terms, [amounts for *_, amounts in rows])
    clients = tuple(
        ClientFigures(cid, salt, amounts, value, proof)
        for (_, cid, salt, amounts), value, proof in zip(
            rows, values, tree.iter_proofs(leaves), strict=True
        )
    )
    total_value = sum((c.collateral_value_usd for c in clients), Decimal("0.00"))
    try:
        statement = AttestationStatement(
            custodian=custodian, exchange=exchange, env=env, seq=seq, as_of=as_of,
            expires_at=expires_at, client_count=len(clients),
            collateral_value_usd=total_value, root=tree.root,
        )
    except StatementError as exc:
        raise AttestationError(str(exc)) from None
    log.info("attestation seq=%s prepared over %d clients", seq, len(clients))
    return Attestation(statement, terms, tree.totals, clients)


def verify_client(
    statement: AttestationStatement,
    terms: Sequence[AssetTerms],
    totals: Sequence[int],
    figures: ClientFigures,
) -> None:
    """Check one client's figures against a signed statement (no other client needed)."""
    schema = AssetSchema(tuple(t.asset for t in terms))
    name = figures.client_id
    proof = figures.proof
    if proof.size != statement.client_count:
        raise AttestationError(f"{name}: proof is for {proof.size} leaves, statement says "
                               f"{statement.client_count}")
    try:
        commitment = ms.client_commitment(figures.client_id, figures.salt)
    except MerkleError as exc:
        raise AttestationError(f"{name}: {exc}") from None
    if proof.commitment != commitment:
        raise AttestationError(f"{name}: commitment does not match the client id and salt")
    if proof.amounts != figures.amounts:
        raise AttestationError(f"{name}: figures differ from the amounts in the proof")
    try:
        ms.verify_proof(schema, proof, statement.root, totals)
    except MerkleError as exc:
        raise AttestationError(f"{name}: {exc}") from None
    if client_collateral_value(terms, figures.amounts) != figures.collateral_value_usd:
        raise AttestationError(f"{name}: collateral value does not follow from the amounts")


def verify_attestation(att: Attestation, *, now: datetime | None = None) -> None:
    """Check a whole bundle; raises :class:`AttestationError` naming the first failure.

    Statement <-> client count <-> every proof (commitment, amounts, path, root,
    totals) <-> totals as the sum of every client's amounts <-> each client's
    collateral value <-> the statement's total. With ``now``, also that the
    statement is in force (as-of reached, not expired).
    """
    s = att.statement
    try:
        terms = _terms_for(
            [t.asset for t in att.terms], {t.asset: t.decimals for t in att.terms},
            {t.asset: t.price_usd for t in att.terms},
            {t.asset: t.collateral_factor for t in att.terms},
        )
        schema = AssetSchema(tuple(t.asset for t in terms))
    except MerkleError as exc:
        raise AttestationError(str(exc)) from None
    if len(att.totals) != len(schema.assets):
        raise AttestationError("totals do not match the asset list")
    if len(att.clients) != s.client_count:
        raise AttestationError(f"statement says {s.client_count} clients, bundle has "
                               f"{len(att.clients)}")
    if len({c.client_id for c in att.clients}) != len(att.clients):
        raise AttestationError("a client appears twice")
    if sorted(c.proof.index for c in att.clients) != list(range(s.client_count)):
        raise AttestationError("proof indices do not cover every leaf exactly once")
    for figures in att.clients:
        verify_client(s, terms, att.totals, figures)
    sums = tuple(sum(c.amounts[j] for c in att.clients) for j in range(len(terms)))
    if sums != tuple(att.totals):
        raise AttestationError("totals are not the sum of the clients' amounts")
    total_value = sum((c.collateral_value_usd for c in att.clients), Decimal(0))
    if total_value != s.collateral_value_usd:
        raise AttestationError(f"clients add up to {total_value} USD, statement says "
                               f"{s.collateral_value_usd}")
    if now is not None:
        if now < s.as_of:
            raise AttestationError("statement is dated in the future")
        if s.is_expired(now):
            raise AttestationError(f"statement expired at {_utc_text(s.expires_at)}")
