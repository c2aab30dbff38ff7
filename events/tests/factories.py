import datetime

import factory
from django.utils import timezone

from events.models import Audience, Event, Question, Registration


def in_days(days: float, hour: int = 17) -> datetime.datetime:
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Netzwerktreffen {n}")
    slug = factory.Sequence(lambda n: f"netzwerktreffen-{n}")
    kind = Event.Kind.NETWORK_MEETING
    status = Event.Status.PUBLISHED
    mode = Event.Mode.IN_PERSON
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    venue_name = "IHK Nord Westfalen"
    venue_street = "Sentmaringer Weg 61"
    venue_postcode = "48151"
    venue_city = "Münster"
    online_url = "https://meet.example/raum-1"


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience

    event = factory.SubFactory(EventFactory)
    name = "Teilnehmende"
    role = Audience.Role.GENERAL


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    text = "Was erwarten Sie?"
    kind = Question.Kind.TEXT


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    audience = factory.SubFactory(AudienceFactory)
    event = factory.LazyAttribute(lambda o: o.audience.event)
    email = factory.Sequence(lambda n: f"teilnehmer{n}@example.org")
    first_name = "Tina"
    last_name = factory.Sequence(lambda n: f"Teilnehmerin{n}")
    status = Registration.Status.CONFIRMED


def event_with_audience(**kwargs) -> tuple[Event, Audience]:
    quota = kwargs.pop("quota", None)
    event = EventFactory(**kwargs)
    return event, AudienceFactory(event=event, quota=quota)


def meet_the_boss(
    boss_quota=2, student_quota=3, partner=None, partner_proof=None, **kwargs
) -> tuple[Event, Audience, Audience]:
    event = EventFactory(kind=Event.Kind.MEET_THE_BOSS, title="Meet-the-Boss", **kwargs)
    bosses = AudienceFactory(event=event, name="Unternehmer/-innen", role=Audience.Role.BOSS, quota=boss_quota)
    students = AudienceFactory(
        event=event, name="Studierende", role=Audience.Role.STUDENT, quota=student_quota, partners_only=True
    )
    if partner is not None:
        event.partners.add(partner, through_defaults=partner_proof or {})
    return event, bosses, students


def run_first_mails() -> int:
    """What the worker does after registrations: run the job registration_create queues on commit
    (``send_registration_mail``, which a test's transaction never commits) for each registration;
    the job is idempotent, so one already mailed gets nothing. Returns how many mails it queued."""
    from events.tasks import send_registration_mail

    return sum(
        send_registration_mail.call(pk) for pk in Registration.objects.order_by("pk").values_list("pk", flat=True)
    )
