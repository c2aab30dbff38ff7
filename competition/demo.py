"""Demo data: the seed's 34th regional round (February 2020: 172 pupils, 97 projects, judged and published),
plus an open round in the demo's present with a teacher's teams, for trying registration and the jury area.

Idempotent: a round that exists (by its number) is left alone.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_roles
from competition import rules, services
from competition.models import (
    AREA_CODES,
    CONSENT_VERSION,
    Division,
    Edition,
    Gender,
    Jury,
    JuryMember,
    ParentalConsent,
    Participant,
    Project,
    School,
    ScorePoint,
    ScoreSheet,
    SpecialPrize,
    SubjectArea,
    TeamMember,
)
from core.demo import register_demo
from core.roles import Role

DEMO_PASSWORD = "kammerwerk-demo"  # noqa: S105 – the published demo password (accounts.demo)
SEED_PUPILS, SEED_PROJECTS = 172, 97  # the seed, section "Jugend forscht"
TEAM_SIZES = [1] * 40 + [2] * 39 + [3] * 18  # 97 projects, 172 pupils
VENUE = "IHK Nord Westfalen, Sentmaringer Weg 61, 48151 Münster"
SCHOOLS = [
    ("Gymnasium Paulinum", "Münster", "Münster"), ("Annette-von-Droste-Hülshoff-Gymnasium", "Münster", "Münster"),
    ("Hansa-Berufskolleg", "Münster", "Münster"), ("Gymnasium Remigianum", "Borken", "Borken"),
    ("St.-Georg-Gymnasium", "Bocholt", "Borken"), ("Alexander-Hegius-Gymnasium", "Ahaus", "Borken"),
    ("Gymnasium Nepomucenum", "Coesfeld", "Coesfeld"), ("Clemens-Brentano-Gymnasium", "Dülmen", "Coesfeld"),
    ("Gymnasium Arnoldinum", "Steinfurt", "Steinfurt"), ("Kopernikus-Gymnasium", "Rheine", "Steinfurt"),
    ("Gymnasium Dionysianum", "Rheine", "Steinfurt"), ("Goethe-Gymnasium", "Ibbenbüren", "Steinfurt"),
    ("Gymnasium Laurentianum", "Warendorf", "Warendorf"), ("Städtisches Gymnasium", "Ahlen", "Warendorf"),
    ("Thomas-Morus-Gymnasium", "Oelde", "Warendorf"), ("Schalker Gymnasium", "Gelsenkirchen", "Gelsenkirchen"),
    ("Josef-Albers-Gymnasium", "Bottrop", "Bottrop"), ("Gymnasium Petrinum", "Recklinghausen", "Recklinghausen"),
    ("Albert-Schweitzer-Gymnasium", "Marl", "Recklinghausen"), ("Realschule Hiltrup", "Münster", "Münster"),
    ("Gesamtschule Emsdetten", "Emsdetten", "Steinfurt"), ("Overberg-Realschule", "Greven", "Steinfurt"),
]  # fmt: skip
FIRST_F = [
    "Lea",
    "Mia",
    "Emma",
    "Hannah",
    "Lina",
    "Marie",
    "Sophie",
    "Clara",
    "Ida",
    "Paula",
    "Frieda",
    "Ella",
    "Nele",
    "Greta",
    "Amira",
    "Zoe",
]
FIRST_M = [
    "Ben",
    "Paul",
    "Jonas",
    "Elias",
    "Finn",
    "Noah",
    "Luis",
    "Felix",
    "Leon",
    "Emil",
    "Anton",
    "Jakob",
    "Milan",
    "Tim",
    "Yusuf",
    "Karl",
]
LAST = ["Schulte", "Hölscher", "Terhechte", "Brüggemann", "Wessels", "Bücker", "Tenhagen", "Kemper", "Overbeck", "Niehues",
        "Rottmann", "Hüsing", "Wiesmann", "Bröcker", "Vennemann", "Althoff", "Többen", "Janning", "Kötter", "Möllers",
        "Pieper", "Reckers", "Stegemann", "Upmann", "Yilmaz", "Nowak", "Kowalski", "Demir", "Schmitz", "Becker"]  # fmt: skip
TOPICS = {
    SubjectArea.WORK: ["Ergonomischer Schulranzen", "Smarte Pausenbrot-Box", "Lärm am Arbeitsplatz messen", "Sitzen wir richtig?"],
    SubjectArea.BIOLOGY: ["Kresse unter LED-Licht", "Mikroplastik in Regenwürmern", "Bienen und Blühstreifen", "Moos als Feinstaubfilter", "Hefe im Kältestress"],
    SubjectArea.CHEMISTRY: ["Säure im Apfelsaft", "Bioplastik aus Kartoffelschalen", "Farbstoffe aus Rotkohl", "Korrosion im Salzwasser", "Seife selbst gemacht"],
    SubjectArea.GEO: ["Wie sauber ist die Aa?", "Starkregen im Münsterland", "Sterne zählen trotz Lichtverschmutzung", "Bodenproben im Vergleich"],
    SubjectArea.MATHS: ["Primzahlen in Spiralen", "Ein Schachcomputer aus Pappe", "KI erkennt Unkraut", "Fahrpläne optimieren", "Muster im Pascalschen Dreieck"],
    SubjectArea.PHYSICS: ["Schwingende Brücken", "Ein Solarofen für den Schulhof", "Schall durch Wände", "Magnetische Bremse", "Tropfen auf heißen Platten"],
    SubjectArea.TECHNOLOGY: ["Roboter sortiert Müll", "Wasserstoff aus dem Schulgarten", "Ein Exoskelett für die Hand", "Automatische Bewässerung", "Windrad aus Recycling"],
}  # fmt: skip
JURORS = [
    ("jury@kammerwerk.example", "Prof. Ines Jury", "Universität Münster"),
    ("jury.chemie@kammerwerk.example", "Dr. Carl Chemie", "Chemiepark Marl"),
    ("jury.technik@kammerwerk.example", "Tanja Technik", "Maschinenbau Borken GmbH"),
    ("jury.physik@kammerwerk.example", "Dr. Paul Physik", "FH Münster"),
    ("jury.bio@kammerwerk.example", "Birte Bio", "Gymnasium Arnoldinum"),
    ("jury.mathe@kammerwerk.example", "Matthias Mathe", "Westfälische Hochschule"),
    ("jury.geo@kammerwerk.example", "Gesa Geo", "Geologischer Dienst NRW"),
]  # fmt: skip
TEACHER = ("lehrerin@kammerwerk.example", "Dr. Lena Lehrerin")


def _user(email: str, name: str, role: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    existing = set(user.role_assignments.values_list("role", flat=True))
    if role not in existing:
        user_set_roles(user=user, roles=sorted(existing | {role}))
    return user


def _schools() -> list[School]:
    from contacts.models import District

    districts = {d.name: d for d in District.objects.all()}
    schools = []
    for name, city, district in SCHOOLS:
        school, _ = School.objects.get_or_create(
            key=f"{name.casefold()}|{city.casefold()}",
            defaults={"name": name, "city": city, "district": districts.get(district)},
        )
        schools.append(school)
    return schools


def _team(rng, edition: Edition, size: int, division: str, used: set) -> list[tuple[str, str, datetime.date, str]]:
    members = []
    reference = edition.age_reference_date
    ages = range(10, 15) if division == Division.JUNIOR else range(15, 20)
    while len(members) < size:
        gender = Gender.FEMALE if rng.random() < 0.4 else Gender.MALE
        first = rng.choice(FIRST_F if gender == Gender.FEMALE else FIRST_M)
        last = rng.choice(LAST)
        age = rng.choice(ages)
        birth = datetime.date(reference.year - age, rng.randint(1, 12), rng.randint(1, 28))
        key = f"{last}|{first}|{birth:%Y-%m-%d}".casefold()
        if key not in used:
            used.add(key)
            members.append((first, last, birth, gender))
    return members


def _projects(rng, edition: Edition, schools, sizes, *, when: datetime.datetime, teacher=None) -> list[Project]:
    """Projects with their teams, every consent given (written directly: no mails in a demo)."""
    areas = list(SubjectArea.values)
    used, projects, counters = set(), [], {}
    for index, size in enumerate(sizes):
        area = areas[index % len(areas)]
        division = Division.JUNIOR if rng.random() < 0.45 else Division.SENIOR
        school = rng.choice(schools)
        team = _team(rng, edition, size, division, used)
        division = rules.division_for_ages(rules.age_on(b, edition.age_reference_date) for _f, _l, b, _g in team)
        prefix = f"{AREA_CODES[area]}-{'J' if division == Division.JUNIOR else 'S'}-"
        counters[prefix] = counters.get(prefix, 0) + 1
        project = Project.objects.create(
            edition=edition, number=f"{prefix}{counters[prefix]:02d}", title=rng.choice(TOPICS[area]),
            abstract="Eine Demo-Kurzbeschreibung: Fragestellung, Vorgehen und erste Ergebnisse des Projekts.",
            subject_area=area, division=division, school=school, teacher_name=str(teacher) if teacher else "Demo-Lehrkraft",
            teacher_email=teacher.email if teacher else f"lehrkraft.{school.pk}@schule.example", registered_by=teacher,
            status=Project.Status.REGISTERED, needs_power=rng.random() < 0.6, needs_table=True,
            needs_water=rng.random() < 0.1, stand_confirmed_at=when,
        )  # fmt: skip
        for position, (first, last, birth, gender) in enumerate(team, start=1):
            minor = rules.is_minor(birth, when.date())
            participant = Participant.objects.create(
                edition=edition, first_name=first, last_name=last, birth_date=birth, gender=gender, school=school,
                parent_email=f"eltern.{last.lower()}.{project.pk}@example.org" if minor else "",
                consent_status=Participant.Consent.GIVEN if minor else Participant.Consent.NOT_NEEDED,
                key=f"{last}|{first}|{birth:%Y-%m-%d}".casefold(),
            )  # fmt: skip
            if minor:
                ParentalConsent.objects.create(
                    participant=participant, parent_email=participant.parent_email, parent_name=f"Familie {last}",
                    status=Participant.Consent.GIVEN, wording=services.CONSENT_WORDING, version=CONSENT_VERSION,
                    answered_at=when,
                )  # fmt: skip
            TeamMember.objects.create(project=project, participant=participant, position=position)
        projects.append(project)
    return projects


def _juries(rng, edition: Edition, jurors: list[User]) -> list[Jury]:
    services.juries_create(edition=edition)
    juries = list(edition.juries.order_by("subject_area", "-division"))
    for index, jury in enumerate(juries):
        chosen = [jurors[index % len(jurors)], jurors[(index + 3) % len(jurors)]]
        for position, user in enumerate(chosen):
            JuryMember.objects.get_or_create(
                jury=jury, user=user, defaults={"is_chair": position == 0, "affiliation": ""}
            )
    return juries


def _score(rng, edition: Edition, juries: list[Jury]) -> None:
    criteria = list(edition.criteria.all())
    for jury in juries:
        members = list(jury.members.values_list("user_id", flat=True))
        strictness = {user_id: rng.uniform(-1.5, 1.0) for user_id in members}
        for project in jury.projects.all():
            quality = rng.uniform(3, 9)
            for user_id in members:
                for phase in (ScoreSheet.Phase.BEFORE, ScoreSheet.Phase.AFTER):
                    points = {
                        c.id: max(0, min(c.max_points, round(quality + strictness[user_id] + rng.uniform(-1, 1))))
                        for c in criteria
                    }
                    sheet = ScoreSheet.objects.create(
                        project=project, jury=jury, juror_id=user_id, phase=phase,
                        total=rules.weighted_total(points, criteria),
                    )  # fmt: skip
                    ScorePoint.objects.bulk_create(
                        ScorePoint(sheet=sheet, criterion=c, points=points[c.id]) for c in criteria
                    )


def _decide(juries: list[Jury], decided_by) -> None:
    from competition.selectors import jury_ranking

    for jury in juries:
        rows = [row for row in jury_ranking(jury).rows if row.rank.position]
        placements = {
            row.project.pk: (min(row.rank.position, 3) if row.rank.position <= 3 else None, "") for row in rows
        }
        services.jury_decide(jury=jury, decided_by=decided_by, placements=placements)


def _build_2020(rng, schools, jurors, staff) -> int:
    data = services.EditionData(
        number=34, year=2020, venue=VENUE, junior_name="Schüler experimentieren",
        registration_deadline=datetime.date(2019, 11, 30), written_work_deadline=datetime.date(2020, 1, 15),
        prescore_deadline=datetime.date(2020, 2, 18), contest_date=datetime.date(2020, 2, 20),
        retention_until=datetime.date(2020, 12, 31),
    )  # fmt: skip
    edition = services.edition_save(data=data)
    when = timezone.make_aware(datetime.datetime(2019, 12, 10, 18, 0))
    sizes = list(TEAM_SIZES)
    rng.shuffle(sizes)
    projects = _projects(rng, edition, schools, sizes, when=when)
    juries = _juries(rng, edition, jurors)
    _score(rng, edition, juries)
    _decide(juries, staff)
    services.stands_assign(edition=edition)
    services.interviews_plan(edition=edition)
    winners = [p for p in Project.objects.filter(edition=edition, place=1).order_by("number")]
    Project.objects.filter(pk__in=[p.pk for p in winners]).update(forwarded=True)
    for name, sponsor, topic in (
        ("Preis der Industrie-Initiative", "Industrie-Initiative", "Innovation"),
        ("Sonderpreis Umwelttechnik", "Stadtwerke", "Umwelt"),
        ("Patentpreis", "Patentanwaltskammer", "Erfindung"),
    ):
        SpecialPrize.objects.create(
            edition=edition, name=name, sponsor=sponsor, topic=topic, project=rng.choice(projects)
        )
    Edition.objects.filter(pk=edition.pk).update(
        results_published_at=timezone.make_aware(datetime.datetime(2020, 2, 21, 12, 0))
    )
    return len(projects)


def _open_round_year(today: datetime.date) -> int:
    """The contest year whose registration is open today (it closes on 30 November of the year before)."""
    return today.year + 1 if today <= datetime.date(today.year, 11, 30) else today.year + 2


def _build_current(rng, schools, jurors, teacher) -> int:
    today = timezone.localdate()
    year = _open_round_year(today)
    number = 34 + year - 2020
    if Edition.objects.filter(number=number).exists() or Edition.objects.filter(year=year).exists():
        return 0
    edition = services.edition_save(
        data=services.EditionData(number=number, year=year, venue=VENUE, **services.default_dates(year))
    )
    projects = _projects(rng, edition, schools, [3, 2, 1, 2, 1, 1, 3, 1], when=timezone.now(), teacher=teacher)
    # the demo teacher still has something to do: a consent out, no written works yet, one stand unknown
    pending = projects[0].members.first().participant
    Participant.objects.filter(pk=pending.pk).update(consent_status=Participant.Consent.PENDING)
    ParentalConsent.objects.filter(participant=pending).update(
        status=Participant.Consent.PENDING, answered_at=None, wording=""
    )
    Project.objects.filter(pk=projects[0].pk).update(status=Project.Status.PENDING)
    Project.objects.filter(pk=projects[1].pk).update(stand_confirmed_at=None)
    _juries(rng, edition, jurors)
    return len(projects)


@register_demo("competition", order=60)
def build(rng) -> str:
    own = random.Random(rng.random())  # independent of what other builders draw
    staff = User.objects.filter(email="team@kammerwerk.example").first()
    created = []
    with transaction.atomic():
        schools = _schools()
        jurors = [_user(email, name, Role.JUROR) for email, name, _affiliation in JURORS]
        teacher = _user(*TEACHER, Role.PUBLIC)
        if not Edition.objects.filter(number=34).exists():
            created.append(f"34. Runde 2020: {_build_2020(own, schools, jurors, staff)} Projekte")
        current = _build_current(own, schools, jurors, teacher)
        if current:
            created.append(f"offene Runde: {current} Projekte")
    return "; ".join(created) or "nichts Neues"
