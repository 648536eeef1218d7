"""Gettext catalogs per locale, read at run time from ``translations/<locale>/LC_MESSAGES/<domain>.po``.

There is no compile step and no ``.mo`` file in git: the PO file a translator saved is what the app
uses. Loading parses it with Babel, keeps the usable entries (translated, not fuzzy — a fuzzy entry is
a stale translation of an older Dutch source, so it falls back to Dutch exactly as with gettext),
compiles them to MO bytes in memory and hands those to :class:`gettext.GNUTranslations`. The result
is cached per file and modification time, so each catalog is parsed once per process.

Babel is imported lazily: the Dutch source catalog (the lock screen at start-up) needs none of it.
"""

from __future__ import annotations

import gettext
import threading
import time
from collections import OrderedDict
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping
    from logging import Logger

# The officer UI is written in Dutch: the msgids *are* the Dutch text, so the null translation is
# the correct Dutch catalog.
SOURCE_LOCALE = "nl"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"


def _log() -> Logger:
    # logging (and dataclasses) are not imported at module level: this module is on the start-up path.
    import logging

    return logging.getLogger(__name__)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a string for extraction without translating it (translate at display time)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 (the gettext convention)
    """Mark a singular/plural pair; translate with ``catalog.ngettext(*pair, count)``."""
    return singular, plural


class TextDirection(Enum):
    LEFT_TO_RIGHT = "ltr"
    RIGHT_TO_LEFT = "rtl"


class ReviewStatus(Enum):
    """A catalog's ``X-Review-Status`` header; anything but ``reviewed`` counts as concept."""

    CONCEPT = "concept"
    REVIEWED = "reviewed"


class TranslationState(Enum):
    """What a reader sees for one message."""

    SOURCE = "source"  # the Dutch source itself (Dutch catalog)
    REVIEWED = "reviewed"  # a translation checked by a sworn translator
    CONCEPT = "concept"  # a translation nobody qualified has checked yet
    UNTRANSLATED = "untranslated"  # missing or stale (fuzzy): the Dutch source is shown


def text_direction(locale: str) -> TextDirection:
    """Direction from the language itself (CLDR through Babel), never guessed from text."""
    from babel import Locale  # lazy: start-up shows the lock screen before loading CLDR data

    return (
        TextDirection.RIGHT_TO_LEFT
        if Locale.parse(locale).text_direction == "rtl"
        else TextDirection.LEFT_TO_RIGHT
    )


def normalize_locale(locale: str) -> str:
    """``fa-AF`` and ``fa_AF`` name the same catalog folder (``fa_AF``)."""
    return locale.replace("-", "_")


def catalog_path(locale: str, domain: str, directory: Path | None = None) -> Path:
    return (directory or TRANSLATIONS_DIR) / normalize_locale(locale) / "LC_MESSAGES" / f"{domain}.po"


def available_locales(domain: str = "officer", directory: Path | None = None) -> list[str]:
    """Locales that have a catalog for ``domain`` (the source locale always counts)."""
    found = {SOURCE_LOCALE}
    folder = directory or TRANSLATIONS_DIR
    if folder.is_dir():
        for po in folder.glob(f"*/LC_MESSAGES/{domain}.po"):
            found.add(po.parent.parent.name)
    return sorted(found)


class LoadedCatalog(NamedTuple):
    """One parsed PO file, ready for lookups; shared by every :class:`Catalog` of that file."""

    path: Path | None
    translations: gettext.NullTranslations
    review_status: ReviewStatus
    states: Mapping[tuple[str | None, str], TranslationState] = MappingProxyType({})
    load_seconds: float = 0.0
    has_concept: bool = False  # some usable translation is not reviewed
    has_usable: bool = False  # some translation is used at all


def _resolve(locale: str, domain: str, directory: Path | None) -> tuple[str, Path] | None:
    """The catalog to use: the locale's own; only if that is missing, its language's (``fa_AF`` → ``fa``)."""
    locale = normalize_locale(locale)
    own = catalog_path(locale, domain, directory)
    if own.is_file():
        return locale, own
    language = locale.split("_")[0]
    if language != locale:
        parent = catalog_path(language, domain, directory)
        if parent.is_file():
            # Not silent: Dari readers get Farsi wording, which an officer should know about.
            _log().warning("no %s catalog for %s; using %s's", domain, locale, language)
            return language, parent
    return None


_CACHE_SIZE = 64
_cache: OrderedDict[tuple[Path, int, int, str], LoadedCatalog] = OrderedDict()
_cache_lock = threading.Lock()


def _load_cached(path: Path, locale: str) -> LoadedCatalog:
    stat = path.stat()
    # The modification time is part of the key, so a catalog saved while the app runs is re-read.
    key = (path, stat.st_mtime_ns, stat.st_size, locale)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    loaded = _parse(path, locale)
    with _cache_lock:
        _cache[key] = loaded
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return loaded


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _parse(path: Path, locale: str) -> LoadedCatalog:
    from io import BytesIO

    from babel.messages.mofile import write_mo

    from intake_app.i18n.pofiles import is_reviewed, is_usable, key_of, read_po_file

    started = time.perf_counter()
    po = read_po_file(path, locale, ignore_obsolete=True)
    status = po.review_status
    states: dict[tuple[str | None, str], TranslationState] = {}
    for message in list(po):
        if not message.id:
            continue
        if not is_usable(message):
            states[key_of(message)] = TranslationState.UNTRANSLATED
            po.delete(message.id, message.context)  # write_mo would keep half-translated plurals
            continue
        reviewed = is_reviewed(message, status)
        states[key_of(message)] = TranslationState.REVIEWED if reviewed else TranslationState.CONCEPT
    buffer = BytesIO()
    write_mo(buffer, po, use_fuzzy=False)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    seconds = time.perf_counter() - started
    _log().debug("loaded %s (%d messages) in %.1f ms", path, len(states), seconds * 1000)
    used = set(states.values())
    return LoadedCatalog(
        path, translations, status, MappingProxyType(states), seconds,
        has_concept=TranslationState.CONCEPT in used, has_usable=bool(used - {TranslationState.UNTRANSLATED}),
    )


def _load(locale: str, domain: str, directory: Path | None) -> tuple[str | None, LoadedCatalog]:
    if normalize_locale(locale).split("_")[0] == SOURCE_LOCALE:
        return None, _SOURCE
    resolved = _resolve(locale, domain, directory)
    if resolved is None:
        return None, _NOTHING
    used_locale, path = resolved
    try:
        return used_locale, _load_cached(path, used_locale)
    except Exception:
        # A broken file from a translator must not take the interpreter window down: the newcomer
        # sees Dutch, the log says why, and the test suite (and `translations status`) fail loudly.
        _log().exception("cannot read %s; showing the Dutch source", path)
        return None, _NOTHING


_SOURCE = LoadedCatalog(None, gettext.NullTranslations(), ReviewStatus.REVIEWED)
_NOTHING = LoadedCatalog(None, gettext.NullTranslations(), ReviewStatus.CONCEPT)


class Catalog:
    """One language's translations for one domain; each window and each PDF holds its own.

    ``catalog_locale`` is the locale whose PO file is in use: the requested one, its language's when
    it has none of its own (``fa_AF`` → ``fa``), or ``None`` when the Dutch source is shown.
    """

    def __init__(self, locale: str = SOURCE_LOCALE, domain: str = "officer", *, directory: Path | None = None) -> None:
        self.locale = normalize_locale(locale)
        self.domain = domain
        self.catalog_locale, self._loaded = _load(self.locale, domain, directory)
        self._translations = self._loaded.translations

    @property
    def direction(self) -> TextDirection:
        return text_direction(self.locale)

    @property
    def is_source(self) -> bool:
        return self._loaded is _SOURCE

    @property
    def review_status(self) -> ReviewStatus:
        """The catalog's header; a borrowed catalog (``fa`` for ``fa_AF``) was not reviewed for this locale."""
        if self.catalog_locale is not None and self.catalog_locale != self.locale:
            return ReviewStatus.CONCEPT
        return self._loaded.review_status

    @property
    def load_seconds(self) -> float:
        """How long parsing the PO file took (once per process; later catalogs share the result)."""
        return self._loaded.load_seconds

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._translations.npgettext(context, singular, plural, n)

    def state(self, context: str | None, message: str) -> TranslationState:
        """What the reader of this message sees: the source, a reviewed or concept translation, or Dutch."""
        if self.is_source:
            return TranslationState.SOURCE
        found = self._loaded.states.get((context, message), TranslationState.UNTRANSLATED)
        if found is TranslationState.REVIEWED and self.catalog_locale != self.locale:
            return TranslationState.CONCEPT
        return found

    def is_reviewed(self, context: str | None, message: str) -> bool:
        """The reader gets this text in their language as checked by a sworn translator (or the source).

        False for a concept translation and for a message shown in Dutch because its translation is
        missing or stale; only the first needs the concept note (:meth:`needs_review_note`).
        """
        return self.state(context, message) in (TranslationState.SOURCE, TranslationState.REVIEWED)

    def needs_review_note(self, context: str | None = None, message: str | None = None) -> bool:
        """A translation is shown that no sworn translator has checked (a Dutch fallback needs no note).

        Without a message: whether any text of this catalog may need it (one note per screen or PDF).
        """
        if message is not None:
            return self.state(context, message) is TranslationState.CONCEPT
        if self.catalog_locale is not None and self.catalog_locale != self.locale:
            return self._loaded.has_usable
        return self._loaded.has_concept

    def unreviewed_note(self, context: str | None = None, message: str | None = None) -> str:
        """The concept-translation note in this catalog's language, or "" where none is needed.

        ``unreviewed_note()`` is for a whole screen or PDF, ``unreviewed_note(context, msgid)`` for one text.
        """
        from intake_app.i18n.notes import UNREVIEWED_NOTE

        return self.gettext(UNREVIEWED_NOTE) if self.needs_review_note(context, message) else ""

    __call__ = gettext
