"""The printed documents (reportlab, built-in fonts): certificates, the jury's sheets, the programme
booklet and name badges. Each function takes what a selector read and returns PDF bytes."""

import io
import zipfile

from django.conf import settings
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from competition.models import Edition, Jury, Project, TeamMember


def _date(day) -> str:
    return formats.date_format(day, "d.m.Y")


def _styles():
    from reportlab.lib.styles import getSampleStyleSheet

    styles = getSampleStyleSheet()
    return {
        "title": styles["Title"],
        "h2": styles["Heading2"],
        "h3": styles["Heading3"],
        "body": styles["BodyText"],
        "small": styles["BodyText"].clone("small", fontSize=8, leading=10),
    }


def _escape(text) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text or ""))


def place_text(project: Project) -> str:
    if project.place:
        return str(project.get_place_display())
    return _("Teilnahme")


# --- certificates -----------------------------------------------------------------------------------------------------


def _draw_certificate(canvas, member: TeamMember) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    project, participant, edition = member.project, member.participant, member.project.edition
    width, height = A4
    centre = width / 2
    canvas.setTitle(_("Urkunde"))
    canvas.setStrokeColorRGB(0.04, 0.31, 0.54)
    canvas.setLineWidth(3)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    canvas.setFont("Helvetica", 13)
    canvas.drawCentredString(centre, height - 40 * mm, settings.KAMMERWERK_ORGANISATION_NAME)
    canvas.drawCentredString(centre, height - 48 * mm, str(edition))
    canvas.setFont("Helvetica-Bold", 40)
    canvas.drawCentredString(centre, height - 85 * mm, _("Urkunde"))
    canvas.setFont("Helvetica", 14)
    canvas.drawCentredString(centre, height - 105 * mm, _("für"))
    canvas.setFont("Helvetica-Bold", 26)
    canvas.drawCentredString(centre, height - 122 * mm, participant.full_name)
    canvas.setFont("Helvetica", 13)
    lines = [
        _("hat mit dem Projekt"),
        f"„{project.title}“",
        _("im Fachgebiet %(area)s, Sparte %(division)s,")
        % {"area": project.get_subject_area_display(), "division": edition.division_label(project.division)},
        _("am %(date)s in %(venue)s teilgenommen") % {"date": _date(edition.contest_date), "venue": edition.venue},
    ]
    y = height - 142 * mm
    for line in lines:
        for chunk in _wrap(line, 70):
            canvas.drawCentredString(centre, y, chunk)
            y -= 7 * mm
    y -= 6 * mm
    if project.place:
        canvas.setFont("Helvetica-Bold", 22)
        canvas.drawCentredString(centre, y, _("und den %(place)s erhalten.") % {"place": project.get_place_display()})
        y -= 12 * mm
    for prize in project.prizes.all():
        canvas.setFont("Helvetica-Bold", 14)
        for chunk in _wrap(_("Sonderpreis: %(name)s") % {"name": prize.name}, 70):
            canvas.drawCentredString(centre, y, chunk)
            y -= 7 * mm
    if project.forwarded:
        canvas.setFont("Helvetica", 13)
        canvas.drawCentredString(centre, y, _("Das Projekt ist für den Landeswettbewerb nominiert."))
    canvas.setFont("Helvetica", 11)
    canvas.drawString(30 * mm, 40 * mm, f"{edition.venue}, {_date(edition.contest_date)}")
    canvas.line(width - 95 * mm, 45 * mm, width - 30 * mm, 45 * mm)
    canvas.drawString(width - 95 * mm, 39 * mm, _("für die Jury"))


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def certificates_pdf(members: list[TeamMember]) -> bytes:
    """One page per person."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for member in members:
        _draw_certificate(canvas, member)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_filename(member: TeamMember) -> str:
    participant = member.participant
    return f"urkunde-{member.project.number}-{slugify(participant.last_name)}-{slugify(participant.first_name)}.pdf"


def certificates_zip(members: list[TeamMember]) -> bytes:
    """A ZIP with one certificate PDF per person (the batch download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.writestr(certificate_filename(member), certificates_pdf([member]))
    return buffer.getvalue()


# --- the jury's sheets ------------------------------------------------------------------------------------------------


def jury_sheet_pdf(jury: Jury, projects: list[Project], criteria, members) -> bytes:
    """Per project one page: the rubric with empty columns before/after the interview, for the table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=14 * mm, title=_("Bewertungsbögen"))  # fmt: skip
    edition = jury.edition
    story = [
        Paragraph(_escape(_("Bewertungsbögen – %(jury)s") % {"jury": jury}), styles["title"]),
        Paragraph(_escape(f"{edition} · {_date(edition.contest_date)} · {edition.venue}"), styles["body"]),
        Paragraph(_escape(_("Jury: %(names)s") % {"names": ", ".join(str(m.user) for m in members) or "–"}), styles["body"]),
        Spacer(1, 4 * mm),
    ]  # fmt: skip
    overview = [[_("Nr."), _("Titel"), _("Schule"), _("Stand"), _("Gespräch")]]
    for project in projects:
        interview = getattr(project, "interview", None)
        overview.append([
            project.number, Paragraph(_escape(project.title), styles["small"]), Paragraph(_escape(project.school.name), styles["small"]),
            project.stand_number or "–", formats.time_format(interview.starts_at, "H:i") if interview else "–",
        ])  # fmt: skip
    table = Table(overview, colWidths=[20 * mm, 75 * mm, 45 * mm, 14 * mm, 20 * mm], repeatRows=1)
    table.setStyle(_grid(colors))
    story.append(table)
    for project in projects:
        story += [
            PageBreak(),
            Paragraph(_escape(f"{project.number} – {project.title}"), styles["h2"]),
            Paragraph(_escape(f"{project.school.name}, {project.school.city}"), styles["body"]),
            Spacer(1, 3 * mm),
        ]
        rows = [[_("Kriterium"), _("Gewicht"), _("max."), _("vor dem Gespräch"), _("nach dem Gespräch")]]
        for criterion in criteria:
            rows.append([
                Paragraph(f"<b>{_escape(criterion.name)}</b><br/>{_escape(criterion.description)}", styles["small"]),
                criterion.weight, criterion.max_points, "", "",
            ])  # fmt: skip
        sheet = Table(rows, colWidths=[85 * mm, 18 * mm, 14 * mm, 28 * mm, 28 * mm], repeatRows=1, rowHeights=None)
        sheet.setStyle(_grid(colors))
        story += [sheet, Spacer(1, 6 * mm), Paragraph(_escape(_("Notizen:")), styles["body"])]
    doc.build(story)
    return buffer.getvalue()


def _grid(colors):
    from reportlab.platypus import TableStyle

    return TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8), ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ])  # fmt: skip


# --- programme booklet --------------------------------------------------------------------------------------------------


def booklet_pdf(edition: Edition, projects: list[Project]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=16 * mm, title=_("Programmheft"))  # fmt: skip
    story = [
        Paragraph(_escape(_("Programmheft")), styles["title"]),
        Paragraph(_escape(str(edition)), styles["h2"]),
        Paragraph(_escape(f"{_date(edition.contest_date)} · {edition.venue}"), styles["body"]),
        Paragraph(_escape(_("%(count)s Projekte") % {"count": len(projects)}), styles["body"]),
    ]
    group = None
    for project in projects:
        key = (project.subject_area, project.division)
        if key != group:
            group = key
            story += [
                Spacer(1, 4 * mm),
                Paragraph(
                    _escape(f"{project.get_subject_area_display()} – {edition.division_label(project.division)}"),
                    styles["h2"],
                ),
            ]
        team = ", ".join(member.participant.full_name for member in project.members.all())
        stand = _("Stand %(n)s") % {"n": project.stand_number} if project.stand_number else ""
        story += [
            Paragraph(_escape(f"{project.number}  {project.title}"), styles["h3"]),
            Paragraph(_escape(f"{team} · {project.school.name}, {project.school.city}" + (f" · {stand}" if stand else "")), styles["small"]),
            Paragraph(_escape(project.abstract[:600]), styles["body"]),
        ]  # fmt: skip
    doc.build(story)
    return buffer.getvalue()


# --- name badges ------------------------------------------------------------------------------------------------------


def badges_pdf(edition: Edition, people: list[tuple[str, str, str]]) -> bytes:
    """Eight badges (90 × 60 mm) per A4 page, with cutting lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Namensschilder"))
    width, height = A4
    badge_w, badge_h = 90 * mm, 60 * mm
    left, top = (width - 2 * badge_w) / 2, height - (height - 4 * badge_h) / 2
    for index, (name, role, detail) in enumerate(people):
        slot = index % 8
        if index and slot == 0:
            canvas.showPage()
        x = left + (slot % 2) * badge_w
        y = top - (slot // 2 + 1) * badge_h
        canvas.setLineWidth(0.3)
        canvas.rect(x, y, badge_w, badge_h)
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(x + badge_w / 2, y + badge_h - 8 * mm, str(edition))
        canvas.setFont("Helvetica-Bold", 16 if len(name) < 24 else 12)
        canvas.drawCentredString(x + badge_w / 2, y + badge_h / 2 + 2 * mm, name)
        canvas.setFont("Helvetica", 11)
        canvas.drawCentredString(x + badge_w / 2, y + badge_h / 2 - 6 * mm, role)
        canvas.setFont("Helvetica", 9)
        canvas.drawCentredString(x + badge_w / 2, y + 8 * mm, detail[:60])
    canvas.save()
    return buffer.getvalue()
