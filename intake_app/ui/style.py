"""One calm look for the whole app: light surfaces, clear focus, readable sizes."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
QMainWindow, QStackedWidget > QWidget { background: #f4f5f7; }
QFrame#card {
    background: white; border: 1px solid #d8dce3; border-radius: 8px; padding: 18px;
}
QLabel#screenTitle { font-size: 18pt; font-weight: 600; color: #1f2937; }
QLabel#lockMessage, QLabel#firstRunMessage { color: #b91c1c; }
QLabel#passphraseAdvice { color: #374151; }
QLabel#emptyHint { color: #4b5563; font-size: 11pt; padding: 12px; }
QLabel#caseCount { color: #4b5563; }
QLineEdit { padding: 5px; border: 1px solid #b8bec9; border-radius: 4px; background: white; min-width: 240px; }
QLineEdit:focus { border: 2px solid #1d4ed8; }
QPushButton { padding: 6px 16px; border-radius: 4px; border: 1px solid #9ca3af; background: #ffffff; }
QPushButton:default { background: #1d4ed8; color: white; border: 1px solid #1e40af; }
QPushButton:focus { border: 2px solid #f59e0b; }
QPushButton:disabled { background: #e5e7eb; color: #6b7280; }
QTableView { background: white; alternate-background-color: #f8fafc; gridline-color: #e5e7eb; }
QTableView:focus { border: 2px solid #1d4ed8; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; color: #1f2937; padding: 4px 0 8px 0; }
QLabel#caseTitle { font-size: 12pt; font-weight: 600; }
QLabel#savedIndicator { color: #15803d; }
QLabel#questionHelp { color: #6b7280; font-size: 9pt; }
QLabel#validationMessage { color: #b91c1c; font-weight: 600; }
QFrame#questionRow[invalid="true"] { background: #fef2f2; border-left: 3px solid #b91c1c; }
QLabel#noteText { background: #eff6ff; border-left: 3px solid #1d4ed8; padding: 6px; color: #1e3a8a; }
QLabel#specialCategory { background: #fff7ed; border-left: 3px solid #c2410c; padding: 6px; color: #9a3412; }
QFrame#repeatGroup { border-top: 1px solid #d8dce3; margin-top: 6px; }
QLabel#groupTitle { font-weight: 600; font-size: 11pt; }
QFrame#repeatEntry { background: white; border: 1px solid #d8dce3; border-radius: 6px; }
QLabel#entryTitle { font-weight: 600; }
QListWidget#domainList { background: white; border: 1px solid #d8dce3; }
QListWidget#domainList::item { padding: 7px 6px; }
QListWidget#domainList::item:selected { background: #1d4ed8; color: white; }
QWidget#pageBody { background: #f4f5f7; }
QProgressBar#strength { border: none; background: #e5e7eb; border-radius: 4px; }
QProgressBar#strength::chunk { background: #15803d; border-radius: 4px; }
"""


def apply_style(app: QApplication) -> None:
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
