"""Repeat-group entries as pure operations on an answers mapping (no mutation of the input).

A group's entry order is the answer stored under ``AnswerKey(group_id)``: a list of entry ids.
Each operation returns the new answers and the rows that changed (``after=None``: delete the row).
:class:`~intake_app.forms.engine.Interview` wraps these; sync or import code may use them directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from intake_app.forms.answers import AnswerChange, AnswerKey, AnswerValue
from intake_app.forms.schema import Question, QuestionKind

Answers = dict[AnswerKey, AnswerValue]


class RepeatLimitError(ValueError):
    """The repeat group already has its maximum number of entries."""


def entry_ids(answers: Mapping[AnswerKey, AnswerValue], group_id: str) -> tuple[str, ...]:
    """The entry ids in order; a damaged list (duplicates, non-text items) is read as well as it can be."""
    value = answers.get(AnswerKey(group_id))
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(item for item in value if isinstance(item, str) and item))


def _check_group(group: Question) -> None:
    if group.kind is not QuestionKind.REPEAT_GROUP:
        raise ValueError(f"'{group.id}' is not a repeat group")


def _with_order(
    answers: Mapping[AnswerKey, AnswerValue], group: Question, order: list[str]
) -> tuple[Answers, list[AnswerChange]]:
    key = AnswerKey(group.id)
    new = dict(answers)
    if answers.get(key) == order:
        return new, []
    if order:
        new[key] = order
    else:
        new.pop(key, None)  # no entries is no answer
    return new, [AnswerChange(key, answers.get(key), order or None)]


def add_entry(
    answers: Mapping[AnswerKey, AnswerValue],
    group: Question,
    *,
    entry_id: str | None = None,
    position: int | None = None,
) -> tuple[Answers, tuple[AnswerChange, ...], str]:
    """A new, empty entry at ``position`` (default: last), with a fresh uuid4 hex id unless given."""
    _check_group(group)
    order = list(entry_ids(answers, group.id))
    if group.max_entries is not None and len(order) >= group.max_entries:
        raise RepeatLimitError(f"'{group.id}' takes at most {group.max_entries} entries")
    entry_id = entry_id or uuid.uuid4().hex
    if entry_id in order:
        raise ValueError(f"'{group.id}' already has an entry '{entry_id}'")
    position = len(order) if position is None else position
    if not 0 <= position <= len(order):
        raise IndexError(f"position {position} outside 0..{len(order)}")
    order.insert(position, entry_id)
    new, changes = _with_order(answers, group, order)
    return new, tuple(changes), entry_id


def remove_entry(
    answers: Mapping[AnswerKey, AnswerValue], group: Question, entry_id: str
) -> tuple[Answers, tuple[AnswerChange, ...]]:
    """Drop the entry and every answer given in it."""
    _check_group(group)
    order = list(entry_ids(answers, group.id))
    if entry_id not in order:
        raise ValueError(f"'{group.id}' has no entry '{entry_id}'")
    order.remove(entry_id)
    new, changes = _with_order(answers, group, order)
    for child in group.questions:
        key = AnswerKey(child.id, entry_id)
        if key in new:
            changes.append(AnswerChange(key, new.pop(key), None))
    return new, tuple(changes)


def move_entry(
    answers: Mapping[AnswerKey, AnswerValue], group: Question, entry_id: str, to_index: int
) -> tuple[Answers, tuple[AnswerChange, ...]]:
    """Put the entry at ``to_index`` (0 = first); the entries' answers are untouched."""
    _check_group(group)
    order = list(entry_ids(answers, group.id))
    if entry_id not in order:
        raise ValueError(f"'{group.id}' has no entry '{entry_id}'")
    if not 0 <= to_index < len(order):
        raise IndexError(f"index {to_index} outside 0..{len(order) - 1}")
    order.remove(entry_id)
    order.insert(to_index, entry_id)
    new, changes = _with_order(answers, group, order)
    return new, tuple(changes)
