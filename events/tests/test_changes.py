"""Changes reach people: cancel, move online, new date or place → one notice each, right calendar entry."""

import base64
import datetime
import json
import re

import pytest
from django.urls import reverse

from core.models import OutgoingMail
from events import services
from events.models import ChangeNotice, Event, EventChange, Registration
from events.selectors import event_jsonld
from events.tests.factories import RegistrationFactory, event_with_audience

pytestmark = pytest.mark.django_db


def _ics(mail: OutgoingMail) -> str:
    return base64.b64decode(mail.attachments[0]["content_b64"]).decode()


@pytest.fixture
def event_with_people():
    event, audience = event_with_audience(quota=3)
    people = [RegistrationFactory(audience=audience, email=f"p{i}@example.org") for i in range(3)]
    people.append(RegistrationFactory(audience=audience, email="wait@example.org", status="waiting"))
    RegistrationFactory(audience=audience, email="gone@example.org", status="cancelled")
    return event, people


def test_cancel_notifies_every_registrant_once_with_method_cancel(event_with_people, staff):
    event, people = event_with_people
    change = services.event_cancel(event=event, user=staff, message="Wegen Krankheit.")
    assert change.notices.count() == 4  # not the one who had cancelled
    assert services.change_notices_send(change_id=change.pk) == 4
    assert services.change_notices_send(change_id=change.pk) == 0  # resumable: nothing twice
    mails = OutgoingMail.objects.filter(template="event_changed")
    assert sorted(m.to_email for m in mails) == sorted(p.email for p in people)
    mail = mails.get(to_email="p0@example.org")
    assert mail.subject.startswith("Abgesagt:") and "Wegen Krankheit." in mail.body_text
    ics = _ics(mail)
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.sequence == 1
    with pytest.raises(services.RegistrationRefused):
        services.event_cancel(event=event)


def test_sending_resumes_after_a_crash(event_with_people, monkeypatch):
    event, _people = event_with_people
    change = services.event_cancel(event=event)
    calls = {"n": 0}
    real_queue = services.mail_queue

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real_queue(**kwargs)

    monkeypatch.setattr(services, "mail_queue", flaky)
    with pytest.raises(RuntimeError):
        services.change_notices_send(change_id=change.pk, batch_size=2)
    assert ChangeNotice.objects.filter(queued_at__isnull=False).count() == 2  # first batch committed
    monkeypatch.setattr(services, "mail_queue", real_queue)
    assert services.change_notices_send(change_id=change.pk, batch_size=2) == 2
    counts = {}
    for mail in OutgoingMail.objects.filter(template="event_changed"):
        counts[mail.to_email] = counts.get(mail.to_email, 0) + 1
    assert len(counts) == 4 and set(counts.values()) == {1}


def test_move_online_gives_link_only_to_seated(event_with_people):
    event, _people = event_with_people
    change = services.event_move_online(event=event, online_url="https://meet.example/neu")
    services.change_notices_send(change_id=change.pk)
    seated = OutgoingMail.objects.get(template="event_changed", to_email="p1@example.org")
    waiting = OutgoingMail.objects.get(template="event_changed", to_email="wait@example.org")
    assert seated.subject.startswith("Findet online statt")
    assert "https://meet.example/neu" in seated.body_text and "https://meet.example/neu" in _ics(seated)
    assert "https://meet.example/neu" not in waiting.body_text and waiting.attachments == []
    assert "METHOD:REQUEST" in _ics(seated) and "SEQUENCE:1" in _ics(seated)
    event.refresh_from_db()
    assert event_jsonld(event)["eventStatus"] == "https://schema.org/EventMovedOnline"
    assert event_jsonld(event)["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_new_date_and_place_through_the_edit_form(event_with_people, login, staff):
    event, _people = event_with_people
    client = login(staff)
    new_start = event.starts_at + datetime.timedelta(days=7)
    data = {
        "title": event.title, "kind": event.kind, "status": event.status, "mode": event.mode,
        "starts_at": new_start.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (new_start + datetime.timedelta(hours=2)).astimezone().strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Halle Münsterland", "venue_street": "Albersloher Weg 32", "venue_postcode": "48155",
        "venue_city": "Münster",
        "offer_hours": 48, "rounds": 4, "seats_per_table": 1, "min_meetings": 3, "change_message": "Mehr Platz!",
    }  # fmt: skip
    response = client.post(reverse("events:staff_edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = EventChange.objects.get()
    assert change.kinds == ["rescheduled", "relocated"] and change.notices.count() == 4
    services.change_notices_send(change_id=change.pk)
    mail = OutgoingMail.objects.get(template="event_changed", to_email="p2@example.org")
    assert (
        "Neuer Termin" in mail.body_text and "Halle Münsterland" in mail.body_text and "Mehr Platz!" in mail.body_text
    )
    assert "SEQUENCE:1" in _ics(mail) and "Halle Münsterland" in _ics(mail)
    event.refresh_from_db()
    data = event_jsonld(event)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled" and "previousStartDate" in data


def test_public_page_feed_and_mail_say_cancelled(client, event_with_people):
    event, _people = event_with_people
    services.event_cancel(event=event)
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["eventStatus"] == "https://schema.org/EventCancelled"
    assert "Diese Veranstaltung ist abgesagt" in page
    feed = client.get(reverse("events:feed")).content.decode()
    assert "STATUS:CANCELLED" in feed and "METHOD:PUBLISH" in feed
    response = client.post(reverse("events:detail", args=[event.slug]), {"email": "x@example.org"})
    assert Registration.objects.filter(email="x@example.org").count() == 0
    assert "abgesagt" in response.content.decode() or response.status_code == 200


def test_jsonld_cannot_break_out_of_script(client):
    event, _audience = event_with_audience(title="</script><script>alert(1)</script>")
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "</script><script>alert(1)" not in page
