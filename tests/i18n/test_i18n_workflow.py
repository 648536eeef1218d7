"""The translator's cycle on a temporary copy: Dutch source changes → update → stale → Dutch shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface

from intake_app.i18n import Catalog, ReviewStatus, TranslationState
from intake_app.i18n.catalog import TRANSLATIONS_DIR
from intake_app.i18n.extract import _code_messages
from intake_app.i18n.pofiles import REVIEWED_FLAG, PoCatalog, key_of, read_po_file, write_po_file
from intake_app.i18n.status import count
from intake_app.i18n.update import update_all

from i18n_support import write_catalog, write_template

CHANGED_CONTEXT = "marital_status/married"
KEPT_CONTEXT = "date_of_birth"
REPO = Path(__file__).resolve().parents[2]


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def _translated_copy(folder: Path, locale: str) -> Path:
    """The real client.pot in ``folder``, and a complete concept catalog for ``locale`` made from it."""
    shutil.copy(TRANSLATIONS_DIR / "client.pot", folder / "client.pot")
    _pybabel("init", "-i", str(folder / "client.pot"), "-d", str(folder), "-D", "client", "-l", locale)
    path = folder / locale / "LC_MESSAGES" / "client.po"
    catalog = read_po_file(path, locale)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):  # every plural form, from the Dutch plural
            message.string = tuple(f"«{message.id[-1]}»" for _ in range(catalog.num_plurals))
        else:
            message.string = f"«{message.id}»"  # keeps every placeholder
    catalog.review_header = "concept"
    write_po_file(path, catalog)
    return path


def _change_source(pot: Path, context: str) -> tuple[str, str]:
    template = read_po_file(pot)
    message = next(m for m in template if m.context == context)
    old = str(message.id)
    template.delete(old, context)
    template.add(old + " (nieuw)", context=context, auto_comments=message.auto_comments)
    write_po_file(pot, template, include_previous=False)
    return old, old + " (nieuw)"


def _message(template: PoCatalog, context: str) -> tuple[str, str]:
    found = next(m for m in template if m.context == context)
    return context, str(found.id)


def test_a_changed_dutch_source_is_stale_after_pybabel_update_and_shows_dutch(tmp_path: Path) -> None:
    _translated_copy(tmp_path, "tr")
    kept = _message(read_po_file(tmp_path / "client.pot"), KEPT_CONTEXT)
    before = Catalog("tr", "client", directory=tmp_path)
    old, new = _change_source(tmp_path / "client.pot", CHANGED_CONTEXT)
    assert before.pgettext(CHANGED_CONTEXT, old) == f"«{old}»"

    # Before the update the new source has no entry at all: missing, and the old entry is left over.
    template = read_po_file(tmp_path / "client.pot")
    catalog_path = tmp_path / "tr" / "LC_MESSAGES" / "client.po"
    not_updated = count(template, read_po_file(catalog_path, "tr"), "tr", "client")
    assert (not_updated.missing, not_updated.obsolete, not_updated.fuzzy) == (1, 1, 0)

    _pybabel("update", "-i", str(tmp_path / "client.pot"), "-d", str(tmp_path), "-D", "client")

    status = count(template, read_po_file(catalog_path, "tr"), "tr", "client")
    assert status.fuzzy == 1 and status.stale == 1
    assert status.missing == 0
    assert status.translated == status.messages - 1
    after = Catalog("tr", "client", directory=tmp_path)
    assert after.pgettext(CHANGED_CONTEXT, new) == new  # Dutch, not the translation of the old text
    assert after.state(CHANGED_CONTEXT, new) is TranslationState.UNTRANSLATED
    assert after.pgettext(*kept) == f"«{kept[1]}»"
    assert after.state(*kept) is TranslationState.CONCEPT


def test_the_update_tool_keeps_the_review_record_honest(tmp_path: Path) -> None:
    write_template(tmp_path, '''
msgctxt "date_of_birth"
msgid "Wat is uw geboortedatum?"
msgstr ""

msgctxt "marital_status/married"
msgid "Getrouwd (nieuw)"
msgstr ""

msgid "Helemaal nieuw"
msgstr ""
''')
    write_catalog(tmp_path, "ar", '''
msgctxt "date_of_birth"
msgid "Wat is uw geboortedatum?"
msgstr "ما هو تاريخ ميلادك؟"

#, reviewed
msgctxt "marital_status/married"
msgid "Getrouwd"
msgstr "متزوج"
''', review="reviewed", extra_headers='"X-Generator: Poedit 3.4\\n"\n')
    reviewed_before = Catalog("ar", "client", directory=tmp_path)
    assert reviewed_before.is_reviewed("date_of_birth", "Wat is uw geboortedatum?")

    [result] = update_all("client", tmp_path)
    assert (result.new, result.stale, result.review_split) == (1, 1, True)
    catalog = read_po_file(tmp_path / "ar" / "LC_MESSAGES" / "client.po", "ar")
    assert catalog.review_status is ReviewStatus.CONCEPT
    assert catalog.extra_headers["X-Generator"] == "Poedit 3.4"
    stale = catalog.get("Getrouwd (nieuw)", "marital_status/married")
    assert stale is not None and stale.fuzzy and REVIEWED_FLAG not in stale.flags
    written = (tmp_path / "ar" / "LC_MESSAGES" / "client.po").read_text(encoding="utf-8")
    assert '#| msgid "Getrouwd"' in written  # what changed in the Dutch, for the translator
    kept = catalog.get("Wat is uw geboortedatum?", "date_of_birth")
    assert kept is not None and REVIEWED_FLAG in kept.flags  # the review is written down per message

    after = Catalog("ar", "client", directory=tmp_path)
    assert after.is_reviewed("date_of_birth", "Wat is uw geboortedatum?")
    assert after.state("marital_status/married", "Getrouwd (nieuw)") is TranslationState.UNTRANSLATED
    # A translator fixes the stale entry and clears "fuzzy": a concept, not a reviewed text.
    stale.flags.discard("fuzzy")
    stale.string = "متزوجة أو متزوج"
    write_po_file(tmp_path / "ar" / "LC_MESSAGES" / "client.po", catalog)
    fixed = Catalog("ar", "client", directory=tmp_path)
    assert fixed.state("marital_status/married", "Getrouwd (nieuw)") is TranslationState.CONCEPT

    [again] = update_all("client", tmp_path)
    assert (again.new, again.stale, again.review_split) == (0, 0, False)


def test_babel_cfg_finds_the_same_code_strings_as_the_extractor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    output = tmp_path / "code.pot"
    _pybabel("extract", "-F", "babel.cfg", "-k", "NP_:1,2", "-o", str(output), ".")
    from_cfg = {key_of(m) for m in read_po_file(output) if m.id}
    from_extractor = {
        (context, msgid if isinstance(msgid, str) else msgid[0]) for _, msgid, context, _ in _code_messages(None)
    }
    assert from_cfg == from_extractor
    assert (None, "Concept-vertaling: nog niet gecontroleerd door een beëdigd vertaler.") in from_cfg
