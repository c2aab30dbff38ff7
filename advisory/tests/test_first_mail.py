"""The confirmation is rendered after the slot is committed (issue 18): still exactly one per booking."""

import datetime

import pytest
from django.utils import timezone

from advisory import services
from advisory.models import Booking
from advisory.tasks import resume_booking_mails
from advisory.tests.factories import book, make_day
from core.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_a_booking_gets_exactly_one_confirmation(expert):
    booking = book(make_day(expert, count=3), email="bea@example.org")
    assert not services.booking_first_mail(booking=booking)  # a second call queues nothing
    assert OutgoingMail.objects.filter(reference=f"advisory.booking:{booking.pk}").count() == 1


def test_a_confirmation_lost_between_slot_and_mail_is_sent_by_the_sweep_once(expert):
    day = make_day(expert, count=3)
    lost = book(day, email="bea@example.org")
    book(day, email="carl@example.org")  # recent: may still be on its way, left alone
    OutgoingMail.objects.all().delete()  # as if the process died after the slot was committed
    Booking.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=20))

    assert resume_booking_mails.call() == 1
    assert resume_booking_mails.call() == 0
    mail = OutgoingMail.objects.get()
    assert mail.reference == f"advisory.booking:{lost.pk}" and mail.template == "advisory_booking_confirmed"
