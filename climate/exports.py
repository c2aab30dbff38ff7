"""CSV and one-page PDF of a calculator result; CSV of the regional survey."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from climate.calculator import CalcResult, money, tonnes


def fmt(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=False)


def fmt_grouped(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "–"
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def calculation_csv(result: CalcResult) -> str:
    language = get_language() or "de"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("CO2-Kostenrechner"), _("Referenztabellen: %(v)s") % {"v": result.version_label}])
    writer.writerow(
        [_("Jahr"), _("Brennstoff"), _("Menge"), _("Einheit"), _("t CO2"), _("CO2-Preis mittel (€/t)"),
         _("CO2-Kosten niedrig (€)"), _("CO2-Kosten mittel (€)"), _("CO2-Kosten hoch (€)"), _("Rechtsgrundlage")]
    )  # fmt: skip
    for year in result.years:
        for row in year.rows:
            writer.writerow(
                [year.year, row.fuel.label(language), fmt(row.quantity, 2), row.fuel.unit_label,
                 fmt(tonnes(row.tonnes), 3) if row.covered else _("nicht erfasst"), fmt(year.price.mid),
                 fmt(money(row.cost["low"])), fmt(money(row.cost["mid"])), fmt(money(row.cost["high"])),
                 year.price.legal_basis]
            )  # fmt: skip
        writer.writerow(
            [year.year, _("Summe"), "", "", fmt(tonnes(year.tonnes), 3), fmt(year.price.mid),
             fmt(money(year.cost["low"])), fmt(money(year.cost["mid"])), fmt(money(year.cost["high"])), ""]
        )  # fmt: skip
    return "\ufeff" + out.getvalue()


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


def survey_csv(demand) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    header = [_("Gruppe"), _("Bezeichnung"), _("Unternehmen"), _("Bedarf bei vollem Umstieg (t H2/Jahr)")]
    header += [_("kumuliert %(y)s (t)") % {"y": y} for y in demand.years]
    writer.writerow(header)
    for group, rows in ((_("Kreis"), demand.districts), (_("Branche"), demand.sectors)):
        for row in rows:
            writer.writerow([group, row.label, row.companies, fmt(row.full_t, 3)] + [fmt(v, 3) for v in row.by_year])
    writer.writerow([_("Summe"), "", demand.total.companies, fmt(demand.total.full_t, 3)]
                    + [fmt(v, 3) for v in demand.total.by_year])  # fmt: skip
    return "\ufeff" + out.getvalue()
