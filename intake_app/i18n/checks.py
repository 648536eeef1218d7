"""Checks a translation must pass before a newcomer reads it: placeholders kept, every letter drawable.

Used by tests/i18n over every catalog; pure functions, so a future CI step or Weblate hook can share them.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache
from pathlib import Path

from intake_app.i18n.fonts import faces_for

# printf-style directives: %s, %d, %(name)s … ("% of", "%50" and a lone "50 %" are ordinary text).
_PRINTF = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-+#0]*\d*(?:\.\d+)?[sdifr]")
# Format characters (Unicode Cf) that are nevertheless drawn: the Arabic number sign and its kin.
_VISIBLE_FORMAT_CHARACTERS = frozenset({0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890,
                                        0x0891, 0x08E2, 0x110BD, 0x110CD})


def brace_fields(text: str) -> list[str]:
    """The ``{…}`` field names in ``text`` in order ("" for ``{}``); ValueError for unbalanced braces."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def placeholder_problems(source: str, translation: str) -> list[str]:
    """Why ``translation`` cannot replace ``source`` in ``.format(**named)``; empty when it can."""
    try:
        wanted = set(brace_fields(source))
    except ValueError:  # not a template but text with a literal brace: keep the braces as they are
        same = all(source.count(b) == translation.count(b) for b in "{}")
        return [] if same else ["braces differ from the source's literal ones"]
    try:
        fields = brace_fields(translation)
    except ValueError as error:
        return [f"unbalanced braces ({error})"]
    problems = []
    positional = [f for f in fields if f == "" or f.isdigit()]
    if positional:
        problems.append("positional placeholder " + ", ".join("{" + f + "}" for f in positional))
    odd = [f for f in fields if f and not f.isdigit() and not f.isidentifier()]
    if odd:
        problems.append("placeholder with attribute or index " + ", ".join("{" + f + "}" for f in odd))
    named = {f for f in fields if f.isidentifier()}
    if named - wanted:
        problems.append("unknown " + ", ".join("{" + n + "}" for n in sorted(named - wanted)))
    if wanted - named:
        problems.append("missing " + ", ".join("{" + n + "}" for n in sorted(wanted - named)))
    printf = sorted(set(_PRINTF.findall(translation)) - set(_PRINTF.findall(source)))
    if printf:
        problems.append("printf placeholder " + ", ".join(printf))
    return problems


def needs_glyph(char: str) -> bool:
    """Whether ``char`` must be drawn from a font.

    Not whitespace (a shaper synthesises U+2009, U+202F … from the font's space) and not the
    invisible controls: C0/C1 controls and format characters such as U+200C ZWNJ (Persian
    "می‌خواهم"), U+200D ZWJ, U+200E/U+200F LRM/RLM and U+061C ALM. Those steer joining and the bidi
    algorithm; HarfBuzz (PDF) and Qt consume them and never draw a glyph, so a font need not map them.
    """
    if char.isspace():
        return False
    category = unicodedata.category(char)
    if category == "Cc":
        return False
    return not (category == "Cf" and ord(char) not in _VISIBLE_FORMAT_CHARACTERS)


@cache
def _codepoints(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def uncovered_characters(text: str, locale: str) -> set[str]:
    """Characters of ``text`` that neither the regular nor (separately) the bold faces for ``locale`` have."""
    faces = faces_for(locale)
    regular = frozenset().union(*(_codepoints(face.regular) for face in faces))
    bold = frozenset().union(*(_codepoints(face.bold) for face in faces))
    return {c for c in set(text) if needs_glyph(c) and (ord(c) not in regular or ord(c) not in bold)}
