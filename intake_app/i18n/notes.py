"""The discreet note next to a text a newcomer reads in a translation nobody qualified has checked.

The note is a client-facing text itself (extract.py puts this module in the client domain), so it is
shown in the newcomer's language where the catalog has it, else in Dutch for the officer. Screens and
PDFs get it through :meth:`intake_app.i18n.Catalog.unreviewed_note`.
"""

from __future__ import annotations

from intake_app.i18n.catalog import N_

UNREVIEWED_NOTE = N_("Concept-vertaling: nog niet gecontroleerd door een beëdigd vertaler.")
