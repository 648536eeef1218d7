"""Turning what an officer types into answer values, and back, for display.

Officers type dates the Dutch way (25-03-2001); answers store ISO dates. Numbers may use a decimal
comma. Text that cannot be read is passed on unchanged, so the engine's validation names the problem.
"""

from __future__ import annotations

import re

from intake_app.forms.answers import AnswerValue

_DUTCH_DATE = re.compile(r"^\s*(\d{1,2})[-./ ](\d{1,2})[-./ ](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> str:
    """'25-3-2001' or '2001-03-25' -> '2001-03-25'; anything else unchanged (the validator reports it)."""
    match = _DUTCH_DATE.match(text)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text.strip()


def format_date(value: AnswerValue | None) -> str:
    """'2001-03-25' -> '25-03-2001' (as officers read dates)."""
    if isinstance(value, str):
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = match.groups()
            return f"{int(day):02d}-{int(month):02d}-{year}"
        return value
    return "" if value is None else str(value)


def parse_integer(text: str) -> AnswerValue:
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    return stripped


def parse_decimal(text: str) -> AnswerValue:
    stripped = text.strip().replace(" ", "")
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", stripped):
        return float(stripped.replace(",", "."))
    return stripped


def format_decimal(value: AnswerValue | None) -> str:
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",")
    return "" if value is None else str(value)
