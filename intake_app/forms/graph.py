"""What the engine precomputes once per form: compiled conditions and the dependency graph.

Nodes are question ids plus one node per domain (``"@<domain id>"``, the page's own condition).
``affected[x]`` lists, in evaluation order, x and everything whose relevance or computed value
depends on x, directly or not: after one answer only those nodes are evaluated again.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from intake_app.forms.computed import FUNCTIONS, ComputedFunction
from intake_app.forms.conditions import Predicate, compile_condition
from intake_app.forms.schema import Form, Question, QuestionKind, condition_references

DOMAIN_PREFIX = "@"  # not allowed in question ids, so domain nodes never collide with questions


class RefMode(Enum):
    TOP = "top"  # a top-level question: one value
    SIBLING = "sibling"  # a question in the same repeat entry: one value
    ENTRIES = "entries"  # a question in another repeat group: one value per entry


@dataclass(frozen=True)
class Node:
    id: str
    domain_id: str
    question: Question | None  # None for a domain node
    group_id: str | None  # the enclosing repeat group
    predicate: Predicate | None
    refs: Mapping[str, tuple[RefMode, str | None]]  # how to read each question it depends on
    function: ComputedFunction | None = None

    @property
    def is_domain(self) -> bool:
        return self.question is None


def _refs(form: Form, group_id: str | None, ids: Iterable[str]) -> dict[str, tuple[RefMode, str | None]]:
    refs: dict[str, tuple[RefMode, str | None]] = {}
    for ref in ids:
        ref_group = form.group_of(ref)
        if ref_group is None:
            refs[ref] = (RefMode.TOP, None)
        elif ref_group.id == group_id:
            refs[ref] = (RefMode.SIBLING, ref_group.id)
        else:
            refs[ref] = (RefMode.ENTRIES, ref_group.id)
    return refs


class FormGraph:
    def __init__(self, form: Form) -> None:
        self.form = form
        nodes: dict[str, Node] = {}
        depends: dict[str, set[str]] = {}
        for domain in form.domains:
            node_id = DOMAIN_PREFIX + domain.id
            refs = [c.question for c in condition_references(domain.relevant)]
            predicate = compile_condition(domain.relevant) if domain.relevant is not None else None
            nodes[node_id] = Node(node_id, domain.id, None, None, predicate, _refs(form, None, refs))
            depends[node_id] = set(refs)
        for question in form.all_questions():
            group = form.group_of(question.id)
            group_id = group.id if group is not None else None
            domain_id = form.domain_of(question.id).id
            refs = [c.question for c in condition_references(question.relevant)]
            spec = question.computed
            sources = list(spec.sources) if spec is not None else []
            predicate = compile_condition(question.relevant) if question.relevant is not None else None
            function = FUNCTIONS.get(spec.function) if spec is not None else None
            nodes[question.id] = Node(
                question.id, domain_id, question, group_id, predicate, _refs(form, group_id, refs + sources), function
            )
            depends[question.id] = {*refs, *sources, group_id or DOMAIN_PREFIX + domain_id}
        self.nodes: Mapping[str, Node] = nodes
        self.order: tuple[str, ...] = _topological(nodes, depends)
        self.rank: Mapping[str, int] = {node_id: index for index, node_id in enumerate(self.order)}
        dependents: dict[str, set[str]] = {node_id: set() for node_id in nodes}
        for node_id, needs in depends.items():
            for need in needs & dependents.keys():  # unknown ids are the checker's to report
                dependents[need].add(node_id)
        self.affected: Mapping[str, tuple[str, ...]] = {
            node_id: self._closure(node_id, dependents) for node_id in nodes
        }
        self.groups: tuple[str, ...] = tuple(
            q.id for q in form.all_questions() if q.kind is QuestionKind.REPEAT_GROUP
        )
        self.top_level: tuple[Question, ...] = tuple(q for d in form.domains for q in d.questions)

    def _closure(self, start: str, dependents: Mapping[str, set[str]]) -> tuple[str, ...]:
        seen = {start}
        stack = [start]
        while stack:
            for nxt in dependents[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return tuple(sorted(seen, key=self.rank.__getitem__))

    def affected_by(self, node_ids: Iterable[str]) -> tuple[str, ...]:
        ids = list(node_ids)
        if len(ids) == 1:
            return self.affected[ids[0]]
        found = {item for node_id in ids for item in self.affected[node_id]}
        return tuple(sorted(found, key=self.rank.__getitem__))


def _topological(nodes: Mapping[str, Node], depends: Mapping[str, set[str]]) -> tuple[str, ...]:
    """Dependencies first; otherwise form order (domain node before its questions)."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(node_id: str) -> None:
        if state.get(node_id) == 2:
            return
        if state.get(node_id) == 1:
            raise ValueError(f"dependency cycle through '{node_id}' (check_form reports it)")
        state[node_id] = 1
        for need in sorted(depends[node_id]):
            if need in nodes:
                visit(need)
        state[node_id] = 2
        order.append(node_id)

    for node_id in nodes:  # domain nodes first, then questions in form order
        visit(node_id)
    return tuple(order)


_GRAPHS: weakref.WeakKeyDictionary[Form, FormGraph] = weakref.WeakKeyDictionary()


def graph_for(form: Form) -> FormGraph:
    graph = _GRAPHS.get(form)
    if graph is None:
        graph = _GRAPHS[form] = FormGraph(form)
    return graph
