"""Qt widgets and windows. They render what the services and the engine decide; no SQL here."""
