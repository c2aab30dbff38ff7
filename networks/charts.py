"""Server-rendered SVG bar charts (no JavaScript library). Every chart has a table next to it on its page."""

from html import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(*, title: str, description: str, labels: list[str], values: list[float], chart_id: str) -> str:
    """Bars with a labelled value axis; ``title`` and ``description`` name it for screen readers."""
    width, height = 720, 300
    left, right, top, bottom = 64, 16, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = _nice_max(max([float(v) for v in values] + [0.0]))
    slot = plot_w / max(len(values), 1)
    bar_w = max(slot * 0.6, 1.0)
    every = max(1, len(values) // 12)  # at most ~12 labels under the bars

    def y(value) -> float:
        return top + plot_h - float(value) / ceiling * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="networks-chart" role="img" '
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
    for i, value in enumerate(values):
        x = left + i * slot + (slot - bar_w) / 2
        top_y = y(value)
        parts.append(
            f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar_w:.1f}" height="{top + plot_h - top_y:.1f}" class="bar"/>'
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
