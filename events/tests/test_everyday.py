"""Everyday use of events (issue 19): the personal-area section, the registration page's calendar
file, the home and start page blocks, cancelled events, the staff pages' wording and the event form."""

import datetime

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.personal import personal_sections_for
from core.startpage import home_blocks_for, start_blocks_for
from events import selectors, services
from events.models import Event, Registration
from events.services import RegistrationInput
from events.tests.factories import (
    AudienceFactory,
    EventFactory,
    RegistrationFactory,
    event_with_audience,
    meet_the_boss,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(event, audience, email="pia@example.org"):
    data = RegistrationInput(audience_id=audience.pk, email=email, first_name="Pia", last_name="Pupil")
    return services.registration_create(event=event, data=data)


def _section(email: str):
    return next(items for section, items in personal_sections_for(email) if section.key == "events")


def _actions(item) -> dict:
    return {action.label: action for action in item.actions}


# --- the personal area -----------------------------------------------------------------------------


def test_a_registration_shows_in_the_personal_area_with_cancel_and_calendar():
    event, audience = event_with_audience(title="Social Day")
    registration = register(event, audience)
    (item,) = _section("Pia@Example.org")
    assert (item.title, item.status, item.when) == ("Social Day", "bestätigt", event.starts_at)
    assert item.url == registration.get_manage_url()
    actions = _actions(item)
    assert actions["Kalenderdatei (.ics)"].download
    assert actions["Kalenderdatei (.ics)"].url == reverse("events:registration_ics", args=[registration.token])
    assert actions["Anmeldung stornieren"].method == "post"


def test_a_waiting_registration_shows_its_place_on_the_list_and_no_calendar_file():
    event, audience = event_with_audience(quota=1)
    register(event, audience, email="first@example.org")
    register(event, audience, email="second@example.org")
    register(event, audience)
    (item,) = _section("pia@example.org")
    assert item.status == "Warteliste, Platz 2"
    assert set(_actions(item)) == {"Anmeldung stornieren"}


def test_cancelling_from_the_personal_area_frees_the_seat(client):
    event, audience = event_with_audience(quota=1)
    register(event, audience)
    waiting = register(event, audience, email="next@example.org")
    client.post(_actions(_section("pia@example.org")[0])["Anmeldung stornieren"].url)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    (item,) = _section("pia@example.org")
    assert item.status == "storniert" and "Anmeldung stornieren" not in _actions(item)
    (offer,) = _section("next@example.org")
    assert "Platz annehmen" in _actions(offer)


def test_the_personal_area_offers_no_cancel_after_the_event_and_the_link_refuses_it(client):
    event, audience = event_with_audience()
    registration = register(event, audience)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    (item,) = _section("pia@example.org")
    assert "Anmeldung stornieren" not in _actions(item)
    response = client.post(reverse("events:registration_cancel", args=[registration.token]), follow=True)
    assert "kann nicht mehr storniert werden" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_old_registrations_and_other_peoples_do_not_show():
    event, audience = event_with_audience()
    register(event, audience, email="other@example.org")
    long_ago = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=90),
                            ends_at=timezone.now() - datetime.timedelta(days=89))  # fmt: skip
    RegistrationFactory(audience__event=long_ago, email="pia@example.org")
    assert _section("pia@example.org") == []


def test_the_personal_section_reads_in_one_query(django_assert_num_queries):
    for n in range(4):
        event, audience = event_with_audience(quota=1)
        if n % 2:
            register(event, audience, email=f"x{n}@example.org")
        register(event, audience)
    from events.personal import registrations

    with django_assert_num_queries(1):
        items = registrations("pia@example.org")
    assert [item.status for item in items].count("Warteliste, Platz 1") == 2


# --- the registration page's calendar file ---------------------------------------------------------


def test_the_registration_page_offers_the_calendar_file_and_after_cancelling_its_removal(client):
    event, audience = event_with_audience(online_url="https://meet.example/raum-1", mode="hybrid")
    registration = register(event, audience)
    page = client.get(registration.get_manage_url()).content.decode()
    url = reverse("events:registration_ics", args=[registration.token])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar") and "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "PUBLISH" and "meet.example/raum-1" in str(vevent["description"])

    client.post(reverse("events:registration_cancel", args=[registration.token]))
    assert "Termin aus Ihrem Kalender entfernen" in client.get(registration.get_manage_url()).content.decode()
    removal = icalendar.Calendar.from_ical(client.get(url).content)
    assert str(removal["method"]) == "CANCEL"
    assert str(removal.walk("VEVENT")[0]["uid"]) == str(vevent["uid"])


def test_someone_on_the_waiting_list_gets_no_calendar_file(client):
    event, audience = event_with_audience(quota=1)
    register(event, audience, email="first@example.org")
    waiting = register(event, audience)
    assert (
        reverse("events:registration_ics", args=[waiting.token])
        not in client.get(waiting.get_manage_url()).content.decode()
    )
    assert client.get(reverse("events:registration_ics", args=[waiting.token])).status_code == 404


def test_a_cancelled_event_page_hides_free_places_and_the_calendar_download(client, staff):
    event, audience = event_with_audience(quota=10)
    services.event_cancel(event=event, user=staff)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Diese Veranstaltung ist abgesagt." in page
    assert reverse("events:event_ics", args=[event.slug]) not in page
    assert "Plätze frei" not in page


# --- the public home page and the staff start page ---------------------------------------------------


def _home() -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return "".join(home_blocks_for(request))


def _start(user) -> str:
    request = RequestFactory().get("/start/")
    request.user = user
    return "".join(start_blocks_for(request))


def test_the_home_page_shows_the_next_events_with_free_places_or_fully_booked(staff):
    open_event, audience = event_with_audience(title="Kongress", quota=10)
    register(open_event, audience)
    full, full_audience = event_with_audience(title="Webinar KI", quota=1)
    register(full, full_audience)
    cancelled, _audience = event_with_audience(title="Social Day")
    services.event_cancel(event=cancelled, user=staff)
    EventFactory(title="Entwurf", status=Event.Status.DRAFT)
    html = _home()
    assert "Kongress" in html and "noch 9 Plätze frei" in html
    assert "Webinar KI" in html and "ausgebucht – Warteliste" in html
    assert "Social Day" not in html and "Entwurf" not in html


def test_the_home_page_adds_up_the_free_places_of_two_audiences_with_the_same_quota():
    event, pupils = event_with_audience(title="Ausbildungsmesse", quota=3)
    parents = AudienceFactory(event=event, name="Eltern", quota=3)
    register(event, pupils)
    register(event, parents, email="paul@example.org")
    assert "noch 4 Plätze frei" in _home()


def test_the_events_home_block_reads_in_two_queries(django_assert_num_queries):
    for n in range(4):
        event, audience = event_with_audience(quota=5 + n, capacity=6)
        register(event, audience)
    with django_assert_num_queries(2):
        events = selectors.home_events(limit=5)
    assert [event.free_places for event in events] == [4, 5, 5, 5]  # quotas 5–8, capped by the capacity


def test_staff_see_todays_events_with_registered_waiting_and_checked_in(staff, expert):
    start = timezone.now() - datetime.timedelta(minutes=1)
    event, audience = event_with_audience(title="Netzwerktreffen heute", quota=2, starts_at=start,
                                          ends_at=start + datetime.timedelta(minutes=2))  # fmt: skip
    first = RegistrationFactory(audience=audience)
    RegistrationFactory(audience=audience)
    RegistrationFactory(audience=audience, status=S.WAITING)
    services.registration_check_in(registration=first)
    html = _start(staff)
    assert "Veranstaltungen heute" in html and "Netzwerktreffen heute" in html
    assert "2 angemeldet" in html and "1 wartet" in html and "1 eingelassen" in html
    assert reverse("events:staff_checkin", args=[event.pk]) in html
    assert "Veranstaltungen heute" not in _start(expert)


def test_todays_events_reads_in_one_query(django_assert_num_queries):
    for _ in range(3):
        event, audience = event_with_audience(starts_at=timezone.now(), ends_at=timezone.now())
        RegistrationFactory(audience=audience)
    with django_assert_num_queries(1):
        selectors.today_events(timezone.localdate())


# --- staff pages: labels, the event form ---------------------------------------------------------------


def test_the_staff_event_page_speaks_of_calendar_updates_not_sequence_or_schema_org(login, staff):
    event, audience = event_with_audience()
    register(event, audience)
    event.starts_at += datetime.timedelta(days=1)
    event.ends_at += datetime.timedelta(days=1)
    services.event_save(event=event, user=staff)
    page = login(staff).get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert "Kalender-Aktualisierungen" in page and "1 Änderung an alle mit Kalendereintrag verschickt" in page
    assert "auf einen neuen Termin verschoben" in page
    assert "SEQUENCE" not in page and "schema.org" not in page


def test_the_event_form_marks_the_meet_the_boss_settings_as_only_for_meet_the_boss(login, staff):
    event, _bosses, _students = meet_the_boss()
    page = login(staff).get(reverse("events:staff_edit", args=[event.pk])).content.decode()
    assert 'data-kind-only="meet_the_boss"' in page
    assert "Meet-the-Boss – nur für Meet-the-Boss-Veranstaltungen" in page
    assert "event_form.js" in page and "<script>" not in page
    new = login(staff).get(reverse("events:staff_create")).content.decode()
    assert "Nachricht an die Angemeldeten" not in new  # nobody to tell yet


def test_a_single_invitation_is_counted_in_the_singular(login, staff):
    event, _audience = event_with_audience()
    response = login(staff).post(
        reverse("events:staff_invite", args=[event.pk]), {"emails": "gast@example.org"}, follow=True
    )
    assert "1 Einladung wird verschickt." in response.content.decode()
