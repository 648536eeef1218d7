"""Load a questionnaire from TOML and refuse it, with every problem named, unless it is sound.

The TOML layout (see ``brede_intake.toml``)::

    id = "brede_intake"
    version = "2026.1"
    title = "Brede intake"

    [[domains]]
    id = "person"
    title = "Persoon en status"

    [[domains.questions]]
    id = "date_of_birth"
    kind = "date"
    label = "Geboortedatum"
    client_text = "Wat is uw geboortedatum?"
    validator = "date_of_birth"
    required = true

    [[domains.questions.questions]]   # the questions of a repeat group's entry
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from intake_app.forms.checker import FormDefinitionError, FormProblem, check_form
from intake_app.forms.conditions import parse_condition
from intake_app.forms.schema import (
    Choice,
    ComputedSpec,
    Condition,
    Domain,
    Form,
    Question,
    QuestionKind,
    Rules,
)

BUNDLED_INTAKE = "brede_intake.toml"

_FORM_KEYS = frozenset({"id", "version", "title", "domains"})
_DOMAIN_KEYS = frozenset({"id", "title", "client_title", "special_category", "relevant", "questions"})
_QUESTION_KEYS = frozenset(
    {
        "id", "kind", "label", "help", "client_text", "officer_only", "required", "choices", "relevant",
        "min", "max", "min_length", "max_length", "pattern", "validator", "computed", "questions",
        "min_entries", "max_entries", "entry_label",
    }
)  # fmt: skip
_CHOICE_KEYS = frozenset({"value", "label", "client_text", "exclusive"})
_COMPUTED_KEYS = frozenset({"function", "from", "order"})


class _Parser:
    """Turns TOML tables into schema objects, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[FormProblem] = []

    def problem(self, where: str, field: str, message: str) -> None:
        self.problems.append(FormProblem(where, field, message))

    def _unknown_keys(self, table: dict[str, Any], allowed: frozenset[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(where, key, "unknown field")

    def _get(self, table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        value = table.get(key)
        # bool is an int in Python but never a number in a form definition.
        wrong_bool = isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
        if value is not None and (wrong_bool or not isinstance(value, kind)):
            self.problem(where, key, f"expected {_type_name(kind)}, found {value!r}")
            return None
        return value

    def _text(self, table: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
        value = self._get(table, key, str, where)
        if required and (value is None or not value.strip()):
            self.problem(where, key, "missing or empty")
            return None
        return value  # type: ignore[no-any-return]

    def _tables(self, table: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        items = self._get(table, key, list, where) or []
        good = [item for item in items if isinstance(item, dict)]
        if len(good) != len(items):
            self.problem(where, key, "expected a list of tables")
        return good

    def _condition(self, table: dict[str, Any], where: str) -> Condition | None:
        if "relevant" not in table:
            return None
        condition, problems = parse_condition(table["relevant"])
        for message in problems:
            self.problem(where, "relevant", message)
        return condition

    def form(self, data: dict[str, Any]) -> Form:
        self._unknown_keys(data, _FORM_KEYS, "form")
        domains = [self.domain(table, index) for index, table in enumerate(self._tables(data, "domains", "form"))]
        if not domains:
            self.problem("form", "domains", "a form needs at least one domain")
        return Form(
            id=self._text(data, "id", "form", required=True) or "",
            version=self._text(data, "version", "form", required=True) or "",
            title=self._text(data, "title", "form", required=True) or "",
            domains=tuple(domains),
        )

    def domain(self, data: dict[str, Any], index: int) -> Domain:
        domain_id = self._text(data, "id", f"domain #{index + 1}", required=True) or f"#{index + 1}"
        where = domain_id
        self._unknown_keys(data, _DOMAIN_KEYS, where)
        questions = self._tables(data, "questions", where)
        if not questions:
            self.problem(where, "questions", "a domain needs at least one question")
        return Domain(
            id=domain_id,
            title=self._text(data, "title", where, required=True) or "",
            client_title=self._text(data, "client_title", where),
            special_category=bool(self._get(data, "special_category", bool, where)),
            relevant=self._condition(data, where),
            questions=tuple(self.question(table, where, i) for i, table in enumerate(questions)),
        )

    def question(self, data: dict[str, Any], parent: str, index: int) -> Question:
        question_id = self._text(data, "id", f"{parent}/#{index + 1}", required=True) or f"#{index + 1}"
        where = f"{parent}/{question_id}"
        self._unknown_keys(data, _QUESTION_KEYS, where)
        return Question(
            id=question_id,
            kind=self._kind(data, where),
            label=self._text(data, "label", where, required=True) or "",
            help=self._text(data, "help", where),
            client_text=self._text(data, "client_text", where),
            officer_only=bool(self._get(data, "officer_only", bool, where)),
            required=bool(self._get(data, "required", bool, where)),
            choices=tuple(self.choice(table, where) for table in self._tables(data, "choices", where)),
            relevant=self._condition(data, where),
            rules=Rules(
                minimum=self._get(data, "min", (int, float), where),
                maximum=self._get(data, "max", (int, float), where),
                min_length=self._get(data, "min_length", int, where),
                max_length=self._get(data, "max_length", int, where),
                pattern=self._text(data, "pattern", where),
            ),
            validator=self._text(data, "validator", where),
            computed=self.computed(data, where),
            questions=tuple(
                self.question(table, where, i) for i, table in enumerate(self._tables(data, "questions", where))
            ),
            min_entries=self._get(data, "min_entries", int, where) or 0,
            max_entries=self._get(data, "max_entries", int, where),
            entry_label=self._text(data, "entry_label", where),
        )

    def _kind(self, data: dict[str, Any], where: str) -> QuestionKind:
        name = self._text(data, "kind", where, required=True)
        try:
            return QuestionKind(name)
        except ValueError:
            if name is not None:
                known = ", ".join(kind.value for kind in QuestionKind)
                self.problem(where, "kind", f"unknown kind {name!r} (known: {known})")
        # A stand-in that matches the other fields, so one typo does not cause a cascade of problems.
        if "questions" in data:
            return QuestionKind.REPEAT_GROUP
        if "computed" in data:
            return QuestionKind.COMPUTED
        return QuestionKind.SINGLE_CHOICE if "choices" in data else QuestionKind.TEXT

    def choice(self, data: dict[str, Any], where: str) -> Choice:
        value = self._text(data, "value", f"{where}.choices", required=True) or ""
        place = f"{where}.choices[{value}]"
        self._unknown_keys(data, _CHOICE_KEYS, place)
        return Choice(
            value=value,
            label=self._text(data, "label", place) or "",  # an empty label is reported by the checker
            client_text=self._text(data, "client_text", place),
            exclusive=bool(self._get(data, "exclusive", bool, place)),
        )

    def computed(self, data: dict[str, Any], where: str) -> ComputedSpec | None:
        table = self._get(data, "computed", dict, where)
        if table is None:
            return None
        place = f"{where}.computed"
        self._unknown_keys(table, _COMPUTED_KEYS, place)
        sources = table.get("from", [])
        sources = [sources] if isinstance(sources, str) else sources
        order = table.get("order", [])
        if not isinstance(sources, list) or not all(isinstance(item, str) for item in sources):
            self.problem(place, "from", "expected a question id or a list of them")
            sources = []
        if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
            self.problem(place, "order", "expected a list of choice values")
            order = []
        return ComputedSpec(
            function=self._text(table, "function", place, required=True) or "",
            sources=tuple(sources),
            order=tuple(order),
        )


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "an integer", float: "a number", bool: "true/false", list: "a list", dict: "a table"}
    return " or ".join(names.get(item, item.__name__) for item in kinds)


def load_form_text(text: str, source: str = "<string>") -> Form:
    """Parse and check a definition; FormDefinitionError lists every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FormDefinitionError((FormProblem(source, "toml", str(error)),)) from error
    parser = _Parser()
    form = parser.form(data)
    problems = [*parser.problems, *check_form(form)]
    if problems:
        raise FormDefinitionError(tuple(dict.fromkeys(problems)), source)
    return form


def load_form_file(path: Path) -> Form:
    return load_form_text(path.read_text(encoding="utf-8"), str(path))


@cache
def load_intake_form() -> Form:
    """The bundled brede intake (parsed and checked once per process)."""
    text = resources.files("intake_app.forms").joinpath(BUNDLED_INTAKE).read_text(encoding="utf-8")
    return load_form_text(text, BUNDLED_INTAKE)


__all__ = ["FormDefinitionError", "FormProblem", "load_form_file", "load_form_text", "load_intake_form"]
