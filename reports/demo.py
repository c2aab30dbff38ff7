"""Demo: the seed's annual report for 2020, written as a report template with placeholders.

The text follows the seed (``shared/seed/000_…txt``) section by section; every number in it is a
placeholder, so the figures come from the demo's records (``reports/tests/test_seed_2020.py``
checks each against the seed). ``competition.*`` figures come from the Jugend forscht module.
"""

from core.demo import register_demo

TITLE = "Jahresbericht 2020"
SUBTITLE = "Branchenbericht Industrie"
YEAR = 2020

ENERGY = """Die aktuelle Entwicklung rund um das Thema Wasserstoff mit der nationalen und der europäischen Wasserstoffstrategie, der NRW Wasserstoff-Roadmap und regionaler Aktivitäten waren ein zentrales Thema im Bereich Industrie. Nachdem klar war, dass vor allem auf den energieintensiven Mittelstand mit der CO2-Bepreisung massive Belastungen ab 2021 zukommen werden, und darüber hinaus Wasserstoff in vielen Bereichen als alternativer Brennstoff eine große Bedeutung erhalten kann, musste sich Nord-Westfalen als Region neu aufstellen. Dabei hat die IHK gemeinsam mit der Bezirksregierung in Münster die Koordination der regionalen Aktivitäten rund um das Thema Wasserstoff übernommen. Dazu gehörte die Erarbeitung einer regionalen Strategie, mit der sich die Region auf kommende Entwicklungen einstellen kann.

Im Hinblick auf die Klimaschutzaktivitäten der Bundesregierung wurden zahlreiche Politikgespräche geführt. Besonders die CO2-Bepreisung nach dem Brennstoffemissionshandelsgesetz war hier ein Thema. Dadurch werden viele mittelständische Unternehmen belastet, ohne dass sie eine Möglichkeit haben, mit CO2-freien Brennstoffen die Belastungen zu umgehen. Hier galt es vor allem zu verdeutlichen, dass die nationale Wasserstoffstrategie den energieintensiven Mittelstand vollständig ausblendet. Darüber hinaus brachte sich die IHK mit {climate.studies|wort} Kurzstudien zum Emissionshandel und zur CO2-Produktlebenszyklusbetrachtung des Fraunhofer-Instituts für System- und Innovationsforschung in die politische Diskussion ein.

[[Tabelle: climate.policy_talks, climate.studies, climate.survey_companies]]"""

INNOVATION = """Kleine und mittlere Unternehmen (KMU) haben selten große Finanzpolster, die sie in Innovations- oder Digitalisierungsprojekte investieren können. Ziel der Investition sollte sein, eines Tages einen hohen ROI zu erzielen. Um sich im Konkurrenzkampf zu behaupten, müssen KMU oft neue Produkte oder Geschäftsmodelle im Markt etablieren. Sind die Ergebnisse vielversprechend, könnte der Fortbestand des Unternehmens über viele Jahre gesichert werden. Um das Risiko zu verringern, stehen KMU für ihre innovativen Projekte zahlreiche Unterstützungsmöglichkeiten zur Verfügung. Die IHK hat hierbei {advisory.talks_funding|rund} Erstberatungsgespräche zu essenziellen Zuschussförderprogrammen im Bereich Innovation & Digitalisierung durchgeführt. Zusätzlich unterstützt wurde das Angebot mit erstmalig {advisory.expert_days_funding|wort} Expertensprechtagen.

Weiter wurde in {advisory.talks_technology|rund} Erstberatungsgesprächen Auskunft zu Innovations- und Technologiefragen gegeben. Den Schwerpunkt bildete das Thema CE-Kennzeichnung ({advisory.technology_ce_share} Prozent dieser Gespräche). Die IHK unterstützte mit kostenfreien Erfinderberatungen und CE-Expertensprechtagen. Es wurden {advisory.inventor_talks} Einzelberatungen mit Patentanwälten bei {advisory.inventor_days} kostenfreien Sprechtagen vermittelt und erstmalig ab Herbst {advisory.ce_days|wort} CE-Sprechtage mit insgesamt {advisory.ce_participants} Teilnehmern durchgeführt. Im Jahr {jahr} stand auch das Thema KI im Fokus. Hier wurde eine Reihe an Aktivitäten und Unterstützungen angeboten. Beispiele sind der kostenlose Online-Kurs „Elements of AI“, die Webinarreihe KI und der Expertenaustausch KI XChange. Darüber hinaus hat sich die IHK in dem Technologiefeld Batterietechnik im Rahmen der Batterieforschungsfabrik engagiert.

[[Aufteilung: advisory.talks_by_topic]]

[[Tabelle: advisory.talks_funding, advisory.talks_technology, advisory.inventor_days, advisory.inventor_talks, advisory.ce_days, advisory.ce_participants]]"""

INITIATIVE = """Entgegen der ursprünglichen Planung zur Fortführung der Initiative Industrie für das Jahr {jahr} konnten Veranstaltungen, etwa der Social Day, der Industriekongress sowie Präsenztreffen in den Industrieverbünden aufgrund der Corona-Pandemie nicht stattfinden.

[[Tabelle: events.cancelled.social_day, events.cancelled.congress, events.cancelled.network_meeting]]

Dennoch ist es gelungen, neue Angebote und Formate erfolgreich zu etablieren. Im {newsletter.first_issue_month} ist erstmalig der Industrie-Newsletter erschienen, der monatlich über Neuigkeiten für Industrieunternehmen informiert und dabei auch {newsletter.items_initiative_per_issue|wort} Meldungen aus dem Bereich der Industrie-Initiative aufnimmt. Somit trägt auch das Format des Newsletters, der zwischenzeitlich {newsletter.subscribers|über} Abonnenten zählt, zu einer besseren Verzahnung zwischen IHK und Initiative bei.

[[Aufteilung: newsletter.subscribers_by_month]]

Obwohl der Social Day in den Industrieverbünden nicht stattfinden konnte, haben sich einige Industrieverbünde während der Sommermonate in Präsenz und während der Kontakteinschränkungen digital getroffen. Das Team der Geschäftsstelle hat diese Treffen begleitet. Herausfordernd gestaltet sich in Zeiten einer Pandemie die Reaktivierung und Neuaufbau von Industrieverbünden, sind hierfür persönliche Gespräche und Treffen grundlegend. Dies soll nach Möglichkeit in 2021 intensiviert werden. Hierzu wurde bereits in {jahr} ein Onepager erstellt, der für die weitere Akquise von Unternehmen und neuen Industrieverbünden genutzt werden kann.

In der zweiten Jahreshälfte konnten weiterhin {events.meet_the_boss|wort} Meet-the-Boss-Veranstaltungen durchgeführt werden, bei denen Mitglieder und Förderer der Industrie-Initiative mit Studierenden von {events.meet_the_boss_universities|wort} Hochschulen, der Fachhochschule Münster und der Westfälischen Hochschule Gelsenkirchen, in Kontakt kommen konnten. Die Veranstaltungen wurden medial durch die IHK begleitet und fanden sowohl in den Reihen der Unternehmer, der Studierenden, wie auch seitens der Hochschulen großen Zuspruch, sodass bereits für 2021 weitere Termine geplant wurden.

Daneben hat sich die Industrie-Initiative im Rahmen einer Kooperation mit dem Geschäftsbereich Bildung der IHK Nord Westfalen an der AzuBeYou-Messe im November mit einem Stand beteiligt, über den Ausbildungsinteressierte auf das Industrie-Portal aufmerksam gemacht werden konnten. Weiterhin führte die Initiative die Aktion Azubimojis meets Industrie-Initiative mit dem Geschäftsbereich Bildung durch, bei denen Ausbildungsberufe der Industrie durch Auszubildende von Industrieunternehmen über den IHK-Instagram-Kanal und unter Verwendung des Logos der Initiative vorgestellt wurden. Dies sind weitere Beispiele, wie in {jahr} eine gute Verzahnung mit Angeboten der IHK hergestellt werden konnte, ohne die Identität der Industrie-Initiative zu vernachlässigen. Die erzielten Reichweiten bei der Instagram-Aktion unterstreichen den Erfolg und die Intention, Ausbildungsberufe in der Industrie und die dahinterstehenden Unternehmen sichtbar werden zu lassen.

Schließlich hat das Team der Geschäftsstelle in enger Abstimmung mit der begleitenden Agentur Verbesserungen am Industrie-Portal vorgenommen, das den Außenauftritt der Industrie-Initiative bildet. So wurden erstmalig die Personal- und Ausbildungsansprechpartner der auf dem Portal vertretenen Unternehmen zu einer Redakteurskonferenz im Dezember eingeladen, bei der das IHK-Team über die Neuerungen am Industrie-Portal gemeinsam mit der Agentur informiert hat. Das Treffen erfreute sich großer Resonanz, weshalb eine Wiederholung in 2021 vorgesehen ist.

[[Tabelle: events.held, events.meet_the_boss, newsletter.issues, newsletter.subscribers, portal.companies]]"""

YOUTH = """Kurz vor Verschärfung der Corona-Lage wurde der {competition.edition_number}. Regionalwettbewerb Jugend forscht/Schüler experimentieren durchgeführt. {competition.participants} Schülerinnen und Schüler mit {competition.projects} Projekten nahmen diesmal wieder mit spannenden Projekten aus dem MINT-Bereich am Wettbewerb teil. Aufgrund der sich verschärfenden Corona-Situation konnten in diesem Jahr die Landes- und Bundeswettbewerbe nicht durchgeführt werden. Zusammen mit einem Patentanwalt wurde zudem vor Beginn des Wettbewerbs eine Patentberatung angeboten, die von {competition.patent_advice_pupils|wort} Schülerinnen und Schülern angenommen wurde."""

SECTIONS = [
    ("Energie und Umwelt", ENERGY),
    ("Innovationsförderung", INNOVATION),
    ("Industrie-Initiative", INITIATIVE),
    ("Jugend forscht", YOUTH),
]


@register_demo("reports", order=90)
def build(rng) -> str:
    from accounts.models import User
    from reports.models import Report, Section, Version

    if Report.objects.filter(title=TITLE, year=YEAR).exists():
        return "0 Berichte angelegt"
    lead = User.objects.filter(email="leitung@kammerwerk.example").first()
    report = Report.objects.create(title=TITLE, subtitle=SUBTITLE, year=YEAR, created_by=lead)
    version = Version.objects.create(report=report, number=1, created_by=lead, note="Nach dem Bericht 2020")
    Section.objects.bulk_create(
        [Section(version=version, position=i, title=title, body=body) for i, (title, body) in enumerate(SECTIONS, 1)]
    )
    return f"1 Bericht angelegt ({len(SECTIONS)} Abschnitte, Entwurf)"
