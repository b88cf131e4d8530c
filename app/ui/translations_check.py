"""Loads every shipped translation with Qt's own loader (used by `custody-desk self-test`)."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from app.resources_path import resource_path


def loadable_translations() -> list[str]:
    """Language codes of the shipped .qm files, each loaded by QTranslator.

    Raises RuntimeError naming the first file Qt cannot load, or when the
    Simplified Chinese translation is missing.
    """
    loaded = []
    for qm in sorted(resource_path("i18n").glob("*.qm")):
        if not QTranslator().load(str(qm)):
            raise RuntimeError(f"cannot load {qm.name}")
        loaded.append(qm.stem.removeprefix("custody_desk_"))
    if "zh_CN" not in loaded:
        raise RuntimeError("the Simplified Chinese translation is missing")
    return loaded
