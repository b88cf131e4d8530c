"""What a Coldcard says: its ``vers`` answer, and the typed error for an ``err_`` answer.

The firmware answers ``vers`` with lines: build date, firmware version, bootloader
version, build timestamp, hardware label (``mk4``, ``q1``...), and tells clients to
"be ready for additions". A Coldcard has no user-set name, so the desk names a real
one by what it reports (``Coldcard mk4 5.3.1``). An addition of the form
``label=<name>`` is the device naming itself: the desk's emulator sends
``label=EMULATOR <name>``, the same label its Trezor face reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signing.errors import (
    InvalidText,
    NotAllowed,
    PinRequired,
    ProtocolError,
    SigningError,
    Unsupported,
)

LABEL_KEY = "label"
_MAX_LABEL = 64  # a display name, not a document
_LOCKED = re.compile(r"\blocked\b|\bpin\b", re.IGNORECASE)
_REFUSED_BY_POLICY = re.compile(r"env=prod|production|not allowed|policy", re.IGNORECASE)
_BAD_TEXT = re.compile(r"\bmsg\b|ascii|spaces?\b|bad char|character|text", re.IGNORECASE)


def map_remote_error(text: str) -> SigningError:
    """The typed error for an ``err_`` answer (firmware wording, and the emulator's)."""
    if _LOCKED.search(text):
        return PinRequired(f"device says: {text}")
    if _REFUSED_BY_POLICY.search(text):
        return NotAllowed(f"device says: {text}")
    if _BAD_TEXT.search(text):
        return InvalidText(f"device says: {text}")
    if "unsupported" in text.lower():
        return Unsupported(f"device says: {text}")
    return ProtocolError(f"device error: {text}")


@dataclass(frozen=True)
class ColdcardVersion:
    """The ``vers`` answer, split into the fields the firmware lays out."""

    lines: tuple[str, ...]

    def _line(self, index: int) -> str:
        return self.lines[index].strip() if len(self.lines) > index else ""

    @property
    def firmware(self) -> str:
        return self._line(1) or "unknown"

    @property
    def hardware(self) -> str:
        return self._line(4) or "unknown"

    @property
    def additions(self) -> dict[str, str]:
        """``key=value`` lines after the five the firmware always sends."""
        out: dict[str, str] = {}
        for line in self.lines[5:]:
            key, sep, value = line.partition("=")
            if sep and key.strip() and key.strip() not in out:
                out[key.strip()] = value.strip()
        return out

    @property
    def label(self) -> str:
        """The device's own name, else ``Coldcard <hardware> <firmware>``."""
        named = "".join(c for c in self.additions.get(LABEL_KEY, "") if c.isprintable())
        if named.strip():
            return named.strip()[:_MAX_LABEL]
        return f"Coldcard {self.hardware} {self.firmware}"

    @property
    def says_emulator(self) -> bool:
        return any("emulator" in line.lower() for line in self.lines)


def parse_version(text: str) -> ColdcardVersion:
    """Split a ``vers`` answer; any shape is accepted (missing fields read ``unknown``)."""
    return ColdcardVersion(tuple(text.split("\n")))
