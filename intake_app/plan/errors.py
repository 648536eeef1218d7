"""The one error the plan package raises when a fact, decision or amendment breaks a rule."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from intake_app.i18n import Catalog
from intake_app.plan.text import ParamValue, render


class PlanValidationError(ValueError):
    """A rule was broken. ``code`` is stable (tests, logs); ``message`` is a Dutch ``N_`` template.

    ``str(error)`` is the Dutch text; :meth:`render` gives it in another catalog's language.
    """

    def __init__(self, code: str, message: str, **params: ParamValue) -> None:
        self.code = code
        self.message = message
        self.params: Mapping[str, ParamValue] = MappingProxyType(dict(params))
        super().__init__(render(message, self.params))

    def render(self, catalog: Catalog) -> str:
        return render(self.message, self.params, catalog)


def word_count(text: str) -> int:
    """Words with at least one letter, so "..." or "1 2 3" do not pass for a motivation."""
    return sum(1 for token in text.split() if any(char.isalpha() for char in token))
