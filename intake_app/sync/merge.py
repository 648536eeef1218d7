"""Merge rules, as pure functions (no database, no network): what the server does with one change.

- A change based on the version the server holds applies. So does the first value for an answer
  the server has never seen: nothing is overwritten.
- A change based on another version is a **conflict**: both values are kept until a person picks.
  A change based on the losing value of an open conflict updates that conflict instead.
- A repeat group's entry list (a list of entry ids) merges instead: entries removed on either side
  since the common base stay removed, all others are kept, in order.
- A version the server already has is a duplicate and changes nothing; so is a change to the value
  the server already holds (two laptops made the same edit, or both removed the answer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum

from intake_app.forms import Form, QuestionKind

__all__ = ["ChangeChecker", "Decision", "check_change", "decide", "merge_entry_lists", "merged_version"]


class Decision(Enum):
    APPLY = "apply"
    MERGE = "merge"
    CONFLICT = "conflict"
    DUPLICATE = "duplicate"
    SAME = "same"


def decide(
    *, server_has_row: bool, server_version: str | None, base_version: str | None, already_seen: bool,
    is_entry_list: bool, same_value: bool = False,
) -> Decision:
    if already_seen:
        return Decision.DUPLICATE
    if not server_has_row or base_version == server_version:
        return Decision.APPLY
    if same_value:  # both laptops made the same edit (or both removed it): nothing to choose between
        return Decision.SAME
    return Decision.MERGE if is_entry_list else Decision.CONFLICT


def merge_entry_lists(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Three-way merge of entry-id lists: the union in order, minus what either side removed.

    ``ours`` is the server's list and keeps its order; entries only ``theirs`` has are placed after
    the nearest entry that precedes them in ``theirs`` (at the front when none does).
    """
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    result = [item for item in dict.fromkeys(ours) if item not in removed]
    present = set(result)
    previous: str | None = None
    for item in dict.fromkeys(theirs):
        if item in removed:
            continue
        if item not in present:
            position = result.index(previous) + 1 if previous is not None else 0
            result.insert(position, item)
            present.add(item)
        previous = item
    return result


_STRING_KINDS = frozenset({
    QuestionKind.TEXT, QuestionKind.LONG_TEXT, QuestionKind.DATE, QuestionKind.SINGLE_CHOICE,
    QuestionKind.YES_NO_UNKNOWN,
})
_LIST_KINDS = frozenset({QuestionKind.MULTIPLE_CHOICE, QuestionKind.REPEAT_GROUP})


def _is_string(value: object) -> bool:
    return isinstance(value, str)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return _is_int(value) or isinstance(value, float)


def _is_string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _value_test(kind: QuestionKind) -> Callable[[object], bool] | None:
    if kind in _STRING_KINDS:
        return _is_string
    if kind in (QuestionKind.INTEGER, QuestionKind.SCALE):
        return _is_int
    if kind is QuestionKind.DECIMAL:
        return _is_number
    if kind in _LIST_KINDS:
        return _is_string_list
    return None  # notes and computed values are never stored answers


def _passing_type(kind: QuestionKind) -> type | None:
    """The type whose values always pass ``_value_test(kind)`` (``type(value) is T``; bool is not int)."""
    if kind in _STRING_KINDS:
        return str
    if kind in (QuestionKind.INTEGER, QuestionKind.SCALE):
        return int
    return None


class ChangeChecker:
    """Why a change does not fit the questionnaire (Dutch, for the log and the officer), or None.

    Only the shape is checked: a known question, in or outside a repeat group as defined, with a
    value of the question's type. Content rules (ranges, 11-test) are the wizard's business: an
    answer that was valid on the laptop when it was given must never be refused by the server.
    The questionnaire is read once into a table: the server checks every change of every push.
    """

    def __init__(self, form: Form) -> None:
        # (in a repeat group, value test, kind, a type that passes the test by itself or None): the
        # last lets the server's hot loop skip the call for most answers (text, choices, integers).
        self.table: dict[str, tuple[bool, Callable[[object], bool] | None, str, type | None]] = {
            question.id: (form.group_of(question.id) is not None, _value_test(question.kind), question.kind.value,
                          _passing_type(question.kind))
            for question in form.all_questions()
        }

    def reason(self, question_id: str, entry_id: str, value: object) -> str | None:
        found = self.table.get(question_id)
        if found is None:
            return f"onbekende vraag '{question_id}'"
        in_group, test, kind, _passing = found
        if in_group != bool(entry_id):
            where = "hoort in een herhaalgroep" if in_group else "hoort niet in een herhaalgroep"
            return f"vraag '{question_id}' {where}"
        if value is None:
            return None
        if test is None:
            return f"vraag '{question_id}' krijgt geen antwoord"
        return None if test(value) else f"verkeerd soort waarde voor vraag '{question_id}' ({kind})"


def check_change(form: Form, question_id: str, entry_id: str, value: object) -> str | None:
    """:meth:`ChangeChecker.reason` for one change (builds the table each time: for tests and tools)."""
    return ChangeChecker(form).reason(question_id, entry_id, value)


def merged_version(first: str | None, second: str, tag: str) -> str:
    """A version for a merged value that sorts after both inputs (``tag`` names the merge).

    Same layout as the laptops' hybrid logical clock: ``<ms 15>-<counter 5>-<device>``.
    """
    def parts(version: str) -> tuple[int, int]:
        millis, counter, _device = version.split("-", 2)
        return int(millis), int(counter)

    millis, counter = max(parts(second), parts(first) if first else (0, 0))
    millis, counter = (millis + 1, 0) if counter >= 99_999 else (millis, counter + 1)
    return f"{millis:015d}-{counter:05d}-{tag}"
