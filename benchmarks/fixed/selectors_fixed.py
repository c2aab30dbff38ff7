"""The proposed contacts.selectors.organisation_page, for measuring only (see RESULTS.md, "Proposed diff").

Differences from the app's version:
1. ``name__gte`` bounds the keyset condition, so PostgreSQL walks the (name, id) index from the
   cursor on (an OR alone is only a Filter: a page at row 90,000 read 90,000 rows).
2. The district filter compares ``district_id`` with a scalar subquery instead of joining on the
   slug: the planner then uses the (district_id, name, id) index with the keyset range (a deep page
   of district+section took 35–80 ms, now ~1 ms).
3. ``size_label``: the size class label is translated once per page, not once per row.
"""

from django.db.models import Q, Subquery

from contacts import selectors
from contacts.models import District
from contacts.regions import SizeClass
from contacts.selectors import PAGE_SIZE, OrganisationPage, decode_cursor, encode_cursor


def organisations_filtered(filters):
    district = filters.district
    queryset = selectors.organisations_filtered(selectors.OrganisationFilters(**{**filters.__dict__, "district": ""}))
    if district:
        queryset = queryset.filter(district_id=Subquery(District.objects.filter(slug=district).values("id")[:1]))
    return queryset


def organisation_page(filters, cursor: str = "", page_size: int = PAGE_SIZE) -> OrganisationPage:
    queryset = organisations_filtered(filters).select_related("district").order_by("name", "id")
    position = decode_cursor(cursor) if cursor else None
    if position:
        name, pk = position
        queryset = queryset.filter(Q(name__gte=name), Q(name__gt=name) | Q(name=name, id__gt=pk))
    rows = list(
        queryset.only(
            "id", "name", "legal_form", "postcode", "city", "wz_code", "size_class", "member_number",
            "energy_intensive", "district__name",
        )[: page_size + 1]
    )  # fmt: skip
    labels = {value: str(label) for value, label in SizeClass.choices}
    for row in rows:
        row.size_label = labels.get(row.size_class, "")
    next_cursor = encode_cursor(rows[page_size - 1].name, rows[page_size - 1].pk) if len(rows) > page_size else None
    return OrganisationPage(rows=rows[:page_size], next_cursor=next_cursor, is_first=position is None)
