"""Plans, catalogs and sample sentences for the PDF tests.

The sample sentences are test material written for these tests (not reviewed translations): each
has a Latin token ("B1") and a digit date ("12-05-2026") inside the sentence and is long enough to
wrap over several lines at :data:`NARROW`.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from plan.plan_factories import intake, plan_facts
from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from intake_app.i18n import Catalog, available_locales
from intake_app.plan import (
    EducationLevel,
    ModulePlan,
    PipContent,
    PlanDates,
    Route,
    SocialAssistance,
    TermExtension,
    advise_route,
    build_pip_content,
    decide_route,
)
from intake_app.plan.pdf import PdfMeta
from intake_app.plan.pdf.flowables import TextBlock, TextStyle

DECIDED_ON = date(2024, 2, 20)
PIP_DATE = date(2024, 2, 28)
META = PdfMeta(questionnaire_version="2026.1", interpreter_name="K. Haddad")
NARROW = 220.0  # points: several lines per sample sentence

# The languages the brief names, plus every client catalog that exists now.
REQUIRED_LOCALES = ("nl", "ar", "ps", "ti")
NAMED_LOCALES = ("nl", "ar", "fa", "fa_AF", "ps", "ckb", "ti", "tr", "en")
LOCALES = tuple(sorted(set(NAMED_LOCALES) | set(available_locales("client"))))
RTL_LOCALES = ("ar", "fa", "fa_AF", "ps", "ckb")

SENTENCES = {
    "ar": (
        "يجب عليك أن تنجح في امتحان اللغة الهولندية على مستوى B1 قبل 12-05-2026 ويمكنك أن تطلب "
        "المساعدة من البلدية في أي وقت إذا احتجت إلى دعم إضافي."
    ),
    "fa": (
        "شما باید تا تاریخ 12-05-2026 در آزمون زبان هلندی در سطح B1 شرکت کنید و می‌توانید برای "
        "کمک بیشتر با شهرداری تماس بگیرید."
    ),
    "fa_AF": (
        "شما باید تا تاریخ 12-05-2026 در امتحان زبان هالندی در سطح B1 اشتراک کنید و می‌توانید "
        "برای کمک بیشتر با شاروالی به تماس شوید."
    ),
    "ps": (
        "تاسو باید د 12-05-2026 نېټې څخه مخکې د B1 کچې د هالنډي ژبې ازموینه ورکړئ او که مرستې ته "
        "اړتیا لرئ له ښاروالۍ سره اړیکه ونیسئ."
    ),
    "ckb": (
        "پێویستە تا 12-05-2026 تاقیکردنەوەی زمانی هۆڵەندی لە ئاستی B1 تەواو بکەیت و دەتوانیت بۆ "
        "یارمەتی زیاتر پەیوەندی بە شارەوانییەوە بکەیت."
    ),
    "ti": (
        "ቅድሚ 12-05-2026 ፈተና ቋንቋ ሆላንድ ኣብ ደረጃ B1 ክትሓልፉ ኣለኩም፣ ተወሳኺ ሓገዝ እንተ ደሊኹም ንማዘጋጃ ቤት ክትሓቱ ትኽእሉ ኢኹም።"
    ),
}
# Words that end in tanween (a raised mark on the last letter): at the end of a right-to-left
# line, the first glyph drawn is that mark.
TANWEEN = "عادةً " * 24 + "كتابٌ جميلٌ جدًا"

# Test translations of a few PDF texts, for the bilingual notice and the concept note.
ARABIC_NOTICE = {
    "Dit is een vertaling van uw Plan Inburgering en Participatie, alleen ter informatie. "
    "Alleen de Nederlandse tekst is bindend.": (
        "هذه ترجمة لخطة الاندماج والمشاركة الخاصة بك، للعلم فقط. النص الهولندي وحده هو الملزم."
    ),
    "Concept-vertaling: nog niet gecontroleerd door een beëdigd vertaler.": "ترجمة أولية: لم يراجعها مترجم محلف بعد.",
    "Persoon en doelgroep": "الشخص والفئة المستهدفة",
    "pagina {page} van {pages}": "صفحة {page} من {pages}",
}


class FixtureCatalog(Catalog):
    """A client catalog with the translations given here and a chosen review status."""

    def __init__(self, locale: str, translations: dict[str, str], review_status: str = "concept") -> None:
        super().__init__(locale, "client")
        self._fixture = translations
        self._fixture_status = review_status

    def gettext(self, message: str) -> str:
        return self._fixture.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        message = singular if n == 1 else plural
        return self._fixture.get(message, message)

    @property  # type: ignore[override]
    def review_status(self) -> str:
        return self._fixture_status


def decision(route: Route | None = None, **facts: Any) -> Any:
    advice = advise_route(intake(reference_date=date(2024, 2, 1), **facts))
    chosen = route or advice.proposed_route
    motivation = "" if chosen is advice.proposed_route else (
        "Zij wil binnen twee jaar werken als verzorgende en leert snel, ondanks de lage toetsscore."
    )
    return decide_route(advice, chosen, decided_on=DECIDED_ON, motivation=motivation)


def refugee_plan() -> PipContent:
    """B1-route, refugee on social assistance (ontzorgen), an extended term, support arranged."""
    facts = plan_facts(
        social_assistance=SocialAssistance(start=date(2024, 1, 15)),
        support_arrangements=("Maatschappelijke begeleiding door VluchtelingenWerk, elke twee weken.",),
        map=ModulePlan(planned_hours=60, hours_per_week=4, description="Oriëntatie op werk in de zorg."),
    )
    dates = PlanDates(PIP_DATE, term_extensions=(TermExtension("Ziekte", months=2),))
    return build_pip_content(facts, decision(), dates)


def onderwijs_plan() -> PipContent:
    young = {"date_of_birth": date(2003, 3, 1), "study_ambition": True,
             "education_level": EducationLevel.UPPER_SECONDARY}
    return build_pip_content(plan_facts(), decision(Route.ONDERWIJS, **young), PlanDates(PIP_DATE))


def catalog_for(locale: str) -> Catalog:
    return Catalog(locale, "client")


def paragraphs_pdf(texts: list[str], *, locale: str, rtl: bool, width: float = NARROW, size: float = 11) -> bytes:
    """Only these paragraphs, each in a frame ``width`` wide from the left margin at 72 pt."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(buffer, pagesize=A4)
    frame = Frame(72, 72, width, A4[1] - 144, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(frames=[frame])])
    style = TextStyle(size=size, space_after=size)
    document.build([TextBlock(text, rtl=rtl, locale=locale, style=style) for text in texts])
    return buffer.getvalue()
