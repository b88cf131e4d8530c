"""Canonical statements: byte-exact rendering, strict parsing, device rules, kind separation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import statement as sm
from app.domain.statement import (
    AttestationStatement,
    CheckpointStatement,
    Environment,
    LiquidationStatement,
    StatementError,
    TopUpStatement,
    UnfreezeStatement,
)

ASOF = datetime(2026, 11, 26, 8, 0, 0, tzinfo=UTC)
EXP = ASOF + timedelta(days=1)
ROOT = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")

GOLDEN = (
    "CDESK-ATTEST/2 cust=SCB-DXB ex=OKX env=test seq=42 asof=2026-11-26T08:00:00Z "
    "exp=2026-11-27T08:00:00Z n=3 cv=USD235200000.00 "
    "root=5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
)


def _attest(**changes: Any) -> AttestationStatement:
    values: dict[str, Any] = {
        "custodian": "SCB-DXB", "exchange": "OKX", "env": Environment.TEST, "seq": 42,
        "as_of": ASOF, "expires_at": EXP, "client_count": 3,
        "collateral_value_usd": Decimal("235200000.00"), "root": ROOT,
    }
    values.update(changes)
    return AttestationStatement(**values)


def _all_kinds() -> list[sm.Statement]:
    return [
        _attest(),
        UnfreezeStatement("SCB-DXB", "OKX", Environment.TEST, "UF-0001", "QF-001",
                          (("BENJI", Decimal("80000000")), ("BTC", Decimal("300.5"))),
                          ASOF + timedelta(hours=48), bytes(range(32))),
        UnfreezeStatement("SCB-DXB", "OKX", Environment.TEST, "UF-0002", "QF-001",
                          (("BTC", Decimal("1.25")),), ASOF + timedelta(hours=48),
                          bytes(range(32)), tx_prefix=b"\x11" * 8),
        LiquidationStatement("OKX", Environment.TEST, "LQ-0001", "MC-0007", "MM-002",
                             Decimal("1250000.00"), EXP, bytes(range(32))),
        TopUpStatement("OKX", Environment.TEST, "TU-0001", "MC-0007", "MM-002",
                       Decimal("1250000.00"), 43, EXP),
        CheckpointStatement("SCB-DXB", "OKX", Environment.TEST, 1024, ASOF, EXP, ROOT),
    ]


def test_attestation_statement_is_byte_exact() -> None:
    assert _attest().render() == GOLDEN
    assert sm.render(_attest()) == GOLDEN
    assert len(GOLDEN) <= sm.MAX_LENGTH


@pytest.mark.parametrize("stmt", _all_kinds(), ids=lambda s: s.render()[:20])
def test_every_kind_round_trips_and_obeys_the_device_rules(stmt: sm.Statement) -> None:
    text = stmt.render()
    sm.check_device_text(text)
    assert text.startswith(f"CDESK-{stmt.KIND}/{type(stmt).VERSION} ")
    parsed = sm.parse(text)
    assert parsed == stmt
    assert parsed.render() == text
    assert sm.parse_as(text, type(stmt)) == stmt
    assert " ex=OKX " in text and " env=test " in text and " exp=" in text


def test_longest_values_still_fit_the_device() -> None:
    big = "A" * 16
    far = datetime(2999, 1, 1, tzinfo=UTC)
    usd = Decimal("999999999999999.99")
    stmts = [
        AttestationStatement(big, big, Environment.PROD, 10**12 - 1, ASOF, far, 10**7 - 1,
                             usd, b"\xff" * 32),
        # the longest ids leave room for one asset with a 12-digit quantity; an order
        # whose statement would not fit is refused when it is created
        UnfreezeStatement(big, big, Environment.PROD, big, big,
                          (("A" * 12, Decimal("123456789012")),), far, b"\xff" * 32),
        LiquidationStatement(big, Environment.PROD, big, big, big, usd, far, b"\xff" * 32),
        TopUpStatement(big, Environment.PROD, big, big, big, usd, 10**12 - 1, far),
        CheckpointStatement(big, big, Environment.PROD, 10**12 - 1, ASOF, far, b"\xff" * 32),
    ]
    for s in stmts:
        assert len(s.render()) <= 240
        assert sm.parse(s.render()) == s


@pytest.mark.parametrize(
    "text",
    [
        " " + GOLDEN,
        GOLDEN + " ",
        GOLDEN.replace(" ex=", "  ex="),
        GOLDEN.replace(" ex=", "   ex="),
        GOLDEN.replace("root=5dc9", "root=5DC9"),
        GOLDEN.replace("seq=42", "seq=042"),
        GOLDEN.replace("seq=42", "seq=0"),
        GOLDEN.replace("seq=42", "seq=+42"),
        GOLDEN.replace("cv=USD235200000.00", "cv=USD235200000.0"),
        GOLDEN.replace("cv=USD235200000.00", "cv=USD0235200000.00"),
        GOLDEN.replace("cv=USD235200000.00", "cv=USD-1.00"),
        GOLDEN.replace("cv=USD235200000.00", "cv=USD2.352E+8"),
        GOLDEN.replace("cv=USD", "cv=EUR"),
        GOLDEN.replace("asof=2026-11-26T08:00:00Z", "asof=2026-11-26T08:00:00+00:00"),
        GOLDEN.replace("asof=2026-11-26T08:00:00Z", "asof=2026-11-26T08:00:00.000Z"),
        GOLDEN.replace("asof=2026-11-26T08:00:00Z", "asof=2026-02-30T08:00:00Z"),
        GOLDEN.replace("asof=2026-11-26T08:00:00Z", "asof=2026-11-28T08:00:00Z"),  # after exp
        GOLDEN.replace("env=test", "env=TEST"),
        GOLDEN.replace("env=test", "env=staging"),
        GOLDEN.replace("n=3", "n=0"),
        GOLDEN.replace("CDESK-ATTEST/2", "CDESK-ATTEST/4"),  # /3 is the maker-checker format
        GOLDEN.replace("CDESK-ATTEST/2", "CDESK-ATTESTATION/2"),
        GOLDEN.replace("CDESK-ATTEST/2", "XDESK-ATTEST/2"),
        GOLDEN.replace(" n=3", ""),
        GOLDEN + " extra=1",
        GOLDEN.replace("ex=OKX env=test", "env=test ex=OKX"),
        GOLDEN.replace("ex=OKX", "ex=O K"),
        GOLDEN.replace("ex=OKX", "ex=OKX\u00e9"),
        GOLDEN.replace(" ", "\t", 1),
        GOLDEN + "\n",
        GOLDEN.replace("root=5dc9", "root=5dc"),
        GOLDEN.replace("cust=SCB-DXB", "cust=" + "S" * 17),
        GOLDEN.replace("cust=SCB-DXB", "cust=-SCB"),
        GOLDEN.replace("cust=", "CUST="),
        "",
    ],
)
def test_non_canonical_text_is_refused(text: str) -> None:
    with pytest.raises(StatementError):
        sm.parse(text)


def test_a_format_1_attestation_is_refused_by_version_with_the_reason() -> None:
    with pytest.raises(sm.RetiredStatementVersion, match=r"format 1 \(CDESK-ATTEST/1\) is retired"):
        sm.parse(GOLDEN.replace("CDESK-ATTEST/2", "CDESK-ATTEST/1"))


def test_a_statement_of_one_kind_never_parses_as_another() -> None:
    for stmt in _all_kinds():
        for other in sm.STATEMENT_KINDS:
            if other is not type(stmt):
                with pytest.raises(StatementError, match="expected"):
                    sm.parse_as(stmt.render(), other)
    tags = {k.tag() for k in sm.STATEMENT_KINDS}
    assert len(tags) == len(sm.STATEMENT_KINDS)
    # No tag is a prefix of another: a text cannot be read under two tags.
    assert all(not a.startswith(b + " ") for a in tags for b in tags)


def test_exchange_and_environment_change_the_signed_text() -> None:
    base = _attest().render()
    assert _attest(env=Environment.PROD).render() != base
    assert _attest(exchange="BINANCE").render() != base
    assert _attest(custodian="OTHER").render() != base


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("as_of", datetime(2026, 11, 26, 8)),  # naive
        ("as_of", datetime(2026, 11, 26, 12, tzinfo=timezone(timedelta(hours=4)))),
        ("as_of", ASOF.replace(microsecond=1)),
        ("expires_at", ASOF),
        ("collateral_value_usd", 1.5),
        ("collateral_value_usd", Decimal("1.005")),
        ("collateral_value_usd", Decimal("-1.00")),
        ("collateral_value_usd", Decimal("-0.00")),
        ("collateral_value_usd", Decimal("NaN")),
        ("collateral_value_usd", Decimal("1E+20")),
        ("seq", True),
        ("seq", 0),
        ("seq", 10**12),
        ("client_count", 10**7),
        ("root", b"\x00" * 31),
        ("exchange", "OK X"),
        ("exchange", ""),
        ("env", "staging"),
    ],
)
def test_render_refuses_bad_values(field: str, value: object) -> None:
    with pytest.raises(StatementError):
        _attest(**{field: value})


def test_amount_scale_is_normalised_only_when_exact() -> None:
    assert "cv=USD5.00 " in _attest(collateral_value_usd=Decimal("5")).render()
    assert "cv=USD5.10 " in _attest(collateral_value_usd=Decimal("5.100")).render()


def _unfreeze(assets: tuple[tuple[str, Decimal], ...]) -> UnfreezeStatement:
    return UnfreezeStatement("SCB", "OKX", Environment.TEST, "UF-1", "QF-001", assets, EXP,
                             bytes(32))


@pytest.mark.parametrize(
    "assets",
    [
        (("BTC", Decimal(1)), ("BENJI", Decimal(1))),  # not ascending
        (("BTC", Decimal(1)), ("BTC", Decimal(2))),  # twice
        (),
        (("BTC", Decimal(0)),),
        (("BTC", Decimal("-1")),),
        (("BTC", Decimal("NaN")),),
        (("BTC", Decimal("1E+40")),),  # more than 30 integer digits
    ],
)
def test_unfreeze_assets_must_be_canonical(assets: tuple[tuple[str, Decimal], ...]) -> None:
    with pytest.raises(StatementError):
        _unfreeze(assets)


def test_unfreeze_statement_shows_every_quantity_and_the_body_digest() -> None:
    text = _unfreeze((("BENJI", Decimal("80000000.00")), ("BTC", Decimal("0.5")))).render()
    assert " assets=BENJI:80000000.00,BTC:0.5 " in text
    assert text.endswith(" body=" + "00" * 32)
    assert sm.parse(text).quantities() == {"BENJI": Decimal("80000000.00"), "BTC": Decimal("0.5")}
    with pytest.raises(StatementError, match="not canonical"):
        sm.parse(text.replace("BTC:0.5", "BTC:0.50e0"))


def test_version_1_unfreeze_orders_are_refused_by_version() -> None:
    old = ("CDESK-UNFREEZE/1 ex=OKX env=test id=UF-0001 client=QF-001 assets=BENJI,BTC "
           "exp=2026-11-28T09:00:00Z why=" + "ab" * 32)
    with pytest.raises(sm.RetiredStatementVersion, match="quantities"):
        sm.parse(old)


@pytest.mark.parametrize(
    "text",
    ["x" * 241, " a", "a ", "a   b", "tab\there", "new\nline", "caf\u00e9", "\x7f", "", "x"],
)
def test_device_rules(text: str) -> None:
    with pytest.raises(StatementError):
        sm.check_device_text(text)


def test_device_rules_accept_the_limit_and_double_spaces() -> None:
    sm.check_device_text("x" * 240)
    sm.check_device_text("a  b ~!")


def test_expiry() -> None:
    stmt = _attest()
    assert not stmt.is_expired(EXP - timedelta(seconds=1))
    assert stmt.is_expired(EXP)


ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}", fullmatch=True)
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)


@settings(max_examples=150, deadline=None)
@given(
    cust=ids, ex=ids, env=st.sampled_from(Environment), seq=st.integers(1, 10**12 - 1),
    asof=times, span=st.integers(1, 10**8), n=st.integers(1, 10**7 - 1),
    cents=st.integers(0, 10**17 - 1), root=st.binary(min_size=32, max_size=32),
)
def test_property_round_trip(
    cust: str, ex: str, env: Environment, seq: int, asof: datetime, span: int, n: int,
    cents: int, root: bytes,
) -> None:
    stmt = AttestationStatement(cust, ex, env, seq, asof, asof + timedelta(seconds=span), n,
                                Decimal(cents).scaleb(-2), root)
    text = stmt.render()
    sm.check_device_text(text)
    assert sm.parse(text) == stmt


@settings(max_examples=300, deadline=None)
@given(pos=st.integers(0, len(GOLDEN) - 1), ch=st.characters(min_codepoint=32, max_codepoint=126))
def test_property_one_changed_character_is_refused_or_a_different_statement(
    pos: int, ch: str
) -> None:
    text = GOLDEN[:pos] + ch + GOLDEN[pos + 1 :]
    try:
        parsed = sm.parse(text)
    except StatementError:
        return
    assert parsed.render() == text  # whatever parses is canonical ...
    assert (parsed == _attest()) == (text == GOLDEN)  # ... and means exactly what it says


def _unfreeze3(reason: str) -> sm.UnfreezeStatementV3:
    return sm.UnfreezeStatementV3("SCB", "OKX", Environment.TEST, "UF-1", "QF-001",
                                  (("BTC", Decimal(1)),), EXP, bytes(range(32)), None, reason)


@pytest.mark.parametrize("reason", ["r", 'say "no"', "C:\\ops\\", 'a \\" b', "x" * 80])
def test_format_3_shows_the_reason_quoted_and_parses_back(reason: str) -> None:
    text = _unfreeze3(reason).render()
    assert text.startswith("CDESK-UNFREEZE/3 ") and " why=\"" in text
    assert text.endswith(" body=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
    parsed = sm.parse(text)
    assert isinstance(parsed, sm.UnfreezeStatementV3) and parsed.reason == reason
    assert sm.parse_as(text, UnfreezeStatement) == parsed  # still an UNFREEZE statement


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (lambda t: t.replace('why="a b"', 'why="a "b"'), "why"),  # unescaped quote
        (lambda t: t.replace('why="a b"', 'why=" a b"'), "reason"),
        (lambda t: t.replace('why="a b"', "why=a"), "why"),  # not quoted
        (lambda t: t.replace(' why="a b"', ""), "why"),  # format 3 without its reason
        (lambda t: t[:-1] + "9", "body"),  # base64url with its spare bits set
        (lambda t: t.replace("body=AAEC", "body=AAEC=")[:-1], "body"),
    ],
)
def test_format_3_refuses_what_it_would_not_render(edit: Any, why: str) -> None:
    text = _unfreeze3("a b").render()
    with pytest.raises(StatementError, match=why):
        sm.parse(edit(text))


def test_reason_room_is_what_the_240_characters_leave() -> None:
    statement = _unfreeze3("a b")
    room = statement.reason_room()
    assert len(_unfreeze3("x" * room).render()) == 240
    with pytest.raises(StatementError, match="240"):
        _unfreeze3("x" * (room + 1))
    with pytest.raises(sm.UnshowableReason, match="printable ASCII"):
        _unfreeze3("caf\u00e9")
