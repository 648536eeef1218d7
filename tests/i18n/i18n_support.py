"""Writing small PO files for the i18n tests (real PO syntax, so the tests show what translators write)."""

from __future__ import annotations

from pathlib import Path

HEADER = '''msgid ""
msgstr ""
"Project-Id-Version: intake_app 0.1\\n"
"Language: {locale}\\n"
"Content-Type: text/plain; charset=utf-8\\n"
{extra}
'''


def write_catalog(
    folder: Path, locale: str, body: str, *, domain: str = "client", review: str | None = "concept",
    extra_headers: str = "",
) -> Path:
    """``folder/<locale>/LC_MESSAGES/<domain>.po`` with a header (``review=None``: no X-Review-Status)."""
    path = folder / locale / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = extra_headers
    if review is not None:
        extra += f'"X-Review-Status: {review}\\n"\n'
    path.write_text(HEADER.format(locale=locale, extra=extra) + "\n" + body, encoding="utf-8")
    return path


def write_template(folder: Path, body: str, *, domain: str = "client") -> Path:
    path = folder / f"{domain}.pot"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n' + body, encoding="utf-8")
    return path
