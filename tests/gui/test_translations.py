"""Every user-visible string of the window is translated in Simplified Chinese.

Two checks: the source side (lupdate over app/ui finds no string without a finished
Chinese translation, no class name offered to translators as text, and the shipped
.qm is the compiled .ts), and the screen side (the window, its tabs, the settings and
sign-in dialogs in Chinese show no English word beyond names, codes and data).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from app.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_every_string_in_the_code_has_a_finished_chinese_translation(tmp_path: Path) -> None:
    ts = tmp_path / "custody_desk_zh_CN.ts"
    shutil.copy(I18N / "custody_desk_zh_CN.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(ts)],
        check=True, capture_output=True,
    )
    classes = {c.__name__ for c in _ui_classes()}
    missing, class_names, no_context = [], [], []
    for context in ET.parse(ts).getroot():
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if not name:
                no_context.append(source)  # an aliased translate(): lupdate misread it
            if source in classes:
                class_names.append(f"{name}: {source}")
            if translation is None or translation.get("type") == "unfinished" or not (
                (translation.text or "").strip() or translation.findall("numerusform")
            ):
                missing.append(f"{name}: {source}")
    assert missing == [], f"untranslated in zh_CN (lupdate, translate, lrelease): {missing}"
    assert no_context == [] and class_names == []
    # the shipped .qm is the .ts compiled (lrelease is deterministic)
    qm = tmp_path / "zh_CN.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(I18N / "custody_desk_zh_CN.ts"), "-qm", str(qm)],
        check=True, capture_output=True,
    )
    assert qm.read_bytes() == (I18N / "custody_desk_zh_CN.qm").read_bytes(), "run lrelease"


def _ui_classes() -> list[type]:
    import app.ui.main_window  # noqa: F401  (imports the views, models and dialogs)
    from app.ui.models.base import RowTableModel

    seen: list[type] = []
    todo: list[type] = [QWidget, RowTableModel]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("app.") and sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return seen


# Words that are names, codes or units in either language, not English to translate.
ALLOWED = {
    "usd", "btc", "benji", "buidl", "usdc", "eth", "safe", "safetx", "psbt", "pem", "tls",
    "csv", "json", "sqlite", "postgresql", "utc", "pin", "vara", "trezor", "coldcard",
    "cdesk", "signin", "eip", "tpub", "xpub", "https", "ctrl", "alt", "shift", "esc",
    "python", "pyside", "english", "emulator", "dir", "test", "custody", "desk", "data",
    "alice", "bob", "mmf", "nav", "soc", "mpc", "hsm", "api", "url", "mtls",
}
DATA = re.compile(
    r"\S*[/\\._:@#-]\S*"  # paths, URIs, file names, ids, audit action codes, options
    r"|0x[0-9a-fA-F]+|\b[0-9a-f]{8,}\b"  # addresses, fingerprints, hashes
)
NOT_TRANSLATED_BY_DESIGN = {"licenceNotices", "helpLinks", "storeStatus", "storeInUse"}


def _client_names() -> list[str]:
    from app.services.demo import demo_snapshot_path

    doc = json.loads(demo_snapshot_path().read_text())
    return sorted((c["name"] for c in doc["clients"]), key=len, reverse=True)


def _texts(root: QWidget) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__}#{w.objectName()}"
        if w.objectName() in NOT_TRANSLATED_BY_DESIGN:
            continue
        if isinstance(w, QLabel):
            out.append((where, w.text()))
        if isinstance(w, QAbstractButton):
            out.append((where, w.text()))
        if isinstance(w, QGroupBox):
            out.append((where, w.title()))
        if isinstance(w, QTabWidget):
            out += [(where, w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QLineEdit):
            out.append((where, w.placeholderText()))
        if isinstance(w, QComboBox):
            out += [(where, w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            out += [
                (where, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                for c in range(model.columnCount())
            ]
        out.append((where, w.toolTip()))
        out += [(where, a.text()) for a in w.actions()]
        out += [(where, a.toolTip()) for a in w.actions()]
    return out


def english_words(texts: list[tuple[str, str]], data: list[str]) -> list[str]:
    """Each text that still has an English word in it (names, codes and ``data`` aside:
    the demo clients' names, the officers' roles as registered)."""
    names = sorted([*_client_names(), *data], key=len, reverse=True)
    found = []
    for where, text in texts:
        plain = re.sub(r"<[^>]+>", " ", text).replace("&", "")
        for name in names:
            plain = plain.replace(name, " ")
        plain = DATA.sub(" ", plain)
        words = [w for w in re.findall(r"[A-Za-z]{3,}", plain) if w.lower() not in ALLOWED]
        if words:
            found.append(f"{where}: {text!r} ({', '.join(words)})")
    return sorted(set(found))


def test_the_chinese_window_shows_no_english(desk) -> None:
    from test_flows import setup_two_officers

    from app.domain.parties import Party
    from app.services.vault import add_multisig_key
    from signing.emulator.test_seeds import (
        TEST_MNEMONIC_ALL,
        TEST_MNEMONIC_LEGAL,
        TEST_MNEMONIC_ZOO,
    )
    from tests.btc_support import account_key

    setup_two_officers(desk)
    desk.sign_in("alice")
    # the parties' keys among the registered keys (Devices tab): their parties translated
    store, w = desk.ctx.facade.store, desk.window
    for party, seed in ((Party.REGULATOR, TEST_MNEMONIC_ZOO), (Party.CUSTODIAN, TEST_MNEMONIC_ALL),
                        (Party.EXCHANGE, TEST_MNEMONIC_LEGAL)):
        add_multisig_key(store, party, account_key(seed), actor="test", is_emulator=True)
        if party is Party.REGULATOR:  # one of three (added one by one in Settings): no vault yet
            desk.run(w.devices.reload_keys())
            assert w.devices.keys_model.rowCount() == 2  # the officers' keys, and no failure
    assert i18n.translator().switch("zh_CN")
    try:
        w = desk.window
        w._ensure_built()
        desk.settle()
        for n in range(w.tabs.count()):
            w.tabs.setCurrentIndex(n)
            desk.settle()
        texts = _texts(w)
        keys = w.devices.keys_model  # the Kind and Officer-or-party cells
        desk.run(w.devices.reload_keys())
        assert keys.rowCount() == 5
        texts += [
            ("KeysModel", str(keys.index(r, c).data())) for r in range(keys.rowCount())
            for c in (0, 1)
        ]
        settings = w.show_settings()
        desk.settle()
        texts += _texts(settings)
        from app.ui.dialogs.create_order import CreateOrderDialog
        from app.ui.dialogs.emulator_offer import EmulatorOfferDialog
        from app.ui.dialogs.register_officer import RegisterOfficerDialog
        from app.ui.dialogs.reject_attestation import RejectAttestationDialog
        from app.ui.dialogs.replace_share import ReplaceShareDialog

        for dialog in (
            RegisterOfficerDialog(desk.ctx.devices, w),
            CreateOrderDialog(["alnoor-quant"], w),
            RejectAttestationDialog(1, w),
            ReplaceShareDialog("order-1", "k1", w),
            EmulatorOfferDialog(w),
        ):
            texts += _texts(dialog)
            dialog.deleteLater()
        signin = w.signin_bar.ask("switch")
        texts += _texts(signin)
        signin.hide()
        settings.close()
        found = english_words(texts, [o.role for o in desk.ctx.officers])
        assert found == [], "\n".join(found)
    finally:
        i18n.translator().switch("en")
