"""The report as a Word file staff can edit further (python-docx): real headings (so Word builds
the table of contents), paragraphs, tables in Word's table model, charts as pictures with their
numbers in a table below, page numbers in the footer."""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import charts
from reports.document import Document
from reports.theme import BRAND, ERROR, MUTED

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# the elements of w:settings that come after w:updateFields in the schema (ECMA-376, CT_Settings)
SETTINGS_AFTER_UPDATE_FIELDS = [
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
]  # fmt: skip


def _rgb(hex_colour: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …) with a cached result Word replaces when it updates fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run = paragraph.add_run()
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(fld_char("end"))


def _shade(cell, hex_colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(0xFF, 0xFF, 0xFF)
        if i:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _shade(cell, BRAND)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = ""
            run = cells[i].paragraphs[0].add_run(str(text))
            run.font.size = Pt(9)
            if i:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _runs(paragraph, runs) -> None:
    for item in runs:
        if item.kind == "error":
            run = paragraph.add_run(f"[{item.text} – {item.note}]")
            run.bold, run.font.color.rgb = True, _rgb(ERROR)
        else:
            paragraph.add_run(item.text)


def _styles(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10.5)
    language = normal.element.get_or_add_rPr()
    lang = language.find(qn("w:lang"))
    if lang is None:
        from docx.oxml import OxmlElement

        lang = OxmlElement("w:lang")
        language.append(lang)
    lang.set(qn("w:val"), "de-DE")
    for name, size in (("Title", 28), ("Heading 1", 16), ("Heading 2", 12.5)):
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = "Arial", Pt(size), _rgb(BRAND)


def document_docx(document: Document) -> bytes:
    """The Word file, in the report's language (German) whatever the user's interface language."""
    with translation.override("de"):
        return _document_docx(document)


def _document_docx(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    organisation = settings.KAMMERWERK_ORGANISATION_NAME
    doc = WordDocument()
    _styles(doc)
    properties = doc.core_properties
    properties.title, properties.author, properties.language = document.title, organisation, "de-DE"
    properties.subject = document.subtitle or document.title
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)

    # cover
    line = doc.add_paragraph()
    run = line.add_run(organisation)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(14), _rgb(BRAND)
    doc.add_paragraph(_("Bereich Industrie")).runs[0].font.color.rgb = _rgb(MUTED)
    for _i in range(6):
        doc.add_paragraph()
    doc.add_paragraph(document.title, style="Title")
    if document.subtitle:
        doc.add_paragraph(document.subtitle, style="Subtitle")
    doc.add_paragraph(_("Berichtsjahr %(year)s") % {"year": document.year}, style="Subtitle")
    for _i in range(8):
        doc.add_paragraph()
    status = doc.add_paragraph(document.status_line)
    status.runs[0].font.color.rgb = _rgb(MUTED)
    created = doc.add_paragraph(
        _("Erstellt am %(date)s aus den Datensätzen von Kammerwerk.")
        % {"date": timezone.localdate().strftime("%d.%m.%Y")}
    )
    created.runs[0].font.color.rgb = _rgb(MUTED)

    # table of contents (Word fills it in when it updates the fields on opening)
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    body.different_first_page_header_footer = False
    doc.add_paragraph(_("Inhalt"), style="Heading 1")
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', _("Das Inhaltsverzeichnis wird beim Öffnen in Word aktualisiert."))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    footer = body.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    page_word = _("Seite")
    paragraph.text = f"{document.title} · {page_word} "
    _field(paragraph, "PAGE", "1")
    doc.sections[0].footer.is_linked_to_previous = False

    for rendered in document.sections:
        doc.add_paragraph(rendered.title, style="Heading 1")
        for block in rendered.blocks:
            if block.kind in ("paragraph", "error"):
                _runs(doc.add_paragraph(), block.runs)
            elif block.kind == "heading":
                doc.add_paragraph(block.text, style="Heading 2")
            elif block.kind == "chart":
                doc.add_picture(io.BytesIO(charts.png(block)), width=Cm(16))
                caption = doc.add_paragraph(block.title, style="Caption")
                caption.runs[0].font.color.rgb = _rgb(MUTED)
                _table(doc, [block.dimension, _("Wert") + (f" ({block.unit})" if block.unit else "")], block.points)
            elif block.kind == "table":
                if block.title:
                    doc.add_paragraph(block.title).runs[0].bold = True
                _table(doc, block.header, block.rows)

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph(_("Kennzahlen im Vergleich zum Vorjahr"), style="Heading 1")
    doc.add_paragraph(
        _("Alle Kennzahlen des Jahres %(year)s, gezählt aus den Datensätzen, neben denen des Jahres %(previous)s.")
        % {"year": document.year, "previous": document.year - 1}
    )
    header = [_("Kennzahl"), str(document.year - 1), str(document.year), _("Veränderung")]
    for group in document.comparison:
        doc.add_paragraph(group.name, style="Heading 2")
        _table(doc, header, group.rows)
    _update_fields_on_open(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _update_fields_on_open(doc) -> None:
    """Ask Word to update the fields (the table of contents) when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings_element = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # the schema fixes the order of w:settings' children (Word refuses a file that breaks it)
    later = {qn(f"w:{name}") for name in SETTINGS_AFTER_UPDATE_FIELDS}
    following = next((child for child in settings_element if child.tag in later), None)
    if following is None:
        settings_element.append(update)
    else:
        following.addprevious(update)
