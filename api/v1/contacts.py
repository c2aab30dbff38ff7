"""Organisations and people: staff see all; a company editor's token only their own company."""

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Router, Schema

from api.auth import ApiError, actor, scoped
from api.v1.common import ERRORS, Cursor, Id, Limit, get_or_404, keyset_page
from contacts.models import Organisation
from contacts.selectors import OrganisationFilters, decode_cursor, organisation_page, people_filtered

router = Router(tags=["Organisationen und Personen"])


class OrganisationOut(Schema):
    id: int
    name: str
    legal_form: str
    postcode: str
    city: str
    wz_code: str
    size_class: str
    member_number: str
    energy_intensive: bool
    district: str | None = None

    @staticmethod
    def resolve_district(obj):
        return obj.district.name if obj.district_id else None


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next_cursor: str | None


class PersonOut(Schema):
    id: int
    salutation: str
    title: str
    first_name: str
    last_name: str
    email: str


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


def _organisations(request):
    who = actor(request)
    who.require("contacts")
    queryset = Organisation.objects.select_related("district")
    if not who.is_staff:
        queryset = queryset.filter(pk__in=who.organisation_ids)
    return who, queryset


@router.get(
    "/organisations", response={200: OrganisationPage, **ERRORS}, auth=scoped("contacts"), summary="Organisationen"
)
def organisation_list(
    request, q: str = "", district: str = "", member: str = "", cursor: Cursor = "", limit: Limit = 50
):
    """Sortiert nach Name; dieselben Filter wie die Liste der Geschäftsstelle (`q`, `district` = Kreis-Kürzel,
    `member` = `yes`/`no`)."""
    who, queryset = _organisations(request)
    if cursor and decode_cursor(cursor) is None:
        raise ApiError(400, "cursor_invalid", _("Der Cursor ist ungültig; nehmen Sie `next_cursor` einer Antwort."))
    filters = OrganisationFilters(q=q[:200], district=district[:100], member=member if member in ("yes", "no") else "")
    if who.is_staff:
        page = organisation_page(filters, cursor=cursor, page_size=limit)  # the staff list's own query
        return {"items": page.rows, "next_cursor": page.next_cursor}
    # a company editor: their own few organisations, on one page
    queryset = queryset.order_by("name", "id")
    if q.strip():
        queryset = queryset.filter(name__icontains=q.strip()[:200])
    return {"items": list(queryset[:limit]), "next_cursor": None}


@router.get(
    "/organisations/{id}",
    response={200: OrganisationOut, **ERRORS},
    auth=scoped("contacts"),
    summary="Eine Organisation",
)
def organisation_get(request, id: Id):
    _who, queryset = _organisations(request)
    return get_or_404(queryset, id)


def _people(request):
    who = actor(request)
    who.require("contacts")
    queryset = people_filtered()
    if not who.is_staff:
        queryset = queryset.filter(roles__organisation__in=who.organisation_ids).distinct()
    return queryset.order_by("id")


@router.get("/people", response={200: PersonPage, **ERRORS}, auth=scoped("contacts"), summary="Personen")
def person_list(request, q: str = "", cursor: Cursor = "", limit: Limit = 50):
    queryset = _people(request)
    q = q.strip()[:200]
    if q:
        queryset = queryset.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q))
    return keyset_page(queryset, cursor, limit)


@router.get("/people/{id}", response={200: PersonOut, **ERRORS}, auth=scoped("contacts"), summary="Eine Person")
def person_get(request, id: Id):
    return get_or_404(_people(request), id)
