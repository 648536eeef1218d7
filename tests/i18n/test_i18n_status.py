"""translations status: the counting (pure) and the command an officer or translator runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from intake_app.i18n.languages import CLIENT_LANGUAGES
from intake_app.i18n.pofiles import read_po_file
from intake_app.i18n.status import CatalogStatus, collect, count, format_table

from i18n_support import write_catalog, write_template

TEMPLATE = '''
msgctxt "q1"
msgid "Een"
msgstr ""

msgctxt "q2"
msgid "Twee"
msgstr ""

msgctxt "q3"
msgid "Drie"
msgstr ""

msgctxt "q4"
msgid "Vier"
msgstr ""

msgctxt "q5"
msgid "Vijf"
msgstr ""
'''
CATALOG = '''
#, reviewed
msgctxt "q1"
msgid "Een"
msgstr "One"

msgctxt "q2"
msgid "Twee"
msgstr "Two"

#, fuzzy
#| msgid "Drei"
msgctxt "q3"
msgid "Drie"
msgstr "Three"

msgctxt "q4"
msgid "Vier"
msgstr ""

msgctxt "q9"
msgid "Negen (oud)"
msgstr "Nine"

#~ msgctxt "q0"
#~ msgid "Nul"
#~ msgstr "Zero"
'''


def _counted(tmp_path: Path, review: str | None = "concept") -> CatalogStatus:
    write_template(tmp_path, TEMPLATE)
    path = write_catalog(tmp_path, "en", CATALOG, review=review)
    return count(read_po_file(tmp_path / "client.pot"), read_po_file(path, "en"), "en", "client")


def test_each_template_message_is_translated_stale_or_missing(tmp_path: Path) -> None:
    status = _counted(tmp_path)
    assert status.messages == 5
    assert (status.translated, status.reviewed, status.fuzzy, status.missing) == (2, 1, 1, 2)
    assert status.translated + status.fuzzy + status.missing == status.messages
    assert status.obsolete == 2  # the #~ entry and the one whose source left the template
    assert status.stale == 3
    assert status.review_header == "concept"


def test_a_reviewed_header_counts_every_usable_translation(tmp_path: Path) -> None:
    status = _counted(tmp_path, review="reviewed")
    assert status.reviewed == status.translated == 2


def test_collect_names_every_expected_language_even_without_a_catalog(tmp_path: Path) -> None:
    write_template(tmp_path, TEMPLATE)
    write_catalog(tmp_path, "en", CATALOG)
    write_catalog(tmp_path, "xx", CATALOG)  # not promised, but present: shown too
    write_catalog(tmp_path, "so", 'msgid "Een"\nmsgstr "One\n')  # broken
    statuses = {s.locale: s for s in collect("client", ["en", "so", "ti"], tmp_path)}
    assert list(statuses) == ["en", "so", "ti", "xx"]
    assert statuses["en"].translated == 2
    assert not statuses["ti"].exists
    assert statuses["so"].error is not None
    table = format_table(statuses.values())
    lines = table.splitlines()
    assert lines[0].split() == ["taal", "naam", "berichten", "vertaald", "gecontroleerd", "verouderd", "ontbrekend",
                                "status"]
    en = next(line for line in lines if line.startswith("en "))
    assert en.split()[-6:] == ["5", "2", "1", "3", "2", "concept"]
    assert "geen catalogus" in next(line for line in lines if line.startswith("ti "))
    assert "onleesbaar" in next(line for line in lines if line.startswith("so "))


def test_the_review_column_says_when_the_header_is_missing_or_odd(tmp_path: Path) -> None:
    write_template(tmp_path, TEMPLATE)
    write_catalog(tmp_path, "en", CATALOG, review=None)
    write_catalog(tmp_path, "fr", CATALOG, review="klaar")
    table = format_table(collect("client", ["en", "fr"], tmp_path))
    assert "concept (geen X-Review-Status)" in table
    assert "concept (onbekend: klaar)" in table


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_") or k == "INTAKE_APP_HOME"}
    return subprocess.run([sys.executable, "-m", "intake_app", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120, check=False)


def test_the_command_prints_a_table_per_domain(tmp_path: Path) -> None:
    write_template(tmp_path, TEMPLATE)
    write_catalog(tmp_path, "en", CATALOG, review="reviewed")
    result = _run("translations", "status", "--translations", str(tmp_path))
    assert result.returncode == 0, result.stderr
    client, officer = result.stdout.split("Domein officer")
    en = next(line for line in client.splitlines() if line.startswith("en "))
    assert en.split()[-6:] == ["5", "2", "2", "3", "2", "reviewed"]
    for locale in CLIENT_LANGUAGES:
        if locale not in ("nl", "en"):
            row = next(line for line in client.splitlines() if line.startswith(f"{locale} "))
            assert row.endswith("geen catalogus")
    assert "Geen sjabloon" in officer


def test_the_command_on_the_apps_own_catalogs() -> None:
    result = _run("translations", "status")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(("Domein", "-"))}
    assert set(CLIENT_LANGUAGES) - {"nl"} <= rows
