"""Gettext catalogs per locale, loaded from ``translations/<locale>/LC_MESSAGES/<domain>.mo``."""

from __future__ import annotations

import gettext
from enum import Enum
from functools import cache
from pathlib import Path

# The officer UI is written in Dutch: the msgids *are* the Dutch text, so the null translation is
# the correct Dutch catalog.
SOURCE_LOCALE = "nl"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a string for extraction without translating it (translate at display time)."""
    return message


class TextDirection(Enum):
    LEFT_TO_RIGHT = "ltr"
    RIGHT_TO_LEFT = "rtl"


def text_direction(locale: str) -> TextDirection:
    """Direction from the language itself (CLDR through Babel), never guessed from text."""
    from babel import Locale  # lazy: start-up shows the lock screen before loading CLDR data

    return (
        TextDirection.RIGHT_TO_LEFT
        if Locale.parse(locale).text_direction == "rtl"
        else TextDirection.LEFT_TO_RIGHT
    )


def available_locales(domain: str = "officer") -> list[str]:
    """Locales that have a catalog for ``domain`` (the source locale always counts)."""
    found = {SOURCE_LOCALE}
    if TRANSLATIONS_DIR.is_dir():
        for po in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{domain}.po"):
            found.add(po.parent.parent.name)
    return sorted(found)


class Catalog:
    """One language's translations for one domain; each window and each PDF holds its own."""

    def __init__(self, locale: str = SOURCE_LOCALE, domain: str = "officer") -> None:
        self.locale = locale
        self.domain = domain
        self._translations = _load(locale, domain)

    @property
    def direction(self) -> TextDirection:
        return text_direction(self.locale)

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._translations.pgettext(context, message)

    __call__ = gettext


@cache
def _load(locale: str, domain: str) -> gettext.NullTranslations:
    if locale == SOURCE_LOCALE:
        return gettext.NullTranslations()
    return gettext.translation(domain, TRANSLATIONS_DIR, languages=[locale], fallback=True)
