"""Demo region: the districts of the seed's chamber, a few hundred companies and who edits two of them.

Records carry the date they were recorded, not the day the demo was loaded: most companies were in
the CRM before 2020 (the seed's year, whose consultations and events point at them), a few were
added in 2020 and in each year since (:func:`recorded_at`).
"""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from accounts.selectors import user_for_email
from contacts.models import District, Organisation, OrganisationEditor, OrganisationRole, Person, Tag
from contacts.regions import DEMO_DISTRICTS
from core.demo import register_demo

CITIES = {
    "Münster": [("48143", "Münster"), ("48155", "Münster"), ("48163", "Münster")],
    "Borken": [("46325", "Borken"), ("46395", "Bocholt"), ("48683", "Ahaus"), ("46414", "Rhede"), ("48691", "Vreden")],
    "Coesfeld": [("48653", "Coesfeld"), ("48249", "Dülmen"), ("59348", "Lüdinghausen"), ("48727", "Billerbeck")],
    "Steinfurt": [("48565", "Steinfurt"), ("48431", "Rheine"), ("49477", "Ibbenbüren"), ("48268", "Greven"), ("48282", "Emsdetten")],
    "Warendorf": [("48231", "Warendorf"), ("59227", "Ahlen"), ("59269", "Beckum"), ("59302", "Oelde")],
    "Gelsenkirchen": [("45879", "Gelsenkirchen"), ("45897", "Gelsenkirchen")],
    "Bottrop": [("46236", "Bottrop"), ("46244", "Bottrop")],
    "Recklinghausen": [("45657", "Recklinghausen"), ("45768", "Marl"), ("45699", "Herten"), ("45721", "Haltern am See"), ("45964", "Gladbeck")],
}  # fmt: skip

# (WZ code, name stem) of typical industrial firms of the region
SECTORS = [
    ("28.22", "Fördertechnik"), ("28.41", "Werkzeugmaschinen"), ("25.62", "Präzisionsmechanik"), ("22.29", "Kunststofftechnik"),
    ("10.71", "Backwaren"), ("13.92", "Textilwerk"), ("20.16", "Chemie"), ("23.61", "Betonwerk"), ("27.12", "Schaltanlagen"),
    ("29.32", "Fahrzeugteile"), ("31.01", "Büromöbel"), ("24.10", "Stahlwerk"), ("26.51", "Messtechnik"), ("17.21", "Verpackung"),
    ("33.12", "Industrieservice"), ("10.51", "Molkerei"), ("16.23", "Holzbau"), ("25.11", "Stahlbau"), ("22.21", "Folienwerk"),
    ("35.11", "Energie"), ("62.01", "Software"), ("71.12", "Ingenieurbüro"),
]  # fmt: skip
FAMILY_NAMES = [
    "Schulte", "Hölscher", "Terhechte", "Brüggemann", "Wessels", "Bücker", "Tenhagen", "Kemper", "Lütkenhaus", "Overbeck",
    "Büscher", "Niehues", "Rottmann", "Hüsing", "Wiesmann", "Große-Kleimann", "Bröcker", "Vennemann", "Althoff", "Sendker",
    "Többen", "Löhring", "Janning", "Wigger", "Kötter", "Möllers", "Pieper", "Reckers", "Stegemann", "Upmann",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Lena", "Julia", "Sabine", "Petra", "Maria", "Katharina", "Sophie", "Laura", "Birgit",
    "Thomas", "Michael", "Stefan", "Andreas", "Markus", "Jan", "Christian", "Tobias", "Frank", "Jörg",
]  # fmt: skip
LEGAL = ["GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."]
TAGS = ["Wasserstoff", "Ausbildung", "Industrie-Initiative", "Meet-the-Boss", "CE-Kennzeichnung", "Energieeffizienz"]

DEMO_ORGANISATIONS = 300
# The demo logins of the company editors (accounts' demo) and the companies they edit, by member number:
# a fixed key, so other modules' demo organisations never shift who edits what.
DEMO_EDITORS = [("redaktion@kammerwerk.example", "NW000001"), ("redaktion2@kammerwerk.example", "NW000002")]
KNOWN_BEFORE_2020 = 270  # NW000001 … NW000270 were recorded before 2020
NEW_IN_2020 = 15  # the next 15 in 2020, the rest spread over the years since


def recorded_at(number: int, today: datetime.date | None = None) -> datetime.datetime:
    """When demo organisation ``number`` (1-based) was recorded: spread evenly, never in the future."""
    today = today or timezone.localdate()
    if number <= KNOWN_BEFORE_2020:
        first, last, position, count = datetime.date(2012, 1, 2), datetime.date(2019, 12, 20), number, KNOWN_BEFORE_2020
    elif number <= KNOWN_BEFORE_2020 + NEW_IN_2020:
        first, last, position, count = (
            datetime.date(2020, 1, 15), datetime.date(2020, 12, 15), number - KNOWN_BEFORE_2020, NEW_IN_2020,
        )  # fmt: skip
    else:
        later = DEMO_ORGANISATIONS - KNOWN_BEFORE_2020 - NEW_IN_2020
        first, last = datetime.date(2021, 1, 15), max(today - datetime.timedelta(days=30), datetime.date(2021, 2, 1))
        position, count = number - KNOWN_BEFORE_2020 - NEW_IN_2020, max(later, 1)
    day = first + (last - first) * (position - 1) / max(count - 1, 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


@register_demo("contacts", order=10)
def build(rng) -> str:
    districts = {}
    for name in DEMO_DISTRICTS:
        districts[name], _ = District.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    created = 0
    for number in range(1, DEMO_ORGANISATIONS + 1):
        member_number = f"NW{number:06d}"
        district_name = rng.choice(DEMO_DISTRICTS)
        postcode, city = rng.choice(CITIES[district_name])
        wz_code, stem = rng.choice(SECTORS)
        family = rng.choice(FAMILY_NAMES)
        employees = int(rng.lognormvariate(3.8, 1.1)) + 3
        legal = rng.choice(LEGAL)
        tag_choice = rng.sample(tags, rng.randint(0, 2))
        first, last, kind_roll = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES), rng.random()
        if Organisation.objects.filter(member_number=member_number).exists():
            continue
        organisation = Organisation.objects.create(
            name=f"{family} {stem}",
            legal_form=legal,
            street=f"{rng.choice(['Industriestraße', 'Gewerbering', 'Am Hafen', 'Dieselstraße', 'Robert-Bosch-Straße'])} {rng.randint(1, 120)}",
            postcode=postcode,
            city=city,
            district=districts[district_name],
            wz_code=wz_code,
            employees=employees,
            member_number=member_number,
            energy_intensive=wz_code[:2] in {"24", "23", "20", "17", "13", "22"},
            website=f"https://www.{slugify(family + '-' + stem)}.example",
            email=f"info@{slugify(family + '-' + stem)}.example",
            phone=f"0{rng.randint(2000, 5999)} {rng.randint(1000, 99999)}",
        )
        organisation.tags.set(tag_choice)
        person = Person.objects.create(
            first_name=first,
            last_name=last,
            email=f"{slugify(first)}.{slugify(last)}.{number}@{slugify(family + '-' + stem)}.example",
        )
        OrganisationRole.objects.create(
            person=person, organisation=organisation, kind=OrganisationRole.Kind.MANAGING_DIRECTOR
        )
        if kind_roll < 0.6:
            trainer = Person.objects.create(
                first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(FAMILY_NAMES),
                email=f"ausbildung.{number}@{slugify(family + '-' + stem)}.example",
            )  # fmt: skip
            OrganisationRole.objects.create(
                person=trainer, organisation=organisation, kind=OrganisationRole.Kind.TRAINING
            )
        when = recorded_at(number)
        Organisation.objects.filter(pk=organisation.pk).update(created_at=when)
        Person.objects.filter(roles__organisation=organisation).update(created_at=when)
        OrganisationRole.objects.filter(organisation=organisation).update(created_at=when)
        created += 1
    for email, member_number in DEMO_EDITORS:
        user, organisation = user_for_email(email), Organisation.objects.filter(member_number=member_number).first()
        if user is not None and organisation is not None:
            OrganisationEditor.objects.get_or_create(user=user, organisation=organisation)
    return f"{created} Organisationen angelegt ({Organisation.objects.count()} im Bestand)"
