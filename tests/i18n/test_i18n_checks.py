"""The checks the catalog tests run: they must catch what a translator can get wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.i18n.checks import needs_glyph, placeholder_problems, uncovered_characters
from intake_app.i18n.fonts import ARABIC, ETHIOPIC, LATIN, faces_for
from intake_app.i18n.pofiles import PoSyntaxError, read_po_file, syntax_problems

SOURCE = "Vul een getal in tussen {min} en {max}."


@pytest.mark.parametrize(
    "translation",
    [
        "Enter a number from {min} to {max}.",
        "{max} ile {min} arasında bir sayı girin.",  # order may change
        "أدخل رقمًا بين {min} و{max}.",
        "Enter {min}–{max} (not {min} or more).",  # a placeholder may repeat
    ],
)
def test_good_translations_pass(translation: str) -> None:
    assert placeholder_problems(SOURCE, translation) == []


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("Enter a number from {min}.", "missing {max}"),
        ("Enter a number from {minimum} to {max}.", "unknown {minimum}"),
        ("Enter a number from {} to {max}.", "positional placeholder {}"),
        ("Enter a number from {0} to {max}.", "positional placeholder {0}"),
        ("Enter a number from {min.real} to {max}.", "attribute or index"),
        ("Enter a number from %s to {max} {min}.", "printf placeholder %s"),
        ("Enter a number from %(min)d to {max} {min}.", "printf placeholder %(min)d"),
        ("Enter a number from {min to {max}.", "unbalanced braces"),
    ],
)
def test_broken_placeholders_are_named(translation: str, problem: str) -> None:
    assert any(problem in found for found in placeholder_problems(SOURCE, translation))


def test_a_percent_sign_is_text() -> None:
    assert placeholder_problems("Klaar: {done}.", "Tamamlandı: %{done}, 50% of all.") == []


def test_literal_braces_in_a_source_must_stay_as_they_are() -> None:
    assert placeholder_problems("Gebruik { niet", "Do not use {") == []
    assert placeholder_problems("Gebruik { niet", "Do not use") != []


@pytest.mark.parametrize(
    ("char", "drawn"),
    [("a", True), ("ሰ", True), ("ب", True), ("\u0600", True), (" ", False), ("\u202f", False), ("\n", False),
     ("\u200c", False), ("\u200d", False), ("\u200e", False), ("\u200f", False), ("\u061c", False)],
)
def test_which_characters_need_a_glyph(char: str, drawn: bool) -> None:
    assert needs_glyph(char) is drawn


def test_glyph_coverage_per_language() -> None:
    assert uncovered_characters("ሰላም 12 B1", "ti") == set()  # Ethiopic, Latin digits from the fallback
    assert uncovered_characters("ሰላም", "ar") == {"ሰ", "ላ", "ም"}
    assert uncovered_characters("می\u200cخواهم «B1»", "fa") == set()
    assert uncovered_characters("پښتو ټ ډ ړ ږ ګ ڼ ۍ ې", "ps") == set()
    assert uncovered_characters("کوردی ڕ ڵ ۆ ێ ە", "ckb") == set()
    assert uncovered_characters("Kurmancî: ê î û ç ş", "ku") == set()
    assert uncovered_characters("中", "en") == {"中"}


def test_faces_per_language() -> None:
    assert faces_for("ti") == (ETHIOPIC, LATIN)
    assert faces_for("fa_AF") == (ARABIC, LATIN)
    assert faces_for("ckb") == (ARABIC, LATIN)
    assert faces_for("ku") == (LATIN,)


def test_a_typo_babel_would_swallow_is_a_syntax_error(tmp_path: Path) -> None:
    assert syntax_problems('msgid "Wat"\nmsgstr "What\n') == ['line 2: msgstr "What']
    assert syntax_problems('#, fuzzy\nmsgid ""\n"a \\"b\\"\\n"\nmsgstr[0] "c"\n#~ msgid "x\n') == []
    path = tmp_path / "broken.po"
    path.write_text('msgid "Wat"\nmsgstr "What\n', encoding="utf-8")
    with pytest.raises(PoSyntaxError, match="line 2"):
        read_po_file(path)
