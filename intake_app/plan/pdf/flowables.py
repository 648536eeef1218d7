"""A Platypus flowable for shaped, bidirectional text: ReportLab keeps pages, tables and frames.

:class:`TextBlock` shapes and breaks its own lines (``shaping``, ``layout``) for whatever width the
frame or table cell offers, splits between lines at a page end, and draws each line aligned to the
start of its direction (right for Arabic script) unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.platypus import Flowable

from intake_app.i18n.fonts import ARABIC, ETHIOPIC, faces_for
from intake_app.plan.bidi_text import protect_numeric_dates
from intake_app.plan.pdf.fonts import font_chain
from intake_app.plan.pdf.layout import Line, break_lines, draw_line
from intake_app.plan.pdf.shaping import shape_paragraph


class Align(Enum):
    START = "start"  # left in a left-to-right paragraph, right in a right-to-left one
    CENTER = "center"
    END = "end"


@dataclass(frozen=True)
class TextStyle:
    size: float = 9.5
    bold: bool = False
    color: Color = black
    space_before: float = 0.0
    space_after: float = 3.0
    align: Align = Align.START
    keep_with_next: bool = False


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u077f" or "\ufb50" <= char <= "\ufefe"


def _is_ethiopic(char: str) -> bool:
    return "\u1200" <= char <= "\u139f" or "\u2d80" <= char <= "\u2ddf"


def leading_for(text: str, size: float, locale: str) -> float:
    """Line height: Arabic script needs room for marks above and below, Ethiopic a little more than
    Latin. The locale's script sets it for the whole document, so a label and its value (a Latin
    name in an Arabic plan) share their baselines; a stray Arabic word in a Dutch plan still fits."""
    primary = faces_for(locale)[0]
    if primary is ARABIC or any(_is_arabic(char) for char in text):
        return size * 1.75
    if primary is ETHIOPIC or any(_is_ethiopic(char) for char in text):
        return size * 1.55
    return size * 1.4


class TextBlock(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """One or more paragraphs (``\\n`` separates them) in base direction ``rtl``.

    In a right-to-left paragraph, digit dates and times are kept as left-to-right runs
    (:func:`~intake_app.plan.bidi_text.protect_numeric_dates`), whoever wrote the text.
    """

    def __init__(
        self,
        text: str,
        *,
        rtl: bool,
        locale: str,
        style: TextStyle,
        indent: float = 0.0,
        lines: tuple[Line, ...] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.rtl = rtl
        self.locale = locale
        self.style = style
        self.indent = indent
        self.leading = leading_for(text, style.size, locale)
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.keepWithNext = style.keep_with_next
        self._lines = lines
        self._fixed = lines is not None  # a split part keeps its lines
        self._laid_out_for: float | None = None

    @property
    def lines(self) -> tuple[Line, ...]:
        if self._lines is None:
            raise RuntimeError("wrap() first")
        return self._lines

    def _layout(self, width: float) -> tuple[Line, ...]:
        if self._fixed or self._laid_out_for == width:
            return self.lines
        chain = font_chain(self.locale, bold=self.style.bold)
        lines: list[Line] = []
        for paragraph in self.text.split("\n"):
            paragraph = paragraph.strip()
            if not paragraph:
                continue
            if self.rtl:
                paragraph = protect_numeric_dates(paragraph)
            shaped = shape_paragraph(paragraph, rtl=self.rtl, chain=chain, language=self.locale.replace("_", "-"))
            lines += break_lines(shaped, max(width - self.indent, 1.0), self.style.size)
        self._lines = tuple(lines)
        self._laid_out_for = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab)
        self.width = availWidth
        self.height = len(self._layout(availWidth)) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (ReportLab)
        lines = self._layout(availWidth)
        fit = int(availHeight // self.leading)
        if fit >= len(lines):
            return [self]
        # No single first or last line of a paragraph alone on a page.
        if len(lines) >= 4:
            fit = min(fit, len(lines) - 2)
        if fit < 2:
            return []
        second_style = replace(self.style, space_before=0.0)
        return [
            TextBlock(self.text, rtl=self.rtl, locale=self.locale, style=self.style, indent=self.indent,
                      lines=lines[:fit]),
            TextBlock(self.text, rtl=self.rtl, locale=self.locale, style=second_style, indent=self.indent,
                      lines=lines[fit:]),
        ]

    def draw(self) -> None:
        canvas: Any = self.canv
        canvas.setFillColor(self.style.color)
        size = self.style.size
        # Baseline inside the line box: centred for the x-height of the script.
        baseline_drop = self.leading / 2 + size * 0.3
        for number, line in enumerate(self.lines):
            baseline = self.height - number * self.leading - baseline_drop
            canvas_x = self._x_for(line)
            draw_line(canvas, line, canvas_x, baseline)

    def _x_for(self, line: Line) -> float:
        free = self.width - self.indent - line.width
        align = self.style.align
        if align is Align.CENTER:
            return free / 2 + (0.0 if self.rtl else self.indent)
        at_right = (align is Align.START) == self.rtl
        if at_right:
            return free + (0.0 if self.rtl else self.indent)
        return self.indent if not self.rtl else 0.0
