"""Reading and writing PO files without losing what Babel does not model: custom ``X-`` headers.

Babel's :class:`~babel.messages.catalog.Catalog` rebuilds the header from its own fields, so a plain
``read_po``/``write_po`` round trip (and therefore ``pybabel update``) drops ``X-Review-Status`` and
the ``X-Poedit-*`` headers. :class:`PoCatalog` keeps them. Everything here is pure: no Qt, no DB.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.catalog import Message
from babel.messages.pofile import PoFileParser, write_po

from intake_app.i18n.catalog import ReviewStatus

REVIEW_HEADER = "X-Review-Status"
WIDTH = 100  # as extract.py writes the templates, so an update does not re-wrap every line
REVIEWED_FLAG = "reviewed"
FUZZY_FLAG = "fuzzy"
MessageKey = tuple[str | None, str]
"""(msgctxt, msgid); for a plural message the msgid is its singular."""


class PoCatalog(BabelCatalog):
    """A Babel catalog that keeps the ``X-…`` headers it reads and writes them back."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.extra_headers: dict[str, str] = {}
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _all_headers(self) -> list[tuple[str, str]]:
        headers = BabelCatalog._get_mime_headers(self)
        # Babel's last header ("Generated-By") ends in a newline; the extras must come before it, or a
        # blank line would end the header block for every gettext reader.
        tail = [headers.pop()] if headers and headers[-1][0] == "Generated-By" else []
        return headers + list(self.extra_headers.items()) + tail

    def _set_all_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        BabelCatalog._set_mime_headers(self, headers)
        for name, value in headers:
            if name.lower().startswith("x-"):
                self.extra_headers[name] = value.strip()

    mime_headers = property(_all_headers, _set_all_headers)

    @property
    def review_header(self) -> str | None:
        for name, value in self.extra_headers.items():
            if name.lower() == REVIEW_HEADER.lower():
                return value
        return None

    @review_header.setter
    def review_header(self, value: str) -> None:
        for name in [n for n in self.extra_headers if n.lower() == REVIEW_HEADER.lower()]:
            del self.extra_headers[name]
        self.extra_headers[REVIEW_HEADER] = value

    @property
    def review_status(self) -> ReviewStatus:
        """``reviewed`` only when the header says exactly that; missing or unknown counts as concept."""
        header = (self.review_header or "").strip().lower()
        return ReviewStatus.REVIEWED if header == ReviewStatus.REVIEWED.value else ReviewStatus.CONCEPT


class PoSyntaxError(ValueError):
    """A PO file a translator must fix before the app uses it."""


_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf"^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$")


def syntax_problems(text: str) -> list[str]:
    """Lines Babel's lenient parser would silently misread (``msgstr "Wha`` loses its last letter)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _LINE.match(stripped):
            problems.append(f"line {number}: {stripped[:60]}")
    return problems


def read_po_file(path: Path, locale: str | None = None, *, ignore_obsolete: bool = False) -> PoCatalog:
    """Parse ``path`` strictly: bad UTF-8, a malformed line or entry raises (PoSyntaxError, PoFileError …)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from a Windows editor
    problems = syntax_problems(data.decode("utf-8"))
    if problems:
        raise PoSyntaxError(f"{path}: " + "; ".join(problems[:5]))
    catalog = PoCatalog(locale=locale, domain=path.stem)
    PoFileParser(catalog, ignore_obsolete, abort_invalid=True).parse(io.BytesIO(data))
    return catalog


def write_po_file(path: Path, catalog: PoCatalog, *, include_previous: bool = True) -> None:
    """Write atomically (temp file + rename), so a crash never leaves a translator half a catalog."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            write_po(temp, catalog, include_previous=include_previous, width=WIDTH)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def key_of(message: Message) -> MessageKey:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return message.context, str(msgid)


def is_translated(message: Message) -> bool:
    """Every form has a translation (a plural with one empty form counts as untranslated)."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(isinstance(s, str) and s != "" for s in strings)


def is_usable(message: Message) -> bool:
    """What gettext would use: translated and not fuzzy (a fuzzy entry is a stale guess)."""
    return is_translated(message) and not message.fuzzy


def is_reviewed(message: Message, catalog_status: ReviewStatus) -> bool:
    """Usable, and reviewed either one by one (flag) or as a whole catalog (header)."""
    return is_usable(message) and (REVIEWED_FLAG in message.flags or catalog_status is ReviewStatus.REVIEWED)


@dataclass(frozen=True)
class Translation:
    """One msgstr form of a message with its Dutch source form, for checks."""

    key: MessageKey
    source: str
    translation: str


def translations_of(catalog: BabelCatalog) -> Iterable[Translation]:
    """Every non-empty msgstr (fuzzy ones too: a translator will un-fuzzy them) with its source."""
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        for index, string in enumerate(strings):
            if string:
                # Plural forms beyond the second translate the Dutch plural.
                yield Translation(key_of(message), str(ids[min(index, len(ids) - 1)]), str(string))
