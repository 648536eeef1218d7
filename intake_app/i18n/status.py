"""How far each language is: counted against the template (POT), for ``intake-app translations status``.

For every message of the template a catalog has exactly one of: a usable translation, a stale one
(fuzzy: its Dutch source changed since) or none (missing). Entries whose source left the template
(``#~`` obsolete ones, and entries of a catalog not yet updated) are counted as stale too, apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog as BabelCatalog

from intake_app.i18n.catalog import N_, TRANSLATIONS_DIR, ReviewStatus, catalog_path
from intake_app.i18n.pofiles import PoCatalog, is_reviewed, is_translated, key_of, read_po_file

COLUMNS = (
    N_("taal"), N_("naam"), N_("berichten"), N_("vertaald"), N_("gecontroleerd"), N_("verouderd"),
    N_("ontbrekend"), N_("status"),
)
NO_CATALOG = N_("geen catalogus")
UNREADABLE = N_("onleesbaar: {error}")
NO_HEADER = N_("concept (geen X-Review-Status)")
UNKNOWN_HEADER = N_("concept (onbekend: {value})")


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    domain: str
    messages: int
    translated: int = 0
    reviewed: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    missing: int = 0
    exists: bool = True
    review_header: str | None = None
    error: str | None = None

    @property
    def stale(self) -> int:
        return self.fuzzy + self.obsolete

    @property
    def review_status(self) -> ReviewStatus:
        header = (self.review_header or "").strip().lower()
        return ReviewStatus.REVIEWED if header == ReviewStatus.REVIEWED.value else ReviewStatus.CONCEPT


def count(template: BabelCatalog, catalog: PoCatalog, locale: str, domain: str) -> CatalogStatus:
    """Pure: compare one catalog with its template."""
    status = catalog.review_status
    wanted = {key_of(message) for message in template if message.id}
    translated = reviewed = fuzzy = missing = 0
    for key in wanted:
        message = catalog.get(key[1], key[0])
        if message is None or (not message.fuzzy and not is_translated(message)):
            missing += 1
        elif message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
            reviewed += is_reviewed(message, status)
    leftovers = sum(1 for message in catalog if message.id and key_of(message) not in wanted)
    return CatalogStatus(
        locale, domain, len(wanted), translated, reviewed, fuzzy, len(catalog.obsolete) + leftovers, missing,
        review_header=catalog.review_header,
    )


def read_template(domain: str, directory: Path = TRANSLATIONS_DIR) -> PoCatalog:
    return read_po_file(directory / f"{domain}.pot")


def collect(domain: str, languages: Sequence[str], directory: Path = TRANSLATIONS_DIR) -> list[CatalogStatus]:
    """One status per language: the given ones (a missing catalog shows as such) and any other found."""
    template = read_template(domain, directory)
    found = sorted(p.parent.parent.name for p in directory.glob(f"*/LC_MESSAGES/{domain}.po"))
    statuses = []
    for locale in [*languages, *(f for f in found if f not in languages)]:
        path = catalog_path(locale, domain, directory)
        if not path.is_file():
            statuses.append(CatalogStatus(locale, domain, len(template), exists=False))
            continue
        try:
            statuses.append(count(template, read_po_file(path, locale), locale, domain))
        except Exception as error:  # a broken file is reported, not a crash of the whole report
            statuses.append(CatalogStatus(locale, domain, len(template), error=str(error) or type(error).__name__))
    return statuses


# How officers call these (CLDR's Dutch names are "Perzisch (Afghanistan)", "Soranî"); the same
# names as the language menus, without the own-script part that would upset a terminal's columns.
_NAMES = {"fa": "Farsi", "fa_AF": "Dari", "ku": "Koerdisch (Kurmanci)", "ckb": "Koerdisch (Sorani)"}


def _language_name(locale: str) -> str:
    from babel import Locale, UnknownLocaleError

    if locale in _NAMES:
        return _NAMES[locale]
    try:
        return Locale.parse(locale).get_display_name("nl") or locale
    except (UnknownLocaleError, ValueError):
        return locale


def _review_text(status: CatalogStatus, gettext: Callable[[str], str]) -> str:
    if not status.exists:
        return gettext(NO_CATALOG)
    if status.error is not None:
        return gettext(UNREADABLE).format(error=status.error)
    header = status.review_header
    if header is None:
        return gettext(NO_HEADER)
    if header.strip().lower() not in {s.value for s in ReviewStatus}:
        return gettext(UNKNOWN_HEADER).format(value=header)
    return status.review_status.value


def rows(statuses: Iterable[CatalogStatus], gettext: Callable[[str], str]) -> list[tuple[str, ...]]:
    table: list[tuple[str, ...]] = []
    for s in statuses:
        counts = (
            (str(s.messages), str(s.translated), str(s.reviewed), str(s.stale), str(s.missing))
            if s.exists and s.error is None
            else (str(s.messages), "-", "-", "-", "-")
        )
        table.append((s.locale, _language_name(s.locale), *counts, _review_text(s, gettext)))
    return table


def format_table(statuses: Iterable[CatalogStatus], gettext: Callable[[str], str] = str) -> str:
    """A plain-text table; numbers right-aligned."""
    header = tuple(gettext(column) for column in COLUMNS)
    body = rows(statuses, gettext)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    numeric = range(2, 7)

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in body)])
