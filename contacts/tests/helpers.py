"""Building import files for the tests."""

import io

from contacts.tabular import ORGANISATION_COLUMNS

HEADER = [column.header for column in ORGANISATION_COLUMNS]


def organisation_row(number: int, **overrides) -> dict:
    row = {
        "Name": f"Importfirma {number:05d} Anlagenbau",
        "Rechtsform": "GmbH",
        "Straße": f"Industriestraße {number % 120 + 1}",
        "PLZ": f"{48000 + number % 900:05d}",
        "Ort": "Münster",
        "Kreis": "Münster",
        "WZ": "28.22",
        "Beschäftigte": str(number % 400 + 1),
        "Mitgliedsnummer": f"IM{number:06d}",
        "Energieintensiv": "ja" if number % 7 == 0 else "nein",
        "Website": f"https://www.importfirma-{number}.example",
        "E-Mail": f"info@importfirma-{number}.example",
        "Telefon": f"0251 {1000 + number}",
        "Schlagwörter": "Wasserstoff, Ausbildung" if number % 5 == 0 else "",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, delimiter=";", encoding="utf-8-sig", header=None) -> bytes:
    import csv

    columns = header or HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], header=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The three bad rows of the 1,000-row file: line (row number in the file) → overrides, expected reasons.
BAD_ROWS = {
    101: ({"PLZ": "4814"}, ["PLZ: Bitte eine fünfstellige deutsche Postleitzahl angeben (z. B. 48143)."]),
    502: (
        {"E-Mail": "keine-mail", "Beschäftigte": "-3"},
        ["E-Mail: Bitte gültige E-Mail-Adresse eingeben.", "Beschäftigte: Bitte eine ganze Zahl ab 0 angeben"],
    ),
    903: (
        {"WZ": "Maschinenbau", "Kreis": "Atlantis"},
        ["WZ: Bitte einen WZ-2008-Code angeben", "Kreis: Unbekannter Kreis „Atlantis“"],
    ),
}


def thousand_rows() -> list[dict]:
    """1,000 organisations; the rows on file lines 101, 502 and 903 are bad (line 1 is the header)."""
    rows = []
    for number in range(1, 1001):
        line = number + 1
        overrides = BAD_ROWS[line][0] if line in BAD_ROWS else {}
        rows.append(organisation_row(number, **overrides))
    return rows
