"""Canonical JSON: the one byte encoding of every document the desk exchanges.

Rules (docs/documents.md, section "Canonical JSON"):

* UTF-8, no BOM; object keys are ASCII and sorted by code point; no
  insignificant whitespace (separators ``,`` and ``:``); strings escaped as
  Python's ``json`` does with ``ensure_ascii=False``.
* Values are objects, arrays, strings, integers, ``true``, ``false``, ``null``.
  No floats, no exponents, no NaN/Infinity: amounts travel as decimal strings
  (``"156800000.00"``), times as ``YYYY-MM-DDTHH:MM:SSZ`` strings.
* On parse, a duplicate key anywhere rejects the whole document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from app.documents.errors import DocumentError, Reason

JsonValue = Any  # dict[str, JsonValue] | list[JsonValue] | str | int | bool | None

MAX_INT_DIGITS = 30  # integers are counters and indexes; anything longer is refused
MAX_AMOUNT_LENGTH = 60  # decimal strings, base-unit sums included
# Size limits, refused before a file is read (app.files.read_bounded) and again on
# parse (docs/documents.md, "Limits"): any document (a 10,000-client attestation
# bundle is about 25 MB), and the small kinds people pass around by hand.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_ORDER_BYTES = 1024 * 1024  # an unfreeze order, a share, a release instruction
MAX_KEYS_BYTES = 1024 * 1024  # a keys file

_AMOUNT_RE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
_HEX32_RE = re.compile(r"[0-9a-f]{64}")
_TIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _check_value(value: object, where: str) -> None:
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_INT_DIGITS:
            raise DocumentError(Reason.MALFORMED, f"{where}: integer too long")
        return
    if isinstance(value, float):
        raise DocumentError(Reason.FLOAT, f"{where}: floats are not allowed, use a decimal string")
    if isinstance(value, Decimal):
        raise DocumentError(Reason.FLOAT, f"{where}: encode Decimal with amount() first")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise DocumentError(Reason.MALFORMED, f"{where}: keys must be ASCII strings")
            _check_value(item, f"{where}.{key}")
        return
    if isinstance(value, Sequence):
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]")
        return
    raise DocumentError(Reason.MALFORMED, f"{where}: {type(value).__name__} is not a JSON value")


def encode(value: JsonValue) -> bytes:
    """The canonical bytes of ``value`` (raises DocumentError on floats and non-JSON types)."""
    _check_value(value, "$")
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def _reject_float(text: str) -> NoReturn:
    raise DocumentError(Reason.FLOAT, f"number {text!r} is not allowed: use a decimal string")


def _reject_constant(text: str) -> NoReturn:
    raise DocumentError(Reason.FLOAT, f"{text} is not allowed")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise DocumentError(
            Reason.MALFORMED,
            f"a number of {len(text.lstrip('-')):,} digits; integers have at most "
            f"{MAX_INT_DIGITS} (amounts are decimal strings)",
        )
    return int(text)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DocumentError(Reason.DUPLICATE_KEY, f"duplicate key {key!r}")
        result[key] = value
    return result


def decode(data: bytes) -> JsonValue:
    """Parse document bytes strictly: UTF-8, no duplicate keys, no floats/NaN/exponents.

    Whitespace is tolerated (signatures cover the statement text, and body
    digests are recomputed over the canonical re-encoding), so a pretty-printed
    copy still verifies.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            Reason.MALFORMED,
            f"document is {len(data):,} bytes; at most {MAX_DOCUMENT_BYTES:,}",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        raise DocumentError(Reason.MALFORMED, "byte-order mark is not allowed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(Reason.MALFORMED, f"not UTF-8 at byte {exc.start}") from exc
    if not text.strip():
        raise DocumentError(Reason.MALFORMED, "empty document")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as exc:
        # a cut-off file fails at its very end, or inside a string that never closes
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "truncated" if cut else "malformed"
        raise DocumentError(
            Reason.MALFORMED, f"{what} JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise DocumentError(Reason.MALFORMED, "nesting too deep") from exc
    if _SURROGATE_ESCAPE.search(text):  # rare: only then walk the whole value
        _no_lone_surrogates(value)
    return value


# A \uD800-\uDFFF escape: JSON lets text name half of a UTF-16 pair, which is not
# Unicode (it cannot be hashed, compared with a device's text or even printed).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _no_lone_surrogates(value: JsonValue) -> None:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DocumentError(
            Reason.MALFORMED, "a string holds a lone UTF-16 surrogate (\\uD800-\\uDFFF), "
            "which is not Unicode text"
        ) from exc


# ---- typed field helpers ---------------------------------------------------


def amount(value: Decimal) -> str:
    """A Decimal as its canonical decimal string (no exponent, scale kept)."""
    if not value.is_finite():
        raise DocumentError(Reason.BAD_AMOUNT, "amount must be finite")
    return f"{value:f}"


def parse_amount(text: object, where: str) -> Decimal:
    """A decimal string back to Decimal; refuses numbers, exponents, junk and
    more than :data:`MAX_AMOUNT_LENGTH` characters."""
    if isinstance(text, str) and len(text) > MAX_AMOUNT_LENGTH:
        raise DocumentError(
            Reason.BAD_AMOUNT,
            f"{where}: an amount of {len(text):,} characters; at most {MAX_AMOUNT_LENGTH}",
        )
    if not isinstance(text, str) or not _AMOUNT_RE.fullmatch(text):
        raise DocumentError(Reason.BAD_AMOUNT, f"{where}: {text!r} is not a decimal string")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - regex already guards
        raise DocumentError(Reason.BAD_AMOUNT, f"{where}: {text!r}") from exc


def utc(moment: datetime) -> str:
    """A timezone-aware time as ``YYYY-MM-DDTHH:MM:SSZ`` (seconds precision)."""
    if moment.tzinfo is None:
        raise DocumentError(Reason.BAD_TIME, "naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: object, where: str) -> datetime:
    """``YYYY-MM-DDTHH:MM:SSZ`` back to an aware UTC datetime."""
    if not isinstance(text, str) or not _TIME_RE.fullmatch(text):
        raise DocumentError(Reason.BAD_TIME, f"{where}: {text!r} is not YYYY-MM-DDTHH:MM:SSZ")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise DocumentError(Reason.BAD_TIME, f"{where}: {text!r} is not a real time") from exc


def field(obj: object, name: str, kind: type, where: str = "$") -> Any:
    """``obj[name]`` checked to be of ``kind`` (bool is never accepted as int)."""
    if not isinstance(obj, dict):
        raise DocumentError(Reason.MALFORMED, f"{where}: expected an object")
    if name not in obj:
        raise DocumentError(Reason.MALFORMED, f"{where}.{name}: missing")
    value = obj[name]
    if kind is int and isinstance(value, bool):
        raise DocumentError(Reason.MALFORMED, f"{where}.{name}: expected an integer")
    if not isinstance(value, kind):
        raise DocumentError(Reason.MALFORMED, f"{where}.{name}: expected {kind.__name__}")
    return value


def exact_fields(obj: object, fields: Mapping[str, type], where: str = "$") -> dict[str, Any]:
    """``obj`` as an object with exactly ``fields`` (name -> type), each checked.

    An unknown field, a missing one or one of the wrong type is refused, naming
    the field (``body.destination: unknown field``).
    """
    if not isinstance(obj, dict):
        raise DocumentError(Reason.MALFORMED, f"{where}: expected an object")
    unknown = sorted(set(obj) - set(fields))
    if unknown:
        raise DocumentError(Reason.MALFORMED, f"{where}.{unknown[0]}: unknown field")
    for name, kind in fields.items():
        field(obj, name, kind, where)
    return obj


def parse_hex32(value: object, where: str) -> bytes:
    """32 bytes written as exactly 64 lowercase hex digits (one spelling per value)."""
    if not isinstance(value, str) or not _HEX32_RE.fullmatch(value):
        raise DocumentError(Reason.MALFORMED, f"{where}: expected 64 lowercase hex digits")
    return bytes.fromhex(value)
