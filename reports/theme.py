"""The chamber's colours and the report's font, shared by the web page, the PDF and the Word file.

The colours are the site's (``core/static/core/kammerwerk.css``): the brand blue (8.2:1 on white),
the accent brown, ink and grey. The font is Bitstream Vera, which ships with reportlab: it covers
German (umlauts, ß, „typographic quotes“, en dash) and needs no system font on the server.
"""

from functools import cache
from pathlib import Path

BRAND = "#0b4f8a"
BRAND_DARK = "#083a66"
ACCENT = "#8a3b00"
INK = "#1b1f24"
MUTED = "#4a5260"
GRID = "#c9d0da"
SOFT = "#f3f5f8"
ERROR = "#a4161a"

FONT = "KWVera"


def font_path(*, bold: bool = False, italic: bool = False) -> Path:
    import reportlab

    name = {(False, False): "Vera", (True, False): "VeraBd", (False, True): "VeraIt", (True, True): "VeraBI"}
    return Path(reportlab.__file__).parent / "fonts" / f"{name[(bold, italic)]}.ttf"


@cache
def register_fonts() -> str:
    """Register the report's font family with reportlab once per process; returns its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {FONT: (False, False), f"{FONT}-Bold": (True, False), f"{FONT}-Italic": (False, True),
             f"{FONT}-BoldItalic": (True, True)}  # fmt: skip
    for name, (bold, italic) in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(bold=bold, italic=italic))))
        addMapping(FONT, int(bold), int(italic), name)
    return FONT
