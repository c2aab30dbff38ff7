"""What the speed work (issue 18) must not change: a page never shows a stale seat count or a stale
cancellation, and every registration gets exactly one first mail although it is rendered after
the seat is committed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.helpers import run_queued_tasks
from core.models import OutgoingMail
from events import services
from events.models import Event, Registration, Topic
from events.services import RegistrationInput
from events.tasks import resume_registration_mails, send_registration_mail
from events.tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    event_with_audience,
    meet_the_boss,
    run_first_mails,
)

pytestmark = pytest.mark.django_db


def _form(page: str) -> str:
    match = re.search(r'<form method="post" action="[^"]*#anmeldung".*?</form>', page, re.S)
    return match.group(0) if match else ""


def _register(event, audience, email):
    data = RegistrationInput(audience_id=audience.pk, email=email, first_name="Anna", last_name="Adler")
    return services.registration_create(event=event, data=data)


def test_a_cancelled_event_shows_so_on_the_very_next_request(client):
    event, _audience = event_with_audience(quota=5)
    url = reverse("events:detail", args=[event.slug])
    first = client.get(url).content.decode()
    assert _form(first) and "abgesagt" not in first
    assert "badge-cancelled" not in client.get(reverse("events:calendar")).content.decode()

    services.event_cancel(event=event, message="Der Referent ist erkrankt.")

    page = client.get(url).content.decode()
    assert "Diese Veranstaltung ist abgesagt." in page
    assert not _form(page) and "Verbindlich anmelden" not in page
    calendar = client.get(reverse("events:calendar")).content.decode()
    assert "badge-cancelled" in calendar


def test_a_full_event_shows_so_on_the_very_next_request(client):
    event, audience = event_with_audience(quota=1)
    url = reverse("events:detail", args=[event.slug])
    first = client.get(url).content.decode()
    assert "Teilnehmende: noch 1 Platz frei" in first and "Teilnehmende: ausgebucht" not in first

    _register(event, audience, "anna@example.org")

    page = client.get(url).content.decode()
    assert "Teilnehmende: ausgebucht" in page and "noch 1 Platz frei" not in page
    assert "Teilnehmende (ausgebucht – Warteliste)" in _form(page)  # only the waiting list is offered


def test_the_forms_free_seats_count_down_with_every_registration(client):
    event, audience = event_with_audience(quota=3)
    url = reverse("events:detail", args=[event.slug])
    assert "Teilnehmende (noch 3 Plätze frei)" in _form(client.get(url).content.decode())

    _register(event, audience, "anna@example.org")
    form = _form(client.get(url).content.decode())
    assert "Teilnehmende (noch 2 Plätze frei)" in form and "noch 3" not in form

    _register(event, audience, "bert@example.org")
    form = _form(client.get(url).content.decode())
    assert "Teilnehmende (noch 1 Plätze frei)" in form and "fragment-slot" not in form


def test_a_seat_freed_by_a_cancellation_shows_on_the_very_next_request(client):
    event, audience = event_with_audience(quota=1)
    registration = RegistrationFactory(audience=audience)
    url = reverse("events:detail", args=[event.slug])
    assert "Teilnehmende: ausgebucht" in client.get(url).content.decode()

    services.registration_cancel(registration=Registration.objects.get(pk=registration.pk))

    page = client.get(url).content.decode()
    assert "Teilnehmende: noch 1 Platz frei" in page and "Teilnehmende: ausgebucht" not in page
    assert "Teilnehmende (noch 1 Plätze frei)" in _form(page)


def test_a_new_question_appears_in_the_form_on_the_next_request(client):
    event, _audience = event_with_audience(quota=5)
    url = reverse("events:detail", args=[event.slug])
    client.get(url)
    question = QuestionFactory(event=event, text="Welche Ernährung?", required=True)
    assert f'name="q_{question.pk}"' in _form(client.get(url).content.decode())


def test_the_same_form_is_served_to_two_visitors_each_with_their_own_csrf_token(client):
    event, bosses, _students = meet_the_boss()
    url = reverse("events:detail", args=[event.slug])
    first, second = client.get(url).content.decode(), type(client)().get(url).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert _form(first).replace(token.search(_form(first)).group(1), "") == _form(second).replace(
        token.search(_form(second)).group(1), ""
    )
    assert 'name="sectors"' in _form(first) and f'value="{bosses.pk}"' in _form(first)


def test_an_event_without_partners_organisers_or_questions_reads_in_two_queries(client, django_assert_num_queries):
    event, _audience = event_with_audience(quota=5)
    url = reverse("events:detail", args=[event.slug])
    client.get(url)
    with django_assert_num_queries(2):  # the event (with what it has), its audiences with the seat counts
        assert client.get(url).status_code == 200


def test_a_registration_queues_its_first_mail_on_commit_and_gets_exactly_one(django_capture_on_commit_callbacks):
    event, audience = event_with_audience(quota=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(event, audience, "anna@example.org")
    assert not OutgoingMail.objects.exists()  # the request rendered nothing: the worker's job
    (job,) = DBTaskResult.objects.filter(task_path=send_registration_mail.module_path)
    assert job.args_kwargs["args"] == [registration.pk]

    assert run_queued_tasks(send_registration_mail) == [True]
    assert send_registration_mail.call(registration.pk) is False  # run twice: nothing more
    assert not services.registration_first_mail(registration=registration, event=event)
    (mail,) = OutgoingMail.objects.filter(reference=f"events.registration:{registration.pk}")
    assert "Anmeldung bestätigt" in mail.subject and mail.attachments


def test_a_refused_registration_queues_no_mail(django_capture_on_commit_callbacks):
    event, audience = event_with_audience(quota=1)
    _register(event, audience, "anna@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.RegistrationRefused):
        _register(event, audience, "anna@example.org")  # the same address again
    assert DBTaskResult.objects.filter(task_path=send_registration_mail.module_path).count() == 0


def test_the_first_mail_of_someone_waiting_names_their_place():
    event, audience = event_with_audience(quota=1)
    _register(event, audience, "anna@example.org")
    _register(event, audience, "ben@example.org")
    third = _register(event, audience, "cara@example.org")
    assert run_first_mails() == 3
    mail = OutgoingMail.objects.get(reference=f"events.registration:{third.pk}")
    assert third.status == Registration.Status.WAITING and mail.attachments == []
    assert "Sie stehen auf Platz 2 der Warteliste" in " ".join(mail.body_text.split())


def test_a_mail_already_sent_by_a_decision_is_not_followed_by_a_first_mail():
    """Staff confirmed a pending registration before the worker ran the job: one mail, the decision's."""
    event, audience = event_with_audience(quota=5, requires_approval=True)
    registration = _register(event, audience, "anna@example.org")
    services.registration_decide(registration=registration, approve=True)
    assert run_first_mails() == 0
    assert OutgoingMail.objects.filter(reference=f"events.registration:{registration.pk}").count() == 1


def test_the_registration_post_counts_and_seats_in_plain_sql_queries(client, django_assert_max_num_queries):
    """The POST: the event, its audiences with counts, then BEGIN, lock, counts, insert, webhooks'
    endpoints, COMMIT and the job; no mail rendered in the request."""
    event, audience = event_with_audience(quota=5)
    url = reverse("events:detail", args=[event.slug])
    data = {"audience": audience.pk, "first_name": "Anna", "last_name": "Adler", "email": "anna@example.org"}
    with django_assert_max_num_queries(9):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_a_mail_lost_between_seat_and_mail_is_sent_by_the_sweep_once():
    event, audience = event_with_audience(quota=5)
    registration = _register(event, audience, "anna@example.org")
    recent = _register(event, audience, "ben@example.org")
    OutgoingMail.objects.all().delete()  # as if the process died after the seat was committed
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=20))

    assert resume_registration_mails.call() == 1  # the recent one may still be on its way: left alone
    assert resume_registration_mails.call() == 0
    mail = OutgoingMail.objects.get()
    assert mail.reference == f"events.registration:{registration.pk}" and mail.to_email == "anna@example.org"
    assert "Anmeldung bestätigt" in mail.subject and recent.pk != registration.pk


def test_calendar_filter_with_a_bad_month_still_says_so(client):
    client.get(reverse("events:calendar"))
    page = client.get(reverse("events:calendar"), {"monat": "2026-1"}).content.decode()
    assert 'class="error"' in page


def test_the_calendar_filtered_by_one_topic_and_then_another_shows_each_topics_own_events(client):
    """The filtered calendar's SQL is compiled once per combination of filters: the values still differ."""
    energy, training = (Topic.objects.create(name=name, slug=slug) for name, slug in
                        (("Energie", "energie"), ("Ausbildung", "ausbildung")))  # fmt: skip
    EventFactory(title="Energietag", topic=energy, mode=Event.Mode.ONLINE)
    EventFactory(title="Azubi-Speeddating", topic=training, mode=Event.Mode.ONLINE)
    EventFactory(title="Energiestammtisch", topic=energy, mode=Event.Mode.IN_PERSON)
    calendar = reverse("events:calendar")

    def titles(**params):
        page = client.get(calendar, params).content.decode()
        return {t for t in ("Energietag", "Azubi-Speeddating", "Energiestammtisch") if t in page}

    assert titles(thema="energie", format="online") == {"Energietag"}
    assert titles(thema="ausbildung", format="online") == {"Azubi-Speeddating"}
    assert titles(thema="energie", format="in_person") == {"Energiestammtisch"}
    assert titles(thema="energie") == {"Energietag", "Energiestammtisch"}
    assert titles() == {"Energietag", "Azubi-Speeddating", "Energiestammtisch"}
    month = timezone.localtime(timezone.now() + datetime.timedelta(days=14)).strftime("%Y-%m")
    assert titles(monat=month, thema="ausbildung") == {"Azubi-Speeddating"}


def test_an_event_changed_behind_the_services_back_shows_so_on_the_next_request(client):
    """The cached part of the page is keyed by every field of the row, not by ``updated_at``."""
    event, _audience = event_with_audience(quota=5)
    url = reverse("events:detail", args=[event.slug])
    client.get(url)
    type(event).objects.filter(pk=event.pk).update(title="Neuer Titel", venue_name="Schloss Münster")
    page = client.get(url).content.decode()
    assert "<h1>Neuer Titel</h1>" in page and "Schloss Münster" in page


def test_the_page_after_registering_names_the_place_on_the_waiting_list(client):
    """The place is counted under the lock and handed to the page (no second count in the POST)."""
    event, audience = event_with_audience(quota=1)
    _register(event, audience, "anna@example.org")
    _register(event, audience, "ben@example.org")
    url = reverse("events:detail", args=[event.slug])
    data = {"audience": audience.pk, "first_name": "Cara", "last_name": "Clausen", "email": "cara@example.org",
            "join_waiting_list": "on"}  # fmt: skip
    page = client.post(url, data, follow=True).content.decode()
    assert "Sie stehen auf Platz 2 der Warteliste" in page  # the message
    assert page.count("Platz 2 der Warteliste") == 2  # and the status on the page


def test_the_confirmation_page_reads_in_one_query_and_shows_the_registration_as_it_is_now(
    client, django_assert_num_queries
):
    event, audience = event_with_audience(quota=5, title="Kunststoff-Forum")
    registration = _register(event, audience, "anna@example.org")
    url = reverse("events:registration_manage", args=[registration.token])
    with django_assert_num_queries(1):  # the registration with its event and audience
        page = client.get(url).content.decode()
    assert "Kunststoff-Forum" in page and "Anna Adler" in page and "Teilnehmende" in page
    services.registration_cancel(registration=registration)
    page = client.get(url).content.decode()
    assert "Anmeldung stornieren" not in page and "<strong>storniert</strong>" in page
