"""The real URLs, plus the ceiling and bare reference views for the portal benchmark.

``/bench/ok``: a bare Django view (the ceiling). ``/bench/ref/suche/`` and
``/bench/ref/unternehmen/``: the same selector call as the portal's search and
company list pages (same query, same filters, parsed from the same GET
parameters), returning the row titles as plain text: no form, no template.
"""

from django.http import HttpResponse
from django.urls import path

from kammerwerk.urls import urlpatterns as real_urlpatterns
from portal import selectors


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def ref_search(request):
    get = request.GET
    filters = selectors.OfferFilters(
        q=get.get("q", ""), occupation=get.get("beruf", ""), district=get.get("kreis", ""), kind=get.get("art", ""),
        year=_int(get.get("jahr")), sector=get.get("branche", ""), sort=get.get("sortierung", "relevanz"),
    )  # fmt: skip
    page = selectors.offer_search(filters, _int(get.get("seite"), 1))
    text = "\n".join(f"{c.title_text}\t{c.row['profile__name']}\t{c.row['start_date']}" for c in page.rows)
    return HttpResponse(text, content_type="text/plain")


def ref_companies(request):
    get = request.GET
    filters = selectors.CompanyFilters(
        q=get.get("q", ""),
        district=get.get("kreis", ""),
        sector=get.get("branche", ""),
        occupation=get.get("beruf", ""),
    )
    page = selectors.company_search(filters, _int(get.get("seite"), 1))
    text = "\n".join(f"{p.name}\t{p.organisation.city}" for p in page.rows)
    return HttpResponse(text, content_type="text/plain")


urlpatterns = [
    path("bench/ok", ok),
    path("bench/ref/suche/", ref_search),
    path("bench/ref/unternehmen/", ref_companies),
    *real_urlpatterns,
]
