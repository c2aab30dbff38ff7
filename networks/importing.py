"""Reach and interactions of a campaign's posts from a CSV/XLSX export of the channel, in two steps.

1. :func:`post_import_preview` reads the file with :func:`core.tables.read_table`, refuses it as a whole
   when a column is unknown or repeated (the message names them), checks every row (link, date, numbers,
   the same post twice in the file) and stores the result in a :class:`~networks.models.PostImport`.
   Nothing changes on any post.
2. :func:`post_import_confirm` applies every row in one transaction – posts found by their link get the new
   figures, unknown links become new posts – or nothing: a preview with a bad row cannot be confirmed.
   :func:`post_import_discard` drops the preview.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import tables
from core.errors import ServiceError, StateConflict
from core.tables import TableFileError, cell_text, csv_unescape, header_key
from networks.models import Campaign, Post, PostImport
from networks.services import normalise_link

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
SHOWN_ROWS = 300
ROW_NEW, ROW_UPDATE, ROW_ERROR = "new", "update", "error"

# field → (German header shown in the template and messages, accepted headers incl. the channels' English exports)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "link": ("Link", ("link", "permalink", "url", "beitragslink", "post link")),
    "published_on": ("Datum", ("datum", "date", "veröffentlicht", "veröffentlicht am", "publish time", "posted")),
    "reach": ("Reichweite", ("reichweite", "reach", "erreichte konten", "accounts reached")),
    "interactions": ("Interaktionen", ("interaktionen", "interactions", "engagement")),
    "likes": ("Likes", ("likes", "gefällt mir", "gefällt mir-angaben")),
    "comments": ("Kommentare", ("kommentare", "comments")),
    "shares": ("Geteilt", ("geteilt", "shares")),
    "saves": ("Gespeichert", ("gespeichert", "saves")),
    "caption": ("Titel", ("titel", "beschreibung", "description", "caption", "title")),
}
HEADER_LOOKUP = {alias: name for name, (_header, aliases) in COLUMNS.items() for alias in aliases}
COUNT_FIELDS = ("reach", "interactions", "likes", "comments", "shares", "saves")
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%m/%d/%Y")
_THOUSANDS_RE = re.compile(r"^\d{1,3}([.,]\d{3})+$")


class PostImportRefused(ServiceError):
    default_code = "post_import"


def column_headers() -> list[str]:
    return [header for header, _aliases in COLUMNS.values()]


def _map_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    unknown, repeated = [], []
    for index, title in enumerate(header):
        text = cell_text(title)
        if not text:
            continue
        name = HEADER_LOOKUP.get(header_key(text))
        if name is None:
            unknown.append(text)
        elif name in positions:
            repeated.append(COLUMNS[name][0])
        else:
            positions[name] = index
    if unknown:
        raise TableFileError(
            _("Unbekannte Spalten: %(columns)s. Erlaubt sind: %(allowed)s. Es wurde nichts übernommen.")
            % {"columns": ", ".join(f"„{c}“" for c in unknown), "allowed": ", ".join(column_headers())}
        )
    if repeated:
        raise TableFileError(
            _("Die Spalte %(columns)s kommt mehrfach vor. Es wurde nichts übernommen.")
            % {"columns": ", ".join(f"„{c}“" for c in repeated)}
        )
    if "link" not in positions:
        raise TableFileError(_("Die Spalte „Link“ fehlt: an ihr erkennen wir den Beitrag."))
    if not set(COUNT_FIELDS) & set(positions):
        raise TableFileError(_("Die Datei enthält weder Reichweite noch Interaktionen."))
    return positions


def _count(value: str, header: str, errors: list[str]) -> int | None:
    text = value.strip().replace(" ", "").replace("\u202f", "")
    if not text:
        return None
    if _THOUSANDS_RE.match(text):
        text = re.sub(r"[.,]", "", text)
    if not text.isascii() or not text.isdigit():
        errors.append(_("%(column)s: „%(value)s“ ist keine ganze Zahl ≥ 0.") % {"column": header, "value": value})
        return None
    return int(text)


def _date(value, errors: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    candidate = text.replace("T", " ").split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    errors.append(_("Datum: „%(value)s“ ist kein Datum (TT.MM.JJJJ).") % {"value": text})
    return None


def check_rows(campaign: Campaign, table: tables.Table) -> list[dict]:
    """Every row of the file, checked: ``new`` (an unknown link), ``update`` (a post of the campaign) or ``error``."""
    positions = _map_header(table.header)
    existing = dict(Post.objects.filter(campaign=campaign).values_list("link", "pk"))
    seen: dict[str, int] = {}
    checked = []
    validate_url = URLValidator(schemes=["http", "https"])
    for line, values in table.rows:
        raw = {name: (values[index] if index < len(values) else None) for name, index in positions.items()}
        text = {name: csv_unescape(cell_text(value)) for name, value in raw.items()}
        errors: list[str] = []
        link = normalise_link(text.get("link", ""))
        try:
            validate_url(link)
        except ValidationError:
            errors.append(_("Link: „%(value)s“ ist kein Link (https://…).") % {"value": text.get("link", "")})
            link = ""
        if link and link in seen:
            errors.append(_("Derselbe Beitrag steht schon in Zeile %(line)s.") % {"line": seen[link]})
        elif link:
            seen[link] = line
        counts = {name: _count(text[name], COLUMNS[name][0], errors) for name in COUNT_FIELDS if name in text}
        interactions = counts.get("interactions")
        parts = [counts.get(name) for name in ("likes", "comments", "shares", "saves")]
        if interactions is None and any(part is not None for part in parts):
            interactions = sum(part or 0 for part in parts)
        errors_before = len(errors)
        published_on = _date(raw.get("published_on"), errors) if "published_on" in raw else None
        post_id = existing.get(link)
        if link and post_id is None and published_on is None and len(errors) == errors_before:
            errors.append(_("Datum: Für einen neuen Beitrag brauchen wir das Datum."))
        data = {
            "link": link, "published_on": published_on.isoformat() if published_on else "",
            "reach": counts.get("reach"), "interactions": interactions, "caption": text.get("caption", "")[:300],
        }  # fmt: skip
        status = ROW_ERROR if errors else (ROW_UPDATE if post_id else ROW_NEW)
        checked.append({"line": line, "status": status, "data": data, "errors": errors, "post_id": post_id})
    return checked


def post_import_preview(*, campaign: Campaign, data: bytes, filename: str, user=None) -> PostImport:
    """Read and check the file; store the preview. A file that cannot be read stores nothing."""
    table = tables.read_table(data=data, filename=filename, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
    rows = check_rows(campaign, table)
    if not rows:
        raise TableFileError(_("Die Datei enthält keine Datenzeilen."))
    return PostImport.objects.create(
        campaign=campaign, filename=filename[:255], rows=rows,
        created_by=user if user and user.is_authenticated else None,
    )  # fmt: skip


def post_import_confirm(*, batch: PostImport) -> PostImport:
    """Apply every row, or nothing: a preview with a bad row is refused."""
    with transaction.atomic():
        batch = PostImport.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=batch.pk)
        if batch.status != PostImport.Status.PREVIEW:
            raise StateConflict(_("Dieser Import ist schon übernommen oder verworfen."))
        bad = [row for row in batch.rows if row["status"] == ROW_ERROR]
        if bad:
            raise PostImportRefused(
                _(
                    "Die Datei hat %(count)s fehlerhafte Zeilen. Bitte korrigieren Sie sie und laden Sie die Datei "
                    "erneut hoch; es wurde nichts übernommen."
                )
                % {"count": len(bad)},
                code="bad_rows",
            )
        campaign = batch.campaign
        now = timezone.now()
        posts = {post.link: post for post in Post.objects.select_for_update().filter(campaign=campaign)}
        updated, created = [], []
        for row in batch.rows:
            data = row["data"]
            post = posts.get(data["link"])  # looked up again: a post typed in meanwhile is updated, not doubled
            if post is None:
                post = Post(
                    campaign=campaign, link=data["link"], channel=campaign.channel, caption=data["caption"],
                    published_on=datetime.date.fromisoformat(data["published_on"]),
                )  # fmt: skip
                created.append(post)
                posts[post.link] = post
            else:
                updated.append(post)
            if data["reach"] is not None:
                post.reach = data["reach"]
            if data["interactions"] is not None:
                post.interactions = data["interactions"]
            post.metrics_source, post.metrics_updated_at = Post.Source.IMPORT, now
        Post.objects.bulk_create(created, batch_size=500)
        Post.objects.bulk_update(
            [post for post in updated if post.pk],
            ["reach", "interactions", "metrics_source", "metrics_updated_at"],
            batch_size=500,
        )
        batch.status, batch.finished_at = PostImport.Status.DONE, now
        batch.created_count, batch.updated_count = len(created), len({post.pk for post in updated})
        batch.save(update_fields=["status", "finished_at", "created_count", "updated_count"])
    return batch


def post_import_discard(*, batch: PostImport) -> PostImport:
    with transaction.atomic():
        batch = PostImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != PostImport.Status.PREVIEW:
            raise StateConflict(_("Dieser Import ist schon übernommen oder verworfen."))
        batch.status, batch.rows, batch.finished_at = PostImport.Status.DISCARDED, [], timezone.now()
        batch.save(update_fields=["status", "rows", "finished_at"])
    return batch


@dataclass
class ImportSummary:
    total: int
    new: int
    update: int
    errors: int
    error_rows: list[dict]
    rows: list[dict]


def import_summary(batch: PostImport, shown: int = SHOWN_ROWS) -> ImportSummary:
    counts = {ROW_NEW: 0, ROW_UPDATE: 0, ROW_ERROR: 0}
    for row in batch.rows:
        counts[row["status"]] += 1
    return ImportSummary(
        total=len(batch.rows), new=counts[ROW_NEW], update=counts[ROW_UPDATE], errors=counts[ROW_ERROR],
        error_rows=[row for row in batch.rows if row["status"] == ROW_ERROR][:shown],
        rows=[row for row in batch.rows if row["status"] != ROW_ERROR][:shown],
    )  # fmt: skip
