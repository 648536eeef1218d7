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
QProgressBar#strength { border: none; background: #e5e7eb; border-radius: 4px; }
QProgressBar#strength::chunk { background: #15803d; border-radius: 4px; }
"""


def apply_style(app: QApplication) -> None:
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
