"""The portal's companies and offers: public reads, the portal's own publication rules."""

import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from api.auth import actor, public_actor, scoped
from api.v1.common import ERRORS, PUBLIC_ERRORS, Cursor, Id, Limit, get_or_404, keyset_page
from portal import selectors as portal_selectors

router = Router(tags=["Ausbildungsportal (öffentlich)"])

Filter = Annotated[str, Field(max_length=100)]


class CompanyOut(Schema):
    id: int
    slug: str
    name: str
    short_description: str
    sector: str
    employees: int | None
    founded_year: int | None
    website: str


class CompanyPage(Schema):
    items: list[CompanyOut]
    next_cursor: str | None


class OfferOut(Schema):
    id: int
    slug: str
    company_id: int = Field(alias="profile_id")
    kind: str
    occupation: str
    title: str
    start_date: datetime.date
    places: int
    apply_email: str
    apply_url: str

    @staticmethod
    def resolve_occupation(obj):
        return obj.occupation.name


class OfferPage(Schema):
    items: list[OfferOut]
    next_cursor: str | None


@router.get("/portal/companies", response={200: CompanyPage, **PUBLIC_ERRORS}, auth=None, summary="Unternehmen")
def company_list(request, q: Filter = "", sector: Filter = "", occupation: Filter = "", cursor: Cursor = "",
                 limit: Limit = 50):  # fmt: skip
    """Veröffentlichte Unternehmensprofile; Filter wie die Unternehmenssuche (`occupation` = Berufs-Kürzel)."""
    public_actor(request)
    filters = portal_selectors.CompanyFilters(q=q, sector=sector, occupation=occupation)
    return keyset_page(portal_selectors.companies_filtered(filters).order_by("id"), cursor, limit)


@router.get("/portal/companies/{id}", response={200: CompanyOut, **PUBLIC_ERRORS}, auth=None, summary="Ein Unternehmen")
def company_get(request, id: Id):
    public_actor(request)
    return get_or_404(portal_selectors.companies_filtered(portal_selectors.CompanyFilters()), id)


def _offers(**filters):
    queryset = portal_selectors.offers_filtered(portal_selectors.OfferFilters(**filters))
    return queryset.filter(profile__is_published=True).select_related("occupation").order_by("id")


@router.get("/portal/offers", response={200: OfferPage, **PUBLIC_ERRORS}, auth=None, summary="Angebote")
def offer_list(request, q: Filter = "", occupation: Filter = "", district: Filter = "", kind: Filter = "",
               cursor: Cursor = "", limit: Limit = 50):  # fmt: skip
    """Aktive Angebote veröffentlichter Unternehmen, deren Beginn nicht vorbei ist."""
    public_actor(request)
    return keyset_page(_offers(q=q, occupation=occupation, district=district, kind=kind), cursor, limit)


@router.get("/portal/offers/{id}", response={200: OfferOut, **PUBLIC_ERRORS}, auth=None, summary="Ein Angebot")
def offer_get(request, id: Id):
    public_actor(request)
    return get_or_404(_offers(), id)


# --- the profiles behind the companies: staff all, a company editor only their own ---------------


class ProfileOut(CompanyOut):
    organisation_id: int
    is_published: bool
    review_required: bool
    touched_at: datetime.datetime


class ProfilePage(Schema):
    items: list[ProfileOut]
    next_cursor: str | None


def _profiles(request):
    who = actor(request)
    return portal_selectors.api_profiles(organisation_ids=None if who.is_staff else who.organisation_ids)


@router.get("/portal/profiles", response={200: ProfilePage, **ERRORS}, auth=scoped("portal"),
            summary="Unternehmensprofile (auch unveröffentlicht)")  # fmt: skip
def profile_list(request, cursor: Cursor = "", limit: Limit = 50):
    """Die Geschäftsstelle sieht alle Profile, eine Firmenredaktion nur die ihres Unternehmens."""
    return keyset_page(_profiles(request), cursor, limit)


@router.get("/portal/profiles/{id}", response={200: ProfileOut, **ERRORS}, auth=scoped("portal"),
            summary="Ein Unternehmensprofil")  # fmt: skip
def profile_get(request, id: Id):
    """Das Profil eines anderen Unternehmens: 404, wie auf den Seiten."""
    return get_or_404(_profiles(request), id)
