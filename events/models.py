"""Events, their audiences and questions, registrations, change notices and Meet-the-Boss plans."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contacts.validators import validate_german_postcode

# The vocabulary students and bosses share for Meet-the-Boss matching.
SECTORS = [
    ("maschinenbau", _("Maschinen- und Anlagenbau")),
    ("kunststoff", _("Kunststoff und Chemie")),
    ("metall", _("Metall und Stahl")),
    ("elektro", _("Elektrotechnik und Automatisierung")),
    ("lebensmittel", _("Ernährungsindustrie")),
    ("textil", _("Textil und Bekleidung")),
    ("energie", _("Energie und Umwelt")),
    ("software", _("IT und Software")),
    ("bau", _("Baustoffe, Holz und Bau")),
    ("logistik", _("Logistik und Handel")),
]
OCCUPATION_FIELDS = [
    ("entwicklung", _("Forschung und Entwicklung")),
    ("produktion", _("Produktion und Qualität")),
    ("it", _("IT und Digitalisierung")),
    ("vertrieb", _("Vertrieb und Marketing")),
    ("personal", _("Personal")),
    ("finanzen", _("Finanzen und Controlling")),
    ("einkauf", _("Einkauf und Logistik")),
    ("nachhaltigkeit", _("Nachhaltigkeit und Energie")),
]


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Topic(models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")

    def __str__(self):
        return self.name


class Event(models.Model):
    class Kind(models.TextChoices):
        CONGRESS = "congress", _("Kongress")
        SOCIAL_DAY = "social_day", _("Social Day")
        NETWORK_MEETING = "network_meeting", _("Netzwerktreffen")
        MEET_THE_BOSS = "meet_the_boss", _("Meet-the-Boss")
        WEBINAR = "webinar", _("Webinar")
        EXPERT_EXCHANGE = "expert_exchange", _("Expertenaustausch")
        FAIR_STAND = "fair_stand", _("Messestand")
        EDITORS_CONFERENCE = "editors_conference", _("Redakteurskonferenz")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")
        REGISTRATION_CLOSED = "closed", _("Anmeldung geschlossen")
        CANCELLED = "cancelled", _("abgesagt")
        HELD = "held", _("durchgeführt")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("vor Ort")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Adresse (Kürzel)"), max_length=120, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, db_index=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("Thema"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    mode = models.CharField(_("Format"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    venue_name = models.CharField(_("Veranstaltungsort"), max_length=200, blank=True)
    venue_street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    venue_postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[validate_german_postcode])
    venue_city = models.CharField(_("Ort"), max_length=100, blank=True)
    online_url = models.URLField(
        _("Zugangslink (online)"), blank=True, help_text=_("Wird nur angemeldeten Teilnehmenden geschickt.")
    )
    capacity = models.PositiveIntegerField(
        _("Plätze insgesamt"), null=True, blank=True, help_text=_("Leer lassen für unbegrenzt.")
    )
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    requires_approval = models.BooleanField(_("Anmeldungen müssen bestätigt werden"), default=False)
    offer_hours = models.PositiveIntegerField(_("Frist zum Bestätigen eines Nachrückplatzes (Stunden)"), default=48)
    partners = models.ManyToManyField(
        "contacts.Organisation", verbose_name=_("Partner (z. B. Hochschulen)"), blank=True,
        related_name="partner_events", through="EventPartner",
    )  # fmt: skip
    organisers = models.ManyToManyField(
        "contacts.Organisation", verbose_name=_("Veranstalter"), blank=True, related_name="organised_events"
    )
    # Meet-the-Boss
    rounds = models.PositiveSmallIntegerField(_("Gesprächsrunden (Meet-the-Boss)"), default=4)
    seats_per_table = models.PositiveSmallIntegerField(_("Studierende je Tisch und Runde"), default=1)
    min_meetings = models.PositiveSmallIntegerField(_("Mindestzahl Gespräche je Studierende/r"), default=3)
    # what happened to it (for the figures, the JSON-LD and the calendar files)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    moved_online_at = models.DateTimeField(null=True, blank=True)
    rescheduled_at = models.DateTimeField(null=True, blank=True)
    previous_starts_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_meet_the_boss(self) -> bool:
        return self.kind == self.Kind.MEET_THE_BOSS

    @property
    def has_online_part(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    @property
    def has_venue(self) -> bool:
        return self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID)

    @property
    def venue_address(self) -> str:
        """The address on one line: "Sentmaringer Weg 61, 48151 Münster"."""
        place = " ".join(part for part in (self.venue_postcode, self.venue_city) if part)
        return ", ".join(part for part in (self.venue_street, place) if part)

    @property
    def venue(self) -> str:
        """Name and address on one line (mails, calendar files, the change log)."""
        return ", ".join(part for part in (self.venue_name, self.venue_address) if part)


class EventPartner(models.Model):
    """A partner organisation of an event (e.g. a university) and how its members prove they belong.

    A seat in a "partners only" audience needs the partner's code or an e-mail address at its
    domain; anyone else waits for staff approval.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        "contacts.Organisation", on_delete=models.CASCADE, related_name="event_partnerships"
    )
    code = models.CharField(
        _("Partnercode"), max_length=40, blank=True,
        help_text=_("Geben Sie ihn der Partnerorganisation für ihre Mitglieder; mindestens 6 Zeichen."),
    )  # fmt: skip
    email_domain = models.CharField(
        _("E-Mail-Domain"), max_length=100, blank=True, help_text=_("z. B. fh-muenster.de (Subdomains zählen mit)")
    )

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("Partnerorganisation")
        verbose_name_plural = _("Partnerorganisationen")
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="events_one_partnership")]

    def __str__(self):
        return str(self.organisation)


class Audience(models.Model):
    """A group of participants with its own quota (e.g. company bosses, students)."""

    class Role(models.TextChoices):
        GENERAL = "general", _("Teilnehmende")
        BOSS = "boss", _("Unternehmer/-innen")
        STUDENT = "student", _("Studierende")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audiences")
    name = models.CharField(_("Bezeichnung"), max_length=100)
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.GENERAL)
    quota = models.PositiveIntegerField(_("Kontingent"), null=True, blank=True, help_text=_("Leer = unbegrenzt."))
    partners_only = models.BooleanField(_("nur von Partnerorganisationen"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    # Written only by the database's triggers on the registrations (events.seat_counters), in the
    # transaction that changes a registration; save() leaves them alone.
    seats_taken = models.PositiveIntegerField(_("Plätze vergeben"), default=0, editable=False)
    people_waiting = models.PositiveIntegerField(_("auf der Warteliste"), default=0, editable=False)

    COUNTERS = frozenset({"seats_taken", "people_waiting"})

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Never write the counters of an existing audience: its figures in memory may be stale."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.attname for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in self.COUNTERS
            ]  # fmt: skip
        elif kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [name for name in kwargs["update_fields"] if name not in self.COUNTERS]
        super().save(*args, **kwargs)


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Freitext")
        CHOICE = "choice", _("Auswahl")
        YESNO = "yesno", _("Ja/Nein")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("Frage"), max_length=300)
    kind = models.CharField(_("Art"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("Antwortmöglichkeiten"), blank=True, help_text=_("Eine je Zeile (nur bei Auswahl)."))
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Freigabe")
        CONFIRMED = "confirmed", _("bestätigt")
        WAITING = "waiting", _("Warteliste")
        OFFERED = "offered", _("Nachrückplatz angeboten")
        CANCELLED = "cancelled", _("storniert")
        DECLINED = "declined", _("abgelehnt")

    class PartnerProof(models.TextChoices):
        NONE = "", _("–")
        CODE = "code", _("Partnercode")
        DOMAIN = "domain", _("E-Mail-Adresse des Partners")
        STAFF = "staff", _("vom Team bestätigt")

    # statuses that hold a seat, and statuses that count as "registered"
    SEATED = (Status.PENDING, Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.OFFERED, Status.WAITING)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="registrations")
    email = models.EmailField(_("E-Mail"))
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    organisation_name = models.CharField(_("Unternehmen / Hochschule"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "contacts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="event_registrations"
    )
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, db_index=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    offer_expires_at = models.DateTimeField(_("Nachrückplatz gültig bis"), null=True, blank=True)
    sectors = models.JSONField(_("Branchen"), default=list, blank=True)
    occupation_fields = models.JSONField(_("Berufsfelder"), default=list, blank=True)
    checked_in_at = models.DateTimeField(_("eingelassen"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    partner_proof = models.CharField(
        _("Nachweis Partnerorganisation"), max_length=10, choices=PartnerProof.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["pending", "confirmed", "waiting", "offered"]),
                name="events_one_active_registration_per_email",
            )
        ]
        indexes = [
            models.Index(fields=["event", "audience", "status"], name="event_reg_aud_status"),
            # "Is this address registered already?" under the event's lock: the statement is prepared
            # once with the statuses as parameters, and PostgreSQL's generic plan cannot use the
            # partial unique index above for it (it cannot prove the condition), so it scanned the
            # event's registrations and was planned anew on every registration.
            models.Index(fields=["event", "email"], name="event_reg_email"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEATED

    @property
    def has_calendar_entry(self) -> bool:
        """Only a confirmed seat was ever sent as a calendar entry (METHOD:REQUEST)."""
        return self.status == self.Status.CONFIRMED

    def get_manage_url(self) -> str:
        return reverse("events:registration_manage", kwargs={"token": self.token})


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(_("Antwort"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "question"], name="events_one_answer")]


class EventInvitation(models.Model):
    """An invitation by mail to an event; one per address and event, so nobody is invited twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("eingeladen von"), on_delete=models.SET_NULL, null=True, blank=True
    )
    message = models.TextField(_("Persönliche Nachricht"), blank=True)
    mail = models.ForeignKey("core.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="events_one_invitation_per_email")]

    def __str__(self):
        return self.email


class EventChange(models.Model):
    """A change registrants must hear about (cancelled, moved online, new date, new place)."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("abgesagt")
        MOVED_ONLINE = "moved_online", _("findet online statt")
        RESCHEDULED = "rescheduled", _("neuer Termin")
        RELOCATED = "relocated", _("neuer Ort")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    kinds = models.JSONField(default=list)  # one change may be a new date and a new place at once
    message = models.TextField(_("Nachricht an die Teilnehmenden"), blank=True)
    old_starts_at = models.DateTimeField(null=True, blank=True)
    old_venue = models.CharField(max_length=500, blank=True)
    sequence = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def kind_labels(self) -> list[str]:
        return [str(self.Kind(kind).label) for kind in self.kinds]


class ChangeNotice(models.Model):
    """One mail to one registrant about one change; sent exactly once by a resumable task."""

    change = models.ForeignKey(EventChange, on_delete=models.CASCADE, related_name="notices")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    mail = models.ForeignKey("core.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["change", "registration"], name="events_one_notice_per_change")]


class Meeting(models.Model):
    """One Meet-the-Boss conversation: a student at a boss's table in a round."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    round = models.PositiveSmallIntegerField(_("Runde"))
    boss = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="boss_meetings")
    student = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="student_meetings")
    score = models.PositiveSmallIntegerField(default=0)
    manual = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "boss_id", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "round", "student"], name="events_student_once_per_round"),
            models.UniqueConstraint(fields=["boss", "student"], name="events_pair_once"),
        ]
