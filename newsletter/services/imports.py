"""Import of existing subscribers from CSV or XLSX, in two steps: preview, then confirm.

1. :func:`import_preview` reads the upload with the one table reader (``core.tables.read_upload``:
   at most ``MAX_FILE_BYTES`` and ``MAX_ROWS``, NUL bytes and unreadable files refused with a
   :class:`~core.tables.TableFileError`), checks every row and stores the result as a
   ``SubscriberImport`` in status ``preview``. No subscriber is written.
2. :func:`import_confirm` writes every valid, new row in one transaction (all or nothing): active
   subscribers, each with a consent naming the file, the user and the written proof. No mail is sent.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.selectors import person_for_email
from contacts.services import consent_record
from core.tables import TableFileError, cell_text, csv_unescape, header_key, read_upload
from newsletter.errors import NewsletterRefused
from newsletter.models import NewsletterList, Subscriber, SubscriberImport, SubscriptionEvent
from newsletter.services.subscriptions import (
    LANGUAGES,
    consent_purpose,
    consent_wording_for,
    normalise_email,
    subscription_event_add,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MIN_PROOF_LENGTH = 10
COLUMNS = {
    "email": ["email", "e-mail", "e_mail", "mail", "e-mail-adresse"],
    "name": ["name", "vollständiger name"],
    "language": ["sprache", "language"],
    "consent_date": ["eingewilligt_am", "eingewilligt am", "einwilligung", "consent_date", "datum"],
}
_COLUMN_BY_HEADER = {header: field for field, headers in COLUMNS.items() for header in headers}
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        field = _COLUMN_BY_HEADER.get(header_key(title))
        if field and field not in positions:
            positions[field] = index
    if "email" not in positions:
        raise TableFileError(
            _("Es fehlt eine Spalte „E-Mail“. Die erste Zeile muss die Spaltenüberschriften enthalten."), field="file"
        )
    return positions


def _check_row(cells: dict[str, str], seen: set[str], known: set[str]) -> dict:
    errors = []
    email = cells["email"].lower()
    try:
        email = normalise_email(email)
    except NewsletterRefused as error:
        errors.append(error.message)
    language = cells["language"].lower()[:2] or "de"
    if language not in LANGUAGES:
        errors.append(_("Sprache „%(value)s“ unbekannt (de oder en).") % {"value": cells["language"]})
    parsed = _parse_date(cells["consent_date"]) if cells["consent_date"] else None
    if cells["consent_date"] and parsed is None:
        errors.append(_("Datum „%(value)s“ nicht lesbar (TT.MM.JJJJ).") % {"value": cells["consent_date"]})
    elif parsed and parsed > timezone.localdate():
        errors.append(_("Das Datum der Einwilligung liegt in der Zukunft."))
    duplicate = not errors and (email in seen or email in known)
    seen.add(email)
    data = {
        "email": email[:254],
        "name": cells["name"][:150],
        "language": language,
        "consent_date": parsed.isoformat() if parsed else "",
    }
    return {"data": data, "errors": errors, "duplicate": duplicate}


@transaction.atomic
def import_preview(*, newsletter_list: NewsletterList, upload, proof: str, user) -> SubscriberImport:
    """Check an uploaded list; nothing is written to the subscribers yet.

    Raises :class:`~core.tables.TableFileError` for a file that cannot be read as a whole and
    :class:`~newsletter.errors.NewsletterRefused` for a missing proof; nothing is stored then.
    """
    proof = (proof or "").strip()
    if len(proof) < MIN_PROOF_LENGTH:
        raise NewsletterRefused(
            _("Bitte beschreiben Sie den Nachweis der Einwilligung (wann, wie und wo sie erteilt wurde)."),
            field="proof",
        )
    table = read_upload(upload, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
    positions = _positions(table.header)
    if not table.rows:
        raise TableFileError(_("Die Datei enthält nur die Kopfzeile, aber keine Datenzeilen."), field="file")
    known = set(
        Subscriber.objects.filter(newsletter_list=newsletter_list, status=Subscriber.Status.ACTIVE).values_list(
            "email", flat=True
        )
    )
    seen: set[str] = set()
    rows = []
    for line, values in table.rows:
        cells = {
            field: csv_unescape(cell_text(values[positions[field]])) if field in positions and positions[field] < len(values) else ""
            for field in COLUMNS
        }  # fmt: skip
        rows.append({"line": line, **_check_row(cells, seen, known)})
    return SubscriberImport.objects.create(
        newsletter_list=newsletter_list, filename=(getattr(upload, "name", "") or "upload")[:255], proof=proof,
        rows=rows, created_by=user if user and user.is_authenticated else None,
    )  # fmt: skip


def _given_at(row_data: dict, now) -> datetime.datetime:
    if not row_data["consent_date"]:
        return now
    day = datetime.date.fromisoformat(row_data["consent_date"])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def import_confirm(*, batch: SubscriberImport, user) -> int:
    """Write the checked rows: active subscribers, each with a consent naming the proof. No mail is sent.

    All or nothing; an address that became active since the preview is skipped.
    """
    batch = SubscriberImport.objects.select_for_update().select_related("newsletter_list").get(pk=batch.pk)
    if batch.status != SubscriberImport.Status.PREVIEW:
        raise NewsletterRefused(_("Dieser Import wurde bereits abgeschlossen oder verworfen."), code="import_closed")
    newsletter_list = NewsletterList.objects.select_for_update().get(pk=batch.newsletter_list_id)
    wording, version = consent_wording_for(newsletter_list)
    now = timezone.now()
    source = (
        _("Import „%(file)s“ (%(user)s): %(proof)s")
        % {"file": batch.filename, "user": getattr(user, "email", "–"), "proof": batch.proof}
    )[:200]
    created = 0
    for row in batch.rows:
        if row["errors"] or row["duplicate"]:
            continue
        data = row["data"]
        given = _given_at(data, now)
        subscriber, _new = Subscriber.objects.select_for_update().get_or_create(
            newsletter_list=newsletter_list, email=data["email"],
            defaults={"name": data["name"], "language": data["language"], "created_at": given},
        )  # fmt: skip
        if subscriber.status == Subscriber.Status.ACTIVE:
            continue
        person = person_for_email(subscriber.email)
        subscriber.consent = consent_record(
            email=subscriber.email, purpose=consent_purpose(newsletter_list), wording=wording,
            wording_version=version, source=source, person=person, given_at=given,
        )  # fmt: skip
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.source = source
        subscriber.person = person
        subscriber.confirmed_at = given
        subscriber.confirm_key = ""
        subscriber.unsubscribed_at = subscriber.bounced_at = None
        subscriber.consent_wording, subscriber.consent_version = wording, version
        subscriber.name = data["name"] or subscriber.name
        subscriber.language = data["language"]
        subscriber.save()
        subscription_event_add(subscriber, SubscriptionEvent.Kind.JOIN, now)
        subscription_event_add(subscriber, SubscriptionEvent.Kind.CONFIRM, now)
        created += 1
    batch.status = SubscriberImport.Status.DONE
    batch.created_count = created
    batch.save(update_fields=["status", "created_count"])
    return created


@transaction.atomic
def import_discard(*, batch: SubscriberImport) -> None:
    """Drop a preview; a finished import stays as it is."""
    updated = SubscriberImport.objects.filter(pk=batch.pk, status=SubscriberImport.Status.PREVIEW).update(
        status=SubscriberImport.Status.DISCARDED
    )
    if not updated:
        raise NewsletterRefused(_("Dieser Import wurde bereits abgeschlossen oder verworfen."), code="import_closed")
