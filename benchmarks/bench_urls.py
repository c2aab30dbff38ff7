"""The app's URLs plus two benchmark-only views (never mounted in the app).

- ``/bench/ok/``: a bare view returning "ok" — the ceiling of the stack
  (gunicorn + Django middleware, no database, no template).
- ``/bench/referenz/organisationen/``: the *reference* for the staff list — the
  same selector (same SQL) and the same 50 table rows, rendered with a minimal
  template: no login check, no filter form, no base layout, no navigation.
  Takes the same ``q``, ``district``, ``section`` and ``nach`` parameters.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from contacts import selectors
from kammerwerk.urls import urlpatterns as app_urlpatterns

# The row markup is the one of contacts/_organisation_rows.html, without caption and pagination texts.
REFERENCE_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Referenz</title></head><body><main>
<table><thead><tr><th scope="col">Name</th><th scope="col">Ort</th><th scope="col">Kreis</th><th scope="col">WZ</th><th scope="col">Größe</th><th scope="col">Mitgliedsnr.</th></tr></thead>
<tbody>
{% for org in page.rows %}
<tr><td><a href="{% url 'contacts:organisation_detail' org.pk %}">{{ org.name }}</a>{% if org.legal_form %} <span class="muted">{{ org.legal_form }}</span>{% endif %}{% if org.energy_intensive %} <span class="badge">energieintensiv</span>{% endif %}</td>
<td>{{ org.postcode }} {{ org.city }}</td><td>{{ org.district.name|default:"" }}</td><td>{{ org.wz_code }}</td><td>{{ org.get_size_class_display }}</td><td>{{ org.member_number }}</td></tr>
{% endfor %}
</tbody></table>
{% if page.next_cursor %}<a href="?nach={{ page.next_cursor }}" rel="next">Nächste Seite</a>{% endif %}
</main></body></html>"""
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


def reference_list(request):
    filters = selectors.OrganisationFilters(
        q=request.GET.get("q", ""), district=request.GET.get("district", ""), section=request.GET.get("section", "")
    )
    page = selectors.organisation_page(filters, cursor=request.GET.get("nach", ""))
    return HttpResponse(REFERENCE_TEMPLATE.render({"page": page}))


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/referenz/organisationen/", reference_list),
    *app_urlpatterns,
]
