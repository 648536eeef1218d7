"""Offline-first sync with the central server (wire protocol, client, merge rules, server)."""
