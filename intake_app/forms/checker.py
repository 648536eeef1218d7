"""Static checks on a form: every problem is named by place (domain/question id) and field.

"Unreachable" here means a question (or page) whose condition can be shown, without any answers, to
never hold as the interview runs from start to end:

* it compares with a value the referenced question cannot take: a choice that is not offered, a
  number outside the question's min/max (or the LBT's 0..40), a date that is not a date;
* it refers to a question that comes *later* (or to itself): by the time that answer is given the
  officer has passed this question, and the linear interview would never come back to it;
* an ``all`` requires two incompatible values of one question, or a value and "not answered";
* it refers to a note (a note never has an answer) or compares a repeat group other than ``answered``.

``not_equals`` a value that is not offered is always true once answered: reported as a likely typo.
Deeper contradictions (through ``not``, or across questions) are not searched for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from intake_app.forms.computed import FUNCTIONS, highest_choice_order, value_choices, value_kind
from intake_app.forms.schema import (
    CHOICE_KINDS,
    NUMBER_KINDS,
    ORDER_OPERATORS,
    TEXT_KINDS,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Domain,
    Form,
    Operator,
    Question,
    QuestionKind,
    condition_references,
)
from intake_app.forms.validators import LBT_MAX_SCORE, VALIDATOR_KINDS, as_date

_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class FormProblem:
    where: str  # "domain", "domain/question" or "domain/group/question"
    field: str  # the TOML field at fault
    message: str

    def __str__(self) -> str:
        return f"{self.where} [{self.field}]: {self.message}"


class FormDefinitionError(ValueError):
    def __init__(self, problems: Sequence[FormProblem], source: str = "<form>") -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s) in the form definition:\n{lines}")


@dataclass(frozen=True)
class _Place:
    domain: Domain
    group: Question | None
    question: Question

    @property
    def where(self) -> str:
        middle = f"{self.group.id}/" if self.group is not None else ""
        return f"{self.domain.id}/{middle}{self.question.id}"


def _walk(form: Form) -> Iterator[_Place]:
    for domain in form.domains:
        for question in domain.questions:
            yield _Place(domain, None, question)
            for child in question.questions:
                yield _Place(domain, question, child)


class _Checker:
    def __init__(self, form: Form) -> None:
        self.form = form
        self.problems: list[FormProblem] = []

    def add(self, where: str, field: str, message: str) -> None:
        self.problems.append(FormProblem(where, field, message))

    def run(self) -> list[FormProblem]:
        seen_domains: set[str] = set()
        for domain in self.form.domains:
            if not _ID.fullmatch(domain.id):
                self.add(domain.id, "id", "ids are lower-case snake_case: letters, digits, underscores")
            if domain.id in seen_domains:
                self.add(domain.id, "id", f"duplicate domain id '{domain.id}'")
            seen_domains.add(domain.id)
            if domain.relevant is not None and domain.questions:
                first = self.form.position(domain.questions[0].id)
                self.condition(domain.relevant, domain.id, first, None)
        seen: set[str] = set()
        for place in _walk(self.form):
            question, where = place.question, place.where
            if question.id in seen:
                self.add(where, "id", f"duplicate question id '{question.id}'")
                continue  # its other checks would describe the first definition
            seen.add(question.id)
            self.question(place)
        self.cycles()
        return self.problems

    def question(self, place: _Place) -> None:
        question, where = place.question, place.where
        if not _ID.fullmatch(question.id):
            self.add(where, "id", "ids are lower-case snake_case: letters, digits, underscores")
        if not question.label.strip():
            self.add(where, "label", "missing or empty")
        if question.officer_only and question.client_text is not None:
            self.add(where, "client_text", "an officer_only question is never shown to the client")
        if question.required and question.kind in (QuestionKind.NOTE, QuestionKind.COMPUTED):
            self.add(where, "required", f"a {question.kind.value} is never answered, so cannot be required")
        self.choices(question, where)
        self.rules(question, where)
        self.structure(place)
        self.computed(place)
        if question.relevant is not None:
            self.condition(question.relevant, where, self.form.position(question.id), question)

    def choices(self, question: Question, where: str) -> None:
        if question.kind not in CHOICE_KINDS:
            if question.choices:
                self.add(where, "choices", f"a {question.kind.value} question has no choices of its own")
            return
        if not question.choices:
            self.add(where, "choices", "a choice question needs choices")
        values: set[str] = set()
        for choice in question.choices:
            if not choice.value.strip() or choice.value != choice.value.strip():
                self.add(where, "choices", f"choice value {choice.value!r} is empty or padded with spaces")
            if not choice.label.strip():
                self.add(where, "choices", f"choice '{choice.value}' has no label (text)")
            if choice.value in values:
                self.add(where, "choices", f"choice value '{choice.value}' appears more than once")
            values.add(choice.value)

    def rules(self, question: Question, where: str) -> None:
        kind, rules = question.kind, question.rules
        if (rules.minimum is not None or rules.maximum is not None) and kind not in NUMBER_KINDS:
            self.add(where, "min/max", f"min and max apply to numbers and scales, not {kind.value}")
        if rules.minimum is not None and rules.maximum is not None and rules.minimum > rules.maximum:
            self.add(where, "min/max", "min is larger than max")
        if kind is QuestionKind.SCALE and not (
            isinstance(rules.minimum, int) and isinstance(rules.maximum, int) and rules.minimum < rules.maximum
        ):
            self.add(where, "min/max", "a scale needs whole-number min and max, min below max")
        lengths = (rules.min_length, rules.max_length)
        if (any(n is not None for n in lengths) or rules.pattern is not None) and kind not in TEXT_KINDS:
            self.add(where, "min_length/max_length/pattern", f"text rules do not apply to {kind.value}")
        if any(n is not None and n < 0 for n in lengths):
            self.add(where, "min_length/max_length", "lengths cannot be negative")
        if rules.min_length is not None and rules.max_length is not None and rules.min_length > rules.max_length:
            self.add(where, "min_length/max_length", "min_length is larger than max_length")
        if rules.pattern is not None:
            try:
                re.compile(rules.pattern)
            except re.error as error:
                self.add(where, "pattern", f"not a valid regular expression: {error}")
        if question.validator is not None:
            kinds = VALIDATOR_KINDS.get(question.validator)
            if kinds is None:
                known = ", ".join(sorted(VALIDATOR_KINDS))
                self.add(where, "validator", f"unknown validator '{question.validator}' (known: {known})")
            elif kind not in kinds:
                self.add(where, "validator", f"'{question.validator}' does not apply to {kind.value}")

    def structure(self, place: _Place) -> None:
        question, where = place.question, place.where
        if question.kind is QuestionKind.REPEAT_GROUP:
            if place.group is not None:
                self.add(where, "kind", f"repeat groups cannot be nested (inside '{place.group.id}')")
            if not question.questions:
                self.add(where, "questions", "a repeat group needs questions for its entries")
            if question.min_entries < 0:
                self.add(where, "min_entries", "cannot be negative")
            if question.max_entries is not None and question.max_entries < max(question.min_entries, 1):
                self.add(where, "max_entries", "must be at least 1 and at least min_entries")
        elif question.questions:
            self.add(where, "questions", "only a repeat_group has questions of its own")

    def computed(self, place: _Place) -> None:
        question, where, spec = place.question, place.where, place.question.computed
        if (question.kind is QuestionKind.COMPUTED) != (spec is not None):
            self.add(where, "computed", "a computed question needs a computed spec, and only it")
        if spec is None:
            return
        function = FUNCTIONS.get(spec.function)
        if function is None:
            self.add(where, "computed", f"unknown function '{spec.function}' (known: {', '.join(FUNCTIONS)})")
            return
        if len(spec.sources) != function.arity:
            self.add(where, "computed", f"'{spec.function}' takes {function.arity} source(s)")
        for source_id in spec.sources:
            source = self.reference(source_id, where, "computed", self.form.position(question.id), question)
            if source is None:
                continue
            if value_kind(source) not in function.source_kinds:
                self.add(where, "computed", f"'{spec.function}' cannot use {value_kind(source).value} '{source_id}'")
            group = self.form.group_of(source_id)
            if group is not None and group is not place.group and not function.summarises_entries:
                message = f"'{source_id}' is inside repeat group '{group.id}'; only highest_choice summarises entries"
                self.add(where, "computed", message)
            if spec.order:
                offered = {choice.value for choice in source.options}
                for value in spec.order:
                    if value not in offered:
                        self.add(where, "computed", f"order value '{value}' is not a choice of '{source_id}'")
            elif spec.function == "highest_choice" and not highest_choice_order(spec, source):
                self.add(where, "computed", f"'{source_id}' has no choices to rank")

    def reference(
        self, ref: str, where: str, field: str, position: int, owner: Question | None
    ) -> Question | None:
        """The referenced question, if it exists and comes earlier; reports otherwise."""
        if not self.form.has_question(ref):
            self.add(where, field, f"unknown question id '{ref}'")
            return None
        if owner is not None and ref == owner.id:
            self.add(where, field, f"'{ref}' refers to itself")
            return None
        if self.form.position(ref) >= position:
            self.add(where, field, f"'{ref}' comes later in the interview; only earlier answers can decide")
            return None
        return self.form.question(ref)

    def condition(self, condition: Condition, where: str, position: int, owner: Question | None) -> None:
        for comparison in condition_references(condition):
            ref = self.reference(comparison.question, where, "relevant", position, owner)
            if ref is not None:
                self.comparison(comparison, ref, where)
        for part in _all_ofs(condition):
            self.contradictions(part, where)

    def comparison(self, comparison: Comparison, ref: Question, where: str) -> None:
        op, operand, kind = comparison.operator, comparison.operand, value_kind(ref)
        name = f"'{op.value}' on '{ref.id}'"
        if kind is QuestionKind.NOTE:
            self.add(where, "relevant", f"{name}: '{ref.id}' is a note and never has an answer")
            return
        if op is Operator.ANSWERED:
            return
        if kind is QuestionKind.REPEAT_GROUP:
            self.add(where, "relevant", f"{name}: a repeat group can only be tested with 'answered'")
            return
        choices = value_choices(ref, self._lookup)
        if choices is not None:
            self.choice_comparison(name, op, operand, {c.value for c in choices}, kind, where)
        elif kind in NUMBER_KINDS:
            self.number_comparison(name, op, operand, ref, where)
        elif op is Operator.CONTAINS or (op in ORDER_OPERATORS and kind is not QuestionKind.DATE):
            self.add(where, "relevant", f"{name}: does not apply to a {kind.value} question")
        elif kind is QuestionKind.DATE and any(as_date(value) is None for value in _operands(operand)):
            self.add(where, "relevant", f"{name}: compare a date question with ISO dates (YYYY-MM-DD)")
        elif kind in TEXT_KINDS and not all(isinstance(value, str) for value in _operands(operand)):
            self.add(where, "relevant", f"{name}: compare a text question with text")

    def choice_comparison(
        self, name: str, op: Operator, operand: object, offered: set[str], kind: QuestionKind, where: str
    ) -> None:
        multiple = kind is QuestionKind.MULTIPLE_CHOICE
        if multiple != (op is Operator.CONTAINS) or op in ORDER_OPERATORS:
            use = "'contains' or 'answered'" if multiple else "'equals', 'not_equals', 'in' or 'answered'"
            self.add(where, "relevant", f"{name}: use {use} for a {kind.value} question")
            return
        values = _operands(operand)
        missing = [value for value in values if value not in offered]
        if not missing:
            return
        if op is Operator.NOT_EQUALS:
            self.add(where, "relevant", f"{name}: {missing[0]!r} is not a choice, so this is always true")
        elif len(missing) == len(values):
            self.add(where, "relevant", f"{name}: never true (unreachable), {missing!r} not among the choices")
        else:
            self.add(where, "relevant", f"{name}: {missing!r} not among the choices")

    def number_comparison(self, name: str, op: Operator, operand: object, ref: Question, where: str) -> None:
        values = _operands(operand)
        if op is Operator.CONTAINS or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values
        ):
            self.add(where, "relevant", f"{name}: compare a number with numbers")
            return
        low, high = ref.rules.minimum, ref.rules.maximum
        if ref.validator == "lbt_score":
            low, high = 0, LBT_MAX_SCORE
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        never = {
            Operator.LT: low is not None and numbers[0] <= low,
            Operator.LE: low is not None and numbers[0] < low,
            Operator.GT: high is not None and numbers[0] >= high,
            Operator.GE: high is not None and numbers[0] > high,
        }.get(op, False)
        outside = [v for v in numbers if (low is not None and v < low) or (high is not None and v > high)]
        if op in (Operator.EQUALS, Operator.IN) and len(outside) == len(numbers):
            never = True
        if never:
            self.add(where, "relevant", f"{name}: never true (unreachable) within {low}..{high}")

    def contradictions(self, condition: AllOf, where: str) -> None:
        allowed: dict[str, set[object]] = {}
        unanswered: set[str] = set()
        answered: set[str] = set()
        for part in condition.conditions:
            if not isinstance(part, Comparison):
                continue
            if part.operator is Operator.ANSWERED and part.operand is False:
                unanswered.add(part.question)
                continue
            answered.add(part.question)
            if part.operator in (Operator.EQUALS, Operator.IN):
                values = set(_operands(part.operand))
                allowed[part.question] = allowed.get(part.question, values) & values
        conflicting = (answered & unanswered) | {question for question, values in allowed.items() if not values}
        for question in sorted(conflicting):
            self.add(where, "relevant", f"'all' can never be true (unreachable): conflicting tests of '{question}'")

    def cycles(self) -> None:
        edges = {q.id: sorted(set(_dependencies(self.form, q))) for q in self.form.all_questions()}
        for domain in self.form.domains:  # a page's condition is a node of its own: "page:<id>"
            edges[f"page:{domain.id}"] = sorted({c.question for c in condition_references(domain.relevant)})
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        reported: set[frozenset[str]] = set()

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            path.append(node)
            for nxt in edges.get(node, []):
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt) :], nxt]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        where = nxt[5:] if nxt.startswith("page:") else f"{self.form.domain_of(nxt).id}/{nxt}"
                        self.add(where, "relevant/computed", "dependency cycle: " + " -> ".join(cycle))
                elif nxt in edges and nxt not in state:
                    visit(nxt, path)
            path.pop()
            state[node] = 2

        for node in edges:
            if node not in state:
                visit(node, [])

    def _lookup(self, question_id: str) -> Question | None:
        return self.form.question(question_id) if self.form.has_question(question_id) else None


def _operands(operand: object) -> tuple[object, ...]:
    return operand if isinstance(operand, tuple) else (operand,)


def _all_ofs(condition: Condition) -> Iterator[AllOf]:
    if isinstance(condition, AllOf):
        yield condition
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.conditions:
            yield from _all_ofs(part)
    elif not isinstance(condition, Comparison):
        yield from _all_ofs(condition.condition)


def _dependencies(form: Form, question: Question) -> Iterator[str]:
    """What a question's relevance or value is derived from (the engine's graph uses the same)."""
    yield from (c.question for c in condition_references(question.relevant))
    if form.has_question(question.id):
        domain = form.domain_of(question.id)
        if domain.relevant is not None:
            yield f"page:{domain.id}"
        group = form.group_of(question.id)
        if group is not None:
            yield group.id
    if question.computed is not None:
        yield from question.computed.sources


def check_form(form: Form) -> list[FormProblem]:
    """Every problem in the definition; empty when the form is sound."""
    return _Checker(form).run()
