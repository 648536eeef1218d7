"""The PIP as a PDF: Dutch (binding) or a translation (informative), A4, fonts embedded.

:func:`render_pip_pdf` is pure: content, locale, catalog and metadata in, PDF bytes out; nothing
is written to disk. Every page carries a footer with the plan version, the questionnaire version,
the translation version, the SHA-256 of the (language-free) content and "page X of Y"; a demo plan
carries a DEMO banner and watermark on every page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from intake_app.i18n import Catalog
from intake_app.i18n.fonts import LATIN
from intake_app.plan.bidi_text import isolate_ltr, strip_controls
from intake_app.plan.content import PipContent
from intake_app.plan.pdf import sections
from intake_app.plan.pdf import texts as t
from intake_app.plan.pdf.digest import content_digest
from intake_app.plan.pdf.flowables import Align, TextBlock, TextStyle
from intake_app.plan.pdf.fonts import pdf_face
from intake_app.plan.pdf.story import ACCENT, BODY, MUTED, SMALL, Writer
from intake_app.plan.pdf.translation_info import TranslationInfo, translation_info
from intake_app.plan.text import render

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 56.0
MARGIN_TOP = 54.0
MARGIN_BOTTOM = 78.0
_PAGE_NUMBER_WIDTH = 92.0
_FOOTER = TextStyle(size=7, color=MUTED, space_after=0)
_BANNER = TextStyle(size=9, bold=True, color=ACCENT, space_after=0, align=Align.CENTER)
_WATERMARK = TextStyle(size=120, bold=True, color=Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.07))


@dataclass(frozen=True)
class PdfMeta:
    """What the PDF states besides the content.

    ``translation_version``: printed in the footer; ``None`` reads the language and revision date
    from the client catalog's PO file. ``interpreter_name``: shown above the interpreter's
    signature line (left empty for a handwritten name).
    """

    questionnaire_version: str
    is_demo: bool = False
    interpreter_name: str = ""
    translation_version: str | None = None
    producer: str = "intake_app"


def render_pip_pdf(content: PipContent, *, locale: str, catalog: Catalog, meta: PdfMeta) -> bytes:
    """The plan in ``locale`` ("nl": the binding text; another locale: a translation for information)."""
    locale = locale.replace("-", "_")
    if catalog.locale.replace("-", "_") != locale:
        raise ValueError(f"the catalog is for {catalog.locale!r}, the PDF for {locale!r}")
    writer = Writer(locale, catalog)
    info = translation_info(catalog, meta.translation_version) if writer.is_translation else TranslationInfo(True, None)
    digest = content_digest(content)
    story = _story(writer, content, meta, info)
    footer = _Footer(writer, content, meta, info, digest)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=strip_controls(writer.tr(t.TITLE)),
        author=content.contact.municipality,
        subject=strip_controls(writer.tr(t.SUBJECT_TRANSLATION if writer.is_translation else t.SUBJECT_BINDING)),
        keywords=f"PIP, plan {content.version}, sha256:{digest}",
        creator=meta.producer,
        producer=meta.producer,
        lang=locale.replace("_", "-"),
        # A TrueType initial font keeps unembedded Helvetica (ReportLab's default) out of the file.
        initialFontName=pdf_face(LATIN, bold=False).name,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_WIDTH - 2 * MARGIN_X, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    decorate = partial(_decorate, writer) if meta.is_demo else _no_decoration
    document.addPageTemplates([PageTemplate(id="plan", frames=[frame], onPage=decorate)])
    document.build(story, canvasmaker=partial(_FooterCanvas, footer=footer))
    return buffer.getvalue()


def _story(w: Writer, content: PipContent, meta: PdfMeta, info: TranslationInfo) -> list[Flowable]:
    subtitle = w.fmt(t.SUBTITLE, date=content.pip_date, version=content.version)
    story: list[Flowable] = w.title_block(w.tr(t.TITLE), subtitle, w.free(content.contact.municipality))
    if w.is_translation:
        story.append(_translation_notice(w, info))
    else:
        note = content.binding_language_note
        story.append(w.paragraph(render(note.text, note.params), SMALL))
    for heading, section in sections.SECTIONS:
        story.append(w.heading(heading))
        story += section(w, content)
    story.append(w.heading(t.H_SIGNATURES))
    story += sections.signatures(w, content, meta.interpreter_name)
    return story


def _translation_notice(w: Writer, info: TranslationInfo) -> Flowable:
    """The notice in Dutch *and* in the client's language (once, if the catalog lacks it)."""
    blocks: list[Flowable] = []
    messages = [t.TRANSLATION_NOTICE] + ([] if info.reviewed else [t.CONCEPT_TRANSLATION])
    for message in messages:
        style = BODY if message is t.TRANSLATION_NOTICE else SMALL
        blocks.append(w.block(message, style, rtl=False, locale="nl"))
        translated = w.catalog.gettext(message)
        if translated != message:
            blocks.append(w.block(w.tr(message), style))
    return w.boxed(blocks)


class _Footer:
    """Draws the footer of one page once the number of pages is known."""

    def __init__(self, w: Writer, content: PipContent, meta: PdfMeta, info: TranslationInfo, digest: str) -> None:
        self._writer = w
        translation = (info.version or "—") if w.is_translation else w.tr(t.SOURCE_TEXT)
        self._versions = w.fmt(
            t.FOOTER_VERSIONS, plan=content.version, questionnaire=meta.questionnaire_version, translation=translation
        )
        self._digest = w.fmt(t.FOOTER_DIGEST, digest=isolate_ltr(digest))
        self._info_width = PAGE_WIDTH - 2 * MARGIN_X - _PAGE_NUMBER_WIDTH

    def __call__(self, canvas: Canvas, page: int, pages: int) -> None:
        w = self._writer
        canvas.saveState()
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, MARGIN_BOTTOM - 16, PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM - 16)
        info = w.block(f"{self._versions}\n{self._digest}", _FOOTER)
        _, height = info.wrapOn(canvas, self._info_width, MARGIN_BOTTOM)
        info_x = MARGIN_X + (_PAGE_NUMBER_WIDTH if w.rtl else 0.0)
        top = MARGIN_BOTTOM - 20
        info.drawOn(canvas, info_x, top - height)
        number = w.block(w.fmt(t.PAGE_OF, page=page, pages=pages), replace(_FOOTER, align=Align.END))
        _, number_height = number.wrapOn(canvas, _PAGE_NUMBER_WIDTH, MARGIN_BOTTOM)
        number_x = MARGIN_X if w.rtl else PAGE_WIDTH - MARGIN_X - _PAGE_NUMBER_WIDTH
        number.drawOn(canvas, number_x, top - number_height)
        canvas.restoreState()


class _FooterCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
    """Keeps every page until the end, so each footer can say "page X of Y"."""

    def __init__(self, *args: Any, footer: _Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def _no_decoration(canvas: Canvas, document: Any) -> None:
    return None


def _decorate(w: Writer, canvas: Canvas, document: Any) -> None:
    """DEMO: a banner above the text and a watermark behind it, on every page."""
    canvas.saveState()
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    mark = TextBlock("DEMO", rtl=False, locale="nl", style=_WATERMARK)
    _, height = mark.wrapOn(canvas, PAGE_WIDTH, PAGE_HEIGHT)
    mark.drawOn(canvas, -mark.lines[0].width / 2, -height / 2)
    canvas.restoreState()
    canvas.saveState()
    banner_height = 16.0
    top = PAGE_HEIGHT - 22
    canvas.setStrokeColor(ACCENT)
    canvas.setFillColor(ACCENT)
    canvas.setFillAlpha(0.10)
    canvas.rect(MARGIN_X, top - banner_height, PAGE_WIDTH - 2 * MARGIN_X, banner_height, stroke=1, fill=1)
    canvas.setFillAlpha(1)
    banner = w.block(w.tr(t.DEMO_BANNER), _BANNER)
    _, height = banner.wrapOn(canvas, PAGE_WIDTH - 2 * MARGIN_X, banner_height)
    banner.drawOn(canvas, MARGIN_X, top - banner_height + (banner_height - height) / 2)
    canvas.restoreState()
