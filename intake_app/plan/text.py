"""Render the plan's translatable templates: named placeholders only, values formatted per locale.

Templates (rule reasons, error messages, clauses) are Dutch msgids marked with ``N_``. They are
translated here, at display time, through the caller's :class:`~intake_app.i18n.Catalog`; the
values are formatted for that catalog's locale (dates in words, enums by their translated label).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from intake_app.i18n import Catalog

ParamValue = int | str | date | Enum
"""What a placeholder may hold. Free text (an officer's note) is shown as written, untranslated."""


class _NamedFieldsOnly(string.Formatter):
    """``{name}`` only: no positional fields, attribute access or indexing from a (translated) template."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if not field_name.isidentifier():
            raise ValueError(f"only named placeholders are allowed, not {{{field_name}}}")
        return kwargs[field_name], field_name


_FORMATTER = _NamedFieldsOnly()


def placeholders(template: str) -> frozenset[str]:
    """The placeholder names in ``template`` (a test checks that translations keep exactly these)."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    return frozenset(names)


def format_value(value: ParamValue, catalog: Catalog) -> str:
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return catalog.gettext(label) if isinstance(label, str) else str(value.value)
    if isinstance(value, bool):
        raise TypeError("a yes/no value needs its own sentence, not a placeholder")
    if isinstance(value, date):
        return format_date(value, format="long", locale=catalog.locale)
    if isinstance(value, int):
        return format_decimal(value, locale=catalog.locale)
    return value


def render(template: str, params: Mapping[str, ParamValue], catalog: Catalog | None = None) -> str:
    """Translate ``template`` and fill in ``params``; without a catalog the Dutch source is used."""
    catalog = catalog or Catalog()
    values = {name: format_value(value, catalog) for name, value in params.items()}
    return _FORMATTER.vformat(catalog.gettext(template), (), values)
