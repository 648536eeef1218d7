"""The whole PIP PDF per language: sections, footer, page numbers, metadata, glyphs, notices.

Expected texts are looked up through the same catalog the PDF used, so the tests follow the
translators' work: a language whose catalog is missing or incomplete shows the Dutch source.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from pdf_reading import (
    all_glyphs,
    bundled_cmaps,
    contains,
    contains_paragraph,
    expected_visual,
    page_texts,
    placed_lines,
    read,
)

from intake_app.i18n import Catalog
from intake_app.i18n.catalog import TextDirection, text_direction
from intake_app.plan.bidi_text import LRI, PDI, isolate, strip_controls
from intake_app.plan.pdf import PdfMeta, canonical_json, content_digest, render_pip_pdf
from intake_app.plan.pdf import texts as t
from intake_app.plan.pdf import translation_info as translation_info_module
from intake_app.plan.pdf.document import MARGIN_X, PAGE_WIDTH
from intake_app.plan.pdf.translation_info import translation_info

from pdf_samples import (
    ARABIC_NOTICE,
    LOCALES,
    META,
    REQUIRED_LOCALES,
    FixtureCatalog,
    catalog_for,
    onderwijs_plan,
    refugee_plan,
)

assert set(REQUIRED_LOCALES) <= set(LOCALES)


def _rtl(locale: str) -> bool:
    return text_direction(locale) is TextDirection.RIGHT_TO_LEFT


@cache
def _pdf(locale: str, demo: bool = False) -> bytes:
    return render_pip_pdf(refugee_plan(), locale=locale, catalog=catalog_for(locale), meta=replace(META, is_demo=demo))


def _shown(catalog: Catalog, message: str, **values: str) -> str:
    """A text as the plan shows it: translated; Dutch left over in a right-to-left plan stays LTR."""
    translated = catalog.gettext(message)
    text = translated.format(**{name: isolate(value) for name, value in values.items()})
    return f"{LRI}{text}{PDI}" if translated == message and _rtl(catalog.locale) else text


@pytest.mark.parametrize("locale", LOCALES)
def test_title_and_every_section_heading(locale: str) -> None:
    catalog = catalog_for(locale)
    lines = [line for page in page_texts(_pdf(locale)) for line in page]
    for message in (t.TITLE, *t.SECTION_HEADINGS):
        assert contains(lines, _shown(catalog, message), rtl=_rtl(locale)), message


@pytest.mark.parametrize("locale", LOCALES)
def test_footer_and_page_numbers_on_every_page(locale: str) -> None:
    catalog = catalog_for(locale)
    content = refugee_plan()
    digest = content_digest(content)
    pages = page_texts(_pdf(locale))
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):
        footer = "\n".join(lines[-3:])
        assert digest in footer
        assert "2026.1" in footer  # the questionnaire version
        page_of = _shown(
            catalog,
            t.PAGE_OF,
            page=format_decimal(number, locale=locale),
            pages=format_decimal(len(pages), locale=locale),
        )
        assert contains(lines[-3:], page_of, rtl=_rtl(locale)), (number, lines[-3:])


@pytest.mark.parametrize("locale", LOCALES)
def test_metadata_title_language_producer_and_fingerprint(locale: str) -> None:
    catalog = catalog_for(locale)
    document = read(_pdf(locale))
    info, lang = document.metadata, document.lang
    assert info["Title"] == strip_controls(catalog.gettext(t.TITLE))
    assert info["Producer"] == META.producer
    assert f"sha256:{content_digest(refugee_plan())}" in str(info["Keywords"])
    subject = t.SUBJECT_BINDING if locale == "nl" else t.SUBJECT_TRANSLATION
    assert info["Subject"] == strip_controls(catalog.gettext(subject))
    assert lang == locale.replace("_", "-")


@pytest.mark.parametrize("locale", LOCALES)
def test_headings_start_at_the_side_the_language_reads_from(locale: str) -> None:
    catalog = catalog_for(locale)
    lines = placed_lines(_pdf(locale))
    for message in t.SECTION_HEADINGS:
        wanted = expected_visual(_shown(catalog, message), rtl=_rtl(locale))
        left, right = next((left, right) for text, left, right in lines if text.strip() == wanted)
        if _rtl(locale):
            assert right == pytest.approx(PAGE_WIDTH - MARGIN_X, abs=1.5), message
        else:
            assert left == pytest.approx(MARGIN_X, abs=1.5), message


@pytest.mark.parametrize("locale", REQUIRED_LOCALES)
def test_fonts_are_embedded_subsets(locale: str) -> None:
    fonts = read(_pdf(locale)).fonts
    assert fonts and all(fonts.values()), fonts
    assert all(name[6] == "+" and name[:6].isupper() for name in fonts)
    families = {name.split("+")[1] for name in fonts}
    assert {"NotoSans-Regular", "NotoSans-Bold"} <= families
    if locale in ("ar", "ps"):
        assert "NotoSansArabic-Regular" in families
    if locale == "ti":
        assert "NotoSansEthiopic-Regular" in families


@pytest.mark.parametrize("locale", LOCALES)
def test_every_glyph_is_in_the_font_that_draws_it(locale: str) -> None:
    cmaps = bundled_cmaps()
    drawn = list(all_glyphs(_pdf(locale)))
    assert len(drawn) > 1000
    for glyph in drawn:
        assert glyph.text and "\ufffd" not in glyph.text, glyph
        assert all(ord(char) in cmaps[glyph.font] for char in glyph.text if char != "\u200c"), glyph


@pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "nl"])
def test_a_translation_says_in_dutch_and_in_its_language_that_it_is_informative(locale: str) -> None:
    catalog = catalog_for(locale)
    text = " ".join(line for page in page_texts(_pdf(locale))[:1] for line in page)
    assert t.TRANSLATION_NOTICE in text  # the Dutch sentence, whatever the catalog holds
    translated = catalog.gettext(t.TRANSLATION_NOTICE)
    if translated != t.TRANSLATION_NOTICE:
        assert contains_paragraph(page_texts(_pdf(locale))[0], _shown(catalog, t.TRANSLATION_NOTICE), rtl=_rtl(locale))


def test_the_bilingual_notice_and_the_concept_note_with_a_translated_catalog() -> None:
    content = refugee_plan()
    concept = FixtureCatalog("ar", ARABIC_NOTICE, review_status="concept")
    first_page = page_texts(render_pip_pdf(content, locale="ar", catalog=concept, meta=META))[0]
    joined = " ".join(first_page)
    assert t.TRANSLATION_NOTICE in joined and t.CONCEPT_TRANSLATION in joined
    assert contains_paragraph(first_page, ARABIC_NOTICE[t.TRANSLATION_NOTICE], rtl=True)
    assert contains_paragraph(first_page, ARABIC_NOTICE[t.CONCEPT_TRANSLATION], rtl=True)
    assert contains(first_page, ARABIC_NOTICE[t.H_PERSON], rtl=True)

    reviewed = FixtureCatalog("ar", ARABIC_NOTICE, review_status="reviewed")
    first_page = page_texts(render_pip_pdf(content, locale="ar", catalog=reviewed, meta=META))[0]
    assert contains_paragraph(first_page, ARABIC_NOTICE[t.TRANSLATION_NOTICE], rtl=True)
    assert t.CONCEPT_TRANSLATION not in " ".join(first_page)
    assert not contains_paragraph(first_page, ARABIC_NOTICE[t.CONCEPT_TRANSLATION], rtl=True)


def test_the_dutch_plan_is_the_binding_text_without_translation_notices() -> None:
    text = " ".join(line for page in page_texts(_pdf("nl")) for line in page)
    assert refugee_plan().binding_language_note.text in text
    assert t.TRANSLATION_NOTICE not in text and t.CONCEPT_TRANSLATION not in text
    assert "vertaling geen (Nederlandse brontekst)" in text


def test_the_dutch_plan_shows_dates_routes_hours_and_ontzorgen() -> None:
    content = refugee_plan()
    text = " ".join(line for page in page_texts(_pdf("nl")) for line in page)
    assert content.ontzorgen is not None
    for day in (content.pip_date, content.ontzorgen.from_date, content.ontzorgen.review_date,
                content.deadlines.term_end, content.deadlines.regular_term_end):
        assert format_date(day, format="long", locale="nl") in text
    for item in content.ontzorgen.items:
        assert f"•\u00a0{item.label}" in text
    assert "ten minste 6 maanden" in text and "Verlenging: 2 maanden. Reden: Ziekte" in text
    assert "ten minste 40 uur; gepland: 60 uur" in text and "ongeveer 4 uur per week" in text
    assert "Niet gekozen: de onderwijsroute." in text and "Niet gekozen: de Z-route." in text
    for name in ("Amina Yusuf", "J. de Vries", "K. Haddad"):  # signatures: newcomer, officer, interpreter
        assert name in text
    assert "Handtekening" in text and "tolk" in text


def test_the_onderwijsroute_has_no_map() -> None:
    pdf = render_pip_pdf(onderwijs_plan(), locale="nl", catalog=catalog_for("nl"), meta=META)
    text = " ".join(line for page in page_texts(pdf) for line in page)
    assert "De onderwijsroute heeft geen MAP." in text
    assert "gepland: 40 uur" not in text


@pytest.mark.parametrize("locale", ["nl", "ar", "ti"])
def test_demo_banner_and_watermark_on_every_page_only_for_a_demo(locale: str) -> None:
    catalog = catalog_for(locale)
    demo_pages = page_texts(_pdf(locale, demo=True))
    for lines in demo_pages:
        assert "DEMO" in lines  # the watermark: one drawn line of its own
        assert contains(lines, _shown(catalog, t.DEMO_BANNER), rtl=_rtl(locale))
    assert not any("DEMO" in line for lines in page_texts(_pdf(locale)) for line in lines)


def test_the_fingerprint_is_sha256_of_canonical_json_and_follows_the_content() -> None:
    content = refugee_plan()
    data = canonical_json(content)
    assert content_digest(content) == hashlib.sha256(data).hexdigest()
    decoded = json.loads(data)
    assert decoded["route"]["route"] == "b1_route" and decoded["pip_date"] == "2024-02-28"
    assert data == canonical_json(refugee_plan())  # same content, same bytes (sets sorted)
    assert content_digest(replace(content, version=2)) != content_digest(content)
    # The Dutch plan and its translation carry the same fingerprint.
    for locale in ("nl", "ar"):
        assert any(content_digest(content) in line for line in page_texts(_pdf(locale))[0])


def test_rendering_writes_nothing_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = builtins.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            raise AssertionError(f"render_pip_pdf opened {file!r} for writing")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    pdf = render_pip_pdf(onderwijs_plan(), locale="ps", catalog=catalog_for("ps"), meta=META)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_the_catalog_must_be_the_pdfs_language() -> None:
    with pytest.raises(ValueError):
        render_pip_pdf(refugee_plan(), locale="ar", catalog=catalog_for("nl"), meta=META)


def test_a_named_translation_version_is_printed_as_given() -> None:
    meta = PdfMeta(questionnaire_version="2026.1", translation_version="ar-2026-11-30-beëdigd")
    pages = page_texts(render_pip_pdf(refugee_plan(), locale="ar", catalog=catalog_for("ar"), meta=meta))
    assert all(any("ar-2026-11-30-beëdigd" in line for line in lines[-3:]) for lines in pages)


def test_review_status_and_version_from_the_po_header_when_the_catalog_lacks_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Language: xx\\n"\n"PO-Revision-Date: 2026-01-02 10:00+0000\\n"\n'
    (folder / "client.po").write_text(header + '"X-Review-Status: reviewed\\n"\n\nmsgid "a"\nmsgstr "b"\n')
    monkeypatch.setattr(translation_info_module, "TRANSLATIONS_DIR", tmp_path)
    old_style = SimpleNamespace(locale="xx", domain="client")  # a Catalog without review_status
    assert translation_info(old_style) == translation_info_module.TranslationInfo(True, "xx 2026-01-02")  # type: ignore[arg-type]
    (folder / "client.po").write_text(header + '"X-Review-Status: concept\\n"\n')
    assert not translation_info(old_style).reviewed  # type: ignore[arg-type]
    (folder / "client.po").unlink()
    assert translation_info(old_style) == translation_info_module.TranslationInfo(False, None)  # type: ignore[arg-type]
