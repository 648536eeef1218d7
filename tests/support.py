"""Constants and helpers shared by tests (importable as `support`: tests/ is on pythonpath)."""

from __future__ import annotations

PASSPHRASE = "zeven blauwe olifanten dansen traag"
OFFICER = "Fatima de Vries"
