"""Rows of the staff subscriber list, rendered in Python (``core.rows``); the page keeps the rest."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from core.rows import date_text, html_format, rows_html, truncated
from newsletter.models import Subscriber

register = template.Library()


@register.simple_tag
def subscriber_rows(subscribers):
    """The ``<tr>``s of ``newsletter/subscriber_list.html`` (or one saying there are none)."""
    statuses = {value: str(label) for value, label in Subscriber.Status.choices}  # translated once per page
    people_url = reverse("contacts:person_list")  # a person's page is this + pk + "/" (contacts/urls.py)

    def row(s):
        name = html_format(' <span class="muted">({})</span>', s.name) if s.name else ""
        person = html_format('<a href="{}{}/">{}</a>', people_url, s.person_id, s.person.full_name) if s.person else "–"
        return html_format(
            '<tr>\n  <th scope="row">{}{}</th>\n  <td>{}</td><td>{}</td><td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n'
            "</tr>",
            s.email, name, statuses.get(s.status, s.status), date_text(s.created_at), date_text(s.confirmed_at, "–"),
            truncated(s.source, 60), person,
        )  # fmt: skip

    html = rows_html(row, subscribers)
    return html or html_format('<tr><td colspan="6">{}</td></tr>', _("Keine Einträge."))
