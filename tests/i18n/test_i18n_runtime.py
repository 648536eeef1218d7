"""Catalog: PO files read at run time, fuzzy = Dutch, fa_AF keeps to its own, review status per text."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from intake_app.i18n import Catalog, ReviewStatus, TextDirection, TranslationState, text_direction
from intake_app.i18n import catalog as catalog_module
from intake_app.i18n.extract import build_catalog
from intake_app.i18n.notes import UNREVIEWED_NOTE

from i18n_support import write_catalog

QUESTION = ("date_of_birth", "Wat is uw geboortedatum?")
CHOICE = ("marital_status/married", "Getrouwd")
ENGLISH = f'''
msgctxt "date_of_birth"
msgid "Wat is uw geboortedatum?"
msgstr "What is your date of birth?"

#, reviewed
msgctxt "marital_status/married"
msgid "Getrouwd"
msgstr "Married"

#, fuzzy
msgid "Vul een getal in tussen {{min}} en {{max}}."
msgstr "Enter a number from {{min}} to {{max}}."

msgid "Nog niet vertaald"
msgstr ""

msgid "{UNREVIEWED_NOTE}"
msgstr "Draft translation: not yet checked by a sworn translator."
'''


def test_translations_come_from_the_po_file_without_a_compile_step(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", ENGLISH)
    english = Catalog("en", "client", directory=tmp_path)
    assert english.pgettext(*QUESTION) == "What is your date of birth?"
    assert english.pgettext(*CHOICE) == "Married"
    assert english.catalog_locale == "en"
    assert english.gettext("Niet in de catalogus") == "Niet in de catalogus"
    assert not list(tmp_path.rglob("*.mo"))


def test_context_separates_equal_dutch_texts(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", '''
msgctxt "has_children/yes"
msgid "Ja"
msgstr "Yes, I have children"

msgctxt "has_digid/yes"
msgid "Ja"
msgstr "Yes"
''')
    english = Catalog("en", "client", directory=tmp_path)
    assert english.pgettext("has_children/yes", "Ja") == "Yes, I have children"
    assert english.pgettext("has_digid/yes", "Ja") == "Yes"
    assert english.pgettext("lives_in_azc/yes", "Ja") == "Ja"
    assert english.gettext("Ja") == "Ja"


def test_a_fuzzy_translation_is_stale_and_the_dutch_source_is_shown(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", ENGLISH)
    english = Catalog("en", "client", directory=tmp_path)
    source = "Vul een getal in tussen {min} en {max}."
    assert english.gettext(source) == source
    assert english.state(None, source) is TranslationState.UNTRANSLATED
    assert english.gettext("Nog niet vertaald") == "Nog niet vertaald"
    assert english.state(None, "Nog niet vertaald") is TranslationState.UNTRANSLATED


def test_a_half_translated_plural_falls_back_to_dutch_as_a_whole(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", '''
msgid "{count} dossier"
msgid_plural "{count} dossiers"
msgstr[0] "{count} file"
msgstr[1] ""

msgid "{count} kind"
msgid_plural "{count} kinderen"
msgstr[0] "{count} child"
msgstr[1] "{count} children"
''')
    english = Catalog("en", "client", directory=tmp_path)
    assert english.ngettext("{count} dossier", "{count} dossiers", 1) == "{count} dossier"
    assert english.ngettext("{count} dossier", "{count} dossiers", 3) == "{count} dossiers"
    assert english.ngettext("{count} kind", "{count} kinderen", 1) == "{count} child"
    assert english.ngettext("{count} kind", "{count} kinderen", 3) == "{count} children"


def test_dari_never_borrows_single_messages_from_farsi(tmp_path: Path) -> None:
    write_catalog(tmp_path, "fa", '''
msgctxt "date_of_birth"
msgid "Wat is uw geboortedatum?"
msgstr "تاریخ تولد شما چیست؟"

msgctxt "marital_status/married"
msgid "Getrouwd"
msgstr "متأهل"
''', review="reviewed")
    write_catalog(tmp_path, "fa_AF", '''
msgctxt "date_of_birth"
msgid "Wat is uw geboortedatum?"
msgstr "تاریخ تولد تان چیست؟"
''')
    dari = Catalog("fa_AF", "client", directory=tmp_path)
    assert dari.catalog_locale == "fa_AF"
    assert dari.pgettext(*QUESTION) == "تاریخ تولد تان چیست؟"
    assert dari.pgettext(*CHOICE) == "Getrouwd"  # Dutch, not the Farsi "متأهل"
    assert dari.review_status is ReviewStatus.CONCEPT
    assert Catalog("fa-AF", "client", directory=tmp_path).pgettext(*QUESTION) == "تاریخ تولد تان چیست؟"


def test_dari_uses_farsi_only_without_a_catalog_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_catalog(tmp_path, "fa", '''
msgctxt "marital_status/married"
msgid "Getrouwd"
msgstr "متأهل"
''', review="reviewed")
    with caplog.at_level(logging.WARNING, logger="intake_app.i18n.catalog"):
        dari = Catalog("fa_AF", "client", directory=tmp_path)
    assert dari.catalog_locale == "fa"
    assert dari.pgettext(*CHOICE) == "متأهل"
    assert "fa_AF" in caplog.text
    # Reviewed for Farsi readers is not reviewed for Dari readers.
    assert Catalog("fa", "client", directory=tmp_path).is_reviewed(*CHOICE)
    assert dari.review_status is ReviewStatus.CONCEPT
    assert dari.state(*CHOICE) is TranslationState.CONCEPT
    assert not dari.is_reviewed(*CHOICE)
    assert dari.needs_review_note()


def test_no_catalog_at_all_shows_dutch(tmp_path: Path) -> None:
    tigrinya = Catalog("ti", "client", directory=tmp_path)
    assert tigrinya.catalog_locale is None
    assert tigrinya.pgettext(*QUESTION) == QUESTION[1]
    assert tigrinya.state(*QUESTION) is TranslationState.UNTRANSLATED
    assert tigrinya.unreviewed_note() == ""


def test_review_per_message_flag_and_per_catalog_header(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", ENGLISH, review="concept")
    concept = Catalog("en", "client", directory=tmp_path)
    assert concept.review_status is ReviewStatus.CONCEPT
    assert concept.state(*CHOICE) is TranslationState.REVIEWED  # flagged
    assert concept.is_reviewed(*CHOICE)
    assert concept.state(*QUESTION) is TranslationState.CONCEPT
    assert not concept.is_reviewed(*QUESTION)
    assert not concept.is_reviewed(None, "Nog niet vertaald")

    reviewed_folder = tmp_path / "reviewed"
    write_catalog(reviewed_folder, "en", ENGLISH, review="reviewed")
    reviewed = Catalog("en", "client", directory=reviewed_folder)
    assert reviewed.review_status is ReviewStatus.REVIEWED
    assert reviewed.is_reviewed(*QUESTION) and reviewed.is_reviewed(*CHOICE)
    # A stale translation is never reviewed, whatever the header says.
    assert not reviewed.is_reviewed(None, "Vul een getal in tussen {min} en {max}.")


@pytest.mark.parametrize("header", [None, "draft", ""])
def test_a_missing_or_unknown_review_header_counts_as_concept(tmp_path: Path, header: str | None) -> None:
    write_catalog(tmp_path, "en", ENGLISH, review=header)
    english = Catalog("en", "client", directory=tmp_path)
    assert english.review_status is ReviewStatus.CONCEPT
    assert english.state(*QUESTION) is TranslationState.CONCEPT


def test_a_stale_entry_keeps_no_review_flag(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", '''
#, fuzzy, reviewed
msgctxt "marital_status/married"
msgid "Getrouwd"
msgstr "Married"
''', review="reviewed")
    english = Catalog("en", "client", directory=tmp_path)
    assert english.pgettext(*CHOICE) == "Getrouwd"
    assert english.state(*CHOICE) is TranslationState.UNTRANSLATED


def test_the_unreviewed_note_in_the_readers_language(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", ENGLISH)
    english = Catalog("en", "client", directory=tmp_path)
    note = "Draft translation: not yet checked by a sworn translator."
    assert english.unreviewed_note() == note  # a concept text is on screen somewhere
    assert english.unreviewed_note(*QUESTION) == note
    assert english.unreviewed_note(*CHOICE) == ""  # reviewed
    assert english.unreviewed_note(None, "Nog niet vertaald") == ""  # shown in Dutch: no translation to doubt

    write_catalog(tmp_path / "fr", "fr", '''
msgctxt "date_of_birth"
msgid "Wat is uw geboortedatum?"
msgstr "Quelle est votre date de naissance ?"
''')
    french = Catalog("fr", "client", directory=tmp_path / "fr")
    assert french.unreviewed_note(*QUESTION) == UNREVIEWED_NOTE  # note not translated yet: Dutch, for the officer

    write_catalog(tmp_path / "rev", "en", ENGLISH, review="reviewed")
    assert Catalog("en", "client", directory=tmp_path / "rev").unreviewed_note() == ""


def test_the_dutch_source_is_reviewed_by_definition() -> None:
    dutch = Catalog("nl", "client")
    assert dutch.is_source
    assert dutch.review_status is ReviewStatus.REVIEWED
    assert dutch.state(*QUESTION) is TranslationState.SOURCE
    assert dutch.is_reviewed(*QUESTION)
    assert dutch.unreviewed_note() == ""
    assert dutch.pgettext(*QUESTION) == QUESTION[1]
    assert dutch.load_seconds == 0.0


def test_the_note_is_a_client_text_for_translators() -> None:
    assert build_catalog("client").get(UNREVIEWED_NOTE) is not None


def test_each_file_is_parsed_once_and_again_when_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_catalog(tmp_path, "en", ENGLISH)
    parsed: list[Path] = []
    real_parse = catalog_module._parse

    def counting_parse(file: Path, locale: str) -> catalog_module.LoadedCatalog:
        parsed.append(file)
        return real_parse(file, locale)

    monkeypatch.setattr(catalog_module, "_parse", counting_parse)
    first = Catalog("en", "client", directory=tmp_path)
    second = Catalog("en", "client", directory=tmp_path)
    assert parsed == [path]
    assert first.load_seconds > 0 and second.load_seconds == first.load_seconds

    path.write_text(path.read_text(encoding="utf-8").replace("Married", "Wed"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = Catalog("en", "client", directory=tmp_path)
    assert parsed == [path, path]
    assert third.pgettext(*CHOICE) == "Wed"
    assert first.pgettext(*CHOICE) == "Married"  # a window keeps its catalog until it asks again


def test_a_broken_catalog_shows_dutch_and_logs_why(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_catalog(tmp_path, "en", 'msgctxt "date_of_birth"\nmsgid "Wat is uw geboortedatum?"\nmsgstr "What\n')
    with caplog.at_level(logging.ERROR, logger="intake_app.i18n.catalog"):
        english = Catalog("en", "client", directory=tmp_path)
    assert english.pgettext(*QUESTION) == QUESTION[1]
    assert english.catalog_locale is None
    assert "client.po" in caplog.text


@pytest.mark.parametrize(
    ("locale", "direction"),
    [
        *[(rtl, TextDirection.RIGHT_TO_LEFT) for rtl in ("ar", "fa", "fa_AF", "ps", "ckb")],
        *[(ltr, TextDirection.LEFT_TO_RIGHT) for ltr in ("nl", "en", "ti", "so", "tr", "fr", "es", "ku")],
    ],
)
def test_text_direction_comes_from_the_language(locale: str, direction: TextDirection) -> None:
    assert text_direction(locale) is direction
    assert Catalog(locale, "client").direction is direction
