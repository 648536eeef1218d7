"""``pybabel update`` that keeps the review record honest.

Plain ``pybabel update`` has two problems for a reviewed catalog (both checked by tests/i18n):

* it rewrites the header from Babel's own fields, so ``X-Review-Status`` (and ``X-Poedit-*``) vanish;
* it keeps the ``reviewed`` flag on an entry it marks fuzzy, so once a translator fixes the stale
  translation and clears ``fuzzy``, a text no sworn translator has seen counts as reviewed.

This does the same merge (Babel's ``Catalog.update``, fuzzy matching on) and then: drops ``reviewed``
from every stale entry, and when a catalog reviewed as a whole (header ``reviewed``) gains new or stale
messages, writes the review down per message (flag on every entry that was reviewed) and sets the header
back to ``concept`` — what was checked stays checked, what is new is not. It also writes ``#|`` previous
msgids, so Poedit and Weblate show the translator what changed in the Dutch.

    python -m intake_app.i18n.update [--domain client] [--directory translations]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from intake_app.i18n.catalog import TRANSLATIONS_DIR, ReviewStatus
from intake_app.i18n.pofiles import (
    REVIEWED_FLAG,
    PoCatalog,
    is_reviewed,
    is_translated,
    is_usable,
    key_of,
    read_po_file,
    write_po_file,
)


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    new: int  # messages the catalog did not have
    stale: int  # translations marked fuzzy by this update
    review_split: bool  # a catalog-wide review was written down per message


def update_catalog(template: PoCatalog, path: Path, locale: str) -> UpdateResult:
    catalog = read_po_file(path, locale)
    before = {key_of(m): m.fuzzy for m in catalog if m.id}
    was_reviewed = {key_of(m) for m in catalog if m.id and is_reviewed(m, catalog.review_status)}
    catalog.update(template, no_fuzzy_matching=False)
    new = stale = 0
    for message in catalog:
        if not message.id:
            continue
        key = key_of(message)
        if message.fuzzy:
            message.flags.discard(REVIEWED_FLAG)
            stale += is_translated(message) and not before.get(key, False)
        elif key not in before:
            new += 1
    split = catalog.review_status is ReviewStatus.REVIEWED and (new or stale)
    if split:
        for message in catalog:
            if message.id and is_usable(message) and key_of(message) in was_reviewed:
                message.flags.add(REVIEWED_FLAG)
        catalog.review_header = ReviewStatus.CONCEPT.value
    write_po_file(path, catalog)
    return UpdateResult(path, new, stale, bool(split))


def update_all(domain: str, directory: Path = TRANSLATIONS_DIR) -> list[UpdateResult]:
    template = read_po_file(directory / f"{domain}.pot")
    return [
        update_catalog(template, path, path.parent.parent.name)
        for path in sorted(directory.glob(f"*/LC_MESSAGES/{domain}.po"))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m intake_app.i18n.update", description="pybabel update that keeps the review record honest"
    )
    parser.add_argument("--domain", choices=("client", "officer"), action="append")
    parser.add_argument("--directory", type=Path, default=TRANSLATIONS_DIR)
    args = parser.parse_args(argv)
    for domain in args.domain or ["client", "officer"]:
        if not (args.directory / f"{domain}.pot").is_file():
            continue
        for result in update_all(domain, args.directory):
            note = "; review written down per message, header set to concept" if result.review_split else ""
            print(f"{result.path}: {result.new} new, {result.stale} stale{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
