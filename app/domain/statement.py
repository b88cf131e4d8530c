"""Canonical one-line statements that officers and parties sign on a device.

Every statement is one line of printable ASCII (0x20-0x7E), at most 240
characters, single spaces between fields, no leading or trailing space, so that
Trezor and Coldcard-class devices show it whole. Layout::

    CDESK-<KIND>/<version> key=value key=value ...

The tag names the kind and format version; the fields follow in a fixed order
per kind and always include the exchange id (``ex``), the environment
(``env``), an id or sequence number and an expiry (``exp``). A signature is over
the exact text, so it can never be valid for another kind, exchange or
environment. :func:`parse` accepts only text that :func:`render` would produce
byte for byte. ``docs/attestation-format.md`` is the normative description.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

MAX_LENGTH = 240
MIN_LENGTH = 2  # as signing.devicetext: devices refuse a one-character message
VERSION = 1
_T = TypeVar("_T")


class StatementError(ValueError):
    """Text or values that are not a canonical statement; the message names the field."""


class Environment(StrEnum):
    PROD = "prod"
    TEST = "test"


def check_device_text(text: str) -> None:
    """Raise :class:`StatementError` unless ``text`` obeys the device display rules.

    One line of printable ASCII (0x20-0x7E), 2..240 characters, no leading or
    trailing space and no run of three spaces.
    """
    if not isinstance(text, str):
        raise StatementError("statement must be a str")
    if not MIN_LENGTH <= len(text) <= MAX_LENGTH:
        raise StatementError(
            f"statement is {len(text)} characters, allowed {MIN_LENGTH}..{MAX_LENGTH}"
        )
    for pos, ch in enumerate(text):
        if not " " <= ch <= "~":
            raise StatementError(f"character {pos} ({ch!r}) is not printable ASCII")
    if text[0] == " " or text[-1] == " ":
        raise StatementError("statement starts or ends with a space")
    if "   " in text:
        raise StatementError("statement contains three spaces in a row")


# ---------------------------------------------------------------- field codecs


@dataclass(frozen=True)
class _Codec(Generic[_T]):
    pattern: re.Pattern[str]
    to_text: Callable[[_T], str]
    from_text: Callable[[str], _T]


_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}")
_UINT_RE = re.compile(r"[1-9][0-9]{0,11}")
_COUNT_RE = re.compile(r"[1-9][0-9]{0,6}")
_TIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_USD_RE = re.compile(r"USD(0|[1-9][0-9]{0,14})\.[0-9]{2}")
_HEX32_RE = re.compile(r"[0-9a-f]{64}")
_HEX8_RE = re.compile(r"[0-9a-f]{16}")
_QTY = r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?"
_ASSET_QTYS_RE = re.compile(rf"[A-Z0-9]{{1,12}}:{_QTY}(,[A-Z0-9]{{1,12}}:{_QTY})*")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _id_text(value: str) -> str:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ValueError("must be 1-16 of A-Z a-z 0-9 . _ - starting with a letter or digit")
    return value


def _uint_text(value: int, regex: re.Pattern[str] = _UINT_RE) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be an int")
    text = str(value)
    if not regex.fullmatch(text):
        raise ValueError(f"{value} is out of range")
    return text


def _time_text(value: datetime) -> str:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("must be a timezone-aware datetime")
    if value.utcoffset() != UTC.utcoffset(None):
        raise ValueError("must be in UTC")
    if value.microsecond:
        raise ValueError("must be whole seconds")
    return value.strftime(_TIME_FORMAT)


def _time_value(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


def _usd_text(value: Decimal) -> str:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError("must be a finite Decimal")
    try:
        cents = value.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError("is too large") from None
    if cents != value:
        raise ValueError(f"{value} has more than 2 decimal places")
    if cents.is_signed():
        raise ValueError("must not be negative")
    text = f"USD{cents:.2f}"
    if not _USD_RE.fullmatch(text):
        raise ValueError("is too large")
    return text


def _hex32_text(value: bytes) -> str:
    if not isinstance(value, bytes) or len(value) != 32:
        raise ValueError("must be 32 bytes")
    return value.hex()


def _hex8_text(value: bytes) -> str:
    if not isinstance(value, bytes) or len(value) != 8:
        raise ValueError("must be 8 bytes")
    return value.hex()


def _asset_quantities_text(value: tuple[tuple[str, Decimal], ...]) -> str:
    if not isinstance(value, tuple) or not value:
        raise ValueError("must be a non-empty tuple of (asset code, quantity)")
    codes = [code for code, _ in value]
    if codes != sorted(set(codes)):
        raise ValueError("asset codes must be unique and ascending")
    parts = []
    for code, quantity in value:
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
            raise ValueError(f"{code}: quantity must be a positive finite Decimal")
        parts.append(f"{code}:{quantity:f}")
    text = ",".join(parts)
    if not _ASSET_QTYS_RE.fullmatch(text):
        raise ValueError("must be CODE:quantity pairs, codes [A-Z0-9]{1,12}, at most 30 integer "
                         "and 18 fraction digits")
    return text


def _asset_quantities_value(text: str) -> tuple[tuple[str, Decimal], ...]:
    pairs = (item.split(":") for item in text.split(","))
    return tuple((code, Decimal(quantity)) for code, quantity in pairs)


MAX_REASON = 100  # characters of an order's reason (before escaping); the 240 limit still rules
_QUOTED_RE = re.compile(r'"(?:[^"\\]|\\["\\])*"')
# 32 bytes in unpadded base64url: 43 characters, the last one's two spare bits zero
_B64URL32_RE = re.compile(r"[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]")
# a statement's tokens: key="quoted value" (may hold spaces) or anything up to a space
_TOKEN_RE = re.compile(r'[a-z]+="(?:[^"\\]|\\["\\])*"(?= |$)|[^ ]+')


class UnshowableReason(StatementError):
    """A reason a signing device cannot show as written; the message says why and how."""


def check_reason(reason: object) -> str:
    """``reason`` if a device can show it inside a statement, else :class:`UnshowableReason`.

    One line of printable ASCII (0x20-0x7E), 1 to :data:`MAX_REASON` characters, single
    spaces between words, none at either end. ``"`` and ``\\`` are allowed (escaped in
    the statement as ``\\"`` and ``\\\\``).
    """
    if not isinstance(reason, str) or not reason.strip():
        raise UnshowableReason("the reason is empty: say why the assets must be unfrozen")
    for position, char in enumerate(reason, start=1):
        if not " " <= char <= "~":
            raise UnshowableReason(
                f"character {position} ({char!r}) of the reason cannot be shown on a signing "
                "device: write the reason in printable ASCII (letters a-z, digits, punctuation)"
            )
    if len(reason) > MAX_REASON:
        raise UnshowableReason(
            f"the reason is {len(reason)} characters; at most {MAX_REASON} can be shown"
        )
    if reason != " ".join(reason.split(" ")) or reason.strip() != reason or "  " in reason:
        raise UnshowableReason(
            "the reason has a space at either end or two spaces in a row: write it on one "
            "line with single spaces"
        )
    return reason


def quote_reason(reason: str) -> str:
    """``"reason"`` with ``\\`` and ``"`` escaped, as the statement shows it."""
    check_reason(reason)
    return '"' + reason.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(text: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", text[1:-1])


def _b64url32_text(value: bytes) -> str:
    if not isinstance(value, bytes) or len(value) != 32:
        raise ValueError("must be 32 bytes")
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii")


def _b64url32_value(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=")


ID: _Codec[str] = _Codec(_ID_RE, _id_text, str)
UINT: _Codec[int] = _Codec(_UINT_RE, _uint_text, int)
COUNT: _Codec[int] = _Codec(_COUNT_RE, lambda v: _uint_text(v, _COUNT_RE), int)
TIME: _Codec[datetime] = _Codec(_TIME_RE, _time_text, _time_value)
USD: _Codec[Decimal] = _Codec(_USD_RE, _usd_text, lambda t: Decimal(t[3:]))
HEX32: _Codec[bytes] = _Codec(_HEX32_RE, _hex32_text, bytes.fromhex)
HEX8: _Codec[bytes] = _Codec(_HEX8_RE, _hex8_text, bytes.fromhex)
ENV: _Codec[Environment] = _Codec(
    re.compile(r"prod|test"), lambda e: Environment(e).value, Environment
)
ASSET_QUANTITIES: _Codec[tuple[tuple[str, Decimal], ...]] = _Codec(
    _ASSET_QTYS_RE, _asset_quantities_text, _asset_quantities_value
)
REASON: _Codec[str] = _Codec(_QUOTED_RE, quote_reason, _unquote)
B64URL32: _Codec[bytes] = _Codec(_B64URL32_RE, _b64url32_text, _b64url32_value)


# ---------------------------------------------------------------- statements


class Statement:
    """Base of every signable statement: tag, ordered fields, render and parse.

    ``FIELDS`` lists ``(key, attribute, codec)`` in signing order; a key in
    ``OPTIONAL`` may be absent (attribute ``None``), and is then left out of
    the text entirely. Each kind has its own format ``VERSION``.
    """

    KIND: ClassVar[str]
    VERSION: ClassVar[int] = VERSION
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]]  # (key, attribute, codec)
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()
    exchange: str
    env: Environment
    expires_at: datetime

    @classmethod
    def tag(cls) -> str:
        return f"CDESK-{cls.KIND}/{cls.VERSION}"

    def __post_init__(self) -> None:
        text = self._render_unchecked()
        check_device_text(text)
        self._check()

    def _check(self) -> None:
        """Cross-field rules of a kind (override)."""

    def _render_unchecked(self) -> str:
        parts = [self.tag()]
        for key, attr, codec in self.FIELDS:
            value = getattr(self, attr)
            if value is None and key in self.OPTIONAL:
                continue
            try:
                parts.append(f"{key}={codec.to_text(value)}")
            except UnshowableReason:
                raise
            except ValueError as exc:
                raise StatementError(f"{self.KIND} field {attr} ({key}): {exc}") from None
        return " ".join(parts)

    def render(self) -> str:
        """The exact text to sign."""
        return self._render_unchecked()

    def digest(self) -> bytes:
        """SHA-256 of the rendered text (an id for stores and documents)."""
        return hashlib.sha256(self.render().encode("ascii")).digest()

    def is_expired(self, now: datetime) -> bool:
        """True from the expiry instant on."""
        return now >= self.expires_at


def _check_times(start: datetime, end: datetime, what: str) -> None:
    if end <= start:
        raise StatementError(f"expiry must be after {what}")


@dataclass(frozen=True)
class AttestationStatement(Statement):
    """What an approving officer signs for one attestation (bundle format 2).

    The text is unchanged from format 1 but for the tag: the ``root`` is the
    format-2 Merkle-sum root, whose leaves and schema bind every per-client
    figure (``app.domain.attestation``).
    """

    KIND: ClassVar[str] = "ATTEST"
    VERSION: ClassVar[int] = 2
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]] = (
        ("cust", "custodian", ID), ("ex", "exchange", ID), ("env", "env", ENV),
        ("seq", "seq", UINT), ("asof", "as_of", TIME), ("exp", "expires_at", TIME),
        ("n", "client_count", COUNT), ("cv", "collateral_value_usd", USD),
        ("root", "root", HEX32),
    )
    custodian: str
    exchange: str
    env: Environment
    seq: int
    as_of: datetime
    expires_at: datetime
    client_count: int
    collateral_value_usd: Decimal
    root: bytes

    def _check(self) -> None:
        _check_times(self.as_of, self.expires_at, "as-of")


@dataclass(frozen=True)
class MakerCheckerAttestationStatement(AttestationStatement):
    """Bundle format 3: the same fields, signed by two officers.

    The maker signs this text when preparing (``prepared-by``) and the checker
    when approving (``approved-by``); the tag says that a format-3 bundle carries
    both signatures, so stripping the maker's cannot pass for a format-2 bundle.
    """

    VERSION: ClassVar[int] = 3


@dataclass(frozen=True)
class UnfreezeStatement(Statement):
    """An emergency 2-of-3 unfreeze order, as each party signs it (format 2).

    It shows what a person must see before signing: the custodian and the
    exchange (the parties besides the regulator), the client, every asset *with
    its quantity*, the expiry, and, for an order executed on chain, the first 8
    bytes of the transaction's own hash (``tx``: SafeTx hash or Bitcoin txid;
    enough for a person to match what their wallet shows, and two full hashes do
    not fit 240 characters). ``body`` is the SHA-256 of the order's canonical
    document body, so every other field (the reason, the creation time, the
    full on-chain details) is bound too.
    """

    KIND: ClassVar[str] = "UNFREEZE"
    VERSION: ClassVar[int] = 2
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]] = (
        ("cust", "custodian", ID), ("ex", "exchange", ID), ("env", "env", ENV),
        ("id", "order_id", ID), ("client", "client_id", ID),
        ("assets", "assets", ASSET_QUANTITIES), ("exp", "expires_at", TIME),
        ("tx", "tx_prefix", HEX8), ("body", "body_digest", HEX32),
    )
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"tx"})
    custodian: str
    exchange: str
    env: Environment
    order_id: str
    client_id: str
    assets: tuple[tuple[str, Decimal], ...]  # (code, quantity), codes ascending
    expires_at: datetime
    body_digest: bytes
    tx_prefix: bytes | None = None  # first 8 bytes of the on-chain transaction hash

    def quantities(self) -> dict[str, Decimal]:
        """Asset code -> quantity, as signed."""
        return dict(self.assets)


@dataclass(frozen=True)
class UnfreezeStatementV3(UnfreezeStatement):
    """Format 3: the order's reason shown on the device, readable (``why="..."``).

    The same fields as format 2 plus ``why``, the order body's reason in double quotes
    (``\\"`` and ``\\\\`` escaped; printable ASCII, :func:`check_reason`); ``body=``
    is the same SHA-256 in unpadded base64url (43 characters instead of 64 hex digits),
    which leaves the reason room within the device's 240 characters. The digest still
    binds every body field, the reason included. Format 2 statements still verify.
    """

    VERSION: ClassVar[int] = 3
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]] = (
        ("cust", "custodian", ID), ("ex", "exchange", ID), ("env", "env", ENV),
        ("id", "order_id", ID), ("client", "client_id", ID),
        ("assets", "assets", ASSET_QUANTITIES), ("why", "reason", REASON),
        ("exp", "expires_at", TIME), ("tx", "tx_prefix", HEX8),
        ("body", "body_digest", B64URL32),
    )
    reason: str = ""

    def reason_room(self) -> int:
        """How many characters (escaped) the reason may take in this statement."""
        return MAX_LENGTH - (len(self._render_unchecked()) - len(quote_reason(self.reason)) + 2)


@dataclass(frozen=True)
class LiquidationStatement(Statement):
    """A liquidation instruction the custodian signs for one margin call."""

    KIND: ClassVar[str] = "LIQUIDATE"
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]] = (
        ("ex", "exchange", ID), ("env", "env", ENV), ("id", "instruction_id", ID),
        ("call", "margin_call_id", ID), ("client", "client_id", ID),
        ("usd", "amount_usd", USD), ("exp", "expires_at", TIME),
        ("lines", "lines_digest", HEX32),
    )
    exchange: str
    env: Environment
    instruction_id: str
    margin_call_id: str
    client_id: str
    amount_usd: Decimal
    expires_at: datetime
    lines_digest: bytes  # SHA-256 of the canonical instruction lines (encoded by documents)


@dataclass(frozen=True)
class TopUpStatement(Statement):
    """The custodian's answer to a margin call: a top-up proven by attestation ``seq``."""

    KIND: ClassVar[str] = "TOPUP"
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]] = (
        ("ex", "exchange", ID), ("env", "env", ENV), ("id", "answer_id", ID),
        ("call", "margin_call_id", ID), ("client", "client_id", ID),
        ("usd", "amount_usd", USD), ("att", "attestation_seq", UINT),
        ("exp", "expires_at", TIME),
    )
    exchange: str
    env: Environment
    answer_id: str
    margin_call_id: str
    client_id: str
    amount_usd: Decimal
    attestation_seq: int
    expires_at: datetime


@dataclass(frozen=True)
class CheckpointStatement(Statement):
    """A signed audit-log checkpoint: the RFC 6962 root over the first ``size`` entries."""

    KIND: ClassVar[str] = "CHECKPOINT"
    FIELDS: ClassVar[tuple[tuple[str, str, _Codec[Any]], ...]] = (
        ("cust", "custodian", ID), ("ex", "exchange", ID), ("env", "env", ENV),
        ("size", "size", UINT), ("at", "at", TIME), ("exp", "expires_at", TIME),
        ("root", "root", HEX32),
    )
    custodian: str
    exchange: str
    env: Environment
    size: int
    at: datetime
    expires_at: datetime
    root: bytes

    def _check(self) -> None:
        _check_times(self.at, self.expires_at, "the checkpoint time")


STATEMENT_KINDS: tuple[type[Statement], ...] = (
    AttestationStatement, MakerCheckerAttestationStatement, UnfreezeStatement,
    UnfreezeStatementV3, LiquidationStatement, TopUpStatement, CheckpointStatement,
)
_BY_TAG = {kind.tag(): kind for kind in STATEMENT_KINDS}
_S = TypeVar("_S", bound=Statement)


def render(statement: Statement) -> str:
    """The exact text to sign for ``statement``."""
    return statement.render()


class RetiredStatementVersion(StatementError):
    """A statement in a format this version no longer accepts (the message says why)."""


# Formats that were once signed and are now refused by version, with the reason.
RETIRED_TAGS: dict[str, str] = {
    "CDESK-ATTEST/1": (
        "attestation bundle format 1 (CDESK-ATTEST/1) is retired: its per-client values, "
        "locked shares, decimals and prices are not bound by the signature; "
        "ask the custodian for a format 2 (CDESK-ATTEST/2) bundle"
    ),
    "CDESK-UNFREEZE/1": (
        "CDESK-UNFREEZE/1 orders are no longer accepted: they name the assets but not "
        "their quantities, and do not bind the order body; create a new order "
        "(CDESK-UNFREEZE/3) and have it signed again"
    ),
}


def parse(text: str, kind: type[_S] | None = None) -> Any:
    """Parse canonical text into its statement; anything non-canonical is refused.

    With ``kind`` given, a statement of any other kind is refused too (use
    :func:`parse_as` for a typed result).
    """
    check_device_text(text)
    tokens = _TOKEN_RE.findall(text)
    tag = tokens[0]
    cls = _BY_TAG.get(tag)
    if cls is None:
        if tag in RETIRED_TAGS:
            raise RetiredStatementVersion(RETIRED_TAGS[tag])
        if tag.startswith("CDESK-") and "/" in tag:
            raise StatementError(f"unknown statement tag or version {tag!r}")
        raise StatementError("not a Custody Desk statement (no CDESK- tag)")
    if kind is not None and not issubclass(cls, kind):  # ATTEST/3 is an ATTEST
        raise StatementError(f"expected a {kind.KIND} statement, got {cls.KIND}")
    values: dict[str, Any] = {}
    rest = tokens[1:]
    for key, attr, codec in cls.FIELDS:
        prefix = key + "="
        if key in cls.OPTIONAL and not (rest and rest[0].startswith(prefix)):
            continue
        if not rest:
            raise StatementError(f"{cls.KIND} statement ends before field {key!r}")
        token = rest.pop(0)
        if not token.startswith(prefix):
            raise StatementError(f"expected field {key!r}, found {token.split('=')[0]!r}")
        raw = token[len(prefix) :]
        if not codec.pattern.fullmatch(raw):
            raise StatementError(f"field {key!r} is not canonical: {raw!r}")
        try:
            values[attr] = codec.from_text(raw)
        except ValueError as exc:
            raise StatementError(f"field {key!r}: {exc}") from None
    if rest:
        raise StatementError(
            f"{cls.KIND} statement has {len(rest)} field(s) after the last one "
            f"({rest[0].split('=')[0]!r})"
        )
    statement = cls(**values)
    if statement.render() != text:
        raise StatementError("statement is not in canonical form")
    return statement


def tag_version(text: str) -> int:
    """The format version in a statement's tag (``CDESK-UNFREEZE/3 ...`` -> 3)."""
    tag = text.split(" ", 1)[0]
    kind, _, version = tag.partition("/")
    if not kind.startswith("CDESK-") or not version.isdigit():
        raise StatementError("not a Custody Desk statement (no CDESK- tag)")
    return int(version)


def parse_as(text: str, kind: type[_S]) -> _S:
    """:func:`parse`, requiring (and typed as) one statement kind."""
    result: _S = parse(text, kind)
    return result
