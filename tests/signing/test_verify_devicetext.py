"""Device text rules and the production-token rules."""

from __future__ import annotations

import pytest

from signing.devicetext import (
    check_device_text,
    declares_production,
    is_device_text,
    mentions_production,
)
from signing.errors import InvalidText


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "attest ACME 2026-11-26 total=156800000.00 USD env=test",
        "a  b",  # two spaces are fine
        "~!@#$%^&*()_+{}|:<>?",
        "x" * 240,
    ],
)
def test_showable_text_passes_unchanged(text: str) -> None:
    assert check_device_text(text) == text
    assert is_device_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x",
        "x" * 241,
        " leading",
        "trailing ",
        "three   spaces",
        "line\nbreak",
        "tab\tchar",
        "carriage\rreturn",
        "nul\x00byte",
        "del\x7fchar",
        "caf\u00e9",
        "emoji \U0001f600",
        "zero\u200bwidth",
    ],
)
def test_unshowable_text_is_invalid_text(text: str) -> None:
    with pytest.raises(InvalidText):
        check_device_text(text)
    assert not is_device_text(text)


def test_non_string_is_invalid_text() -> None:
    with pytest.raises(InvalidText):
        check_device_text(b"bytes")


@pytest.mark.parametrize(
    ("text", "mentions", "declares"),
    [
        ("attest env=prod", True, True),
        ("attest;env=prod;x", True, True),
        ("attest ENV=PROD", True, False),  # refused by the emulator, not a prod statement
        ("attest env=production", True, False),
        ("attest env=test", False, False),
        ("attest env = prod", False, False),
    ],
)
def test_production_token(text: str, mentions: bool, declares: bool) -> None:
    assert mentions_production(text) is mentions
    assert declares_production(text) is declares
    # whatever a prod verifier accepts, the emulator refuses to sign
    assert not declares or mentions
