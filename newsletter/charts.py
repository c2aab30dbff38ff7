"""A small server-rendered SVG line chart (no JavaScript); the numbers are also in a table next to it."""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe


def line_chart(points: list[tuple], *, title: str, width: int = 640, height: int = 220) -> str:
    if not points:
        return ""
    pad_left, pad_bottom, pad_top, pad_right = 48, 28, 12, 12
    values = [value for _day, value in points]
    top = max(max(values), 1)
    inner_w, inner_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    step = inner_w / max(len(points) - 1, 1)

    def y(value):
        return pad_top + inner_h - inner_h * value / top

    coords = " ".join(f"{pad_left + index * step:.1f},{y(value):.1f}" for index, (_day, value) in enumerate(points))
    first, last = points[0], points[-1]
    ticks = []
    for fraction in (0, 0.5, 1):
        value = round(top * fraction)
        ticks.append(
            f'<text x="{pad_left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" fill="#1b1f24">{value}</text>'
            f'<line x1="{pad_left}" x2="{width - pad_right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#c9d0da"/>'
        )
    label_first = date_format(first[0], "m/Y")
    label_last = date_format(last[0], "m/Y")
    description = f"{label_first}: {first[1]} … {label_last}: {last[1]}"
    svg = (
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>'
        + "".join(ticks)
        + f'<polyline fill="none" stroke="#0b4f8a" stroke-width="2.5" points="{coords}"/>'
        f'<text x="{pad_left}" y="{height - 8}" font-size="12" fill="#1b1f24">{label_first}</text>'
        f'<text x="{width - pad_right}" y="{height - 8}" font-size="12" text-anchor="end" fill="#1b1f24">{label_last}</text>'
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 – built from numbers and escaped labels
