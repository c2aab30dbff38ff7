"""Consultation days and bookings, newsletter lists and subscriptions, networks (staff scopes);
the competition's published results (public); the figures registry (``figures:read``)."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from advisory import selectors as advisory_selectors
from advisory import services as advisory_services
from api.auth import ApiError, public_actor, scoped
from api.v1.common import (
    ERRORS,
    MAX_ID,
    PUBLIC_ERRORS,
    BodyId,
    Cursor,
    Id,
    Input,
    Limit,
    get_or_404,
    keyset_page,
)
from competition import selectors as competition_selectors
from core import figures as registry
from networks import selectors as network_selectors
from newsletter import selectors as newsletter_selectors

router = Router()

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Short = Annotated[str, Query(max_length=20)]


# --- consultation days and bookings --------------------------------------------------------------


class DayOut(Schema):
    id: int
    series_id: int
    series: str
    starts_at: datetime.datetime
    place: str
    format: str
    slot_minutes: int
    slot_count: int
    status: str

    @staticmethod
    def resolve_series(obj):
        return obj.series.name


class DayPage(Schema):
    items: list[DayOut]
    next_cursor: str | None


class BookingOut(Schema):
    id: int
    day_id: int
    slot_id: int
    starts_at: datetime.datetime | None = None
    name: str
    email: str
    company_name: str
    organisation_id: int | None
    status: str
    attendance: str

    @staticmethod
    def resolve_starts_at(obj):
        return getattr(obj.slot, "starts_at", None)


class BookingPage(Schema):
    items: list[BookingOut]
    next_cursor: str | None


DAYS = ["Sprechtage und Buchungen"]


@router.get("/days", response={200: DayPage, **ERRORS}, auth=scoped("advisory"), tags=DAYS, summary="Sprechtage")
def day_list(request, series: OptionalId = None, status: Short = "", cursor: Cursor = "", limit: Limit = 50):
    return keyset_page(advisory_selectors.api_days(series_id=series, status=status), cursor, limit)


@router.get("/days/{id}", response={200: DayOut, **ERRORS}, auth=scoped("advisory"), tags=DAYS, summary="Ein Sprechtag")
def day_get(request, id: Id):
    return get_or_404(advisory_selectors.api_days(), id)


@router.get("/bookings", response={200: BookingPage, **ERRORS}, auth=scoped("advisory"), tags=DAYS, summary="Buchungen")
def booking_list(request, day: OptionalId = None, status: Short = "", cursor: Cursor = "", limit: Limit = 50):
    """Ohne das vertrauliche Anliegen: das steht nur auf den Seiten der Geschäftsstelle."""
    return keyset_page(advisory_selectors.api_bookings(day_id=day, status=status), cursor, limit)


@router.get(
    "/bookings/{id}", response={200: BookingOut, **ERRORS}, auth=scoped("advisory"), tags=DAYS, summary="Eine Buchung"
)
def booking_get(request, id: Id):
    return get_or_404(advisory_selectors.api_bookings(), id)


class BookingIn(Input):
    slot_id: BodyId | None = Field(None, description="ohne: der erste freie Termin")
    name: Annotated[str, Field(max_length=150)]
    email: Annotated[str, Field(max_length=254)]
    company_name: Annotated[str, Field(max_length=200)] = ""
    description: Annotated[str, Field(max_length=5000)] = ""
    consent: bool = Field(description="Einwilligung der Person in die Verarbeitung ihres Anliegens")
    language: Literal["de", "en"] = "de"


@router.post("/days/{id}/bookings", response={201: BookingOut, **ERRORS}, auth=scoped("advisory", write=True),
             tags=DAYS, summary="Einen Termin buchen")  # fmt: skip
def booking_create(request, id: Id, data: BookingIn):
    """Bucht mit denselben Regeln wie das Buchungsformular (freie Termine, Grenzen je Person, Einwilligung);
    abgelehnt: 422 mit dem Code des Dienstes."""
    day = get_or_404(advisory_selectors.api_days(), id)
    booking = advisory_services.booking_create(day_id=day.pk, **data.model_dump())
    return HttpStatus(201, get_or_404(advisory_selectors.api_bookings(), booking.pk))


# --- newsletter ----------------------------------------------------------------------------------


class ListOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    is_public: bool
    active: int = Field(description="aktive Abonnements")


class ListPage(Schema):
    items: list[ListOut]
    next_cursor: str | None


class SubscriptionOut(Schema):
    id: int
    list_id: int = Field(alias="newsletter_list_id")
    email: str
    name: str
    language: str
    status: str
    created_at: datetime.datetime


class SubscriptionPage(Schema):
    items: list[SubscriptionOut]
    next_cursor: str | None


NEWS = ["Newsletter"]


@router.get(
    "/newsletter/lists", response={200: ListPage, **ERRORS}, auth=scoped("newsletter"), tags=NEWS, summary="Verteiler"
)
def list_list(request, cursor: Cursor = "", limit: Limit = 50):
    return keyset_page(newsletter_selectors.api_lists(), cursor, limit)


@router.get("/newsletter/subscriptions", response={200: SubscriptionPage, **ERRORS}, auth=scoped("newsletter"), tags=NEWS,
            summary="Abonnements")  # fmt: skip
def subscription_list(request, list: OptionalId = None, status: Short = "", cursor: Cursor = "", limit: Limit = 50):  # noqa: A002
    return keyset_page(newsletter_selectors.api_subscriptions(list_id=list, status=status), cursor, limit)


@router.get("/newsletter/subscriptions/{id}", response={200: SubscriptionOut, **ERRORS}, auth=scoped("newsletter"),
            tags=NEWS, summary="Ein Abonnement")  # fmt: skip
def subscription_get(request, id: Id):
    return get_or_404(newsletter_selectors.api_subscriptions(), id)


# --- networks ------------------------------------------------------------------------------------


class NetworkOut(Schema):
    id: int
    name: str
    slug: str
    region: str
    topic: str
    state: str
    state_since: datetime.date


class NetworkPage(Schema):
    items: list[NetworkOut]
    next_cursor: str | None


NETS = ["Netzwerke"]


@router.get("/networks", response={200: NetworkPage, **ERRORS}, auth=scoped("networks"), tags=NETS, summary="Netzwerke")
def network_list(request, state: Short = "", cursor: Cursor = "", limit: Limit = 50):
    return keyset_page(network_selectors.api_networks(state=state), cursor, limit)


@router.get(
    "/networks/{id}", response={200: NetworkOut, **ERRORS}, auth=scoped("networks"), tags=NETS, summary="Ein Netzwerk"
)
def network_get(request, id: Id):
    return get_or_404(network_selectors.api_networks(), id)


# --- competition (public once published) ---------------------------------------------------------


class EditionOut(Schema):
    number: int
    year: int
    contest_date: datetime.date
    venue: str


class PlacedProject(Schema):
    number: str
    title: str
    subject_area: str
    division: str
    place: int | None
    forwarded: bool
    school: str
    city: str


class PrizeOut(Schema):
    name: str
    sponsor: str
    project_number: str
    project_title: str


class ResultsOut(Schema):
    edition: EditionOut
    projects: list[PlacedProject]
    prizes: list[PrizeOut]


COMP = ["Wettbewerb (öffentlich)"]


@router.get("/competition/editions", response={200: list[EditionOut], **PUBLIC_ERRORS}, auth=None, tags=COMP,
            summary="Runden mit veröffentlichten Ergebnissen")  # fmt: skip
def edition_list(request):
    public_actor(request)
    return list(competition_selectors.published_editions()[:100])


@router.get("/competition/editions/{year}/results", response={200: ResultsOut, **PUBLIC_ERRORS}, auth=None,
            tags=COMP, summary="Ergebnisse einer Runde")  # fmt: skip
def edition_results(request, year: Annotated[int, Field(ge=1900, le=2200)]):
    """Platzierungen und Sonderpreise nach Projekt und Schule – ohne Namen, erst nach der Veröffentlichung."""
    public_actor(request)
    edition = competition_selectors.published_editions().filter(year=year).first()
    if edition is None:
        raise ApiError(404, "not_found", _("Für dieses Jahr sind keine Ergebnisse veröffentlicht."))
    results = competition_selectors.public_results(edition)
    projects = [
        {"number": p.number, "title": p.title, "subject_area": p.subject_area, "division": p.division,
         "place": p.place, "forwarded": p.forwarded, "school": p.school.name, "city": p.school.city}
        for group in results["groups"].values() for p in group
    ]  # fmt: skip
    prizes = [
        {"name": prize.name, "sponsor": prize.sponsor, "project_number": prize.project.number,
         "project_title": prize.project.title}
        for prize in results["prizes"]
    ]  # fmt: skip
    return {"edition": edition, "projects": projects, "prizes": prizes}


# --- figures -------------------------------------------------------------------------------------


class FigureOut(Schema):
    key: str
    label: str
    group: str
    unit: str
    decimals: int
    kind: str
    year: int
    value: float | None


Year = Annotated[int, Query(ge=2000, le=2100, description="Berichtsjahr")]
FIGS = ["Kennzahlen"]


def _figure(figure, year: int, value) -> dict:
    if isinstance(value, Decimal):
        value = float(value)
    return {"key": figure.key, "label": str(figure.label), "group": figure.group, "unit": figure.unit,
            "decimals": figure.decimals, "kind": figure.kind, "year": year, "value": value}  # fmt: skip


@router.get("/figures", response={200: list[FigureOut], **ERRORS}, auth=scoped("figures"), tags=FIGS,
            summary="Kennzahlen eines Jahres")  # fmt: skip
def figure_list(request, year: Year, prefix: Annotated[str, Query(max_length=60)] = ""):
    """Alle Kennzahlen des Registers für ein Jahr, z. B. `prefix=events.` für ein Modul."""
    figures = [figure for figure in registry.all_figures() if figure.key.startswith(prefix)]
    with registry.one_computation():
        return [_figure(figure, year, figure.compute(year)) for figure in figures]


@router.get("/figures/{key}", response={200: FigureOut, **ERRORS}, auth=scoped("figures"), tags=FIGS,
            summary="Eine Kennzahl")  # fmt: skip
def figure_get(request, key: Annotated[str, Field(max_length=100)], year: Year):
    figure = registry.get_figure(key)
    if figure is None:
        raise ApiError(404, "not_found", _("Diese Kennzahl gibt es nicht."))
    return _figure(figure, year, figure.compute(year))
