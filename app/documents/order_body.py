"""The emergency unfreeze order body: its exact fields, its statement, and how
on-chain forms add theirs.

An order body has exactly the fields of :data:`ORDER_FIELDS` (plus at most one
registered on-chain extension). Its statement (``CDESK-UNFREEZE/3``) shows the
custodian, exchange, client, every asset with its quantity, the reason (readable,
``why="..."``), the expiry and, for an on-chain order, the transaction's own hash;
``body=`` is the SHA-256 of the canonical body, so the fields the statement does not
show are bound as well. Orders signed in format 2 (no ``why``) still verify.
:func:`order_checks` names the first field that differs from what was signed.

Extension point (Safe, Bitcoin): an on-chain form registers an
:class:`OrderExtension` owning one body field (say ``"safe"`` or
``"bitcoin"``). Its ``check`` validates that section (raise
:class:`DocumentError` naming the field), and its ``tx_hash`` returns the
32-byte hash the statement shows as ``tx=``. Everything in the section is
bound by ``body=``; only the transaction hash is shown on the device, which
leaves room in the 240 characters (``docs/documents.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.documents.canonical import exact_fields, parse_amount, parse_utc, utc
from app.documents.envelope import body_digest
from app.documents.errors import DocumentError, Reason
from app.documents.report import Check, failed, passed
from app.domain import statement as st

ORDER_FIELDS: Mapping[str, type] = {
    "id": str,
    "custodian_id": str,
    "exchange_id": str,
    "env": str,
    "client_id": str,
    "assets": list,
    "reason": str,
    "created_at": str,
    "expires_at": str,
}
ASSET_FIELDS: Mapping[str, type] = {"asset": str, "quantity": str}
# body fields the statement does not show: bound only through body=
_UNSHOWN = ("reason", "created_at")


@dataclass(frozen=True)
class OrderExtension:
    """An optional body section of an on-chain unfreeze order."""

    key: str  # the body field it owns
    check: Callable[[Any, str], None]  # validate body[key]; raise DocumentError naming the field
    tx_hash: Callable[[Any], bytes]  # the transaction's own hash (32 bytes), shown as tx=


_EXTENSIONS: dict[str, OrderExtension] = {}


def register_order_extension(extension: OrderExtension) -> None:
    """Make ``extension.key`` an accepted order body field (idempotent per extension)."""
    if extension.key in ORDER_FIELDS:
        raise ValueError(f"{extension.key} is a core order field")
    known = _EXTENSIONS.get(extension.key)
    if known is not None and known is not extension:
        raise ValueError(f"order extension {extension.key} is already registered")
    _EXTENSIONS[extension.key] = extension


def _extension(body: dict[str, Any], where: str) -> OrderExtension | None:
    present = [_EXTENSIONS[key] for key in sorted(body) if key in _EXTENSIONS]
    if len(present) > 1:
        raise DocumentError(
            Reason.MALFORMED, f"{where}: more than one on-chain section ({present[1].key})"
        )
    return present[0] if present else None


def check_order_body(body: object, where: str = "body") -> OrderExtension | None:
    """Refuse an unknown, missing or mistyped field by name; return the extension used."""
    if not isinstance(body, dict):
        raise DocumentError(Reason.MALFORMED, f"{where}: expected an object")
    extension = _extension(body, where)
    fields = dict(ORDER_FIELDS)
    if extension is not None:
        fields[extension.key] = object
    exact_fields(body, fields, where)
    assets = body["assets"]
    if not assets:
        raise DocumentError(Reason.MALFORMED, f"{where}.assets: empty")
    for index, item in enumerate(assets):
        at = f"{where}.assets[{index}]"
        exact_fields(item, ASSET_FIELDS, at)
        if parse_amount(item["quantity"], f"{at}.quantity") <= 0:
            raise DocumentError(Reason.BAD_AMOUNT, f"{at}.quantity: must be positive")
    for name in ("created_at", "expires_at"):
        parse_utc(body[name], f"{where}.{name}")
    if extension is not None:
        extension.check(body[extension.key], f"{where}.{extension.key}")
    return extension


def _tx_hash(extension: OrderExtension, body: dict[str, Any]) -> bytes:
    tx_hash = extension.tx_hash(body[extension.key])
    if not isinstance(tx_hash, bytes) or len(tx_hash) != 32:
        raise DocumentError(Reason.MALFORMED, f"body.{extension.key}: no 32-byte transaction hash")
    return tx_hash


CURRENT_VERSION = st.UnfreezeStatementV3.VERSION
_STATEMENT_FOR_VERSION: Mapping[int, type[st.UnfreezeStatement]] = {
    st.UnfreezeStatement.VERSION: st.UnfreezeStatement,  # format 2: still verified
    st.UnfreezeStatementV3.VERSION: st.UnfreezeStatementV3,
}


def order_statement(
    body: dict[str, Any], where: str = "body", version: int = CURRENT_VERSION
) -> st.UnfreezeStatement:
    """The statement (format ``version``) every party signs for the order ``body``.

    The body is checked first. Format 3 (the default, every new order) shows the
    reason; format 2 is rebuilt only to verify orders signed in it.
    """
    extension = check_order_body(body, where)
    try:
        env = st.Environment(body["env"])
    except ValueError as exc:
        raise DocumentError(Reason.MALFORMED, f"{where}.env: must be prod or test") from exc
    cls = _STATEMENT_FOR_VERSION.get(version)
    if cls is None:
        raise DocumentError(Reason.UNSUPPORTED_VERSION, f"no order statement format {version}")
    shown_reason = {"reason": body["reason"]} if cls is st.UnfreezeStatementV3 else {}
    return cls(
        custodian=body["custodian_id"],
        exchange=body["exchange_id"],
        env=env,
        order_id=body["id"],
        client_id=body["client_id"],
        assets=tuple(
            (a["asset"], parse_amount(a["quantity"], f"{where}.assets[{i}].quantity"))
            for i, a in enumerate(body["assets"])
        ),
        expires_at=parse_utc(body["expires_at"], f"{where}.expires_at"),
        body_digest=bytes.fromhex(body_digest(body)),
        tx_prefix=None if extension is None else _tx_hash(extension, body)[:8],
        **shown_reason,
    )


def _differences(body: dict[str, Any], signed: st.UnfreezeStatement, where: str) -> str | None:
    """The first body field that is not what ``signed`` shows, as a sentence."""
    shown = {
        "custodian_id": signed.custodian,
        "exchange_id": signed.exchange,
        "env": signed.env.value,
        "id": signed.order_id,
        "client_id": signed.client_id,
        "expires_at": utc(signed.expires_at),
    }
    if isinstance(signed, st.UnfreezeStatementV3):
        shown["reason"] = signed.reason
    for name, value in shown.items():
        if body[name] != value:
            return f"{where}.{name} is {body[name]!r}, the signed statement says {value!r}"
    signed_quantities = {code: f"{q:f}" for code, q in signed.assets}
    seen: set[str] = set()
    for index, item in enumerate(body["assets"]):
        code, quantity = item["asset"], item["quantity"]
        at = f"{where}.assets[{index}]"
        if code not in signed_quantities:
            return f"{at}.asset {code!r} is not in the signed statement"
        if code in seen:
            return f"{at}.asset {code!r} appears twice"
        seen.add(code)
        if quantity != signed_quantities[code]:
            return (
                f"{at}.quantity is {quantity!r}, the signed statement says "
                f"{signed_quantities[code]!r} {code}"
            )
    missing = sorted(set(signed_quantities) - seen)
    if missing:
        return f"{where}.assets: {missing[0]} is signed but missing from the body"
    return None


def order_checks(body: object, statement: str, where: str = "body") -> Check:
    """The order ``body`` against the signed ``statement``, naming the first bad field."""
    try:
        signed = st.parse_as(statement, st.UnfreezeStatement)
    except st.StatementError as exc:
        return failed("body", Reason.MISMATCH, f"statement: {exc}")
    try:
        check_order_body(body, where)
        assert isinstance(body, dict)
        difference = _differences(body, signed, where)
        if difference is not None:
            return failed("body", Reason.MISMATCH, difference)
        rebuilt = order_statement(body, where, signed.VERSION)
    except DocumentError as exc:
        return failed("body", exc.reason, exc.message)
    except st.StatementError as exc:
        return failed("body", Reason.MISMATCH, f"{where} cannot form a statement: {exc}")
    if rebuilt.tx_prefix != signed.tx_prefix:
        return failed("body", Reason.MISMATCH, f"{where}: the on-chain transaction hash differs "
                      "from the signed statement's tx")
    unshown = [f for f in _UNSHOWN if not (f == "reason" and signed.VERSION >= 3)]
    if rebuilt.body_digest != signed.body_digest:
        return failed(
            "body",
            Reason.MISMATCH,
            f"{where} digest differs from the signed statement's body=: a field the statement "
            f"does not show ({', '.join(unshown)}"
            + (", the on-chain section" if rebuilt.tx_prefix is not None else "")
            + ") was changed",
        )
    if rebuilt.render() != statement:  # pragma: no cover - every field compared above
        return failed("body", Reason.MISMATCH, f"{where} differs from the signed statement")
    return passed(
        "body",
        f"every field bound: {len(signed.assets)} asset(s) with quantities, "
        f"body sha256 {signed.body_digest.hex()[:16]}...",
    )


# The on-chain sections the desk knows, registered once this module is loaded.
from app.documents import order_bitcoin as _order_bitcoin  # noqa: E402, F401
from app.documents import safe_section as _safe_section  # noqa: E402, F401
