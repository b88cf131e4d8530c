"""Decimal money and quantity helpers with explicit scales.

Rules (see docs/domain.md, "Rounding"):

* Money and quantities are :class:`decimal.Decimal`; a ``float`` anywhere is a
  ``TypeError`` because binary floats cannot hold 0.98 or 0.01 exactly.
* USD is carried to cents (:data:`USD_SCALE` = 2). Asset quantities carry the
  asset's own scale (BTC 8, USDC 6, fund shares per ``resources/assets.toml``).
* Arithmetic runs in :data:`MONEY_CONTEXT` (60 significant digits), wide enough
  that ``quantity x price x factor`` is exact for every amount the parser admits;
  rounding only happens where a function here says so.
* Three rounding directions, each with a reason:

  - :func:`usd_display` ROUND_HALF_EVEN: market values shown to a person
    (no bias when many values are rounded);
  - :func:`usd_down` ROUND_DOWN: anything the desk *grants* (collateral value,
    credit line, headroom) so it is never overstated;
  - :func:`usd_up` ROUND_UP: anything the desk *asks for* (shortfall, amount to
    raise) so it is never understated.
* Proofs sum integer base units (:func:`to_base_units`), never Decimals.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

USD_SCALE = 2
"""USD amounts are carried to cents."""

RATIO_SCALE = 6
"""Ratios and fractions (collateral ratio, price drop to a line) are shown to 6 dp."""

MONEY_CONTEXT = Context(
    prec=60,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""Decimal context for domain arithmetic: wide precision, signals trapped."""

_DECIMAL_STRING = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
MAX_DECIMAL_STRING_LENGTH = 40


class MoneyError(ValueError):
    """A value cannot be represented at the scale asked for."""


def money_context() -> AbstractContextManager[Context]:
    """A ``with`` block in which Decimal arithmetic uses :data:`MONEY_CONTEXT`."""
    return localcontext(MONEY_CONTEXT)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a finite Decimal.

    Accepts Decimal, int and plain decimal strings ("12.50"). Rejects ``float``
    and ``bool`` with TypeError, and NaN/Infinity or exponent strings with
    MoneyError.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"money must not be {type(value).__name__}: use Decimal or a string")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        return parse_decimal_string(value)
    else:
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}")
    if not result.is_finite():
        raise MoneyError(f"not a finite number: {result}")
    return result


def parse_decimal_string(text: str) -> Decimal:
    """Parse a plain decimal string: optional minus, digits, optional fraction.

    No exponent, no leading '+', no leading zeros ("007"), no bare "." forms,
    no whitespace, no NaN/Infinity.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a decimal string, not {type(text).__name__}")
    if len(text) > MAX_DECIMAL_STRING_LENGTH:
        raise MoneyError(f"decimal string longer than {MAX_DECIMAL_STRING_LENGTH} characters")
    if not _DECIMAL_STRING.match(text):
        raise MoneyError(f"not a plain decimal string: {text!r}")
    return Decimal(text)


def decimal_places(value: Decimal) -> int:
    """Number of digits after the point as written ("1.50" -> 2, "100" -> 0)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # 'n', 'N', 'F' for NaN/Infinity
        raise MoneyError(f"not a finite number: {value}")
    return max(0, -exponent)


_EXPONENTS = tuple(Decimal(1).scaleb(-places) for places in range(40))


def quantize(value: Decimal, scale: int, rounding: str) -> Decimal:
    """Round ``value`` to ``scale`` decimal places with the given rounding mode."""
    if type(value) is not Decimal:
        _require_decimal(value)
    exponent = _EXPONENTS[scale] if 0 <= scale < len(_EXPONENTS) else Decimal(1).scaleb(-scale)
    # Hot path of valuation: pass the context instead of entering a local one.
    return value.quantize(exponent, rounding=rounding, context=MONEY_CONTEXT)


def usd_display(value: Decimal) -> Decimal:
    """USD to cents, ROUND_HALF_EVEN: for values only shown (market value)."""
    return quantize(value, USD_SCALE, ROUND_HALF_EVEN)


def usd_down(value: Decimal) -> Decimal:
    """USD to cents, ROUND_DOWN (toward zero): for what the desk grants."""
    return quantize(value, USD_SCALE, ROUND_DOWN)


def usd_up(value: Decimal) -> Decimal:
    """USD to cents, ROUND_UP (away from zero): for what the desk asks for."""
    return quantize(value, USD_SCALE, ROUND_UP)


def ratio_down(value: Decimal) -> Decimal:
    """A ratio to :data:`RATIO_SCALE` places, ROUND_DOWN: never shown better than it is."""
    return quantize(value, RATIO_SCALE, ROUND_DOWN)


def to_base_units(quantity: Decimal, decimals: int) -> int:
    """Exact integer base units of ``quantity`` at ``decimals`` places.

    ``to_base_units(Decimal("1.5"), 8) == 150_000_000``. Raises MoneyError if
    ``quantity`` has more places than ``decimals`` (never rounds silently).
    """
    _require_decimal(quantity)
    if decimals < 0:
        raise MoneyError("decimals must be >= 0")
    if not quantity.is_finite():
        raise MoneyError(f"not a finite number: {quantity}")
    with money_context():
        scaled = quantity.scaleb(decimals)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{quantity} has more than {decimals} decimal places")
        return int(scaled)


def from_base_units(units: int, decimals: int) -> Decimal:
    """The Decimal quantity of ``units`` base units, written with exactly ``decimals`` places."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise TypeError(f"base units must be int, not {type(units).__name__}")
    if decimals < 0:
        raise MoneyError("decimals must be >= 0")
    return Decimal(units).scaleb(-decimals)


def usd_to_cents(amount: Decimal) -> int:
    """Integer cents of a USD amount that is already at cent scale."""
    return to_base_units(amount, USD_SCALE)


def format_decimal(value: Decimal) -> str:
    """Plain fixed-point text (never an exponent): ``Decimal('1E+3')`` -> ``'1000'``.

    ``str()`` gives the same text unless it chose an exponent, and is ~3x faster
    than the ``"f"`` format (this runs for every figure of a 100,000-client output).
    """
    if type(value) is not Decimal:
        _require_decimal(value)
    text = str(value)
    return f"{value:f}" if "E" in text else text


def format_usd(value: Decimal) -> str:
    """Cents with thousands separators for tables: ``'78,400,000.00'``."""
    return f"{usd_display(value):,.2f}"


def _require_decimal(value: object) -> None:
    if isinstance(value, float):
        raise TypeError("money must not be float: use Decimal")
    if not isinstance(value, Decimal):
        raise TypeError(f"expected Decimal, not {type(value).__name__}")
