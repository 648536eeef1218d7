"""How sync facts read for an officer: times, counts, questions and answer values. No widgets.

Values are shown as the wizard shows them: choice labels (not their codes), dates as dd-mm-jjjj,
decimals with a comma; the question by its label in the officer's language, with the page it is on
and, inside a repeat group, which entry ("Kind 2").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from intake_app.forms import AnswerKey, Form, Question, QuestionKind
from intake_app.forms.input_format import format_date, format_decimal
from intake_app.forms.repeat import entry_ids
from intake_app.i18n import N_, NP_, Catalog

NEVER = N_("nog nooit")
TODAY_AT = N_("vandaag {time}")
YESTERDAY_AT = N_("gisteren {time}")
DATE_AT = N_("{date} {time}")
NO_ANSWER = N_("(geen antwoord)")
YES = N_("ja")
NO = N_("nee")
ENTRIES = NP_("{count} regel", "{count} regels")
QUESTION_PATH = N_("{page} › {question}")
ENTRY_PATH = N_("{page} › {entry} › {question}")
UNKNOWN_QUESTION = N_("vraag ‘{question}’ (niet meer in de vragenlijst)")
BY_AT = N_("{who}, {when}")
SOMEONE = N_("onbekend")
ENTRY_TITLE = N_("{entry} {number}")  # as the wizard titles an entry (intake/page.py)
DEFAULT_ENTRY = N_("Regel")


def when_text(moment: datetime | None, catalog: Catalog, today: date | None = None) -> str:
    """'vandaag 14:02', 'gisteren 09:15', '03-11-2026 16:40' or 'nog nooit' (local time)."""
    _ = catalog.gettext
    if moment is None:
        return _(NEVER)
    local = moment.astimezone() if moment.tzinfo is not None else moment
    today = today or date.today()
    time_text = local.strftime("%H:%M")
    if local.date() == today:
        return _(TODAY_AT).format(time=time_text)
    if local.date() == today - timedelta(days=1):
        return _(YESTERDAY_AT).format(time=time_text)
    return _(DATE_AT).format(date=local.strftime("%d-%m-%Y"), time=time_text)


def iso_when_text(text: str, catalog: Catalog, today: date | None = None) -> str:
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return text
    return when_text(moment, catalog, today)


def by_at_text(who: str, at: str, catalog: Catalog, today: date | None = None) -> str:
    return catalog.gettext(BY_AT).format(who=who or catalog.gettext(SOMEONE), when=iso_when_text(at, catalog, today))


def _choice_label(question: Question, value: Any, catalog: Catalog) -> str:
    for choice in question.options:
        if choice.value == str(value):
            return catalog.pgettext(f"{question.id}/{choice.value}", choice.label)
    return str(value)


def value_text(form: Form, question_id: str, value: Any, catalog: Catalog) -> str:
    """An answer as the officer reads it."""
    if value is None or value == "" or value == []:
        return catalog.gettext(NO_ANSWER)
    question = form.question(question_id) if form.has_question(question_id) else None
    kind = question.kind if question is not None else None
    if question is not None and kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO_UNKNOWN):
        return _choice_label(question, value, catalog)
    if question is not None and kind is QuestionKind.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(_choice_label(question, item, catalog) for item in value)
    if kind is QuestionKind.REPEAT_GROUP and isinstance(value, list):
        return catalog.ngettext(*ENTRIES, len(value)).format(count=len(value))
    if kind is QuestionKind.DATE:
        return format_date(value)
    if kind is QuestionKind.DECIMAL:
        return format_decimal(value)
    if isinstance(value, bool):
        return catalog.gettext(YES if value else NO)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float):
        return format_decimal(value)
    return str(value)


def question_text(form: Form, key: AnswerKey | tuple[str, str], catalog: Catalog,
                  answers: Mapping[tuple[str, str], Any] | None = None) -> str:
    """'Persoon en status › Geboortedatum', or with the entry: 'Gezin › Kind 2 › Geboortedatum'."""
    question_id, entry_id = key
    if not form.has_question(question_id):
        return catalog.gettext(UNKNOWN_QUESTION).format(question=question_id)
    question = form.question(question_id)
    domain = form.domain_of(question_id)
    page = catalog.pgettext(f"domain:{domain.id}", domain.title)
    label = catalog.pgettext(question.id, question.label)
    group = form.group_of(question_id)
    if group is None or not entry_id:
        return catalog.gettext(QUESTION_PATH).format(page=page, question=label)
    order = entry_ids({AnswerKey(*k): v for k, v in (answers or {}).items()}, group.id)
    entry = catalog.pgettext(group.id, group.entry_label) if group.entry_label else catalog.gettext(DEFAULT_ENTRY)
    number = order.index(entry_id) + 1 if entry_id in order else len(order) + 1
    entry_title = catalog.gettext(ENTRY_TITLE).format(entry=entry, number=number)
    return catalog.gettext(ENTRY_PATH).format(page=page, entry=entry_title, question=label)


def editable(form: Form, question_id: str) -> Question | None:
    """The question if the officer can type a new value for it here (not a list or a derived value)."""
    if not form.has_question(question_id):
        return None
    question = form.question(question_id)
    if question.kind in (QuestionKind.REPEAT_GROUP, QuestionKind.COMPUTED, QuestionKind.NOTE):
        return None
    return question
