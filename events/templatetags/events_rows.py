"""Rows of the staff participants table, rendered in Python (``core.rows``); the page keeps the rest."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from core.rows import html_format, rows_html, truncated
from events.models import Registration

register = template.Library()


@register.simple_tag(takes_context=True)
def participant_rows(context, registrations):
    """The ``<tr>``s of ``events/staff_participants.html``: one per row of ``selectors.participant_table``
    with its answers in question order (``answer_cells``) and, while pending, the approve/decline form."""
    statuses = {value: str(label) for value, label in Registration.Status.choices}  # translated once per page
    proofs = {value: str(label) for value, label in Registration._meta.get_field("partner_proof").choices}
    proof_label, proof_missing = _("Partnernachweis"), _("fehlt – bitte prüfen")
    approve, decline = _("Freigeben"), _("Ablehnen")
    decide_url = reverse("events:staff_decide", args=[0])[: -len("0/entscheiden/")]  # + pk + "/entscheiden/"
    csrf = []  # the page's token, read once and only when a form needs it, as {% csrf_token %} writes it

    def csrf_input():
        if not csrf:
            token = context.get("csrf_token")
            no_token = not token or token == "NOTPROVIDED"  # noqa: S105 - Django's marker for "no token"
            csrf.append(
                "" if no_token else html_format('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
            )
        return csrf[0]

    def row(r):
        status = html_format("{}{}", statuses.get(r["status"], r["status"]), " ✓" if r["checked_in_at"] else "")
        if r["audience"].partners_only:
            proof = proofs.get(r["partner_proof"], r["partner_proof"]) if r["partner_proof"] else proof_missing
            status = html_format('{}<br><span class="muted">{}: {}</span>', status, proof_label, proof)
        answers = rows_html(lambda value: html_format("<td>{}</td>", truncated(value, 200)), r["answer_cells"])
        action = ""
        if r["status"] == "pending":
            action = html_format(
                '<form method="post" action="{}{}/entscheiden/" class="inline-form">{}<button type="submit" '
                'name="decision" value="approve">{}</button> <button type="submit" name="decision" value="decline" '
                'class="button-secondary">{}</button></form>',
                decide_url, r["id"], csrf_input(), approve, decline,
            )  # fmt: skip
        return html_format(
            '<tr>\n<th scope="row">{}, {}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\n{}\n<td>{}</td>\n</tr>',
            r["last_name"], r["first_name"], r["email"], r["organisation_name"], r["audience"].name, status, answers,
            action,
        )  # fmt: skip

    return rows_html(row, registrations)
