"""Server-side SVG bar charts (no JavaScript). Every chart has a table alternative on its page;
``title`` and ``description`` name it for screen readers. Styled by ``.bar-chart`` in kammerwerk.css.

The annual report draws its charts for PDF and Word as well, from its own document model
(``reports/charts.py``); web pages of the modules use this one.
"""

from decimal import Decimal
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe

MAX_AXIS_LABELS = 12


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    *, title: str, description: str, labels: list, values: list[Decimal | float], chart_id: str,
    low: list | None = None, high: list | None = None, unit: str = "",
) -> str:  # fmt: skip
    """Bars on a labelled value axis, with an optional low–high whisker per bar; returns safe SVG markup.
    Under many bars only every n-th label is written (at most about twelve)."""
    width, height = 720, 320
    left, right, top, bottom = 80, 20, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = _nice_max(max([float(v) for v in (high or values)] + [0.0]))
    slot = plot_w / max(len(values), 1)
    bar_w = max(slot * 0.6, 1.0)
    every = max(1, len(values) // MAX_AXIS_LABELS)

    def y(value) -> float:
        return top + plot_h - float(value) / ceiling * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="bar-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i in range(5):
        tick = ceiling * i / 4
        ty = y(tick)
        label = number_format(tick, decimal_pos=0, use_l10n=True, force_grouping=True)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" class="axis">{label}</text>')
    if unit:
        parts.append(f'<text x="{left}" y="{top - 6}" class="axis">{escape(unit)}</text>')
    for i, value in enumerate(values):
        x = left + i * slot + (slot - bar_w) / 2
        top_y = y(value)
        parts.append(
            f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar_w:.1f}" height="{top + plot_h - top_y:.1f}" class="bar"/>'
        )
        if low is not None and high is not None and low[i] != high[i]:
            cx = x + bar_w / 2
            parts.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(low[i]):.1f}" y2="{y(high[i]):.1f}" class="whisker"/>'
                f'<line x1="{cx - 8:.1f}" x2="{cx + 8:.1f}" y1="{y(high[i]):.1f}" y2="{y(high[i]):.1f}" class="whisker"/>'
                f'<line x1="{cx - 8:.1f}" x2="{cx + 8:.1f}" y1="{y(low[i]):.1f}" y2="{y(low[i]):.1f}" class="whisker"/>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" class="axis">'
                f"{escape(str(labels[i]))}</text>"
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="baseline"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 – every text part is escaped above
