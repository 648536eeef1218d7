"""The building blocks of the plan's pages in one language: translated text and flowables.

:class:`Writer` translates through the PDF's own catalog and decides, once, how text sits in the
document's direction:

* every paragraph takes the document's direction (Arabic script: right to left, right-aligned);
* a value inside a sentence (date, number, name, route) is formatted for the locale (Babel) and
  isolated, so it keeps its own direction at its place in the sentence;
* Dutch inside a right-to-left document — the officer's notes, or a text the catalog does not
  translate yet — is isolated left to right, so it reads as Dutch (full stop at its end);
* digit dates in right-to-left text stay one left-to-right run (:class:`TextBlock` sees to that).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from intake_app.i18n import Catalog
from intake_app.i18n.catalog import TextDirection, text_direction
from intake_app.i18n.fonts import LATIN
from intake_app.plan.bidi_text import isolate, isolate_ltr
from intake_app.plan.pdf import texts
from intake_app.plan.pdf.flowables import TextBlock, TextStyle
from intake_app.plan.pdf.fonts import pdf_face
from intake_app.plan.text import ParamValue, format_value, render

INK = HexColor("#1a1a1a")
ACCENT = HexColor("#154273")  # Rijkshuisstijl-like dark blue
MUTED = HexColor("#5c5c5c")
RULE = HexColor("#c8c8c8")
NOTICE_BACKGROUND = HexColor("#eef3f8")

TITLE = TextStyle(size=17, bold=True, color=ACCENT, space_after=2)
HEADING = TextStyle(size=12, bold=True, color=ACCENT, space_before=11, space_after=4, keep_with_next=True)
BODY = TextStyle(size=9.5, color=INK, space_after=3)
STRONG = TextStyle(size=9.5, bold=True, color=INK, space_after=2, keep_with_next=True)  # a lead-in
LEAD = TextStyle(size=9.5, color=INK, space_after=3, keep_with_next=True)  # introduces a list
LABEL = TextStyle(size=9.5, color=MUTED, space_after=0)
VALUE = TextStyle(size=9.5, color=INK, space_after=0)
SMALL = TextStyle(size=7.5, color=MUTED, space_after=1)
_DUTCH = Catalog("nl", "client")


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    # Tables set a cell font even for flowable cells; ReportLab's default would put an unembedded
    # Helvetica into the file.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf_face(LATIN, bold=False).name), *commands])


class Writer:
    """Text and flowables for one PDF: its locale, its catalog, its direction."""

    def __init__(self, locale: str, catalog: Catalog) -> None:
        self.locale = locale
        self.catalog = catalog
        self.rtl = text_direction(locale) is TextDirection.RIGHT_TO_LEFT
        self.is_translation = locale.split("_")[0] != "nl"

    # -- text -------------------------------------------------------------------------------
    def tr(self, message: str) -> str:
        translated = self.catalog.gettext(message)
        return self._in_direction(translated, is_dutch=translated == message)

    def fmt(self, template: str, **values: ParamValue) -> str:
        """A translated template with each value formatted for the locale and isolated."""
        translated = self.catalog.gettext(template)
        # The template is translated already: render() with the Dutch (null) catalog only fills it.
        text = render(translated, {name: self.value(value) for name, value in values.items()}, _DUTCH)
        return self._in_direction(text, is_dutch=translated == template)

    def ngettext(self, singular: str, plural: str, count: int, **values: ParamValue) -> str:
        """Named so, and called with literal strings, so Babel extracts the plural message."""
        translated = self.catalog.ngettext(singular, plural, count)
        params = {name: self.value(value) for name, value in {"count": count, **values}.items()}
        text = render(translated, params, _DUTCH)
        return self._in_direction(text, is_dutch=translated in (singular, plural))

    def value(self, value: ParamValue) -> str:
        return isolate(format_value(value, self.catalog))

    def free(self, text: str) -> str:
        """The officer's own words (Dutch): shown as written."""
        return isolate_ltr(text) if self.rtl else text

    def yes_no(self, flag: bool) -> str:
        return self.tr(texts.YES if flag else texts.NO)

    def _in_direction(self, text: str, *, is_dutch: bool) -> str:
        return isolate_ltr(text) if self.rtl and is_dutch else text

    # -- flowables ----------------------------------------------------------------------------
    def block(self, text: str, style: TextStyle = BODY, *, indent: float = 0.0, rtl: bool | None = None,
              locale: str | None = None) -> TextBlock:
        return TextBlock(text, rtl=self.rtl if rtl is None else rtl, locale=locale or self.locale, style=style,
                         indent=indent)

    def heading(self, message: str) -> TextBlock:
        return self.block(self.tr(message), HEADING)

    def paragraph(self, text: str, style: TextStyle = BODY) -> TextBlock:
        return self.block(text, style)

    def bullets(self, items: Sequence[str], style: TextStyle = BODY) -> list[Flowable]:
        return [self.block(f"•\u00a0{item}", style, indent=10) for item in items]

    def fields(self, rows: Sequence[tuple[str, str]]) -> Flowable:
        """Label and value side by side; in a right-to-left plan the label is on the right."""
        data = []
        for label, value in rows:
            cells = [self.block(label, LABEL), self.block(value, VALUE)]
            data.append(cells[::-1] if self.rtl else cells)
        widths = ["34%", "66%"]
        table = Table(data, colWidths=widths[::-1] if self.rtl else widths, hAlign="CENTER")
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ]
            )
        )
        table.spaceAfter = 4
        return table

    def boxed(self, blocks: Sequence[Flowable], background: Color = NOTICE_BACKGROUND) -> Flowable:
        table = Table([[list(blocks)]], colWidths=["100%"])
        table.setStyle(
            _table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), background),
                    ("BOX", (0, 0), (-1, -1), 0.5, ACCENT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        table.spaceBefore, table.spaceAfter = 6, 6
        return table

    def signature_row(self, blocks: Sequence[Sequence[tuple[str, TextStyle]]]) -> Flowable:
        """Signature blocks side by side: their texts, then place, date and signature lines.

        One table row per line, so the names and the lines of all blocks stay level even when one
        block's role takes two lines.
        """
        def text_cell(text: str, style: TextStyle) -> Flowable:
            return self.block(text, style) if text.strip() else Spacer(1, style.size * 1.4)

        rows: list[list[Any]] = [
            [text_cell(*lines[index]) for lines in blocks] for index in range(max(len(lines) for lines in blocks))
        ]
        for caption in (texts.L_PLACE, texts.L_SIGNED_ON, texts.L_SIGNATURE):
            room = 26 if caption is texts.L_SIGNATURE else 14
            rows.append(
                [
                    [Spacer(1, room), HRFlowable(width="100%", thickness=0.5, color=MUTED, spaceAfter=1),
                     self.block(self.tr(caption), SMALL)]
                    for _ in blocks
                ]
            )
        data = [row[::-1] for row in rows] if self.rtl else rows
        table = Table(data, colWidths=[f"{100 / len(blocks):.4f}%"] * len(blocks))
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        table.spaceBefore = 6
        return table

    def title_block(self, title: str, subtitle: str, municipality: str) -> list[Flowable]:
        return [
            self.block(municipality, TextStyle(size=9, color=MUTED, space_after=2)),
            self.block(title, TITLE),
            self.block(subtitle, TextStyle(size=9.5, color=MUTED, space_after=6)),
            HRFlowable(width="100%", thickness=0.8, color=ACCENT, spaceAfter=4),
        ]
