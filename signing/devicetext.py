"""What text a signing device can show whole, checked before anything is sent.

Rules (shared by every driver and the emulator): one line of printable ASCII
(0x20..0x7E), 2 to 240 characters, no leading or trailing space and no run of
three or more spaces (devices collapse or wrap them, so the officer would not
see exactly what is signed).
"""

from __future__ import annotations

from signing.errors import InvalidText

MIN_TEXT_CHARS = 2
MAX_TEXT_CHARS = 240


def check_device_text(text: object) -> str:
    """Return ``text`` unchanged when a device can show it whole; else raise InvalidText."""
    if not isinstance(text, str):
        raise InvalidText("the text must be a string")
    if not MIN_TEXT_CHARS <= len(text) <= MAX_TEXT_CHARS:
        raise InvalidText(f"{len(text)} characters, allowed {MIN_TEXT_CHARS}..{MAX_TEXT_CHARS}")
    for position, char in enumerate(text):
        if not " " <= char <= "~":
            raise InvalidText(f"character {position + 1} ({char!r}) is not printable ASCII")
    if text[0] == " " or text[-1] == " ":
        raise InvalidText("leading or trailing space")
    if "   " in text:
        raise InvalidText(f"three spaces in a row at character {text.index('   ') + 1}")
    return text


def is_device_text(text: object) -> bool:
    try:
        check_device_text(text)
    except InvalidText:
        return False
    return True


PRODUCTION_TOKEN = "env=prod"
"""Statements meant for production carry this token. The emulator refuses to sign
any text containing it (in any letter case), and the verifier, when run for the
production environment, accepts only statements that carry it; so nothing the
emulator signs can ever verify in production."""


def mentions_production(text: str) -> bool:
    """True when ``text`` contains ``env=prod`` anywhere, in any case (emulator refusal rule)."""
    return PRODUCTION_TOKEN in text.lower()


def declares_production(text: str) -> bool:
    """True when ``text`` carries ``env=prod`` as a whole token (production verifier rule)."""
    for token in text.replace(";", " ").replace(",", " ").split():
        if token == PRODUCTION_TOKEN:
            return True
    return False
