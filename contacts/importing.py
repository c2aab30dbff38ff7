"""Import of organisations from CSV or XLSX, in two steps: preview, then confirm.

1. :func:`import_preview` reads the file, checks every row with the rules of the
   organisation form (the model fields' own validators), looks for duplicates
   (same member number, or same normalised name and postcode) in the database and
   inside the file, and stores the result in an :class:`~contacts.models.ImportBatch`
   (status ``preview``). Nothing is written to ``Organisation``.
2. :func:`import_confirm` creates every valid, non-duplicate row in one
   transaction (all or nothing), checking the duplicates again under that
   transaction; :func:`import_discard` drops the preview.

File-level problems (too large, not CSV/XLSX, no "Name" column, too many rows)
raise :class:`ImportFileError` with a message for the user; nothing is stored.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.duplicates import organisation_name_key
from contacts.models import District, ImportBatch, Organisation, Tag
from contacts.regions import LEGAL_FORMS
from contacts.tabular import HEADER_LOOKUP, HEADERS_BY_FIELD, NO_WORDS, YES_WORDS
from core import tables
from core.errors import StateConflict
from core.tables import Table, TableFileError, csv_unescape, header_key
from core.tables import cell_text as _cell_text

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
SHOWN_ROWS = 500  # rows per section the preview page lists; the counts cover all
_CHUNK = 500  # size of IN (...) lists when looking up duplicates
_ADVISORY_LOCK_KEY = 0x4B57_0001  # serialises imports on PostgreSQL

ROW_NEW, ROW_ERROR, ROW_DUPLICATE, ROW_CREATED, ROW_SKIPPED = "new", "error", "duplicate", "created", "skipped"


class ImportFileError(TableFileError):
    """The file as a whole cannot be imported; the message is for the user, at the upload field."""

    def __init__(self, message: str, *, field: str | None = "file", code: str | None = None):
        super().__init__(message, field=field, code=code)


class ImportStateError(StateConflict):
    """The batch cannot be confirmed or discarded (any more); the message is for the user."""

    def __init__(self, message: str = "", **kwargs):
        super().__init__(message or _("Dieser Import ist schon abgeschlossen oder verworfen."), **kwargs)


# --- reading the file ----------------------------------------------------------------------------------------------


def read_table(*, data: bytes, filename: str) -> Table:
    """The core reader with this import's limits; its refusals become :class:`ImportFileError`."""
    try:
        return tables.read_table(data=data, filename=filename, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
    except TableFileError as error:
        raise ImportFileError(error.message) from None


# --- checking the rows -----------------------------------------------------------------------------------------------


def _map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    notices: list[str] = []
    for index, title in enumerate(header):
        title_text = _cell_text(title)
        if not title_text:
            continue
        field_name = HEADER_LOOKUP.get(header_key(title_text))
        if field_name is None:
            notices.append(_("Die Spalte „%(column)s“ ist unbekannt und wird ignoriert.") % {"column": title_text})
        elif field_name in positions:
            raise ImportFileError(
                _("Die Spalte „%(column)s“ kommt mehrfach vor.") % {"column": HEADERS_BY_FIELD[field_name]}
            )
        else:
            positions[field_name] = index
    if "name" not in positions:
        raise ImportFileError(
            _("Die Spalte „Name“ fehlt. Die erste Zeile muss die Spaltenüberschriften enthalten (siehe Vorlage).")
        )
    return positions, notices


LEGAL_TOKENS = {
    "gmbh", "mbh", "co", "kg", "ag", "ohg", "ug", "haftungsbeschränkt", "e", "k", "ek", "gbr", "eg", "ev", "v",
    "se", "kgaa", "inh", "und", "&",
}  # fmt: skip
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _legal_key(value: str) -> str:
    return re.sub(r"[\s.]", "", value.casefold())


_LEGAL_BY_KEY = {_legal_key(form): form for form in LEGAL_FORMS}
_THOUSANDS_RE = re.compile(r"^\d{1,3}(\.\d{3})+$")
_MODEL_FIELDS = ["name", "legal_form", "street", "postcode", "city", "wz_code", "member_number", "website", "email"]


class RowChecker:
    """Checks one row at a time with the organisation's field rules; loads the districts once."""

    def __init__(self):
        self.districts: dict[str, District] = {}
        for district in District.objects.all():
            self.districts[district.name.casefold()] = district
            self.districts[district.slug.casefold()] = district
        self.district_names = sorted({d.name for d in self.districts.values()})
        self.fields = {name: Organisation._meta.get_field(name) for name in [*_MODEL_FIELDS, "phone", "employees"]}

    def _field_clean(self, name: str, value):
        return self.fields[name].clean(value, None)

    def check(self, cells: dict[str, str]) -> tuple[dict, list[str]]:
        data: dict = {}
        errors: list[str] = []

        def fail(field_name: str, message) -> None:
            errors.append(f"{HEADERS_BY_FIELD[field_name]}: {message}")

        for name in _MODEL_FIELDS:
            value = cells.get(name, "")
            if name == "legal_form" and value:
                value = _LEGAL_BY_KEY.get(_legal_key(value), value)
                if value not in LEGAL_FORMS:
                    fail(name, _("Unbekannte Rechtsform „%(value)s“.") % {"value": value})
                    continue
            if name == "website" and value and "://" not in value:
                value = "https://" + value
            if name == "email":
                value = value.strip()
            try:
                data[name] = self._field_clean(name, value)
            except ValidationError as error:
                for message in error.messages:
                    fail(name, message)
        phone = cells.get("phone", "")
        try:
            data["phone"] = self._field_clean("phone", phone)
        except ValidationError as error:
            for message in error.messages:
                fail("phone", message)

        employees = cells.get("employees", "").replace(" ", "")
        if _THOUSANDS_RE.match(employees):
            employees = employees.replace(".", "")
        if not employees:
            data["employees"] = None
        elif not employees.isdigit():
            fail("employees", _("Bitte eine ganze Zahl ab 0 angeben (nicht „%(value)s“).") % {"value": employees})
        else:
            try:
                data["employees"] = self._field_clean("employees", int(employees))
            except ValidationError as error:
                for message in error.messages:
                    fail("employees", message)

        energy = cells.get("energy_intensive", "").casefold()
        if energy in YES_WORDS:
            data["energy_intensive"] = True
        elif energy in NO_WORDS:
            data["energy_intensive"] = False
        else:
            fail("energy_intensive", _("Bitte „ja“ oder „nein“ angeben (nicht „%(value)s“).") % {"value": energy})

        district_name = cells.get("district", "")
        data["district"] = None
        if district_name:
            district = self.districts.get(district_name.casefold())
            if district is None:
                fail(
                    "district",
                    _("Unbekannter Kreis „%(value)s“ (bekannt: %(known)s).")
                    % {"value": district_name, "known": ", ".join(self.district_names) or "–"},
                )
            else:
                data["district"] = district.pk
                data["district_name"] = district.name

        tags = [tag.strip() for tag in cells.get("tags", "").split(",") if tag.strip()]
        if any(len(tag) > 60 for tag in tags):
            fail("tags", _("Ein Schlagwort darf höchstens 60 Zeichen lang sein."))
        data["tags"] = list(dict.fromkeys(tags))
        return data, errors


def _cells_by_field(positions: dict[str, int], values: list) -> dict[str, str]:
    cells = {}
    for field_name, index in positions.items():
        value = values[index] if index < len(values) else None
        if field_name == "postcode" and isinstance(value, int | float) and not isinstance(value, bool):
            text = _cell_text(value).zfill(5)  # Excel drops the leading zero of 01067
        else:
            text = csv_unescape(_cell_text(value))
        cells[field_name] = text
    return cells


# --- duplicates ------------------------------------------------------------------------------------------------------


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ExistingIndex:
    """Existing organisations that a set of rows could duplicate (two queries per 500 values)."""

    by_member_number: dict[str, tuple[int, str]]
    by_name_postcode: dict[tuple[str, str], tuple[int, str]]

    @classmethod
    def for_rows(cls, rows: Iterable[dict]) -> "ExistingIndex":
        numbers = sorted({row["data"]["member_number"] for row in rows if row["data"].get("member_number")})
        postcodes = sorted({row["data"]["postcode"] for row in rows if row["data"].get("postcode") is not None})
        by_number: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(numbers):
            for pk, name, number in Organisation.objects.filter(member_number__in=chunk).values_list(
                "pk", "name", "member_number"
            ):
                by_number[number] = (pk, name)
        by_name: dict[tuple[str, str], tuple[int, str]] = {}
        for chunk in _chunks(postcodes):
            for pk, name, postcode in (
                Organisation.objects.filter(postcode__in=chunk).order_by("pk").values_list("pk", "name", "postcode")
            ):
                by_name.setdefault((organisation_name_key(name), postcode), (pk, name))
        return cls(by_member_number=by_number, by_name_postcode=by_name)

    def match(self, data: dict) -> dict | None:
        number = data.get("member_number")
        if number and number in self.by_member_number:
            pk, name = self.by_member_number[number]
            return {"source": "existing", "id": pk, "name": name, "reason": "member_number", "value": number}
        key = (organisation_name_key(data["name"]), data.get("postcode") or "")
        if key in self.by_name_postcode:
            pk, name = self.by_name_postcode[key]
            return {"source": "existing", "id": pk, "name": name, "reason": "name_postcode", "value": data["name"]}
        return None


def _mark_duplicates(rows: list[dict]) -> None:
    """Set status ``duplicate`` on valid rows matching an organisation or an earlier row of the file."""
    candidates = [row for row in rows if row["status"] == ROW_NEW]
    existing = ExistingIndex.for_rows(candidates)
    seen_numbers: dict[str, dict] = {}
    seen_names: dict[tuple[str, str], dict] = {}
    for row in candidates:
        data = row["data"]
        match = existing.match(data)
        number = data.get("member_number")
        key = (organisation_name_key(data["name"]), data.get("postcode") or "")
        if match is None and number and number in seen_numbers:
            first = seen_numbers[number]
            match = {"source": "file", "line": first["line"], "name": first["name"], "reason": "member_number"}
        if match is None and key in seen_names:
            first = seen_names[key]
            match = {"source": "file", "line": first["line"], "name": first["name"], "reason": "name_postcode"}
        if match is not None:
            row["status"] = ROW_DUPLICATE
            row["duplicate"] = match
            continue
        if number:
            seen_numbers[number] = row
        seen_names[key] = row


# --- services --------------------------------------------------------------------------------------------------------


def check_table(table: Table) -> tuple[list[dict], list[str]]:
    """Check every row of ``table``; returns the rows (as stored in the batch) and file-level notices."""
    positions, notices = _map_header(table.header)
    checker = RowChecker()
    rows = []
    for line, values in table.rows:
        cells = _cells_by_field(positions, values)
        data, errors = checker.check(cells)
        row = {"line": line, "name": cells.get("name", "")[:200], "status": ROW_ERROR if errors else ROW_NEW}
        if errors:
            row["errors"] = errors
        else:
            row["data"] = data
        rows.append(row)
    _mark_duplicates(rows)
    return rows, notices


def import_preview(*, data: bytes, filename: str, user) -> ImportBatch:
    """Read and check an upload; store the result as a batch in status ``preview`` (no organisation is written)."""
    table = read_table(data=data, filename=filename)
    rows, notices = check_table(table)
    if not rows:
        raise ImportFileError(_("Die Datei enthält nur die Kopfzeile, aber keine Datenzeilen."))
    return ImportBatch.objects.create(
        kind="organisations",
        filename=(filename or "")[:255],
        rows=rows,
        notices=table.notices + notices,
        created_by=user if user and user.is_authenticated else None,
    )


def _organisation_from(data: dict) -> Organisation:
    organisation = Organisation(
        **{name: data.get(name) or "" for name in _MODEL_FIELDS if name != "name"},
        name=data["name"],
        phone=data.get("phone") or "",
        district_id=data.get("district"),
        employees=data.get("employees"),
        energy_intensive=bool(data.get("energy_intensive")),
    )
    organisation.derive()  # what Organisation.save() derives (bulk_create does not call save())
    return organisation


def _set_tags_in_bulk(pairs: list[tuple[Organisation, list[str]]]) -> None:
    names = sorted({name for _organisation, tag_names in pairs for name in tag_names})
    if not names:
        return
    tags = {}
    for chunk in _chunks(names):
        tags.update({tag.name: tag for tag in Tag.objects.filter(name__in=chunk)})
    missing = [Tag(name=name) for name in names if name not in tags]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        for chunk in _chunks([tag.name for tag in missing]):
            tags.update({tag.name: tag for tag in Tag.objects.filter(name__in=chunk)})
    through = Organisation.tags.through
    links = [
        through(organisation_id=organisation.pk, tag_id=tags[name].pk)
        for organisation, tag_names in pairs
        for name in tag_names
    ]
    through.objects.bulk_create(links, batch_size=1000)


def import_confirm(*, batch: ImportBatch, user) -> ImportBatch:
    """Create every valid, non-duplicate row of a previewed batch, all in one transaction.

    Duplicates are checked again under the transaction (someone may have created
    one of the organisations since the preview); such rows are skipped and named
    in the summary. Any database error rolls back the whole import.
    """
    from simple_history.utils import bulk_create_with_history

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ImportStateError
        rows = batch.rows
        candidates = [row for row in rows if row["status"] == ROW_NEW]
        existing = ExistingIndex.for_rows(candidates)
        district_ids = set(District.objects.values_list("pk", flat=True))
        to_create: list[tuple[dict, Organisation]] = []
        for row in candidates:
            match = existing.match(row["data"])
            if match is not None:
                row["status"], row["duplicate"] = ROW_SKIPPED, match
            elif row["data"].get("district") and row["data"]["district"] not in district_ids:
                row["status"] = ROW_SKIPPED
                row["errors"] = [_("Kreis: Der Kreis wurde inzwischen gelöscht.")]
            else:
                to_create.append((row, _organisation_from(row["data"])))
        try:
            created = bulk_create_with_history(
                [organisation for _row, organisation in to_create],
                Organisation,
                batch_size=500,
                default_user=user if user and user.is_authenticated else None,
                default_change_reason=f"Import {batch.pk}",
            )
            _set_tags_in_bulk(
                [
                    (organisation, row["data"]["tags"])
                    for (row, _o), organisation in zip(to_create, created, strict=True)
                ]
            )
        except IntegrityError:
            raise ImportStateError(
                _(
                    "Der Import wurde abgebrochen, weil ein Datensatz gleichzeitig angelegt wurde. Bitte erneut hochladen."
                )
            ) from None
        for (row, _o), organisation in zip(to_create, created, strict=True):
            row["status"], row["id"] = ROW_CREATED, organisation.pk
        batch.rows = rows
        batch.status = ImportBatch.Status.DONE
        batch.created_count = len(created)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["rows", "status", "created_count", "finished_at"])
    return batch


def import_discard(*, batch: ImportBatch, user) -> ImportBatch:
    """Drop a preview: the batch keeps its counts, the parsed rows are deleted."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ImportStateError
        summary = batch_summary(batch)
        batch.status = ImportBatch.Status.DISCARDED
        batch.notices = [*batch.notices, _("Verworfen: %(count)s Zeilen.") % {"count": summary.total}]
        batch.rows = []
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "notices", "rows", "finished_at"])
    return batch


# --- reading a batch -------------------------------------------------------------------------------------------------


@dataclass
class BatchSummary:
    total: int
    new: int
    errors: int
    duplicates: int
    created: int
    skipped: int
    error_rows: list[dict]
    duplicate_rows: list[dict]
    skipped_rows: list[dict]

    @property
    def more_errors(self) -> int:
        return self.errors - len(self.error_rows)

    @property
    def more_duplicates(self) -> int:
        return self.duplicates - len(self.duplicate_rows)


def batch_summary(batch: ImportBatch, shown: int = SHOWN_ROWS) -> BatchSummary:
    counts = {ROW_NEW: 0, ROW_ERROR: 0, ROW_DUPLICATE: 0, ROW_CREATED: 0, ROW_SKIPPED: 0}
    lists: dict[str, list] = {ROW_ERROR: [], ROW_DUPLICATE: [], ROW_SKIPPED: []}
    for row in batch.rows:
        status = row["status"]
        counts[status] = counts.get(status, 0) + 1
        if status in lists and len(lists[status]) < shown:
            lists[status].append(row)
    return BatchSummary(
        total=len(batch.rows),
        new=counts[ROW_NEW],
        errors=counts[ROW_ERROR],
        duplicates=counts[ROW_DUPLICATE],
        created=counts[ROW_CREATED],
        skipped=counts[ROW_SKIPPED],
        error_rows=lists[ROW_ERROR],
        duplicate_rows=lists[ROW_DUPLICATE],
        skipped_rows=lists[ROW_SKIPPED],
    )


def duplicate_reason(match: dict) -> str:
    if match.get("reason") == "member_number":
        return _("gleiche Mitgliedsnummer")
    return _("gleicher Name und gleiche PLZ")


__all__ = [
    "ImportFileError", "ImportStateError", "import_preview", "import_confirm", "import_discard", "batch_summary",
    "read_table", "check_table",
]  # fmt: skip
