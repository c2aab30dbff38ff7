"""Writes of the newsletter: subscriptions (double opt-in), imports, issues and their sending."""

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import OrganisationRole, Person
from contacts.services import consent_record, consent_withdraw
from core.jobs import enqueue_on_commit
from core.mail import mail_queue
from newsletter import conf
from newsletter.models import Delivery, Issue, Item, NewsletterList, Subscriber, SubscriberImport, SubscriptionEvent

CONFIRM_SALT = "newsletter.confirm"
CONFIRM_MAIL_EVERY = timedelta(hours=1)
MAX_TEST_ADDRESSES = 10


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


# --- helpers ----------------------------------------------------------------------


def normalise_email(value: str) -> str:
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": value}) from None
    return email


def consent_purpose(newsletter_list: NewsletterList) -> str:
    return f"newsletter.{newsletter_list.slug}"


def consent_wording_for(newsletter_list: NewsletterList) -> tuple[str, str]:
    """The wording shown at sign-up: the list's text plus what tracking is switched on."""
    parts = [newsletter_list.consent_wording.strip()]
    version = newsletter_list.consent_version
    if newsletter_list.open_tracking:
        parts.append(
            _(
                "Wir messen, ob und wann Sie eine Ausgabe öffnen (Zählpixel), um den Newsletter zu verbessern. "
                "Sie können dem jederzeit durch Abmelden widersprechen."
            )
        )
        version += "+open"
    if newsletter_list.click_tracking:
        parts.append(_("Wir messen, welche Links Sie in einer Ausgabe anklicken (Weiterleitung über unseren Server)."))
        version += "+click"
    return "\n\n".join(part for part in parts if part), version


def person_for_email(email: str) -> Person | None:
    """The contacts record with this address (own address first, then a function's address)."""
    person = Person.objects.filter(email__iexact=email, anonymised_at__isnull=True).order_by("pk").first()
    if person is None:
        role = OrganisationRole.objects.filter(email__iexact=email).select_related("person").order_by("pk").first()
        person = role.person if role else None
    return person


def _event(subscriber: Subscriber, kind: str, at) -> None:
    SubscriptionEvent.objects.create(
        newsletter_list_id=subscriber.newsletter_list_id, subscriber=subscriber, kind=kind, at=at
    )


def confirm_link(subscriber: Subscriber) -> str:
    value = signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscriber.pk}.{subscriber.token}")
    return settings.SITE_URL + reverse("newsletter:confirm", args=[value])


# --- subscriptions --------------------------------------------------------------------


@transaction.atomic
def subscriber_signup(
    *, newsletter_list: NewsletterList, email: str, name: str = "", language: str = "de", source: str = "",
    ip_address: str | None = None, now=None,
) -> bool:  # fmt: skip
    """Register a sign-up and send the confirmation mail (double opt-in).

    Returns whether a mail was queued. The caller shows the same answer either way, so
    nobody learns whether an address is subscribed; at most one mail per address per hour.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    if not newsletter_list.is_public:
        raise ValidationError(_("Dieser Verteiler nimmt keine Anmeldungen entgegen."))
    wording, version = consent_wording_for(newsletter_list)
    ip = ip_address if conf.store_ip() else None
    source = source or _("Anmeldeformular")
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.select_for_update().get_or_create(
                newsletter_list=newsletter_list, email=email,
                defaults={"name": name, "language": language, "source": source, "created_at": now,
                          "consent_wording": wording, "consent_version": version, "consent_ip": ip},
            )  # fmt: skip
    except IntegrityError:  # two sign-ups at once; the other one wins
        subscriber, created = (
            Subscriber.objects.select_for_update().get(newsletter_list=newsletter_list, email=email),
            False,
        )
    if created:
        _event(subscriber, SubscriptionEvent.Kind.JOIN, now)
    elif subscriber.status == Subscriber.Status.ACTIVE:
        return False
    else:
        if subscriber.status != Subscriber.Status.PENDING:
            subscriber.status = Subscriber.Status.PENDING
            _event(subscriber, SubscriptionEvent.Kind.JOIN, now)
        subscriber.name = name or subscriber.name
        subscriber.language = language
        subscriber.source = source
        subscriber.consent_wording, subscriber.consent_version, subscriber.consent_ip = wording, version, ip
        subscriber.save()
    # the throttle is a conditional UPDATE on the row: race-free, and it survives a cache flush
    due = Subscriber.objects.filter(pk=subscriber.pk).filter(
        Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=now - CONFIRM_MAIL_EVERY)
    )
    if not due.update(confirmation_sent_at=now):
        return False
    mail_queue(
        to=email,
        template="newsletter_confirm",
        context={
            "newsletter_list": newsletter_list,
            "name": subscriber.name,
            "link": confirm_link(subscriber),
            "hours": conf.confirm_hours(),
            "wording": wording,
        },
        language=language,
        reference=f"newsletter.subscriber:{subscriber.pk}",
    )
    return True


def _unsign_confirmation(value: str) -> tuple[int, str]:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        raw = signer.unsign(value, max_age=timedelta(hours=conf.confirm_hours()))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    pk, _sep, token = raw.partition(".")
    if not pk.isdigit():
        raise LinkInvalid
    return int(pk), token


@transaction.atomic
def subscriber_confirm(*, value: str, now=None) -> Subscriber:
    """Complete the double opt-in: the consent is stored now, with the wording shown at sign-up."""
    now = now or timezone.now()
    pk, token = _unsign_confirmation(value)
    subscriber = (
        Subscriber.objects.select_for_update().select_related("newsletter_list").filter(pk=pk, token=token).first()
    )
    if subscriber is None:
        raise LinkInvalid
    if subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber
    if subscriber.status != Subscriber.Status.PENDING:
        raise LinkInvalid
    person = person_for_email(subscriber.email)
    consent = consent_record(
        email=subscriber.email,
        purpose=consent_purpose(subscriber.newsletter_list),
        wording=subscriber.consent_wording or consent_wording_for(subscriber.newsletter_list)[0],
        wording_version=subscriber.consent_version or subscriber.newsletter_list.consent_version,
        source=_("%(source)s, Double-Opt-in bestätigt") % {"source": subscriber.source},
        person=person,
        ip_address=subscriber.consent_ip,
        given_at=now,
    )
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.bounced_at = None
    subscriber.soft_bounces = 0
    subscriber.consent = consent
    subscriber.person = person
    subscriber.save()
    _event(subscriber, SubscriptionEvent.Kind.CONFIRM, now)
    return subscriber


def subscriber_by_token(token: str) -> Subscriber:
    subscriber = Subscriber.objects.select_related("newsletter_list").filter(token=token).first()
    if subscriber is None or not token:
        raise LinkInvalid
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, now=None) -> bool:
    """One click: off the list, consent withdrawn. False if it was not subscribed (nothing changes)."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().select_related("newsletter_list").get(pk=subscriber.pk)
    if subscriber.status not in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        return False
    was_active = subscriber.status == Subscriber.Status.ACTIVE
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    if was_active:
        _event(subscriber, SubscriptionEvent.Kind.LEAVE, now)
    consent_withdraw(email=subscriber.email, purpose=consent_purpose(subscriber.newsletter_list))
    # what is still queued for this address is not sent any more
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, last_error="unsubscribed"
    )
    return True


@transaction.atomic
def subscriber_update_preferences(*, subscriber: Subscriber, name: str, language: str) -> Subscriber:
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.name = name.strip()
    subscriber.language = language if language in ("de", "en") else "de"
    subscriber.full_clean(exclude=["consent", "person"])
    subscriber.save(update_fields=["name", "language"])
    return subscriber


@transaction.atomic
def subscriber_mark_bounced(*, subscriber_id: int, reason: str = "", hard: bool = True, now=None) -> bool:
    """A hard bounce suppresses the address; soft bounces do after ``soft_bounce_limit`` in a row."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.BOUNCED:
        return False
    if not hard:
        subscriber.soft_bounces += 1
        if subscriber.soft_bounces < conf.soft_bounce_limit():
            subscriber.save(update_fields=["soft_bounces"])
            return False
    was_active = subscriber.status == Subscriber.Status.ACTIVE
    subscriber.status = Subscriber.Status.BOUNCED
    subscriber.bounced_at = now
    subscriber.save(update_fields=["status", "bounced_at", "soft_bounces"])
    if was_active:
        _event(subscriber, SubscriptionEvent.Kind.BOUNCE, now)
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, last_error=f"bounced: {reason}"[:300]
    )
    return True


@transaction.atomic
def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Staff remove an address (e.g. on request); events stay for the figures, without the address."""
    consent_withdraw(email=subscriber.email, purpose=consent_purpose(subscriber.newsletter_list))
    Delivery.objects.filter(subscriber=subscriber).update(email="", subscriber=None)
    subscriber.delete()


# --- import ---------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "email": ["email", "e-mail", "e_mail", "mail", "e-mail-adresse"],
    "name": ["name", "vollständiger name"],
    "language": ["sprache", "language"],
    "consent_date": ["eingewilligt_am", "einwilligung", "consent_date", "datum"],
}


def _read_table(upload) -> list[dict]:
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(upload, read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(cell or "").strip().lower() for cell in rows[0]] if rows else []
        return [dict(zip(header, ["" if v is None else str(v) for v in row], strict=False)) for row in rows[1:]]
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    return [{(key or "").strip().lower(): (value or "") for key, value in row.items()} for row in reader]


def _pick(row: dict, field: str) -> str:
    for key in IMPORT_COLUMNS[field]:
        if row.get(key):
            return str(row[key]).strip()
    return ""


def _parse_date(value: str):
    import datetime

    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def import_preview(*, newsletter_list: NewsletterList, upload, proof: str, user) -> SubscriberImport:
    """Check an uploaded list; nothing is written to the subscribers yet."""
    proof = (proof or "").strip()
    if len(proof) < 10:
        raise ValidationError(
            _("Bitte beschreiben Sie den Nachweis der Einwilligung (wann, wie und wo sie erteilt wurde).")
        )
    try:
        table = _read_table(upload)
    except Exception:  # a broken file of any kind: say so, store nothing
        raise ValidationError(_("Die Datei konnte nicht gelesen werden. Erwartet wird CSV (UTF-8) oder XLSX."))
    if not table:
        raise ValidationError(_("Die Datei enthält keine Zeilen."))
    if not any(_pick(row, "email") for row in table):
        raise ValidationError(_("Es fehlt eine Spalte „E-Mail“."))
    known = set(
        Subscriber.objects.filter(newsletter_list=newsletter_list, status=Subscriber.Status.ACTIVE).values_list(
            "email", flat=True
        )
    )
    seen: set[str] = set()
    rows = []
    for line, row in enumerate(table, start=2):
        errors, duplicate = [], False
        email = _pick(row, "email").lower()
        try:
            email = normalise_email(email)
        except ValidationError as error:
            errors.append(error.messages[0])
        language = _pick(row, "language").lower()[:2] or "de"
        if language not in ("de", "en"):
            errors.append(_("Sprache „%(value)s“ unbekannt (de oder en).") % {"value": language})
        consent_date = _pick(row, "consent_date")
        parsed = _parse_date(consent_date) if consent_date else None
        if consent_date and parsed is None:
            errors.append(_("Datum „%(value)s“ nicht lesbar (TT.MM.JJJJ).") % {"value": consent_date})
        if email in seen or email in known:
            duplicate = True
        seen.add(email)
        rows.append(
            {
                "line": line,
                "data": {
                    "email": email, "name": _pick(row, "name")[:150], "language": language,
                    "consent_date": parsed.isoformat() if parsed else "",
                },
                "errors": errors,
                "duplicate": duplicate,
            }
        )  # fmt: skip
    return SubscriberImport.objects.create(
        newsletter_list=newsletter_list, filename=upload.name or "upload", proof=proof, rows=rows, created_by=user
    )


@transaction.atomic
def import_confirm(*, batch: SubscriberImport, user) -> int:
    """Write the checked rows: active subscribers, each with a consent naming the proof. No mail is sent."""
    import datetime

    batch = SubscriberImport.objects.select_for_update().select_related("newsletter_list").get(pk=batch.pk)
    if batch.status != SubscriberImport.Status.PREVIEW:
        raise ValidationError(_("Dieser Import wurde bereits abgeschlossen."))
    newsletter_list = batch.newsletter_list
    wording, version = consent_wording_for(newsletter_list)
    now = timezone.now()
    created = 0
    for row in batch.rows:
        if row["errors"] or row["duplicate"]:
            continue
        data = row["data"]
        given = now
        if data["consent_date"]:
            given = timezone.make_aware(
                datetime.datetime.combine(datetime.date.fromisoformat(data["consent_date"]), datetime.time(12))
            )
        subscriber, new = Subscriber.objects.select_for_update().get_or_create(
            newsletter_list=newsletter_list, email=data["email"],
            defaults={"name": data["name"], "language": data["language"], "created_at": given},
        )  # fmt: skip
        if subscriber.status == Subscriber.Status.ACTIVE:
            continue
        person = person_for_email(subscriber.email)
        source = _("Import „%(file)s“ (%(user)s): %(proof)s") % {
            "file": batch.filename, "user": getattr(user, "email", "–"), "proof": batch.proof,
        }  # fmt: skip
        consent = consent_record(
            email=subscriber.email, purpose=consent_purpose(newsletter_list), wording=wording,
            wording_version=version, source=source[:200], person=person, given_at=given,
        )  # fmt: skip
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.source = source[:200]
        subscriber.consent = consent
        subscriber.person = person
        subscriber.confirmed_at = given
        subscriber.unsubscribed_at = subscriber.bounced_at = None
        subscriber.consent_wording, subscriber.consent_version = wording, version
        subscriber.name = data["name"] or subscriber.name
        subscriber.save()
        _event(subscriber, SubscriptionEvent.Kind.JOIN, now)
        _event(subscriber, SubscriptionEvent.Kind.CONFIRM, now)
        created += 1
    batch.status = SubscriberImport.Status.DONE
    batch.created_count = created
    batch.save(update_fields=["status", "created_count"])
    return created


def import_discard(*, batch: SubscriberImport) -> None:
    SubscriberImport.objects.filter(pk=batch.pk, status=SubscriberImport.Status.PREVIEW).update(
        status=SubscriberImport.Status.DISCARDED
    )


# --- issues ----------------------------------------------------------------------------


def _editable(issue: Issue) -> None:
    if not issue.is_editable:
        raise ValidationError(
            _("Diese Ausgabe ist bereits im Versand oder versandt und kann nicht mehr geändert werden.")
        )


@transaction.atomic
def issue_create(*, newsletter_list: NewsletterList, subject: str, intro: str = "", user=None) -> Issue:
    NewsletterList.objects.select_for_update().get(pk=newsletter_list.pk)  # serialises the numbering
    number = (Issue.objects.filter(newsletter_list=newsletter_list).aggregate(n=Max("number"))["n"] or 0) + 1
    return Issue.objects.create(
        newsletter_list=newsletter_list, number=number, subject=subject.strip(), intro=intro, created_by=user
    )


@transaction.atomic
def issue_update(*, issue: Issue, subject: str, intro: str) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    issue.subject, issue.intro = subject.strip(), intro
    issue.save(update_fields=["subject", "intro"])
    return issue


@transaction.atomic
def item_save(*, issue: Issue, item: Item) -> Item:
    Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    item.issue = issue
    if not item.pk:
        item.position = (issue.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: Item) -> None:
    _editable(item.issue)
    item.delete()


@transaction.atomic
def items_reorder(*, issue: Issue, positions: dict[int, int]) -> None:
    """Set the order from {item id: number}; ties keep the previous order. Numbers become 1..n."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    items = list(issue.items.all())
    ranked = sorted(items, key=lambda item: (positions.get(item.pk, item.position), item.position, item.pk))
    for index, item in enumerate(ranked, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])


def item_move(*, item: Item, step: int) -> None:
    items = list(item.issue.items.all())
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = max(0, min(len(items) - 1, index + step))
    items.insert(target, items.pop(index))
    items_reorder(issue=item.issue, positions={candidate.pk: number for number, candidate in enumerate(items, 1)})


@transaction.atomic
def item_add_from_source(*, issue: Issue, origin: str) -> Item:
    """Pull an upcoming event or a portal entry into the issue as an item."""
    from newsletter.sources import candidate_for

    _editable(issue)
    candidate = candidate_for(origin)
    if candidate is None:
        raise ValidationError(_("Dieser Eintrag ist nicht (mehr) verfügbar."))
    item = Item(
        title=candidate.title[:200], teaser=candidate.teaser[:400], text=candidate.text, link=candidate.link,
        source=candidate.source, origin=candidate.origin,
    )  # fmt: skip
    return item_save(issue=issue, item=item)


@transaction.atomic
def issue_schedule(*, issue: Issue, when) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    if when is None:
        issue.status, issue.scheduled_at = Issue.Status.DRAFT, None
    else:
        if when <= timezone.now():
            raise ValidationError(_("Der Versandzeitpunkt muss in der Zukunft liegen."))
        if not issue.items.exists():
            raise ValidationError(_("Die Ausgabe hat noch keine Meldungen."))
        issue.status, issue.scheduled_at = Issue.Status.SCHEDULED, when
    issue.save(update_fields=["status", "scheduled_at"])
    return issue


def parse_addresses(raw: str) -> list[str]:
    parts = [part for part in raw.replace(";", ",").replace("\n", ",").split(",") if part.strip()]
    if not parts:
        raise ValidationError(_("Bitte geben Sie mindestens eine Adresse an."))
    if len(parts) > MAX_TEST_ADDRESSES:
        raise ValidationError(_("Höchstens %(n)s Testadressen auf einmal.") % {"n": MAX_TEST_ADDRESSES})
    return list(dict.fromkeys(normalise_email(part) for part in parts))


@transaction.atomic
def issue_test_send(*, issue: Issue, addresses: list[str]) -> int:
    """Send the issue as it will look to the given addresses (through the ordinary mail queue)."""
    from newsletter.sending import TEMPLATE, issue_context, list_headers

    if not issue.items.exists():
        raise ValidationError(_("Die Ausgabe hat noch keine Meldungen."))
    for address in addresses:
        subscriber = Subscriber.objects.filter(newsletter_list=issue.newsletter_list_id, email=address).first()
        token = subscriber.token if subscriber else ""
        context = issue_context(issue, token=token)
        if not token:  # not on the list: the links lead to the sign-up page
            context["unsubscribe_url"] = context["preferences_url"] = context["subscribe_url"]
        context["is_test"] = True
        mail_queue(
            to=address,
            template=TEMPLATE,
            context=context,
            language=subscriber.language if subscriber else "de",
            headers=list_headers(issue, context["unsubscribe_url"]),
            reference=f"newsletter.issue_test:{issue.pk}",
        )
    return len(addresses)


@transaction.atomic
def issue_send(*, issue: Issue, now=None) -> int:
    """Start sending now: one delivery row per active subscriber, then the worker sends.

    A second call for the same issue is refused; the unique (issue, subscriber) rows
    would make it harmless anyway.
    """
    from newsletter.sending import deliveries_queue
    from newsletter.tasks import deliver_issue

    now = now or timezone.now()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status in (Issue.Status.SENDING, Issue.Status.SENT):
        raise ValidationError(_("Diese Ausgabe wird bereits versandt oder wurde schon versandt."))
    if not issue.items.exists():
        raise ValidationError(_("Eine Ausgabe ohne Meldungen kann nicht versandt werden."))
    issue.status = Issue.Status.SENDING
    issue.send_started_at = now
    issue.scheduled_at = issue.scheduled_at or now
    issue.save(update_fields=["status", "send_started_at", "scheduled_at"])
    queued = deliveries_queue(issue)
    if queued == 0:
        issue.status, issue.sent_at = Issue.Status.SENT, now
        issue.save(update_fields=["status", "sent_at"])
        return 0
    for _n in range(conf.parallel_senders()):
        enqueue_on_commit(deliver_issue, issue.pk)
    return queued


def issues_send_due(now=None) -> list[int]:
    """Recurring: start every scheduled issue whose time has come."""
    now = now or timezone.now()
    started = []
    for issue in Issue.objects.filter(status=Issue.Status.SCHEDULED, scheduled_at__lte=now):
        try:
            issue_send(issue=issue, now=now)
            started.append(issue.pk)
        except ValidationError:
            continue
    return started


# --- tracking (only when a list has it switched on) ------------------------------------


def delivery_track(*, value: str, kind: str) -> Delivery | None:
    from newsletter.sending import TRACK_SALT

    try:
        delivery_id = signing.loads(value, salt=TRACK_SALT)
    except signing.BadSignature:
        return None
    delivery = Delivery.objects.select_related("issue__newsletter_list").filter(pk=delivery_id).first()
    if delivery is None:
        return None
    newsletter_list = delivery.issue.newsletter_list
    field = "opened_at" if kind == "open" else "clicked_at"
    if (kind == "open" and newsletter_list.open_tracking) or (kind == "click" and newsletter_list.click_tracking):
        Delivery.objects.filter(pk=delivery.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()})
    return delivery
