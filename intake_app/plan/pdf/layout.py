"""Lines from a shaped paragraph, and drawing them as positioned glyphs.

Breaking happens in *logical* order on the widths of the shaped glyphs: a line takes words from
the start of the sentence until the next one does not fit, whatever the direction. Only then is
each line put in visual order (UAX #9 rule L2 over the line's runs, with the levels resolved for
the whole paragraph). So the first line of an Arabic paragraph holds its first words, drawn from
the right edge; a date or "B1" in it is a left-to-right run at its logical place; and whitespace
at the end of a line is not drawn (rule L1).

Drawing writes PDF text operators directly (one ``TJ`` per run, ``Ts`` for marks HarfBuzz raises or
lowers) instead of ReportLab's shaped-text path, whose ``setRise`` fails with an IndexError when a
line starts with a raised glyph (tanween in "عادةً" at the end of a right-to-left line).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake_app.plan.bidi_text import is_combining, visual_order
from intake_app.plan.pdf.fonts import PdfFace
from intake_app.plan.pdf.shaping import Glyph, ShapedParagraph


def fp_str(value: float) -> str:
    """A PDF number with at most three decimals (ReportLab's own formatter is pure Python and slow)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


_BREAKABLE_SPACES = frozenset(" \u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000")


@dataclass(frozen=True)
class Piece:
    face: PdfFace
    glyphs: tuple[Glyph, ...]


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]  # left to right
    width: float  # points
    size: float

    text_range: tuple[int, int]  # the characters of the paragraph on this line (logical order)


def break_lines(paragraph: ShapedParagraph, width: float, size: float) -> list[Line]:
    """Greedy line breaking after spaces; a word wider than the line is cut between characters."""
    scale = size / 1000
    advances = [advance * scale for advance in paragraph.advances]
    text = paragraph.text
    ranges: list[tuple[int, int]] = []
    line_start, line_end, line_width, pending_space = 0, 0, 0.0, 0.0
    position = 0
    while position < len(text):
        word_end = position
        while word_end < len(text) and text[word_end] not in _BREAKABLE_SPACES:
            word_end += 1
        space_end = word_end
        while space_end < len(text) and text[space_end] in _BREAKABLE_SPACES:
            space_end += 1
        word_width = sum(advances[position:word_end])
        if line_end > line_start and line_width + pending_space + word_width > width:
            ranges.append((line_start, line_end))
            line_start, line_width, pending_space = position, 0.0, 0.0
        if line_end <= line_start and word_width > width:
            for piece_start, piece_end in _cut_word(text, advances, position, word_end, width):
                if piece_end < word_end:
                    ranges.append((piece_start, piece_end))
                else:
                    line_start, word_width = piece_start, sum(advances[piece_start:piece_end])
        line_width += pending_space + word_width
        line_end = word_end
        pending_space = sum(advances[word_end:space_end])
        position = space_end
    if line_end > line_start:
        ranges.append((line_start, line_end))
    return [_line(paragraph, start, end, size) for start, end in ranges]


def _cut_word(text: str, advances: list[float], start: int, end: int, width: float) -> list[tuple[int, int]]:
    """Pieces of an over-long word (a hash, an e-mail address), never inside a cluster or before a mark."""
    pieces: list[tuple[int, int]] = []
    piece_start, piece_width = start, 0.0
    for index in range(start, end):
        can_cut = index > piece_start and advances[index] > 0 and not is_combining(text[index])
        if can_cut and piece_width + advances[index] > width:
            pieces.append((piece_start, index))
            piece_start, piece_width = index, 0.0
        piece_width += advances[index]
    pieces.append((piece_start, end))
    return pieces


def _line(paragraph: ShapedParagraph, start: int, end: int, size: float) -> Line:
    pieces: list[Piece] = []
    levels: list[int] = []
    for run in paragraph.runs:
        if run.end <= start or run.start >= end:
            continue
        if start <= run.start and run.end <= end:
            glyphs = run.glyphs
        else:
            low, high = start - run.start, end - run.start
            glyphs = tuple(glyph for glyph in run.glyphs if low <= glyph.cluster < high)
        if glyphs:
            pieces.append(Piece(run.face, glyphs))
            levels.append(run.level)
    ordered = tuple(pieces[index] for index in visual_order(levels))
    width = sum(glyph.advance for piece in ordered for glyph in piece.glyphs) * size / 1000
    return Line(ordered, width, size, (start, end))


def draw_line(canvas: Any, line: Line, x: float, y: float) -> None:
    """Draw ``line`` with its left end at ``x`` and its baseline at ``y`` (current fill colour)."""
    doc = canvas._doc  # ReportLab keeps the font subsets per document here
    scale = line.size / 1000
    ops = ["BT"]
    pen = x
    for piece in line.pieces:
        ops.append(f"1 0 0 1 {fp_str(pen)} {fp_str(y)} Tm")
        _PieceWriter(ops, scale).write(piece, doc, fp_str(line.size))
        pen += sum(glyph.advance for glyph in piece.glyphs) * scale
    ops.append("ET")
    canvas.addLiteral("\n".join(ops))


class _PieceWriter:
    """The glyphs of one piece as ``TJ`` arrays: HarfBuzz's offsets and advances become the
    number adjustments between glyphs; a raised or lowered glyph (a mark) gets its own ``Ts``."""

    def __init__(self, ops: list[str], scale: float) -> None:
        self._ops = ops
        self._scale = scale
        self._array: list[str] = []
        self._codes = bytearray()

    def write(self, piece: Piece, doc: Any, size: str) -> None:
        font, glyphs = piece.face.font, piece.glyphs
        pending = rise = 0.0
        index = 0
        for subset, codes in font.splitString("".join(chr(glyph.key) for glyph in glyphs), doc):
            self._flush()
            self._ops.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf")
            for code in codes:
                glyph = glyphs[index]
                index += 1
                glyph_rise = glyph.y_offset * self._scale
                if glyph_rise != rise:
                    self._flush()
                    self._ops.append(f"{fp_str(glyph_rise)} Ts")
                    rise = glyph_rise
                # A TJ number moves the pen *left* by number/1000 em.
                pending -= glyph.x_offset
                if abs(pending) > 0.01:
                    self._close_codes()
                    self._array.append(fp_str(pending))
                self._codes.append(code)
                pending = glyph.natural + glyph.x_offset - glyph.advance
        self._flush()
        if rise:
            self._ops.append("0 Ts")

    def _close_codes(self) -> None:
        if self._codes:
            self._array.append(f"<{self._codes.hex()}>")
            self._codes.clear()

    def _flush(self) -> None:
        self._close_codes()
        if self._array:
            self._ops.append(f"[{' '.join(self._array)}] TJ")
            self._array.clear()
