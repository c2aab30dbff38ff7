"""The one table pipeline, in and out.

Out: a ``;``-separated CSV (UTF-8 with BOM, so Excel reads umlauts) or an XLSX workbook, from one
header and an iterable of rows (:func:`table_response`). Every module's export uses this. Cells that
a spreadsheet would run as a formula are neutralised (OWASP "CSV injection"): in CSV by a leading
apostrophe, in XLSX by storing them as text.

In: :func:`read_table` reads an uploaded CSV (``;``, ``,`` or tab; UTF-8 or Windows-1252) or the
first sheet of an XLSX file, with a size and a row limit, and refuses what it cannot read with a
:class:`TableFileError` whose message is for the user. Every module's import uses this, then
checks the rows with its own rules; :func:`csv_unescape` undoes the export's apostrophe.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.http import HttpResponse, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.errors import ServiceError

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


def csv_unescape(value: str) -> str:
    """Undo :func:`csv_safe`: a file exported here imports again unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def header_key(text) -> str:
    """A header cell as compared: case-folded, without a BOM and surrounding or repeated spaces."""
    return re.sub(r"\s+", " ", str(text or "").replace(UTF8_BOM, "").strip().casefold())


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


# --- reading -------------------------------------------------------------------------------------------------------

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000


class TableFileError(ServiceError):
    """The file as a whole cannot be read; the message is for the user. Nothing was stored."""

    default_code = "bad_file"


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list]]  # (line number in the file, cells)
    notices: list[str] = field(default_factory=list)


def cell_text(value) -> str:
    """A cell as text the way a person typed it (no ``.0`` on whole numbers, German dates, ja/nein)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _too_many_rows(max_rows: int) -> TableFileError:
    return TableFileError(
        _("Die Datei hat mehr als %(max)s Datenzeilen. Bitte teilen Sie sie in mehrere Dateien auf.")
        % {"max": number_format(max_rows, force_grouping=True)}
    )


def _collect(lines: Iterable[tuple[int, list]], max_rows: int, kind: str) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    for line, values in lines:
        if header is None:
            if any(cell_text(v) for v in values):
                header = [cell_text(v) for v in values]
            continue
        if not any(cell_text(v) for v in values):
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows(max_rows)
        rows.append((line, values))
    if header is None:
        raise TableFileError(_("Die Datei enthält keine Daten."))
    return Table(kind=kind, header=header, rows=rows)


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 – openpyxl raises many kinds for a broken file
        raise TableFileError(_("Die Datei ist keine lesbare XLSX-Datei. Bitte speichern Sie sie neu oder als CSV."))
    try:
        if not workbook.worksheets:
            raise TableFileError(_("Die Datei enthält keine Daten."))
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        return _collect(
            ((number, list(values or ())) for number, values in enumerate(lines, start=1)), max_rows, "xlsx"
        )
    except TableFileError:
        raise
    except Exception:  # noqa: BLE001 – a broken sheet inside a valid zip
        raise TableFileError(_("Die Datei ist keine lesbare XLSX-Datei. Bitte speichern Sie sie neu oder als CSV."))
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise TableFileError(
            _("Die Zeichenkodierung der Datei wurde nicht erkannt. Bitte als „CSV UTF-8“ speichern.")
        ) from None


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _read_csv(data: bytes, max_rows: int) -> Table:
    if b"\x00" in data:  # anywhere, not only at the start: PostgreSQL refuses NUL in text
        raise TableFileError(_("Die Datei ist keine Textdatei. Bitte eine CSV- oder XLSX-Datei hochladen."))
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        return _collect(enumerate(reader, start=1), max_rows, "csv")
    except csv.Error:
        raise TableFileError(_("Die CSV-Datei ist fehlerhaft (z. B. ein nicht geschlossenes Anführungszeichen)."))


def read_table(
    *, data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS
) -> Table:
    """Read the first sheet of an XLSX file or a CSV file, within ``max_bytes`` and ``max_rows``."""
    name = (filename or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if len(data) > max_bytes:
        raise TableFileError(
            _("Die Datei ist zu groß (höchstens %(max)s). Bitte teilen Sie sie in mehrere Dateien auf.")
            % {"max": filesizeformat(max_bytes)}
        )
    if not data.strip():
        raise TableFileError(_("Die Datei ist leer."))
    if data.startswith(b"\xd0\xcf\x11\xe0") or extension == "xls":
        raise TableFileError(
            _("Das alte Excel-Format (.xls) wird nicht unterstützt. Bitte speichern Sie die Datei als .xlsx oder .csv.")
        )
    if data.startswith(b"PK\x03\x04"):
        if extension not in ("xlsx", "xlsm", ""):
            raise TableFileError(_("Bitte eine CSV- oder XLSX-Datei hochladen (.csv oder .xlsx)."))
        return _read_xlsx(data, max_rows)
    if extension in ("xlsx", "xlsm"):
        raise TableFileError(_("Die Datei ist keine lesbare XLSX-Datei. Bitte speichern Sie sie neu oder als CSV."))
    if extension not in ("csv", "txt", ""):
        raise TableFileError(_("Bitte eine CSV- oder XLSX-Datei hochladen (.csv oder .xlsx)."))
    return _read_csv(data, max_rows)


def read_upload(upload, *, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """:func:`read_table` for an uploaded file: reads at most one byte past ``max_bytes``."""
    data = upload.read(max_bytes + 1)
    return read_table(data=data, filename=getattr(upload, "name", ""), max_bytes=max_bytes, max_rows=max_rows)
