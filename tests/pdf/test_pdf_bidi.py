"""bidi_text: the levels read from python-bidi are UAX #9's, and rule L2 puts runs in visual order."""

from __future__ import annotations

import unicodedata

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.plan.bidi_text import (
    FSI,
    LRI,
    PDI,
    embedding_levels,
    is_control,
    isolate,
    protect_numeric_dates,
    strip_controls,
    visual_order,
)

MIXED = [
    ("مرحبا B1 في 12-05-2026 نعم.", True),
    ("مرحبا (B1) في " + protect_numeric_dates("12-05-2026") + " نعم.", True),
    ("Hallo مرحبا 123 عالم (test).", False),
    ("نام: " + isolate("Amina Yusuf") + ".", True),
    ("سلام ١٢٣ و 456 [x] end", True),
    ("abc \u2067ابت 12\u2069 def", False),
    ("ትግርኛ B1 12-05-2026 ።", False),
    ("پێویستە تا 12-05-2026 لە ئاستی B1 تەواو بکەیت", True),
    ("می‌توانید 10:30 (ساعت) «نقل قول» B1-route", True),
]


def _display_from_levels(text: str, *, rtl: bool) -> str:
    """Rules L1 and L2 applied with our levels, the way the PDF layout applies them per line
    (python-bidi does not mirror brackets, so neither does this)."""
    levels = embedding_levels(text, rtl=rtl)
    index = len(text) - 1
    while index >= 0 and (text[index].isspace() or is_control(text[index])):
        levels[index] = 1 if rtl else 0
        index -= 1
    return _drawn("".join(text[i] for i in visual_order(levels)))


def _drawn(text: str) -> str:
    """What gets a glyph: no bidi controls, no ZWNJ (it only changes how letters join)."""
    return strip_controls(text).replace("\u200c", "")


@pytest.mark.parametrize(("text", "rtl"), MIXED)
def test_levels_reproduce_python_bidis_display(text: str, rtl: bool) -> None:
    expected = get_display(text, base_dir="R" if rtl else "L")
    assert _display_from_levels(text, rtl=rtl) == _drawn(str(expected))


_LETTERS = st.sampled_from([*"abcXYZابتثجحخدذرزسشصضطظعغفقكلمنهوي٠١٢3456789 .,:-/()[]!؟،\u200c", LRI, FSI, PDI])


@settings(max_examples=400, deadline=None)
@given(st.text(_LETTERS, min_size=1, max_size=40), st.booleans())
def test_levels_reproduce_python_bidis_display_for_any_mix(text: str, rtl: bool) -> None:
    expected = _drawn(str(get_display(text, base_dir="R" if rtl else "L")))
    assert _display_from_levels(text, rtl=rtl) == expected


def test_one_level_per_character_including_astral_and_combining_ones() -> None:
    text = "عادةً 𝔸 B1"
    levels = embedding_levels(text, rtl=True)
    assert len(levels) == len(text)
    assert levels[text.index("𝔸")] == 2 and levels[text.index("B")] == 2
    assert all(level == 1 for level in levels[:5])


def test_a_paragraph_means_one_line_of_text() -> None:
    with pytest.raises(ValueError):
        embedding_levels("een\ntwee", rtl=False)


@pytest.mark.parametrize(
    ("levels", "order"),
    [
        ([0, 0, 0], [0, 1, 2]),
        ([1, 1, 1], [2, 1, 0]),
        ([1, 2, 2, 1], [3, 1, 2, 0]),  # an LTR run inside RTL keeps its inner order
        ([0, 1, 1, 0], [0, 2, 1, 3]),
        ([1, 2, 3, 2, 1], [4, 1, 2, 3, 0]),
        ([2, 2], [0, 1]),
        ([], []),
    ],
)
def test_visual_order_is_rule_l2(levels: list[int], order: list[int]) -> None:
    assert visual_order(levels) == order


def test_digit_dates_become_ltr_isolates_other_numbers_do_not() -> None:
    text = protect_numeric_dates("تا 12-05-2026 و 2026/5/12 ساعت 10:30 از 9-17 و 1,234")
    assert f"{LRI}12-05-2026{PDI}" in text and f"{LRI}2026/5/12{PDI}" in text and f"{LRI}10:30{PDI}" in text
    assert "9-17" in text and f"{LRI}9-17" not in text and f"{LRI}1,234" not in text
    assert protect_numeric_dates(text) == text  # idempotent


def test_without_protection_uax9_would_turn_the_date_around() -> None:
    # Why protect_numeric_dates exists: digits after Arabic letters become Arabic numbers.
    assert "2026-05-12" in str(get_display("قبل 12-05-2026", base_dir="R"))
    assert "12-05-2026" in strip_controls(str(get_display(protect_numeric_dates("قبل 12-05-2026"), base_dir="R")))


def test_controls_are_the_bidi_formatting_characters_only() -> None:
    assert all(is_control(char) for char in "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202e")
    # ZWNJ shapes Persian words (می‌شود): it must reach the shaper.
    assert not is_control("\u200c") and unicodedata.category("\u200c") == "Cf"
