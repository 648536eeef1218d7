"""Passphrase policy: length, zxcvbn score, personal words, Dutch advice."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.storage.passphrase import (
    ADVICE,
    MIN_LENGTH,
    MIN_SCORE,
    STRONG_ENOUGH,
    TOO_SHORT,
    TOO_WEAK,
    FeedbackKey,
    check_passphrase,
)

ANNA = "Anna de Vries"


@pytest.mark.parametrize(
    "passphrase",
    ["fietsbel tulp regenjas", "Anna fietst langs de gracht", "drsk8vm3q!z2", "correct horse battery staple"],
)
def test_strong_passphrases_pass(passphrase: str) -> None:
    check = check_passphrase(passphrase, officer_name=ANNA, extra_words=["Utrecht"])
    assert check.acceptable
    assert check.score >= MIN_SCORE
    assert check.message == STRONG_ENOUGH
    assert check.advice == () and check.feedback_keys == ()


@pytest.mark.parametrize("passphrase", ["", "kort", "drsk8vm3q!z", "x7#Qp9"])
def test_short_passphrases_fail_with_the_minimum_in_the_message(passphrase: str) -> None:
    check = check_passphrase(passphrase)
    assert not check.acceptable
    assert check.message == TOO_SHORT
    assert check.message.format(**check.params) == (
        f"Het wachtwoord is te kort: gebruik minstens {MIN_LENGTH} tekens."
    )


@pytest.mark.parametrize(
    ("passphrase", "key"),
    [
        ("password1234", FeedbackKey.COMMON),
        ("Password12345", FeedbackKey.SIMILAR_TO_COMMON),
        ("abcdefghijklmnop", FeedbackKey.SEQUENCES),
        ("aaaaaaaaaaaaaaaa", FeedbackKey.REPEATS),
        ("p@ssw0rd12345", FeedbackKey.SUBSTITUTIONS),
        ("01-02-1990xxxx", FeedbackKey.DATES),
    ],
)
def test_guessable_passphrases_fail_with_dutch_advice(passphrase: str, key: FeedbackKey) -> None:
    check = check_passphrase(passphrase)
    assert not check.acceptable
    assert check.message == TOO_WEAK
    assert key in check.feedback_keys
    assert ADVICE[key] in check.advice
    assert FeedbackKey.ADD_WORDS in check.feedback_keys


@pytest.mark.parametrize(
    ("passphrase", "name", "extra"),
    [
        ("annadevries123", ANNA, []),
        ("AnnaDeVries2024", ANNA, []),
        ("intakegemeente1", "", []),  # zxcvbn alone scores this 3
        ("Welkom2024!!", "", []),
        ("Gemeente Utrecht 2025", "", ["Utrecht"]),
    ],
)
def test_passphrases_made_of_personal_or_work_words_fail(
    passphrase: str, name: str, extra: list[str]
) -> None:
    check = check_passphrase(passphrase, officer_name=name, extra_words=extra)
    assert not check.acceptable
    assert check.score < MIN_SCORE
    assert FeedbackKey.PERSONAL in check.feedback_keys


def test_the_officers_name_lowers_the_score() -> None:
    assert check_passphrase("annadevries123").acceptable
    assert not check_passphrase("annadevries123", officer_name=" anna  de VRIES ").acceptable


def test_every_feedback_key_has_short_dutch_advice_without_placeholders() -> None:
    assert set(ADVICE) == set(FeedbackKey)
    for advice in ADVICE.values():
        assert "{" not in advice and len(advice) < 100
        assert not re.search(r"\b(the|is easy|avoid|use)\b", advice, re.IGNORECASE)  # not zxcvbn's English


def test_advice_has_no_duplicates() -> None:
    check = check_passphrase("password")  # top-10 and too short
    assert len(check.advice) == len(set(check.advice))
    assert FeedbackKey.TOP_10 in check.feedback_keys


def test_long_passphrases_are_judged_by_their_start() -> None:
    long_phrase = "de kat van de buren slaapt op het warme dak terwijl de regen zachtjes valt " * 2
    assert len(long_phrase) > 72
    assert check_passphrase(long_phrase).acceptable
    assert not check_passphrase("a" * 200).acceptable


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=90))
def test_any_text_gets_a_verdict(passphrase: str) -> None:
    check = check_passphrase(passphrase, officer_name=ANNA)
    assert 0 <= check.score <= 4
    assert check.message in (STRONG_ENOUGH, TOO_SHORT, TOO_WEAK)
    if check.acceptable:
        assert len(passphrase) >= 1 and check.score >= MIN_SCORE
    else:
        assert check.message != STRONG_ENOUGH
