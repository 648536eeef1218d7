"""Qt's own texts (dialog buttons, context menus, file dialogs) in the officer's UI language.

Our catalogs translate our texts; the "Cancel" of a QMessageBox and the "Copy" of a line edit's
context menu come from Qt, which ships them as ``qtbase_<lang>.qm`` next to its libraries (PySide6
bundles them; QLibraryInfo says where). English is Qt's source language and needs no file.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_log = logging.getLogger(__name__)
QT_SOURCE_LANGUAGE = "en"
_installed: QTranslator | None = None
_language = QT_SOURCE_LANGUAGE


def qt_translations_folder() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def installed_qt_language() -> str:
    return _language


def install_qt_translations(language: str) -> bool:
    """Make Qt's own texts ``language`` (e.g. "nl"), replacing what was installed; True if found.

    Switching at run time works: installing or removing a translator sends every widget a
    LanguageChange event, and Qt's dialogs retranslate their standard buttons on it. For a language
    Qt has no file for, Qt's texts stay English (and False is returned).
    """
    global _installed, _language
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing Qt's translations")
    language = language.replace("-", "_")
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    _language = QT_SOURCE_LANGUAGE
    if language.split("_")[0] == QT_SOURCE_LANGUAGE:
        return True
    translator = QTranslator(app)
    # QTranslator tries qtbase_fa_AF, then qtbase_fa: a Dari officer still gets Qt's Farsi.
    if not translator.load(QLocale(language), "qtbase", "_", qt_translations_folder()):
        _log.info("no Qt translation for %s; Qt's own texts stay English", language)
        return False
    app.installTranslator(translator)
    _installed, _language = translator, language
    return True


def remove_qt_translations() -> None:
    install_qt_translations(QT_SOURCE_LANGUAGE)
