"""The one-pager: one A4 page in PDF, made from a network's (or the initiative's) records.

:func:`networks.selectors.network_onepager_data` / ``initiative_onepager_data`` collect what it says;
this module only lays it out (reportlab, pure Python). Every text is escaped before reportlab reads it
as markup.
"""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from networks.selectors import OnePager

LOGO_HEIGHT_MM = 14
MAX_MEMBERS = 40
MAX_LOGOS = 12


def _text(value) -> str:
    return escape(str(value or ""))


def _logo_cells(logos, mm):
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    cells = []
    for _name, path in logos[:MAX_LOGOS]:
        try:
            width, height = ImageReader(path).getSize()
        except OSError:  # the file went missing: leave the logo out, not the one-pager
            continue
        scale = LOGO_HEIGHT_MM * mm / max(height, 1)
        cells.append(Image(path, width=width * scale, height=height * scale))
    return cells


def onepager_pdf(data: OnePager) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=14 * mm,
        title=data.title, author=data.contact.get("organisation", ""), subject=_("One-Pager"),
    )  # fmt: skip
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("onepager-body", fontSize=9.5, leading=12.5)
    small = styles["BodyText"].clone("onepager-small", fontSize=8.5, leading=11)
    heading = styles["Heading2"].clone("onepager-h2", fontSize=12, leading=15, spaceBefore=6, spaceAfter=3)
    brand = colors.HexColor("#0b4f8a")
    story = [Paragraph(_text(data.title), styles["Title"])]
    if data.subtitle:
        story.append(Paragraph(_text(data.subtitle), styles["Heading3"]))
    if data.description:
        story.append(Paragraph(_text(data.description).replace("\n", "<br/>"), body))
    story.append(Spacer(1, 3 * mm))

    story.append(Paragraph(_text(_("Mitglieder (%(count)s)") % {"count": len(data.members)}), heading))
    if data.members:
        shown = data.members[:MAX_MEMBERS]
        half = (len(shown) + 1) // 2
        left, right = shown[:half], shown[half:]
        rows = []
        for index in range(half):
            row = []
            for column in (left, right):
                if index < len(column):
                    name, role = column[index]
                    row.append(Paragraph(f"{_text(name)} <font color='#4a5260'>({_text(role)})</font>", small))
                else:
                    row.append("")
            rows.append(row)
        table = Table(rows, colWidths=[87 * mm, 87 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        story.append(table)
        if len(data.members) > MAX_MEMBERS:
            story.append(Paragraph(_text(_("… und %(n)s weitere.") % {"n": len(data.members) - MAX_MEMBERS}), small))
    else:
        story.append(Paragraph(_text(_("Der Verbund sucht seine ersten Mitglieder – seien Sie dabei!")), body))
    logos = _logo_cells(data.logos, mm)
    if logos:
        story.append(Spacer(1, 2 * mm))
        per_row = 6
        grid = [logos[i : i + per_row] for i in range(0, len(logos), per_row)]
        grid[-1] += [""] * (per_row - len(grid[-1]))
        table = Table(grid, colWidths=[29 * mm] * per_row)
        table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story.append(table)

    story.append(Paragraph(_text(_("Treffen")), heading))
    story.append(Paragraph(_text(_("%(count)s Treffen durchgeführt.") % {"count": data.meetings_held}), body))
    for day, title, mode, people in data.recent_meetings:
        story.append(
            Paragraph(
                _text(
                    _("%(date)s: %(title)s (%(mode)s, %(people)s Teilnehmende)")
                    % {"date": day.strftime("%d.%m.%Y"), "title": title, "mode": mode, "people": people}
                ),
                small,
            )
        )

    story.append(Paragraph(_text(_("Nächste Termine")), heading))
    if data.next_dates:
        for start, title, mode in data.next_dates:
            story.append(
                Paragraph(
                    _text(
                        _("%(date)s, %(time)s Uhr: %(title)s (%(mode)s)")
                        % {
                            "date": start.strftime("%d.%m.%Y"),
                            "time": start.strftime("%H:%M"),
                            "title": title,
                            "mode": mode,
                        }
                    ),  # fmt: skip
                    body,
                )
            )
    else:
        story.append(Paragraph(_text(_("Die nächsten Termine stimmen wir gerade ab – fragen Sie uns.")), body))

    story.append(Paragraph(_text(_("Kontakt")), heading))
    contact = data.contact
    lines = [contact.get("name"), contact.get("organisation"), contact.get("email"), contact.get("site")]
    contact_table = Table(
        [[Paragraph("<br/>".join(_text(line) for line in lines if line), body)]], colWidths=[174 * mm]
    )
    contact_table.setStyle(
        TableStyle(
            [("BOX", (0, 0), (-1, -1), 0.75, brand), ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e8eef5"))]
        )
    )
    story.append(contact_table)
    doc.build(story)
    return buffer.getvalue()
