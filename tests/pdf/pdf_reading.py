"""Reading a PDF back the way a reader sees it: glyphs in drawing order, grouped into drawn lines.

pdfplumber gives every glyph with the text its ToUnicode map names (logical letters, so a lam-alef
ligature is one glyph with the text "لا") and its position. The PIP draws each line from left to
right, so within a drawn line the glyphs come in *visual* order; python-bidi's ``get_display``
(which, like the PDF's text, does not mirror brackets) gives the expected visual order of a logical
string. Helpers here put both in the same form.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber
from bidi import get_display
from fontTools.ttLib import TTFont
from pdfminer.pdftypes import resolve1

from intake_app.i18n.fonts import ALL_FACES
from intake_app.plan.bidi_text import strip_controls


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    baseline: float
    bottom: float  # y of the glyph box's lower edge: moves with a raised or lowered glyph (Ts)
    size: float
    font: str  # PostScript name without the subset prefix

    @property
    def is_rtl(self) -> bool:
        return unicodedata.bidirectional(self.text[0]) in ("R", "AL")


Line = list[Glyph]


def glyphs(page: pdfplumber.page.Page) -> list[Glyph]:
    return [
        Glyph(
            char["text"],
            char["x0"],
            char["x1"],
            char["matrix"][5],
            char["y0"],
            char["size"],
            char["fontname"].split("+")[-1],
        )
        for char in page.chars
    ]


def drawn_lines(page: pdfplumber.page.Page) -> list[Line]:
    """Glyphs split where the baseline changes or the pen jumps back: one list per drawn line.

    A mark sits a little off its letter (HarfBuzz offsets) and a little above or below the
    baseline, which is why both tests allow up to most of an em.
    """
    lines: list[Line] = []
    for glyph in glyphs(page):
        if lines:
            last = lines[-1][-1]
            same_baseline = abs(glyph.baseline - last.baseline) < 0.6 * max(glyph.size, last.size)
            if same_baseline and glyph.x0 > last.x0 - glyph.size:
                lines[-1].append(glyph)
                continue
        lines.append([glyph])
    return lines


def visual(line: Line) -> str:
    """The line as drawn, left to right; a ligature of right-to-left letters keeps its letters
    in visual order too, as ``get_display`` writes them."""
    shown = "".join(glyph.text[::-1] if glyph.is_rtl else glyph.text for glyph in line)
    return shown.replace("\u200c", "").replace("\u200d", "")


def expected_visual(text: str, *, rtl: bool) -> str:
    """How ``text`` (one line, logical order) must appear in :func:`visual`."""
    shown = get_display(text, base_dir="R" if rtl else "L")
    assert isinstance(shown, str)
    return strip_controls(shown).replace("\u200c", "").replace("\u200d", "")


@dataclass(frozen=True)
class ReadPdf:
    """Everything the tests read from one PDF, parsed once."""

    pages: tuple[tuple[Line, ...], ...]  # drawn lines per page
    metadata: dict[str, object]
    lang: str | None
    fonts: dict[str, bool]  # BaseFont → its program (FontFile2) is in the file


@cache
def read(pdf_bytes: bytes) -> ReadPdf:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = tuple(tuple(drawn_lines(page)) for page in pdf.pages)
        lang = pdf.doc.catalog.get("Lang")
        fonts: dict[str, bool] = {}
        for page in pdf.pages:
            for reference in resolve1(resolve1(page.page_obj.resources).get("Font", {})).values():
                font = resolve1(reference)
                descriptor = resolve1(font.get("FontDescriptor")) or {}
                fonts[resolve1(font["BaseFont"]).name] = "FontFile2" in descriptor
        return ReadPdf(
            pages, dict(pdf.metadata), lang.decode("latin-1") if isinstance(lang, bytes) else lang, fonts
        )


def placed_lines(pdf_bytes: bytes) -> list[tuple[str, float, float]]:
    """Every drawn line of the document as (visual text, left edge, right edge)."""
    return [
        (visual(line), min(g.x0 for g in line), max(g.x1 for g in line))
        for page in read(pdf_bytes).pages
        for line in page
    ]


def page_texts(pdf_bytes: bytes) -> list[list[str]]:
    """Per page, the visual text of every drawn line."""
    return [[visual(line) for line in page] for page in read(pdf_bytes).pages]


def contains(lines: Sequence[str], text: str, *, rtl: bool) -> bool:
    return expected_visual(text, rtl=rtl) in "\n".join(lines)


def contains_paragraph(lines: Sequence[str], text: str, *, rtl: bool) -> bool:
    """``text`` appears as consecutive drawn lines, each line being the next words in visual order.

    Line breaks are not known in advance, so each line is matched against the visual form of every
    possible next run of words.
    """
    words = text.split()
    if contains(lines, text, rtl=rtl):
        return True
    for start in range(len(lines)):
        position, index = 0, start
        while index < len(lines) and position < len(words):
            drawn = lines[index].strip()
            taken = next(
                (count for count in range(len(words) - position, 0, -1)
                 if expected_visual(" ".join(words[position : position + count]), rtl=rtl) == drawn),
                0,
            )
            if not taken:
                break
            position += taken
            index += 1
        if position == len(words):
            return True
    return False


def all_glyphs(pdf_bytes: bytes) -> Iterator[Glyph]:
    for page in read(pdf_bytes).pages:
        for line in page:
            yield from line


def bundled_cmaps() -> dict[str, frozenset[int]]:
    """PostScript name → the code points the bundled font file maps."""
    cmaps = {}
    paths: list[Path] = [path for face in ALL_FACES for path in (face.regular, face.bold)]
    for path in paths:
        font = TTFont(path, lazy=True)
        name = font["name"].getDebugName(6)
        cmaps[str(name)] = frozenset(font.getBestCmap())
    return cmaps
