from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.regions import LEGAL_FORMS, SizeClass, size_class_for, wz_section
from contacts.validators import validate_german_postcode, validate_phone, validate_wz_code
from core.search import fold_document, register_fulltext


class District(models.Model):
    """A district (Kreis or kreisfreie Stadt) of the chamber's region."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kreis")
        verbose_name_plural = _("Kreise")

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("Name"), max_length=200)
    legal_form = models.CharField(
        _("Rechtsform"), max_length=60, blank=True, choices=[(form, form) for form in LEGAL_FORMS]
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[validate_german_postcode])
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("Kreis"), on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    wz_code = models.CharField(
        _("Branche (WZ 2008)"), max_length=8, blank=True, validators=[validate_wz_code], help_text=_("z. B. 28.22")
    )
    wz_section = models.CharField(_("WZ-Abschnitt"), max_length=1, blank=True, editable=False, db_index=True)
    employees = models.PositiveIntegerField(_("Beschäftigte"), null=True, blank=True)
    size_class = models.CharField(_("Größenklasse"), max_length=10, blank=True, choices=SizeClass.choices)
    member_number = models.CharField(_("Mitgliedsnummer"), max_length=20, blank=True)
    energy_intensive = models.BooleanField(_("energieintensiv"), default=False)
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=30, blank=True, validators=[validate_phone])
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagwörter"), blank=True, related_name="organisations")
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    # derived on save (see ``derive``): the folded search text (name, place, postcode, member number),
    # the name without legal form for the duplicate check, and the web/e-mail domain
    search_text = models.TextField(editable=False, blank=True, default="")
    name_key = models.CharField(max_length=200, editable=False, blank=True, default="")
    domain = models.CharField(max_length=120, editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "name_key", "domain"], m2m_fields=[tags])

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        indexes = [
            # keyset pagination walks (name, id); filters combine with it
            models.Index(fields=["name", "id"], name="org_name_id"),
            models.Index(fields=["district", "name", "id"], name="org_district_name_id"),
            models.Index(fields=["wz_section", "name", "id"], name="org_section_name_id"),
            models.Index(fields=["size_class", "name", "id"], name="org_size_name_id"),
            # the duplicate check (contacts.duplicates)
            models.Index(fields=["name_key"], name="org_name_key"),
            models.Index(fields=["postcode", "name_key"], name="org_postcode_name_key"),
            models.Index(fields=["domain"], name="org_domain", condition=~models.Q(domain="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member_number"], condition=~models.Q(member_number=""), name="unique_member_number"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:organisation_detail", args=[self.pk])

    def derive(self) -> None:
        """Set the derived columns (``bulk_create`` callers call this themselves)."""
        from contacts.duplicates import organisation_domain, organisation_name_key

        self.wz_section = wz_section(self.wz_code)
        if self.employees is not None:
            self.size_class = size_class_for(self.employees)
        self.search_text = fold_document(self.name, self.city, self.postcode, self.member_number)
        self.name_key = organisation_name_key(self.name)[:200]
        self.domain = organisation_domain(website=self.website, email=self.email)[:120]

    @property
    def is_member(self) -> bool:
        return bool(self.member_number)


class Person(models.Model):
    class Salutation(models.TextChoices):
        NONE = "", _("keine Angabe")
        MS = "frau", _("Frau")
        MR = "herr", _("Herr")

    salutation = models.CharField(_("Anrede"), max_length=8, blank=True, choices=Salutation.choices)
    title = models.CharField(_("Titel"), max_length=40, blank=True, help_text=_("z. B. Dr."))
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    email = models.EmailField(_("E-Mail"), blank=True, db_index=True)
    phone = models.CharField(_("Telefon"), max_length=30, blank=True, validators=[validate_phone])
    language = models.CharField(
        _("Sprache"), max_length=8, default="de", choices=[("de", "Deutsch"), ("en", "English")]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    notes = models.TextField(_("Notizen"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagwörter"), blank=True, related_name="people")
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    # derived on save: the folded search text (first and last name, e-mail)
    search_text = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"])

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="person_name_id")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:person_detail", args=[self.pk])

    def derive(self) -> None:
        self.search_text = fold_document(self.first_name, self.last_name, self.email)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.title, self.first_name, self.last_name] if part)


class OrganisationRole(models.Model):
    """A person's role at an organisation (one row per role)."""

    class Kind(models.TextChoices):
        MANAGING_DIRECTOR = "managing_director", _("Geschäftsführung")
        HR = "hr", _("Personal")
        TRAINING = "training", _("Ausbildung")
        PRESS = "press", _("Presse")
        EDITOR = "editor", _("Redaktion (Portal)")
        ENERGY = "energy", _("Energie/Umwelt")
        OTHER = "other", _("Sonstige")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("Funktion"), max_length=20, choices=Kind.choices)
    job_title = models.CharField(_("Stellenbezeichnung"), max_length=120, blank=True)
    email = models.EmailField(_("dienstliche E-Mail"), blank=True)
    phone = models.CharField(_("dienstliches Telefon"), max_length=30, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Funktion")
        verbose_name_plural = _("Funktionen")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "kind"], name="unique_role_per_person_org")
        ]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()} ({self.organisation})"


class OrganisationEditor(models.Model):
    """A user account allowed to edit one organisation's own data (company editor)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_of")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="editors")
    created_at = models.DateTimeField(_("seit"), auto_now_add=True)

    # an editor link is a right: who granted it (and when) belongs in the audit trail
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Firmenredakteur/-in")
        verbose_name_plural = _("Firmenredaktion")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_editor")]


class Consent(models.Model):
    """A consent as given: purpose, the exact wording shown, when, where from.

    Withdrawal sets ``withdrawn_at``; the row stays as proof of what was given.
    """

    email = models.EmailField(_("E-Mail"), db_index=True)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents")
    # A consent given for one company only (e.g. "show me as contact of company X on the portal");
    # empty for a consent that does not depend on a company (a newsletter).
    organisation = models.ForeignKey(
        "Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
    )
    purpose = models.CharField(_("Zweck"), max_length=80, db_index=True, help_text=_("z. B. newsletter.industrie"))
    wording = models.TextField(_("Wortlaut"))
    wording_version = models.CharField(_("Version des Wortlauts"), max_length=40)
    source = models.CharField(_("Quelle"), max_length=200, help_text=_("Formular, Import mit Nachweis …"))
    given_at = models.DateTimeField(_("erteilt am"))
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")

    def __str__(self):
        return f"{self.email}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ImportBatch(models.Model):
    """An uploaded import, parsed and checked, waiting for the user to confirm.

    Nothing is written to the real tables until :func:`contacts.importing.import_confirm`.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Vorschau")
        DONE = "done", _("importiert")
        DISCARDED = "discarded", _("verworfen")

    kind = models.CharField(max_length=40, default="organisations")
    filename = models.CharField(max_length=255)
    # [{"line": 2, "name": …, "status": new|error|duplicate|created|skipped, "data": {…}, "errors": […],
    #   "duplicate": {"source": existing|file, "id"|"line": …, "name": …, "reason": …}}]
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_count = models.PositiveIntegerField(default=0)
    notices = models.JSONField(default=list, blank=True)  # file-level remarks, e.g. ignored columns
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")


class MergeRecord(models.Model):
    """Two records became one: who merged what when, the merged record's main fields and what moved.

    Points at the kept record (so its timeline says "zusammengeführt mit …"); a later merge of the
    kept record moves these rows along like every other link.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="merge_records"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="merge_records")
    merged_id = models.PositiveIntegerField(_("Nummer des zusammengeführten Eintrags"))
    merged_label = models.CharField(_("zusammengeführter Eintrag"), max_length=300)
    merged_data = models.JSONField(_("Stammdaten des zusammengeführten Eintrags"), default=dict)
    moved = models.JSONField(_("übertragene Verknüpfungen"), default=list)  # [{"label": …, "moved": n, "dropped": n}]
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    merged_at = models.DateTimeField(_("zusammengeführt am"), auto_now_add=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("Zusammenführung")
        verbose_name_plural = _("Zusammenführungen")

    def __str__(self):
        return self.merged_label


# Staff search over organisations and people: folded text (core.search.fold_text), so "Muller" finds "Müller".
ORGANISATION_SEARCH_COLUMNS = ["search_text"]
register_fulltext(Organisation._meta.db_table, ORGANISATION_SEARCH_COLUMNS)
PERSON_SEARCH_COLUMNS = ["search_text"]
register_fulltext(Person._meta.db_table, PERSON_SEARCH_COLUMNS)
