"""Demo data of the seed's year 2020: policy talks, the two short studies, survey answers."""

import datetime
from decimal import Decimal

from django.utils import timezone

from climate.hydrogen import survey_demand_tonnes
from climate.models import CalculatorUse, PolicyTalk, Publication, SurveySubmission
from climate.reference import current_reference
from contacts.models import Organisation
from core.demo import register_demo

TALKS = [
    (datetime.date(2020, 1, 28), "Bezirksregierung Münster", "Regierungspräsidentin, Dezernat 53",
     "Regionale Wasserstoffstrategie: Koordination und Zeitplan",
     "Gemeinsame Koordination durch IHK und Bezirksregierung vereinbart."),
    (datetime.date(2020, 3, 5), "Landtag NRW", "Wirtschaftspolitische Sprecher zweier Fraktionen",
     "CO2-Bepreisung nach dem BEHG und energieintensiver Mittelstand",
     "Belastung ohne Ausweichmöglichkeit auf CO2-freie Brennstoffe dargelegt."),
    (datetime.date(2020, 6, 18), "Deutscher Bundestag", "Abgeordnete aus dem Kammerbezirk",
     "Nationale Wasserstoffstrategie blendet den Mittelstand aus",
     "Positionspapier übergeben; Folgetermin im Herbst."),
    (datetime.date(2020, 9, 10), "Ministerium für Wirtschaft, Energie NRW", "Referat Wasserstoff",
     "NRW-Wasserstoff-Roadmap und regionale Aktivitäten", "Region als Modellregion ins Gespräch gebracht."),
    (datetime.date(2020, 11, 12), "Bezirksregierung Münster", "Dezernat 53, Kreiswirtschaftsförderungen",
     "Entwurf der regionalen Wasserstoffstrategie", "Bedarfsumfrage bei Unternehmen beschlossen."),
]  # fmt: skip
STUDIES = [
    (
        "Kurzstudie Emissionshandel: Wirkung des nationalen CO2-Preises auf den energieintensiven Mittelstand",
        datetime.date(2020, 7, 1),
    ),
    ("Kurzstudie CO2-Produktlebenszyklusbetrachtung", datetime.date(2020, 10, 15)),
]
AUTHORS = "Fraunhofer-Institut für System- und Innovationsforschung ISI im Auftrag der IHK"
DEMO_SUBMISSIONS = 60


CALCULATOR_FIRST_MONTH = datetime.date(2021, 1, 1)  # the BEHG's prices applied from 2021: so did the calculator


def _calculator_uses(rng) -> int:
    """Monthly uses of the calculator from January 2021 to last month: more each January, when the price rises."""
    today = timezone.localdate()
    month, created = CALCULATOR_FIRST_MONTH, 0
    while (month.year, month.month) < (today.year, today.month):
        base = 40 + 6 * (month.year - 2021)
        count = base * (3 if month.month == 1 else 1) + rng.randint(0, 25)
        created += CalculatorUse.objects.get_or_create(month=month, defaults={"count": count})[1]
        month = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return created


@register_demo("climate", order=70)
def build(rng) -> str:
    created = 0
    for date, institution, people, topic, outcome in TALKS:
        _talk, new = PolicyTalk.objects.get_or_create(
            date=date, topic=topic, defaults={"institution": institution, "people": people, "outcome": outcome}
        )
        created += new
    for title, published_on in STUDIES:
        _pub, new = Publication.objects.get_or_create(
            title=title, defaults={"published_on": published_on, "authors": AUTHORS, "kind": Publication.Kind.STUDY,
                                   "summary": "Kurzstudie zur politischen Diskussion um die CO2-Bepreisung."},
        )  # fmt: skip
        created += new
    created += _calculator_uses(rng)
    candidates = list(
        Organisation.objects.filter(district__isnull=False).order_by("member_number", "id")[: DEMO_SUBMISSIONS * 3]
    )
    rng.shuffle(candidates)
    already = set(SurveySubmission.objects.values_list("organisation_id", flat=True))
    if not already:
        reference = current_reference()
        for organisation in candidates[:DEMO_SUBMISSIONS]:
            gas = Decimal(rng.randint(200, 40000) * 1000)
            oil = Decimal(rng.choice([0, 0, 0, rng.randint(5, 200) * 1000]))
            share = rng.choice([10, 25, 50, 75, 100])
            submission = SurveySubmission.objects.create(
                organisation=organisation, district_id=organisation.district_id, wz_section=organisation.wz_section,
                contact_name="Energiebeauftragte/r", contact_email=organisation.email or "energie@example.org",
                natural_gas_kwh=gas, heating_oil_l=oil, switch_year=rng.choice(range(2025, 2041)),
                switch_share=share,
                h2_demand_t=survey_demand_tonnes(reference, natural_gas_kwh=gas, heating_oil_l=oil, switch_share=share),
                can_host=rng.random() < 0.2, needs_connection=rng.random() < 0.7,
            )  # fmt: skip
            day = timezone.make_aware(datetime.datetime(2020, rng.randint(11, 12), rng.randint(1, 28), 10))
            SurveySubmission.objects.filter(pk=submission.pk).update(created_at=day)
            created += 1
    return f"{created} Klima-Datensätze angelegt"
