"""Strict parser of the snapshot file: prices and client positions as of a time.

Format (documented in docs/domain.md, "Snapshot file"; extra fields are allowed
and ignored)::

    {"as_of": "2026-11-26T09:00:00Z",
     "prices": {"BENJI": "1.00", "BTC": "97000.00"},
     "clients": [{"id": "...", "name": "...", "net_assets_usd": "...",
                  "dubai_entity": true, "soc2_type2": true, "exposure_usd": "...",
                  "positions": [{"asset": "BENJI", "quantity": "80000000"}],
                  "liquidation_order": ["USDC", "BENJI"]}]}

``liquidation_order`` (the client's pre-authorised sale order) and a position's
``locked_quantity`` (shares locked by a pending redemption) are optional.

Every rejection is a :class:`SnapshotError` whose ``field`` is a JSON path such as
``clients[2].positions[0].quantity``; nothing is half-parsed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, TypeVar

from app.domain.assets import AssetCatalogue, UnknownAsset
from app.domain.money import (
    MAX_DECIMAL_STRING_LENGTH,
    USD_SCALE,
    format_decimal,
)

PRICE_MAX_DECIMALS = 8
"""Prices are USD per unit with at most 8 decimal places."""

CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""Client ids are printable ASCII so they fit attestation leaves and device screens."""

MAX_NAME_LENGTH = 200
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
"""A snapshot larger than this is refused before it is read (about 1M clients fit)."""
ROOT = "$"
# The earliest time a custody snapshot can plausibly carry (0001-01-01 is a typo,
# reported as input rather than hitting the store's time format).
MIN_YEAR = 2000
_Item = TypeVar("_Item")

_PLAIN_DECIMAL = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")


class SnapshotError(ValueError):
    """The snapshot is invalid; ``field`` is the JSON path of the offending value."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class Position(NamedTuple):
    """A holding of one asset. ``locked_quantity`` is locked by a pending redemption.

    Immutable; a named tuple (not a frozen dataclass) because a desk holds
    hundreds of thousands and builds them on every load (docs/performance.md).
    It unpacks as ``(asset, quantity, locked_quantity)``.
    """

    asset: str
    quantity: Decimal
    locked_quantity: Decimal = Decimal(0)

    @property
    def free_quantity(self) -> Decimal:
        """Quantity that may count as collateral."""
        return self.quantity - self.locked_quantity


class ClientRecord(NamedTuple):
    """One client institution as reported in a snapshot (immutable; a named tuple
    for the reason :class:`Position` is one)."""

    id: str
    name: str
    net_assets_usd: Decimal
    dubai_entity: bool
    soc2_type2: bool
    exposure_usd: Decimal
    positions: tuple[Position, ...]
    liquidation_order: tuple[str, ...] = ()

    def position(self, asset: str) -> Position | None:
        """This client's position in ``asset``, if any."""
        for item in self.positions:
            if item.asset == asset:
                return item
        return None


@dataclass(frozen=True)
class Snapshot:
    """Prices and every client's positions as of ``as_of`` (UTC, timezone-aware)."""

    as_of: datetime
    prices: Mapping[str, Decimal]
    clients: tuple[ClientRecord, ...]

    def __post_init__(self) -> None:
        if self.as_of.tzinfo is None:
            raise ValueError("Snapshot.as_of must be timezone-aware")
        # A private copy typed read-only (a plain dict so copy/asdict/pickle work).
        object.__setattr__(self, "prices", dict(self.prices))

    @cached_property
    def _index(self) -> dict[str, int]:
        return {client.id: i for i, client in enumerate(self.clients)}

    def client(self, client_id: str) -> ClientRecord:
        """The client with ``client_id``; raises KeyError."""
        return self.clients[self._index[client_id]]


# ---------------------------------------------------------------- parsing


class _JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers keys seen more than once."""

    duplicate_keys: tuple[str, ...] = ()


class _NonFinite:
    """Placeholder for NaN/Infinity so the error can name the field."""

    def __init__(self, text: str) -> None:
        self.text = text


def _duplicates(pairs: list[tuple[str, Any]]) -> tuple[str, ...]:
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _ in pairs:
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    return tuple(duplicates)


def _find_structural_problem(node: Any, path: str) -> SnapshotError | None:
    """First duplicate key or NaN/Infinity anywhere in the document, with its path."""
    if isinstance(node, _NonFinite):
        return SnapshotError(path, f"{node.text} is not allowed")
    if isinstance(node, _JsonObject):
        if node.duplicate_keys:
            key = node.duplicate_keys[0]
            return SnapshotError(_join(path, key), f"duplicate key {key!r}")
        for key, value in node.items():
            problem = _find_structural_problem(value, _join(path, key))
            if problem is not None:
                return problem
    elif isinstance(node, list):
        for index, value in enumerate(node):
            problem = _find_structural_problem(value, f"{path}[{index}]")
            if problem is not None:
                return problem
    return None


def _join(path: str, key: str) -> str:
    return key if path == ROOT else f"{path}.{key}"


def decode_json(text: str | bytes) -> Any:
    """Decode JSON strictly: duplicate keys and NaN/Infinity raise SnapshotError."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SnapshotError(ROOT, f"not UTF-8 text (byte {exc.start})") from None
    flagged = False  # walk the tree for a path only when a hook saw a problem

    def object_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
        nonlocal flagged
        result = _JsonObject(pairs)
        if len(result) != len(pairs):
            flagged = True
            result.duplicate_keys = _duplicates(pairs)
        return result

    def constant(token: str) -> _NonFinite:
        nonlocal flagged
        flagged = True
        return _NonFinite(token)

    try:
        document = json.loads(
            text,
            object_pairs_hook=object_pairs,
            parse_constant=constant,
            parse_float=Decimal,  # never a float; numbers are refused later anyway
            parse_int=Decimal,  # no digit limit to trip over: a 5000-digit number is refused
            # like any other number, naming its field
        )
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            ROOT, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SnapshotError(ROOT, f"malformed JSON: {exc}") from None
    if flagged:
        try:
            problem = _find_structural_problem(document, ROOT)
        except RecursionError:
            raise SnapshotError(ROOT, "JSON nested too deeply") from None
        if problem is not None:
            raise problem
    return document


def parse_snapshot(text: str | bytes, catalogue: AssetCatalogue) -> Snapshot:
    """Parse and validate a snapshot document; raises SnapshotError naming the field."""
    document = decode_json(text)
    return snapshot_from_document(document, catalogue)


def load_snapshot(path: Path, catalogue: AssetCatalogue) -> Snapshot:
    """Read and parse a snapshot file; an unreadable file is a SnapshotError too."""
    try:
        size = path.stat().st_size
        if size > MAX_SNAPSHOT_BYTES:
            raise SnapshotError(
                ROOT, f"{path} is {size:,} bytes; the limit is {MAX_SNAPSHOT_BYTES:,}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotError(ROOT, f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_snapshot(data, catalogue)


def snapshot_from_document(document: Any, catalogue: AssetCatalogue) -> Snapshot:
    """Validate an already decoded JSON document (see :func:`decode_json`)."""
    root = _require_object(document, ROOT)
    as_of = _parse_time(_require(root, "as_of", ROOT), "as_of")
    prices = _parse_prices(_require(root, "prices", ROOT), catalogue)
    clients = _parse_unique_array(
        _require(root, "clients", ROOT),
        "clients",
        lambda raw, path: _parse_client(raw, path, prices, catalogue),
        key=lambda client: ("id", client.id, f"duplicate client id {client.id!r}"),
    )
    if not clients:
        raise SnapshotError("clients", "empty: a snapshot lists at least one client")
    return Snapshot(as_of=as_of, prices=prices, clients=tuple(clients))


def _parse_unique_array(
    raw: Any,
    path: str,
    parse: Callable[[Any, str], _Item],
    key: Callable[[_Item], tuple[str, str, str]],
) -> list[_Item]:
    """A JSON array parsed item by item; ``key`` gives (field, value, message) for repeats."""
    if not isinstance(raw, list):
        raise SnapshotError(path, "must be a JSON array")
    items: list[_Item] = []
    seen: set[str] = set()
    for index, raw_item in enumerate(raw):
        item_path = f"{path}[{index}]"
        item = parse(raw_item, item_path)
        field, value, duplicate = key(item)
        if value in seen:
            raise SnapshotError(f"{item_path}.{field}", duplicate)
        seen.add(value)
        items.append(item)
    return items


def _parse_prices(raw: Any, catalogue: AssetCatalogue) -> dict[str, Decimal]:
    prices_obj = _require_object(raw, "prices")
    prices: dict[str, Decimal] = {}
    for symbol, value in prices_obj.items():
        path = f"prices.{symbol}"
        if symbol not in catalogue:
            raise SnapshotError(path, f"unknown asset {symbol!r}")
        price = _parse_amount(
            value, path, PRICE_MAX_DECIMALS, f"a price has at most {PRICE_MAX_DECIMALS}"
        )
        if price <= 0:
            raise SnapshotError(path, "price must be greater than 0")
        prices[symbol] = price
    return prices


def _parse_client(
    raw: Any, path: str, prices: Mapping[str, Decimal], catalogue: AssetCatalogue
) -> ClientRecord:
    obj = _require_object(raw, path)
    client_id = _require(obj, "id", path)
    if not isinstance(client_id, str) or not CLIENT_ID_PATTERN.match(client_id):
        raise SnapshotError(
            f"{path}.id", "must be 1-64 characters of A-Z a-z 0-9 . _ - (starting alphanumeric)"
        )
    name = _require(obj, "name", path)
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise SnapshotError(
            f"{path}.name", f"must be a non-empty string of <= {MAX_NAME_LENGTH} characters"
        )
    if not name.isprintable():
        raise SnapshotError(f"{path}.name", "must not contain control characters")
    usd_rule = f"USD has at most {USD_SCALE}"
    net_assets = _parse_amount(
        _require(obj, "net_assets_usd", path), f"{path}.net_assets_usd", USD_SCALE, usd_rule
    )
    exposure = _parse_amount(
        _require(obj, "exposure_usd", path), f"{path}.exposure_usd", USD_SCALE, usd_rule
    )
    dubai = _parse_bool(_require(obj, "dubai_entity", path), f"{path}.dubai_entity")
    soc2 = _parse_bool(_require(obj, "soc2_type2", path), f"{path}.soc2_type2")
    positions = _parse_unique_array(
        _require(obj, "positions", path),
        f"{path}.positions",
        lambda raw, position_path: _parse_position(raw, position_path, prices, catalogue),
        key=lambda p: ("asset", p.asset, f"duplicate position in {p.asset}"),
    )
    order = _parse_order(obj.get("liquidation_order"), f"{path}.liquidation_order", catalogue)
    return ClientRecord(
        id=client_id,
        name=name,
        net_assets_usd=net_assets,
        dubai_entity=dubai,
        soc2_type2=soc2,
        exposure_usd=exposure,
        positions=tuple(positions),
        liquidation_order=order,
    )


def _parse_position(
    raw: Any, path: str, prices: Mapping[str, Decimal], catalogue: AssetCatalogue
) -> Position:
    obj = _require_object(raw, path)
    symbol = _require(obj, "asset", path)
    if not isinstance(symbol, str):
        raise SnapshotError(f"{path}.asset", "must be an asset symbol string")
    try:
        asset = catalogue.get(symbol)
    except UnknownAsset:
        raise SnapshotError(f"{path}.asset", f"unknown asset {symbol!r}") from None
    if symbol not in prices:
        raise SnapshotError(f"{path}.asset", f"no price for {symbol} in prices")
    rule = f"{symbol} has at most {asset.decimals}"
    quantity = _parse_amount(
        _require(obj, "quantity", path), f"{path}.quantity", asset.decimals, rule
    )
    locked = Decimal(0)
    if "locked_quantity" in obj:
        locked = _parse_amount(
            obj["locked_quantity"], f"{path}.locked_quantity", asset.decimals, rule
        )
        if locked > quantity:
            raise SnapshotError(f"{path}.locked_quantity", "must not exceed quantity")
    return Position(asset=symbol, quantity=quantity, locked_quantity=locked)


def _parse_order(raw: Any, path: str, catalogue: AssetCatalogue) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SnapshotError(path, "must be a JSON array of asset symbols")
    order: list[str] = []
    for index, symbol in enumerate(raw):
        if not isinstance(symbol, str) or symbol not in catalogue:
            raise SnapshotError(f"{path}[{index}]", f"unknown asset {symbol!r}")
        if symbol in order:
            raise SnapshotError(f"{path}[{index}]", f"{symbol} listed twice")
        order.append(symbol)
    return tuple(order)


def _require_object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SnapshotError(path, "must be a JSON object")
    return value


def _require(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise SnapshotError(_join(path, key), "missing")
    return obj[key]


def _parse_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise SnapshotError(path, "must be a JSON boolean (true or false)")
    return value


def _parse_amount(value: Any, path: str, scale: int, scale_rule: str) -> Decimal:
    """A non-negative plain decimal string with at most ``scale`` places."""
    if type(value) is str and len(value) <= MAX_DECIMAL_STRING_LENGTH:
        match = _PLAIN_DECIMAL.match(value)
        if match is not None:  # fast path: the common, valid case
            fraction = match.group(2)
            places = len(fraction) - 1 if fraction else 0
            if places > scale:
                raise SnapshotError(path, f"{value!r} has {places} decimal places; {scale_rule}")
            return Decimal(value)
    _explain_bad_amount(value, path)


def _explain_bad_amount(value: Any, path: str) -> NoReturn:
    """Raise the SnapshotError that says why ``value`` is not a valid amount."""
    if isinstance(value, bool):
        raise SnapshotError(path, 'must be a decimal string like "1.00", not a boolean')
    if isinstance(value, (int, float, Decimal)):
        raise SnapshotError(path, 'must be a decimal string like "1.00", not a JSON number')
    if not isinstance(value, str):
        raise SnapshotError(path, 'must be a decimal string like "1.00"')
    if len(value) > MAX_DECIMAL_STRING_LENGTH:
        raise SnapshotError(path, f"longer than {MAX_DECIMAL_STRING_LENGTH} characters")
    if "e" in value.lower() and any(ch.isdigit() for ch in value):
        raise SnapshotError(path, f"exponent notation is not allowed: {value!r}")
    if value.startswith("-") and _PLAIN_DECIMAL.match(value[1:]):
        raise SnapshotError(path, f"must not be negative: {value!r}")
    raise SnapshotError(path, f"not a plain decimal string: {value!r}")


def _parse_time(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise SnapshotError(path, 'must be an ISO 8601 UTC time string like "2026-11-26T09:00:00Z"')
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SnapshotError(path, f"not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise SnapshotError(path, f"time has no timezone (add 'Z'): {value!r}")
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        raise SnapshotError(path, f"not a usable time: {value!r}") from None
    if moment.year < MIN_YEAR:  # (a time too far ahead is the desk clock's guard's)
        raise SnapshotError(path, f"{value!r} is before {MIN_YEAR}: not a custody snapshot")
    return moment


# ---------------------------------------------------------------- serialising


def snapshot_to_document(snapshot: Snapshot) -> dict[str, Any]:
    """The canonical JSON document of ``snapshot`` (decimal strings, UTC 'Z' time).

    ``parse_snapshot(json.dumps(snapshot_to_document(s)))`` equals ``s``.
    """
    return {
        "as_of": format_utc(snapshot.as_of),
        "prices": {symbol: format_decimal(price) for symbol, price in snapshot.prices.items()},
        "clients": [_client_to_document(client) for client in snapshot.clients],
    }


#: The canonical encoder: sorted keys, no whitespace, UTF-8 kept as is.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_CLIENTS_PER_PIECE = 500  # small pieces: the C encoder holds the GIL for one piece only


def canonical_snapshot_pieces(snapshot: Snapshot) -> Iterator[str]:
    """The snapshot's canonical JSON text in pieces of a few hundred clients.

    ``"".join(pieces)`` is exactly ``json.dumps(snapshot_to_document(snapshot),
    sort_keys=True, separators=(",", ":"), ensure_ascii=False)``; in pieces, a
    100,000-client desk is hashed on a worker thread without one C call holding
    the GIL (and so the window) for the whole document.
    """
    # Top-level keys in sorted order: as_of, clients, prices.
    yield '{"as_of":' + _CANONICAL.encode(format_utc(snapshot.as_of)) + ',"clients":['
    clients = snapshot.clients
    for start in range(0, len(clients), _CLIENTS_PER_PIECE):
        piece = [_client_to_document(c) for c in clients[start:start + _CLIENTS_PER_PIECE]]
        text = _CANONICAL.encode(piece)[1:-1]  # the list's items without its brackets
        yield text if start == 0 else "," + text
    prices = {symbol: format_decimal(price) for symbol, price in snapshot.prices.items()}
    yield '],"prices":' + _CANONICAL.encode(prices) + "}"


def canonical_snapshot_json(snapshot: Snapshot) -> str:
    """The snapshot's canonical JSON text (sorted keys, no whitespace, decimal strings)."""
    return "".join(canonical_snapshot_pieces(snapshot))


def snapshot_sha256(snapshot: Snapshot) -> str:
    """SHA-256 (hex) of the canonical JSON: the import's key and what the audit records."""
    digest = hashlib.sha256()
    for piece in canonical_snapshot_pieces(snapshot):
        digest.update(piece.encode("utf-8"))
    return digest.hexdigest()


def _client_to_document(client: ClientRecord) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": client.id,
        "name": client.name,
        "net_assets_usd": format_decimal(client.net_assets_usd),
        "dubai_entity": client.dubai_entity,
        "soc2_type2": client.soc2_type2,
        "exposure_usd": format_decimal(client.exposure_usd),
        "positions": [],
    }
    for position in client.positions:
        item = {"asset": position.asset, "quantity": format_decimal(position.quantity)}
        if position.locked_quantity:
            item["locked_quantity"] = format_decimal(position.locked_quantity)
        doc["positions"].append(item)
    if client.liquidation_order:
        doc["liquidation_order"] = list(client.liquidation_order)
    return doc


def format_utc(moment: datetime) -> str:
    """``2026-11-26T09:00:00Z`` (microseconds kept when present)."""
    text = moment.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"
