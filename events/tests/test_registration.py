"""Registration rules: seats, quotas, waiting list, promotion, approval, bad input."""

import datetime

import pytest
from django.utils import timezone

from core.models import OutgoingMail
from events import services
from events.models import Answer, Registration
from events.services import RegistrationInput, RegistrationRefused
from events.tests.factories import QuestionFactory, RegistrationFactory, event_with_audience, run_first_mails

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(event, audience, email="anna@example.org", **kwargs):
    data = RegistrationInput(audience_id=audience.pk, email=email, first_name="Anna", last_name="Adler", **kwargs)
    return services.registration_create(event=event, data=data)


def test_confirmed_registration_mails_ics_with_link():
    event, audience = event_with_audience(quota=2, mode="hybrid")
    registration = register(event, audience, email=" Anna@Example.org ")
    assert registration.status == S.CONFIRMED
    assert registration.email == "anna@example.org"
    run_first_mails()  # the job registration_create queued, as the worker runs it
    mail = OutgoingMail.objects.get(reference=f"events.registration:{registration.pk}")
    assert "Anmeldung bestätigt" in mail.subject
    assert registration.token in mail.body_text and registration.token in mail.body_html
    assert mail.attachments[0]["filename"] == "termin.ics"
    assert "https://meet.example/raum-1" in mail.body_text  # hybrid: link goes to registrants only


def test_same_email_twice_is_refused_and_nothing_changes():
    event, audience = event_with_audience(quota=5)
    register(event, audience)
    with pytest.raises(RegistrationRefused, match="bereits eine Anmeldung"):
        register(event, audience, email="ANNA@example.org")
    assert Registration.objects.count() == 1


def test_full_audience_goes_to_waiting_list_or_is_refused():
    event, audience = event_with_audience(quota=1)
    register(event, audience, email="a@example.org")
    waiting = register(event, audience, email="b@example.org")
    assert waiting.status == S.WAITING
    assert services.waiting_position(waiting) == 1
    with pytest.raises(RegistrationRefused, match="ausgebucht"):
        register(event, audience, email="c@example.org", join_waiting_list=False)
    assert Registration.objects.count() == 2


def test_event_capacity_limits_across_audiences():
    event, first = event_with_audience(quota=None, capacity=1)
    from events.tests.factories import AudienceFactory

    second = AudienceFactory(event=event, name="Gäste")
    register(event, first, email="a@example.org")
    assert register(event, second, email="b@example.org").status == S.WAITING


@pytest.mark.parametrize(
    "change, message",
    [
        ({"registration_deadline": timezone.now() - datetime.timedelta(hours=1)}, "Anmeldefrist"),
        ({"status": "cancelled"}, "abgesagt"),
        ({"status": "closed"}, "geschlossen"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "stattgefunden"),
    ],
)
def test_closed_events_refuse(change, message):
    event, audience = event_with_audience(quota=5)
    for key, value in change.items():
        setattr(event, key, value)
    event.save()
    with pytest.raises(RegistrationRefused, match=message):
        register(event, audience)
    assert not Registration.objects.exists()


def test_long_and_required_answers():
    event, audience = event_with_audience(quota=5)
    question = QuestionFactory(event=event, required=True)
    with pytest.raises(RegistrationRefused, match="zu lang"):
        register(event, audience, answers={question.pk: "x" * 10_000})
    with pytest.raises(RegistrationRefused, match="beantworten"):
        register(event, audience, answers={})
    assert not Registration.objects.exists() and not Answer.objects.exists()
    registration = register(event, audience, answers={question.pk: "<b>fett</b>"})
    assert registration.answers.get().value == "<b>fett</b>"  # stored as typed, escaped when shown


def test_choice_and_yesno_answers_are_checked():
    event, audience = event_with_audience()
    choice = QuestionFactory(event=event, kind="choice", choices="Vegetarisch\nVegan")
    yesno = QuestionFactory(event=event, kind="yesno")
    with pytest.raises(RegistrationRefused):
        register(event, audience, answers={choice.pk: "Fleisch"})
    with pytest.raises(RegistrationRefused):
        register(event, audience, answers={yesno.pk: "vielleicht"})
    assert register(event, audience, answers={choice.pk: "Vegan", yesno.pk: "ja"}).status == S.CONFIRMED


def test_cancel_promotes_first_waiting_and_tells_them():
    event, audience = event_with_audience(quota=1)
    seated = register(event, audience, email="a@example.org")
    first = register(event, audience, email="b@example.org")
    second = register(event, audience, email="c@example.org")
    services.registration_cancel(registration=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.OFFERED and second.status == S.WAITING
    assert first.offer_expires_at > timezone.now()
    offer = OutgoingMail.objects.filter(to_email="b@example.org").latest("pk")
    assert "Platz ist frei geworden" in offer.subject and first.token in offer.body_text
    cancel_mail = OutgoingMail.objects.filter(to_email="a@example.org").latest("pk")
    assert "METHOD:CANCEL" in __import__("base64").b64decode(cancel_mail.attachments[0]["content_b64"]).decode()
    services.registration_accept_offer(registration=first)
    first.refresh_from_db()
    assert first.status == S.CONFIRMED
    with pytest.raises(RegistrationRefused):
        services.registration_cancel(registration=seated)


def test_expired_offer_passes_to_the_next(time_machine=None):
    event, audience = event_with_audience(quota=1, offer_hours=24)
    seated = register(event, audience, email="a@example.org")
    first = register(event, audience, email="b@example.org")
    second = register(event, audience, email="c@example.org")
    services.registration_cancel(registration=seated)
    assert services.offers_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.CANCELLED and second.status == S.OFFERED
    with pytest.raises(RegistrationRefused):
        services.registration_accept_offer(registration=first)


def test_approval_step():
    event, audience = event_with_audience(quota=1, requires_approval=True)
    pending = register(event, audience, email="a@example.org")
    waiting = register(event, audience, email="b@example.org")
    assert pending.status == S.PENDING and waiting.status == S.WAITING
    services.registration_decide(registration=pending, approve=False)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    services.registration_accept_offer(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING
    services.registration_decide(registration=waiting, approve=True)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_reminder_the_day_before_is_sent_once():
    event, audience = event_with_audience()
    event.starts_at = timezone.now() + datetime.timedelta(days=1)
    event.ends_at = event.starts_at + datetime.timedelta(hours=1)
    event.save()
    RegistrationFactory(audience=audience, email="a@example.org")
    RegistrationFactory(audience=audience, email="w@example.org", status=S.WAITING)
    assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    mail = OutgoingMail.objects.get(template="event_reminder")
    assert mail.to_email == "a@example.org" and "Morgen" in mail.subject


def test_check_in_only_confirmed():
    event, audience = event_with_audience()
    confirmed = RegistrationFactory(audience=audience)
    waiting = RegistrationFactory(audience=audience, status=S.WAITING)
    services.registration_check_in(registration=confirmed)
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at
    with pytest.raises(RegistrationRefused):
        services.registration_check_in(registration=waiting)
