"""Tables for download and the one-page PDF of a calculator result.

Every table goes out through :func:`core.tables.table_response` (CSV or, with ``?format=xlsx``,
XLSX; formulas neutralised) by way of :func:`download`, which streams it and writes numbers as
numbers in XLSX and in the reader's notation in CSV ("9976,71" in German). The ``*_table``
functions give header and rows: from a calculation, or from the selectors, never capped.
"""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from climate.calculator import CalcResult, money, tonnes
from core.tables import table_response


def download(request, *, filename: str, header: list[str], rows, title: str):
    """``table_response``, streamed, with numbers as numbers (XLSX) or in the reader's notation (CSV)."""
    if request.GET.get("format") != "xlsx":
        separator = get_format("DECIMAL_SEPARATOR", get_language())
        rows = ([_csv_cell(value, separator) for value in row] for row in rows)
    return table_response(request, filename=filename, header=header, rows=rows, title=title, stream=True)


def _csv_cell(value, separator: str):
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", separator)
    return value


def _places(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """A stored time as the local wall-clock time (spreadsheets know no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def fmt_grouped(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "–"
    return number_format(_places(value, places), decimal_pos=places, use_l10n=True, force_grouping=True)


# --- the calculator ---------------------------------------------------------------------------------------------


def calculation_table(result: CalcResult) -> tuple[list[str], list[list]]:
    """Per year one row per fuel and a sum row; every row names the reference tables it was computed with."""
    language = get_language() or "de"
    header = [
        _("Jahr"), _("Brennstoff"), _("Menge"), _("Einheit"), _("t CO2"), _("CO2-Preis mittel (€/t)"),
        _("CO2-Kosten niedrig (€)"), _("CO2-Kosten mittel (€)"), _("CO2-Kosten hoch (€)"), _("Rechtsgrundlage"),
        _("Referenztabellen"),
    ]  # fmt: skip
    rows = []
    for year in result.years:
        price = _places(year.price.mid, 2)
        for row in year.rows:
            rows.append(
                [year.year, row.fuel.label(language), _places(row.quantity, 2), row.fuel.unit_label,
                 tonnes(row.tonnes) if row.covered else _("nicht erfasst"), price, money(row.cost["low"]),
                 money(row.cost["mid"]), money(row.cost["high"]), year.price.legal_basis, result.version_label]
            )  # fmt: skip
        rows.append(
            [year.year, _("Summe"), "", "", tonnes(year.tonnes), price, money(year.cost["low"]),
             money(year.cost["mid"]), money(year.cost["high"]), "", result.version_label]
        )  # fmt: skip
    return header, rows


def calculation_pdf(result: CalcResult) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    language = get_language() or "de"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=14 * mm, title=_("CO2-Kosten nach BEHG"))  # fmt: skip
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        Paragraph(_("CO2-Kosten nach BEHG – Ihre Berechnung"), styles["Title"]),
        Paragraph(
            _("Referenztabellen: %(v)s. Erstellt am %(d)s.")
            % {"v": result.version_label, "d": timezone.localdate().strftime("%d.%m.%Y")},
            small,
        ),
        Paragraph(
            _("Mengen: %(q)s")
            % {
                "q": "; ".join(
                    f"{f.label(language)} {fmt_grouped(result.quantities[f.key], 2)} {f.unit_label}"
                    for f in result.fuels
                )
            },  # fmt: skip
            small,
        ),
        Spacer(1, 4 * mm),
    ]
    data = [[_("Jahr"), _("t CO2"), _("€/t (mittel)"), _("Kosten niedrig"), _("Kosten mittel"), _("Kosten hoch"),
             _("Anteil Energiekosten")]]  # fmt: skip
    for year in result.years:
        share = year.share
        data.append(
            [str(year.year), fmt_grouped(tonnes(year.tonnes), 3), fmt_grouped(year.price.mid),
             fmt_grouped(money(year.cost["low"])) + " €", fmt_grouped(money(year.cost["mid"])) + " €",
             fmt_grouped(money(year.cost["high"])) + " €",
             (fmt_grouped(share, 1) + " %") if share is not None else "–"]
        )  # fmt: skip
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8), ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ])
    )  # fmt: skip
    story += [table, Spacer(1, 4 * mm)]
    notes = [
        _(
            "2021–2025: Festpreise nach § 10 Abs. 2 BEHG. 2026: Versteigerung im Korridor 55–65 €/t. 2027: Regel offen "
            "(Szenarien). Ab 2028: EU-ETS 2 (Marktpreis, Szenarien). Niedrig/mittel/hoch sind Szenarien, keine Prognose."
        ),
        _(
            "Emissionsfaktoren: Standardwerte der EBeV 2022 (2021–2022) und EBeV 2030 (ab 2023). Erdgas: Menge in kWh "
            "Brennwert (Hs) wie abgerechnet; das Gesetz rechnet mit 3,2508 GJ(Hi) je MWh(Hs) um."
        ),
        _(
            "Kohle ist erst ab 2023 erfasst. Alle Beträge netto, ohne Umsatzsteuer. Dies ist eine Schätzung, keine "
            "Rechtsberatung."
        ),
    ]
    for year in result.years:
        if year.price.kind != "fixed":
            notes.append(f"{year.year}: {year.price.legal_basis} – {year.price.status}")
    story += [Paragraph(note, small) for note in notes]
    doc.build(story)
    return buffer.getvalue()


# --- the survey --------------------------------------------------------------------------------------------------


def survey_table(demand) -> tuple[list[str], list[list]]:
    """The regional demand by district and by sector, cumulative per switch year, and the sum."""
    header = [_("Gruppe"), _("Bezeichnung"), _("Unternehmen"), _("Bedarf bei vollem Umstieg (t H2/Jahr)")]
    header += [_("kumuliert %(y)s (t)") % {"y": year} for year in demand.years]
    rows = []
    for group, demand_rows in ((_("Kreis"), demand.districts), (_("Branche"), demand.sectors)):
        for row in demand_rows:
            rows.append(
                [group, row.label, row.companies, _places(row.full_t, 3)] + [_places(v, 3) for v in row.by_year]
            )
    rows.append(
        [_("Summe"), "", demand.total.companies, _places(demand.total.full_t, 3)]
        + [_places(v, 3) for v in demand.total.by_year]
    )
    return header, rows


def submission_table(rows) -> tuple[list[str], object]:
    """Every answer from :func:`climate.selectors.submission_rows`, as it streams."""
    header = [
        _("Unternehmen"), _("Mitgliedsnummer"), _("Kreis"), _("WZ-Abschnitt"), _("Ansprechperson"), _("E-Mail"),
        _("Erdgas (kWh Hs/Jahr)"), _("Heizöl EL (l/Jahr)"), _("geplantes Umstiegsjahr"), _("Anteil (%)"),
        _("Wasserstoffbedarf (t/Jahr, Hi-Basis)"), _("könnte Erzeugung/Speicher aufnehmen"),
        _("braucht einen Netzanschluss"), _("Anmerkung"), _("eingereicht am"), _("aktuelle Antwort"),
    ]  # fmt: skip
    yes, no = _("ja"), _("nein")

    def cells():
        for (name, number, district, section, contact, email, gas, oil, year, share, demand_t, host, connection, note,
             created_at, current) in rows:  # fmt: skip
            yield [name, number, district or "", section, contact, email, gas, oil, year, share, demand_t,
                   yes if host else no, yes if connection else no, note, _local(created_at), yes if current else no]  # fmt: skip

    return header, cells()


# --- policy work -------------------------------------------------------------------------------------------------


def talk_table(rows) -> tuple[list[str], object]:
    """The policy talks from :func:`climate.selectors.talk_rows`, as they stream."""
    header = [_("Datum"), _("Institution"), _("Gesprächspartner/-innen"), _("Thema"), _("Ergebnis")]
    return header, (list(row) for row in rows)
