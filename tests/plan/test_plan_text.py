"""Templates: named placeholders only, every template keeps them in translation, enums have labels."""

from __future__ import annotations

import inspect
import subprocess
import sys
from datetime import date
from enum import Enum

import pytest

import intake_app.plan as plan_package
from intake_app.i18n import Catalog, available_locales
from intake_app.plan import (
    AdvicePolicy,
    ContentPolicy,
    Route,
    advice,
    amendments,
    content,
    deadlines,
    decision,
    enums,
)
from intake_app.plan.rules import EXPLANATIONS
from intake_app.plan.text import placeholders, render


def _all_templates() -> list[str]:
    templates = [rule.reason for rule in AdvicePolicy().rules]
    templates += [explanation.reason for explanation in EXPLANATIONS]
    policy = ContentPolicy()
    templates += [policy.objection_clause, policy.binding_language_note, policy.progress_text]
    return templates


def test_render_fills_named_placeholders_per_locale() -> None:
    text = render(
        "De {route} vanaf {when}, {hours} uur.", {"route": Route.Z, "when": date(2024, 3, 1), "hours": 1200}
    )
    assert text == "De Z-route vanaf 1 maart 2024, 1.200 uur."
    english = render("{when}", {"when": date(2024, 3, 1)}, Catalog("en"))
    assert english == "March 1, 2024"


@pytest.mark.parametrize("template", ["{0}", "{}", "{route.name}", "{route[0]}"])
def test_only_named_placeholders(template: str) -> None:
    with pytest.raises((ValueError, KeyError, IndexError)):
        render(template, {"route": Route.B1})


def test_placeholders() -> None:
    assert placeholders("{a} en {b}, nog eens {a}") == {"a", "b"}
    assert placeholders("geen") == frozenset()


@pytest.mark.parametrize("locale", available_locales())
def test_every_translation_keeps_the_placeholders(locale: str) -> None:
    catalog = Catalog(locale)
    for template in _all_templates():
        assert placeholders(catalog.gettext(template)) == placeholders(template), template


def test_rule_ids_are_unique_and_stable_looking() -> None:
    ids = [rule.id for rule in AdvicePolicy().rules] + [explanation.id for explanation in EXPLANATIONS]
    assert len(ids) == len(set(ids))
    assert all(rule_id.count(".") == 1 and rule_id == rule_id.lower() for rule_id in ids)


def test_every_enum_member_has_a_dutch_label() -> None:
    modules = (enums, deadlines, advice, amendments, content, decision)
    found = 0
    for module in modules:
        for _, enum_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(enum_class, Enum) and enum_class.__module__ == module.__name__:
                for member in enum_class:
                    if hasattr(member, "label"):
                        assert isinstance(member.label, str) and member.label.strip(), member
                        found += 1
    assert found > 40


def test_plan_imports_neither_qt_nor_sqlalchemy_nor_forms() -> None:
    code = (
        "import sys, intake_app.plan; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy', 'sqlcipher3') "
        "or m.startswith('intake_app.forms') or m.startswith('intake_app.storage')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert plan_package.__all__
