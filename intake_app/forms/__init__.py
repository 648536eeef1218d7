"""The questionnaire as data and the interview engine. No Qt, no database.

Typical use::

    form = load_intake_form()
    interview = Interview(form, stored_answers, reference_date=intake_date)
    interview = interview.set_answer(AnswerKey("target_group"), "asylum_permit_holder")
    storage.write(interview.changes)
    interview.completeness().overall.fraction
"""

from intake_app.forms.answers import AnswerChange, AnswerKey, AnswerValue, diff_answers, is_empty
from intake_app.forms.checker import FormDefinitionError, FormProblem, check_form
from intake_app.forms.engine import Completeness, Interview, Progress, RepeatLimitError
from intake_app.forms.loader import load_form_file, load_form_text, load_intake_form
from intake_app.forms.schema import (
    Choice,
    Condition,
    Domain,
    Form,
    Question,
    QuestionKind,
)
from intake_app.forms.texts import TranslatableText, translatable_texts
from intake_app.forms.validators import (
    AOW_AGE,
    ValidationContext,
    ValidationResult,
    ValidationStatus,
    validate_answer,
)

__all__ = [
    "AOW_AGE",
    "AnswerChange",
    "AnswerKey",
    "AnswerValue",
    "Choice",
    "Completeness",
    "Condition",
    "Domain",
    "Form",
    "FormDefinitionError",
    "FormProblem",
    "Interview",
    "Progress",
    "Question",
    "QuestionKind",
    "RepeatLimitError",
    "TranslatableText",
    "ValidationContext",
    "ValidationResult",
    "ValidationStatus",
    "check_form",
    "diff_answers",
    "is_empty",
    "load_form_file",
    "load_form_text",
    "load_intake_form",
    "translatable_texts",
    "validate_answer",
]
