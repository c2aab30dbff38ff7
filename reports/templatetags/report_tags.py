from django import template
from django.utils.safestring import mark_safe

from reports import charts

register = template.Library()


@register.simple_tag
def chart_svg(chart, chart_id: str):
    """The chart as inline SVG (every label and value is escaped by ``reports.charts.svg``)."""
    return mark_safe(charts.svg(chart, chart_id))  # noqa: S308 – built from escaped parts
