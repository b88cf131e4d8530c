"""English and Simplified Chinese, switchable at run time or picked from the locale."""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)

from app.resources_path import resources_dir

log = logging.getLogger(__name__)

I18N_DIR = resources_dir() / "i18n"
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}


class DeskTranslator(QObject):
    """Installs the .qm of the chosen language; views retranslate on ``language_changed``."""

    language_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.current = "en"
        self._translator: QTranslator | None = None
        self._qt_translator: QTranslator | None = None  # Qt's own: Close, Cancel, Yes…
        # English from the start: its .qm holds the plural forms ("1 call", "2 calls").
        app = QCoreApplication.instance()
        english = QTranslator(self)
        if app is not None and english.load(str(I18N_DIR / "custody_desk_en.qm")):
            app.installTranslator(english)
            self._translator = english

    def switch(self, code: str) -> bool:
        """Switch to ``code`` ('en' or 'zh_CN'); False if its .qm is missing."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        ok = True
        translator = QTranslator(self)
        if translator.load(str(I18N_DIR / f"custody_desk_{code}.qm")):
            # English too: its .qm holds the plural forms ("1 client", "2 clients")
            app.installTranslator(translator)
            self._translator = translator
        elif code != "en":
            ok = False
            log.warning("no translation for %s in %s", code, I18N_DIR)
            code = "en"
            if translator.load(str(I18N_DIR / "custody_desk_en.qm")):
                app.installTranslator(translator)
                self._translator = translator
        self._install_qt_translation(app, code)
        self.current = code
        self.language_changed.emit(code)
        return ok

    def _install_qt_translation(self, app: QCoreApplication, code: str) -> None:
        """Qt's own strings (standard buttons: Close, Cancel, OK; file dialogs) in ``code``
        from the ``qtbase_*.qm`` Qt ships; English needs none."""
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if code == "en":
            return
        qt = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{code}", folder) or qt.load(f"qtbase_{code}", str(I18N_DIR)):
            app.installTranslator(qt)
            self._qt_translator = qt
        else:
            log.warning("Qt's own translation qtbase_%s is not installed", code)

    @staticmethod
    def from_locale(locale: QLocale | None = None) -> str:
        locale = locale or QLocale.system()
        return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


_TRANSLATOR: DeskTranslator | None = None


def translator() -> DeskTranslator:
    global _TRANSLATOR  # noqa: PLW0603 - one translator per process, like the QApplication
    if _TRANSLATOR is None:
        _TRANSLATOR = DeskTranslator()
    return _TRANSLATOR
