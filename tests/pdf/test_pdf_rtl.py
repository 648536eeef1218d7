"""Right-to-left and Ethiopic text in the PDF, read back with pdfplumber.

The proof that a right-to-left paragraph is right: reading each drawn line from right to left and
the lines from top to bottom gives the sentence's words in their logical order (so the first line
holds the first words), "B1" and the date stay left-to-right runs in place, and every line ends at
the right margin.
"""

from __future__ import annotations

import io
import itertools

import pdfplumber
import pytest
from pdf_reading import Glyph, Line, bundled_cmaps, drawn_lines, glyphs
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr
from reportlab.pdfgen.canvas import Canvas

from intake_app.i18n.fonts import ARABIC
from intake_app.plan.pdf.fonts import font_chain
from intake_app.plan.pdf.layout import break_lines
from intake_app.plan.pdf.shaping import shape_paragraph

from pdf_samples import NARROW, RTL_LOCALES, SENTENCES, TANWEEN, paragraphs_pdf

LEFT = 72.0
FATHATAN, DAMMATAN = "\u064b", "\u064c"


def _lines(pdf: bytes) -> list[Line]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        return drawn_lines(document.pages[0])


def _tokens(line: Line) -> list[list[Glyph]]:
    """The line's words from left to right, as drawn."""
    tokens: list[list[Glyph]] = [[]]
    for glyph in line:
        if glyph.text == " ":
            tokens.append([])
        else:
            tokens[-1].append(glyph)
    return [token for token in tokens if token]


def _logical(token: list[Glyph]) -> str:
    """A drawn word in reading order: right-to-left letters are read from the right."""
    ordered = reversed(token) if any(glyph.is_rtl for glyph in token) else iter(token)
    return "".join(glyph.text for glyph in ordered).replace("\u200c", "")


def _words(sentence: str) -> list[str]:
    return sentence.replace("\u200c", "").split()


@pytest.mark.parametrize("locale", RTL_LOCALES)
def test_rtl_paragraph_reads_right_to_left_line_by_line(locale: str) -> None:
    sentence = SENTENCES[locale]
    lines = _lines(paragraphs_pdf([sentence], locale=locale, rtl=True))
    assert len(lines) >= 3, "the sample must wrap, or line breaking is not tested"
    read: list[str] = []
    for line in lines:
        tokens = _tokens(line)
        in_reading_order = tokens[::-1]
        # Within a line, the first word in reading order lies right of the last one.
        assert min(g.x0 for g in in_reading_order[0]) > max(g.x1 for g in in_reading_order[-1])
        read += [_logical(token) for token in in_reading_order]
        # Right-aligned: every line ends at the right edge of the frame.
        assert max(g.x1 for g in line) == pytest.approx(LEFT + NARROW, abs=1.0)
    # Top to bottom, right to left: the sentence in order. The first line has the first words.
    assert read == _words(sentence)


@pytest.mark.parametrize("locale", RTL_LOCALES)
def test_latin_token_and_date_stay_left_to_right_runs(locale: str) -> None:
    lines = _lines(paragraphs_pdf([SENTENCES[locale]], locale=locale, rtl=True))
    found = {}
    for line in lines:
        for token in _tokens(line):
            text = "".join(glyph.text for glyph in token)
            if text in ("B1", "12-05-2026"):
                xs = [glyph.x0 for glyph in token]
                assert xs == sorted(xs), f"{text} is not drawn left to right"
                assert all(glyph.font.startswith("NotoSans") for glyph in token)
                found[text] = True
    assert found == {"B1": True, "12-05-2026": True}


def test_a_date_at_the_start_of_a_line_stays_in_order() -> None:
    # Paragraph-level levels (the date follows Arabic letters on the line before) would turn an
    # unprotected date around; the layout isolates it, so it reads 12-05-2026 on any line.
    sentence = "كلمة " * 7 + "12-05-2026 " + "كلمة " * 6
    for width in (120.0, 160.0, 200.0):
        lines = _lines(paragraphs_pdf([sentence], locale="ar", rtl=True, width=width))
        drawn = ["".join(glyph.text for glyph in token) for line in lines for token in _tokens(line)]
        assert "12-05-2026" in drawn


@pytest.mark.parametrize("locale", RTL_LOCALES)
def test_line_breaking_keeps_logical_order_and_width(locale: str) -> None:
    chain = font_chain(locale)
    shaped = shape_paragraph(SENTENCES[locale], rtl=True, chain=chain, language=locale)
    lines = break_lines(shaped, NARROW, 11)
    ranges = [line.text_range for line in lines]
    assert ranges[0][0] == 0 and ranges[-1][1] == len(SENTENCES[locale].rstrip())
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(ranges))
    assert all(line.width <= NARROW + 0.01 for line in lines)
    # Each line but the last is as full as it can be: the next word would not have fitted.
    assert all(line.width > NARROW * 0.6 for line in lines[:-1])


def test_tigrinya_in_ethiopic_with_latin_and_digits_from_noto_sans() -> None:
    sentence = SENTENCES["ti"]
    lines = _lines(paragraphs_pdf([sentence], locale="ti", rtl=False))
    assert len(lines) >= 2
    read = ["".join(glyph.text for glyph in token) for line in lines for token in _tokens(line)]
    assert read == _words(sentence)
    for line in lines:
        assert min(g.x0 for g in line) == pytest.approx(LEFT, abs=1.0)  # left-aligned
        for glyph in line:
            if "\u1200" <= glyph.text[0] <= "\u139f":
                assert glyph.font == "NotoSansEthiopic-Regular"
            elif glyph.text.isascii() and glyph.text.isalnum():
                assert glyph.font == "NotoSans-Regular", glyph


def test_every_glyph_of_the_samples_comes_from_a_font_that_has_it() -> None:
    cmaps = bundled_cmaps()
    for locale, sentence in SENTENCES.items():
        pdf = paragraphs_pdf([sentence], locale=locale, rtl=locale in RTL_LOCALES)
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            drawn = glyphs(document.pages[0])
        assert drawn
        for glyph in drawn:
            assert "\ufffd" not in glyph.text
            assert all(ord(char) in cmaps[glyph.font] for char in glyph.text if char != "\u200c"), (locale, glyph)


def test_an_arabic_name_in_a_dutch_paragraph_uses_the_arabic_font_right_to_left() -> None:
    lines = _lines(paragraphs_pdf(["Mevrouw أمينة يوسف doet examen B1."], locale="nl", rtl=False, width=400))
    assert len(lines) == 1
    tokens = _tokens(lines[0])
    assert [_logical(token) for token in tokens] == ["Mevrouw", "يوسف", "أمينة", "doet", "examen", "B1."]
    assert {glyph.font for token in tokens[1:3] for glyph in token} == {"NotoSansArabic-Regular"}


def test_a_word_longer_than_the_line_is_cut_not_lost() -> None:
    digest = "bdcd5020ebc3619ee7ec14264b377ecf23ba94d982deb48e651e6493806779cb"
    lines = _lines(paragraphs_pdf([f"SHA-256: {digest}"], locale="nl", rtl=False, width=120))
    assert len(lines) >= 3
    assert all(max(g.x1 for g in line) <= LEFT + 120 + 0.5 for line in lines)
    assert "".join(glyph.text for line in lines for glyph in line) == f"SHA-256:{digest}"


def test_tanween_at_the_start_of_drawn_lines_is_drawn_raised() -> None:
    """Regression: ReportLab's own shaped-text path fails on this paragraph (see the xfail below).

    Each line ends, in reading order, with a tanween word, so the first glyph drawn on the line is
    the raised mark; the PDF must have it, above the baseline of its letter.
    """
    lines = _lines(paragraphs_pdf([TANWEEN], locale="ar", rtl=True, width=160))
    assert len(lines) >= 3
    starting_with_mark = [line for line in lines if line[0].text in (FATHATAN, DAMMATAN)]
    assert len(starting_with_mark) >= 2, "the sample no longer exercises a raised first glyph"
    for line in starting_with_mark:
        mark, letter = line[0], line[1]
        assert mark.bottom > letter.bottom + 0.5  # HarfBuzz's y offset, drawn with Ts
        assert mark.x0 >= letter.x0 - 1 and mark.x1 <= letter.x1 + 3  # on its letter, not beside it
    marks = sum(glyph.text in (FATHATAN, DAMMATAN) for line in lines for glyph in line)
    assert marks == TANWEEN.count(FATHATAN) + TANWEEN.count(DAMMATAN)


@pytest.mark.xfail(raises=IndexError, strict=True, reason="ReportLab 5.1 PDFTextObject.setRise on an empty _code")
def test_reportlabs_shaped_text_path_still_fails_on_a_raised_first_glyph() -> None:
    """Why the PDF draws glyphs itself. When this starts passing, ReportLab has fixed the bug."""
    name = "test-rl-arabic"
    pdfmetrics.registerFont(TTFont(name, str(ARABIC.regular)))
    canvas = Canvas(io.BytesIO())
    text = canvas.beginText(72, 700)
    text.setFont(name, 12)
    for line in ("عادةً عادةً", "عادةً عادةً"):  # the second line reuses the font subset: no Tf first
        text.textLine(shapeStr(line, name, 12))
