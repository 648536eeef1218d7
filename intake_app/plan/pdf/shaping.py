"""One paragraph, shaped: bidi levels, a font per character, HarfBuzz glyphs per run.

A *run* is a stretch of the paragraph with one embedding level and one font. Each run is shaped
in logical order with its own direction, so HarfBuzz joins Arabic letters correctly, mirrors
brackets in right-to-left runs and returns the glyphs of a right-to-left run already from left to
right. Line breaking (``layout``) then only needs the width of every character and, per line, the
glyphs whose characters fall on that line.

Font per character: a letter takes the first face of the chain that has it (Ethiopic, then Noto
Sans for "B1"); spaces, punctuation, digits and marks stay in the face before them when that face
has them, so a run is not broken at every space, and a mark stays with its letter.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import uharfbuzz as hb

from intake_app.plan.bidi_text import embedding_levels, is_control, strip_controls
from intake_app.plan.pdf.fonts import PdfFace

_log = logging.getLogger(__name__)
_FOLLOWING = ("Z", "P", "S", "N", "M", "C")  # categories that may stay in the face before them


class Glyph(NamedTuple):
    """One glyph; widths and offsets in 1/1000 em (multiply by the font size / 1000 for points)."""

    key: int  # the code point that selects the glyph in the face's PDF subsets
    natural: float  # the width the PDF font program gives the key
    advance: float  # HarfBuzz's advance (kerning and marks included)
    x_offset: float
    y_offset: float
    cluster: int  # index of the first character it shows, in its run


@dataclass(frozen=True)
class Run:
    """``glyphs`` left to right; their clusters count from ``start`` (the run's first character)."""

    face: PdfFace
    level: int
    start: int
    end: int
    glyphs: tuple[Glyph, ...]

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


@dataclass(frozen=True)
class ShapedParagraph:
    text: str
    rtl: bool
    runs: tuple[Run, ...]
    advances: tuple[float, ...]  # per character, 1/1000 em; 0 inside a ligature or for a control

    @property
    def missing(self) -> tuple[int, ...]:
        """Clusters drawn as .notdef (no bundled font has the character)."""
        return tuple(
            run.start + glyph.cluster
            for run in self.runs
            for glyph in run.glyphs
            if run.face.font.face.charToGlyph.get(glyph.key) == 0
        )


@lru_cache(maxsize=8192)
def shape_paragraph(text: str, *, rtl: bool, chain: tuple[PdfFace, ...], language: str) -> ShapedParagraph:
    """Shape one paragraph (no line breaks in ``text``) in base direction ``rtl``.

    Cached: labels, headings and footers repeat on every page and in every plan.
    """
    levels = _levels(text, rtl)
    faces = _assign_faces(text, chain)
    advances = [0.0] * len(text)
    runs: list[Run] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and (is_control(text[end]) or (levels[end], faces[end]) == (levels[start], faces[start])):
            continue
        face, level = chain[faces[start]], levels[start]
        glyphs = _shape(face, text[start:end], level % 2 == 1, language)
        for glyph in glyphs:
            advances[start + glyph.cluster] += glyph.advance
        if glyphs:
            runs.append(Run(face, level, start, end, glyphs))
        start = end
    paragraph = ShapedParagraph(text, rtl, tuple(runs), tuple(advances))
    for cluster in paragraph.missing:
        _log.warning("no bundled font has U+%04X", ord(text[cluster]))
    return paragraph


def clear_caches() -> None:
    """Forget every shaped paragraph and run (benchmarks measure a plan whose texts are new)."""
    shape_paragraph.cache_clear()
    _shape.cache_clear()


# Characters that can make any part of a paragraph right to left: Hebrew, Arabic, Syriac, Thaana,
# NKo … (R and AL), RLM/ALM and the right-to-left embeddings, overrides and isolate.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u200f\u061c\u202b\u202e\u2067]"
)


def _levels(text: str, rtl: bool) -> list[int]:
    # A left-to-right paragraph without right-to-left characters has nothing to reorder; level 0
    # everywhere draws the same line as the full algorithm would (its levels are all even).
    if not rtl and _RIGHT_TO_LEFT.search(text) is None:
        return [0] * len(text)
    return embedding_levels(text, rtl=rtl)


def _assign_faces(text: str, chain: tuple[PdfFace, ...]) -> list[int]:
    if chain[0].font.coverage.issuperset(map(ord, text)):
        return [0] * len(text)  # the common case: the locale's own font has every character
    chosen: list[int] = []
    previous: int | None = None
    for char in text:
        if is_control(char):
            chosen.append(previous if previous is not None else 0)
            continue
        if (
            previous is not None
            and unicodedata.category(char)[0] in _FOLLOWING
            and chain[previous].covers(char)
        ):
            chosen.append(previous)
            continue
        index = next((i for i, face in enumerate(chain) if face.covers(char)), 0)
        chosen.append(index)
        previous = index
    # Leading controls follow the first real character's face.
    first_real = next((chosen[i] for i, char in enumerate(text) if not is_control(char)), 0)
    for i, char in enumerate(text):
        if not is_control(char):
            break
        chosen[i] = first_real
    return chosen


@lru_cache(maxsize=32768)
def _shape(face: PdfFace, text: str, rtl: bool, language: str) -> tuple[Glyph, ...]:
    """HarfBuzz glyphs of one run, left to right, clusters relative to ``text``. Pure, so cached:
    headings, labels and footers repeat within a plan and across plans."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    buffer.language = language
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    hb.shape(face.hb_font, buffer, None)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    if not infos:
        return ()
    clusters = [info.cluster for info in infos]
    scale = 1000 / face.units_per_em
    font = face.font
    key_for = font.key_for
    widths = font.face.charWidths
    glyphs: list[Glyph] = []
    for info, position, glyph_text in zip(infos, positions, _texts_of_glyphs(text, clusters, rtl), strict=True):
        key = key_for(info.codepoint, glyph_text)
        glyphs.append(
            Glyph(
                key,
                widths[key],
                position.x_advance * scale,
                position.x_offset * scale,
                position.y_offset * scale,
                info.cluster,
            )
        )
    return tuple(glyphs)


def _texts_of_glyphs(text: str, clusters: list[int], rtl: bool) -> list[str]:
    """The text each glyph stands for (its ToUnicode entry).

    One glyph per cluster: the cluster's characters (two for a lam-alef ligature). Several glyphs
    in one cluster (HarfBuzz merges a mark into its letter's cluster when it reorders marks, as in
    "أُ"): one character per glyph in logical order when the counts match, else one character of
    the canonical decomposition per glyph; failing both, the first glyph carries the text.
    """
    boundaries = sorted(set(clusters))
    following = dict(zip(boundaries, [*boundaries[1:], len(text)], strict=True))
    if len(boundaries) == len(clusters):  # the usual case: one glyph per cluster
        return [strip_controls(text[cluster : following[cluster]]) for cluster in clusters]
    members: dict[int, list[int]] = {}
    for index in range(len(clusters)) if not rtl else range(len(clusters) - 1, -1, -1):
        members.setdefault(clusters[index], []).append(index)
    shown = [""] * len(clusters)
    for cluster, indices in members.items():
        cluster_text = strip_controls(text[cluster : following[cluster]])
        parts = cluster_text if len(cluster_text) == len(indices) else unicodedata.normalize("NFD", cluster_text)
        if len(indices) > 1 and len(parts) == len(indices):
            for index, part in zip(indices, parts, strict=True):
                shown[index] = part
        else:
            shown[indices[0]] = cluster_text
    return shown
