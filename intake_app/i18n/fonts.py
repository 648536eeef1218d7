"""Which bundled font renders which language: used by the Qt windows and by the PDF.

The fonts are Noto (SIL OFL, see resources/fonts/OFL.txt). Each language has a primary family for
its own script and falls back to Noto Sans for Latin letters and digits inside the text ("B1",
"12-05-2026"), which the Arabic and Ethiopic fonts partly or wholly lack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"


@dataclass(frozen=True)
class FontFace:
    family: str
    regular: Path
    bold: Path


LATIN = FontFace("Noto Sans", FONTS_DIR / "NotoSans-Regular.ttf", FONTS_DIR / "NotoSans-Bold.ttf")
ARABIC = FontFace(
    "Noto Sans Arabic", FONTS_DIR / "NotoSansArabic-Regular.ttf", FONTS_DIR / "NotoSansArabic-Bold.ttf"
)
ETHIOPIC = FontFace(
    "Noto Sans Ethiopic", FONTS_DIR / "NotoSansEthiopic-Regular.ttf", FONTS_DIR / "NotoSansEthiopic-Bold.ttf"
)
ALL_FACES = (LATIN, ARABIC, ETHIOPIC)

_ARABIC_SCRIPT = {"ar", "fa", "fa_AF", "ps", "ckb"}
_ETHIOPIC_SCRIPT = {"ti", "am"}


def faces_for(locale: str) -> tuple[FontFace, ...]:
    """The faces to try in order for text in ``locale``: its own script first, then Latin."""
    language = locale if locale in _ARABIC_SCRIPT | _ETHIOPIC_SCRIPT else locale.split("_")[0]
    if language in _ARABIC_SCRIPT:
        return (ARABIC, LATIN)
    if language in _ETHIOPIC_SCRIPT:
        return (ETHIOPIC, LATIN)
    return (LATIN,)
