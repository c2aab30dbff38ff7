"""What staff write becomes text with figures; anything it cannot mean is an error at its place."""

from decimal import Decimal

import pytest

from reports import formatting
from reports.document import render_section
from reports.source import Meta


class Source:
    """A stand-in for the registry: a few figures of 2019 and 2020."""

    frozen = False
    values = {
        2020: {"advisory.talks_funding": 47, "newsletter.subscribers": 428, "advisory.ce_days": 3,
               "newsletter.first_issue_month": 202009, "climate.h2": Decimal("13240.5")},
        2019: {"advisory.talks_funding": 40, "newsletter.subscribers": 0, "advisory.ce_days": 0,
               "newsletter.first_issue_month": None, "climate.h2": Decimal("12000")},
    }  # fmt: skip
    metas = {
        "advisory.talks_funding": Meta("advisory.talks_funding", "Erstberatungen zu Förderprogrammen"),
        "newsletter.subscribers": Meta("newsletter.subscribers", "Abonnenten"),
        "advisory.ce_days": Meta("advisory.ce_days", "CE-Sprechtage"),
        "newsletter.first_issue_month": Meta("newsletter.first_issue_month", "erste Ausgabe", kind="month"),
        "climate.h2": Meta("climate.h2", "Wasserstoffbedarf", unit="t/Jahr", decimals=1),
        "advisory.talks_by_topic": Meta("advisory.talks_by_topic", "Gespräche nach Thema", kind="breakdown",
                                        dimension="Thema"),
    }  # fmt: skip

    def meta(self, key):
        return self.metas.get(key)

    def value(self, key, year):
        return self.values.get(year, {}).get(key, 0)

    def rows(self, key, year):
        return [("CE-Kennzeichnung", 35 if year == 2020 else 20), ("KI", 6)]

    def groups(self):
        return []


def _text(section) -> str:
    return "\n\n".join(
        "".join(run.text for run in block.runs) for block in section.blocks if block.kind in ("paragraph", "error")
    )


def render(body: str):
    return render_section(Source(), 2020, "Abschnitt", body)


@pytest.mark.parametrize(
    ("value", "rund", "ueber", "wort"),
    [(3, "3", "3", "drei"), (47, "rund 50", "über 40", "47"), (50, "rund 50", "über 40", "50"),
     (428, "rund 430", "über 400", "428"), (400, "rund 400", "über 300", "400"), (12, "rund 10", "über 10", "zwölf"),
     (2386, "rund 2.400", "über 2.000", "2.386")],
)  # fmt: skip
def test_rounding_options_never_claim_more_than_the_records_say(value, rund, ueber, wort):
    assert formatting.rund(value) == rund
    assert formatting.ueber(value) == ueber
    assert formatting.wort(value) == wort


def test_placeholders_become_german_numbers_in_the_sentence():
    section = render(
        "Die IHK hat {advisory.talks_funding|rund} Erstberatungen durchgeführt, {advisory.ce_days|wort} CE-Sprechtage\n"
        "im Jahr {jahr} (Vorjahr {vorjahr}: {advisory.talks_funding|vorjahr}).\n\n"
        "Im {newsletter.first_issue_month} erschien der Newsletter, seit {newsletter.first_issue_month|monat} mit "
        "{newsletter.subscribers|über} Abonnenten ({newsletter.subscribers|änderung} gegenüber {vorjahr}: –). "
        "Gemeldet: {climate.h2} t. {{Klammern}} bleiben."
    )
    assert section.problems == []
    assert _text(section) == (
        "Die IHK hat rund 50 Erstberatungen durchgeführt, drei CE-Sprechtage im Jahr 2020 (Vorjahr 2019: 40).\n\n"
        "Im September 2020 erschien der Newsletter, seit September mit über 400 Abonnenten (– gegenüber 2019: –). "
        "Gemeldet: 13.240,5 t. {Klammern} bleiben."
    )
    figure = next(run for run in section.blocks[0].runs if run.kind == "figure")
    assert figure.text == "rund 50" and figure.note == "Erstberatungen zu Förderprogrammen"


def test_staff_see_an_unknown_placeholder_as_an_error_where_it_stands():
    section = render("Erster Absatz.\n\nEs gab {advisory.talkz} Gespräche und {advisory.ce_days} Sprechtage.")
    runs = section.blocks[1].runs
    assert [run.kind for run in runs] == ["text", "error", "text", "figure", "text"]
    assert runs[0].text == "Es gab " and runs[1].text == "{advisory.talkz}"
    assert "Unbekannte Kennzahl" in runs[1].note and "advisory.talkz" in runs[1].note
    assert [(p.line, p.source) for p in section.problems] == [(3, "{advisory.talkz}")]


@pytest.mark.parametrize(
    ("body", "message"),
    [("Zahl {advisory.talks_funding", "wird nicht geschlossen"), ("eine } zu viel", "ohne öffnende"),
     ("{advisory.talks_funding|ungefähr}", "Unbekannte Option"), ("{advisory.talks_funding|rund|wort}", "Nur eine"),
     ("{newsletter.first_issue_month|rund}", "passt nicht zu einem Monat"), ("{Advisory talks}", "Kein gültiger"),
     ("{advisory.talks_by_topic}", "Aufteilung"), ("[[Kuchen: advisory.talks_funding]]", "Unbekannter Baustein"),
     ("[[Verlauf: advisory.talks_funding, 40]]", "zwischen 2 und 10"), ("[[Aufteilung: advisory.ce_days]]", "Keine Aufteilung"),
     ("[[Tabelle: advisory.nope]]", "Unbekannte Kennzahl"), ("[[Verlauf]]", "Welche Kennzahl")],
)  # fmt: skip
def test_text_the_report_cannot_mean_is_an_error_with_a_reason(body, message):
    section = render(body)
    assert len(section.problems) == 1 and message in section.problems[0].message, section.problems


def test_charts_and_tables_carry_the_year_and_the_previous_year():
    section = render(
        "## Zahlen\n[[Verlauf: advisory.talks_funding, 3]]\n[[Aufteilung: advisory.talks_by_topic]]\n"
        "[[Tabelle: advisory.talks_funding, newsletter.subscribers]]\n[[Tabelle: advisory.talks_by_topic]]"
    )
    heading, trend, split, table, split_table = section.blocks
    assert heading.text == "Zahlen"
    assert trend.labels == ["2018", "2019", "2020"] and trend.texts == ["0", "40", "47"]
    assert trend.chart_id == "vorschau-grafik-1" and "2019: 40" in trend.description
    assert split.labels == ["CE-Kennzeichnung", "KI"] and split.values == [35.0, 6.0] and split.dimension == "Thema"
    assert table.header == ["Kennzahl", "2019", "2020", "Veränderung"]
    assert table.rows[0] == ["Erstberatungen zu Förderprogrammen", "40", "47", "+7 (+17,5\u00a0%)"]
    assert table.rows[1] == ["Abonnenten", "0", "428", "+428"]
    assert split_table.header[0] == "Thema" and split_table.rows[0] == [
        "CE-Kennzeichnung",
        "20",
        "35",
        "+15 (+75,0\u00a0%)",
    ]
