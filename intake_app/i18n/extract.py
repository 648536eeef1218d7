"""Building the message templates (POT) from the code and the questionnaire.

Two gettext domains:

* ``client`` — everything a newcomer may read: the questionnaire's client-facing texts (msgctxt =
  the stable question id, e.g. ``date_of_birth`` or ``sex/female``), validation messages and the
  PIP texts. Translated into all client languages.
* ``officer`` — the officer's UI: every ``N_`` string in the code plus the questionnaire's officer
  labels and help texts. Dutch is the source; English is the one translation.

``python -m intake_app.i18n.extract`` writes ``translations/client.pot`` and ``translations/officer.pot``;
``pybabel update`` then marks changed Dutch sources as fuzzy (stale) in every language.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from intake_app.i18n.catalog import TRANSLATIONS_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Code whose N_ strings a newcomer may see (in the interpreter window or the translated plan).
CLIENT_CODE = ("forms/validators.py", "forms/schema.py", "plan", "i18n/notes.py")
KEYWORDS = {
    "N_": None, "NP_": (1, 2), "_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
}
HEADER = "Translations of intake_app. Review status per catalog: see the X-Review-Status header."


def _code_messages(
    paths: Iterable[str] | None,
) -> Iterable[tuple[str, str | tuple[str, str], str | None, int]]:
    """(file, msgid, context, line) for every marked string below the package (or the given parts)."""
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(PACKAGE_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True
    ):
        if paths is not None and not any(filename == p or filename.startswith(p + "/") for p in paths):
            continue
        # A (singular, plural) pair stays a pair: translators then write every plural form.
        msgid: str | tuple[str, str] | None
        if isinstance(message, tuple):
            msgid = (message[0], message[1]) if len(message) > 1 else message[0]
        else:
            msgid = message
        if msgid:
            yield filename, msgid, context, lineno


def build_catalog(domain: str) -> Catalog:
    from intake_app.forms import load_intake_form, translatable_texts

    catalog = Catalog(project="intake_app", domain=domain, header_comment=f"# {HEADER}", fuzzy=False)
    client = domain == "client"
    for text in translatable_texts(load_intake_form()):
        if text.client_facing == client:
            catalog.add(text.text, context=text.context, auto_comments=[text.field])
    for filename, msgid, context, lineno in _code_messages(CLIENT_CODE if client else None):
        catalog.add(msgid, context=context, locations=[(f"intake_app/{filename}", lineno)])
    return catalog


def write_templates(folder: Path = TRANSLATIONS_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for domain in ("client", "officer"):
        path = folder / f"{domain}.pot"
        with path.open("wb") as handle:
            write_po(handle, build_catalog(domain), width=100, omit_header=False, sort_output=False)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_templates():
        print(written_path)
    sys.exit(0)
