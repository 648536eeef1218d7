"""Translation helpers shared by every layer.

Strings are *marked* at import time with :func:`N_` and *translated* at display time through a
:class:`Catalog`, so switching language needs no restart and two windows can show two languages.
Catalogs are read from the translators' PO files at run time (see docs/translations.md).
This package imports neither Qt nor SQLAlchemy.
"""

from intake_app.i18n.catalog import (
    N_,
    NP_,
    Catalog,
    ReviewStatus,
    TextDirection,
    TranslationState,
    available_locales,
    text_direction,
)

__all__ = [
    "NP_",
    "N_",
    "Catalog",
    "ReviewStatus",
    "TextDirection",
    "TranslationState",
    "available_locales",
    "text_direction",
]
