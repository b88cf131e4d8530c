"""Canonical JSON codec of the signed documents: what is accepted, what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.documents.canonical import amount, decode, encode, parse_amount, parse_utc, utc
from app.documents.errors import DocumentError, Reason


def test_encoding_is_sorted_compact_utf8() -> None:
    assert encode({"b": 1, "a": ["x", None, True], "c": "ü"}) == (
        '{"a":["x",null,true],"b":1,"c":"ü"}'.encode()
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"a":1,"a":2}', Reason.DUPLICATE_KEY),
        (b'{"x":{"a":1,"a":1}}', Reason.DUPLICATE_KEY),
        (b'{"amount":1.5}', Reason.FLOAT),
        (b'{"amount":1e5}', Reason.FLOAT),
        (b'{"amount":NaN}', Reason.FLOAT),
        (b'{"amount":-Infinity}', Reason.FLOAT),
        (b'{"amount":"1.5"', Reason.MALFORMED),
        (b"", Reason.MALFORMED),
        (b"\xef\xbb\xbf{}", Reason.MALFORMED),
        (b'{"a":"\xff"}', Reason.MALFORMED),
    ],
)
def test_decode_rejects_with_reason(data: bytes, reason: Reason) -> None:
    with pytest.raises(DocumentError) as info:
        decode(data)
    assert info.value.reason is reason


def test_a_lone_surrogate_escape_is_refused_and_a_pair_is_text() -> None:
    assert decode(b'{"a":"\\ud83d\\ude00"}') == {"a": "\U0001f600"}
    for data in (b'{"a":"\\ud800"}', b'{"a":["x\\udfff"]}', b'{"\\udc00":1}'):
        with pytest.raises(DocumentError, match="lone UTF-16 surrogate") as caught:
            decode(data)
        assert caught.value.reason is Reason.MALFORMED


def test_truncated_file_says_truncated() -> None:
    with pytest.raises(DocumentError, match="truncated"):
        decode(b'{"kind":"margin_call","body":{"x":')


def test_encode_refuses_floats_and_decimals() -> None:
    with pytest.raises(DocumentError) as info:
        encode({"a": 0.1})
    assert info.value.reason is Reason.FLOAT
    with pytest.raises(DocumentError):
        encode({"a": Decimal("0.1")})


def test_amounts_round_trip_as_strings() -> None:
    assert amount(Decimal("156800000.00")) == "156800000.00"
    assert amount(Decimal("1E+3")) == "1000"
    assert parse_amount("78400000.00", "x") == Decimal("78400000.00")
    for bad in ("1e3", "01", "1.", " 1", 1, "NaN", "+1"):
        with pytest.raises(DocumentError):
            parse_amount(bad, "x")


def test_times_are_utc_seconds_with_z() -> None:
    moment = datetime(2026, 11, 26, 14, 0, 5, 999, tzinfo=timezone(timedelta(hours=4)))
    assert utc(moment) == "2026-11-26T10:00:05Z"
    assert parse_utc("2026-11-26T10:00:05Z", "t") == datetime(2026, 11, 26, 10, 0, 5, tzinfo=UTC)
    for bad in ("2026-11-26T10:00:05", "2026-11-26 10:00:05Z", "2026-02-30T10:00:00Z"):
        with pytest.raises(DocumentError):
            parse_utc(bad, "t")
    with pytest.raises(DocumentError):
        utc(datetime(2026, 1, 1))  # naive
