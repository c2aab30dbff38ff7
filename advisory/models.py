"""Advisory services: consultation log, funding programmes, consultation days (Sprechtage).

See advisory/README.md for the data model and the flows.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DESCRIPTION_MAX_LENGTH = 2000


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- taxonomy ---------------------------------------------------------------------


class Topic(models.Model):
    """A node of the topic taxonomy: an area (parent is None) or a topic within it."""

    class Area(models.TextChoices):
        FUNDING = "funding", _("Förderprogramme")
        TECHNOLOGY = "technology", _("Technologie")
        ENERGY = "energy", _("Energie")
        OTHER = "other", _("Sonstiges")

    name = models.CharField(_("Name"), max_length=100)
    slug = models.SlugField(_("Kürzel"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("Bereich"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    area = models.CharField(_("Bereich (Statistik)"), max_length=12, choices=Area.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name


# --- funding programmes -----------------------------------------------------------


class FundingProgramme(models.Model):
    class Level(models.TextChoices):
        EU = "eu", _("EU")
        FEDERAL = "federal", _("Bund")
        STATE = "state", _("Land")

    class Status(models.TextChoices):
        PLANNED = "planned", _("angekündigt")
        RUNNING = "running", _("läuft")
        PAUSED = "paused", _("ausgesetzt")
        ENDED = "ended", _("beendet")

    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60)
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    funder = models.CharField(_("Fördergeber"), max_length=300)
    level = models.CharField(_("Ebene"), max_length=10, choices=Level.choices)
    region = models.CharField(
        _("Region"), max_length=60, blank=True, help_text=_("leer = bundesweit; sonst z. B. „NRW“")
    )
    target_group = models.TextField(_("Zielgruppe"), blank=True)
    companies_eligible = models.BooleanField(
        _("Unternehmen antragsberechtigt"), default=True, help_text=_("aus bei Programmen nur für Institute")
    )
    applicants = models.CharField(
        _("Antragsberechtigt"), max_length=200, blank=True, help_text=_("wer statt Unternehmen antragsberechtigt ist")
    )
    max_employees = models.PositiveIntegerField(_("höchstens Beschäftigte"), null=True, blank=True)
    min_employees = models.PositiveIntegerField(_("mindestens Beschäftigte"), null=True, blank=True)
    sectors = models.CharField(
        _("WZ-Abschnitte"), max_length=60, blank=True, help_text=_("leer = alle; sonst Buchstaben, z. B. „C,J“")
    )
    funding_rate = models.CharField(_("Förderquote"), max_length=500, blank=True)
    max_rate_percent = models.PositiveSmallIntegerField(_("höchste Förderquote in %"), null=True, blank=True)
    max_amount = models.DecimalField(_("Höchstbetrag (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_amount_text = models.CharField(_("Höchstbetrag (Erläuterung)"), max_length=500, blank=True)
    max_project_budget = models.DecimalField(
        _("höchstes Projektvolumen (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True, related_name="programmes")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    status_note = models.CharField(_("Stand"), max_length=500, blank=True)
    starts_on = models.DateField(_("läuft ab"), null=True, blank=True)
    ends_on = models.DateField(_("Antragsschluss / Ende"), null=True, blank=True)
    url = models.URLField(_("Link"), blank=True)
    sources = models.TextField(_("Quellen"), blank=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")

    def __str__(self):
        return self.short_name


# --- consultation log ---------------------------------------------------------------


class Consultation(models.Model):
    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("persönlich")
        PHONE = "phone", _("Telefon")
        VIDEO = "video", _("Video")

    organisation = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("Unternehmen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("Person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    contact_name = models.CharField(_("Gesprächspartner/-in"), max_length=150, blank=True)
    contact_email = models.EmailField(
        _("E-Mail der Gesprächspartnerin bzw. des Gesprächspartners"),
        blank=True,
        help_text=_("nur wenn die Person nicht in den Kontakten steht (z. B. Privatperson)"),
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Berater/-in"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    date = models.DateField(_("Datum"), default=timezone.localdate, db_index=True)
    channel = models.CharField(_("Weg"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"), default=30)
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), related_name="consultations")
    outcome = models.TextField(_("Ergebnis"), blank=True)
    programmes = models.ManyToManyField(
        FundingProgramme, verbose_name=_("besprochene Programme"), blank=True, related_name="consultations"
    )
    follow_up_on = models.DateField(_("Wiedervorlage"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("Wiedervorlage erledigt"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Beratungsgespräch")
        verbose_name_plural = _("Beratungsgespräche")
        indexes = [models.Index(fields=["adviser", "follow_up_on"], name="advisory_followup")]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.organisation or self.contact_label}"

    def get_absolute_url(self):
        return reverse("advisory:consultation_edit", args=[self.pk])

    @property
    def contact_label(self) -> str:
        """Who the talk was with: the linked person's name, else the name as typed."""
        return self.person.full_name if self.person_id else self.contact_name


# --- consultation days --------------------------------------------------------------


class ConsultationSeries(models.Model):
    class Kind(models.TextChoices):
        INVENTOR = "inventor", _("Erfinderberatung")
        CE = "ce", _("CE-Kennzeichnung")
        FUNDING = "funding", _("Förderberatung")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_public = models.BooleanField(_("öffentlich buchbar"), default=True)
    booking_limit = models.PositiveSmallIntegerField(
        _("künftige Buchungen je Person"), default=1, help_text=_("Höchstzahl offener Buchungen je E-Mail-Adresse")
    )
    erase_description_after_days = models.PositiveSmallIntegerField(_("Beschreibung löschen nach (Tagen)"), default=30)
    offer_hours = models.PositiveSmallIntegerField(_("Frist für Nachrücker (Stunden)"), default=24)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Sprechtag-Reihe")
        verbose_name_plural = _("Sprechtag-Reihen")

    def __str__(self):
        return self.name


class ConsultationDay(models.Model):
    class Format(models.TextChoices):
        SLOTS = "slots", _("Einzeltermine")
        GROUP = "group", _("Gruppe")

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    series = models.ForeignKey(
        ConsultationSeries, verbose_name=_("Reihe"), on_delete=models.PROTECT, related_name="days"
    )
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    online_url = models.URLField(_("Online-Link"), blank=True)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Experte/Expertin"),
        on_delete=models.PROTECT,
        related_name="consultation_days",
    )
    expert_person = models.ForeignKey(
        "contacts.Person", verbose_name=_("Person (Kontakte)"), on_delete=models.SET_NULL, null=True, blank=True
    )
    format = models.CharField(_("Format"), max_length=6, choices=Format.choices, default=Format.SLOTS)
    slot_minutes = models.PositiveSmallIntegerField(_("Dauer je Termin (Minuten)"), default=30)
    slot_count = models.PositiveSmallIntegerField(_("Anzahl Termine bzw. Plätze"), default=3)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    ics_sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE of the day in the expert's feed: raised when it moves or is cancelled"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("Sprechtag")
        verbose_name_plural = _("Sprechtage")

    def __str__(self):
        return f"{self.series.name}, {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("advisory:day_public", args=[self.pk])

    @property
    def ends_at(self):
        from datetime import timedelta

        if self.format == self.Format.GROUP:
            return self.starts_at + timedelta(minutes=self.slot_minutes)
        return self.starts_at + timedelta(minutes=self.slot_minutes * self.slot_count)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class Slot(models.Model):
    """One bookable unit: an appointment (slots format) or one seat (group format)."""

    day = models.ForeignKey(ConsultationDay, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["day", "number"]
        constraints = [models.UniqueConstraint(fields=["day", "number"], name="advisory_unique_slot_number")]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


class ExpertCalendar(models.Model):
    """The secret address of an expert's calendar feed of their own days (one per expert).

    Resetting it gives a new token: the old address stops working at once.
    """

    expert = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisory_calendar")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("eingerichtet am"), default=timezone.now)

    class Meta:
        verbose_name = _("Kalender-Abo (Expertin/Experte)")
        verbose_name_plural = _("Kalender-Abos (Expertinnen/Experten)")

    def __str__(self):
        return str(self.expert)

    def get_absolute_url(self):
        return reverse("advisory:expert_feed", args=[self.token])


HOLDING_STATUSES = ("offered", "confirmed")


class Booking(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("angeboten (Warteliste)")
        CONFIRMED = "confirmed", _("gebucht")
        CANCELLED = "cancelled", _("storniert")
        EXPIRED = "expired", _("Angebot verfallen")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("offen")
        ATTENDED = "attended", _("erschienen")
        NO_SHOW = "no_show", _("nicht erschienen")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    day = models.ForeignKey(ConsultationDay, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(ConsultationSeries, on_delete=models.PROTECT, related_name="bookings")
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), db_index=True)
    company_name = models.CharField(_("Unternehmen"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "contacts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="advisory_bookings"
    )
    description = models.TextField(_("Anliegen (vertraulich)"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    description_erased_at = models.DateTimeField(null=True, blank=True)
    consent_wording = models.TextField(_("Einwilligungstext"), blank=True)
    consented_at = models.DateTimeField(_("eingewilligt am"), null=True, blank=True)
    language = models.CharField(max_length=8, default="de")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    attendance = models.CharField(_("Anwesenheit"), max_length=10, choices=Attendance.choices, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    offer_expires_at = models.DateTimeField(_("Angebot gültig bis"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: raised on every change, so calendars replace the old entry"
    )
    created_at = models.DateTimeField(_("gebucht am"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("storniert am"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        constraints = [
            # Two people can never hold the same slot: at most one offered/confirmed booking per slot.
            models.UniqueConstraint(
                fields=["slot"], condition=models.Q(status__in=HOLDING_STATUSES), name="advisory_one_holder_per_slot"
            )
        ]
        indexes = [models.Index(fields=["series", "email"], name="advisory_booking_person")]

    def __str__(self):
        return f"{self.name} – {self.slot}"

    def get_absolute_url(self):
        return reverse("advisory:booking_manage", args=[self.token])


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("wartet")
        OFFERED = "offered", _("Platz angeboten")
        BOOKED = "booked", _("gebucht")
        EXPIRED = "expired", _("Angebot verfallen")
        LEFT = "left", _("ausgetragen")
        CLOSED = "closed", _("Tag abgesagt")

    day = models.ForeignKey(ConsultationDay, on_delete=models.CASCADE, related_name="waitlist")
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), db_index=True)
    company_name = models.CharField(_("Unternehmen"), max_length=200, blank=True)
    description = models.TextField(_("Anliegen (vertraulich)"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    consent_wording = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="de")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist_entry"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Wartelisteneintrag")
        verbose_name_plural = _("Warteliste")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "email"], condition=models.Q(status="waiting"), name="advisory_once_on_waitlist"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.day})"
