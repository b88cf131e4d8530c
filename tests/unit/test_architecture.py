"""The layering a security reviewer relies on, checked on every module's imports.

- only ``app/ui`` imports Qt (PySide6, qasync);
- ``signing`` stands alone: it never imports ``app``;
- ``app/domain`` is pure: no Qt, no database, no devices, no network;
- only ``signing/devices/trezor.py`` imports trezorlib's client; the emulator may use
  trezorlib's message classes and their codec (``trezorlib.messages``,
  ``trezorlib.protobuf``) and nothing else of it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def _offenders(package: str, forbidden: set[str], *, skip: str | None = None) -> list[str]:
    found = []
    for path in _modules(package):
        rel = path.relative_to(ROOT).as_posix()
        if skip and rel.startswith(skip):
            continue
        bad = _top(_imports(path)) & forbidden
        if bad:
            found.append(f"{rel}: {sorted(bad)}")
    return found


def test_only_the_ui_imports_qt() -> None:
    assert _offenders("app", {"PySide6", "qasync", "shiboken6"}, skip="app/ui/") == []
    assert _offenders("signing", {"PySide6", "qasync", "shiboken6"}) == []


def test_signing_never_imports_the_desk() -> None:
    assert _offenders("signing", {"app"}) == []


def test_the_domain_is_pure() -> None:
    forbidden = {
        "PySide6",
        "qasync",
        "sqlite3",
        "hid",
        "trezorlib",
        "httpx",
        "socket",
        "signing",
        "app.store",
        "app.services",
        "app.ui",
    }
    found = []
    for path in _modules("app/domain"):
        imports = _imports(path)
        bad = (_top(imports) & forbidden) | {
            name
            for name in imports
            if any(
                name.startswith(p + ".") or name == p
                for p in ("app.store", "app.services", "app.ui")
            )
        }
        if bad:
            found.append(f"{path.relative_to(ROOT).as_posix()}: {sorted(bad)}")
    assert found == []


MESSAGE_CLASSES = {"trezorlib", "trezorlib.messages", "trezorlib.protobuf"}


def _only_message_classes(path: Path) -> bool:
    names = {n for n in _imports(path) if n.split(".")[0] == "trezorlib"}
    return names <= MESSAGE_CLASSES and (
        "trezorlib" not in names or _from_trezorlib_only(path, {"messages", "protobuf"})
    )


def _from_trezorlib_only(path: Path, allowed: set[str]) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "trezorlib"
            and any(alias.name not in allowed for alias in node.names)
        ):
            return False
        if isinstance(node, ast.Import) and any(a.name == "trezorlib" for a in node.names):
            return False
    return True


@pytest.mark.parametrize("package", ["app", "signing"])
def test_only_the_trezor_driver_imports_trezorlib(package: str) -> None:
    offenders = [
        line
        for line in _offenders(package, {"trezorlib"})
        if not line.startswith("signing/devices/trezor.py:")
        and not (
            line.startswith("signing/emulator/")
            and _only_message_classes(ROOT / line.split(":")[0])
        )
    ]
    assert offenders == []
