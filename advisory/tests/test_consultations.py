"""The consultation log: quick entry, follow-ups on the start page, lists, timeline, counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from advisory import selectors
from advisory.models import Consultation, Topic
from advisory.tests.factories import ConsultationFactory
from contacts.picker import organisation_label
from testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_a_talk_without_javascript(login, staff, company_a):
    client = login(staff)
    ce = Topic.objects.get(slug="ce-kennzeichnung")
    data = {
        "organisation": company_a.name.upper(),  # typed name, no datalist choice: resolved on the server
        "contact_name": "Petra Pieper", "date": "2026-11-20", "channel": "video", "duration_minutes": "25",
        "topics": [ce.pk], "outcome": "Maschinenrichtlinie erklärt", "follow_up_on": "2026-11-27",
    }  # fmt: skip
    response = client.post(reverse("advisory:consultation_create"), data)
    assert response.status_code == 302
    talk = Consultation.objects.get()
    assert talk.organisation == company_a and talk.adviser == staff and list(talk.topics.all()) == [ce]
    # the talk shows in the company's timeline
    page = client.get(reverse("contacts:organisation_detail", args=[company_a.pk])).content.decode()
    assert "CE-Kennzeichnung" in page


def test_ambiguous_company_gets_suggestions(login, staff, company_a, company_b):
    client = login(staff)
    response = client.post(
        reverse("advisory:consultation_create"),
        {"organisation": "Firma", "date": "2026-11-20", "channel": "phone", "duration_minutes": "10",
         "topics": [Topic.objects.get(slug="ki").pk]},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert organisation_label(company_a) in page and organisation_label(company_b) in page
    assert not Consultation.objects.exists()


def test_follow_ups_appear_on_the_start_page(login, staff, company_a):
    today = timezone.localdate()
    due = ConsultationFactory(adviser=staff, organisation=company_a, follow_up_on=today)
    ConsultationFactory(adviser=staff, contact_name="Später", follow_up_on=today + datetime.timedelta(days=30))
    client = login(staff)
    page = client.get(reverse("core:start")).content.decode()
    assert "Fällige Wiedervorlagen" in page and company_a.name in page and "Später" not in page
    client.post(reverse("advisory:consultation_follow_up_done", args=[due.pk]), {"next": "/start/"})
    assert company_a.name not in client.get(reverse("core:start")).content.decode()


def test_list_filters_and_topic_counts(login, staff, lead, company_a, company_b):
    ce, ki = Topic.objects.get(slug="ce-kennzeichnung"), Topic.objects.get(slug="ki")
    funding = Topic.objects.get(slug="foerderung-innovation")
    ConsultationFactory(adviser=staff, organisation=company_a, topics=[ce], date=datetime.date(2020, 3, 1))
    ConsultationFactory(adviser=lead, organisation=company_b, topics=[ce, ki], date=datetime.date(2020, 5, 1))
    ConsultationFactory(adviser=staff, organisation=company_b, topics=[funding], date=datetime.date(2021, 5, 1))
    client = login(staff)
    url = reverse("advisory:consultation_list")
    assert "2 Gespräche" in client.get(url, {"year": 2020}).content.decode()
    assert "1 Gespräch" in client.get(url, {"year": 2020, "adviser": lead.pk}).content.decode()
    tech = Topic.objects.get(slug="technologie")
    assert "2 Gespräche" in client.get(url, {"topic": tech.pk}).content.decode()
    assert "1 Gespräch" in client.get(url, {"year": 2020, "topic": ki.pk}).content.decode()
    counts = {row["topic"].slug: row["talks"] for row in selectors.talks_per_topic(2020)}
    assert counts == {"ce-kennzeichnung": 2, "ki": 1}
    assert selectors.talks_in_area(2020, "technology") == 2  # the talk with two topics counts once
    export = client.get(url, {"year": 2020, "format": "csv"})
    assert export["Content-Type"].startswith("text/csv") and "CE-Kennzeichnung" in export.getvalue().decode()
    xlsx = client.get(url, {"year": 2020, "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_the_list_filters_follow_new_choices_and_rows_are_escaped(login, staff, lead, company_a):
    """The filter fields are a per-process fragment (core.fragments): a new topic, a renamed adviser
    and another chosen value show on the very next request; the rows (core.rows) escape every value."""
    client = login(staff)
    url = reverse("advisory:consultation_list")
    assert "Quantenberatung" not in client.get(url).content.decode()
    parent = Topic.objects.get(slug="technologie")
    topic = Topic.objects.create(name="Quantenberatung", slug="quanten", parent=parent, area=parent.area)
    assert f"{parent.name} › Quantenberatung</option>" in client.get(url).content.decode()
    lead.full_name = "Lea <Neu>"
    lead.save()
    page = client.get(url).content.decode()
    assert "Lea &lt;Neu&gt;</option>" in page and "Lea Leitung" not in page
    assert f'<option value="{topic.pk}" selected>' in client.get(url, {"topic": topic.pk}).content.decode()
    talk = ConsultationFactory(adviser=lead, organisation=company_a, topics=[topic], date=datetime.date(2024, 2, 3))
    company_a.name = "A & <B>"
    company_a.save()
    page = client.get(url).content.decode()
    assert f'<a href="{reverse("advisory:consultation_edit", args=[talk.pk])}">A &amp; &lt;B&gt;</a>' in page
    assert f'<span class="badge">{parent.name} › Quantenberatung</span>' in page
    assert "<td>03.02.2024</td>" in page and "<td>Lea &lt;Neu&gt;</td>" in page


def test_a_list_row_names_the_person_adviser_and_topics_as_the_talk_does(login, staff, company_a):
    """The list reads plain values (selectors.consultation_list): who, the adviser and each topic read as the
    talk's contact_label, str(adviser) and str(topic) do."""
    nameless_adviser = UserFactory(email="ohne-name@example.org", full_name="")
    person = PersonFactory(title="Dr.", first_name="Petra", last_name="Person")
    ki = Topic.objects.get(slug="ki")
    with_person = ConsultationFactory(
        adviser=nameless_adviser, organisation=company_a, person=person, topics=[ki], date=datetime.date(2024, 5, 2)
    )
    typed = ConsultationFactory(adviser=staff, contact_name="Karla Kunde", date=datetime.date(2024, 5, 1))
    page = login(staff).get(reverse("advisory:consultation_list")).content.decode()
    assert with_person.contact_label == "Dr. Petra Person" and str(nameless_adviser) == "ohne-name@example.org"
    assert f'>{company_a.name}</a><br><span class="muted">Dr. Petra Person</span>' in page
    assert "<td>ohne-name@example.org</td>" in page and f'<span class="badge">{ki}</span>' in page
    assert f'<a href="{reverse("advisory:consultation_edit", args=[typed.pk])}">Karla Kunde</a>' in page
