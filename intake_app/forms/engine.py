"""The interview engine: relevance, validation, completeness and navigation over a set of answers.

An :class:`Interview` is immutable from the outside. Every edit (``set_answer``, ``add_entry``...)
returns a *new* Interview whose ``changes`` are the rows to write; only the questions that depend on
the edited one are evaluated again. Irrelevant answers are kept (an officer may switch back) but never
count, never decide other questions' relevance and are listed by :meth:`Interview.irrelevant_answers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from intake_app.forms import repeat
from intake_app.forms.answers import (
    AnswerChange,
    AnswerKey,
    AnswerValue,
    check_answer_value,
    is_empty,
    same_value,
)
from intake_app.forms.computed import ComputeInput
from intake_app.forms.conditions import Resolve
from intake_app.forms.graph import Node, RefMode, graph_for
from intake_app.forms.repeat import RepeatLimitError, entry_ids
from intake_app.forms.schema import UNANSWERABLE_KINDS, Domain, Form, Question, QuestionKind
from intake_app.forms.validators import AOW_AGE, ValidationContext, ValidationResult, validate_answer


@dataclass(frozen=True)
class Progress:
    required: int  # relevant questions that need an answer
    done: int  # of those, answered with a valid answer

    @property
    def fraction(self) -> float:
        return 1.0 if self.required == 0 else self.done / self.required


@dataclass(frozen=True)
class Completeness:
    overall: Progress
    domains: Mapping[str, Progress]  # every domain, in form order


_Memo = dict[AnswerKey, tuple[type, AnswerValue, ValidationResult]]


class Interview:
    """One intake's answers seen through a form, on a reference (intake) date."""

    def __init__(
        self,
        form: Form,
        answers: Mapping[AnswerKey, AnswerValue] | None = None,
        *,
        reference_date: date | None = None,
        aow_age: int = AOW_AGE,
    ) -> None:
        self.form = form
        self.reference_date = reference_date or date.today()
        self.changes: tuple[AnswerChange, ...] = ()  # what the edit that made this Interview changed
        self._graph = graph_for(form)
        self._context = ValidationContext(self.reference_date, aow_age)
        self._memo: _Memo = {}  # shared by derived Interviews: entries are checked against the value
        # Stored values are taken as they are (lists copied): a damaged value shows up as invalid.
        self._answers = {
            AnswerKey(*key): list(value) if isinstance(value, list) else value
            for key, value in (answers or {}).items()
            if not is_empty(value)
        }
        self._entries = {group: entry_ids(self._answers, group) for group in self._graph.groups}
        self._relevant: dict[AnswerKey, bool] = {}
        self._values: dict[AnswerKey, AnswerValue] = {}
        self._domains: dict[str, bool] = {}
        self._flat: tuple[AnswerKey, ...] | None = None
        self._progress: tuple[Completeness, Mapping[str, tuple[AnswerKey, ...]]] | None = None
        self._evaluate(self._graph.order)

    # -- reading ---------------------------------------------------------------------------------

    @property
    def answers(self) -> Mapping[AnswerKey, AnswerValue]:
        """All stored answers, relevant or not (read-only; values must not be mutated)."""
        return MappingProxyType(self._answers)

    def answer(self, key: AnswerKey) -> AnswerValue | None:
        return self._answers.get(key)

    def value(self, key: AnswerKey) -> AnswerValue | None:
        """What counts now: the answer if the question is relevant, or the computed value."""
        return self._values.get(key)

    def entries(self, group_id: str) -> tuple[str, ...]:
        """The entry ids of a repeat group, in order."""
        return self._entries[self._group(group_id).id]

    def is_relevant(self, key: AnswerKey) -> bool:
        """False for irrelevant questions, and for entries no longer in their group."""
        self._node(key.question_id)
        return self._relevant.get(key, False)

    def is_domain_relevant(self, domain_id: str) -> bool:
        return self._domains[self.form.domain(domain_id).id]

    def visible_domains(self) -> tuple[Domain, ...]:
        return tuple(domain for domain in self.form.domains if self._domains[domain.id])

    def visible_questions(self, domain_id: str) -> tuple[AnswerKey, ...]:
        """The relevant questions of a page in interview order, repeat entries expanded."""
        self.form.domain(domain_id)
        nodes = self._graph.nodes
        return tuple(
            key for key in self._flat_order() if self._relevant[key] and nodes[key.question_id].domain_id == domain_id
        )

    def computed_value(self, key: AnswerKey | str) -> AnswerValue | None:
        key = AnswerKey(key) if isinstance(key, str) else key
        if self._node(key.question_id).function is None:
            raise ValueError(f"'{key.question_id}' is not a computed question")
        return self._values.get(key)

    def validate(self, question: Question | str, value: AnswerValue | None) -> ValidationResult:
        """Would this value be acceptable for the question (OK, required-but-empty, invalid)?"""
        question = self.form.question(question) if isinstance(question, str) else question
        return validate_answer(question, value, self._context)

    def validation(self, key: AnswerKey) -> ValidationResult:
        """The verdict on the stored answer (a repeat group is judged by its number of entries)."""
        question = self._node(key.question_id).question
        assert question is not None
        if question.kind is QuestionKind.REPEAT_GROUP:
            value: AnswerValue | None = list(self._entries[question.id])
        else:
            value = self._answers.get(key)
        if value is None:
            return validate_answer(question, None, self._context)
        cached = self._memo.get(key)
        if cached is not None and cached[0] is type(value) and cached[1] == value:
            return cached[2]
        result = validate_answer(question, value, self._context)
        self._memo[key] = (type(value), value, result)
        return result

    def completeness(self) -> Completeness:
        """Share of relevant required questions answered validly, per domain and overall (0..1)."""
        return self._tally()[0]

    def missing(self) -> Mapping[str, tuple[AnswerKey, ...]]:
        """Per domain, the relevant required questions still unanswered or invalid ("nog ontbrekend")."""
        return self._tally()[1]

    def irrelevant_answers(self) -> tuple[AnswerKey, ...]:
        """Stored answers that do not count now: irrelevant, of a removed entry, or for a note/computed."""
        nodes = self._graph.nodes
        return tuple(
            key
            for key in self._answers
            if key.question_id in nodes and not self._counts(key, nodes[key.question_id])
        )

    def unknown_answers(self) -> tuple[AnswerKey, ...]:
        """Stored answers to question ids this form does not have (e.g. from another form version)."""
        return tuple(key for key in self._answers if key.question_id not in self._graph.nodes)

    def relevant_answers(self) -> Mapping[AnswerKey, AnswerValue]:
        """The answers that count: what the plan may use."""
        nodes = self._graph.nodes
        return {
            key: value
            for key, value in self._answers.items()
            if key.question_id in nodes and self._counts(key, nodes[key.question_id])
        }

    def next_question(self, key: AnswerKey | None = None) -> AnswerKey | None:
        """The next relevant question after ``key`` (the first one if None); None at the end."""
        order = self._flat_order()
        start = 0 if key is None else self._flat_index(key) + 1
        return next((item for item in order[start:] if self._relevant[item]), None)

    def previous_question(self, key: AnswerKey | None = None) -> AnswerKey | None:
        """The relevant question before ``key`` (the last one if None); None at the start."""
        order = self._flat_order()
        stop = len(order) if key is None else self._flat_index(key)
        return next((item for item in reversed(order[:stop]) if self._relevant[item]), None)

    # -- editing: each returns a new Interview -----------------------------------------------------

    def set_answer(self, key: AnswerKey, value: AnswerValue | None) -> Interview:
        question = self._answerable(key)
        if question.kind is QuestionKind.REPEAT_GROUP:
            raise ValueError(f"'{key.question_id}' is a repeat group: use add_entry/remove_entry/move_entry")
        if value is None or is_empty(value):
            return self.clear_answer(key)
        value = check_answer_value(value)
        before = self._answers.get(key)
        if before is not None and same_value(before, value):
            return self._derive(self._answers, (), ())
        answers = {**self._answers, key: value}
        return self._derive(answers, (AnswerChange(key, before, value),), (key.question_id,))

    def clear_answer(self, key: AnswerKey) -> Interview:
        before = self._answers.get(key)
        if key.question_id in self._graph.groups:
            raise ValueError(f"'{key.question_id}' is a repeat group: use remove_entry")
        if before is None:
            return self._derive(self._answers, (), ())
        answers = {k: v for k, v in self._answers.items() if k != key}
        touched = (key.question_id,) if key.question_id in self._graph.nodes else ()
        return self._derive(answers, (AnswerChange(key, before, None),), touched)

    def add_entry(
        self, group_id: str, *, entry_id: str | None = None, position: int | None = None
    ) -> tuple[Interview, str]:
        """A new, empty entry (at ``position``, default last); returns the new Interview and its id."""
        answers, changes, entry_id = repeat.add_entry(
            self._answers, self._group(group_id), entry_id=entry_id, position=position
        )
        return self._derive(answers, changes, (group_id,), group_id), entry_id

    def remove_entry(self, group_id: str, entry_id: str) -> Interview:
        """Drop an entry and all its answers (``changes`` lists every removed row)."""
        answers, changes = repeat.remove_entry(self._answers, self._group(group_id), entry_id)
        return self._derive(answers, changes, (group_id,), group_id, entry_id)

    def move_entry(self, group_id: str, entry_id: str, to_index: int) -> Interview:
        answers, changes = repeat.move_entry(self._answers, self._group(group_id), entry_id, to_index)
        return self._derive(answers, changes, (group_id,), group_id)

    # -- internals ---------------------------------------------------------------------------------

    def _node(self, question_id: str) -> Node:
        node = self._graph.nodes.get(question_id)
        if node is None or node.is_domain:
            raise KeyError(f"the form has no question '{question_id}'")
        return node

    def _group(self, group_id: str) -> Question:
        question = self._node(group_id).question
        if question is None or question.kind is not QuestionKind.REPEAT_GROUP:
            raise ValueError(f"'{group_id}' is not a repeat group")
        return question

    def _answerable(self, key: AnswerKey) -> Question:
        node = self._node(key.question_id)
        assert node.question is not None
        if node.question.kind in UNANSWERABLE_KINDS:
            raise ValueError(f"'{key.question_id}' is a {node.question.kind.value}: it takes no answer")
        if node.group_id is None and key.entry_id:
            raise ValueError(f"'{key.question_id}' is not in a repeat group: entry_id must be empty")
        if node.group_id is not None and key.entry_id not in self._entries[node.group_id]:
            raise ValueError(f"'{node.group_id}' has no entry '{key.entry_id}' (add_entry first)")
        return node.question

    def _counts(self, key: AnswerKey, node: Node) -> bool:
        question = node.question
        return question is not None and question.kind not in UNANSWERABLE_KINDS and self._relevant.get(key, False)

    def _derive(
        self,
        answers: dict[AnswerKey, AnswerValue],
        changes: tuple[AnswerChange, ...],
        touched: Iterable[str],
        group_id: str | None = None,
        removed_entry: str | None = None,
    ) -> Interview:
        new = object.__new__(Interview)
        new.form, new.reference_date, new.changes = self.form, self.reference_date, changes
        new._graph, new._context, new._memo = self._graph, self._context, self._memo
        new._answers = answers
        new._relevant, new._values, new._domains = dict(self._relevant), dict(self._values), dict(self._domains)
        new._entries, new._flat, new._progress = self._entries, self._flat, None
        if group_id is not None:
            new._entries = {**self._entries, group_id: entry_ids(answers, group_id)}
            new._flat = None
            if removed_entry is not None:
                for child in self._group(group_id).questions:
                    new._relevant.pop(AnswerKey(child.id, removed_entry), None)
                    new._values.pop(AnswerKey(child.id, removed_entry), None)
        touched = tuple(touched)
        if touched:
            new._evaluate(self._graph.affected_by(touched))
        return new

    def _evaluate(self, node_ids: Iterable[str]) -> None:
        """Relevance and current values of these nodes, in dependency order."""
        nodes, relevant, values, answers = self._graph.nodes, self._relevant, self._values, self._answers
        for node_id in node_ids:
            node = nodes[node_id]
            if node.is_domain:
                ok = node.predicate is None or node.predicate(self._resolver(node, ""))
                self._domains[node.domain_id] = ok
                continue
            group_id = node.group_id
            keys = (
                (AnswerKey(node_id),)
                if group_id is None
                else tuple(AnswerKey(node_id, entry) for entry in self._entries[group_id])
            )
            for key in keys:
                ok = self._domains[node.domain_id] if group_id is None else relevant[AnswerKey(group_id)]
                if ok and node.predicate is not None:
                    ok = node.predicate(self._resolver(node, key.entry_id))
                relevant[key] = ok
                value: AnswerValue | None = None
                if ok:
                    if node.function is not None:
                        value = self._compute(node, key.entry_id)
                    elif node_id in self._entries:
                        value = list(self._entries[node_id]) or None
                    else:
                        value = answers.get(key)
                if value is None:
                    values.pop(key, None)
                else:
                    values[key] = value

    def _resolver(self, node: Node, entry_id: str) -> Resolve:
        values, entries, refs = self._values, self._entries, node.refs

        def resolve(question_id: str) -> tuple[AnswerValue, ...]:
            mode, group_id = refs[question_id]
            if mode is RefMode.ENTRIES:
                assert group_id is not None
                found = (values.get(AnswerKey(question_id, entry)) for entry in entries[group_id])
                return tuple(value for value in found if value is not None)
            value = values.get(AnswerKey(question_id, entry_id if mode is RefMode.SIBLING else ""))
            return () if value is None else (value,)

        return resolve

    def _compute(self, node: Node, entry_id: str) -> AnswerValue | None:
        question, function = node.question, node.function
        assert question is not None and question.computed is not None and function is not None
        resolve = self._resolver(node, entry_id)
        spec = question.computed
        sources = tuple(self.form.question(source) for source in spec.sources)
        data = ComputeInput(spec, sources, tuple(resolve(source) for source in spec.sources), self.reference_date)
        return function.compute(data)

    def _flat_order(self) -> tuple[AnswerKey, ...]:
        """Every question instance in interview order, relevant or not."""
        if self._flat is None:
            keys: list[AnswerKey] = []
            for question in self._graph.top_level:
                keys.append(AnswerKey(question.id))
                if question.kind is QuestionKind.REPEAT_GROUP:
                    for entry in self._entries[question.id]:
                        keys.extend(AnswerKey(child.id, entry) for child in question.questions)
            self._flat = tuple(keys)
        return self._flat

    def _flat_index(self, key: AnswerKey) -> int:
        try:
            return self._flat_order().index(key)
        except ValueError:
            raise KeyError(f"{key} is not part of this interview") from None

    def _tally(self) -> tuple[Completeness, Mapping[str, tuple[AnswerKey, ...]]]:
        if self._progress is None:
            nodes = self._graph.nodes
            required = {domain.id: 0 for domain in self.form.domains}
            missing: dict[str, list[AnswerKey]] = {domain.id: [] for domain in self.form.domains}
            for key in self._flat_order():
                node = nodes[key.question_id]
                assert node.question is not None
                if not node.question.is_required or not self._relevant[key]:
                    continue
                required[node.domain_id] += 1
                if not self.validation(key).ok:
                    missing[node.domain_id].append(key)
            domains = {d: Progress(count, count - len(missing[d])) for d, count in required.items()}
            total = sum(required.values())
            overall = Progress(total, total - sum(len(keys) for keys in missing.values()))
            self._progress = (
                Completeness(overall, MappingProxyType(domains)),
                MappingProxyType({d: tuple(keys) for d, keys in missing.items()}),
            )
        return self._progress


__all__ = ["AnswerKey", "Completeness", "Interview", "Progress", "RepeatLimitError"]
