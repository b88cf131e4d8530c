"""The Bitcoin section of an on-chain unfreeze order: ``btc_release``.

``{"txid", "amount_sat", "fee_sat", "destination", "inputs"}``: the release
transaction's txid (64 lowercase hex, display order), what the destination
receives and the fee (integer satoshis), the release address and the number of
vault coins spent. The statement shows ``tx=`` the txid's first 8 bytes; the
whole section is bound by ``body=``. Registered with
:func:`app.documents.order_body.register_order_extension`.
"""

from __future__ import annotations

import re
from typing import Any

from app.documents.canonical import exact_fields
from app.documents.errors import DocumentError, Reason
from app.documents.order_body import OrderExtension, register_order_extension

KEY = "btc_release"
FIELDS = {"txid": str, "amount_sat": int, "fee_sat": int, "destination": str, "inputs": int}
_TXID = re.compile(r"^[0-9a-f]{64}$")
_ADDRESS = re.compile(r"^[0-9A-Za-z]{14,90}$")


def check(section: Any, where: str) -> None:
    exact_fields(section, FIELDS, where)
    if not _TXID.match(section["txid"]):
        raise DocumentError(Reason.MALFORMED, f"{where}.txid: 64 lowercase hex characters")
    for name in ("amount_sat", "fee_sat", "inputs"):
        value = section[name]
        if isinstance(value, bool) or value <= 0:
            raise DocumentError(Reason.BAD_AMOUNT, f"{where}.{name}: a positive integer")
    if not _ADDRESS.match(section["destination"]):
        raise DocumentError(Reason.MALFORMED, f"{where}.destination: not a Bitcoin address")


def tx_hash(section: Any) -> bytes:
    return bytes.fromhex(section["txid"])


EXTENSION = OrderExtension(KEY, check, tx_hash)
register_order_extension(EXTENSION)
