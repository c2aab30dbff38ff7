"""Rows of the long staff tables of contacts, rendered in Python (``core.rows``).

The caption, header and pagination stay in the templates; only the ``<tr>``s are built here.
"""

from django import template

from core.rows import html_format, rows_html

register = template.Library()


@register.simple_tag
def organisation_rows(rows, list_url: str, energy_intensive: str):
    """The ``<tr>``s of the organisation list (``contacts/_organisation_rows.html``)."""

    def row(org):
        district = org.district.name if org.district_id and org.district else ""
        return html_format(
            '<tr><td><a href="{}{}/">{}</a>{}{}</td>\n'
            "<td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            list_url, org.pk, org.name,
            html_format(' <span class="muted">{}</span>', org.legal_form) if org.legal_form else "",
            html_format(' <span class="badge">{}</span>', energy_intensive) if org.energy_intensive else "",
            org.postcode, org.city, district, org.wz_code, org.size_label, org.member_number,
        )  # fmt: skip

    return rows_html(row, rows)


@register.simple_tag
def person_rows(rows, list_url: str):
    """The ``<tr>``s of the person list (``contacts/person_list.html``); rows are dicts (``selectors.people_list``)."""
    return rows_html(
        lambda person: html_format(
            '<tr><td><a href="{}{}/">{}, {}</a></td><td>{}</td><td>{}</td></tr>',
            list_url,
            person["id"],
            person["last_name"],
            person["first_name"],
            person["email"],
            person["phone"],
        ),  # fmt: skip
        rows,
    )
