"""The bundled Noto fonts in Qt: registered once, chosen per language.

``intake_app.i18n.fonts`` says which faces a language needs (its own script first, then Latin for
"B1" or "12-05-2026" inside the text); this module makes Qt use exactly those, so the screen shows
what the PDF prints and an Ethiopic or Arabic text never depends on what the laptop has installed.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase

from intake_app.i18n.fonts import ALL_FACES, faces_for

_log = logging.getLogger(__name__)
_registered: dict[str, list[str]] | None = None


def register_bundled_fonts() -> dict[str, list[str]]:
    """Add every bundled TTF to Qt's font database (once per process); file name → families Qt read."""
    global _registered
    if _registered is None:
        registered: dict[str, list[str]] = {}
        for face in ALL_FACES:
            for path in (face.regular, face.bold):
                font_id = QFontDatabase.addApplicationFont(str(path))
                if font_id < 0:
                    _log.warning("Qt cannot load the bundled font %s", path)
                    continue
                registered[path.name] = list(QFontDatabase.applicationFontFamilies(font_id))
        _registered = registered
    return _registered


def font_for(locale: str, point_size: float) -> QFont:
    """A font for text in ``locale``: the bundled faces for its script, then Latin, then Qt's fallback."""
    register_bundled_fonts()
    font = QFont()
    font.setFamilies([face.family for face in faces_for(locale)])
    font.setPointSizeF(point_size)
    return font
