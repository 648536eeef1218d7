"""Answer keys and values: what storage keeps, one row per key.

An answer outside a repeat group has ``entry_id == ""``. Inside a repeat group, ``entry_id`` is the
stable id of the entry (uuid4 hex), never an index, so two laptops that add entries offline do not
collide. The order of a group's entries is itself an answer: the list of entry ids, stored under
``AnswerKey(group_id)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, TypeAlias

Scalar: TypeAlias = str | int | float | bool
# JSON-compatible: dates travel as ISO strings ("YYYY-MM-DD"), multiple choice as a list of values.
AnswerValue: TypeAlias = str | int | float | bool | list[str]


class AnswerKey(NamedTuple):
    """Where an answer lives. A NamedTuple: hashed in C, which matters on the hot path."""

    question_id: str
    entry_id: str = ""


class AnswerChange(NamedTuple):
    """One row to write: ``after is None`` means the answer was removed."""

    key: AnswerKey
    before: AnswerValue | None
    after: AnswerValue | None


def is_empty(value: object) -> bool:
    """No answer: nothing, blank text or an empty selection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return False


def check_answer_value(value: object) -> AnswerValue:
    """Refuse values storage cannot keep as JSON (a ``date`` object, a tuple, a list of ints...)."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TypeError(f"not a JSON-compatible answer value: {value!r}")


def same_value(a: object, b: object) -> bool:
    """Equality without Python's ``True == 1`` and ``"1" != 1`` surprises mixing up answer types."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def diff_answers(
    before: Mapping[AnswerKey, AnswerValue], after: Mapping[AnswerKey, AnswerValue]
) -> tuple[AnswerChange, ...]:
    """The rows that differ between two answer sets (``after=None`` for a removed answer)."""
    changes = [
        AnswerChange(key, before.get(key), value)
        for key, value in after.items()
        if key not in before or not same_value(before[key], value)
    ]
    changes.extend(AnswerChange(key, value, None) for key, value in before.items() if key not in after)
    return tuple(changes)
