"""The small facade that the UI and the CLI use; it hides SQLAlchemy and the storage internals.

Import the submodules you need (``services.paths`` is light; ``services.vault_service`` loads the
storage stack), so the lock screen can paint before SQLAlchemy and SQLCipher are loaded.
"""
