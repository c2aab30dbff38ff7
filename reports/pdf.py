"""The report as a print PDF (reportlab): cover, table of contents, page numbers, the chamber's
colours, charts as vector graphics; a draft carries "ENTWURF" on every page."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import charts
from reports.document import Document
from reports.theme import ACCENT, BRAND, ERROR, FONT, GRID, INK, MUTED, SOFT, register_fonts


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    ink = colors.HexColor(INK)
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=10, leading=14.5, textColor=ink, spaceAfter=7, alignment=TA_LEFT
    )
    return {
        "body": base,
        "h1": ParagraphStyle("h1", parent=base, fontName=f"{FONT}-Bold", fontSize=17, leading=21,
                             textColor=colors.HexColor(BRAND), spaceBefore=4, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base, fontName=f"{FONT}-Bold", fontSize=12, leading=16,
                             textColor=colors.HexColor(BRAND), spaceBefore=8, spaceAfter=5),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor(MUTED)),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=f"{FONT}-Bold", fontSize=8.5, leading=11,
                                    spaceAfter=0, textColor=colors.white),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10.5, leading=16, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9, leading=13, leftIndent=14, textColor=colors.HexColor(MUTED)),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=f"{FONT}-Bold", fontSize=30, leading=36,
                                      textColor=colors.HexColor(BRAND), spaceAfter=14),
        "cover_sub": ParagraphStyle("cover_sub", parent=base, fontSize=15, leading=20, textColor=ink, spaceAfter=8),
    }  # fmt: skip


def _runs_markup(runs) -> str:
    parts = []
    for run in runs:
        text = escape(run.text)
        if run.kind == "error":
            parts.append(f'<font color="{ERROR}"><b>[{text}</b> – {escape(run.note)}]</font>')
        else:
            parts.append(text)
    return "".join(parts)


def _table(rows: list[list[str]], header: list[str], styles, width: float, first_col: float = 0.46):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    others = (1 - first_col) / max(len(header) - 1, 1)
    widths = [width * first_col] + [width * others] * (len(header) - 1)
    right = styles["cell"].clone("cell_right", alignment=2)
    right_head = styles["cell_head"].clone("cell_head_right", alignment=2)
    data = [
        [Paragraph(escape(str(cell)), styles["cell_head"] if i == 0 else right_head) for i, cell in enumerate(header)]
    ]
    for row in rows:
        data.append([Paragraph(escape(str(cell)), styles["cell"] if i == 0 else right) for i, cell in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(BRAND)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(SOFT)]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(GRID)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ])
    )  # fmt: skip
    return table


def document_pdf(document: Document) -> bytes:
    """The PDF, in the report's language (German) whatever the user's interface language."""
    with translation.override("de"):
        return _document_pdf(document)


def _document_pdf(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
    )  # fmt: skip
    from reportlab.platypus.tableofcontents import TableOfContents

    register_fonts()
    styles = _styles()
    organisation = settings.KAMMERWERK_ORGANISATION_NAME
    page_w, page_h = A4
    margin_x, margin_top, margin_bottom = 22 * mm, 24 * mm, 22 * mm
    width = page_w - 2 * margin_x
    draft = not document.frozen

    class ReportTemplate(BaseDocTemplate):
        def afterFlowable(self, flowable):
            level = getattr(flowable, "toc_level", None)
            if level is not None:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def heading(text: str, level: int):
        paragraph = Paragraph(escape(text), styles["h1" if level == 0 else "h2"])
        paragraph.toc_level = level
        return paragraph

    def watermark(canvas):
        if draft:
            canvas.saveState()
            canvas.setFillColor(colors.HexColor(GRID))
            canvas.setFont(f"{FONT}-Bold", 64)
            canvas.translate(page_w / 2, page_h / 2)
            canvas.rotate(40)
            canvas.drawCentredString(0, 0, _("ENTWURF"))
            canvas.restoreState()

    def cover(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(BRAND))
        canvas.rect(0, page_h - 70 * mm, page_w, 70 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(ACCENT))
        canvas.rect(0, page_h - 73 * mm, page_w, 3 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(f"{FONT}-Bold", 16)
        canvas.drawString(margin_x, page_h - 30 * mm, organisation)
        canvas.setFont(FONT, 11)
        canvas.drawString(margin_x, page_h - 38 * mm, _("Bereich Industrie"))
        canvas.restoreState()
        watermark(canvas)

    def body_page(canvas, doc):
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(BRAND))
        canvas.setLineWidth(1.2)
        canvas.line(margin_x, page_h - 15 * mm, page_w - margin_x, page_h - 15 * mm)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(margin_x, page_h - 13 * mm, f"{organisation} · {document.title}")
        canvas.line(margin_x, 15 * mm, page_w - margin_x, 15 * mm)
        canvas.drawRightString(page_w - margin_x, 10 * mm, _("Seite %(page)s") % {"page": doc.page})
        canvas.drawString(margin_x, 10 * mm, document.status_line)
        canvas.restoreState()
        watermark(canvas)

    buffer = io.BytesIO()
    doc = ReportTemplate(
        buffer, pagesize=A4, leftMargin=margin_x, rightMargin=margin_x, topMargin=margin_top,
        bottomMargin=margin_bottom, title=document.title, author=organisation, subject=document.subtitle or document.title,
        creator="Kammerwerk", lang="de-DE",
    )  # fmt: skip
    frame = Frame(margin_x, margin_bottom, width, page_h - margin_top - margin_bottom, id="body")
    cover_frame = Frame(margin_x, margin_bottom, width, page_h - 90 * mm - margin_bottom, id="cover")
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[cover_frame], onPage=cover),
        PageTemplate(id="body", frames=[frame], onPage=body_page),
    ])  # fmt: skip

    story = [
        Spacer(1, 20 * mm),
        Paragraph(escape(document.title), styles["cover_title"]),
    ]
    if document.subtitle:
        story.append(Paragraph(escape(document.subtitle), styles["cover_sub"]))
    story += [
        Paragraph(escape(_("Berichtsjahr %(year)s") % {"year": document.year}), styles["cover_sub"]),
        Spacer(1, 60 * mm),
        Paragraph(escape(document.status_line), styles["small"]),
        Paragraph(
            escape(
                _("Erstellt am %(date)s aus den Datensätzen von Kammerwerk.")
                % {"date": timezone.localdate().strftime("%d.%m.%Y")}
            ),
            styles["small"],
        ),  # fmt: skip
        NextPageTemplate("body"),
        PageBreak(),
        Paragraph(escape(_("Inhalt")), styles["h1"]),
    ]
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [styles["toc1"], styles["toc2"]]
    story += [toc, PageBreak()]

    for section in document.sections:
        story += [CondPageBreak(40 * mm), heading(section.title, 0)]
        for block in section.blocks:
            if block.kind == "paragraph":
                story.append(Paragraph(_runs_markup(block.runs), styles["body"]))
            elif block.kind == "heading":
                story += [CondPageBreak(25 * mm), heading(block.text, 1)]
            elif block.kind == "chart":
                story += [Spacer(1, 2 * mm), KeepTogether([charts.drawing(block, width)]), Spacer(1, 4 * mm)]
            elif block.kind == "table":
                parts = [Paragraph(f"<b>{escape(block.title)}</b>", styles["body"])] if block.title else []
                story += [KeepTogether([*parts, _table(block.rows, block.header, styles, width)]), Spacer(1, 4 * mm)]
            elif block.kind == "error":
                story.append(Paragraph(_runs_markup(block.runs), styles["body"]))

    story += [PageBreak(), heading(_("Kennzahlen im Vergleich zum Vorjahr"), 0)]
    story.append(
        Paragraph(
            escape(_("Alle Kennzahlen des Jahres %(year)s, gezählt aus den Datensätzen, neben denen des Jahres "
                     "%(previous)s.") % {"year": document.year, "previous": document.year - 1}),
            styles["body"],
        )
    )  # fmt: skip
    header = [_("Kennzahl"), str(document.year - 1), str(document.year), _("Veränderung")]
    for group in document.comparison:
        story += [CondPageBreak(30 * mm), heading(group.name, 1), _table(group.rows, header, styles, width, 0.5)]
    doc.multiBuild(story)
    return buffer.getvalue()
