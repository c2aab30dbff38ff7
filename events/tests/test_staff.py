"""Staff pages done the one way (issue 13): writes through services, the organisation picker,
invitations on record, parameters parsed by core.params, token pages kept out of caches."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.picker import organisation_label
from core.models import OutgoingMail
from events import services
from events.models import Audience, Event, EventInvitation, Question, Registration
from events.tests.factories import RegistrationFactory, event_with_audience, meet_the_boss
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _event_form(event: Event, **changes) -> dict:
    local = timezone.localtime(event.starts_at)
    data = {
        "title": event.title, "kind": event.kind, "status": event.status, "mode": event.mode,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": event.venue_name, "venue_street": event.venue_street, "venue_postcode": event.venue_postcode,
        "venue_city": event.venue_city, "offer_hours": 48, "rounds": 4, "seats_per_table": 1, "min_meetings": 3,
    }  # fmt: skip
    data.update(changes)
    return data


# --- invitations ---------------------------------------------------------------------------


def test_nobody_is_invited_twice_and_staff_see_who_was_invited(login, staff):
    event, audience = event_with_audience()
    RegistrationFactory(audience=audience, email="dabei@example.org")
    emails = ["neu@example.org", "NEU@example.org", "dabei@example.org", "kaputt", "zwei@example.org"]
    assert services.event_invite_people(event=event, emails=emails, invited_by=staff, message="Kommen Sie!") == 2
    assert services.event_invite_people(event=event, emails=emails) == 0
    invitations = EventInvitation.objects.filter(event=event).order_by("email")
    assert [i.email for i in invitations] == ["neu@example.org", "zwei@example.org"]
    assert all(i.invited_by == staff and i.message == "Kommen Sie!" and i.mail for i in invitations)
    assert OutgoingMail.objects.filter(template="event_invitation").count() == 2
    # the mail log no longer decides: a cleared log does not invite anyone again
    OutgoingMail.objects.all().delete()
    assert services.event_invite_people(event=event, emails=emails) == 0
    RegistrationFactory(audience=audience, email="zwei@example.org")
    page = login(staff).get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert "2 Personen eingeladen" in page and "neu@example.org" in page and "Tara Team" in page


def test_invitation_to_another_event_is_separate():
    first, _ = event_with_audience()
    second, _ = event_with_audience()
    assert services.event_invite_people(event=first, emails=["a@example.org"]) == 1
    assert services.event_invite_people(event=second, emails=["a@example.org"]) == 1


# --- audiences and questions through services -------------------------------------------------


def test_staff_add_audience_and_question(login, staff):
    event, _audience = event_with_audience()
    client = login(staff)
    response = client.post(
        reverse("events:staff_audience_add", args=[event.pk]),
        {"name": "Studierende", "role": "student", "quota": "12", "partners_only": "on"},
    )
    assert response.status_code == 302
    audience = event.audiences.get(name="Studierende")
    assert (audience.quota, audience.partners_only, audience.position) == (12, True, 1)
    response = client.post(
        reverse("events:staff_question_add", args=[event.pk]),
        {"text": "Essen?", "kind": "choice", "choices": " Vegan \n\nFleisch\n", "required": "on"},
    )
    assert response.status_code == 302
    assert Question.objects.get(event=event).choice_list == ["Vegan", "Fleisch"]


def test_choice_question_without_answers_is_refused_with_the_form_kept(login, staff):
    event, _audience = event_with_audience()
    response = login(staff).post(
        reverse("events:staff_question_add", args=[event.pk]), {"text": "Essen?", "kind": "choice", "choices": ""}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Antwortmöglichkeiten" in page and 'value="Essen?"' in page
    assert not Question.objects.exists()


def test_audience_without_name_is_refused(login, staff):
    event, _audience = event_with_audience()
    response = login(staff).post(reverse("events:staff_audience_add", args=[event.pk]), {"name": "", "role": "general"})
    assert response.status_code == 400 and Audience.objects.filter(event=event).count() == 1


# --- the organisation picker in the event form ---------------------------------------------------


def test_staff_pick_partners_and_organisers_by_typing_their_names(login, staff):
    university = OrganisationFactory(name="Fachhochschule Münster", city="Münster")
    ihk = OrganisationFactory(name="IHK Nord Westfalen", city="Münster")
    event, _bosses, _students = meet_the_boss()
    client = login(staff)
    page = client.get(reverse("events:staff_edit", args=[event.pk])).content.decode()
    assert '<select name="partners"' not in page and '<select name="organisers"' not in page  # no list of all
    assert page.count('<input type="text" name="partners"') == 2  # two empty pickers
    response = client.post(
        reverse("events:staff_edit", args=[event.pk]),
        _event_form(event, partners=["Fachhochschule Münster", ""], organisers=["IHK Nord Westfalen"]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(event.partners.all()) == [university] and list(event.organisers.all()) == [ihk]
    page = client.get(reverse("events:staff_edit", args=[event.pk])).content.decode()
    assert f'value="{organisation_label(university)}"' in page


def test_unknown_or_ambiguous_partner_is_refused_and_nothing_changes(login, staff):
    north = OrganisationFactory(name="Hochschule Nord", city="Münster")
    OrganisationFactory(name="Hochschule Süd", city="Münster")
    event, _bosses, _students = meet_the_boss()
    client = login(staff)
    response = client.post(reverse("events:staff_edit", args=[event.pk]), _event_form(event, partners=["Hochschule"]))
    page = response.content.decode()
    assert response.status_code == 200 and "Mehrere Organisationen passen" in page
    assert f'<option value="{organisation_label(north)}">' in page  # the candidates come back as suggestions
    response = client.post(reverse("events:staff_edit", args=[event.pk]), _event_form(event, partners=["Gibtsnicht"]))
    assert "Keine Organisation gefunden" in response.content.decode()
    assert not event.partners.exists()


def test_event_form_takes_the_venue_address_in_fields(login, staff):
    event, _audience = event_with_audience()
    client = login(staff)
    response = client.post(reverse("events:staff_edit", args=[event.pk]), _event_form(event, venue_postcode="4815"))
    assert "fünfstellige" in response.content.decode()
    event.refresh_from_db()
    assert event.venue_postcode == "48151"


# --- parameters, token pages ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "999999", "²", "2020x", "-1"])
def test_hostile_year_gives_the_default_list_not_an_error(login, staff, value):
    event_with_audience()
    client = login(staff)
    assert client.get(reverse("events:staff_list"), {"jahr": value}).status_code == 200
    figures = client.get(reverse("events:staff_figures"), {"jahr": value})
    assert (
        figures.status_code == 200
        and f"Veranstaltungen {timezone.localdate().year} in Zahlen" in figures.content.decode()
    )


def test_year_filter_of_the_staff_list(login, staff):
    event, _ = event_with_audience(title="Kongress der Zukunft")
    client = login(staff)
    assert (
        "Kongress der Zukunft"
        in client.get(reverse("events:staff_list"), {"jahr": event.starts_at.year}).content.decode()
    )
    assert "Kongress der Zukunft" not in client.get(reverse("events:staff_list"), {"jahr": 2001}).content.decode()


def test_staff_list_shows_seats_taken_and_waiting_over_all_audiences(login, staff):
    _, bosses, students = meet_the_boss(boss_quota=1, student_quota=1, venue_city="Hafen")
    RegistrationFactory(audience=bosses)
    RegistrationFactory(audience=bosses, status=Registration.Status.WAITING)
    RegistrationFactory(audience=students)
    RegistrationFactory(audience=students, status=Registration.Status.CANCELLED)
    event_with_audience(title="Leere Veranstaltung")
    html = login(staff).get(reverse("events:staff_list")).content.decode()
    row = html[html.index("Meet-the-Boss") :].split("</tr>")[0]
    assert '<td class="num">2</td><td class="num">1</td>' in row
    empty = html[html.index("Leere Veranstaltung") :].split("</tr>")[0]
    assert '<td class="num">0</td><td class="num">0</td>' in empty


def test_hostile_audience_filter_shows_everyone(login, staff):
    event, audience = event_with_audience()
    RegistrationFactory(audience=audience, last_name="Zander")
    client = login(staff)
    for value in ("²", "1e3", "x", audience.pk):
        page = client.get(reverse("events:staff_participants", args=[event.pk]), {"zielgruppe": value})
        assert page.status_code == 200 and "Zander" in page.content.decode()
    assert client.get(reverse("events:staff_export", args=[event.pk]), {"zielgruppe": "²"}).status_code == 200


def test_broken_meeting_plan_is_refused_with_a_message(login, staff):
    event, bosses, students = meet_the_boss()
    boss = RegistrationFactory(audience=bosses)
    student = RegistrationFactory(audience=students)
    client = login(staff)
    url = reverse("events:staff_matching", args=[event.pk])
    for data in ({f"cell_{student.pk}_1": "²"}, {"cell_x_1": str(boss.pk)}, {f"cell_{student.pk}": str(boss.pk)}):
        response = client.post(url, {"action": "save", **data}, follow=True)
        assert response.status_code == 200 and "Der Plan konnte nicht gelesen werden" in response.content.decode()
    response = client.post(url, {"action": "save", f"cell_{student.pk}_1": str(boss.pk)}, follow=True)
    assert "Plan gespeichert: 1 Gespräch." in response.content.decode()


def test_registration_page_opened_by_token_is_never_cached(client):
    _event, audience = event_with_audience()
    registration = RegistrationFactory(audience=audience)
    response = client.get(registration.get_manage_url())
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert client.get("/veranstaltungen/anmeldung/falsch/").status_code == 404


def test_check_in_list_as_partial_for_htmx(login, staff):
    event, audience = event_with_audience()
    RegistrationFactory(audience=audience, last_name="Zander")
    client = login(staff)
    partial = client.get(reverse("events:staff_checkin", args=[event.pk]), {"q": "zan"}, HTTP_HX_REQUEST="true")
    assert "Zander" in partial.content.decode() and "<html" not in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
