"""Errors the storage layer raises, each with a plain Dutch message for the officer.

The message is marked with ``N_`` and translated at display time; ``params`` fills its named
placeholders. Nothing here ever carries personal data of a newcomer.
"""

from __future__ import annotations

from typing import Any

from intake_app.i18n import N_


class VaultError(Exception):
    """Base class: ``message`` is a translatable Dutch text for the officer."""

    message: str = N_("Er ging iets mis met de kluis.")

    def __init__(self, message: str | None = None, **params: Any) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(self.message.format(**params) if params else self.message)


class VaultNotFound(VaultError):
    message = N_("Er is geen kluis in deze map.")


class VaultAlreadyExists(VaultError):
    message = N_("In deze map staat al een kluis. Er is niets overschreven.")


class VaultDamaged(VaultError):
    """The database file cannot be read as it should: truncated, altered or its journal is missing."""

    message = N_(
        "De kluis is beschadigd en kan niet veilig worden geopend. Er is niets gewijzigd of "
        "overschreven. U kunt de nieuwste automatische reservekopie terugzetten."
    )

    def __init__(self, detail: str, message: str | None = None, **params: Any) -> None:
        self.detail = detail  # technical, for the log: never contains answer values
        super().__init__(message, **params)


class VaultLocked(VaultError):
    message = N_("De kluis is vergrendeld. Ontgrendel hem eerst.")


class CaseNotFound(VaultError):
    message = N_("Dit dossier bestaat niet (meer).")
