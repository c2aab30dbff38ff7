"""The column layout shared by the organisation import and export (reading and writing the files is
``core.tables``'s part).

A file exported from the list can be imported again unchanged (round trip):
both sides use :data:`ORGANISATION_COLUMNS`, the same value formats (``ja``/``nein``,
tags joined by ``, ``) and the same protection against spreadsheet formulas.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.tables import header_key


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # German header as written in the template and the export
    aliases: tuple[str, ...] = ()  # further accepted headers (English, common variants)
    help: object = ""


ORGANISATION_COLUMNS: list[Column] = [
    Column("name", "Name", ("firma", "organisation", "company", "company name"), _("Pflichtfeld")),
    Column("legal_form", "Rechtsform", ("legal form", "legal_form"), _("z. B. GmbH, AG, GmbH & Co. KG, e.K.")),
    Column("street", "Straße", ("strasse", "straße und hausnummer", "street", "address")),
    Column("postcode", "PLZ", ("postleitzahl", "postcode", "postal code", "zip", "zip code")),
    Column("city", "Ort", ("stadt", "city", "town")),
    Column("district", "Kreis", ("district", "county"), _("Name eines Kreises der Region, z. B. Borken")),
    Column("wz_code", "WZ", ("wz 2008", "wz-code", "branche", "wz code", "nace", "industry code"), _("z. B. 28.22")),
    Column("employees", "Beschäftigte", ("mitarbeiter", "mitarbeitende", "employees", "staff"), _("ganze Zahl ab 0")),
    Column("member_number", "Mitgliedsnummer", ("mitgliedsnr.", "mitgliedsnr", "member number", "member_number")),
    Column(
        "energy_intensive", "Energieintensiv", ("energy intensive", "energy_intensive"), _("ja oder nein (leer = nein)")
    ),
    Column("website", "Website", ("webseite", "homepage", "internet", "url")),
    Column("email", "E-Mail", ("email", "e-mail-adresse", "mail")),
    Column("phone", "Telefon", ("tel", "tel.", "telefonnummer", "phone", "telephone")),
    Column("tags", "Schlagwörter", ("schlagworte", "tags", "keywords"), _("durch Kommas getrennt")),
]

PERSON_EXPORT_HEADERS = [
    "Anrede", "Titel", "Vorname", "Nachname", "E-Mail", "Telefon", "Sprache", "Organisationen und Funktionen",
]  # fmt: skip


HEADER_LOOKUP: dict[str, str] = {}
for _column in ORGANISATION_COLUMNS:
    for _name in (_column.header, _column.field, *_column.aliases):
        HEADER_LOOKUP[header_key(_name)] = _column.field
HEADERS_BY_FIELD = {column.field: column.header for column in ORGANISATION_COLUMNS}

YES_WORDS = {"ja", "j", "x", "1", "true", "wahr", "yes", "y"}
NO_WORDS = {"", "nein", "n", "0", "false", "falsch", "no", "-"}
