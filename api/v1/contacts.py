"""Organisations and people: staff see all; a company editor's token only their own company."""

from typing import Annotated

from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus

from api.auth import ApiError, actor, scoped
from api.v1.common import ERRORS, BodyId, Cursor, Error, Id, Input, Limit, check_if_match, get_or_404, keyset_page
from contacts import services as contact_services
from contacts.forms import OrganisationForm
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


# --- writes: the staff form's validation and the contacts service ----------------------------------

Str = Annotated[str, Field(max_length=300)]


class OrganisationIn(Input):
    name: Annotated[str, Field(max_length=200)]
    legal_form: Str = ""
    street: Str = ""
    postcode: Str = ""
    city: Str = ""
    district: BodyId | None = Field(None, description="Kreis-ID")
    wz_code: Str = ""
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    size_class: Str = ""
    member_number: Str = ""
    energy_intensive: bool = False
    website: Str = ""
    email: Str = ""
    phone: Str = ""
    notes: Annotated[str, Field(max_length=10_000)] = ""
    tags: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)] = []


class OrganisationPatch(OrganisationIn):
    name: Annotated[str, Field(max_length=200)] = ""


def _save(organisation: Organisation, data: dict) -> Organisation:
    """The staff page's form decides what is valid (same messages); the service saves."""
    if "tags" in data:
        data["tag_names"] = ", ".join(data.pop("tags"))
    data = {key: ("" if value is None else value) for key, value in data.items()}
    form = OrganisationForm(data, instance=organisation)
    if not form.is_valid():
        errors = [
            {"field": "tags" if field == "tag_names" else field, "message": str(message)}
            for field, messages in form.errors.items()
            for message in messages
        ]
        raise ApiError(422, "invalid", _("Die Eingabe ist ungültig; nichts wurde geändert."), errors=errors)
    return contact_services.organisation_save(organisation=form.instance, tag_names=form.cleaned_data["tag_names"])


def _staff_only(request):
    if not actor(request).is_staff:
        # as on the pages: company editors change their company through the portal, not the contacts record
        raise ApiError(403, "not_allowed", _("Organisationen ändert nur die Geschäftsstelle."))


@router.post("/organisations", response={201: OrganisationOut, **ERRORS}, auth=scoped("contacts", write=True),
             summary="Organisation anlegen")  # fmt: skip
def organisation_create(request, data: OrganisationIn):
    """Mit den Regeln des Formulars der Geschäftsstelle (PLZ, WZ-Code, Mitgliedsnummer eindeutig …)."""
    _staff_only(request)
    organisation = _save(Organisation(), data.model_dump())
    return HttpStatus(201, Organisation.objects.select_related("district").get(pk=organisation.pk))


@router.patch("/organisations/{id}", response={200: OrganisationOut, **ERRORS, 412: Error}, auth=scoped("contacts", write=True),
              summary="Organisation ändern")  # fmt: skip
def organisation_update(request, id: Id, data: OrganisationPatch):
    """Nur die angegebenen Felder ändern sich; `tags` ersetzt die Schlagwörter. Mit `If-Match: <ETag>` nur,
    wenn niemand die Organisation seit dem Lesen geändert hat (sonst 412)."""
    _staff_only(request)
    organisation = get_or_404(Organisation.objects.select_related("district"), id)
    check_if_match(request, OrganisationOut, organisation)
    current = model_to_dict(organisation, fields=OrganisationForm._meta.fields)
    current["tag_names"] = ", ".join(tag.name for tag in organisation.tags.all())
    changed = data.model_dump(exclude_unset=True)
    if "tags" in changed:
        current.pop("tag_names")
    organisation = _save(organisation, {**current, **changed})
    return Organisation.objects.select_related("district").get(pk=organisation.pk)
