"""Factories for the advisory tests (the catalogue – topics, series, programmes – comes from the migration)."""

import datetime

import factory
from django.utils import timezone

from advisory import services
from advisory.catalogue import load_catalogue
from advisory.models import Consultation, ConsultationSeries, Topic


def series(kind: str = ConsultationSeries.Kind.INVENTOR) -> ConsultationSeries:
    load_catalogue()  # transaction tests flush the tables the data migration filled
    return ConsultationSeries.objects.filter(kind=kind).order_by("pk").first()


def make_day(expert, *, days_ahead: float = 10, kind: str = ConsultationSeries.Kind.INVENTOR, count: int = 3,
             fmt: str = "slots", minutes: int = 30, place: str = "IHK, Raum 1", **kwargs):  # fmt: skip
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days_ahead)
    return services.day_create(
        series=series(kind), starts_at=starts, expert=expert, place=place, format=fmt, slot_minutes=minutes,
        slot_count=count, **kwargs,
    )  # fmt: skip


def book(day, email="besucher@example.org", name="Bea Besucher", slot=None, **kwargs):
    """A booking through the service, with its confirmation queued as the worker does it right after
    (``send_booking_mail``, queued on commit, which a test's transaction never reaches)."""
    from advisory.tasks import send_booking_mail

    booking = services.booking_create(
        day_id=day.pk, slot_id=slot.pk if slot else None, name=name, email=email, consent=True,
        description=kwargs.pop("description", "Eine Erfindung für Förderbänder."), **kwargs,
    )  # fmt: skip
    send_booking_mail.call(booking.pk)
    return booking


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    date = factory.LazyFunction(timezone.localdate)
    channel = Consultation.Channel.PHONE
    duration_minutes = 30
    contact_name = "Karl Kunde"

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(extracted or [Topic.objects.get(slug="ce-kennzeichnung")])
