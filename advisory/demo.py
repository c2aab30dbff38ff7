"""Demo data: the seed's 2020 advisory figures, plus bookable days in the demo's present.

2020 (seed, section "Innovationsförderung"): ~50 first consultations on grant programmes,
~60 on innovation and technology (mostly CE marking), 20 free inventor days with 60 talks
with patent attorneys, 2 expert days on funding, 3 CE days (from autumn) with 12
participants, and a patent consultation for the pupils of Jugend forscht.
"""

import datetime
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from accounts.models import RoleAssignment, User
from advisory import selectors
from advisory.catalogue import load_catalogue
from advisory.models import Booking, Consultation, ConsultationDay, ConsultationSeries, Slot, Topic
from advisory.services import CONSENT_WORDING, day_create
from core.demo import register_demo
from core.roles import Role

DEMO_PASSWORD = "kammerwerk-demo"  # noqa: S105 – the published demo password (accounts.demo)
EXPERTS = [
    ("patentanwalt@kammerwerk.example", "Dr. Felix Patent"),
    ("patentanwaeltin@kammerwerk.example", "Dr. Paula Schutzrecht"),
    ("ce-expertin@kammerwerk.example", "Carla Ehlers"),
    ("foerderexperte@kammerwerk.example", "Fabian Förder"),
]
FIRST = ["Anna", "Jan", "Lena", "Tobias", "Sabine", "Markus", "Julia", "Stefan", "Maria", "Frank", "Laura", "Jörg"]
LAST = ["Schulte", "Hölscher", "Terhechte", "Wessels", "Kemper", "Overbeck", "Niehues", "Althoff", "Pieper", "Upmann"]
ROOM = "IHK Nord Westfalen, Sentmaringer Weg 61, 48151 Münster"


def _user(email, name):
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.EXPERT)
    return user


def _aware(year, month, day, hour=14, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _day(series, starts_at, expert, *, fmt="slots", minutes=30, count=3, place=ROOM, online_url=""):
    existing = ConsultationDay.objects.filter(series=series, starts_at=starts_at).first()
    if existing:
        return existing, False
    day = day_create(
        series=series, starts_at=starts_at, expert=expert, place=place, online_url=online_url, format=fmt,
        slot_minutes=minutes, slot_count=count,
    )  # fmt: skip
    if day.is_past:  # planned six weeks ahead, not when the demo was loaded
        ConsultationDay.objects.filter(pk=day.pk).update(created_at=starts_at - timedelta(weeks=6))
    return day, True


def _book(rng, day, slots, organisations, *, attended=True):
    bookings = []
    past = day.is_past
    for slot in slots:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        organisation = rng.choice(organisations) if organisations and rng.random() < 0.7 else None
        bookings.append(
            Booking(
                slot=slot, day=day, series=day.series, name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}.{day.pk}.{slot.number}@example.org".replace("ö", "oe"),
                company_name=organisation.name if organisation else "", organisation=organisation,
                description="" if day.is_past else "Wir möchten eine Erfindung schützen lassen (Demo).",
                consent_wording=CONSENT_WORDING, status=Booking.Status.CONFIRMED,
                consented_at=(day.starts_at - timedelta(days=6 + slot.number)) if past else timezone.now(),
                attendance=(Booking.Attendance.ATTENDED if attended else ""),
            )
        )  # fmt: skip
    Booking.objects.bulk_create(bookings)
    if past:  # booked the week before the day, not when the demo was loaded
        Booking.objects.filter(pk__in=[booking.pk for booking in bookings]).update(created_at=F("consented_at"))


def _dates(rng, year, count, months):
    """``count`` distinct weekdays in the given months of ``year``."""
    dates = set()
    while len(dates) < count:
        day = datetime.date(year, rng.choice(months), rng.randint(1, 28))
        if day.weekday() < 5:
            dates.add(day)
    return sorted(dates)


@register_demo("advisory", order=30)
def build(rng) -> str:
    from contacts.models import Organisation

    load_catalogue()
    # Independent generators per part, so skipping one part on a second run does not shift the others.
    import random

    talk_rng, day_rng, book_rng = (random.Random(rng.random()) for _ in range(3))
    inventor_dates = _dates(day_rng, 2020, 20, list(range(1, 13)))
    funding_dates = _dates(day_rng, 2020, 2, [6, 11])
    ce_dates = _dates(day_rng, 2020, 3, [9, 10, 11])
    staff = (
        User.objects.filter(email="team@kammerwerk.example").first()
        or User.objects.filter(role_assignments__role=Role.STAFF).first()
    )
    if staff is None:
        return "kein Demo-Team-Konto – übersprungen"
    experts = {email: _user(email, name) for email, name in EXPERTS}
    series = {s.kind: s for s in ConsultationSeries.objects.all()}
    organisations = list(Organisation.objects.order_by("member_number")[:300])
    # 2020's talks and bookings point only at organisations recorded by then (contacts.demo.recorded_at)
    known_2020 = [o for o in organisations if o.created_at < _aware(2020, 1, 1, 0)]
    topics = {t.slug: t for t in Topic.objects.all()}
    created_days = created_talks = 0

    # --- 2020: the consultation log (50 funding, 60 technology) ----------------------------------
    if not Consultation.objects.filter(date__year=2020).exists():
        funding = [topics["foerderung-innovation"]] * 3 + [topics["foerderung-digitalisierung"]] * 2
        technology = [topics["ce-kennzeichnung"]] * 6 + [topics["ki"], topics["batterietechnik"], topics["patente"]]
        programmes = list(topics["foerderung-innovation"].programmes.all()) + list(
            topics["foerderung-digitalisierung"].programmes.all()
        )
        for area_topics, count in ((funding, 50), (technology, 60)):
            for _ in range(count):
                date = datetime.date(2020, talk_rng.randint(1, 12), talk_rng.randint(1, 28))
                talk = Consultation.objects.create(
                    organisation=talk_rng.choice(known_2020) if known_2020 else None,
                    contact_name=f"{talk_rng.choice(FIRST)} {talk_rng.choice(LAST)}", adviser=staff, date=date,
                    channel=talk_rng.choice(list(Consultation.Channel.values)), duration_minutes=talk_rng.choice([20, 30, 45, 60]),
                    outcome="Erstberatung durchgeführt (Demo).",
                )  # fmt: skip
                Consultation.objects.filter(pk=talk.pk).update(created_at=_aware(date.year, date.month, date.day, 17))
                topic = talk_rng.choice(area_topics)
                talk.topics.set([topic])
                if topic.area == Topic.Area.FUNDING and programmes:
                    talk.programmes.set(talk_rng.sample(programmes, 2))
                created_talks += 1
        # a few talks of this year with follow-ups due, for the adviser's start page
        today = timezone.localdate()
        for offset in (-2, 0, 3):
            talk = Consultation.objects.create(
                organisation=talk_rng.choice(organisations) if organisations else None, adviser=staff,
                date=today - timedelta(days=14), channel=Consultation.Channel.VIDEO, duration_minutes=30,
                outcome="Antragsskizze abwarten (Demo).", follow_up_on=today + timedelta(days=offset),
            )  # fmt: skip
            talk.topics.set([topics["foerderung-innovation"]])
            created_talks += 1

    # --- 2020: consultation days ----------------------------------------------------------------
    inventor_experts = [experts["patentanwalt@kammerwerk.example"], experts["patentanwaeltin@kammerwerk.example"]]
    for index, date in enumerate(inventor_dates):
        day, created = _day(
            series["inventor"],
            _aware(date.year, date.month, date.day),
            inventor_experts[index % 2],
            minutes=40,
            count=3,
        )
        if created:
            _book(book_rng, day, list(day.slots.all()), known_2020)
            created_days += 1
    for date in funding_dates:
        day, created = _day(series["funding"], _aware(date.year, date.month, date.day, 10),
                            experts["foerderexperte@kammerwerk.example"], minutes=45, count=4)  # fmt: skip
        if created:
            _book(book_rng, day, list(day.slots.all())[:3], known_2020)
            created_days += 1
    for date in ce_dates:
        day, created = _day(series["ce"], _aware(date.year, date.month, date.day, 15),
                            experts["ce-expertin@kammerwerk.example"], fmt="group", minutes=120, count=6)  # fmt: skip
        if created:
            _book(book_rng, day, list(day.slots.all())[:4], known_2020)
            created_days += 1
    # the patent advice for the pupils of Jugend forscht, before the regional round (the seed: "mehrere")
    pupils_series = ConsultationSeries.objects.get(slug=selectors.PUPIL_PATENT_SERIES)
    day, created = _day(pupils_series, _aware(2020, 2, 4, 15), experts["patentanwalt@kammerwerk.example"], count=4,
                        place="Gymnasium Paulinum, Münster")  # fmt: skip
    if created:
        _book(book_rng, day, list(day.slots.all())[:3], [])
        created_days += 1

    # --- the demo's present: coming days a visitor can book -----------------------------------------
    now = timezone.localtime()
    if not ConsultationDay.objects.filter(starts_at__gt=timezone.now(), series=series["inventor"]).exists():
        base = now.date() + timedelta(days=3)
        for week in range(4):
            date = base + timedelta(days=7 * week)
            day, created = _day(series["inventor"], _aware(date.year, date.month, date.day),
                                inventor_experts[week % 2], minutes=40, count=3)  # fmt: skip
            if created:
                created_days += 1
                if week == 0:  # the next day is fully booked: a visitor sees the waiting list
                    _book(book_rng, day, list(day.slots.all()), organisations, attended=False)
                elif week == 1:
                    _book(book_rng, day, list(day.slots.all())[:1], organisations, attended=False)
    if not ConsultationDay.objects.filter(starts_at__gt=timezone.now(), series=series["ce"]).exists():
        date = now.date() + timedelta(days=12)
        day, created = _day(series["ce"], _aware(date.year, date.month, date.day, 15),
                            experts["ce-expertin@kammerwerk.example"], fmt="group", minutes=120, count=6)  # fmt: skip
        created_days += created
    if not ConsultationDay.objects.filter(starts_at__gt=timezone.now(), series=series["funding"]).exists():
        date = now.date() + timedelta(days=20)
        day, created = _day(series["funding"], _aware(date.year, date.month, date.day, 10),
                            experts["foerderexperte@kammerwerk.example"], minutes=45, count=4, place="",
                            online_url="https://meet.kammerwerk.example/foerdersprechtag")  # fmt: skip
        created_days += created
    return f"{created_talks} Gespräche, {created_days} Sprechtage angelegt ({Slot.objects.count()} Termine im Bestand)"
