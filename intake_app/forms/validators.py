"""Validation of single answers: results carry a translatable Dutch message with named placeholders.

Messages are marked with ``N_`` and translated at display time: ``result.render(catalog.gettext)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from types import MappingProxyType
from typing import TypeAlias, TypeGuard

from intake_app.forms.answers import AnswerValue, is_empty
from intake_app.forms.schema import Question, QuestionKind
from intake_app.i18n import N_

# The obligation applies from 18 up to the state-pension (AOW) age. The AOW age moves with life
# expectancy (67 years and 3 months from 2028), so it is a setting, not a fact of this module.
AOW_AGE = 67
MINIMUM_AGE = 18
LBT_MAX_SCORE = 40

ParamValue: TypeAlias = str | int | float

MSG_REQUIRED = N_("Deze vraag is verplicht.")
MSG_TEXT = N_("Vul tekst in.")
MSG_INTEGER = N_("Vul een heel getal in.")
MSG_NUMBER = N_("Vul een getal in.")
MSG_RANGE = N_("Vul een getal in tussen {min} en {max}.")
MSG_MIN = N_("Vul een getal in van minimaal {min}.")
MSG_MAX = N_("Vul een getal in van maximaal {max}.")
MSG_SCALE = N_("Kies een waarde van {min} tot en met {max}.")
MSG_LENGTH = N_("Gebruik tussen {min_length} en {max_length} tekens.")
MSG_MIN_LENGTH = N_("Gebruik minimaal {min_length} tekens.")
MSG_MAX_LENGTH = N_("Gebruik maximaal {max_length} tekens.")
MSG_PATTERN = N_("Dit antwoord heeft niet de juiste vorm.")
MSG_DATE_FORMAT = N_("Vul een datum in als jaar-maand-dag, bijvoorbeeld 2001-03-25.")
MSG_DATE_IMPOSSIBLE = N_("De datum {date} bestaat niet. Controleer de dag en de maand.")
MSG_NOT_FUTURE = N_("Deze datum ligt in de toekomst. Vul een datum in tot en met {today}.")
MSG_TOO_YOUNG = N_(
    "Op {reference_date} is deze persoon {age} jaar. De inburgeringsplicht geldt vanaf {minimum_age} jaar."
)
MSG_TOO_OLD = N_(
    "Op {reference_date} is deze persoon {age} jaar. De inburgeringsplicht geldt tot de AOW-leeftijd"
    " ({aow_age} jaar)."
)
MSG_BSN_FORMAT = N_("Een BSN bestaat uit 9 cijfers.")
MSG_BSN_ZEROS = N_("Een BSN kan niet alleen uit nullen bestaan.")
MSG_BSN_CHECK = N_("Dit BSN klopt niet. Controleer de cijfers.")
MSG_V_NUMBER = N_("Een V-nummer bestaat uit precies 10 cijfers.")
MSG_LBT_SCORE = N_("De score van de leerbaarheidstoets is een heel getal van {min} tot en met {max}.")
MSG_CHOICE = N_("Kies een van de mogelijke antwoorden.")
MSG_CHOICES = N_("Kies alleen uit de mogelijke antwoorden, en elk antwoord één keer.")
MSG_EXCLUSIVE = N_("Het antwoord ‘{choice}’ kan niet samen met andere antwoorden gekozen worden.")
MSG_ENTRIES = N_("Deze lijst is niet goed opgeslagen. Neem contact op met functioneel beheer.")
MSG_MIN_ENTRIES = N_("Voeg er minimaal {min} toe.")
MSG_MAX_ENTRIES = N_("Er kunnen er maximaal {max} zijn.")


class ValidationStatus(Enum):
    OK = "ok"
    REQUIRED_EMPTY = "required_empty"
    INVALID = "invalid"


def _no_params() -> Mapping[str, ParamValue]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ValidationResult:
    status: ValidationStatus
    message: str = ""  # Dutch msgid; empty when OK
    params: Mapping[str, ParamValue] = field(default_factory=_no_params, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @classmethod
    def invalid(cls, message: str, **params: ParamValue) -> ValidationResult:
        return cls(ValidationStatus.INVALID, message, params)

    @property
    def ok(self) -> bool:
        return self.status is ValidationStatus.OK

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        """The message in the catalog's language with its placeholders filled in."""
        text = gettext(self.message) if gettext is not None and self.message else self.message
        return text.format(**self.params)


OK = ValidationResult(ValidationStatus.OK)
REQUIRED_EMPTY = ValidationResult(ValidationStatus.REQUIRED_EMPTY, MSG_REQUIRED)


@dataclass(frozen=True)
class ValidationContext:
    reference_date: date  # the intake date: "today" for a live intake
    aow_age: int = AOW_AGE


def _number(value: float) -> ParamValue:
    """Show 5.0 as 5 in messages."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def as_date(value: object) -> date | None:
    """The date in an ISO string, or None if there is none (blank, other format, impossible day)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def age_on(birth: date, on: date) -> int:
    """Completed years. Someone born on 29 February has their birthday on 1 March in other years."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_date(value: AnswerValue) -> ValidationResult:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return ValidationResult.invalid(MSG_DATE_FORMAT)
    if as_date(value) is None:
        return ValidationResult.invalid(MSG_DATE_IMPOSSIBLE, date=value)
    return OK


def check_not_future(value: AnswerValue, context: ValidationContext) -> ValidationResult:
    result = check_date(value)
    day = as_date(value)
    if day is None:
        return result
    if day > context.reference_date:
        return ValidationResult.invalid(MSG_NOT_FUTURE, today=context.reference_date.isoformat())
    return OK


def check_date_of_birth(value: AnswerValue, context: ValidationContext) -> ValidationResult:
    """Inburgeringsplichtig from the 18th birthday until the day the AOW age is reached."""
    result = check_not_future(value, context)
    birth = as_date(value)
    if not result.ok or birth is None:
        return result
    age = age_on(birth, context.reference_date)
    params: dict[str, ParamValue] = {"reference_date": context.reference_date.isoformat(), "age": age}
    if age < MINIMUM_AGE:
        return ValidationResult.invalid(MSG_TOO_YOUNG, minimum_age=MINIMUM_AGE, **params)
    if age >= context.aow_age:
        return ValidationResult.invalid(MSG_TOO_OLD, aow_age=context.aow_age, **params)
    return OK


_NINE_DIGITS = re.compile(r"[0-9]{9}", re.ASCII)
_TEN_DIGITS = re.compile(r"[0-9]{10}", re.ASCII)


def check_bsn(value: AnswerValue) -> ValidationResult:
    """The 11-test: weights 9..2 for the first eight digits and -1 for the last; sum divisible by 11."""
    if not isinstance(value, str) or not _NINE_DIGITS.fullmatch(value):
        return ValidationResult.invalid(MSG_BSN_FORMAT)
    if value == "000000000":
        return ValidationResult.invalid(MSG_BSN_ZEROS)
    digits = [int(char) for char in value]
    total = sum(digit * weight for digit, weight in zip(digits[:8], range(9, 1, -1), strict=True))
    if (total - digits[8]) % 11:
        return ValidationResult.invalid(MSG_BSN_CHECK)
    return OK


def check_v_number(value: AnswerValue) -> ValidationResult:
    if not isinstance(value, str) or not _TEN_DIGITS.fullmatch(value):
        return ValidationResult.invalid(MSG_V_NUMBER)
    return OK


def check_lbt_score(value: AnswerValue) -> ValidationResult:
    if not _is_int(value) or not 0 <= value <= LBT_MAX_SCORE:
        return ValidationResult.invalid(MSG_LBT_SCORE, min=0, max=LBT_MAX_SCORE)
    return OK


def check_range(value: AnswerValue, minimum: float | None, maximum: float | None) -> ValidationResult:
    if not _is_number(value):
        return ValidationResult.invalid(MSG_NUMBER)
    too_low = minimum is not None and value < minimum
    too_high = maximum is not None and value > maximum
    if not (too_low or too_high):
        return OK
    if minimum is not None and maximum is not None:
        return ValidationResult.invalid(MSG_RANGE, min=_number(minimum), max=_number(maximum))
    if minimum is not None:
        return ValidationResult.invalid(MSG_MIN, min=_number(minimum))
    assert maximum is not None
    return ValidationResult.invalid(MSG_MAX, max=_number(maximum))


def check_length(value: AnswerValue, min_length: int | None, max_length: int | None) -> ValidationResult:
    if not isinstance(value, str):
        return ValidationResult.invalid(MSG_TEXT)
    length = len(value.strip())
    too_short = min_length is not None and length < min_length
    too_long = max_length is not None and length > max_length
    if not (too_short or too_long):
        return OK
    if min_length is not None and max_length is not None:
        return ValidationResult.invalid(MSG_LENGTH, min_length=min_length, max_length=max_length)
    if min_length is not None:
        return ValidationResult.invalid(MSG_MIN_LENGTH, min_length=min_length)
    assert max_length is not None
    return ValidationResult.invalid(MSG_MAX_LENGTH, max_length=max_length)


def check_pattern(value: AnswerValue, pattern: str) -> ValidationResult:
    if not isinstance(value, str):
        return ValidationResult.invalid(MSG_TEXT)
    return OK if re.fullmatch(pattern, value.strip()) else ValidationResult.invalid(MSG_PATTERN)


NamedValidator: TypeAlias = Callable[[AnswerValue, ValidationContext], ValidationResult]
NAMED_VALIDATORS: Mapping[str, NamedValidator] = MappingProxyType(
    {
        "bsn": lambda value, _context: check_bsn(value),
        "v_number": lambda value, _context: check_v_number(value),
        "date_of_birth": check_date_of_birth,
        "not_future": check_not_future,
        "lbt_score": lambda value, _context: check_lbt_score(value),
    }
)
# Which kinds each named validator makes sense for (the checker enforces it).
VALIDATOR_KINDS: Mapping[str, frozenset[QuestionKind]] = MappingProxyType(
    {
        "bsn": frozenset({QuestionKind.TEXT}),
        "v_number": frozenset({QuestionKind.TEXT}),
        "date_of_birth": frozenset({QuestionKind.DATE}),
        "not_future": frozenset({QuestionKind.DATE}),
        "lbt_score": frozenset({QuestionKind.INTEGER}),
    }
)


def _check_kind(question: Question, value: AnswerValue) -> ValidationResult:
    kind, rules = question.kind, question.rules
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
        if not isinstance(value, str):
            return ValidationResult.invalid(MSG_TEXT)
        result = check_length(value, rules.min_length, rules.max_length)
        if result.ok and rules.pattern is not None:
            result = check_pattern(value, rules.pattern)
        return result
    if kind is QuestionKind.INTEGER:
        if not _is_int(value):
            return ValidationResult.invalid(MSG_INTEGER)
        return check_range(value, rules.minimum, rules.maximum)
    if kind is QuestionKind.DECIMAL:
        return check_range(value, rules.minimum, rules.maximum)
    if kind is QuestionKind.SCALE:
        low, high = rules.minimum or 0, rules.maximum or 0
        if not _is_int(value) or not low <= value <= high:
            return ValidationResult.invalid(MSG_SCALE, min=_number(low), max=_number(high))
        return OK
    if kind is QuestionKind.DATE:
        return check_date(value)
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO_UNKNOWN):
        values = {choice.value for choice in question.options}
        return OK if isinstance(value, str) and value in values else ValidationResult.invalid(MSG_CHOICE)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return _check_multiple(question, value)
    if kind is QuestionKind.REPEAT_GROUP:
        return _check_entries(question, value)
    return OK


def _check_multiple(question: Question, value: AnswerValue) -> ValidationResult:
    options = {choice.value: choice for choice in question.options}
    if (
        not isinstance(value, list)
        or len(set(value)) != len(value)
        or not all(isinstance(item, str) and item in options for item in value)
    ):
        return ValidationResult.invalid(MSG_CHOICES)
    if len(value) > 1:
        for item in value:
            if options[item].exclusive:
                return ValidationResult.invalid(MSG_EXCLUSIVE, choice=options[item].label)
    return OK


def _check_entries(question: Question, value: AnswerValue) -> ValidationResult:
    if not isinstance(value, list) or len(set(value)) != len(value) or not all(value):
        return ValidationResult.invalid(MSG_ENTRIES)
    if len(value) < question.min_entries:
        return ValidationResult.invalid(MSG_MIN_ENTRIES, min=question.min_entries)
    if question.max_entries is not None and len(value) > question.max_entries:
        return ValidationResult.invalid(MSG_MAX_ENTRIES, max=question.max_entries)
    return OK


def validate_answer(
    question: Question, value: AnswerValue | None, context: ValidationContext
) -> ValidationResult:
    """OK, required-but-empty, or invalid with the first problem found (kind, rules, named validator)."""
    if question.kind in (QuestionKind.NOTE, QuestionKind.COMPUTED):
        return OK
    if value is None or is_empty(value):
        return REQUIRED_EMPTY if question.is_required else OK
    result = _check_kind(question, value)
    if result.ok and question.validator is not None:
        result = NAMED_VALIDATORS[question.validator](value, context)
    return result
