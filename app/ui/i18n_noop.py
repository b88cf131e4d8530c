"""Typed translation markers that Qt's ``lupdate`` recognises by name."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate looks for this name
    """Mark ``text`` for translation in ``context``; translate later with QCoreApplication."""
    del context
    return text
