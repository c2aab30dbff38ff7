"""Writes for events. Views, tasks and other modules call these; they hold the rules.

Every write that touches seats locks the event row first (``SELECT … FOR UPDATE``
on PostgreSQL, the IMMEDIATE write lock on SQLite), so counting free seats and
taking one happen as one step: no quota is ever exceeded, however many people
register at once.
"""

import datetime
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contacts.models import Organisation
from core.errors import ServiceError
from core.hooks import emit
from core.jobs import enqueue_on_commit
from core.mail import Attachment, mail_exists, mail_queue
from core.models import OutgoingMail
from core.prepared import PreparedInsert, PreparedQuery
from events.ics import registrant_ics
from events.matching import Person, plan_meetings
from events.models import (
    OCCUPATION_FIELDS,
    SECTORS,
    Answer,
    Audience,
    ChangeNotice,
    Event,
    EventChange,
    EventInvitation,
    EventPartner,
    Meeting,
    Question,
    Registration,
)

MAX_ANSWER_LENGTH = 2000
S = Registration.Status


MIN_PARTNER_CODE_LENGTH = 6
DOMAIN_RE = re.compile(r"^(?=.{3,100}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


class RegistrationRefused(ServiceError):
    """A registration or a change of an event that is not allowed; ``message`` is shown to the person."""

    default_code = "registration_refused"


# --- events -----------------------------------------------------------------------------


def _unique_slug(event: Event) -> str:
    base = slugify(f"{event.title} {event.starts_at:%Y-%m-%d}")[:100] or "veranstaltung"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=event.pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def event_save(
    *, event: Event, partners=None, organisers=None, user=None, message: str = ""
) -> tuple[Event, EventChange | None]:
    """Create or update an event (and, when given, its partner and organiser organisations).

    A new date, a new place or a move online on an event that already has registrants raises
    the calendar SEQUENCE and notifies every one of them. A partner that stays keeps its code
    and e-mail domain."""
    old = Event.objects.select_for_update().get(pk=event.pk) if event.pk else None
    if not event.slug:
        event.slug = _unique_slug(event)
    kinds: list[str] = []
    now = timezone.now()
    if old is not None and old.status != Event.Status.CANCELLED:
        if old.starts_at != event.starts_at or old.ends_at != event.ends_at:
            kinds.append(EventChange.Kind.RESCHEDULED)
            event.rescheduled_at = now
            if old.starts_at != event.starts_at:
                event.previous_starts_at = old.starts_at
        if old.mode != Event.Mode.ONLINE and event.mode == Event.Mode.ONLINE:
            kinds.append(EventChange.Kind.MOVED_ONLINE)
            event.moved_online_at = now
        elif event.has_venue and old.venue != event.venue:
            kinds.append(EventChange.Kind.RELOCATED)
        if kinds:
            event.sequence = old.sequence + 1
    if event.status == Event.Status.CANCELLED and (old is None or old.status != Event.Status.CANCELLED):
        raise RegistrationRefused(_("Bitte sagen Sie eine Veranstaltung über „Absagen“ ab."))
    event.save()
    if old is None and not event.audiences.exists():
        Audience.objects.create(event=event, name=_("Teilnehmende"), role=Audience.Role.GENERAL)
    if partners is not None:
        wanted = {organisation.pk for organisation in partners}
        event.partnerships.exclude(organisation_id__in=wanted).delete()
        present = set(event.partnerships.values_list("organisation_id", flat=True))
        EventPartner.objects.bulk_create(
            [EventPartner(event=event, organisation_id=pk) for pk in sorted(wanted - present)]
        )
    if organisers is not None:
        event.organisers.set(organisers)
    change = None
    if kinds:
        change = _record_change(
            event, kinds, user=user, message=message, old_starts_at=old.starts_at, old_venue=old.venue
        )
    return event, change


@transaction.atomic
def event_partners_update(*, event: Event, proofs: dict[int, tuple[str, str]]) -> int:
    """Staff set each partner's code and e-mail domain: ``proofs[partnership id] = (code, domain)``.

    A code has at least six characters and is unique among the event's partners; a domain is
    a plain host name ("fh-muenster.de", an "@" in front is dropped). All or nothing.
    """
    partnerships = {p.pk: p for p in EventPartner.objects.select_for_update().filter(event=event)}
    codes: dict[str, str] = {}
    for pk, (code, domain) in proofs.items():
        partnership = partnerships.get(pk)
        if partnership is None:
            raise RegistrationRefused(_("Diese Partnerorganisation gehört nicht zu der Veranstaltung."))
        code, domain = code.strip(), domain.strip().lower().lstrip("@")
        name = str(partnership.organisation)
        if code and len(code) < MIN_PARTNER_CODE_LENGTH:
            raise RegistrationRefused(
                _("Der Partnercode für %(name)s ist zu kurz (mindestens %(n)s Zeichen).")
                % {"name": name, "n": MIN_PARTNER_CODE_LENGTH},
                field=f"code_{pk}",
            )
        if code and code.casefold() in codes:
            raise RegistrationRefused(
                _("%(name)s und %(other)s haben denselben Partnercode.")
                % {"name": name, "other": codes[code.casefold()]},
                field=f"code_{pk}",
            )
        if domain and not DOMAIN_RE.match(domain):
            raise RegistrationRefused(
                _("„%(domain)s“ ist keine E-Mail-Domain (z. B. fh-muenster.de).") % {"domain": domain},
                field=f"domain_{pk}",
            )
        if code:
            codes[code.casefold()] = name
        partnership.code, partnership.email_domain = code, domain
    EventPartner.objects.bulk_update(partnerships.values(), ["code", "email_domain"])
    return len(proofs)


@transaction.atomic
def audience_create(
    *, event: Event, name: str, role: str = Audience.Role.GENERAL, quota: int | None = None, partners_only: bool = False
) -> Audience:
    """Add an audience with its own quota; it goes to the end of the list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not name.strip():
        raise RegistrationRefused(_("Bitte geben Sie eine Bezeichnung an."), field="name")
    if role not in Audience.Role.values:
        raise RegistrationRefused(_("Bitte wählen Sie eine Rolle aus der Liste."), field="role")
    return Audience.objects.create(
        event=event, name=name.strip(), role=role, quota=quota, partners_only=partners_only,
        position=event.audiences.count(),
    )  # fmt: skip


@transaction.atomic
def question_create(
    *, event: Event, text: str, kind: str = Question.Kind.TEXT, choices: str = "", required: bool = False
) -> Question:
    """Add a question to the registration form; a choice question needs its answers."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not text.strip():
        raise RegistrationRefused(_("Bitte geben Sie die Frage an."), field="text")
    if kind not in Question.Kind.values:
        raise RegistrationRefused(_("Bitte wählen Sie eine Art aus der Liste."), field="kind")
    lines = [line.strip() for line in choices.splitlines() if line.strip()]
    if kind == Question.Kind.CHOICE and not lines:
        raise RegistrationRefused(_("Bitte geben Sie die Antwortmöglichkeiten an."), field="choices")
    return Question.objects.create(
        event=event, text=text.strip(), kind=kind, choices="\n".join(lines) if kind == Question.Kind.CHOICE else "",
        required=required, position=event.questions.count(),
    )  # fmt: skip


def _record_change(event, kinds, *, user, message, old_starts_at=None, old_venue="") -> EventChange:
    from events.tasks import send_change_notices

    change = EventChange.objects.create(
        event=event, kinds=[str(kind) for kind in kinds], message=message, old_starts_at=old_starts_at,
        old_venue=old_venue, sequence=event.sequence, created_by=user if user and user.is_authenticated else None,
    )  # fmt: skip
    registration_ids = event.registrations.filter(status__in=Registration.ACTIVE).values_list("pk", flat=True)
    ChangeNotice.objects.bulk_create(
        [ChangeNotice(change=change, registration_id=pk) for pk in registration_ids], batch_size=1000
    )
    enqueue_on_commit(send_change_notices, change.pk)
    return change


@transaction.atomic
def event_cancel(*, event: Event, user=None, message: str = "") -> EventChange:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise RegistrationRefused(_("Die Veranstaltung ist bereits abgesagt."))
    if event.status == Event.Status.HELD:
        raise RegistrationRefused(_("Eine durchgeführte Veranstaltung kann nicht abgesagt werden."))
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    return _record_change(event, [EventChange.Kind.CANCELLED], user=user, message=message)


@transaction.atomic
def event_move_online(*, event: Event, online_url: str, user=None, message: str = "") -> EventChange:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status in (Event.Status.CANCELLED, Event.Status.HELD):
        raise RegistrationRefused(_("Diese Veranstaltung kann nicht mehr verlegt werden."))
    if event.mode == Event.Mode.ONLINE:
        raise RegistrationRefused(_("Die Veranstaltung findet bereits online statt."))
    old_venue = event.venue
    event.mode = Event.Mode.ONLINE
    event.online_url = online_url
    event.moved_online_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["mode", "online_url", "moved_online_at", "sequence", "updated_at"])
    return _record_change(event, [EventChange.Kind.MOVED_ONLINE], user=user, message=message, old_venue=old_venue)


def change_notices_send(*, change_id: int, batch_size: int = 100) -> int:
    """Queue the mail of every notice of a change not yet queued; resumable.

    Each batch claims its notices under a row lock (SKIP LOCKED on PostgreSQL, so
    two workers share the work), queues one mail per notice and marks the notice
    in the same transaction: a worker killed mid-way leaves nothing half-done, and
    running the task again sends only what is left. Every registrant gets one mail.
    """
    change = EventChange.objects.get(pk=change_id)
    done = 0
    while True:
        with transaction.atomic():
            notices = list(
                ChangeNotice.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(change_id=change_id, queued_at__isnull=True)
                .select_related("registration")
                .order_by("pk")[:batch_size]
            )
            if not notices:
                return done
            event = Event.objects.get(pk=change.event_id)
            now = timezone.now()
            for notice in notices:
                registration = notice.registration
                # Only a confirmed seat has a calendar entry to update or remove; people waiting
                # (or waiting for approval) hear of the change without one.
                with_calendar = registration.has_calendar_entry
                attachments = (
                    [Attachment("termin.ics", registrant_ics(event, registration), "text/calendar")]
                    if with_calendar
                    else []
                )
                notice.mail = mail_queue(
                    to=registration.email,
                    template="event_changed",
                    context={
                        "event": event, "change": change, "registration": registration,
                        "seated": registration.holds_seat, "with_calendar": with_calendar, "kinds": change.kinds,
                        "manage_url": settings.SITE_URL + registration.get_manage_url(),
                        "event_url": settings.SITE_URL + event.get_absolute_url(),
                    },
                    language=registration.language,
                    attachments=attachments,
                    reference=f"events.notice:{notice.pk}",
                )  # fmt: skip
                notice.queued_at = now
            ChangeNotice.objects.bulk_update(notices, ["mail", "queued_at"])
            done += len(notices)


# --- registration -----------------------------------------------------------------------


@dataclass
class RegistrationInput:
    audience_id: int | None
    email: str
    first_name: str
    last_name: str
    organisation_name: str = ""
    partner_code: str = ""
    answers: dict[int, str] = field(default_factory=dict)  # question id → answer
    sectors: list[str] = field(default_factory=list)
    occupation_fields: list[str] = field(default_factory=list)
    language: str = "de"
    join_waiting_list: bool = True


def seats_taken(event: Event) -> dict[int | None, int]:
    """Seats held per audience id, and ``None`` for the whole event (one query)."""
    taken = dict(Audience.objects.filter(event=event).values_list("pk", "seats_taken"))
    taken[None] = sum(taken.values())
    return taken


def _has_seat(event: Event, audience: Audience, taken: dict) -> bool:
    if event.capacity is not None and taken.get(None, 0) >= event.capacity:
        return False
    return audience.quota is None or taken.get(audience.pk, 0) < audience.quota


def registration_is_open(event: Event, now=None) -> str | None:
    """None if people may register now, else the reason why not (shown as is)."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("Die Veranstaltung ist abgesagt; Anmeldungen sind nicht mehr möglich.")
    if event.status == Event.Status.HELD or event.starts_at <= now:
        return _("Die Veranstaltung hat bereits stattgefunden oder begonnen.")
    if event.status == Event.Status.REGISTRATION_CLOSED:
        return _("Die Anmeldung ist geschlossen.")
    if event.status != Event.Status.PUBLISHED:
        return _("Für diese Veranstaltung ist keine Anmeldung möglich.")
    if event.registration_deadline and event.registration_deadline < now:
        return _("Die Anmeldefrist ist am %(date)s abgelaufen.") % {
            "date": timezone.localtime(event.registration_deadline).strftime("%d.%m.%Y %H:%M")
        }
    return None


def _clean_answers(event: Event, answers: dict[int, str]) -> dict[int, str]:
    cleaned = {}
    for question in event.questions.all():
        value = (answers.get(question.pk) or "").strip()
        if len(value) > MAX_ANSWER_LENGTH:
            raise RegistrationRefused(
                _("Die Antwort auf „%(q)s“ ist zu lang (höchstens %(n)s Zeichen).")
                % {"q": question.text, "n": MAX_ANSWER_LENGTH},
                field=f"q_{question.pk}",
            )
        if question.required and not value:
            raise RegistrationRefused(
                _("Bitte beantworten Sie „%(q)s“.") % {"q": question.text}, field=f"q_{question.pk}"
            )
        if value and question.kind == Question.Kind.CHOICE and value not in question.choice_list:
            raise RegistrationRefused(_("Bitte wählen Sie bei „%(q)s“ eine der Antworten.") % {"q": question.text})
        if value and question.kind == Question.Kind.YESNO and value not in ("ja", "nein"):
            raise RegistrationRefused(_("Bitte antworten Sie bei „%(q)s“ mit Ja oder Nein.") % {"q": question.text})
        cleaned[question.pk] = value
    return cleaned


def _same_code(given: str, stored: str) -> bool:
    return bool(stored) and secrets.compare_digest(given.casefold().encode(), stored.casefold().encode())


def _in_domain(email: str, domain: str) -> bool:
    host = email.rpartition("@")[2]
    return bool(domain) and (host == domain or host.endswith("." + domain))


def _partner_proof(event: Event, audience: Audience, data: RegistrationInput, email: str):
    """``(organisation, proof)`` for a registration: in a partners-only audience the partner
    proven by its code or by an address at its domain (a wrong code is refused); without
    proof, ``proof`` is empty and the registration waits for staff approval. Elsewhere the
    organisation is the one named exactly as typed, if any."""
    typed = data.organisation_name.strip()
    if audience.partners_only:
        partnerships = list(EventPartner.objects.filter(event=event).select_related("organisation"))
        code = data.partner_code.strip()
        if code:
            match = next((p for p in partnerships if _same_code(code, p.code)), None)
            if match is None:
                raise RegistrationRefused(
                    _("Dieser Partnercode ist nicht gültig. Lassen Sie das Feld leer, wenn Sie keinen Code haben: "
                      "dann prüfen wir Ihre Anmeldung."),
                    field="partner_code", code="partner_code_invalid",
                )  # fmt: skip
            return match.organisation, Registration.PartnerProof.CODE
        match = next((p for p in partnerships if _in_domain(email, p.email_domain)), None)
        if match is not None:
            return match.organisation, Registration.PartnerProof.DOMAIN
    organisation = Organisation.objects.filter(name__iexact=typed).order_by("pk").first() if typed else None
    return organisation, Registration.PartnerProof.NONE


# The seat decision's two statements are compiled once per process (core.prepared): compiling
# them on every registration cost more CPU than the rest of it together (1.8 ms for the counts
# alone). The lock is the ORM's own ``select_for_update()`` (``SELECT … FOR UPDATE`` on PostgreSQL,
# nothing on SQLite, whose IMMEDIATE transaction holds the lock already): the same statement as
# before, run inside the seat's transaction, so counting and taking a seat stay one step.
_LOCKED_FIELDS = ("status", "starts_at", "registration_deadline", "capacity", "requires_approval")
_LOCK_QUERY = PreparedQuery(
    lambda event_id: Event.objects.select_for_update().filter(pk=event_id).order_by().values(*_LOCKED_FIELDS),
    event_id=-1,
)
_SEAT_COUNTS_QUERY = PreparedQuery(
    # The audiences' seats and queues as the database keeps them (events.seat_counters), and whether
    # the address holds an active registration already (a lookup in the partial unique index)
    lambda event_id, email: (
        Audience.objects.filter(event_id=event_id)
        .order_by()
        .values(
            "pk",
            "seats_taken",
            "people_waiting",
            same_email=Exists(
                Registration.objects.filter(event_id=event_id, email=email, status__in=Registration.ACTIVE)
            ),
        )
    ),
    event_id=-1,
    email="~sample email~",
)


# The registration's INSERT, under the event's lock, compiled once too (``save()`` otherwise).
_REGISTRATION_INSERT = PreparedInsert(Registration)


def _lock_event(event: Event) -> None:
    """Take the event's row lock and read, as they are now, the fields the seat decision reads
    (into ``event``): status, dates, capacity, approval. Inside a transaction only."""
    rows = _LOCK_QUERY.rows(event_id=event.pk)
    if not rows:
        raise Event.DoesNotExist
    for name, value in rows[0].items():
        setattr(event, name, value)


def _seat_counts(event: Event, audience: Audience, email: str) -> tuple[int, int, int, bool]:
    """Seats taken in the event and in ``audience``, people waiting in ``audience``, and whether
    ``email`` holds an active registration: one query (a row per audience), under the event's lock."""
    rows = _SEAT_COUNTS_QUERY.rows(event_id=event.pk, email=email)
    here = next((row for row in rows if row["pk"] == audience.pk), {"seats_taken": 0, "people_waiting": 0})
    return (
        sum(row["seats_taken"] for row in rows),
        here["seats_taken"],
        here["people_waiting"],
        any(row["same_email"] for row in rows),
    )


def _needs_approval(event: Event, audience: Audience, proof: str) -> bool:
    return event.requires_approval or (audience.partners_only and not proof)


def registration_create(*, event: Event, data: RegistrationInput) -> Registration:
    """Register a person: a seat if one is free in their audience (and the event), else the waiting list.

    A seat in a partners-only audience without proof of the partner (code or e-mail domain)
    waits for staff approval, like every seat of an event that needs approval. The first mail is
    queued for the worker (``registration_mail_send``) once the seat is committed."""
    from events.tasks import send_registration_mail

    email = (data.email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise RegistrationRefused(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="email") from None
    if not data.first_name.strip() or not data.last_name.strip():
        raise RegistrationRefused(_("Bitte geben Sie Vor- und Nachnamen an."))
    if (
        len(data.first_name) > 100
        or len(data.last_name) > 100
        or len(data.organisation_name) > 200
        or len(data.partner_code) > 100
    ):
        raise RegistrationRefused(_("Name oder Organisation sind zu lang."))
    valid_sectors, valid_fields = {k for k, _v in SECTORS}, {k for k, _v in OCCUPATION_FIELDS}
    if not set(data.sectors) <= valid_sectors or not set(data.occupation_fields) <= valid_fields:
        raise RegistrationRefused(_("Bitte wählen Sie Branchen und Berufsfelder aus der Liste."))
    # What does not compete for seats is checked before the lock: audience, partners, answers.
    reason = registration_is_open(event)
    if reason:
        raise RegistrationRefused(reason)
    # the page has the event's audiences at hand already (prefetched): no query for the one chosen
    audience = next((a for a in event.audiences.all() if a.pk == data.audience_id), None) if data.audience_id else None
    if audience is None:
        raise RegistrationRefused(_("Bitte wählen Sie, als wer Sie teilnehmen."), field="audience")
    organisation, proof = _partner_proof(event, audience, data, email)
    answers = _clean_answers(event, data.answers)
    duplicate = RegistrationRefused(
        _("Mit dieser E-Mail-Adresse ist bereits eine Anmeldung vorhanden. Den Link zum Ändern oder "
          "Stornieren finden Sie in Ihrer Bestätigungs-E-Mail."),
        field="email",
    )  # fmt: skip
    try:
        with transaction.atomic():
            # Under the event lock (the event's state read anew): one query counts the seats, the
            # queue and a double registration.
            _lock_event(event)
            reason = registration_is_open(event)
            if reason:
                raise RegistrationRefused(reason)
            seated, seated_here, waiting_here, same_email = _seat_counts(event, audience, email)
            if same_email:
                raise duplicate
            taken = {None: seated, audience.pk: seated_here}
            if _has_seat(event, audience, taken) and not waiting_here:
                status = S.PENDING if _needs_approval(event, audience, proof) else S.CONFIRMED
            elif data.join_waiting_list:
                status = S.WAITING
            else:
                raise RegistrationRefused(
                    _("„%(audience)s“ ist ausgebucht. Sie können sich auf die Warteliste setzen lassen.")
                    % {"audience": audience.name},
                    field="audience",
                )
            registration = _REGISTRATION_INSERT.create(Registration(
                event=event, audience=audience, email=email, first_name=data.first_name.strip(),
                last_name=data.last_name.strip(), organisation_name=data.organisation_name.strip(),
                organisation=organisation, language=data.language, status=status, sectors=sorted(set(data.sectors)),
                occupation_fields=sorted(set(data.occupation_fields)), partner_proof=proof,
            ))  # fmt: skip
            if answers:
                Answer.objects.bulk_create(
                    [Answer(registration=registration, question_id=qid, value=value) for qid, value in answers.items()]
                )
            emit("registration.created", _hook_payload(registration))  # in the seat's transaction
            # The mail and its .ics (a few ms of rendering) are the worker's: the request only decides
            # the seat. Queued on commit; should the process die in between, the recurring
            # resume_registration_mails sends it (exactly once either way: registration_first_mail).
            enqueue_on_commit(send_registration_mail, registration.pk)
    except IntegrityError:
        # the partial unique index caught a double registration that raced past the check
        raise duplicate from None
    if status == S.WAITING:
        registration.position = waiting_here + 1  # as counted under the lock: the page says it without a query
    return registration


def registration_mail_send(*, registration_id: int) -> bool:
    """The worker's half of a registration: its first mail, unless one went out already (True if queued now)."""
    registration = Registration.objects.select_related("event", "audience").filter(pk=registration_id).first()
    if registration is None:
        return False
    return registration_first_mail(registration=registration, event=registration.event)


def registration_first_mail(*, registration: Registration, event: Event, position: int | None = None) -> bool:
    """Queue the first mail of a new registration unless one went out already (True if queued now).

    The registration's row lock makes this safe against a second call at the same time (the request
    that registered and the recurring sweep for mails lost in a crash)."""
    reference = f"events.registration:{registration.pk}"
    with transaction.atomic():
        row = (
            Registration.objects.select_for_update()
            .filter(pk=registration.pk)
            .values_list("status", "anonymised_at")
            .first()
        )
        if row is None or row[1] or mail_exists(reference=reference):
            return False
        if row[0] not in (S.CONFIRMED, S.PENDING, S.WAITING):
            return False  # changed since (cancelled, offered, decided): that change sent its own mail
        if row[0] != registration.status:  # decided since it was read: mail what it is now
            registration.refresh_from_db()
            position = None
        _status_mail(registration, event, position=position)
        return True


def registrations_without_mail(*, older_than: datetime.timedelta, within: datetime.timedelta) -> list[Registration]:
    """Registrations made between ``within`` and ``older_than`` ago that have no mail at all (lost in a crash)."""
    now = timezone.now()
    mailed = OutgoingMail.objects.filter(
        reference=Concat(Value("events.registration:"), Cast(OuterRef("pk"), output_field=CharField()))
    )
    return list(
        Registration.objects.filter(created_at__lt=now - older_than, created_at__gte=now - within)
        .filter(~Exists(mailed))
        .select_related("event", "audience")
        .order_by("pk")
    )


def _hook_payload(registration: Registration) -> dict:
    """What a webhook receiver learns of a registration (ids and status; no personal data)."""
    return {"registration_id": registration.pk, "event_id": registration.event_id,
            "audience_id": registration.audience_id, "status": registration.status}  # fmt: skip


def waiting_position(registration: Registration) -> int:
    return Registration.objects.filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk),
        event_id=registration.event_id, audience_id=registration.audience_id, status=S.WAITING,
    ).count() + 1  # fmt: skip


def _status_mail(
    registration: Registration,
    event: Event,
    kind: str | None = None,
    position: int | None = None,
    had_calendar_entry: bool = False,
) -> OutgoingMail:
    """The mail about a registration's status. A calendar entry goes only with a confirmed
    seat (REQUEST), and its removal (CANCEL) only to someone who had received one."""
    kind = kind or registration.status
    attachments = []
    if kind in (S.CONFIRMED, "reminder"):
        attachments = [Attachment("termin.ics", registrant_ics(event, registration), "text/calendar")]
    elif kind == S.CANCELLED and had_calendar_entry:
        attachments = [Attachment("termin.ics", registrant_ics(event, registration, cancelled=True), "text/calendar")]
    context = {
        "registration": registration, "event": event, "kind": kind, "with_calendar": bool(attachments),
        "manage_url": settings.SITE_URL + registration.get_manage_url(),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "position": (position or waiting_position(registration)) if kind == S.WAITING else None,
    }  # fmt: skip
    template = "event_reminder" if kind == "reminder" else "registration_status"
    return mail_queue(
        to=registration.email, template=template, context=context, language=registration.language,
        attachments=attachments, reference=f"events.registration:{registration.pk}",
    )  # fmt: skip


def _fill_free_seats(event: Event, now=None) -> list[Registration]:
    """Offer free seats to the first people waiting (per audience, first come first served)."""
    now = now or timezone.now()
    if event.status not in (Event.Status.PUBLISHED, Event.Status.REGISTRATION_CLOSED) or event.starts_at <= now:
        return []
    taken = seats_taken(event)
    audiences = {audience.pk: audience for audience in event.audiences.all()}
    offered = []
    for registration in event.registrations.filter(status=S.WAITING).order_by("created_at", "pk"):
        audience = audiences[registration.audience_id]
        if not _has_seat(event, audience, taken):
            continue
        registration.status = S.OFFERED
        registration.offer_expires_at = min(now + datetime.timedelta(hours=event.offer_hours), event.starts_at)
        registration.save(update_fields=["status", "offer_expires_at"])
        taken[audience.pk] = taken.get(audience.pk, 0) + 1
        taken[None] += 1
        _status_mail(registration, event)
        emit("registration.updated", _hook_payload(registration))
        offered.append(registration)
    return offered


def _locked(registration: Registration) -> tuple[Event, Registration]:
    """The event row locked, and the registration as it is now (callers fetch it through ``access``)."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.select_related("audience").get(pk=registration.pk)


def registration_is_over(registration: Registration, event: Event, now=None) -> bool:
    """True once the event has begun or taken place, or the person was let in: nothing to cancel."""
    now = now or timezone.now()
    return bool(registration.checked_in_at) or event.status == Event.Status.HELD or event.starts_at <= now


def registration_cancel_refusal(registration: Registration, event: Event, now=None) -> RegistrationRefused | None:
    """Why the person can no longer cancel this registration (``None``: they can).

    The one statement of the rule: the registration page and the personal area offer "cancel" only
    when this is ``None``, and :func:`registration_cancel` refuses with this same error."""
    if registration.status not in Registration.ACTIVE:
        return RegistrationRefused(_("Diese Anmeldung ist bereits storniert."), code="already_cancelled")
    if event.status == Event.Status.CANCELLED:
        return RegistrationRefused(
            _("Die Veranstaltung ist abgesagt; Ihre Anmeldung ist damit erledigt."), code="event_cancelled"
        )
    if registration_is_over(registration, event, now):
        return RegistrationRefused(
            _("Die Veranstaltung hat bereits begonnen oder stattgefunden; die Anmeldung kann nicht mehr "
              "storniert werden."),
            code="event_over",
        )  # fmt: skip
    return None


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """The person cancels (by the link in their mail); a freed seat goes to the waiting list.

    Refused once the event has begun (or the person was let in): nothing changes and no
    cancellation goes out for an event that took place."""
    event, registration = _locked(registration)
    refusal = registration_cancel_refusal(registration, event)
    if refusal is not None:
        raise refusal
    was_seated, had_calendar_entry = registration.holds_seat, registration.has_calendar_entry
    registration.status = S.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    _status_mail(registration, event, had_calendar_entry=had_calendar_entry)
    emit("registration.cancelled", _hook_payload(registration))
    if was_seated:
        _fill_free_seats(event)
    return registration


@transaction.atomic
def registration_accept_offer(*, registration: Registration) -> Registration:
    event, registration = _locked(registration)
    if registration.status != S.OFFERED:
        raise RegistrationRefused(_("Für diese Anmeldung liegt kein Angebot eines Platzes vor."))
    if registration.offer_expires_at and registration.offer_expires_at < timezone.now():
        raise RegistrationRefused(_("Die Frist zum Bestätigen ist leider abgelaufen."))
    approval = _needs_approval(event, registration.audience, registration.partner_proof)
    registration.status = S.PENDING if approval else S.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at"])
    _status_mail(registration, event)
    emit("registration.updated", _hook_payload(registration))
    return registration


def offers_expire(now=None) -> int:
    """Recurring: offers not confirmed in time lapse; the seat goes to the next person."""
    now = now or timezone.now()
    expired = 0
    event_ids = set(
        Registration.objects.filter(status=S.OFFERED, offer_expires_at__lt=now).values_list("event_id", flat=True)
    )
    for event_id in event_ids:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            for registration in event.registrations.filter(status=S.OFFERED, offer_expires_at__lt=now):
                registration.status = S.CANCELLED
                registration.cancelled_at = now
                registration.save(update_fields=["status", "cancelled_at"])
                _status_mail(registration, event, kind="offer_expired")
                emit("registration.cancelled", _hook_payload(registration))
                expired += 1
            _fill_free_seats(event, now=now)
    return expired


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool) -> Registration:
    """Staff approve or decline a registration that waits for approval."""
    event, registration = _locked(registration)
    if registration.status != S.PENDING:
        raise RegistrationRefused(_("Diese Anmeldung wartet nicht auf eine Freigabe."))
    registration.status = S.CONFIRMED if approve else S.DECLINED
    if approve and registration.audience.partners_only and not registration.partner_proof:
        registration.partner_proof = Registration.PartnerProof.STAFF
    registration.save(update_fields=["status", "partner_proof"])
    _status_mail(registration, event)
    emit("registration.updated", _hook_payload(registration))
    if not approve:
        _fill_free_seats(event)
    return registration


def registration_check_in(*, registration: Registration, undo: bool = False) -> Registration:
    if registration.status != S.CONFIRMED:
        raise RegistrationRefused(_("Nur bestätigte Anmeldungen können eingelassen werden."))
    when = None if undo else timezone.now()
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=when)
    registration.checked_in_at = when
    return registration


def reminders_send(now=None) -> int:
    """Recurring: the day before, every confirmed registrant gets a reminder (once)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    sent = 0
    events = Event.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status__in=[Event.Status.PUBLISHED, Event.Status.REGISTRATION_CLOSED]
    )
    for event in events:
        for pk in event.registrations.filter(status=S.CONFIRMED, reminded_at__isnull=True).values_list("pk", flat=True):
            with transaction.atomic():
                if not Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                    continue
                _status_mail(Registration.objects.get(pk=pk), event, kind="reminder")
                sent += 1
    return sent


def event_invite_people(*, event: Event, emails: list[str], invited_by=None, message: str = "") -> int:
    """Invite people to an event by mail (e.g. every portal editor to the editors' conference).

    Skips invalid addresses, people already registered and people already invited to this
    event (one :class:`EventInvitation` per address and event, so a second call, or a second
    worker, invites nobody twice); returns the number of invitations queued. Other modules call this.
    """
    wanted = []
    for raw in emails:
        email = (raw or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            continue
        if email not in wanted:
            wanted.append(email)
    registered = set(
        event.registrations.filter(email__in=wanted, status__in=Registration.ACTIVE).values_list("email", flat=True)
    )
    invited = set(event.invitations.filter(email__in=wanted).values_list("email", flat=True))
    inviter = invited_by if invited_by is not None and invited_by.is_authenticated else None
    context = {"event": event, "message": message, "invited_by": inviter,
               "event_url": settings.SITE_URL + event.get_absolute_url()}  # fmt: skip
    count = 0
    with transaction.atomic():
        for email in wanted:
            if email in registered or email in invited:
                continue
            try:
                with transaction.atomic():  # the unique constraint settles a race with another call
                    invitation = EventInvitation.objects.create(
                        event=event, email=email, invited_by=inviter, message=message
                    )
            except IntegrityError:
                continue
            invitation.mail = mail_queue(
                to=email, template="event_invitation", context=context, reference=f"events.invitation:{invitation.pk}"
            )
            invitation.save(update_fields=["mail"])
            count += 1
    return count


# --- Meet-the-Boss ----------------------------------------------------------------------


def _participants(event: Event, role: str) -> list[Registration]:
    return list(
        event.registrations.filter(status=S.CONFIRMED, audience__role=role).order_by("last_name", "first_name", "pk")
    )


def _person(registration: Registration) -> Person:
    return Person(registration.pk, frozenset(registration.sectors), frozenset(registration.occupation_fields))


@transaction.atomic
def meeting_plan_generate(*, event: Event):
    """Replace the plan by a suggestion: fair share for everyone, most matched interests."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    students = _participants(event, Audience.Role.STUDENT)
    bosses = _participants(event, Audience.Role.BOSS)
    plan = plan_meetings(
        [_person(r) for r in students], [_person(r) for r in bosses],
        rounds=event.rounds, seats_per_table=event.seats_per_table,
    )  # fmt: skip
    Meeting.objects.filter(event=event).delete()
    Meeting.objects.bulk_create(
        [
            Meeting(event=event, round=slot.round, boss_id=slot.boss_id, student_id=slot.student_id, score=slot.score)
            for slot in plan.slots
        ]
    )
    return plan


@transaction.atomic
def meeting_plan_replace(*, event: Event, grid: dict[tuple[int, int], int | None]) -> int:
    """Staff adjust the plan by hand: ``grid[(student_id, round)] = boss_id or None``.

    Checked as a whole: a table takes at most ``seats_per_table`` students a round,
    and a student meets each boss at most once.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    students = {r.pk: r for r in _participants(event, Audience.Role.STUDENT)}
    bosses = {r.pk: r for r in _participants(event, Audience.Role.BOSS)}
    table: dict[tuple[int, int], int] = {}
    pairs = set()
    for (student_id, round_number), boss_id in grid.items():
        if boss_id is None:
            continue
        if student_id not in students or boss_id not in bosses or not 1 <= round_number <= event.rounds:
            raise RegistrationRefused(_("Der Plan enthält unbekannte Teilnehmende oder Runden."))
        if (student_id, boss_id) in pairs:
            raise RegistrationRefused(
                _("%(student)s trifft %(boss)s mehr als einmal.")
                % {"student": students[student_id].full_name, "boss": bosses[boss_id].full_name}
            )
        pairs.add((student_id, boss_id))
        table[(round_number, boss_id)] = table.get((round_number, boss_id), 0) + 1
        if table[(round_number, boss_id)] > event.seats_per_table:
            raise RegistrationRefused(
                _("Am Tisch von %(boss)s sitzen in Runde %(round)s zu viele Studierende.")
                % {"boss": bosses[boss_id].full_name, "round": round_number}
            )
    existing = {(m.student_id, m.round): m for m in Meeting.objects.filter(event=event)}
    Meeting.objects.filter(event=event).delete()
    meetings = []
    for (student_id, round_number), boss_id in sorted(grid.items()):
        if boss_id is None:
            continue
        before = existing.get((student_id, round_number))
        meetings.append(
            Meeting(
                event=event, round=round_number, boss_id=boss_id, student_id=student_id,
                score=len(set(students[student_id].sectors) & set(bosses[boss_id].sectors))
                + len(set(students[student_id].occupation_fields) & set(bosses[boss_id].occupation_fields)),
                manual=before is None or before.boss_id != boss_id or before.manual,
            )
        )  # fmt: skip
    Meeting.objects.bulk_create(meetings)
    return len(meetings)


def round_times(event: Event) -> dict[int, tuple[datetime.datetime, datetime.datetime]]:
    length = (event.ends_at - event.starts_at) / max(event.rounds, 1)
    return {n: (event.starts_at + length * (n - 1), event.starts_at + length * n) for n in range(1, event.rounds + 1)}


@transaction.atomic
def meeting_schedules_send(*, event: Event) -> int:
    """Mail every participant their personal schedule (one mail each)."""
    meetings = list(Meeting.objects.filter(event=event).select_related("boss", "student").order_by("round"))
    times = round_times(event)
    by_person: dict[int, list] = {}
    people: dict[int, Registration] = {}
    for meeting in meetings:
        start, end = times.get(meeting.round, (None, None))
        for me, other in ((meeting.student, meeting.boss), (meeting.boss, meeting.student)):
            people[me.pk] = me
            by_person.setdefault(me.pk, []).append(
                {"round": meeting.round, "start": start, "end": end, "with": other, "table": meeting.boss_id}
            )
    for pk, rows in by_person.items():
        person = people[pk]
        mail_queue(
            to=person.email, template="mtb_schedule", language=person.language,
            context={"event": event, "registration": person, "rows": rows,
                     "event_url": settings.SITE_URL + event.get_absolute_url()},
            attachments=[Attachment("termin.ics", registrant_ics(event, person), "text/calendar")],
            reference=f"events.schedule:{event.pk}",
        )  # fmt: skip
    return len(by_person)


# --- for other modules ------------------------------------------------------------------


def event_create_draft(
    *, kind: str, title: str, starts_at, ends_at, mode: str = Event.Mode.IN_PERSON, venue_name: str = "",
    venue_street: str = "", venue_postcode: str = "", venue_city: str = "", online_url: str = "", summary: str = "",
    user=None,
) -> Event:  # fmt: skip
    """A new event in draft (not public yet), for a module that plans one, e.g. a network's meeting;
    staff complete and publish it on the event's page."""
    if kind not in Event.Kind.values or mode not in Event.Mode.values:
        raise ValueError(f"unknown kind {kind!r} or mode {mode!r}")
    event = Event(
        kind=kind, title=title, status=Event.Status.DRAFT, mode=mode, starts_at=starts_at, ends_at=ends_at,
        venue_name=venue_name, venue_street=venue_street, venue_postcode=venue_postcode, venue_city=venue_city,
        online_url=online_url, summary=summary,
    )  # fmt: skip
    event, _change = event_save(event=event, user=user)
    return event
