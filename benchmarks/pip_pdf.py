"""Benchmark: rendering the PIP PDF — a bilingual plan (Dutch + Arabic), and all client languages.

App: :func:`intake_app.plan.pdf.render_pip_pdf` for one refugee plan (B1-route, ontzorgen, an
extended term, support arranged), with the shipped client catalogs (loaded before timing: parsing
the PO files is the i18n layer's cost, reported apart).

Floor, built in the same run: a bare ReportLab document (SimpleDocTemplate + Paragraph, the same
bundled TTF fonts embedded as subsets) with exactly the text of the app's PDFs — every drawn line
read back with pdfplumber, Arabic-script runs in Noto Sans Arabic, the rest in Noto Sans — and a
page break where the app's page ends, so it has the same page count and the same scripts. It does
no shaping, no bidi and no tables: what any PDF with this text costs.

Figures (app and floor alternate sample by sample):

* bilingual plan, Dutch + Arabic PDF, median — goal ≤ 2 × floor; once with the shaping caches as
  a running app has them (labels, headings, rule texts shaped before), once with them emptied
  before every sample (a plan whose texts were never shaped);
* all thirteen client languages (nl + 12) in a fresh process, first render of each (fonts, CLDR
  data and shaping caches cold) — goal < 3 s; and the same warm, for information.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from benchmarks._common import PYTHON, ROOT, Outcome, Row, median, ms, percentile

GOAL_RATIO = 2.0
GOAL_ALL_LANGUAGES = 3.0
SAMPLES = 15
WARMUP = 2
WARM_ALL_RUNS = 3


def _plan() -> Any:
    from intake_app.plan import (
        AdviceInput,
        ContactPerson,
        EducationLevel,
        LbtResult,
        Literacy,
        ModulePlan,
        ParticipationPlan,
        PersonDetails,
        PlanDates,
        PlanFacts,
        Provider,
        SocialAssistance,
        TargetGroup,
        TermExtension,
        advise_route,
        build_pip_content,
        decide_route,
    )
    from intake_app.plan.content import ParticipationGoal

    advice = advise_route(
        AdviceInput(
            target_group=TargetGroup.ASIELSTATUSHOUDER,
            date_of_birth=date(1990, 1, 15),
            reference_date=date(2024, 2, 1),
            lbt=LbtResult.taken(32, date(2024, 1, 20)),
            education_level=EducationLevel.LOWER_SECONDARY,
            study_ambition=False,
            literacy_own_script=Literacy.LITERATE,
            literacy_latin_script=Literacy.LITERATE,
        )
    )
    assert advice.proposed_route is not None
    decision = decide_route(advice, advice.proposed_route, decided_on=date(2024, 2, 20))
    facts = PlanFacts(
        person=PersonDetails(full_name="Amina Yusuf", sub_group="gezinsvormer", v_number="1234567890"),
        participation=ParticipationPlan(
            goal=ParticipationGoal.PAID_WORK,
            description="Werk in de zorg, eerst vrijwilligerswerk in een verpleeghuis.",
            dual_trajectory=True,
        ),
        provider=Provider(name="Taalschool De Brug", contact="info@debrug.example"),
        contact=ContactPerson(name="J. de Vries", municipality="Gemeente Voorbeeld", phone="+31 6 1234 5678"),
        support_arrangements=("Maatschappelijke begeleiding door VluchtelingenWerk, elke twee weken.",),
        social_assistance=SocialAssistance(start=date(2024, 1, 15)),
        map=ModulePlan(planned_hours=60, hours_per_week=4, description="Oriëntatie op werk in de zorg."),
    )
    dates = PlanDates(date(2024, 2, 28), term_extensions=(TermExtension("Ziekte", months=2),))
    return build_pip_content(facts, decision, dates)


def _meta() -> Any:
    from intake_app.plan.pdf import PdfMeta

    return PdfMeta(questionnaire_version="2026.1", interpreter_name="K. Haddad")


def _render(content: Any, catalogs: dict[str, Any], locale: str) -> bytes:
    from intake_app.plan.pdf import render_pip_pdf

    return render_pip_pdf(content, locale=locale, catalog=catalogs[locale], meta=_meta())


def _clear_shaping_caches() -> None:
    from intake_app.plan.pdf.shaping import clear_caches

    clear_caches()


# -- the floor ------------------------------------------------------------------------------------
def _pages_of_lines(pdf: bytes) -> list[list[tuple[str, float]]]:
    """(text, font size) of every drawn line, per page, in drawing order."""
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            lines: list[tuple[str, float]] = []
            last_baseline = None
            for char in page.chars:
                baseline = round(char["matrix"][5], 1)
                if last_baseline is None or abs(baseline - last_baseline) > 0.6 * char["size"]:
                    lines.append(("", char["size"]))
                    last_baseline = baseline
                text, size = lines[-1]
                lines[-1] = (text + char["text"], size)
            pages.append(lines)
    return pages


def _floor_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from intake_app.i18n.fonts import ARABIC, LATIN

    names = ("bench-floor-latin", "bench-floor-arabic")
    for name, face in zip(names, (LATIN, ARABIC), strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(face.regular)))
    return names


def _floor_story(pages: list[list[tuple[str, float]]]) -> list[Any]:
    """Paragraphs with the same text, script runs in their font, one page per app page."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph

    latin, arabic = _floor_fonts()
    story: list[Any] = []
    styles: dict[float, ParagraphStyle] = {}
    for number, lines in enumerate(pages):
        if number:
            story.append(PageBreak())
        for text, size in lines:
            style = styles.setdefault(size, ParagraphStyle(f"s{size}", fontName=latin, fontSize=size, leading=size))
            runs: list[list[str]] = []  # [font, text] per script run
            for char in text:
                font = arabic if "\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff" else latin
                if runs and runs[-1][0] == font:
                    runs[-1][1] += char
                else:
                    runs.append([font, char])
            markup = "".join(f'<font name="{font}">{escape(chunk)}</font>' for font, chunk in runs)
            story.append(Paragraph(markup, style))
    return story


def _floor_render(story_factory: Callable[[], list[Any]]) -> tuple[bytes, int]:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, topMargin=40, bottomMargin=40)
    document.build(story_factory())
    return buffer.getvalue(), document.page


# -- measurements -----------------------------------------------------------------------------------
def _bilingual(content: Any, catalogs: dict[str, Any], *, clear: bool) -> tuple[list[float], list[float], str]:
    app_pdfs = {locale: _render(content, catalogs, locale) for locale in ("nl", "ar")}
    line_pages = {locale: _pages_of_lines(pdf) for locale, pdf in app_pdfs.items()}
    app_pages = {locale: len(pages) for locale, pages in line_pages.items()}

    def floor_once() -> float:
        start = time.perf_counter()
        for locale in ("nl", "ar"):
            _, pages = _floor_render(lambda locale=locale: _floor_story(line_pages[locale]))
            if pages != app_pages[locale]:
                raise RuntimeError(f"floor has {pages} pages, the {locale} plan {app_pages[locale]}")
        return time.perf_counter() - start

    def app_once() -> float:
        if clear:
            _clear_shaping_caches()
        start = time.perf_counter()
        for locale in ("nl", "ar"):
            _render(content, catalogs, locale)
        return time.perf_counter() - start

    for _ in range(WARMUP):
        app_once()
        floor_once()
    app: list[float] = []
    floor: list[float] = []
    for index in range(SAMPLES):
        pair = (app_once, floor_once) if index % 2 == 0 else (floor_once, app_once)
        for measure in pair:
            (app if measure is app_once else floor).append(measure())
    sizes = ", ".join(f"{locale} {app_pages[locale]} pages/{len(pdf) // 1024} KiB" for locale, pdf in app_pdfs.items())
    return app, floor, sizes


def _cold_probe() -> None:
    """Run in a fresh process: catalogs first (timed apart), then each language's first render."""
    from intake_app.i18n import Catalog
    from intake_app.i18n.languages import CLIENT_LANGUAGES

    content = _plan()
    start = time.perf_counter()
    catalogs = {locale: Catalog(locale, "client") for locale in CLIENT_LANGUAGES}
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    for locale in CLIENT_LANGUAGES:
        _render(content, catalogs, locale)
    cold = time.perf_counter() - start
    sys.stdout.write(json.dumps({"catalogs": loaded, "cold": cold, "languages": list(CLIENT_LANGUAGES)}) + "\n")


def _all_languages_cold() -> dict[str, Any]:
    code = "from benchmarks.pip_pdf import _cold_probe; _cold_probe()"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _translated_share(catalogs: dict[str, Any]) -> str:
    from intake_app.plan.pdf import texts

    messages = [value for name, value in vars(texts).items() if name.isupper() and isinstance(value, str)]
    shares = []
    for locale, catalog in catalogs.items():
        if locale != "nl":
            done = sum(catalog.gettext(message) != message for message in messages)
            shares.append(f"{locale} {100 * done // len(messages)}%")
    return ", ".join(shares)


def run() -> Outcome:
    from intake_app.i18n import Catalog
    from intake_app.i18n.languages import CLIENT_LANGUAGES

    probe = _all_languages_cold()  # first: a fresh process, before this one warms the disk cache less
    content = _plan()
    catalogs = {locale: Catalog(locale, "client") for locale in CLIENT_LANGUAGES}
    warm_app, warm_floor, sizes = _bilingual(content, catalogs, clear=False)
    cold_app, cold_floor, _ = _bilingual(content, catalogs, clear=True)
    warm_all = []
    for _ in range(WARM_ALL_RUNS):
        start = time.perf_counter()
        for locale in CLIENT_LANGUAGES:
            _render(content, catalogs, locale)
        warm_all.append(time.perf_counter() - start)

    def ratio_row(figure: str, app: list[float], floor: list[float]) -> Row:
        value, base = median(app), median(floor)
        return Row("PIP PDF", figure, value, base, f"≤ {GOAL_RATIO:g}× floor", value <= GOAL_RATIO * base,
                   "bare ReportLab, same pages and scripts")

    languages = len(probe["languages"])
    rows = [
        ratio_row(f"nl + ar plan, shaping caches warm (median of {SAMPLES})", warm_app, warm_floor),
        ratio_row(f"nl + ar plan, shaping caches empty (median of {SAMPLES})", cold_app, cold_floor),
        Row("PIP PDF", f"all {languages} languages, fresh process, first render each", probe["cold"], None,
            f"< {GOAL_ALL_LANGUAGES:g} s", probe["cold"] < GOAL_ALL_LANGUAGES),
        Row("PIP PDF", f"all {languages} languages, warm (median of {WARM_ALL_RUNS})", median(warm_all), None,
            "(reported)", None),
    ]

    def spread(values: list[float]) -> str:
        return f"min {ms(min(values))}, p90 {ms(percentile(values, 90))}, max {ms(max(values))}"

    notes = [
        f"plan: {sizes}; languages: {' '.join(probe['languages'])}",
        f"warm: app {spread(warm_app)}; floor {spread(warm_floor)}",
        f"caches empty: app {spread(cold_app)}; floor {spread(cold_floor)}",
        f"parsing the {languages - 1} client catalogs (i18n, once per process, not in the figures): "
        f"{ms(probe['catalogs'])}",
        f"PDF texts translated in the shipped catalogs: {_translated_share(catalogs)}",
    ]
    return Outcome(rows, notes)


if __name__ == "__main__":
    from benchmarks._common import format_table

    outcome = run()
    print(format_table(outcome.rows))
    print("\n".join(outcome.notes))
