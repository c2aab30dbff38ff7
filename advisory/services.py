"""Writes of the advisory module: keyword-only, in a transaction, locking what they contend for.

Booking rules (see README): a slot is held by at most one booking in state
``offered`` or ``confirmed`` – a partial unique constraint guarantees it, and every write that
changes who holds a slot locks the day's row (``SELECT … FOR UPDATE``; SQLite: IMMEDIATE
transactions). A booking or waiting-list entry first takes the person's advisory lock, so the
per-person limit holds across days under concurrency too.
"""

import datetime
import zlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advisory import selectors
from advisory.ics import CANCEL, REQUEST, booking_ics
from advisory.models import (
    DESCRIPTION_MAX_LENGTH,
    HOLDING_STATUSES,
    Booking,
    Consultation,
    ConsultationDay,
    ConsultationSeries,
    ExpertCalendar,
    FundingProgramme,
    Slot,
    WaitlistEntry,
    new_token,
)
from advisory.recurrence import recurrence_dates
from contacts.models import OrganisationRole
from contacts.selectors import person_for_email
from contacts.services import person_add_to_organisation
from core.errors import ServiceError
from core.hooks import emit
from core.jobs import enqueue_on_commit
from core.mail import Attachment, mail_queue
from core.models import OutgoingMail
from core.prepared import SAMPLE_TIME, PreparedInsert, PreparedQuery, RowModel, counted
from core.roles import Role

CONSENT_WORDING = (
    "Ich willige ein, dass die Kammer meine Angaben zur Vorbereitung und Durchführung des Sprechtags "
    "verarbeitet und an die Expertin bzw. den Experten des Tages weitergibt. Die Beschreibung meines "
    "Anliegens wird nach dem Sprechtag automatisch gelöscht. Ich kann die Einwilligung jederzeit widerrufen."
)


class BookingError(ServiceError):
    """A booking (or consultation-day) request that cannot be fulfilled; the message is for the user."""

    default_code = "invalid"


class ConsultationError(ServiceError):
    """A consultation-log entry that cannot be stored as given."""

    default_code = "invalid"


# --- locks -------------------------------------------------------------------------------


def _lock_days(*day_ids: int) -> None:
    """Lock the day rows (in id order, so two transactions never wait on each other in a cycle).

    Every write that changes who holds a slot of a day takes this lock: bookings, cancellations,
    moves, offers, waiting-list entries. Days of other series or dates go on in parallel.
    On SQLite ``select_for_update`` is a no-op: IMMEDIATE transactions serialise all writers.
    """
    list(ConsultationDay.objects.select_for_update().filter(pk__in=sorted(set(day_ids))).order_by("pk").values("pk"))


# The first key of the person lock (``pg_advisory_xact_lock(int, int)``): only advisory uses the
# two-key form, so it names the purpose. The person's address alone is the second key, so the lock
# is taken before anything is read (no query for the day's series first); a person's bookings in
# different series wait for each other too, which costs nothing (one person, one request at a time).
PERSON_LOCK_CLASS = 0x6B77_0001


def _lock_person(email: str) -> None:
    """Serialise one person's bookings and waiting-list entries, so the per-person limit holds across days.

    Taken before the day's row lock, always in this order (person, then day), so two requests never
    wait on each other in a cycle."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(email.encode("utf-8")) - 2**31  # int4 range
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PERSON_LOCK_CLASS, key])


# A booking's statements are the same for everyone but for their values: compiled once per process
# (core.prepared), as are the event registration's.
_LOCKED_DAY_ROW = RowModel(ConsultationDay, related=("series",))
_DAY_FOR_UPDATE_QUERY = PreparedQuery(
    lambda day_id: (
        ConsultationDay.objects.select_for_update(of=("self",))
        .filter(pk=day_id)
        .order_by()
        .values(*_LOCKED_DAY_ROW.names)
    ),
    day_id=-1,
)
_SLOT_TAKEN_QUERY = PreparedQuery(
    lambda slot_id, day_id: (
        Slot.objects.filter(pk=slot_id, day_id=day_id)
        .order_by()
        .values(*selectors.SLOT_ROW.names, taken=selectors.slot_held())
    ),
    slot_id=-1,
    day_id=-2,
)
_HOLDING_COUNT_QUERY = PreparedQuery(
    lambda series_id, email, now: counted(
        Booking.objects.filter(
            series_id=series_id, email__iexact=email, day__starts_at__gt=now, status__in=HOLDING_STATUSES
        )
    ),
    series_id=-1,
    email="~sample address~",
    now=SAMPLE_TIME,
)
_BOOKING_INSERT = PreparedInsert(Booking)
# Joining a waiting list: the same way, for everyone who finds a day full.
_ANY_FREE_SLOT_QUERY = PreparedQuery(
    lambda day_id: Slot.objects.filter(day_id=day_id).exclude(selectors.slot_held()).order_by().values("pk")[:1],
    day_id=-1,
)
_ALREADY_WAITING_QUERY = PreparedQuery(
    lambda day_id, email: (
        WaitlistEntry.objects.filter(day_id=day_id, email__iexact=email, status=WaitlistEntry.Status.WAITING)
        .order_by()
        .values("pk")[:1]
    ),
    day_id=-1,
    email="~sample address~",
)
_WAITING_UP_TO_QUERY = PreparedQuery(
    lambda day_id, pk: counted(
        WaitlistEntry.objects.filter(day_id=day_id, status=WaitlistEntry.Status.WAITING, pk__lte=pk)
    ),
    day_id=-1,
    pk=-2,
)
_WAITLIST_INSERT = PreparedInsert(WaitlistEntry)


def _day_for_update(day_id: int) -> ConsultationDay:
    """The day with its series, its row locked (as :func:`_lock_days`) and read fresh in the same query."""
    rows = _DAY_FOR_UPDATE_QUERY.rows(day_id=day_id)
    if not rows:
        raise BookingError(_("Diesen Sprechtag gibt es nicht."), code="missing")
    return _LOCKED_DAY_ROW.instance(rows[0])


# --- consultation log --------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """The last word is the family name: "Dr. Petra Pieper" → ("Dr. Petra", "Pieper")."""
    parts = name.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


def _contact_person(*, organisation, person, contact_name: str, contact_email: str):
    """The contacts record the talk was with, or ``None`` (a private person, a name only).

    A person chosen from the company's people must belong to it. A typed name that is exactly one
    of the company's people links them; a typed e-mail links the person it belongs to, or, for a
    company, creates the person there (through contacts' service).
    """
    if person is not None:
        if organisation is not None and person.pk not in {p.pk for p in selectors.organisation_people(organisation)}:
            raise ConsultationError(
                _("Diese Person gehört nicht zum gewählten Unternehmen."), field="person", code="person"
            )
        return person
    if organisation is not None and contact_name:
        named = [p for p in selectors.organisation_people(organisation) if selectors.names_match(p, contact_name)]
        if len(named) == 1:
            return named[0]
    if not contact_email:
        return None
    found = person_for_email(contact_email)
    if found is not None or organisation is None:
        return found
    first_name, last_name = _split_name(contact_name)
    role = person_add_to_organisation(
        organisation=organisation, first_name=first_name, last_name=last_name, email=contact_email,
        kind=OrganisationRole.Kind.OTHER,
    )  # fmt: skip
    return role.person


def consultation_save(
    *,
    consultation: Consultation | None = None,
    adviser,
    organisation,
    person=None,
    contact_name: str = "",
    contact_email: str = "",
    date: datetime.date,
    channel: str,
    duration_minutes: int,
    topics,
    outcome: str = "",
    follow_up_on: datetime.date | None = None,
    programmes=(),
) -> Consultation:
    """Store a talk. The person is linked where one is named (see :func:`_contact_person`), so a
    person's data export and erasure find the talk."""
    contact_name = " ".join((contact_name or "").split())
    contact_email = (contact_email or "").strip().lower()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            raise ConsultationError(
                _("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="contact_email", code="email"
            ) from None
        if not contact_name and person is None:
            raise ConsultationError(
                _("Bitte geben Sie zur E-Mail-Adresse auch den Namen an."), field="contact_name", code="name"
            )
    if organisation is None and person is None and not contact_name:
        raise ConsultationError(_("Bitte geben Sie ein Unternehmen oder eine Person an."), code="nobody")
    with transaction.atomic():
        person = _contact_person(
            organisation=organisation, person=person, contact_name=contact_name, contact_email=contact_email
        )
        consultation = consultation or Consultation()
        consultation.adviser = consultation.adviser if consultation.pk else adviser
        consultation.organisation = organisation
        consultation.person = person
        consultation.contact_name = "" if person is not None else contact_name
        consultation.contact_email = "" if person is not None else contact_email
        consultation.date = date
        consultation.channel = channel
        consultation.duration_minutes = duration_minutes
        consultation.outcome = outcome
        if follow_up_on != consultation.follow_up_on:
            consultation.follow_up_done_at = None
        consultation.follow_up_on = follow_up_on
        consultation.save()
        consultation.topics.set(topics)
        consultation.programmes.set(programmes)
    return consultation


def consultation_follow_up_done(*, consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(follow_up_done_at=timezone.now())


# --- funding programmes ---------------------------------------------------------------


def programme_save(*, programme: FundingProgramme, topics) -> FundingProgramme:
    """Store a programme of the catalogue (new or changed) with its topics."""
    with transaction.atomic():
        programme.save()
        programme.topics.set(topics)
    return programme


# --- consultation days ---------------------------------------------------------------


def day_create(
    *,
    series: ConsultationSeries,
    starts_at: datetime.datetime,
    expert,
    place: str = "",
    online_url: str = "",
    format: str = ConsultationDay.Format.SLOTS,  # noqa: A002 – the model's field name
    slot_minutes: int = 30,
    slot_count: int = 3,
    note: str = "",
    expert_person=None,
) -> ConsultationDay:
    if slot_count < 1 or slot_minutes < 1:
        raise BookingError(_("Ein Sprechtag braucht mindestens einen Termin."), field="slot_count", code="slots")
    with transaction.atomic():
        day = ConsultationDay.objects.create(
            series=series, starts_at=starts_at, expert=expert, expert_person=expert_person, place=place,
            online_url=online_url, format=format, slot_minutes=slot_minutes, slot_count=slot_count, note=note,
        )  # fmt: skip
        _create_slots(day)
    return day


def _create_slots(day: ConsultationDay) -> None:
    length = timedelta(minutes=day.slot_minutes)
    slots = []
    for number in range(1, day.slot_count + 1):
        if day.format == ConsultationDay.Format.GROUP:
            starts = day.starts_at  # every seat of a group session starts together
        else:
            starts = day.starts_at + length * (number - 1)
        slots.append(Slot(day=day, number=number, starts_at=starts, ends_at=starts + length))
    Slot.objects.bulk_create(slots)


def day_series_create(
    *,
    series: ConsultationSeries,
    first_date: datetime.date,
    time: datetime.time,
    rule: str,
    count: int,
    expert,
    place: str = "",
    online_url: str = "",
    format: str = ConsultationDay.Format.SLOTS,  # noqa: A002 – the model's field name
    slot_minutes: int = 30,
    slot_count: int = 3,
    note: str = "",
    skip=(),
) -> list[ConsultationDay]:
    """Create a series of days in one go ("every second Tuesday", ten times): each a normal day.

    The dates come from :func:`advisory.recurrence.recurrence_dates`; each day starts at ``time``
    local time (so 14:00 stays 14:00 across the change to summer time). All or nothing.
    """
    try:
        dates = recurrence_dates(first_date, rule, count, skip)
    except ValueError:
        raise BookingError(
            _("Diese Wiederholung passt nicht zum ersten Termin. Bitte prüfen Sie Rhythmus, Datum und Anzahl."),
            field="rhythm",
            code="rule",
        ) from None
    starts = [timezone.make_aware(datetime.datetime.combine(day, time)) for day in dates]
    if starts[0] <= timezone.now():
        raise BookingError(_("Der erste Sprechtag muss in der Zukunft liegen."), field="date", code="past")
    with transaction.atomic():
        return [
            day_create(
                series=series,
                starts_at=moment,
                expert=expert,
                place=place,
                online_url=online_url,
                format=format,
                slot_minutes=slot_minutes,
                slot_count=slot_count,
                note=note,
            )  # fmt: skip
            for moment in starts
        ]


@dataclass(frozen=True)
class DayChange:
    """What :func:`day_update` changed and how many people it told."""

    moved: bool
    relocated: bool
    notified: int


def day_update(
    *,
    day: ConsultationDay,
    starts_at: datetime.datetime,
    expert,
    place: str = "",
    online_url: str = "",
    note: str = "",
    message: str = "",
) -> DayChange:
    """Edit or move a whole day. Its slots move with it (each keeps its place in the day).

    When the time, the place or the online link change, everyone booked gets a mail with an
    updated calendar file (same UID, SEQUENCE + 1, so calendars replace the entry), a person with
    an open offer and everyone waiting get the news without one (they hold no calendar entry).
    Reminders go out again for the new date.
    """
    place, online_url, message = (place or "").strip(), (online_url or "").strip(), (message or "").strip()
    if not place and not online_url:
        raise BookingError(_("Bitte geben Sie einen Ort oder einen Online-Link an."), field="place", code="place")
    with transaction.atomic():
        _lock_days(day.pk)
        day = ConsultationDay.objects.select_related("series").get(pk=day.pk)
        if day.is_cancelled:
            raise BookingError(_("Ein abgesagter Sprechtag kann nicht mehr geändert werden."), code="cancelled")
        if day.is_past:
            raise BookingError(_("Ein vergangener Sprechtag kann nicht mehr geändert werden."), code="past")
        if starts_at <= timezone.now():
            raise BookingError(_("Der Sprechtag muss in der Zukunft liegen."), field="date", code="past")
        old_starts_at = day.starts_at
        shift = starts_at - day.starts_at
        moved = bool(shift)
        relocated = place != day.place or online_url != day.online_url
        expert_changed = expert.pk != day.expert_id
        day.starts_at, day.place, day.online_url, day.note, day.expert = starts_at, place, online_url, note, expert
        if moved or relocated or expert_changed:
            day.ics_sequence += 1  # the expert's feed replaces the entry
        day.save(update_fields=["starts_at", "place", "online_url", "note", "expert", "ics_sequence"])
        if moved:
            Slot.objects.filter(day=day).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
            day.bookings.filter(status=Booking.Status.CONFIRMED).update(reminder_sent_at=None)
            day.bookings.filter(status=Booking.Status.OFFERED, offer_expires_at__gt=starts_at).update(
                offer_expires_at=starts_at
            )
        notified = _day_change_notices(day, old_starts_at, message) if moved or relocated else 0
    return DayChange(moved=moved, relocated=relocated, notified=notified)


def _day_change_notices(day: ConsultationDay, old_starts_at, message: str) -> int:
    """Tell everyone holding or awaiting a place of the day that it changed (inside the day's lock)."""
    confirmed = day.bookings.filter(status=Booking.Status.CONFIRMED)
    confirmed.update(ics_sequence=F("ics_sequence") + 1)
    common = {"day": day, "series": day.series, "old_starts_at": old_starts_at, "message": message}
    notified = 0
    for booking in _holding(day.bookings.select_related("slot")).order_by("slot__number"):
        booking.day = day
        calendar = booking.status == Booking.Status.CONFIRMED
        mail_queue(
            to=booking.email, template="advisory_day_changed",
            context={**common, "name": booking.name, "slot": booking.slot, "calendar": calendar,
                     "with_online_link": True, "manage_url": _link(booking.get_absolute_url())},
            language=booking.language, reference=f"advisory.booking:{booking.pk}",
            attachments=[Attachment("termin.ics", booking_ics(booking, method=REQUEST), "text/calendar")]
            if calendar else [],
        )  # fmt: skip
        notified += 1
    for entry in day.waitlist.filter(status=WaitlistEntry.Status.WAITING):
        mail_queue(
            to=entry.email, template="advisory_day_changed",
            context={**common, "name": entry.name, "slot": None, "calendar": False, "with_online_link": False,
                     "leave_url": _link(reverse("advisory:waitlist_manage", args=[entry.token]))},
            language=entry.language, reference=f"advisory.waitlist:{entry.pk}",
        )  # fmt: skip
        notified += 1
    return notified


def expert_calendar_reset(*, expert) -> ExpertCalendar:
    """Give the expert a (new) secret address for the feed of their days; the old one stops working."""
    if not expert.has_role(Role.EXPERT):
        raise BookingError(_("Nur Expertinnen und Experten haben einen Sprechtag-Kalender."), code="role")
    with transaction.atomic():
        calendar, created = ExpertCalendar.objects.select_for_update().get_or_create(expert=expert)
        if not created:
            calendar.token = new_token()
            calendar.created_at = timezone.now()
            calendar.save(update_fields=["token", "created_at"])
    return calendar


def _link(path: str) -> str:
    return settings.SITE_URL + path


def _booking_context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "day": booking.day,
        "series": booking.day.series,
        "slot": booking.slot,
        "manage_url": _link(booking.get_absolute_url()),
        "is_group": booking.day.format == ConsultationDay.Format.GROUP,
    }


def _send_confirmation(booking: Booking, *, moved: bool = False) -> None:
    mail_queue(
        to=booking.email,
        template="advisory_booking_confirmed",
        context={**_booking_context(booking), "moved": moved},
        language=booking.language,
        attachments=[Attachment("termin.ics", booking_ics(booking, method=REQUEST), "text/calendar")],
        reference=f"advisory.booking:{booking.pk}",
    )


def _clean_person(*, name: str, email: str, description: str, consent: bool) -> tuple[str, str, str]:
    name = (name or "").strip()
    email = (email or "").strip().lower()
    description = (description or "").strip()
    if not name:
        raise BookingError(_("Bitte geben Sie Ihren Namen an."), field="name", code="name")
    if len(name) > 150:
        raise BookingError(_("Der Name ist zu lang (höchstens 150 Zeichen)."), field="name", code="name")
    try:
        validate_email(email)
    except ValidationError:
        raise BookingError(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="email", code="email") from None
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise BookingError(
            _("Die Beschreibung ist zu lang: höchstens %(max)s Zeichen, Sie haben %(count)s eingegeben.")
            % {"max": DESCRIPTION_MAX_LENGTH, "count": len(description)},
            field="description",
            code="description",
        )
    if not consent:
        raise BookingError(
            _("Bitte bestätigen Sie die Einwilligung zur Verarbeitung Ihrer Angaben."), field="consent", code="consent"
        )
    return name, email, description


def _check_day_open(day: ConsultationDay) -> None:
    if day.is_cancelled:
        raise BookingError(_("Dieser Sprechtag wurde abgesagt."), code="cancelled")
    if day.is_past:
        raise BookingError(
            _("Dieser Sprechtag liegt in der Vergangenheit und kann nicht mehr gebucht werden."), code="past"
        )


def _holding(queryset):
    return queryset.filter(status__in=HOLDING_STATUSES)


def _free_slots(day: ConsultationDay):
    return day.slots.exclude(bookings__status__in=HOLDING_STATUSES).order_by("number")


def _check_limit(series: ConsultationSeries, email: str) -> None:
    count = _HOLDING_COUNT_QUERY.rows(series_id=series.pk, email=email, now=timezone.now())[0]["n"]
    if count >= series.booking_limit:
        raise BookingError(
            ngettext(
                "Sie haben in dieser Reihe bereits %(count)s offene Buchung; mehr sind nicht möglich. "
                "Sie können die bestehende Buchung über den Link in Ihrer Bestätigung verschieben.",
                "Sie haben in dieser Reihe bereits %(count)s offene Buchungen; mehr sind nicht möglich. "
                "Sie können eine bestehende Buchung über den Link in Ihrer Bestätigung verschieben.",
                count,
            )
            % {"count": count},
            code="limit",
        )


def booking_create(
    *,
    day_id: int,
    slot_id: int | None = None,
    name: str,
    email: str,
    company_name: str = "",
    description: str = "",
    consent: bool,
    language: str = "de",
    organisation=None,
) -> Booking:
    """Book a slot (or, without ``slot_id``, the first free one) of a day. The confirmation is the
    worker's (``send_booking_mail``, queued once the slot is committed), like a registration's."""
    from advisory.tasks import send_booking_mail

    name, email, description = _clean_person(name=name, email=email, description=description, consent=consent)
    company_name = (company_name or "").strip()[:200]
    with transaction.atomic():
        _lock_person(email)
        day = _day_for_update(day_id)  # the day's lock: from here to the commit, bookings of this day wait
        series = day.series
        _check_day_open(day)
        _check_limit(series, email)
        if slot_id is not None:
            rows = _SLOT_TAKEN_QUERY.rows(slot_id=slot_id, day_id=day.pk)
            slot = selectors.SLOT_ROW.instance(rows[0]) if rows else None
            if slot is None:
                raise BookingError(_("Diesen Termin gibt es an diesem Tag nicht."), code="missing")
            if slot.taken:
                raise BookingError(
                    _("Dieser Termin wurde gerade von jemand anderem gebucht. Bitte wählen Sie einen anderen."),
                    code="taken",
                )
        else:
            slot = _free_slots(day).first()
        if slot is None:
            raise BookingError(
                _("Dieser Sprechtag ist ausgebucht. Sie können sich auf die Warteliste setzen lassen."), code="full"
            )
        try:  # no savepoint needed: a refusal rolls the whole transaction back
            booking = _BOOKING_INSERT.create(Booking(
                slot=slot, day=day, series=series, name=name, email=email, company_name=company_name,
                organisation=organisation, description=description, consent_wording=CONSENT_WORDING,
                consented_at=timezone.now(), language=language, status=Booking.Status.CONFIRMED,
            ))  # fmt: skip
        except IntegrityError:  # the partial unique constraint, the final guard behind the day's lock
            raise BookingError(
                _("Dieser Termin wurde gerade von jemand anderem gebucht. Bitte wählen Sie einen anderen."),
                code="taken",
            ) from None
        booking.day = day
        emit("booking.created", _hook_payload(booking))  # in the slot's transaction: no slot, no webhook
        # The day's lock covers the slot only: the confirmation and its .ics are rendered by the worker
        # after the commit, exactly once (booking_first_mail; resume_booking_mails covers a lost job).
        enqueue_on_commit(send_booking_mail, booking.pk)
    return booking


def booking_mail_send(*, booking_id: int) -> bool:
    """The worker's half of a booking: its confirmation, unless one went out already (True if queued now)."""
    booking = Booking.objects.select_related("day__series", "slot").filter(pk=booking_id).first()
    return booking is not None and booking_first_mail(booking=booking)


def booking_first_mail(*, booking: Booking) -> bool:
    """Queue the confirmation of a new booking unless a mail about it went out already (True if now).

    The booking's row lock makes this safe against a second call at the same time (the request that
    booked and the recurring sweep for mails lost in a crash)."""
    reference = f"advisory.booking:{booking.pk}"
    with transaction.atomic():
        row = (
            Booking.objects.select_for_update(of=("self",))
            .filter(pk=booking.pk)
            .annotate(mailed=Exists(OutgoingMail.objects.filter(reference=reference)))
            .order_by()
            .values_list("status", "mailed")
            .first()
        )  # the booking's lock and whether a mail about it exists, in one statement
        if row != (Booking.Status.CONFIRMED, False):  # no such booking, not confirmed, or mailed already
            return False
        _send_confirmation(booking)
        return True


def bookings_without_mail(*, older_than: timedelta, within: timedelta) -> list[Booking]:
    """Confirmed bookings made between ``within`` and ``older_than`` ago without any mail (lost in a crash)."""
    now = timezone.now()
    mailed = OutgoingMail.objects.filter(
        reference=Concat(Value("advisory.booking:"), Cast(OuterRef("pk"), output_field=CharField()))
    )
    return list(
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED, created_at__lt=now - older_than, created_at__gte=now - within
        )
        .filter(~Exists(mailed))
        .select_related("day__series", "slot")
        .order_by("pk")
    )


def _hook_payload(booking: Booking) -> dict:
    """What a webhook receiver learns of a booking (ids and status; no personal data)."""
    return {"booking_id": booking.pk, "day_id": booking.day_id, "slot_id": booking.slot_id,
            "series_id": booking.series_id, "status": booking.status}  # fmt: skip


def _booking_for_update(token: str, *also_days: int) -> Booking:
    booking = Booking.objects.select_related("day__series", "slot").filter(token=token).first()
    if booking is None:
        raise BookingError(_("Dieser Link ist ungültig."), code="missing")
    _lock_days(booking.day_id, *also_days)
    booking.refresh_from_db()
    booking.day.refresh_from_db(fields=["status", "starts_at"])
    return booking


def booking_change_refusal(booking: Booking) -> BookingError | None:
    """Why the person can no longer cancel, move or accept this booking by its link (``None``: they can).

    The one statement of the rule: the manage page offers the actions only when this is ``None``,
    and every service that changes a booking by its link refuses with this error.
    """
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.EXPIRED):
        return BookingError(
            _("Diese Buchung ist bereits storniert; der Link kann nicht erneut verwendet werden."), code="used"
        )
    if booking.day.is_past:
        return BookingError(_("Dieser Link ist abgelaufen: der Termin liegt in der Vergangenheit."), code="expired")
    if booking.day.is_cancelled:
        return BookingError(_("Dieser Sprechtag wurde abgesagt."), code="cancelled")
    return None


def _check_changeable(booking: Booking) -> None:
    refusal = booking_change_refusal(booking)
    if refusal is not None:
        raise refusal


def _send_cancellation(booking: Booking) -> None:
    mail_queue(
        to=booking.email,
        template="advisory_booking_cancelled",
        context=_booking_context(booking),
        language=booking.language,
        attachments=[Attachment("termin.ics", booking_ics(booking, method=CANCEL), "text/calendar")],
        reference=f"advisory.booking:{booking.pk}",
    )


def booking_cancel(*, token: str) -> Booking:
    """Cancel by the link in the mail (also: decline an offered place)."""
    with transaction.atomic():
        booking = _booking_for_update(token)
        _check_changeable(booking)
        was_offer = booking.status == Booking.Status.OFFERED
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        if not was_offer:
            booking.ics_sequence += 1  # the calendar entry the person holds changes
        booking.save(update_fields=["status", "cancelled_at", "ics_sequence"])
        if was_offer:
            WaitlistEntry.objects.filter(booking=booking).update(status=WaitlistEntry.Status.LEFT)
        else:
            _send_cancellation(booking)
        emit("booking.cancelled", _hook_payload(booking))
        slot_offer_next(slot=booking.slot)
    return booking


def booking_move(*, token: str, slot_id: int) -> Booking:
    """Move a confirmed booking to another free slot of the same series."""
    with transaction.atomic():
        target = Slot.objects.filter(pk=slot_id).values_list("day_id", flat=True).first()
        booking = _booking_for_update(token, *([target] if target else []))  # both days, in id order
        _check_changeable(booking)
        if booking.status != Booking.Status.CONFIRMED:
            raise BookingError(_("Nur bestätigte Buchungen können verschoben werden."), code="invalid")
        new_slot = Slot.objects.select_related("day").filter(pk=slot_id, day__series_id=booking.series_id).first()
        if new_slot is None:
            raise BookingError(_("Diesen Termin gibt es in dieser Reihe nicht."), code="missing")
        if new_slot.pk == booking.slot_id:
            raise BookingError(_("Das ist bereits Ihr Termin."), code="same")
        _check_day_open(new_slot.day)
        if _holding(new_slot.bookings.all()).exists():
            raise BookingError(
                _("Dieser Termin wurde gerade von jemand anderem gebucht. Bitte wählen Sie einen anderen."),
                code="taken",
            )
        old_slot = booking.slot
        booking.slot = new_slot
        booking.day = new_slot.day
        booking.reminder_sent_at = None
        booking.ics_sequence += 1  # same UID, new time: calendars replace the old entry
        try:
            with transaction.atomic():
                booking.save(update_fields=["slot", "day", "reminder_sent_at", "ics_sequence"])
        except IntegrityError:
            raise BookingError(
                _("Dieser Termin wurde gerade von jemand anderem gebucht. Bitte wählen Sie einen anderen."),
                code="taken",
            ) from None
        _send_confirmation(booking, moved=True)
        emit("booking.moved", _hook_payload(booking))
        slot_offer_next(slot=old_slot)
    return booking


def offer_accept(*, token: str) -> Booking:
    with transaction.atomic():
        booking = _booking_for_update(token)
        if booking.status == Booking.Status.CONFIRMED:
            raise BookingError(_("Sie haben diesen Termin bereits angenommen."), code="used")
        expired = booking.status == Booking.Status.EXPIRED or (
            booking.status == Booking.Status.OFFERED
            and booking.offer_expires_at
            and booking.offer_expires_at <= timezone.now()
        )
        if not expired and booking.status != Booking.Status.OFFERED:
            raise BookingError(_("Dieses Angebot gilt nicht mehr."), code="used")
        if expired:
            raise BookingError(
                _("Die Frist zur Annahme ist abgelaufen; der Platz ging an die nächste Person."), code="expired"
            )
        _check_day_open(booking.day)
        booking.status = Booking.Status.CONFIRMED
        booking.consented_at = timezone.now()
        booking.save(update_fields=["status", "consented_at"])
        WaitlistEntry.objects.filter(booking=booking).update(status=WaitlistEntry.Status.BOOKED)
        _send_confirmation(booking)
    return booking


def slot_offer_next(*, slot: Slot) -> Booking | None:
    """Offer a freed slot to the first person waiting for its day (call inside a transaction)."""
    day = slot.day
    if day.is_cancelled or day.is_past or _holding(slot.bookings.all()).exists():
        return None
    entry = (
        WaitlistEntry.objects.filter(day=day, status=WaitlistEntry.Status.WAITING).order_by("created_at", "id").first()
    )
    if entry is None:
        return None
    expires = min(timezone.now() + timedelta(hours=day.series.offer_hours), day.starts_at)
    booking = Booking.objects.create(
        slot=slot, day=day, series=day.series, name=entry.name, email=entry.email, company_name=entry.company_name,
        description=entry.description, consent_wording=entry.consent_wording, consented_at=entry.consented_at,
        language=entry.language, status=Booking.Status.OFFERED, offer_expires_at=expires,
    )  # fmt: skip
    entry.status = WaitlistEntry.Status.OFFERED
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    mail_queue(
        to=entry.email,
        template="advisory_waitlist_offer",
        context={**_booking_context(booking), "expires_at": expires},
        language=entry.language,
        reference=f"advisory.booking:{booking.pk}",
    )
    return booking


def waitlist_join(
    *, day_id: int, name: str, email: str, company_name: str = "", description: str = "", consent: bool,
    language: str = "de",
) -> WaitlistEntry:  # fmt: skip
    name, email, description = _clean_person(name=name, email=email, description=description, consent=consent)
    with transaction.atomic():
        _lock_person(email)
        day = _day_for_update(day_id)
        series = day.series
        _check_day_open(day)
        if _ANY_FREE_SLOT_QUERY.rows(day_id=day.pk):
            raise BookingError(_("An diesem Tag sind noch Termine frei – bitte buchen Sie direkt."), code="free")
        if _ALREADY_WAITING_QUERY.rows(day_id=day.pk, email=email):
            raise BookingError(_("Sie stehen für diesen Tag bereits auf der Warteliste."), code="duplicate")
        _check_limit(series, email)
        entry = _WAITLIST_INSERT.create(WaitlistEntry(
            day=day, name=name, email=email, company_name=(company_name or "").strip()[:200],
            description=description, consent_wording=CONSENT_WORDING, consented_at=timezone.now(), language=language,
        ))  # fmt: skip
        position = _WAITING_UP_TO_QUERY.rows(day_id=day.pk, pk=entry.pk)[0]["n"]
        mail_queue(
            to=entry.email,
            template="advisory_waitlist_joined",
            context={"entry": entry, "day": day, "series": series, "position": position,
                     "leave_url": _link(f"/beratung/warteliste/{entry.token}/")},
            language=language,
            reference=f"advisory.waitlist:{entry.pk}",
        )  # fmt: skip
    return entry


def waitlist_leave(*, token: str) -> WaitlistEntry:
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().filter(token=token).first()
        if entry is None:
            raise BookingError(_("Dieser Link ist ungültig."), code="missing")
        if entry.status != WaitlistEntry.Status.WAITING:
            raise BookingError(_("Dieser Eintrag ist nicht mehr auf der Warteliste."), code="used")
        entry.status = WaitlistEntry.Status.LEFT
        entry.save(update_fields=["status"])
    return entry


def offers_expire(*, now=None) -> int:
    """Recurring: lapse offers past their deadline and offer the slot to the next person."""
    now = now or timezone.now()
    count = 0
    for booking_id in Booking.objects.filter(status=Booking.Status.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            booking = Booking.objects.select_related("day__series", "slot").get(pk=booking_id)
            _lock_days(booking.day_id)
            booking.refresh_from_db()
            if booking.status != Booking.Status.OFFERED:
                continue
            booking.status = Booking.Status.EXPIRED
            booking.save(update_fields=["status"])
            WaitlistEntry.objects.filter(booking=booking).update(status=WaitlistEntry.Status.EXPIRED)
            slot_offer_next(slot=booking.slot)
            count += 1
    return count


def reminders_send(*, now=None) -> int:
    """Recurring: remind everyone booked, two days before their appointment."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + timedelta(days=2),
        day__status=ConsultationDay.Status.PLANNED,
    ).select_related("day__series", "slot")
    count = 0
    for booking in due:
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                continue  # another worker took it
            mail_queue(
                to=booking.email,
                template="advisory_booking_reminder",
                context=_booking_context(booking),
                language=booking.language,
                attachments=[Attachment("termin.ics", booking_ics(booking, method=REQUEST), "text/calendar")],
                reference=f"advisory.booking:{booking.pk}",
            )
            count += 1
    return count


def descriptions_erase(*, now=None) -> int:
    """Recurring: erase the confidential descriptions a configured time after the day."""
    now = now or timezone.now()
    total = 0
    for series in ConsultationSeries.objects.all():
        cutoff = now - timedelta(days=series.erase_description_after_days)
        total += (
            Booking.objects.filter(series=series, day__starts_at__lt=cutoff)
            .exclude(description="")
            .update(description="", description_erased_at=now)
        )
        WaitlistEntry.objects.filter(day__series=series, day__starts_at__lt=cutoff).exclude(description="").update(
            description=""
        )
    return total


def booking_set_attendance(*, booking: Booking, attendance: str) -> Booking:
    if attendance not in Booking.Attendance.values:
        raise BookingError(_("Unbekannter Anwesenheitsstatus."))
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Anwesenheit gibt es nur für bestätigte Buchungen."))
    if booking.slot.starts_at > timezone.now() + timedelta(hours=12):
        raise BookingError(_("Die Anwesenheit kann erst am Sprechtag erfasst werden."))
    booking.attendance = attendance
    booking.save(update_fields=["attendance"])
    return booking


def day_cancel(*, day: ConsultationDay) -> int:
    """Cancel a day: everyone booked or waiting is told and offered the next days of the series."""
    with transaction.atomic():
        _lock_days(day.pk)
        day = ConsultationDay.objects.select_related("series").get(pk=day.pk)
        if day.is_cancelled:
            raise BookingError(_("Dieser Sprechtag ist bereits abgesagt."), code="used")
        if day.is_past:
            raise BookingError(_("Ein vergangener Sprechtag kann nicht abgesagt werden."), code="past")
        now = timezone.now()
        day.status = ConsultationDay.Status.CANCELLED
        day.cancelled_at = now
        day.ics_sequence += 1
        day.save(update_fields=["status", "cancelled_at", "ics_sequence"])
        next_days = list(
            ConsultationDay.objects.filter(
                series=day.series, status=ConsultationDay.Status.PLANNED, starts_at__gt=now
            ).order_by("starts_at")[:5]
        )
        context = {
            "day": day,
            "series": day.series,
            "next_days": [(d, _link(d.get_absolute_url())) for d in next_days],
            "series_url": _link("/beratung/sprechtage/"),
        }
        bookings = list(_holding(day.bookings.select_related("slot")))
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            status=Booking.Status.CANCELLED, cancelled_at=now, ics_sequence=F("ics_sequence") + 1
        )
        notified = 0
        for booking in bookings:
            booking.day = day
            attachments = []
            if booking.status == Booking.Status.CONFIRMED:  # an offered place never had a calendar entry
                booking.ics_sequence += 1
                attachments = [Attachment("termin.ics", booking_ics(booking, method=CANCEL), "text/calendar")]
            mail_queue(
                to=booking.email, template="advisory_day_cancelled", context={**context, "name": booking.name},
                language=booking.language, reference=f"advisory.booking:{booking.pk}", attachments=attachments,
            )  # fmt: skip
            notified += 1
        waiting = list(day.waitlist.filter(status=WaitlistEntry.Status.WAITING))
        day.waitlist.filter(Q(status=WaitlistEntry.Status.WAITING) | Q(status=WaitlistEntry.Status.OFFERED)).update(
            status=WaitlistEntry.Status.CLOSED
        )
        for entry in waiting:
            mail_queue(
                to=entry.email, template="advisory_day_cancelled", context={**context, "name": entry.name},
                language=entry.language, reference=f"advisory.waitlist:{entry.pk}",
            )  # fmt: skip
            notified += 1
    return notified
