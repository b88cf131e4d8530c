"""Names people type (officers, party keys): one line of printable text.

A name is shown in tables, on the audit log's one-line entries and in the keys
file; a newline would forge a line in ``audit log``, and a bidirectional
override (U+202E…) or any other invisible format character would make a name
read as another. Letters of every script are fine (``张伟``); control, format,
surrogate, private-use, unassigned and line/paragraph-separator characters are
not, nor leading or trailing spaces.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_LENGTH = 64

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class InvalidName(ValueError):
    """The name is empty, too long, or not one line of printable text."""


def check_name(value: str, what: str = "name") -> str:
    """``value`` if it is a usable name, else :class:`InvalidName` saying why."""
    if not value.strip():
        raise InvalidName(f"{what} must not be empty")
    if value != value.strip():
        raise InvalidName(f"{what} must not start or end with spaces")
    if len(value) > MAX_NAME_LENGTH:
        raise InvalidName(f"{what} is longer than {MAX_NAME_LENGTH} characters")
    for char in value:
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES or (category == "Zs" and char != " "):
            raise InvalidName(
                f"{what} must be one line of printable text (U+{ord(char):04X} "
                f"{unicodedata.name(char, 'unnamed character')} is not)"
            )
    return value
