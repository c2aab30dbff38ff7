"""Reference data loaded by a data migration: topic taxonomy, consultation-day series,
and the funding programmes researched in ``../shared/domain/funding_programmes.csv``
(status as researched on 24.11.2026; figures marked there as not confirmed are kept as text only).

``load_catalogue(apps)`` is idempotent (looks everything up by slug, creates only what is missing).
"""

import datetime
from decimal import Decimal

# area slug, area name, statistics area, [(slug, name)]
TOPICS = [
    ("foerderprogramme", "Förderprogramme", "funding", [
        ("foerderung-innovation", "Innovation"),
        ("foerderung-digitalisierung", "Digitalisierung"),
        ("foerderung-beratung", "Beratung und Gründung"),
        ("foerderung-finanzierung", "Finanzierung"),
    ]),
    ("technologie", "Technologie", "technology", [
        ("ce-kennzeichnung", "CE-Kennzeichnung"),
        ("patente", "Patente"),
        ("ki", "KI"),
        ("batterietechnik", "Batterietechnik"),
        ("wasserstoff", "Wasserstoff"),
    ]),
    ("energie", "Energie", "energy", [
        ("co2-bepreisung", "CO2-Bepreisung"),
        ("energieeffizienz", "Energieeffizienz"),
    ]),
]  # fmt: skip

SERIES = [
    ("erfinderberatung", "Erfinderberatung mit Patentanwälten", "inventor",
     "Kostenfreie Erstberatung zu Patent, Gebrauchsmuster, Design und Marke durch eine Patentanwältin oder einen "
     "Patentanwalt, in Einzelgesprächen. Für die Anmeldung von Schutzrechten fördert WIPANO KMU mit 50 %."),
    ("ce-kennzeichnung", "CE-Sprechtag", "ce",
     "Erste Orientierung zur CE-Kennzeichnung und Produktsicherheit in einer kleinen Gruppe mit einer Expertin "
     "oder einem Experten."),
    ("foerderberatung", "Expertensprechtag Förderung", "funding",
     "Einzelgespräche zu Zuschussprogrammen für Innovation und Digitalisierung mit Expertinnen und Experten."),
    ("patentberatung-jugend-forscht", "Patentberatung für Jugend forscht", "other",
     "Patentberatung für die Teilnehmenden des Regionalwettbewerbs vor Beginn des Wettbewerbs."),
]  # fmt: skip

PROGRAMMES = [
    dict(
        slug="zim", short_name="ZIM", name="ZIM – Zentrales Innovationsprogramm Mittelstand", level="federal",
        funder="BMWK (seit 2025: BMWE); Projektträger AiF Projekt GmbH (Kooperationen), VDI/VDE-IT (Einzelprojekte)",
        target_group="Unternehmen mit weniger als 500 Beschäftigten (VZÄ, inkl. verbundener Unternehmen); unter 1.000 "
        "nur in Kooperation mit einem KMU; Forschungseinrichtungen als Partner",
        max_employees=499,
        funding_rate="Richtlinie 2020: Einzelprojekte 25–45 %, Kooperationen 30–55 %; Quoten der Richtlinie 2025 nicht bestätigt",
        max_rate_percent=45, max_amount=None,
        max_amount_text="förderfähige Kosten bis 690.000 € je Einzelprojekt (Richtlinie 2025; 2020: 550.000 €); "
        "Kooperationsprojekt bis 3,0 Mio. €",
        status="running", status_note="neue Richtlinie seit 01.01.2025", starts_on=datetime.date(2025, 1, 1),
        url="https://www.zim.de", topics=["foerderung-innovation", "ki", "batterietechnik", "wasserstoff"],
        sources="ihk.de/gera; ihk.de/schwaben; innovationspartner-mittelstand.de",
    ),
    dict(
        slug="go-digital", short_name="go-digital", name="go-digital", level="federal",
        funder="BMWi/BMWK; autorisierte Beratungsunternehmen stellen den Antrag",
        target_group="Unternehmen mit weniger als 100 Beschäftigten und höchstens 20 Mio. € Umsatz oder Bilanzsumme",
        max_employees=99, funding_rate="50 % der Beratungskosten", max_rate_percent=50, max_amount=Decimal("16500"),
        max_amount_text="höchstens 30 Beratertage zu 1.100 € – Zuschuss bis 16.500 €",
        status="ended", status_note="ausgelaufen zum 31.12.2024", ends_on=datetime.date(2024, 12, 31),
        url="https://www.innovation-beratung-foerderung.de", topics=["foerderung-digitalisierung"],
        sources="innovation-beratung-foerderung.de Meldung 05.06.2024",
    ),
    dict(
        slug="digital-jetzt", short_name="Digital Jetzt", name="Digital Jetzt – Investitionsförderung für KMU",
        level="federal", funder="BMWi/BMWK; DLR Projektträger",
        target_group="Unternehmen mit 3 bis 499 Beschäftigten", min_employees=3, max_employees=499,
        funding_rate="bis 30.06.2021 50/45/40 %, danach 40/35/30 %, Bonus bis 20 Prozentpunkte", max_rate_percent=50,
        max_amount=Decimal("50000"), max_amount_text="50.000 € je Unternehmen, in Wertschöpfungsketten bis 100.000 €",
        status="ended", status_note="Anträge bis Ende 2023", ends_on=datetime.date(2023, 12, 31),
        topics=["foerderung-digitalisierung"], sources="projekttraeger.dlr.de; ihk.de/halle",
    ),
    dict(
        slug="kmu-innovativ", short_name="KMU-innovativ", name="KMU-innovativ", level="federal",
        funder="BMBF (seit 2025: BMFTR)", target_group="KMU nach EU-Definition (unter 250 Beschäftigte)",
        max_employees=249, funding_rate="Unternehmen meist bis 50 %, Forschungseinrichtungen bis 100 %",
        max_rate_percent=50, max_amount=None, max_amount_text="keine feste Obergrenze",
        status="running", status_note="Skizzen zum 15.04. und 15.10.; Stand aller Technologiefelder 2026 nicht bestätigt",
        topics=["foerderung-innovation", "ki", "batterietechnik"], sources="bmbf.de; ihk-rlp.de",
    ),
    dict(
        slug="mid-nrw", short_name="MID NRW", name="Mittelstand Innovativ & Digital (MID) – NRW", level="state",
        region="NRW", funder="Land NRW (MWIKE); ab 01.01.2026 NRW.BANK",
        target_group="Kleinst-, kleine und mittlere Unternehmen mit Sitz in NRW (unter 250 Beschäftigte)",
        max_employees=249, funding_rate="Gutschein für externe Dienstleistungen; Quote nicht bestätigt",
        max_rate_percent=None, max_amount=Decimal("15000"),
        max_amount_text="MID-Digitalisierung bis 15.000 € (Beträge 2026 nicht bestätigt); Analyse und Innovation seit 01.07.2025 geschlossen",
        status="running", status_note="MID-Digitalisierung 2026–2029, Vergabe per Losverfahren",
        starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2029, 12, 31),
        topics=["foerderung-digitalisierung", "ki"], sources="nordrhein-westfalen-foerdert.nrw; ihk.de/koeln",
    ),
    dict(
        slug="wipano", short_name="WIPANO", name="WIPANO – Wissens- und Technologietransfer durch Patente und Normen",
        level="federal", funder="BMWi/BMWK; Projektträger Jülich",
        target_group="KMU und Start-ups ohne Patent- oder Gebrauchsmusteranmeldung in den letzten 3 Jahren",
        max_employees=249, funding_rate="50 % der förderfähigen Ausgaben", max_rate_percent=50,
        max_amount=Decimal("16000"), max_amount_text="Quellen uneinheitlich: bis 16.000 € (Richtlinie 2024), 16.575 € oder 16.600 €",
        status="running", status_note="Richtlinie 02/2024, laut Quellen bis Mitte 2027",
        topics=["patente"], sources="serviva.com; mw-patent.de; bhs-ip.com",
    ),
    dict(
        slug="inno-kom", short_name="INNO-KOM", name="INNO-KOM – FuE-Förderung gemeinnütziger externer Industrieforschungseinrichtungen",
        level="federal", funder="BMWK (BMWE); Projektträger EuroNorm GmbH", companies_eligible=False,
        applicants="gemeinnützige externe Industrieforschungseinrichtungen",
        target_group="keine Unternehmen: gemeinnützige Industrieforschungseinrichtungen in strukturschwachen Regionen",
        funding_rate="Vorlaufforschung bis 90 %, marktorientierte FuE bis 70 %, Investitionen bis 90 %",
        max_rate_percent=90, max_amount=Decimal("550000"), max_amount_text="VF bis 550.000 €, MF bis 400.000 €, IZ 250.000–500.000 €",
        status="running", topics=["foerderung-innovation"], sources="innovation-beratung-foerderung.de",
    ),
    dict(
        slug="forschungszulage", short_name="Forschungszulage", name="Forschungszulage (FZulG)", level="federal",
        funder="Bundesfinanzverwaltung; Bescheinigungsstelle Forschungszulage (BSFZ)",
        target_group="alle steuerpflichtigen Unternehmen unabhängig von der Größe",
        funding_rate="25 % der Bemessungsgrundlage, KMU 35 %", max_rate_percent=35, max_amount=Decimal("4200000"),
        max_amount_text="Bemessungsgrundlage ab 2026 bis 12 Mio. € je Jahr – für KMU bis 4,2 Mio. € Zulage",
        status="running", status_note="seit 01.01.2020, ohne Enddatum im Gesetz", starts_on=datetime.date(2020, 1, 1),
        url="https://www.bescheinigung-forschungszulage.de", topics=["foerderung-innovation", "ki", "batterietechnik", "wasserstoff"],
        sources="FZulG §§ 3, 4",
    ),
    dict(
        slug="exist", short_name="EXIST", name="EXIST (Gründungsstipendium, Forschungstransfer, EXIST-Women)",
        level="federal", funder="BMWK (BMWE), ESF Plus; Projektträger Jülich", companies_eligible=False,
        applicants="Gründungsteams aus Hochschulen und Forschungseinrichtungen",
        target_group="Gründungen aus Hochschulen und Forschungseinrichtungen, Teams bis 3 Personen",
        funding_rate="100 % Zuschuss (Stipendium, Sachkosten, Coaching)", max_rate_percent=100,
        max_amount=None, max_amount_text="1.000–3.000 € im Monat für 12 Monate, Sachkosten 10.000/30.000 €, Coaching 5.000 €",
        status="running", status_note="Anträge bis 31.12.2027", ends_on=datetime.date(2027, 12, 31),
        url="https://www.exist.de", topics=["foerderung-beratung", "foerderung-innovation"], sources="exist.de",
    ),
    dict(
        slug="bafa-unternehmensberatung", short_name="BAFA-Beratung", name="Förderung von Unternehmensberatungen für KMU (BAFA)",
        level="federal", funder="BMWK und ESF Plus; BAFA", max_employees=249,
        target_group="KMU nach EU-Definition, auch Freie Berufe; höchstens 5 Beratungen 2023–2026, 2 je Jahr",
        funding_rate="80 % (neue Länder u. a.) oder 50 % (übrige Regionen)", max_rate_percent=80,
        max_amount=Decimal("2800"), max_amount_text="Beratungshonorar bis 3.500 € – Zuschuss bis 2.800 € bzw. 1.750 €",
        status="running", status_note="Richtlinie bis 31.12.2026", starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2026, 12, 31), url="https://www.bafa.de", topics=["foerderung-beratung"],
        sources="ihk.de/hamburg; ihk.de/freiburg",
    ),
    dict(
        slug="bpw-nrw", short_name="BPW NRW", name="Beratungsprogramm Wirtschaft NRW (BPW) – Gründungsberatung",
        level="state", region="NRW", funder="Land NRW / ESF; IBP IHK Beratungs- und Projektgesellschaft",
        companies_eligible=False, applicants="Gründerinnen, Gründer und Nachfolger in NRW",
        target_group="Gründerinnen, Gründer und Nachfolger in NRW über eine regionale Anlaufstelle (z. B. IHK)",
        funding_rate="50 %, 80 % oder 90 %", max_rate_percent=90, max_amount=None,
        max_amount_text="510 € je Beratertag, höchstens 6 (Gründung) bzw. 8 Tage (Übernahme)",
        status="running", status_note="Laufzeit der Richtlinie nicht bestätigt", topics=["foerderung-beratung"],
        sources="ihk.de/duesseldorf; ibp-ihk.de",
    ),
]  # fmt: skip


def load_catalogue(apps=None) -> int:
    if apps is None:
        from django.apps import apps
    Topic = apps.get_model("advisory", "Topic")  # noqa: N806
    Series = apps.get_model("advisory", "ConsultationSeries")  # noqa: N806
    Programme = apps.get_model("advisory", "FundingProgramme")  # noqa: N806
    created = 0
    for area_position, (slug, name, area, children) in enumerate(TOPICS):
        parent, was_created = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "area": area, "position": area_position}
        )
        created += was_created
        for position, (child_slug, child_name) in enumerate(children):
            created += Topic.objects.get_or_create(
                slug=child_slug, defaults={"name": child_name, "area": area, "parent": parent, "position": position}
            )[1]
    for slug, name, kind, description in SERIES:
        created += Series.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description}
        )[1]
    for data in PROGRAMMES:
        data = dict(data)
        topics = data.pop("topics", [])
        programme, was_created = Programme.objects.get_or_create(slug=data.pop("slug"), defaults=data)
        if was_created:
            programme.topics.set(Topic.objects.filter(slug__in=topics))
            created += 1
    return created
