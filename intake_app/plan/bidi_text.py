"""Bidirectional text (UAX #9) for the PIP PDF: levels per paragraph, visual order per line.

The Unicode Bidirectional Algorithm resolves embedding levels once per *paragraph* and reorders
each *line* only after line breaking (rule L2). Reordering a whole paragraph first and breaking the
visual string afterwards puts the *end* of an Arabic sentence on its first line. So the PDF layout
asks this module for the resolved level of every character of the paragraph, breaks lines in
logical order, and then orders each line's runs with :func:`visual_order`.

python-bidi 0.6 (Rust ``unicode-bidi``, full UAX #9 incl. isolates and bracket pairs) exposes the
resolved levels only through its debug report; :func:`embedding_levels` reads them from there and
checks the count, and a test compares the result with ``get_display`` on many mixed strings.

Values that sit inside a translated sentence (a date, a name, "B1", a hash) are wrapped in an
isolate (:func:`isolate`), so they keep their own direction and do not pull neighbouring
punctuation along. Dates written in digits (``12-05-2026``) are isolated left to right in
right-to-left paragraphs (:func:`protect_numeric_dates`): without that, UAX #9 turns the digits after
Arabic letters into Arabic numbers and shows the date as ``2026-05-12``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from bidi import get_display

LRI: Final = "\u2066"  # left-to-right isolate
RLI: Final = "\u2067"  # right-to-left isolate
FSI: Final = "\u2068"  # first-strong isolate: direction from the value itself
PDI: Final = "\u2069"  # pop directional isolate

# Explicit formatting characters: they steer the algorithm and are never drawn. (ZWJ/ZWNJ are not
# here: they change Arabic joining and must reach the shaper.)
_CONTROLS: Final = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
# Day-month-year or year-month-day in digits with - / or . between, and clock times.
_NUMERIC_DATE = re.compile(r"(?<![\d\u2066])(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2})(?![\d])")


def is_control(char: str) -> bool:
    """A bidi formatting character (LRM, RLM, ALM, embeddings, overrides, isolates): not drawn."""
    return char in _CONTROLS


def isolate(value: str) -> str:
    """``value`` as one unit with its own direction (first strong character) inside any sentence."""
    return f"{FSI}{value}{PDI}" if value else value


def isolate_ltr(value: str) -> str:
    """``value`` as one left-to-right unit (a hash, a version, a code) inside any sentence."""
    return f"{LRI}{value}{PDI}" if value else value


def protect_numeric_dates(text: str) -> str:
    """Isolate digit dates and times left to right, so ``12-05-2026`` stays one LTR run in RTL text."""
    return _NUMERIC_DATE.sub(lambda match: isolate_ltr(match.group(0)), text)


_NO_CONTROLS = str.maketrans(dict.fromkeys(map(ord, _CONTROLS)))


def strip_controls(text: str) -> str:
    return text.translate(_NO_CONTROLS)


def embedding_levels(text: str, *, rtl: bool) -> list[int]:
    """The resolved UAX #9 level of every character of one paragraph (base level 1 if ``rtl``).

    Levels are those before rule L1; the layout applies L1 itself by not drawing whitespace at
    the end of a line.
    """
    if not text:
        return []
    if "\n" in text or "\u2029" in text:
        raise ValueError("one paragraph at a time: split the text at line breaks first")
    report = get_display(text, base_dir="R" if rtl else "L", debug=True)
    assert isinstance(report, str)
    start, end = report.find("levels:"), report.find("paragraphs:")
    if start < 0 or end < start:
        raise RuntimeError("python-bidi's debug report changed: no 'levels' section")
    byte_levels = [int(level) for level in _LEVEL.findall(report, start, end)]
    encoded_length = len(text.encode("utf-8"))
    if len(byte_levels) != encoded_length:
        raise RuntimeError(f"python-bidi reported {len(byte_levels)} levels for {encoded_length} bytes")
    levels = []
    offset = 0
    for char in text:
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    return levels


def visual_order(levels: Sequence[int]) -> list[int]:
    """Rule L2 on a line of runs: the indices of the runs from left to right.

    From the highest level down to the lowest odd level, every maximal sequence of runs at that
    level or higher is reversed. A run's own content is reversed iff its level is odd, which the
    shaper already did for right-to-left runs.
    """
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[index:end] = order[index:end][::-1]
            index = end
    return order


def is_combining(char: str) -> bool:
    """A mark that belongs to the character before it (never a place to break a word)."""
    return unicodedata.category(char) in ("Mn", "Me", "Mc")
