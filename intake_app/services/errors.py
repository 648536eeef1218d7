"""Turning any storage or key error into a Dutch text for the officer (translated at display)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from intake_app.i18n import N_
from intake_app.storage.errors import VaultDamaged, VaultError
from intake_app.storage.keys import KeyFileDamaged, KeyFileError
from intake_app.storage.throttle import TooManyAttempts

# Errors whose message is meant for the officer. Anything else is a bug: the UI shows a generic
# text and the log gets the exception type (never its arguments, which could hold personal data).
UserError = (VaultError, KeyFileError, TooManyAttempts)

UNEXPECTED = N_("Er ging iets onverwachts mis. Wat al was opgeslagen, is bewaard.")


class ErrorKind(Enum):
    WAIT = "wait"  # too many failed unlocks: wait `seconds`
    DAMAGED = "damaged"  # offer the newest backup
    OTHER = "other"


@dataclass(frozen=True)
class ErrorReport:
    kind: ErrorKind
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    seconds: int = 0
    plural_msgid: str = ""  # with ngettext(msgid, plural_msgid, seconds) where a count decides


def describe_error(error: BaseException) -> ErrorReport:
    """What to tell the officer: translate ``msgid``, then format it with ``params``."""
    if isinstance(error, TooManyAttempts):
        return ErrorReport(ErrorKind.WAIT, error.message, error.params, error.seconds, error.plural_message)
    if isinstance(error, VaultDamaged | KeyFileDamaged):
        return ErrorReport(ErrorKind.DAMAGED, error.message, dict(getattr(error, "params", {}) or {}))
    if isinstance(error, VaultError):
        return ErrorReport(ErrorKind.OTHER, error.message, dict(error.params))
    if isinstance(error, KeyFileError):
        return ErrorReport(ErrorKind.OTHER, error.message)
    return ErrorReport(ErrorKind.OTHER, UNEXPECTED)
