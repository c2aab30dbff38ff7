"""Demo events: 2020 as the seed's annual report tells it, plus coming events to register for.

2020 (section "Industrie-Initiative"): the Social Day and the industry congress
were cancelled by the pandemic, as were in-person network meetings; some
networks met in person in summer and digitally during the contact restrictions;
four Meet-the-Boss events in the second half of the year with students of the
Fachhochschule Münster and the Westfälische Hochschule Gelsenkirchen; a stand at
the AzuBeYou fair in November; the AI webinar series and the KI XChange expert
exchange; the portal's editors' conference in December.

Idempotent: events are looked up by slug and only created when missing.
"""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from contacts.models import Organisation
from core.demo import register_demo
from events.models import OCCUPATION_FIELDS, SECTORS, Audience, Event, Question, Registration, Topic
from events.services import meeting_plan_generate

UNIVERSITIES = ["Fachhochschule Münster", "Westfälische Hochschule Gelsenkirchen"]
IHK = "IHK Nord Westfalen"
FIRST = [
    "Anna",
    "Lena",
    "Jonas",
    "Lukas",
    "Marie",
    "Paul",
    "Sophie",
    "Felix",
    "Emma",
    "Noah",
    "Mia",
    "Ben",
    "Lea",
    "Tim",
]
LAST = ["Schulte", "Hölscher", "Kemper", "Wessels", "Bücker", "Niehues", "Althoff", "Pieper", "Reckers", "Upmann"]
K, M, St = Event.Kind, Event.Mode, Event.Status
STAFF_PROVEN = Registration.PartnerProof.STAFF


def _at(year, month, day, hour=17, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


# slug, title, kind, mode, status, start, hours, topic, moved_online
EVENTS_2020 = [
    ("netzwerktreffen-muensterland-2020-03", "Netzwerktreffen Industrieverbund Münsterland", K.NETWORK_MEETING, M.IN_PERSON, St.CANCELLED, _at(2020, 3, 26), 2, "Industrie", False),
    ("industriekongress-2020", "Industriekongress Nord Westfalen 2020", K.CONGRESS, M.IN_PERSON, St.CANCELLED, _at(2020, 5, 14, 9), 8, "Industrie", False),
    ("social-day-2020", "Social Day der Industrieverbünde 2020", K.SOCIAL_DAY, M.IN_PERSON, St.CANCELLED, _at(2020, 6, 18, 9), 7, "Industrie", False),
    ("netzwerktreffen-emscher-lippe-2020-04", "Netzwerktreffen Industrieverbund Emscher-Lippe", K.NETWORK_MEETING, M.ONLINE, St.HELD, _at(2020, 4, 23), 2, "Industrie", True),
    ("netzwerktreffen-muensterland-2020-05", "Netzwerktreffen Industrieverbund Münsterland", K.NETWORK_MEETING, M.ONLINE, St.HELD, _at(2020, 5, 20), 2, "Industrie", True),
    ("netzwerktreffen-westmuensterland-2020-07", "Netzwerktreffen Industrieverbund Westmünsterland", K.NETWORK_MEETING, M.IN_PERSON, St.HELD, _at(2020, 7, 9), 3, "Industrie", False),
    ("netzwerktreffen-emscher-lippe-2020-08", "Netzwerktreffen Industrieverbund Emscher-Lippe", K.NETWORK_MEETING, M.IN_PERSON, St.HELD, _at(2020, 8, 27), 3, "Industrie", False),
    ("netzwerktreffen-muensterland-2020-11", "Netzwerktreffen Industrieverbund Münsterland", K.NETWORK_MEETING, M.ONLINE, St.HELD, _at(2020, 11, 12), 2, "Industrie", True),
    ("webinar-ki-2020-1", "Webinarreihe KI: Einstieg in die Künstliche Intelligenz", K.WEBINAR, M.ONLINE, St.HELD, _at(2020, 6, 10, 10), 1, "Künstliche Intelligenz", False),
    ("webinar-ki-2020-2", "Webinarreihe KI: Maschinelles Lernen in der Produktion", K.WEBINAR, M.ONLINE, St.HELD, _at(2020, 7, 8, 10), 1, "Künstliche Intelligenz", False),
    ("webinar-ki-2020-3", "Webinarreihe KI: Daten als Rohstoff", K.WEBINAR, M.ONLINE, St.HELD, _at(2020, 9, 16, 10), 1, "Künstliche Intelligenz", False),
    ("webinar-ki-2020-4", "Webinarreihe KI: Recht und Ethik", K.WEBINAR, M.ONLINE, St.HELD, _at(2020, 10, 14, 10), 1, "Künstliche Intelligenz", False),
    ("ki-xchange-2020", "KI XChange – Expertenaustausch", K.EXPERT_EXCHANGE, M.ONLINE, St.HELD, _at(2020, 11, 25, 15), 3, "Künstliche Intelligenz", False),
    ("azubeyou-2020", "Stand der Industrie-Initiative auf der AzuBeYou-Messe", K.FAIR_STAND, M.IN_PERSON, St.HELD, _at(2020, 11, 6, 9), 8, "Ausbildung", False),
    ("meet-the-boss-2020-09", "Meet-the-Boss mit der Fachhochschule Münster", K.MEET_THE_BOSS, M.IN_PERSON, St.HELD, _at(2020, 9, 24), 3, "Fachkräfte", False),
    ("meet-the-boss-2020-10", "Meet-the-Boss mit der Westfälischen Hochschule Gelsenkirchen", K.MEET_THE_BOSS, M.IN_PERSON, St.HELD, _at(2020, 10, 22), 3, "Fachkräfte", False),
    ("meet-the-boss-2020-11", "Meet-the-Boss mit der Fachhochschule Münster (digital)", K.MEET_THE_BOSS, M.ONLINE, St.HELD, _at(2020, 11, 19), 2, "Fachkräfte", False),
    ("meet-the-boss-2020-12", "Meet-the-Boss mit der Westfälischen Hochschule Gelsenkirchen (digital)", K.MEET_THE_BOSS, M.ONLINE, St.HELD, _at(2020, 12, 10), 2, "Fachkräfte", False),
    ("redakteurskonferenz-2020", "Redakteurskonferenz Industrie-Portal", K.EDITORS_CONFERENCE, M.ONLINE, St.HELD, _at(2020, 12, 3, 10), 2, "Industrie-Portal", False),
]  # fmt: skip

IHK_VENUE = {
    "venue_name": "IHK Nord Westfalen",
    "venue_street": "Sentmaringer Weg 61",
    "venue_postcode": "48151",
    "venue_city": "Münster",
}
VENUES = {M.IN_PERSON: IHK_VENUE, M.HYBRID: IHK_VENUE, M.ONLINE: {}}
# how members of the partner universities prove they belong (see EventPartner)
PARTNER_PROOF = {
    "Fachhochschule Münster": {"email_domain": "fh-muenster.de", "code": "FHMS-MTB"},
    "Westfälische Hochschule Gelsenkirchen": {"email_domain": "w-hs.de", "code": "WHS-MTB"},
}


def _topic(name: str) -> Topic:
    return Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def _organisation(name: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation:
        return organisation
    organisation = Organisation.objects.create(name=name, city="Münster" if "Münster" in name else "Gelsenkirchen")
    # partners and the chamber itself were in the CRM long before the seed's year
    Organisation.objects.filter(pk=organisation.pk).update(created_at=_at(2012, 1, 2, 9))
    organisation.refresh_from_db(fields=["created_at"])
    return organisation


def _event(slug, title, kind, mode, status, start, hours, topic, **extra) -> tuple[Event, bool]:
    existing = Event.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    venue = VENUES[M.IN_PERSON] if extra.pop("planned_in_person", False) else VENUES[mode]
    event = Event.objects.create(
        slug=slug, title=title, kind=kind, mode=mode, status=status, starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours), topic=_topic(topic), **venue,
        online_url="https://meet.example/industrie" if mode != M.IN_PERSON else "",
        summary=extra.pop("summary", ""), **extra,
    )  # fmt: skip
    if start < timezone.now():  # announced two months ahead, not when the demo was loaded
        Event.objects.filter(pk=event.pk).update(created_at=start - datetime.timedelta(days=60))
    return event, True


def _people(
    rng, event, audience, count, *, organisations=(), checked_in=True, status=Registration.Status.CONFIRMED, proof=""
):
    rows = []
    for number in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        organisation = rng.choice(organisations) if organisations else None
        rows.append(
            Registration(
                event=event, audience=audience, email=f"{slugify(first)}.{slugify(last)}.{event.pk}.{number}@example.org",
                first_name=first, last_name=last, organisation=organisation,
                organisation_name=organisation.name if organisation else "", status=status, partner_proof=proof,
                checked_in_at=event.starts_at if checked_in and rng.random() < 0.9 else None,
                sectors=sorted(rng.sample([k for k, _ in SECTORS], 2)),
                occupation_fields=sorted(rng.sample([k for k, _ in OCCUPATION_FIELDS], 2)),
            )
        )  # fmt: skip
    Registration.objects.bulk_create(rows)
    if event.starts_at < timezone.now():  # registered in the weeks before, not when the demo was loaded
        for number, row in enumerate(rows):
            row.created_at = event.starts_at - datetime.timedelta(days=3 + number % 25, hours=number % 7)
        Registration.objects.bulk_update(rows, ["created_at"])


def _add_partner(event, university):
    event.partners.add(university, through_defaults=PARTNER_PROOF.get(university.name, {}))


def _meet_the_boss_audiences(event, university):
    _add_partner(event, university)
    bosses = Audience.objects.create(event=event, name="Unternehmerinnen und Unternehmer", role=Audience.Role.BOSS, quota=10)  # fmt: skip
    students = Audience.objects.create(
        event=event, name="Studierende", role=Audience.Role.STUDENT, quota=25, partners_only=True, position=1
    )
    return bosses, students


@register_demo("events", order=40)
def build(rng) -> str:
    universities = [_organisation(name) for name in UNIVERSITIES]
    ihk = _organisation(IHK)
    members = Organisation.objects.exclude(member_number="").order_by("member_number")
    # 2020's participants come from companies recorded by then (contacts.demo.recorded_at)
    companies_2020 = list(members.filter(created_at__lt=_at(2020, 1, 1, 0))[:60])
    companies = list(members[:60])
    created = 0
    for slug, title, kind, mode, status, start, hours, topic, moved in EVENTS_2020:
        extra = {}
        if moved:
            extra = {"moved_online_at": start - datetime.timedelta(days=14), "sequence": 1, "planned_in_person": True}
        if status == St.CANCELLED:
            extra = {"cancelled_at": start - datetime.timedelta(days=45), "sequence": 1}
        event, new = _event(slug, title, kind, mode, status, start, hours, topic, **extra)
        if not new:
            continue
        created += 1
        event.organisers.add(ihk)
        if kind == K.MEET_THE_BOSS:
            university = universities[0] if "Münster" in title else universities[1]
            event.rounds, event.min_meetings = 4, 3
            event.save(update_fields=["rounds", "min_meetings"])
            bosses, students = _meet_the_boss_audiences(event, university)
            _people(rng, event, bosses, rng.randint(6, 9), organisations=companies_2020)
            _people(rng, event, students, rng.randint(14, 22), organisations=[university], proof=STAFF_PROVEN)
            meeting_plan_generate(event=event)
            continue
        audience = Audience.objects.create(event=event, name="Teilnehmende", role=Audience.Role.GENERAL)
        size = {K.CONGRESS: 120, K.SOCIAL_DAY: 60, K.FAIR_STAND: 0, K.EDITORS_CONFERENCE: 45}.get(
            kind, rng.randint(12, 35)
        )
        if size:
            _people(rng, event, audience, size, organisations=companies_2020, checked_in=status == St.HELD)
    created += _upcoming(rng, universities, ihk, companies)
    return f"{created} Veranstaltungen angelegt ({Event.objects.count()} im Bestand)"


def _upcoming(rng, universities, ihk, companies) -> int:
    today = timezone.localdate()

    def day(offset, hour):
        return timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=offset), datetime.time(hour))
        )

    created = 0
    event, new = _event(
        "demo-meet-the-boss", "Meet-the-Boss mit der Fachhochschule Münster", K.MEET_THE_BOSS, M.IN_PERSON,
        St.PUBLISHED, day(21, 17), 3, "Fachkräfte",
        summary="Unternehmerinnen und Unternehmer der Industrie-Initiative treffen Studierende – im Speed-Dating.",
        registration_deadline=day(19, 12),
    )  # fmt: skip
    if new:
        created += 1
        event.organisers.add(ihk)
        bosses, students = _meet_the_boss_audiences(event, universities[0])
        _add_partner(event, universities[1])
        Question.objects.create(event=event, text="Studiengang", kind=Question.Kind.TEXT, required=False)
        _people(rng, event, bosses, 5, organisations=companies, checked_in=False)
        _people(rng, event, students, 12, organisations=[universities[0]], checked_in=False, proof=STAFF_PROVEN)
    specs = [
        ("demo-webinar-ki-produktion", "Webinar: KI in der Produktion", K.WEBINAR, M.ONLINE, day(10, 10), 1, "Künstliche Intelligenz", {"capacity": 100}),
        ("demo-wasserstoff-workshop", "Workshop Wasserstoff im Mittelstand", K.WORKSHOP, M.IN_PERSON, day(35, 9), 4, "Energie und Klima", {"capacity": 3}),
        ("demo-redakteurskonferenz", "Redakteurskonferenz Industrie-Portal", K.EDITORS_CONFERENCE, M.HYBRID, day(45, 10), 2, "Industrie-Portal", {"requires_approval": True}),
        ("demo-ki-xchange", "KI XChange – Expertenaustausch", K.EXPERT_EXCHANGE, M.ONLINE, day(60, 15), 3, "Künstliche Intelligenz", {}),
    ]  # fmt: skip
    for slug, title, kind, mode, start, hours, topic, extra in specs:
        event, new = _event(slug, title, kind, mode, St.PUBLISHED, start, hours, topic, **extra)
        if not new:
            continue
        created += 1
        event.organisers.add(ihk)
        audience = Audience.objects.create(event=event, name="Teilnehmende", role=Audience.Role.GENERAL)
        if kind == K.WORKSHOP:
            Question.objects.create(event=event, text="Nehmen Sie am Mittagessen teil?", kind=Question.Kind.YESNO, required=True)  # fmt: skip
            _people(rng, event, audience, 3, organisations=companies, checked_in=False)
        elif kind == K.WEBINAR:
            Question.objects.create(event=event, text="Was erwarten Sie vom Webinar?", kind=Question.Kind.TEXT)
            _people(rng, event, audience, 20, organisations=companies, checked_in=False)
    return created
