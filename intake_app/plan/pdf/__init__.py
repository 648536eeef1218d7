"""The PIP as a PDF (ReportLab): Dutch (binding) and the newcomer's language (informative).

ReportLab lays out pages, tables and frames and embeds the font subsets; the text itself is shaped
with HarfBuzz, put in visual order per line (``intake_app.plan.bidi_text``) and drawn as positioned
glyphs, so Arabic, Farsi, Dari, Pashto and Sorani read right to left with Latin words, numbers
and dates in place, and Tigrinya falls back to Noto Sans for Latin letters and digits.

Modules: ``document`` (:func:`render_pip_pdf`, :class:`PdfMeta`, page furniture), ``sections``
(content → flowables), ``story`` (translation, direction, flowable builders), ``texts`` (the
PDF's ``N_`` strings), ``flowables`` (:class:`TextBlock`), ``layout`` (line breaking, drawing),
``shaping`` (bidi levels, fonts, HarfBuzz), ``fonts`` (glyph subsets and ToUnicode), ``digest``
(SHA-256 of the content), ``translation_info`` (review status, translation version).
"""

from intake_app.plan.pdf.digest import canonical_json, content_digest
from intake_app.plan.pdf.document import PdfMeta, render_pip_pdf

__all__ = ["PdfMeta", "canonical_json", "content_digest", "render_pip_pdf"]
