"""The app's URLs plus benchmark-only views (never mounted in the app).

- ``/bench/ok/``: a bare view returning "ok" — the ceiling of the stack
  (gunicorn + Django middleware, no database, no template).
- ``/bench/referenz/…``: one *reference* per staff list of issue 18, target 3 — the
  same rows (same page size, same columns, same order and filters) rendered with the
  least machinery: one query for the rows (plus one per prefetched relation the
  columns need), one template loop, no login check, no session, no filter form, no
  count, no base layout, no navigation. ``run_stafflists_bench.sh`` measures each
  real list beside its reference.

  ========================================  =========================================================
  reference                                  real page
  ========================================  =========================================================
  ``/bench/referenz/organisationen/``        ``/kontakte/organisationen/`` (``q``, ``district``,
                                             ``section``, ``nach``: keyset on (name, id), 50 rows)
  ``/bench/referenz/personen/``              ``/kontakte/personen/`` (``q``, ``seite``; 50 rows by
                                             last name, first name, id)
  ``/bench/referenz/gespraeche/``            ``/beratung/gespraeche/`` (``seite``; 50 talks, newest first:
                                             date, id descending)
  ``/bench/referenz/teilnehmende/<pk>/``     ``/veranstaltungen/verwaltung/<pk>/teilnehmende/``
                                             (every registration of the event with its answers)
  ``/bench/referenz/abonnenten/<pk>/``       ``/newsletter/verwaltung/verteiler/<pk>/abonnenten/``
                                             (``seite``; 50 subscribers by e-mail, id)
  ========================================  =========================================================
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from advisory.models import Consultation
from contacts import selectors
from contacts.models import Person
from core.params import page_param
from events.models import Answer, Registration
from kammerwerk.urls import urlpatterns as app_urlpatterns
from newsletter.models import Subscriber

PAGE = 50


def _template(body: str):
    return engines["django"].from_string(
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Referenz</title></head><body><main>'
        + body
        + "</main></body></html>"
    )


# The row markup is the one of contacts/_organisation_rows.html, without caption and pagination texts.
REFERENCE_TEMPLATE = _template(
    """
<table><thead><tr><th scope="col">Name</th><th scope="col">Ort</th><th scope="col">Kreis</th><th scope="col">WZ</th><th scope="col">Größe</th><th scope="col">Mitgliedsnr.</th></tr></thead>
<tbody>
{% for org in page.rows %}
<tr><td><a href="{% url 'contacts:organisation_detail' org.pk %}">{{ org.name }}</a>{% if org.legal_form %} <span class="muted">{{ org.legal_form }}</span>{% endif %}{% if org.energy_intensive %} <span class="badge">energieintensiv</span>{% endif %}</td>
<td>{{ org.postcode }} {{ org.city }}</td><td>{{ org.district.name|default:"" }}</td><td>{{ org.wz_code }}</td><td>{{ org.get_size_class_display }}</td><td>{{ org.member_number }}</td></tr>
{% endfor %}
</tbody></table>
{% if page.next_cursor %}<a href="?nach={{ page.next_cursor }}" rel="next">Nächste Seite</a>{% endif %}"""
)

PEOPLE_TEMPLATE = _template(
    """
<table><thead><tr><th scope="col">Name</th><th scope="col">E-Mail</th><th scope="col">Telefon</th></tr></thead>
<tbody>{% for person in rows %}<tr><td><a href="/kontakte/personen/{{ person.pk }}/">{{ person.last_name }}, {{ person.first_name }}</a></td><td>{{ person.email }}</td><td>{{ person.phone }}</td></tr>{% endfor %}</tbody>
</table>{% if more %}<a href="?seite={{ next }}" rel="next">Nächste Seite</a>{% endif %}"""
)

TALKS_TEMPLATE = _template(
    """
<table><thead><tr><th scope="col">Unternehmen bzw. Person</th><th scope="col">Datum</th><th scope="col">Kreis</th><th scope="col">Themen</th><th scope="col">Weg</th><th scope="col">Berater/-in</th><th scope="col">Wiedervorlage</th></tr></thead>
<tbody>{% for t in rows %}<tr>
<th scope="row"><a href="/beratung/gespraeche/{{ t.pk }}/">{% if t.organisation %}{{ t.organisation.name }}{% else %}{{ t.contact_label }}{% endif %}</a>{% if t.organisation and t.contact_label %}<br><span class="muted">{{ t.contact_label }}</span>{% endif %}</th>
<td>{{ t.date|date:"d.m.Y" }}</td><td>{{ t.organisation.district.name|default:"" }}</td>
<td>{% for topic in t.topics.all %}<span class="badge">{{ topic }}</span> {% endfor %}</td>
<td>{{ t.get_channel_display }}, {{ t.duration_minutes }} Min.</td><td>{{ t.adviser }}</td><td>{{ t.follow_up_on|date:"d.m.Y"|default:"" }}</td>
</tr>{% endfor %}</tbody></table>{% if more %}<a href="?seite={{ next }}" rel="next">Nächste Seite</a>{% endif %}"""
)

REGISTRATIONS_TEMPLATE = _template(
    """
<table><thead><tr><th scope="col">Name</th><th scope="col">E-Mail</th><th scope="col">Organisation</th><th scope="col">Zielgruppe</th><th scope="col">Status</th>{% for question in questions %}<th scope="col">{{ question.text }}</th>{% endfor %}<th scope="col">Aktion</th></tr></thead>
<tbody>{% for r in rows %}<tr>
<th scope="row">{{ r.last_name }}, {{ r.first_name }}</th><td>{{ r.email }}</td><td>{{ r.organisation_name }}</td><td>{{ r.audience.name }}</td><td>{{ r.get_status_display }}{% if r.checked_in_at %} ✓{% endif %}</td>
{% for value in r.answer_cells %}<td>{{ value|truncatechars:200 }}</td>{% endfor %}
<td>{% if r.status == "pending" %}<form method="post" action="/veranstaltungen/verwaltung/anmeldungen/{{ r.pk }}/entscheiden/"><button name="decision" value="approve">Freigeben</button> <button name="decision" value="decline">Ablehnen</button></form>{% endif %}</td>
</tr>{% endfor %}</tbody></table>"""
)

SUBSCRIBERS_TEMPLATE = _template(
    """
<table><thead><tr><th scope="col">E-Mail</th><th scope="col">Status</th><th scope="col">angemeldet</th><th scope="col">bestätigt</th><th scope="col">Quelle</th><th scope="col">Kontakt</th></tr></thead>
<tbody>{% for s in rows %}<tr>
<th scope="row">{{ s.email }}{% if s.name %} <span class="muted">({{ s.name }})</span>{% endif %}</th>
<td>{{ s.get_status_display }}</td><td>{{ s.created_at|date:"d.m.Y" }}</td><td>{{ s.confirmed_at|date:"d.m.Y"|default:"–" }}</td>
<td>{{ s.source|truncatechars:60 }}</td>
<td>{% if s.person %}<a href="/kontakte/personen/{{ s.person_id }}/">{{ s.person.full_name }}</a>{% else %}–{% endif %}</td>
</tr>{% endfor %}</tbody></table>{% if more %}<a href="?seite={{ next }}" rel="next">weiter</a>{% endif %}"""
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


def reference_list(request):
    filters = selectors.OrganisationFilters(
        q=request.GET.get("q", ""), district=request.GET.get("district", ""), section=request.GET.get("section", "")
    )
    page = selectors.organisation_page(filters, cursor=request.GET.get("nach", ""))
    return HttpResponse(REFERENCE_TEMPLATE.render({"page": page}))


def _offset_page(queryset, request) -> dict:
    """One page of ``PAGE`` rows by offset, with one row more to know whether there is a next page (no count)."""
    number = page_param(request.GET)
    rows = list(queryset[(number - 1) * PAGE : number * PAGE + 1])
    return {"rows": rows[:PAGE], "more": len(rows) > PAGE, "next": number + 1}


def reference_people(request):
    people = Person.objects.filter(anonymised_at__isnull=True).order_by("last_name", "first_name", "id")
    return HttpResponse(PEOPLE_TEMPLATE.render(_offset_page(people, request)))


def reference_talks(request):
    talks = (
        Consultation.objects.select_related("organisation__district", "adviser")
        .prefetch_related("topics__parent")
        .order_by("-date", "-id")
    )
    return HttpResponse(TALKS_TEMPLATE.render(_offset_page(talks, request)))


def reference_registrations(request, pk):
    from events.models import Question

    questions = list(Question.objects.filter(event_id=pk).order_by("position", "pk"))
    rows = list(
        Registration.objects.filter(event_id=pk)
        .select_related("audience")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("pk"), to_attr="answer_list"))
        .order_by("last_name", "first_name", "pk")
    )
    for row in rows:
        answers = {answer.question_id: answer.value for answer in row.answer_list}
        row.answer_cells = [answers.get(question.pk, "") for question in questions]
    return HttpResponse(REGISTRATIONS_TEMPLATE.render({"rows": rows, "questions": questions}))


def reference_subscribers(request, pk):
    subscribers = Subscriber.objects.filter(newsletter_list_id=pk).select_related("person").order_by("email", "id")
    return HttpResponse(SUBSCRIBERS_TEMPLATE.render(_offset_page(subscribers, request)))


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/referenz/organisationen/", reference_list),
    path("bench/referenz/personen/", reference_people),
    path("bench/referenz/gespraeche/", reference_talks),
    path("bench/referenz/teilnehmende/<int:pk>/", reference_registrations),
    path("bench/referenz/abonnenten/<int:pk>/", reference_subscribers),
    *app_urlpatterns,
]
