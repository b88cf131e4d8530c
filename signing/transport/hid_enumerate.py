"""HID device families and enumeration that never opens a device.

A HID signing-device family is described by one ``HidFamily`` value (USB ids
and the URI scheme its driver answers to). Adding a second family means one
driver module that declares its ``HidFamily``; enumeration is shared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HidFamily:
    """USB identity of one family of HID signing devices."""

    name: str  # the URI scheme, e.g. "coldcard"
    vendor_id: int
    product_id: int
    usage_page: int | None = None  # filter when a device exposes several interfaces


@dataclass(frozen=True)
class HidCandidate:
    """One HID interface seen by ``hid.enumerate``; nothing was opened to learn this."""

    family: HidFamily
    path: bytes
    serial_number: str
    product: str
    manufacturer: str

    @property
    def uri(self) -> str:
        return f"{self.family.name}:hid:{path_to_text(self.path)}"


def path_to_text(path: bytes) -> str:
    """hidapi paths are bytes; URIs carry them as text (latin-1 round-trips every byte)."""
    return path.decode("latin-1")


def text_to_path(text: str) -> bytes:
    return text.encode("latin-1")


EnumerateFn = Callable[[int, int], Iterable[Mapping[str, Any]]]


def _hid_enumerate(vendor_id: int, product_id: int) -> Iterable[Mapping[str, Any]]:
    import hid

    result: Iterable[Mapping[str, Any]] = hid.enumerate(vendor_id, product_id)
    return result


def enumerate_family(
    family: HidFamily, enumerate_fn: EnumerateFn | None = None
) -> list[HidCandidate]:
    """Every interface of ``family`` the OS lists, in hidapi's order. Never opens one.

    A missing or failing hidapi backend yields an empty list (logged), so one
    broken backend never hides the other devices.
    """
    fn = enumerate_fn or _hid_enumerate
    try:
        entries = list(fn(family.vendor_id, family.product_id))
    except (ImportError, OSError) as exc:
        log.warning("HID enumeration for %s failed: %s", family.name, exc)
        return []
    found: list[HidCandidate] = []
    seen: set[bytes] = set()
    for entry in entries:
        if entry.get("vendor_id") != family.vendor_id:
            continue
        if entry.get("product_id") != family.product_id:
            continue
        if family.usage_page is not None and entry.get("usage_page") not in (
            None,
            0,
            family.usage_page,
        ):
            continue
        raw_path = entry.get("path")
        if isinstance(raw_path, str):
            raw_path = raw_path.encode("latin-1")
        if not isinstance(raw_path, bytes) or not raw_path or raw_path in seen:
            continue
        seen.add(raw_path)
        found.append(
            HidCandidate(
                family=family,
                path=raw_path,
                serial_number=str(entry.get("serial_number") or ""),
                product=str(entry.get("product_string") or ""),
                manufacturer=str(entry.get("manufacturer_string") or ""),
            )
        )
    return found
