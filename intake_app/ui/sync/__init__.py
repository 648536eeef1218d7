"""Sync in the officer's window: the Synchroniseren action (F5), the status line, enrolment, conflicts."""
