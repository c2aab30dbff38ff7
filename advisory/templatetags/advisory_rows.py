"""Rows of the consultation log, rendered in Python (``core.rows``); the page keeps the rest."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from advisory.models import Consultation
from core.rows import date_text, html_format, rows_html

register = template.Library()


@register.simple_tag
def consultation_rows(talks):
    """The ``<tr>``s of ``advisory/consultation_list.html``: one per row of ``selectors.consultation_list``
    (a dict), its topics as badges."""
    edit_url = reverse("advisory:consultation_list")  # a talk's page is this + pk + "/" (advisory/urls.py)
    channels = {value: str(label) for value, label in Consultation.Channel.choices}  # translated once per page
    minutes, nameless = _("Min."), _("ohne Namen")

    def row(t):
        organisation, contact = t["organisation_id"] is not None, t["who"]
        name = t["organisation__name"] if organisation else contact or nameless
        who = html_format('<a href="{}{}/">{}</a>', edit_url, t["id"], name)
        if organisation and contact:
            who = html_format('{}<br><span class="muted">{}</span>', who, contact)
        district = t["organisation__district__name"] or ""
        topics = rows_html(lambda topic: html_format('<span class="badge">{}</span> ', topic), t["topics"])
        return html_format(
            '<tr>\n    <th scope="row">{}</th>\n    <td>{}</td>\n    <td>{}</td>\n    <td>{}</td>\n'
            "    <td>{}, {} {}</td>\n    <td>{}</td>\n    <td>{}</td>\n  </tr>\n",
            who, date_text(t["date"]), district, topics, channels.get(t["channel"], t["channel"]),
            t["duration_minutes"], minutes, t["adviser"], date_text(t["follow_up_on"]),
        )  # fmt: skip

    return rows_html(row, talks)
