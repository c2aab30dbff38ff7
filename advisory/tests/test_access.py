"""An expert sees only their own days; a company editor sees none of it; privacy export/erase."""

import pytest
from django.urls import reverse

from advisory.models import Booking
from advisory.tests.factories import book, make_day
from core.privacy import DataSubject, personal_data_erase, personal_data_export
from testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_expert(db):
    from core.roles import Role

    return UserFactory(email="anderer@example.org", full_name="Otto Anderer", roles=[Role.EXPERT])


def test_expert_sees_only_own_days(login, expert, other_expert):
    own = make_day(expert)
    book(own, description="Vertrauliche Erfindung A")
    foreign = make_day(other_expert, days_ahead=11)
    book(foreign, email="b@example.org", description="Vertrauliche Erfindung B")
    client = login(expert)
    schedule = client.get(reverse("advisory:expert_schedule")).content.decode()
    assert reverse("advisory:day_detail", args=[own.pk]) in schedule
    assert reverse("advisory:day_detail", args=[foreign.pk]) not in schedule
    assert "Vertrauliche Erfindung A" in client.get(reverse("advisory:day_detail", args=[own.pk])).content.decode()
    assert client.get(reverse("advisory:day_detail", args=[foreign.pk])).status_code == 404
    export = client.get(reverse("advisory:bookings_export"), {"format": "csv"}).getvalue().decode()
    assert "Vertrauliche Erfindung A" in export and "Vertrauliche Erfindung B" not in export
    assert client.get(reverse("advisory:bookings_export"), {"tag": foreign.pk}).status_code == 404
    foreign_booking = Booking.objects.get(day=foreign)
    assert client.post(reverse("advisory:booking_attendance", args=[foreign_booking.pk])).status_code == 404
    assert client.get(reverse("advisory:day_list")).status_code == 403


def test_company_editor_sees_none_of_it(login, editor_a, expert):
    day = make_day(expert)
    booking = book(day)
    client = login(editor_a)
    for url in [
        reverse("advisory:overview"), reverse("advisory:day_list"), reverse("advisory:day_detail", args=[day.pk]),
        reverse("advisory:expert_schedule"), reverse("advisory:bookings_export"),
        reverse("advisory:consultation_list"), reverse("advisory:matcher"),
    ]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("advisory:booking_attendance", args=[booking.pk])).status_code == 403


def test_staff_sees_descriptions_public_pages_do_not(login, staff, expert, client):
    day = make_day(expert)
    booking = book(day, description="Streng vertraulich")
    assert "Streng vertraulich" not in client.get(reverse("advisory:day_public", args=[day.pk])).content.decode()
    assert "Streng vertraulich" in login(staff).get(reverse("advisory:day_detail", args=[day.pk])).content.decode()
    assert booking.description


def test_privacy_export_and_erase_keep_counts(expert):
    day = make_day(expert)
    book(day, email="person@example.org", name="Paula Person", description="Idee")
    subject = DataSubject(email="Person@example.org")
    exported = personal_data_export(subject)["advisory"]
    assert exported["bookings"][0]["name"] == "Paula Person"
    personal_data_erase(subject)
    booking = Booking.objects.get()
    assert booking.name == "anonymisiert" and booking.description == "" and booking.status == "confirmed"
    assert personal_data_export(subject)["advisory"]["bookings"] == []
