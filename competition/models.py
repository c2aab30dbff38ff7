"""Jugend forscht: editions, projects and their teams, consents, juries, scores, prizes.

See competition/README.md for the data model and the flows.
"""

import datetime
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


@deconstructible(path="competition.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Written works hold minors' names: kept beside MEDIA_ROOT (``<MEDIA_ROOT>/../private/competition``), never
    under a public URL. They are served only by views that check who asks (staff, the project's jury, the
    team's registrant). The location follows ``MEDIA_ROOT`` at run time, so tests can point it elsewhere.
    """

    @cached_property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT).parent / "private" / "competition")

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


def written_work_path(instance, filename) -> str:
    # a random name: nothing about the pupils or the title in the file system
    return f"schriftliche-arbeiten/{instance.edition_id}/{uuid.uuid4().hex}.pdf"


class SubjectArea(models.TextChoices):
    """The seven Fachgebiete (FACTS.md §3)."""

    WORK = "arbeitswelt", _("Arbeitswelt")
    BIOLOGY = "biologie", _("Biologie")
    CHEMISTRY = "chemie", _("Chemie")
    GEO = "geo", _("Geo- und Raumwissenschaften")
    MATHS = "mathe-informatik", _("Mathematik/Informatik")
    PHYSICS = "physik", _("Physik")
    TECHNOLOGY = "technik", _("Technik")


AREA_CODES = {
    SubjectArea.WORK: "AW",
    SubjectArea.BIOLOGY: "BI",
    SubjectArea.CHEMISTRY: "CH",
    SubjectArea.GEO: "GR",
    SubjectArea.MATHS: "MI",
    SubjectArea.PHYSICS: "PH",
    SubjectArea.TECHNOLOGY: "TE",
}


class Division(models.TextChoices):
    """The two age divisions; the junior one is named per edition (``Edition.junior_name``)."""

    JUNIOR = "junior", _("Jugend forscht junior")
    SENIOR = "senior", _("Jugend forscht")


class Gender(models.TextChoices):
    FEMALE = "f", _("weiblich")
    MALE = "m", _("männlich")
    DIVERSE = "d", _("divers")
    UNSPECIFIED = "", _("keine Angabe")


class Edition(models.Model):
    """One round of the regional contest (the 34th round was held in February 2020)."""

    number = models.PositiveSmallIntegerField(_("Runde"), unique=True)
    year = models.PositiveSmallIntegerField(_("Wettbewerbsjahr"), unique=True)
    junior_name = models.CharField(
        _("Name der Juniorsparte"),
        max_length=60,
        default="Jugend forscht junior",
        help_text=_("bis zur Runde 2024: „Schüler experimentieren“"),
    )
    contest_date = models.DateField(_("Wettbewerbstag"))
    venue = models.CharField(_("Ort"), max_length=200)
    registration_deadline = models.DateField(_("Anmeldeschluss"))
    written_work_deadline = models.DateField(_("Abgabe der schriftlichen Arbeit bis"))
    prescore_deadline = models.DateField(
        _("Vorbewertung der Jury bis"), help_text=_("Bewertung der schriftlichen Arbeit vor dem Jurygespräch")
    )
    max_pages = models.PositiveSmallIntegerField(
        _("höchstens Seiten (PDF)"),
        default=20,
        help_text=_("15 Seiten Text plus Deckblatt, Kurzfassung, Inhalts- und Literaturverzeichnis"),
    )
    max_upload_mb = models.PositiveSmallIntegerField(_("höchstens MB je PDF"), default=10)
    interviews_start = models.TimeField(_("Jurygespräche ab"), default=datetime.time(9, 0))
    interview_minutes = models.PositiveSmallIntegerField(_("Dauer je Jurygespräch (Minuten)"), default=15)
    interview_gap_minutes = models.PositiveSmallIntegerField(_("Pause zwischen Gesprächen (Minuten)"), default=5)
    retention_until = models.DateField(
        _("Daten der Teilnehmenden löschen am"),
        help_text=_("danach bleiben nur Zahlen; außer bei Einwilligung in die Aufbewahrung"),
    )
    results_published_at = models.DateTimeField(_("Ergebnisse veröffentlicht am"), null=True, blank=True)
    retention_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("Wettbewerbsrunde")
        verbose_name_plural = _("Wettbewerbsrunden")

    def __str__(self):
        return _("%(number)s. Regionalwettbewerb %(year)s") % {"number": self.number, "year": self.year}

    @property
    def registration_year(self) -> int:
        """Ages count on 31 December of this year (the year before the contest)."""
        return self.registration_deadline.year

    @property
    def age_reference_date(self) -> datetime.date:
        return datetime.date(self.registration_year, 12, 31)

    @property
    def is_published(self) -> bool:
        return self.results_published_at is not None

    def division_label(self, division: str) -> str:
        return self.junior_name if division == Division.JUNIOR else str(Division.SENIOR.label)


class Criterion(models.Model):
    """A line of the rubric, set per edition (the national form's weights are not public)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Kriterium"), max_length=120)
    description = models.CharField(_("Leitfragen"), max_length=400, blank=True)
    weight = models.PositiveSmallIntegerField(_("Gewicht"), default=1)
    max_points = models.PositiveSmallIntegerField(_("Höchstpunktzahl"), default=10)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")

    def __str__(self):
        return self.name


class School(models.Model):
    """A school (or training company); kept here, not in contacts: schools are no member companies."""

    name = models.CharField(_("Schule"), max_length=200)
    city = models.CharField(_("Ort"), max_length=100)
    district = models.ForeignKey(
        "contacts.District", verbose_name=_("Kreis"), on_delete=models.SET_NULL, null=True, blank=True
    )
    key = models.CharField(max_length=320, unique=True)  # casefolded "name|city": one row per school

    class Meta:
        ordering = ["name", "city"]
        verbose_name = _("Schule")
        verbose_name_plural = _("Schulen")

    def __str__(self):
        return f"{self.name}, {self.city}"


class Participant(models.Model):
    """A pupil (or apprentice, or first-year student) in one edition, in up to three projects."""

    class Consent(models.TextChoices):
        NOT_NEEDED = "not_needed", _("nicht nötig (volljährig)")
        PENDING = "pending", _("ausstehend")
        GIVEN = "given", _("erteilt")
        DECLINED = "declined", _("abgelehnt")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="participants")
    first_name = models.CharField(_("Vorname"), max_length=80)
    last_name = models.CharField(_("Nachname"), max_length=80)
    birth_date = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    gender = models.CharField(_("Geschlecht"), max_length=1, choices=Gender.choices, blank=True)
    email = models.EmailField(_("E-Mail (optional)"), blank=True)
    school = models.ForeignKey(School, verbose_name=_("Schule"), on_delete=models.PROTECT, related_name="+")
    parent_email = models.EmailField(_("E-Mail eines Elternteils"), blank=True)
    consent_status = models.CharField(_("Einwilligung"), max_length=10, choices=Consent.choices)
    keep_data = models.BooleanField(_("Aufbewahrung erlaubt"), default=False)
    key = models.CharField(max_length=200)  # "last|first|yyyy-mm-dd", casefolded: the same person twice is one row
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("Teilnehmer/-in")
        verbose_name_plural = _("Teilnehmende")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "key"], condition=models.Q(anonymised_at__isnull=True), name="competition_one_person"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Project(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Einwilligung")
        REGISTERED = "registered", _("angemeldet")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class Place(models.IntegerChoices):
        FIRST = 1, _("1. Preis")
        SECOND = 2, _("2. Preis")
        THIRD = 3, _("3. Preis")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="projects")
    number = models.CharField(_("Nummer"), max_length=16)
    title = models.CharField(_("Projekttitel"), max_length=200)
    abstract = models.TextField(_("Kurzbeschreibung"), max_length=1500)
    subject_area = models.CharField(_("Fachgebiet"), max_length=20, choices=SubjectArea.choices)
    division = models.CharField(_("Sparte"), max_length=6, choices=Division.choices)
    school = models.ForeignKey(School, verbose_name=_("Schule"), on_delete=models.PROTECT, related_name="projects")
    teacher_name = models.CharField(_("Betreuende Lehrkraft"), max_length=150)
    teacher_email = models.EmailField(_("E-Mail der Lehrkraft"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angemeldet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competition_projects",
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    written_work = models.FileField(
        _("Schriftliche Arbeit (PDF)"), storage=private_storage, upload_to=written_work_path, blank=True
    )
    written_work_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    written_work_bytes = models.PositiveIntegerField(null=True, blank=True)
    written_work_uploaded_at = models.DateTimeField(null=True, blank=True)
    needs_power = models.BooleanField(_("Stromanschluss"), default=False)
    needs_table = models.BooleanField(_("Tisch"), default=True)
    needs_water = models.BooleanField(_("Wasseranschluss"), default=False)
    stand_note = models.CharField(_("Weitere Wünsche zum Stand"), max_length=300, blank=True)
    stand_confirmed_at = models.DateTimeField(null=True, blank=True)
    stand_number = models.PositiveSmallIntegerField(_("Stand"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("angekommen"), null=True, blank=True)
    jury = models.ForeignKey(
        "Jury", verbose_name=_("Jury"), on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    place = models.PositiveSmallIntegerField(_("Platzierung"), choices=Place.choices, null=True, blank=True)
    decision_reason = models.TextField(_("Begründung der Jury"), blank=True)
    forwarded = models.BooleanField(_("zum Landeswettbewerb weitergeleitet"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="competition_project_number")]
        indexes = [
            models.Index(fields=["edition", "subject_area", "division"], name="competition_project_group"),
            models.Index(fields=["jury", "number"], name="competition_project_jury"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("competition:project_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class TeamMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="memberships")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "participant"], name="competition_member_once_per_project")
        ]


CONSENT_VERSION = "2026-1"


class ParentalConsent(models.Model):
    """A parent's answer for one minor, requested by a mailed link; stored with wording, version and time."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    parent_email = models.EmailField(_("E-Mail eines Elternteils"))
    parent_name = models.CharField(_("Name des Elternteils"), max_length=150, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(max_length=10, choices=Participant.Consent.choices, default=Participant.Consent.PENDING)
    wording = models.TextField(blank=True)
    version = models.CharField(max_length=20, blank=True)
    keep_data = models.BooleanField(default=False)
    requested_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("Einwilligung der Eltern")
        verbose_name_plural = _("Einwilligungen der Eltern")


class Jury(models.Model):
    """One jury per subject area and division of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="juries")
    subject_area = models.CharField(_("Fachgebiet"), max_length=20, choices=SubjectArea.choices)
    division = models.CharField(_("Sparte"), max_length=6, choices=Division.choices)
    decided_at = models.DateTimeField(_("Entscheidung am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["subject_area", "-division"]
        verbose_name = _("Jury")
        verbose_name_plural = _("Jurys")
        constraints = [
            models.UniqueConstraint(fields=["edition", "subject_area", "division"], name="competition_one_jury")
        ]

    def __str__(self):
        return f"{self.get_subject_area_display()} – {self.edition.division_label(self.division)}"


class JuryMember(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_memberships")
    is_chair = models.BooleanField(_("Vorsitz"), default=False)
    affiliation = models.CharField(_("Hochschule, Unternehmen oder Schule"), max_length=200, blank=True)
    school = models.ForeignKey(
        School,
        verbose_name=_("eigene Schule (Befangenheit)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-is_chair", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["jury", "user"], name="competition_member_once_per_jury")]


class Conflict(models.Model):
    """A declared conflict of interest: the juror neither sees nor scores the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("Grund"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="competition_conflict_once")]


class ScoreSheet(models.Model):
    class Phase(models.TextChoices):
        BEFORE = "before", _("vor dem Jurygespräch")
        AFTER = "after", _("nach dem Jurygespräch")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sheets")
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="sheets")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(_("Phase"), max_length=6, choices=Phase.choices)
    total = models.DecimalField(_("Punkte (gewichtet, 0–100)"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("Notiz für die Jury"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "juror", "phase"], name="competition_one_sheet_per_phase")
        ]
        indexes = [
            models.Index(fields=["jury", "phase"], name="competition_sheet_jury"),
            models.Index(fields=["juror", "phase"], name="competition_sheet_juror"),
        ]


class ScorePoint(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="points")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="competition_point_once")]


class SpecialPrize(models.Model):
    """A sponsor's or a topic prize, awarded to one project."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="special_prizes")
    name = models.CharField(_("Preis"), max_length=150)
    sponsor = models.CharField(_("Stifter"), max_length=150, blank=True)
    topic = models.CharField(_("Thema"), max_length=150, blank=True)
    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.SET_NULL, null=True, blank=True, related_name="prizes"
    )
    reason = models.CharField(_("Begründung"), max_length=400, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("Sonderpreis")
        verbose_name_plural = _("Sonderpreise")

    def __str__(self):
        return self.name


class Interview(models.Model):
    """A project's jury interview on the contest day."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="interviews")
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="interview")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]


class PatentOffer(models.Model):
    """A patent attorney's consultation day (advisory) offered to the registered teams of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="patent_offers")
    day_id = models.PositiveIntegerField()  # advisory's ConsultationDay, reached only through advisory.selectors
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "day_id"], name="competition_offer_once")]
