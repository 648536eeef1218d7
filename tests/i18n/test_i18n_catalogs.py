"""The real catalogs under translations/: complete, placeholders kept, every letter in the bundled fonts.

Parametrised over the languages the app promises (``CLIENT_LANGUAGES``) plus any other catalog found,
so a language without a catalog fails by name instead of being quietly left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.i18n import Catalog
from intake_app.i18n.catalog import SOURCE_LOCALE, TRANSLATIONS_DIR, catalog_path
from intake_app.i18n.checks import placeholder_problems, uncovered_characters
from intake_app.i18n.extract import build_catalog
from intake_app.i18n.languages import CLIENT_LANGUAGES
from intake_app.i18n.pofiles import PoCatalog, is_translated, is_usable, key_of, read_po_file, translations_of

EXPECTED = [locale for locale in CLIENT_LANGUAGES if locale != SOURCE_LOCALE]


def _found(domain: str) -> list[str]:
    return sorted(path.parent.parent.name for path in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{domain}.po"))


CLIENT_LOCALES = [*EXPECTED, *(locale for locale in _found("client") if locale not in EXPECTED)]
OFFICER_LOCALES = _found("officer") or [
    pytest.param(None, marks=pytest.mark.skip(reason="no officer catalog yet (translations/*/LC_MESSAGES/officer.po)"))
]


def _describe(key: tuple[str | None, str]) -> str:
    context, msgid = key
    return f"[{context}] {msgid!r}" if context else repr(msgid)


@pytest.fixture(scope="module")
def client_template() -> PoCatalog:
    return read_po_file(TRANSLATIONS_DIR / "client.pot")


def _existing(locale: str, domain: str = "client") -> PoCatalog:
    path = catalog_path(locale, domain)
    if not path.is_file():
        pytest.skip(f"no {domain} catalog for {locale}; test_every_language_has_every_client_message fails for it")
    return read_po_file(path, locale)


@pytest.mark.parametrize("locale", CLIENT_LOCALES)
def test_every_language_has_every_client_message(locale: str, client_template: PoCatalog) -> None:
    path = catalog_path(locale, "client")
    if not path.is_file():
        pytest.fail(
            f"no client catalog for {locale}: expected {path.relative_to(TRANSLATIONS_DIR.parent)}\n"
            f"  create it: pybabel init -i translations/client.pot -d translations -D client -l {locale}"
        )
    catalog = read_po_file(path, locale)
    missing = []
    for message in client_template:
        if not message.id:
            continue
        found = catalog.get(key_of(message)[1], message.context)
        if found is None or not is_translated(found):
            missing.append(_describe(key_of(message)))
    total = len(client_template)
    shown = "\n  ".join(missing[:15])
    more = f"\n  … and {len(missing) - 15} more" if len(missing) > 15 else ""
    assert not missing, f"{locale}: {len(missing)} of {total} client messages have no translation:\n  {shown}{more}"


@pytest.mark.parametrize("locale", CLIENT_LOCALES)
def test_client_translations_keep_exactly_the_named_placeholders(locale: str) -> None:
    catalog = _existing(locale)
    problems = [
        f"{_describe(t.key)} → {t.translation!r}: {'; '.join(found)}"
        for t in translations_of(catalog)
        if (found := placeholder_problems(t.source, t.translation))
    ]
    assert not problems, f"{locale}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("locale", OFFICER_LOCALES)
def test_officer_translations_keep_exactly_the_named_placeholders(locale: str) -> None:
    catalog = _existing(locale, "officer")
    problems = [
        f"{_describe(t.key)} → {t.translation!r}: {'; '.join(found)}"
        for t in translations_of(catalog)
        if (found := placeholder_problems(t.source, t.translation))
    ]
    assert not problems, f"{locale}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("locale", CLIENT_LOCALES)
def test_every_translated_character_has_a_glyph_in_the_bundled_fonts(locale: str) -> None:
    catalog = _existing(locale)
    problems = []
    for translation in translations_of(catalog):
        uncovered = uncovered_characters(translation.translation, locale)
        if uncovered:
            names = ", ".join(f"U+{ord(c):04X} {_name(c)}" for c in sorted(uncovered))
            problems.append(f"{_describe(translation.key)}: {names}")
    assert not problems, f"{locale}: characters the bundled fonts cannot draw:\n  " + "\n  ".join(problems)


def test_the_dutch_sources_have_glyphs_too(client_template: PoCatalog) -> None:
    """A missing translation shows the Dutch text, in any window: Latin must cover it."""
    uncovered = {
        f"U+{ord(c):04X} {_name(c)} in {_describe(key_of(m))}"
        for m in client_template if m.id
        for source in _ids(m.id)
        for c in uncovered_characters(str(source), SOURCE_LOCALE)
    }
    assert not uncovered


@pytest.mark.parametrize("locale", CLIENT_LOCALES)
def test_the_app_loads_each_catalog_it_has(locale: str) -> None:
    catalog = _existing(locale)
    loaded = Catalog(locale, "client")
    assert loaded.catalog_locale == locale
    usable = [m for m in catalog if m.id and is_usable(m) and not isinstance(m.id, (list, tuple))]
    for message in usable[:50]:
        text = loaded.pgettext(message.context, message.id) if message.context else loaded.gettext(message.id)
        assert text == message.string


@pytest.mark.parametrize("domain", ["client", "officer"])
def test_the_templates_are_as_new_as_the_code(domain: str) -> None:
    template = read_po_file(TRANSLATIONS_DIR / f"{domain}.pot")
    in_template = {key_of(m) for m in template if m.id}
    in_code = {key_of(m) for m in build_catalog(domain) if m.id}
    missing = sorted(in_code - in_template, key=str)
    gone = sorted(in_template - in_code, key=str)
    assert not missing and not gone, (
        f"translations/{domain}.pot is out of date — run: python -m intake_app.i18n.extract\n"
        f"  not yet in it: {[_describe(k) for k in missing[:10]]}\n  no longer in the code: "
        f"{[_describe(k) for k in gone[:10]]}"
    )


def _ids(msgid: object) -> list[object]:
    return list(msgid) if isinstance(msgid, (list, tuple)) else [msgid]


def _name(char: str) -> str:
    import unicodedata

    return unicodedata.name(char, "?")


def test_catalog_paths_are_under_the_translations_folder() -> None:
    assert catalog_path("fa-AF", "client") == TRANSLATIONS_DIR / "fa_AF" / "LC_MESSAGES" / "client.po"
    assert Path(TRANSLATIONS_DIR, "client.pot").is_file()


GLOSSARY_HEADER = ["term_nl", "translation", "note"]


@pytest.mark.parametrize("locale", CLIENT_LOCALES)
def test_the_glossary_is_a_three_column_table_the_fonts_can_draw(locale: str) -> None:
    path = TRANSLATIONS_DIR / locale / "glossary.tsv"
    if not path.is_file():
        pytest.skip(f"no glossary for {locale} yet ({path.name} is optional until the review)")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == GLOSSARY_HEADER
    rows = [line.split("\t") for line in lines[1:] if line.strip()]
    assert rows, f"{path}: no terms"
    bad = [number for number, row in enumerate(rows, start=2) if len(row) != 3 or not row[0] or not row[1]]
    assert not bad, f"{path}: lines {bad} need term_nl, translation and note"
    uncovered = set().union(*(uncovered_characters(row[1], locale) for row in rows))
    assert not uncovered, f"{path}: {sorted(uncovered)}"
