"""The ``safe`` section of an on-chain unfreeze order: the SafeTx the parties approve.

Registered as an order extension (``app.documents.order_body``): the statement shows
``tx=`` the first 8 bytes of the SafeTx hash (what each party's wallet shows), and
``body=`` binds every field below. ``check`` rebuilds the SafeTx from its fields and
refuses a section whose hash, token, recipient or amount does not follow from them,
so a verifier needs nothing but the document::

    "safe": {
      "chain_id": 1, "safe": "0x…", "asset": "BENJI", "token": "0x…", "decimals": 18,
      "recipient": "0x…", "units": "1250500000000000000000",
      "owners": ["0x…", "0x…", "0x…"], "threshold": 2,
      "safe_tx": {SafeTx fields}, "safe_tx_hash": "0x…"
    }
"""

from __future__ import annotations

from typing import Any

from app.documents.canonical import exact_fields
from app.documents.errors import DocumentError, Reason
from app.documents.order_body import OrderExtension, register_order_extension
from app.domain.safe_tx import SafeTx, SafeTxError, checksum_address, decode_erc20_transfer

KEY = "safe"
SECTION_FIELDS: dict[str, type] = {
    "chain_id": int,
    "safe": str,
    "asset": str,
    "token": str,
    "decimals": int,
    "recipient": str,
    "units": str,
    "owners": list,
    "threshold": int,
    "safe_tx": dict,
    "safe_tx_hash": str,
}


def safe_tx_of(section: dict[str, Any]) -> SafeTx:
    """The SafeTx a (checked) section describes."""
    return SafeTx.from_json(section["safe_tx"])


def check_section(section: Any, where: str) -> None:
    """Refuse a section whose SafeTx is not the token transfer its fields say."""
    exact_fields(section, SECTION_FIELDS, where)
    try:
        tx = safe_tx_of(section)
        for name in ("safe", "token", "recipient"):
            checksum_address(section[name], f"{where}.{name}")
        owners = [checksum_address(o, f"{where}.owners") for o in section["owners"]]
    except SafeTxError as exc:
        raise DocumentError(Reason.MALFORMED, f"{where}: {exc}") from exc
    if len(set(owners)) != 3 or section["threshold"] != 2:
        raise DocumentError(Reason.MALFORMED, f"{where}: a 2-of-3 Safe has three owners")
    if tx.chain_id != section["chain_id"] or tx.safe != section["safe"]:
        raise DocumentError(Reason.MISMATCH, f"{where}.safe_tx: another chain or Safe")
    if tx.to != section["token"] or tx.value != 0:
        raise DocumentError(Reason.MISMATCH, f"{where}.safe_tx.to: not the token contract")
    if decode_erc20_transfer(tx.data) != (section["recipient"], int(section["units"])):
        raise DocumentError(
            Reason.MISMATCH, f"{where}.safe_tx.data: not a transfer of units to recipient"
        )
    if section["safe_tx_hash"] != "0x" + tx.safe_tx_hash.hex():
        raise DocumentError(Reason.MISMATCH, f"{where}.safe_tx_hash: not the SafeTx's hash")


def section_tx_hash(section: Any) -> bytes:
    return bytes.fromhex(str(section["safe_tx_hash"]).removeprefix("0x"))


EXTENSION = OrderExtension(key=KEY, check=check_section, tx_hash=section_tx_hash)
register_order_extension(EXTENSION)
