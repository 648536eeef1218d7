"""Qt side: Qt's own button texts in the officer's language, bundled fonts per script (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFontDatabase, QRawFont
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.ui.fonts import font_for, register_bundled_fonts
from intake_app.ui.qt_translations import install_qt_translations, installed_qt_language, remove_qt_translations

CANCEL = QMessageBox.StandardButton.Cancel


@pytest.fixture
def qt_language(qtbot: QtBot) -> Iterator[None]:
    yield
    remove_qt_translations()  # other GUI tests expect Qt's English


def test_qt_dialog_buttons_follow_the_officer_language(qtbot: QtBot, qt_language: None) -> None:
    assert install_qt_translations("nl")
    assert installed_qt_language() == "nl"
    box = QMessageBox(QMessageBox.Icon.Question, "Vraag", "Doorgaan?", QMessageBox.StandardButton.Ok | CANCEL)
    qtbot.addWidget(box)
    assert box.button(CANCEL).text() == "Annuleren"

    assert install_qt_translations("en")  # switched at run time: the open dialog follows
    qtbot.waitUntil(lambda: box.button(CANCEL).text() == "Cancel", timeout=2000)
    assert installed_qt_language() == "en"

    assert install_qt_translations("nl")
    qtbot.waitUntil(lambda: box.button(CANCEL).text() == "Annuleren", timeout=2000)


def test_a_language_qt_does_not_have_leaves_qt_english(qtbot: QtBot, qt_language: None) -> None:
    install_qt_translations("nl")
    assert not install_qt_translations("ti")
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?", CANCEL)
    qtbot.addWidget(box)
    assert box.button(CANCEL).text() == "Cancel"


def test_every_bundled_font_is_registered_once(qtbot: QtBot) -> None:
    first = register_bundled_fonts()
    assert register_bundled_fonts() is first
    assert {family for families in first.values() for family in families} == {
        "Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic",
    }
    assert len(first) == 6
    assert "Noto Sans Ethiopic" in QFontDatabase.families()


def test_tigrinya_is_drawn_with_the_bundled_ethiopic_font(qtbot: QtBot) -> None:
    font = font_for("ti", 14)
    assert font.families() == ["Noto Sans Ethiopic", "Noto Sans"]
    assert font.pointSizeF() == 14
    raw = QRawFont.fromFont(font)
    assert raw.familyName() == "Noto Sans Ethiopic"
    assert raw.supportsCharacter(0x1230)  # ሰ
    assert raw.glyphIndexesForString("ሰላም")[0] != 0
    # The Latin face lacks Ethiopic: without the language's own face Qt would need a system font.
    assert not QRawFont.fromFont(font_for("en", 14)).supportsCharacter(0x1230)


def test_arabic_script_languages_get_the_arabic_face_then_latin(qtbot: QtBot) -> None:
    for locale in ("ar", "fa", "fa_AF", "ps", "ckb"):
        assert font_for(locale, 12).families() == ["Noto Sans Arabic", "Noto Sans"]
    raw = QRawFont.fromFont(font_for("ckb", 12))
    assert raw.familyName() == "Noto Sans Arabic" and raw.supportsCharacter(ord("ڕ"))
