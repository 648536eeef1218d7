"""The languages of the app: which a newcomer can be served in, which the officer UI has."""

from __future__ import annotations

SOURCE_LOCALE = "nl"
# The languages a newcomer can follow the intake and read the plan in (Dutch is the source).
CLIENT_LANGUAGES = ("nl", "en", "ar", "fa", "fa_AF", "ps", "ti", "so", "tr", "fr", "es", "ku", "ckb")
OFFICER_LANGUAGES = ("nl", "en")


# Names CLDR gives differently from how officers and newcomers call these languages.
_OWN_NAMES = {"fa_AF": "دری", "ku": "Kurmancî", "ckb": "کوردیی سۆرانی"}
_DUTCH_NAMES = {"fa_AF": "Dari", "ku": "Koerdisch (Kurmanci)", "ckb": "Koerdisch (Sorani)", "fa": "Farsi"}


def language_name(locale: str, in_locale: str = SOURCE_LOCALE) -> str:
    """'Arabisch (العربية)': the name for the officer, then the language's own name."""
    from babel import Locale

    if in_locale == SOURCE_LOCALE and locale in _DUTCH_NAMES:
        own = _OWN_NAMES.get(locale) or Locale.parse(locale).get_display_name(locale) or locale
        return f"{_DUTCH_NAMES[locale]} ({own})"

    language = Locale.parse(locale)
    shown = language.get_display_name(in_locale) or locale
    own = language.get_display_name(locale) or locale
    return shown if shown == own else f"{shown} ({own})"
