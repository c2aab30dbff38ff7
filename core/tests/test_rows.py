"""core.rows: rows built in Python read exactly as the template engine would write them."""

import datetime
import zoneinfo

from django.template import engines
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.rows import date_text, escaped, html_format, rows_html, truncated

HOSTILE = ["<script>alert(1)</script>", "a \"quoted\" & 'single'", "{0} {} {{x}}", 42, None, "Müller & Söhne"]


def _template(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_every_value_is_escaped_like_a_template_variable():
    for value in HOSTILE:
        assert escaped(value) == _template("{{ v }}", v=value)
        assert html_format('<td title="{}">{}</td>', value, value) == _template(
            '<td title="{{ v }}">{{ v }}</td>', v=value
        )


def test_safe_parts_pass_unchanged_and_rows_are_joined():
    badge = html_format('<span class="badge">{}</span>', "<b>")
    assert html_format("<td>{}</td>", badge) == '<td><span class="badge">&lt;b&gt;</span></td>'
    assert html_format("<td>{}</td>", mark_safe("<i>x</i>")) == "<td><i>x</i></td>"
    rows = rows_html(lambda value: html_format("<tr><td>{}</td></tr>", value), ["<a>", "b"])
    assert rows == "<tr><td>&lt;a&gt;</td></tr><tr><td>b</td></tr>"
    assert rows_html(lambda value: value, []) == ""


def test_dates_and_truncation_read_as_the_template_filters(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))  # 1 April in Berlin
    with timezone.override("Europe/Berlin"):
        for value in [late, datetime.date(2026, 1, 5), None]:
            assert date_text(value) == _template('{{ v|date:"d.m.Y" }}', v=value)
        assert date_text(None, "–") == _template('{{ v|date:"d.m.Y"|default:"–" }}', v=None)
    text = "Ein sehr langer Text über Wasserstoff " * 5
    assert truncated(text, 60) == _template("{{ v|truncatechars:60 }}", v=text)
    assert truncated("kurz", 60) == "kurz"
    for value in ["Mu\u0308ller", "x" * 60, "x" * 61, "Mu\u0308ller" * 7, "", "<b>"]:  # decomposed umlauts, the limit
        assert truncated(value, 60) == _template("{{ v|truncatechars:60 }}", v=value).replace("&lt;", "<").replace(
            "&gt;", ">"
        )
