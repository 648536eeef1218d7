"""The form's texts as (msgctxt, msgid) pairs, for extraction into gettext catalogs.

The msgctxt is the stable id (``date_of_birth``, ``sex/female``, ``domain:health``), so a translator
sees where a text is used and a change of the Dutch source marks the translation stale.
Translate with ``catalog.pgettext(text.context, text.text)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from intake_app.forms.schema import Form, Question


@dataclass(frozen=True)
class TranslatableText:
    context: str  # msgctxt
    text: str  # msgid: the Dutch source
    field: str  # label, help, client_text, title, ... (a translator comment)
    client_facing: bool  # shown in the interpreter window or the client's plan


def _question_texts(question: Question) -> Iterator[TranslatableText]:
    client = question.shown_to_client
    yield TranslatableText(question.id, question.label, "label", False)
    if question.help:
        yield TranslatableText(question.id, question.help, "help", False)
    if question.client_text and client:
        yield TranslatableText(question.id, question.client_text, "client_text", True)
    if question.entry_label:
        yield TranslatableText(question.id, question.entry_label, "entry_label", False)
    for choice in question.options:
        context = f"{question.id}/{choice.value}"
        yield TranslatableText(context, choice.label, "choice label", False)
        if client:
            yield TranslatableText(context, choice.client_text or choice.label, "choice client_text", True)
    for child in question.questions:
        yield from _question_texts(child)


def translatable_texts(form: Form) -> Iterator[TranslatableText]:
    """Every text of the form, in form order."""
    yield TranslatableText(f"form:{form.id}", form.title, "title", True)
    for domain in form.domains:
        context = f"domain:{domain.id}"
        yield TranslatableText(context, domain.title, "title", False)
        if domain.client_title:
            yield TranslatableText(context, domain.client_title, "client_title", True)
        for question in domain.questions:
            yield from _question_texts(question)
