"""Bar charts of a report, drawn without a browser: SVG for the web page, reportlab vector graphics
for the PDF, a PNG (Pillow) for the Word file. All three draw the same :class:`reports.document.Chart`
with the chamber's colours; the web page and the Word file put the numbers in a table beside it."""

import io
import math
from html import escape

from reports.document import Chart
from reports.theme import ACCENT, BRAND, GRID, INK, MUTED, font_path


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _ticks(chart: Chart) -> tuple[float, list[float]]:
    values = [v for v in chart.values if v is not None]
    top = _nice_ceiling(max(values + [0.0]))
    if top < 5 and all(float(v).is_integer() for v in values):
        top = 5.0  # counts: whole-number ticks
    steps = next((n for n in (5, 4) if (top / n).is_integer()), 5)
    return top, [top * i / steps for i in range(steps + 1)]


def _tick_label(value: float) -> str:
    from core.figures import format_number

    return format_number(value, 0 if float(value).is_integer() else 1)


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# --- SVG (web page) ------------------------------------------------------------------------------------


def svg(chart: Chart, chart_id: str) -> str:
    """Accessible SVG markup (role="img", title and description); escape-safe."""
    width, height = 720, 320
    left, right, top, bottom = 64, 16, 24, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling, ticks = _ticks(chart)
    n = max(len(chart.values), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.62, 64)
    limit = max(int(slot / 7), 4)

    def y(value: float) -> float:
        return top + plot_h - value / ceiling * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="report-chart" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" focusable="false">',
        f'<title id="{chart_id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-d">{escape(chart.description)}</desc>',
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" fill="{MUTED}">'
            f"{escape(_tick_label(tick))}</text>"
        )
    if chart.unit:
        parts.append(f'<text x="{left}" y="{top - 8}" font-size="12" fill="{MUTED}">{escape(chart.unit)}</text>')
    for i, (label, value, text) in enumerate(zip(chart.labels, chart.values, chart.texts, strict=True)):
        x = left + i * slot + (slot - bar_w) / 2
        cx = x + bar_w / 2
        if value is not None and value > 0:
            top_y = y(value)
            parts.append(
                f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar_w:.1f}" height="{top + plot_h - top_y:.1f}" '
                f'fill="{BRAND}"/>'
            )
            parts.append(
                f'<text x="{cx:.1f}" y="{top_y - 4:.1f}" text-anchor="middle" font-size="12" fill="{INK}">'
                f"{escape(text)}</text>"
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12" fill="{INK}">'
            f"{escape(_short(label, limit))}</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/></svg>'
    )
    return "".join(parts)


# --- reportlab (PDF, vector) -----------------------------------------------------------------------------


def drawing(chart: Chart, width: float, height: float = 170):
    """A reportlab ``Drawing`` (a flowable): vector bars, labels in the report's font."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    from reports.theme import FONT, register_fonts

    register_fonts()
    left, right, top, bottom = 40, 8, 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling, ticks = _ticks(chart)
    n = max(len(chart.values), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.62, 40)
    limit = max(int(slot / 4.2), 4)
    d = Drawing(width, height)
    d.add(String(0, height - 10, chart.title, fontName=FONT + "-Bold", fontSize=8.5, fillColor=colors.HexColor(INK)))

    def y(value: float) -> float:
        return bottom + value / ceiling * plot_h

    for tick in ticks:
        ty = y(tick)
        d.add(Line(left, ty, width - right, ty, strokeColor=colors.HexColor(GRID), strokeWidth=0.4))
        d.add(String(left - 4, ty - 2.5, _tick_label(tick), fontName=FONT, fontSize=6.5,
                     fillColor=colors.HexColor(MUTED), textAnchor="end"))  # fmt: skip
    for i, (label, value, text) in enumerate(zip(chart.labels, chart.values, chart.texts, strict=True)):
        x = left + i * slot + (slot - bar_w) / 2
        cx = x + bar_w / 2
        if value is not None and value > 0:
            d.add(Rect(x, bottom, bar_w, y(value) - bottom, fillColor=colors.HexColor(BRAND), strokeColor=None))
            d.add(String(cx, y(value) + 2, text, fontName=FONT, fontSize=6.5, fillColor=colors.HexColor(INK),
                         textAnchor="middle"))  # fmt: skip
        d.add(String(cx, bottom - 10, _short(label, limit), fontName=FONT, fontSize=6.5,
                     fillColor=colors.HexColor(INK), textAnchor="middle"))  # fmt: skip
    d.add(Line(left, bottom, width - right, bottom, strokeColor=colors.HexColor(INK), strokeWidth=0.6))
    if chart.unit:
        d.add(String(left, height - 20, chart.unit, fontName=FONT, fontSize=6.5, fillColor=colors.HexColor(ACCENT)))
    return d


# --- PNG (Word) ------------------------------------------------------------------------------------------


def png(chart: Chart, width: int = 1600, height: int = 700) -> bytes:
    """A PNG of the chart for the Word file (Word has no SVG through python-docx); 2× resolution."""
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int, bold: bool = False):
        return ImageFont.truetype(str(font_path(bold=bold)), size)

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 120, 30, 80, 110
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling, ticks = _ticks(chart)
    n = max(len(chart.values), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.62, 140)
    limit = max(int(slot / 15), 4)
    small, title_font = font(24), font(30, bold=True)
    draw.text((10, 16), chart.title, font=title_font, fill=INK)

    def y(value: float) -> float:
        return top + plot_h - value / ceiling * plot_h

    for tick in ticks:
        ty = y(tick)
        draw.line([(left, ty), (width - right, ty)], fill=GRID, width=2)
        draw.text((left - 10, ty), _tick_label(tick), font=small, fill=MUTED, anchor="rm")
    for i, (label, value, text) in enumerate(zip(chart.labels, chart.values, chart.texts, strict=True)):
        x = left + i * slot + (slot - bar_w) / 2
        cx = x + bar_w / 2
        if value is not None and value > 0:
            draw.rectangle([(x, y(value)), (x + bar_w, top + plot_h)], fill=BRAND)
            draw.text((cx, y(value) - 6), text, font=small, fill=INK, anchor="md")
        draw.text((cx, top + plot_h + 14), _short(label, limit), font=small, fill=INK, anchor="ma")
    draw.line([(left, top + plot_h), (width - right, top + plot_h)], fill=INK, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
