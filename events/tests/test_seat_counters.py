"""The seats taken and people waiting that the database keeps per audience (events.seat_counters)
are what counting the registrations gives, whatever changed them; and a page shows them at once."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse

from events import seat_counters, services
from events.models import Audience, Registration
from events.services import RegistrationInput
from events.tests.factories import AudienceFactory, RegistrationFactory, event_with_audience

pytestmark = pytest.mark.django_db

S = Registration.Status


def _counted(audience) -> tuple[int, int]:
    counts = Registration.objects.filter(audience=audience).aggregate(
        seated=Count("pk", filter=Q(status__in=Registration.SEATED)),
        waiting=Count("pk", filter=Q(status=S.WAITING)),
    )
    return counts["seated"], counts["waiting"]


def _kept(audience) -> tuple[int, int]:
    row = Audience.objects.values("seats_taken", "people_waiting").get(pk=audience.pk)
    return row["seats_taken"], row["people_waiting"]


def _register(event, audience, email, **extra):
    data = RegistrationInput(audience_id=audience.pk, email=email, first_name="Anna", last_name="Adler", **extra)
    return services.registration_create(event=event, data=data)


def test_the_statuses_the_triggers_count_are_the_models():
    assert set(seat_counters.SEATED) == {str(status) for status in Registration.SEATED}
    assert seat_counters.WAITING == S.WAITING


def test_the_kept_figures_match_a_count_after_every_kind_of_change():
    event, audience = event_with_audience(quota=2)
    other = AudienceFactory(event=event, name="Studierende", quota=None)
    first = _register(event, audience, "a@example.org")
    second = _register(event, audience, "b@example.org")
    waiting = _register(event, audience, "c@example.org")  # full: the waiting list
    assert waiting.status == S.WAITING
    assert _kept(audience) == _counted(audience) == (2, 1)

    services.registration_cancel(registration=Registration.objects.get(pk=first.pk))  # offers the seat
    assert _kept(audience) == _counted(audience) == (2, 0)

    Registration.objects.filter(pk=second.pk).update(audience=other)  # moved by staff
    assert _kept(audience) == _counted(audience) == (1, 0)
    assert _kept(other) == _counted(other) == (1, 0)

    Registration.objects.filter(pk=waiting.pk).update(status=S.DECLINED)  # a queryset update
    RegistrationFactory.create_batch(3, audience=other, status=S.WAITING)  # bulk from a factory
    Registration.objects.filter(pk=second.pk).delete()
    assert _kept(audience) == _counted(audience) == (0, 0)
    assert _kept(other) == _counted(other) == (0, 3)

    Registration.objects.filter(event=event).delete()
    assert _kept(audience) == _kept(other) == (0, 0)


def test_renaming_an_audience_while_people_register_does_not_give_their_seats_back(client):
    event, audience = event_with_audience(quota=2)
    stale = Audience.objects.get(pk=audience.pk)  # as the staff form loaded it: no seat taken yet
    _register(event, audience, "a@example.org")
    _register(event, audience, "b@example.org")

    stale.name = "Gäste"
    stale.save()

    assert _kept(audience) == (2, 0)
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Gäste: ausgebucht" in page
    assert _register(event, audience, "c@example.org").status == S.WAITING  # no third seat


def test_figures_lost_with_the_triggers_are_recounted_when_the_migrations_put_them_back():
    # SQLite drops a table's triggers when a migration rebuilds the table; post_migrate reinstalls them
    event, audience = event_with_audience(quota=5)
    seat_counters.uninstall(connection)
    RegistrationFactory.create_batch(2, audience=audience, status=S.CONFIRMED)
    assert _kept(audience) == (0, 0)  # nothing kept them meanwhile

    seat_counters.reinstall_missing(using="default")

    assert _kept(audience) == _counted(audience) == (2, 0)
    _register(event, audience, "a@example.org")
    assert _kept(audience) == (3, 0)
