"""Events and registrations; a registration is created by the events module's own service."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from ninja import Status as HttpStatus

from api.auth import public_actor, scoped
from api.v1.common import ERRORS, PUBLIC_ERRORS, BodyId, Cursor, Id, Input, Limit, get_or_404, keyset_page
from events import selectors as event_selectors
from events import services as event_services

router = Router(tags=["Veranstaltungen und Anmeldungen"])


class AudienceOut(Schema):
    id: int
    name: str
    role: str
    quota: int | None
    partners_only: bool


class EventOut(Schema):
    id: int
    title: str
    slug: str
    kind: str
    status: str
    mode: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue_name: str
    venue_city: str
    capacity: int | None
    registration_deadline: datetime.datetime | None
    topic: str | None = None
    audiences: list[AudienceOut]

    @staticmethod
    def resolve_topic(obj):
        return obj.topic.name if obj.topic_id else None

    @staticmethod
    def resolve_audiences(obj):
        return list(obj.audiences.all())


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


class RegistrationOut(Schema):
    id: int
    event_id: int
    audience_id: int
    status: str
    email: str
    first_name: str
    last_name: str
    organisation_name: str
    organisation_id: int | None
    language: str
    sectors: list[str]
    occupation_fields: list[str]
    created_at: datetime.datetime
    checked_in_at: datetime.datetime | None


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    next_cursor: str | None


Text = Annotated[str, Field(max_length=300)]


class RegistrationIn(Input):
    audience_id: BodyId
    email: Annotated[str, Field(max_length=254)]
    first_name: Text
    last_name: Text
    organisation_name: Text = ""
    partner_code: Text = ""
    answers: dict[BodyId, Annotated[str, Field(max_length=5000)]] = Field(
        default_factory=dict, description="Frage-ID → Antwort"
    )
    sectors: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=50)] = []
    occupation_fields: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=50)] = []
    language: Literal["de", "en"] = "de"
    join_waiting_list: bool = True


Status = Literal["", "draft", "published", "closed", "cancelled", "held"]


@router.get("/events", response={200: EventPage, **PUBLIC_ERRORS}, auth=None, summary="Veranstaltungen")
def event_list(request, status: Status = "", kind: Annotated[str, Field(max_length=30)] = "", cursor: Cursor = "",
               limit: Limit = 50):  # fmt: skip
    """Öffentlich: veröffentlichte Veranstaltungen. Mit `events:read` auch Entwürfe."""
    who = public_actor(request)
    if "events:read" in who.scopes:
        queryset = event_selectors.api_events(status=status, kind=kind)
    else:
        queryset = event_selectors.api_public_events()
        queryset = queryset.filter(status=status) if status else queryset
        queryset = queryset.filter(kind=kind) if kind else queryset
    return keyset_page(queryset, cursor, limit)


@router.get("/events/{id}", response={200: EventOut, **PUBLIC_ERRORS}, auth=None, summary="Eine Veranstaltung")
def event_get(request, id: Id):
    who = public_actor(request)
    queryset = event_selectors.api_events() if "events:read" in who.scopes else event_selectors.api_public_events()
    return get_or_404(queryset, id)


@router.get("/registrations", response={200: RegistrationPage, **ERRORS}, auth=scoped("events"), summary="Anmeldungen")
def registration_list(request, event: Annotated[int | None, Field(ge=1, le=2_147_483_647)] = None,
                      status: Annotated[str, Field(max_length=20)] = "", cursor: Cursor = "", limit: Limit = 50):  # fmt: skip
    return keyset_page(event_selectors.api_registrations(event_id=event, status=status), cursor, limit)


@router.get(
    "/registrations/{id}", response={200: RegistrationOut, **ERRORS}, auth=scoped("events"), summary="Eine Anmeldung"
)
def registration_get(request, id: Id):
    return get_or_404(event_selectors.api_registrations(), id)


@router.post(
    "/events/{id}/registrations",
    response={201: RegistrationOut, **ERRORS},
    auth=scoped("events", write=True),
    summary="Anmelden",
)
def registration_create(request, id: Id, data: RegistrationIn):
    """Meldet eine Person an – mit denselben Regeln wie das Anmeldeformular (Kontingente, Warteliste,
    Freigabe, Partnercodes, Pflichtfragen). Abgelehnt: 422 mit dem Code des Dienstes, z. B.
    `registration_refused`."""
    event = get_or_404(event_selectors.api_events(), id)
    registration = event_services.registration_create(
        event=event,
        data=event_services.RegistrationInput(**data.model_dump()),
    )
    return HttpStatus(201, registration)


@router.post("/registrations/{id}/cancel", response={200: RegistrationOut, **ERRORS}, auth=scoped("events", write=True),
             summary="Anmeldung stornieren")  # fmt: skip
def registration_cancel(request, id: Id):
    """Wie der Storno-Link der Bestätigungsmail: ein frei gewordener Platz geht an die Warteliste; nach Beginn
    abgelehnt (422)."""
    registration = get_or_404(event_selectors.api_registrations(), id)
    return event_services.registration_cancel(registration=registration)
