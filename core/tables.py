"""Tables for staff to take away: a ``;``-separated CSV (UTF-8 with BOM, so Excel reads umlauts)
or an XLSX workbook, from one header and an iterable of rows. Every module's export uses this.

Cells that a spreadsheet would run as a formula are neutralised (OWASP "CSV injection"): in CSV
by a leading apostrophe, in XLSX by storing them as text.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

UTF8_BOM = "\ufeff"
CSV_DELIMITER = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number like "+49 251 707-0" is not dangerous and stays as it is.
HARMLESS_SIGNED_RE = re.compile(r"^[+\-][0-9 /().\-]*$")


def csv_safe(value: str) -> str:
    """Prefix a formula-looking text with an apostrophe (OWASP "CSV injection"); the import strips it again."""
    if value and value.startswith(FORMULA_START) and not HARMLESS_SIGNED_RE.match(value):
        return "'" + value
    return value


# --- writers -------------------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Lines of a ``;``-separated CSV with a UTF-8 BOM (so Excel reads the umlauts), generated lazily."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield UTF8_BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_safe("" if value is None else str(value)) for value in row])


def xlsx_bytes(header: list[str], rows: Iterable[list], title: str = "Daten") -> bytes:
    """An XLSX workbook written with openpyxl's write-only mode (rows are not kept in memory).

    Every text cell is stored as text, never as a formula, whatever it starts with.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # "=…" stays text, not a formula
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def table_response(
    request, *, filename: str, header: list[str], rows: Iterable[list], title: str, stream: bool = False
):
    """``?format=xlsx`` → an XLSX download, otherwise CSV; ``filename`` without extension.

    ``stream=True`` sends the CSV as it is generated (lists of many thousand rows).
    """
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx_bytes([str(h) for h in header], rows, title=str(title)), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    lines = csv_stream([str(h) for h in header], rows)
    if stream:
        response = StreamingHttpResponse(lines, content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse("".join(lines), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
