"""intake_app: brede intake and draft PIP for Dutch municipal intake officers."""

__version__ = "0.1.0"
