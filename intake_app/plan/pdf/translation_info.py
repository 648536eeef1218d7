"""What the PDF says about its translation: reviewed or concept, and which version.

The review status comes from the catalog (``Catalog.review_status``, the ``X-Review-Status``
header); with an older :class:`~intake_app.i18n.Catalog` that lacks it, the PO header is read here
with Babel. Only ``reviewed`` counts as reviewed: a missing or unknown header is a concept.

The translation version printed in the footer is the catalog's language and its PO-Revision-Date
(when the translator last saved it), unless the caller names a version itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.pofile import PoFileParser

from intake_app.i18n import Catalog
from intake_app.i18n.catalog import TRANSLATIONS_DIR

REVIEW_HEADER = "x-review-status"
REVIEWED = "reviewed"


@dataclass(frozen=True)
class TranslationInfo:
    reviewed: bool
    version: str | None  # None: no catalog, the Dutch source is shown


@dataclass(frozen=True)
class _PoHeader:
    review_status: str | None
    revision: str | None


class _HeaderCatalog(BabelCatalog):
    """Babel rebuilds the header from the fields it knows; this keeps every header as read."""

    def __init__(self) -> None:
        self.raw_headers: dict[str, str] = {}
        super().__init__()

    def _keep_headers(self, headers: list[tuple[str, str]]) -> None:
        self.raw_headers.update((name.lower(), value.strip()) for name, value in headers)
        BabelCatalog._set_mime_headers(self, headers)

    mime_headers = property(BabelCatalog._get_mime_headers, _keep_headers)


def translation_info(catalog: Catalog, version: str | None = None) -> TranslationInfo:
    """``version`` overrides the one read from the catalog's PO file."""
    header = _header_of(catalog)
    status: Any = getattr(catalog, "review_status", None)
    if status is not None:
        reviewed = str(getattr(status, "value", status)).strip().lower() == REVIEWED
    else:
        reviewed = header is not None and (header.review_status or "").lower() == REVIEWED
    if version is None and header is not None and header.revision:
        version = f"{_catalog_locale(catalog)} {header.revision}"
    return TranslationInfo(reviewed, version)


def _catalog_locale(catalog: Catalog) -> str:
    # A newer Catalog tells which file it uses (``fa`` for ``fa_AF`` when Dari has none of its own).
    used = getattr(catalog, "catalog_locale", catalog.locale)
    return str(used) if used else catalog.locale


def _header_of(catalog: Catalog) -> _PoHeader | None:
    if not getattr(catalog, "catalog_locale", True):
        return None  # the catalog says it shows the Dutch source
    path = TRANSLATIONS_DIR / _catalog_locale(catalog).replace("-", "_") / "LC_MESSAGES" / f"{catalog.domain}.po"
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_header(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_header(path: Path, _mtime_ns: int, _size: int) -> _PoHeader:
    # Modification time and size are in the cache key: a catalog saved while the app runs is re-read.
    # The header is the first entry: parsing only it keeps this cheap for a catalog of any size.
    raw = path.read_bytes()
    end = raw.find(b"\n\n")
    po = _HeaderCatalog()
    PoFileParser(po, ignore_obsolete=True).parse(io.BytesIO(raw if end < 0 else raw[: end + 1]))
    revision = po.raw_headers.get("po-revision-date", "")
    return _PoHeader(po.raw_headers.get(REVIEW_HEADER), revision[:10] if revision[:1].isdigit() else None)
