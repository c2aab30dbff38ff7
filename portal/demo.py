"""Demo portal: profiles for the demo companies, with editors, contacts and offers."""

import datetime

from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_roles
from contacts.models import District, Organisation, OrganisationEditor, OrganisationRole
from contacts.services import consent_record
from core.demo import register_demo
from core.roles import Role
from portal import services
from portal.models import (
    CONSENT_PURPOSE,
    CONSENT_VERSION,
    CONSENT_WORDING,
    ChangeRequest,
    CompanyProfile,
    Occupation,
    Offer,
    Sector,
    Site,
)

# contacts demo name stem → (sector, occupation numbers of the CSV)
STEMS = {
    "Fördertechnik": (Sector.METAL, [2, 12, 6, 15, 46]), "Werkzeugmaschinen": (Sector.METAL, [2, 5, 12, 7, 15, 46]),
    "Präzisionsmechanik": (Sector.METAL, [5, 2, 25, 24, 19]), "Kunststofftechnik": (Sector.PLASTICS, [26, 18, 4, 46]),
    "Backwaren": (Sector.FOOD, [37, 44, 46, 18]), "Textilwerk": (Sector.TEXTILE, [39, 40, 46, 44]),
    "Chemie": (Sector.CHEMICAL, [27, 30, 29, 28, 46]), "Betonwerk": (Sector.BUILDING, [18, 2, 44, 46]),
    "Schaltanlagen": (Sector.ELECTRO, [6, 8, 7, 12, 46]), "Fahrzeugteile": (Sector.VEHICLES, [5, 12, 43, 20, 46]),
    "Büromöbel": (Sector.WOOD, [38, 18, 47, 44]), "Stahlwerk": (Sector.METAL, [22, 2, 6, 24, 21]),
    "Messtechnik": (Sector.ELECTRO, [8, 12, 33, 50, 46]), "Verpackung": (Sector.WOOD, [34, 18, 44, 52]),
    "Industrieservice": (Sector.SERVICES, [1, 6, 12, 13]), "Molkerei": (Sector.FOOD, [37, 44, 6, 46]),
    "Holzbau": (Sector.WOOD, [38, 3, 47]), "Stahlbau": (Sector.METAL, [3, 1, 20, 15]),
    "Folienwerk": (Sector.PLASTICS, [26, 35, 18, 6]), "Energie": (Sector.ENERGY, [6, 42, 41, 46]),
    "Software": (Sector.IT, [50, 48, 51, 47]), "Ingenieurbüro": (Sector.SERVICES, [15, 16, 47, 50]),
}  # fmt: skip
INTROS = [
    "Wir sind ein familiengeführtes Industrieunternehmen mit langer Tradition in der Region.",
    "Als wachsender Mittelständler entwickeln und fertigen wir für Kunden in ganz Europa.",
    "Unsere Produkte stecken in Maschinen, Fahrzeugen und Anlagen auf der ganzen Welt.",
    "Bei uns lernen Auszubildende in einer eigenen Lehrwerkstatt mit erfahrenen Ausbilderinnen und Ausbildern.",
]
REQUIREMENTS = [
    "Guter Hauptschulabschluss (Klasse 10) oder Fachoberschulreife, Interesse an Technik.",
    "Fachoberschulreife oder Abitur, Freude an Mathematik und Physik.",
    "Abitur oder Fachhochschulreife, Teamgeist und Lust auf Praxis.",
    "Neugier, handwerkliches Geschick und Zuverlässigkeit – Noten sind nicht alles.",
]
HOW_TO_APPLY = "Bewerben Sie sich mit Anschreiben, Lebenslauf und den letzten zwei Zeugnissen per E-Mail."
DEMO_PROFILES = 280
PORTAL_LAUNCH = datetime.date(2019, 3, 1)
PROFILES_BY_END_OF_2020 = 200


def _profile_created_at(index: int, organisation: Organisation, today: datetime.date) -> datetime.datetime:
    """When profile ``index`` went online: 200 between the launch and 2020, the rest since; never before its company."""
    if index < PROFILES_BY_END_OF_2020:
        first, last, position, count = PORTAL_LAUNCH, datetime.date(2020, 11, 30), index, PROFILES_BY_END_OF_2020
    else:
        first = datetime.date(2021, 1, 11)
        last = max(today - datetime.timedelta(days=14), first)
        position, count = index - PROFILES_BY_END_OF_2020, max(DEMO_PROFILES - PROFILES_BY_END_OF_2020, 1)
    day = first + (last - first) * position / max(count - 1, 1)
    planned = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
    return min(max(planned, organisation.created_at + datetime.timedelta(days=14)), timezone.now())


def _start_dates(today: datetime.date) -> list[datetime.date]:
    year = today.year if today.month < 8 else today.year + 1
    return [
        datetime.date(year, 8, 1),
        datetime.date(year, 9, 1),
        datetime.date(year + 1, 8, 1),
        datetime.date(year - 1, 8, 1),  # already started: must not show publicly
    ]


@register_demo("portal", order=50)
def build(rng) -> str:
    today = timezone.localdate()
    occupations = {occupation.number: occupation for occupation in Occupation.objects.all()}
    districts = list(District.objects.order_by("name"))
    organisations = list(Organisation.objects.exclude(member_number="").order_by("member_number")[:DEMO_PROFILES])
    staff = User.objects.filter(role_assignments__role__in=[Role.STAFF, Role.LEAD]).first()
    created = offers_created = 0
    for index, organisation in enumerate(organisations):
        sector, numbers = next(
            (value for stem, value in STEMS.items() if organisation.name.endswith(stem)), (Sector.OTHER, [46, 18])
        )
        trained = [occupations[n] for n in numbers if n in occupations]
        rolls = [rng.random() for _ in range(8)]
        count = 1 + int(rolls[0] * 4)
        chosen = rng.sample(trained, min(len(trained), 1 + int(rolls[1] * 3)))
        if CompanyProfile.objects.filter(organisation=organisation).exists():
            continue
        profile = services.profile_create(organisation=organisation, created_by=staff, review_required=index == 1)
        trains = "einem Beruf" if len(chosen) == 1 else f"{len(chosen)} Berufen"
        profile.short_description = f"{INTROS[index % len(INTROS)]} Wir bilden in {trains} aus."
        profile.description = (
            f"<p>{INTROS[(index + 1) % len(INTROS)]}</p><p><strong>Ausbildung bei uns:</strong> "
            f"{', '.join(o.name for o in chosen)}.</p>"
        )
        profile.sector = sector
        profile.founded_year = 1880 + int(rolls[2] * 140)
        profile.linkedin_url = f"https://www.linkedin.com/company/{profile.slug}" if rolls[3] < 0.5 else ""
        profile.instagram_url = f"https://www.instagram.com/{profile.slug.replace('-', '')}" if rolls[4] < 0.4 else ""
        profile.touched_at = timezone.now() - datetime.timedelta(days=int(rolls[5] * 300))
        profile.save()
        CompanyProfile.objects.filter(pk=profile.pk).update(created_at=_profile_created_at(index, organisation, today))
        profile.occupations.set(chosen)
        if rolls[6] < 0.2 and districts:
            other = districts[int(rolls[7] * len(districts))]
            Site.objects.create(
                profile=profile, name=f"Werk {other.name}", street=f"Gewerbepark {index % 40 + 1}",
                postcode=organisation.postcode or "48143", city=other.name, district=other,
            )  # fmt: skip
        # the editor (a demo account without password: staff would invite them)
        slug = profile.slug[:40]
        editor, _ = User.objects.get_or_create(
            email=f"redaktion.{organisation.member_number.lower()}@{slug}.example",
            defaults={"full_name": f"Redaktion {profile.name}"[:150]},
        )
        user_set_roles(user=editor, roles=[Role.EDITOR])
        OrganisationEditor.objects.get_or_create(user=editor, organisation=organisation)
        # consent for the training contact the contacts demo created; an HR contact for some
        for role in OrganisationRole.objects.filter(
            organisation=organisation, kind=OrganisationRole.Kind.TRAINING
        ).select_related("person"):
            if rng.random() < 0.85 and role.person.email:
                consent_record(
                    email=role.person.email, purpose=CONSENT_PURPOSE, wording=str(CONSENT_WORDING),
                    wording_version=CONSENT_VERSION, source="Demo-Daten", person=role.person, organisation=organisation,
                )  # fmt: skip
        if rng.random() < 0.4:
            services.contact_add(
                profile=profile, first_name=rng.choice(["Anja", "Kai", "Nina", "Ole", "Svenja", "Timo"]),
                last_name=rng.choice(["Lammers", "Hessing", "Berning", "Tenbrink"]),
                email=f"personal@{slug}.example", phone="0251 123456", kind=OrganisationRole.Kind.HR,
                job_title="Personalleitung", consent=True, by=editor,
            )  # fmt: skip
        contact = (
            OrganisationRole.objects.filter(organisation=organisation, kind__in=["training", "hr"])
            .order_by("pk")
            .first()
        )
        site = profile.sites.order_by("-is_main", "pk").first()
        dates = _start_dates(today)
        apply_roll = rng.random()  # how applicants reach the company: mail, an online form, or the text only
        for number in range(count):
            occupation = chosen[number % len(chosen)]
            kind = Offer.Kind.APPRENTICESHIP
            if number == 3:
                kind = Offer.Kind.INTERNSHIP
            elif occupation.number in (46, 50, 48) and rng.random() < 0.3:
                kind = Offer.Kind.DUAL_STUDY
            start = dates[(index + number) % len(dates)] if rng.random() < 0.9 else dates[0]
            if kind == Offer.Kind.INTERNSHIP:
                start = today + datetime.timedelta(days=30 + (index % 150))
            services._apply_offer(
                profile,
                None,
                {
                    "kind": kind,
                    "title": f"Duales Studium mit {occupation.name}"
                    if kind == Offer.Kind.DUAL_STUDY
                    else (f"Schülerpraktikum {occupation.name}" if kind == Offer.Kind.INTERNSHIP else ""),
                    "occupation": occupation.pk,
                    "site": site.pk if site else None,
                    "contact": contact.pk if contact else None,
                    "start_date": start.isoformat(),
                    "places": 1 + int(rng.random() * 4),
                    "requirements": REQUIREMENTS[(index + number) % len(REQUIREMENTS)],
                    "how_to_apply": HOW_TO_APPLY,
                    "apply_email": f"ausbildung@{slug}.example" if apply_roll < 0.6 else "",
                    "apply_url": f"https://karriere.{slug}.example/bewerben" if 0.4 < apply_roll < 0.8 else "",
                    "is_active": True,
                },
                editor,
            )
            offers_created += 1
        services.profile_index(profile)
        created += 1
    # One change waiting for review, so the review page has something to show.
    reviewed = CompanyProfile.objects.filter(review_required=True).order_by("pk").first()
    if reviewed and not ChangeRequest.objects.filter(profile=reviewed).exists():
        author = User.objects.filter(editor_of__organisation=reviewed.organisation_id).first()
        if author:
            services.change_submit(
                profile=reviewed, kind=ChangeRequest.Kind.PROFILE, author=author,
                data={"short_description": "Neu: Wir suchen Auszubildende für 2027 – jetzt bewerben!"},
                summary=f"Profil von {reviewed.name}",
            )  # fmt: skip
    return f"{created} Portal-Einträge, {offers_created} Angebote angelegt ({Offer.objects.count()} im Bestand)"
