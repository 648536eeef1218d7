"""The bundled Noto faces as ReportLab fonts that draw *shaped glyphs*, not characters.

ReportLab embeds TrueType subsets keyed by Unicode code points. A shaped Arabic line is made of
glyphs that have no code point of their own (joining forms, lam-alef, marks placed by GPOS), so
each glyph gets a *key*: its own character when the font maps that character to exactly this glyph,
otherwise a private-use code point. The subset's ToUnicode map then sends a private key back to the
text the glyph stands for ("ل" + "ا" for the lam-alef ligature, "ب" for a medial beh), so copying
text out of the PDF — and the tests, which read it with pdfplumber — see real letters. A glyph the
font does not have (``.notdef``) is mapped to U+FFFD, so a missing glyph is visible in the text too.

Keys are allocated per process and per font, under a lock: two PDFs built in two threads share them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from intake_app.i18n.fonts import ALL_FACES, FontFace, faces_for

_PRIVATE_FIRST: Final = 0xE000
_PRIVATE_LAST: Final = 0xF8FF
REPLACEMENT: Final = "\ufffd"


class GlyphFont(TTFont):  # type: ignore[misc]  # ReportLab is untyped
    """A TrueType font whose subsets can hold any glyph, each with the text it represents."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path))
        self.coverage: frozenset[int] = frozenset(self.face.charToGlyph)
        self._cmap = {chr(code): glyph for code, glyph in self.face.charToGlyph.items()}
        self._keys: dict[tuple[int, str], int] = {}
        self._to_unicode: dict[int, str] = {}
        self._next_private = _PRIVATE_FIRST
        self._lock = threading.Lock()

    def key_for(self, glyph: int, text: str) -> int:
        """The code point that stands for ``glyph`` (which shows ``text``) in this font's subsets."""
        if glyph and self._cmap.get(text) == glyph:
            return ord(text)
        char_to_glyph = self.face.charToGlyph
        with self._lock:
            key = self._keys.get((glyph, text))
            if key is not None:
                return key
            key = self._next_private
            while key in char_to_glyph:
                key += 1
            if key > _PRIVATE_LAST:
                raise RuntimeError(f"{self.fontName}: more distinct glyphs than private-use code points")
            self._next_private = key + 1
            char_to_glyph[key] = glyph
            self.face.charWidths[key] = self.face.hmetrics[glyph][0] * 1000 / self.face.unitsPerEm
            self._to_unicode[key] = text if glyph else REPLACEMENT
            self._keys[(glyph, text)] = key
            return key

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab)
        """ReportLab's subsets, then ToUnicode maps that give private keys their real text."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        with self._lock:
            to_unicode = dict(self._to_unicode)
        for index, subset in enumerate(subsets):
            if not any(code in to_unicode for code in subset):
                continue
            base_name = b"".join((SUBSETN(index), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base_name]
            stream.content = _to_unicode_cmap(base_name, subset, to_unicode)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(name: str, subset: list[int], to_unicode: dict[int, str]) -> str:
    entries = []
    for code, key in enumerate(subset):
        # An empty text (a second glyph of one character) maps to nothing rather than to a code.
        entries.append(f"<{code:02X}> <{_utf16_hex(to_unicode.get(key, chr(key)))}>")
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # A bfchar block holds at most 100 entries.
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class PdfFace:
    """One font file, ready to shape (HarfBuzz) and to embed (ReportLab)."""

    name: str
    font: GlyphFont
    hb_font: hb.Font
    units_per_em: int

    def covers(self, char: str) -> bool:
        return ord(char) in self.font.coverage


_faces: dict[tuple[FontFace, bool], PdfFace] = {}
_faces_lock = threading.Lock()


def pdf_face(face: FontFace, bold: bool) -> PdfFace:
    """One instance per font file and process (under a lock: two first PDFs may start together)."""
    with _faces_lock:
        found = _faces.get((face, bold))
        if found is None:
            found = _faces[(face, bold)] = _load_face(face, bold)
        return found


def _load_face(face: FontFace, bold: bool) -> PdfFace:
    path = face.bold if bold else face.regular
    name = f"intake-{path.stem}"
    font = GlyphFont(name, path)
    pdfmetrics.registerFont(font)
    hb_face = hb.Face(hb.Blob.from_file_path(str(path)))
    return PdfFace(name, font, hb.Font(hb_face), hb_face.upem)


def font_chain(locale: str, *, bold: bool = False) -> tuple[PdfFace, ...]:
    """The faces to try for text in ``locale``: its own script, Latin, then every other bundled face.

    The last ones matter for the odd character from another script (an Arabic name in the Dutch
    plan): it is drawn in a font that has it instead of as an empty box.
    """
    preferred = faces_for(locale)
    ordered = preferred + tuple(face for face in ALL_FACES if face not in preferred)
    return tuple(pdf_face(face, bold) for face in ordered)
