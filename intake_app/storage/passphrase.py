"""Passphrase policy for officers: at least 12 characters and a zxcvbn score of 3 or more.

zxcvbn's own feedback is English text; we derive stable :class:`FeedbackKey` values from its match
sequence instead and map them to short Dutch advice (msgids marked with ``N_``, translated at display).
zxcvbn's dictionaries are English, so Dutch words count as random letters: the context words below
catch the most obvious Dutch choices, and the officer's name and municipality are passed as user inputs.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from zxcvbn import zxcvbn

from intake_app.i18n import N_

MIN_LENGTH: Final = 12
MIN_SCORE: Final = 3
_ZXCVBN_MAX_LENGTH: Final = 72  # zxcvbn refuses longer input; a longer passphrase is judged by its start

# Words an attacker would try first against a Dutch municipal intake laptop.
CONTEXT_WORDS: Final = (
    "intake", "inburgering", "gemeente", "klantmanager", "consulent", "statushouder", "nieuwkomer",
    "vluchteling", "asiel", "azc", "coa", "duo", "wachtwoord", "welkom", "geheim", "kluis", "laptop",
    "voorjaar", "lente", "zomer", "herfst", "najaar", "winter",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december",
)  # fmt: skip

TOO_SHORT: Final = N_("Het wachtwoord is te kort: gebruik minstens {min_length} tekens.")
TOO_WEAK: Final = N_("Dit wachtwoord is te makkelijk te raden.")
STRONG_ENOUGH: Final = N_("Dit wachtwoord is sterk genoeg.")


class FeedbackKey(StrEnum):
    """Why zxcvbn finds a passphrase guessable (stable; independent of zxcvbn's English wording)."""

    TOP_10 = "top_10"
    TOP_100 = "top_100"
    COMMON = "common"
    SIMILAR_TO_COMMON = "similar_to_common"
    WORD_BY_ITSELF = "word_by_itself"
    NAMES = "names"
    PERSONAL = "personal"
    KEYBOARD_PATTERN = "keyboard_pattern"
    REPEATS = "repeats"
    SEQUENCES = "sequences"
    RECENT_YEARS = "recent_years"
    DATES = "dates"
    CAPITALIZATION = "capitalization"
    ALL_UPPERCASE = "all_uppercase"
    REVERSED = "reversed"
    SUBSTITUTIONS = "substitutions"
    ADD_WORDS = "add_words"


_COMMON_ADVICE: Final = N_("Dit is een veelgebruikt wachtwoord.")
ADVICE: Final[Mapping[FeedbackKey, str]] = {
    FeedbackKey.TOP_10: _COMMON_ADVICE,
    FeedbackKey.TOP_100: _COMMON_ADVICE,
    FeedbackKey.COMMON: _COMMON_ADVICE,
    FeedbackKey.SIMILAR_TO_COMMON: N_("Dit lijkt op een veelgebruikt wachtwoord."),
    FeedbackKey.WORD_BY_ITSELF: N_("Eén los woord is makkelijk te raden."),
    FeedbackKey.NAMES: N_("Namen zijn makkelijk te raden."),
    FeedbackKey.PERSONAL: N_("Gebruik niet uw eigen naam, de naam van de gemeente of woorden uit uw werk."),
    FeedbackKey.KEYBOARD_PATTERN: N_("Toetsenbordpatronen zoals 'qwerty' zijn makkelijk te raden."),
    FeedbackKey.REPEATS: N_("Herhalingen zoals 'aaa' of 'abcabc' zijn makkelijk te raden."),
    FeedbackKey.SEQUENCES: N_("Reeksen zoals 'abc' of '6543' zijn makkelijk te raden."),
    FeedbackKey.RECENT_YEARS: N_("Recente jaartallen zijn makkelijk te raden."),
    FeedbackKey.DATES: N_("Datums zijn makkelijk te raden."),
    FeedbackKey.CAPITALIZATION: N_("Een hoofdletter aan het begin helpt weinig."),
    FeedbackKey.ALL_UPPERCASE: N_("Alleen hoofdletters helpt weinig."),
    FeedbackKey.REVERSED: N_("Een woord achterstevoren helpt weinig."),
    FeedbackKey.SUBSTITUTIONS: N_("Vervangingen zoals '@' voor 'a' helpen weinig."),
    FeedbackKey.ADD_WORDS: N_("Voeg een paar ongewone woorden toe."),
}


@dataclass(frozen=True)
class PassphraseCheck:
    """The verdict on one passphrase. Show ``message`` (format with :attr:`params`) and ``advice``."""

    acceptable: bool
    score: int  # 0..4 for a strength meter, also for a too-short passphrase
    message: str  # Dutch msgid
    advice: tuple[str, ...]  # Dutch msgids, no placeholders, no duplicates
    feedback_keys: tuple[FeedbackKey, ...]
    min_length: int = MIN_LENGTH

    @property
    def params(self) -> dict[str, int]:
        return {"min_length": self.min_length}


_zxcvbn_lock = threading.Lock()  # zxcvbn keeps the user inputs in a module-global dictionary


def check_passphrase(
    passphrase: str, *, officer_name: str = "", extra_words: Iterable[str] = ()
) -> PassphraseCheck:
    """Judge ``passphrase``; ``extra_words`` are e.g. the municipality's name and street names."""
    normalized = unicodedata.normalize("NFKC", passphrase)  # as keys.py hashes it
    if not normalized:  # zxcvbn 4.5 crashes on the empty string
        return PassphraseCheck(False, 0, TOO_SHORT, (), ())
    evaluated = normalized[:_ZXCVBN_MAX_LENGTH]
    with _zxcvbn_lock:
        result = zxcvbn(evaluated, user_inputs=_user_inputs(officer_name, extra_words))
    sequence: list[dict[str, Any]] = result["sequence"]
    score = int(result["score"])
    # zxcvbn adds 10**4 guesses per extra segment, so "intake" + "gemeente" + "1" already scores 3. A
    # passphrase that is mostly the officer's name, the municipality or work words is weak whatever the score.
    personal = [m for m in sequence if m["pattern"] == "dictionary" and m["dictionary_name"] == "user_inputs"]
    if sum(len(m["token"]) for m in personal) * 2 >= len(evaluated):
        score = min(score, MIN_SCORE - 1)
    if score >= MIN_SCORE and len(normalized) >= MIN_LENGTH:
        return PassphraseCheck(True, score, STRONG_ENOUGH, (), ())
    keys = _feedback_keys(sequence)
    if personal:
        keys = (*keys, FeedbackKey.PERSONAL)
    keys = tuple(dict.fromkeys(keys))
    advice = tuple(dict.fromkeys(ADVICE[key] for key in keys))
    message = TOO_SHORT if len(normalized) < MIN_LENGTH else TOO_WEAK
    return PassphraseCheck(False, score, message, advice, keys)


def _user_inputs(officer_name: str, extra_words: Iterable[str]) -> list[str]:
    words: list[str] = [*CONTEXT_WORDS]
    for phrase in (officer_name, *extra_words):
        parts = unicodedata.normalize("NFKC", phrase).casefold().split()
        words += [part for part in parts if len(part) >= 3]
        if len(parts) > 1:
            words.append("".join(parts))
    return list(dict.fromkeys(words))


def _feedback_keys(sequence: list[dict[str, Any]]) -> tuple[FeedbackKey, ...]:
    # Mirrors zxcvbn's feedback.get_feedback, which judges the longest match only.
    longest = max(sequence, key=lambda match: len(match["token"]))
    return (FeedbackKey.ADD_WORDS, *_match_keys(longest, is_sole_match=len(sequence) == 1))


def _match_keys(match: dict[str, Any], *, is_sole_match: bool) -> list[FeedbackKey]:
    pattern = match["pattern"]
    if pattern == "dictionary":
        return _dictionary_keys(match, is_sole_match=is_sole_match)
    simple = {
        "spatial": FeedbackKey.KEYBOARD_PATTERN,
        "repeat": FeedbackKey.REPEATS,
        "sequence": FeedbackKey.SEQUENCES,
        "date": FeedbackKey.DATES,
    }
    if pattern in simple:
        return [simple[pattern]]
    if pattern == "regex" and match.get("regex_name") == "recent_year":
        return [FeedbackKey.RECENT_YEARS]
    return []


def _dictionary_keys(match: dict[str, Any], *, is_sole_match: bool) -> list[FeedbackKey]:
    keys: list[FeedbackKey] = []
    name, l33t, reversed_ = match["dictionary_name"], bool(match.get("l33t")), bool(match.get("reversed"))
    if name == "passwords":
        if is_sole_match and not l33t and not reversed_:
            rank = int(match["rank"])
            common = FeedbackKey.TOP_100 if rank <= 100 else FeedbackKey.COMMON
            keys.append(FeedbackKey.TOP_10 if rank <= 10 else common)
        elif float(match["guesses_log10"]) <= 4:
            keys.append(FeedbackKey.SIMILAR_TO_COMMON)
    elif name in ("english_wikipedia", "us_tv_and_film") and is_sole_match:
        keys.append(FeedbackKey.WORD_BY_ITSELF)
    elif name in ("surnames", "male_names", "female_names"):
        keys.append(FeedbackKey.NAMES)
    elif name == "user_inputs":
        keys.append(FeedbackKey.PERSONAL)
    token = str(match["token"])
    if token[:1].isupper() and token[1:].islower():
        keys.append(FeedbackKey.CAPITALIZATION)
    elif token.isupper():
        keys.append(FeedbackKey.ALL_UPPERCASE)
    if reversed_ and len(token) >= 4:
        keys.append(FeedbackKey.REVERSED)
    if l33t:
        keys.append(FeedbackKey.SUBSTITUTIONS)
    return keys
