"""The Industrie-Portal: company profiles, their sites, photos and offers.

A profile belongs to one ``contacts.Organisation``. Contacts shown on the
portal are the organisation's HR and training functions
(``contacts.OrganisationRole``) whose person consented to publication.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.search import register_fulltext

# Consent of a contact person to appear on the portal, recorded for one company (contacts.Consent).
CONSENT_PURPOSE = "portal.publish_contact"
CONSENT_VERSION = "2026-11"
# Stored with every consent in the language the editor saw it in (the contact form shows it).
CONSENT_WORDING = _(
    "Ich bin damit einverstanden, dass mein Name, meine Funktion und meine dienstlichen Kontaktdaten im "
    "Industrie-Portal öffentlich angezeigt werden. Ich kann die Einwilligung jederzeit widerrufen."
)


class Occupation(models.Model):
    """A recognised industrial training occupation (``data/ausbildungsberufe_industrie.csv``)."""

    number = models.PositiveSmallIntegerField(_("Nummer"), unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=120)
    name_official = models.CharField(_("amtliche Bezeichnung"), max_length=250)
    slug = models.SlugField(_("Kürzel"), max_length=120, unique=True)
    duration_months = models.PositiveSmallIntegerField(_("Dauer in Monaten"))
    field = models.CharField(_("Berufsfeld"), max_length=60, blank=True)
    ordinance = models.CharField(_("Ausbildungsverordnung"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Ausbildungsberuf")
        verbose_name_plural = _("Ausbildungsberufe")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:occupation_detail", args=[self.slug])

    @property
    def duration_years(self) -> str:
        years = self.duration_months / 12
        return f"{years:.1f}".replace(".", ",").replace(",0", "")

    @property
    def duration_text(self) -> str:
        """ "3 Jahre", "3,5 Jahre", "1 Jahr" (a fraction of a year is always plural in German)."""
        if self.duration_months % 12:
            return gettext("%(years)s Jahre") % {"years": self.duration_years}
        years = self.duration_months // 12
        return ngettext("%(years)s Jahr", "%(years)s Jahre", years) % {"years": years}


class Sector(models.TextChoices):
    METAL = "metall", _("Metall und Maschinenbau")
    ELECTRO = "elektro", _("Elektrotechnik und Elektronik")
    CHEMICAL = "chemie", _("Chemie und Pharma")
    PLASTICS = "kunststoff", _("Kunststoff und Kautschuk")
    FOOD = "lebensmittel", _("Lebensmittel")
    TEXTILE = "textil", _("Textil und Bekleidung")
    WOOD = "holz", _("Holz, Papier und Möbel")
    VEHICLES = "fahrzeuge", _("Fahrzeugbau und Zulieferer")
    ENERGY = "energie", _("Energie und Umwelt")
    BUILDING = "baustoffe", _("Baustoffe, Steine und Erden")
    IT = "it", _("IT und Software")
    SERVICES = "dienstleistung", _("Industrienahe Dienstleistungen")
    OTHER = "sonstige", _("Sonstige Industrie")


class CompanyProfile(models.Model):
    organisation = models.OneToOneField(
        "contacts.Organisation", on_delete=models.CASCADE, related_name="portal_profile", verbose_name=_("Organisation")
    )
    slug = models.SlugField(_("Adresse (URL)"), max_length=100, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    logo = models.ImageField(_("Logo"), upload_to="portal/logos/", blank=True)
    # Set by the services when a logo is stored (not Django's width_field, which reads files on every load).
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    short_description = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Formatierter Text (HTML)"))
    sector = models.CharField(_("Branche"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    employees = models.PositiveIntegerField(_("Beschäftigte"), null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("Gründungsjahr"), null=True, blank=True)
    website = models.URLField(_("Website"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    occupations = models.ManyToManyField(
        Occupation, verbose_name=_("Ausbildungsberufe"), blank=True, related_name="profiles"
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=True)
    review_required = models.BooleanField(
        _("Änderungen prüfen"), default=False, help_text=_("Änderungen der Redaktion erscheinen erst nach Freigabe.")
    )
    search_stems = models.TextField(editable=False, blank=True)
    touched_at = models.DateTimeField(_("zuletzt bearbeitet"), default=timezone.now)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["search_stems", "touched_at", "reminded_at"], m2m_fields=[occupations])

    class Meta:
        ordering = ["name"]
        verbose_name = _("Portal-Eintrag")
        verbose_name_plural = _("Portal-Einträge")
        indexes = [models.Index(fields=["is_published", "name", "id"], name="portal_profile_pub_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:company_detail", args=[self.slug])

    @property
    def social_links(self) -> list[tuple[str, str]]:
        return [
            (label, url)
            for label, url in [
                ("LinkedIn", self.linkedin_url),
                ("Instagram", self.instagram_url),
                ("Facebook", self.facebook_url),
                ("YouTube", self.youtube_url),
            ]
            if url
        ]


class Site(models.Model):
    profile = models.ForeignKey(CompanyProfile, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("Bezeichnung"), max_length=120, help_text=_("z. B. Hauptsitz, Werk Rheine"))
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("PLZ"), max_length=5)
    city = models.CharField(_("Ort"), max_length=100)
    district = models.ForeignKey(
        "contacts.District", verbose_name=_("Kreis"), on_delete=models.PROTECT, related_name="portal_sites"
    )
    is_main = models.BooleanField(_("Hauptsitz"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_main", "name", "id"]
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")

    def __str__(self):
        return f"{self.name}, {self.city}"


class Photo(models.Model):
    """A photo of the company: the re-encoded image (at most 1600 px wide) and a small copy for lists and phones."""

    profile = models.ForeignKey(CompanyProfile, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("Foto"), upload_to="portal/photos/")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)  # set by services.photo_add
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    small = models.ImageField(upload_to="portal/photos/", blank=True, editable=False)
    alt_text = models.CharField(
        _("Bildbeschreibung"), max_length=200, help_text=_("Was ist zu sehen? (für Screenreader)")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")

    SMALL_SIDE = 640  # the long side of ``small`` (portal.validators.image_small)

    @property
    def small_width(self) -> int | None:
        """The width of the small copy, for ``srcset``."""
        if not (self.width and self.height):
            return None
        return round(self.width * min(1, self.SMALL_SIDE / max(self.width, self.height)))


class Offer(models.Model):
    class Kind(models.TextChoices):
        APPRENTICESHIP = "ausbildung", _("Ausbildungsplatz")
        DUAL_STUDY = "duales-studium", _("Duales Studium")
        INTERNSHIP = "praktikum", _("Praktikum")

    profile = models.ForeignKey(CompanyProfile, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.APPRENTICESHIP)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("Ausbildungsberuf"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(
        _("Titel"), max_length=200, blank=True, help_text=_("leer: der Name des Berufs, z. B. für ein duales Studium")
    )
    slug = models.SlugField(max_length=160, unique=True)
    site = models.ForeignKey(Site, verbose_name=_("Standort"), on_delete=models.SET_NULL, null=True, blank=True)
    # Denormalised from the site (or the organisation) so filters need no join.
    district = models.ForeignKey(
        "contacts.District", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    sector = models.CharField(max_length=20, editable=False, blank=True)
    # Copied from the profile: public filters touch the offer table only.
    profile_published = models.BooleanField(default=True, editable=False)
    # The place of the site (or the company) from portal/places.py, for "near me"; None if unknown.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    start_date = models.DateField(_("Beginn"))
    places = models.PositiveSmallIntegerField(_("Anzahl Plätze"), default=1)
    requirements = models.TextField(_("Voraussetzungen"), blank=True)
    how_to_apply = models.TextField(_("So bewerben Sie sich"), blank=True)
    apply_email = models.EmailField(
        _("Bewerbung per E-Mail an"), blank=True, help_text=_("Die Seite zeigt dafür den Knopf „Per E-Mail bewerben“.")
    )
    apply_url = models.URLField(
        _("Bewerbung online unter"),
        blank=True,
        help_text=_("Adresse Ihres Bewerbungsformulars (https://…); die Seite zeigt dafür „Online bewerben“."),
    )
    contact = models.ForeignKey(
        "contacts.OrganisationRole",
        verbose_name=_("Ansprechperson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    search_stems = models.TextField(editable=False, blank=True)
    title_stems = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "search_stems", "title_stems", "updated_at", "district", "sector", "profile_published", "latitude",
            "longitude",
        ]
    )  # fmt: skip

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        indexes = [
            models.Index(fields=["is_active", "start_date", "id"], name="portal_offer_public_start"),
            # the home page counts the public offers on every visit: an index-only scan with this one
            models.Index(
                fields=["start_date"],
                condition=models.Q(is_active=True, profile_published=True),
                name="portal_offer_public_count",
            ),
            models.Index(fields=["occupation", "start_date"], name="portal_offer_occ_start"),
            models.Index(fields=["district", "start_date"], name="portal_offer_district_start"),
            models.Index(fields=["profile", "start_date"], name="portal_offer_profile_start"),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("portal:offer_detail", args=[self.slug])

    @property
    def display_title(self) -> str:
        return self.title or self.occupation.name

    @property
    def apply_subject(self) -> str:
        """The subject line an applicant's mail starts with."""
        return gettext("Bewerbung: %(title)s (Beginn %(start)s)") % {
            "title": self.display_title,
            "start": self.start_date.strftime("%d.%m.%Y") if self.start_date else "–",
        }

    @property
    def is_public(self) -> bool:
        """The public rule of ``selectors.public_offers`` for one loaded offer."""
        return self.is_active and self.profile_published and self.start_date >= timezone.localdate()


class ChangeRequest(models.Model):
    """An editor's change waiting for staff review (when the profile has review on).

    ``data`` holds the cleaned form values (ids for related rows, ISO dates,
    storage names of uploaded files); approving applies them through the same
    service that would have applied them directly.
    """

    class Kind(models.TextChoices):
        PROFILE = "profile", _("Profil")
        SITE = "site", _("Standort")
        SITE_DELETE = "site_delete", _("Standort löschen")
        OFFER = "offer", _("Angebot")
        OFFER_DELETE = "offer_delete", _("Angebot löschen")

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Prüfung")
        APPROVED = "approved", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")

    profile = models.ForeignKey(CompanyProfile, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)  # the site/offer changed; None = new
    data = models.JSONField(default=dict)
    summary = models.CharField(_("Beschreibung"), max_length=250)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("eingereicht"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("Anmerkung"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Änderung zur Prüfung")
        verbose_name_plural = _("Änderungen zur Prüfung")
        indexes = [models.Index(fields=["status", "created_at"], name="portal_change_status")]


class ProfileViewCount(models.Model):
    """Public views of a profile in one month: a counter, no cookie, no IP, no user."""

    profile = models.ForeignKey(CompanyProfile, on_delete=models.CASCADE, related_name="view_counts")
    month = models.DateField()  # the first of the month
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "month"], name="portal_view_month")]


# Consent to mails about new offers for a saved search (double opt-in), stored in contacts.Consent.
ALERT_CONSENT_PURPOSE = "portal.search_alert"
ALERT_CONSENT_VERSION = "2026-12"
ALERT_CONSENT_WORDING = _(
    "Ich möchte neue Angebote zu meiner Suche im Industrie-Portal per E-Mail erhalten, höchstens eine E-Mail am Tag. "
    "Meine E-Mail-Adresse wird nur dafür gespeichert. Ich kann den Suchauftrag jederzeit über den Link in jeder "
    "E-Mail beenden."
)


class SearchAlert(models.Model):
    """A saved search: new matching offers by mail (double opt-in, one-click unsubscribe).

    ``filters`` holds the search's parameters as they appear in its URL (``q``, ``beruf``, ``kreis``,
    ``art``, ``jahr``, ``branche``, ``ort``, ``umkreis``); ``token`` is the secret of the links in
    every mail (see, end). The consent is stored in ``contacts.Consent`` when the person confirms.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Bestätigung")
        ACTIVE = "active", _("aktiv")
        ENDED = "ended", _("beendet")

    email = models.EmailField(_("E-Mail-Adresse"))
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    filters = models.JSONField(_("Suche"), default=dict)
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    consent_wording = models.TextField(blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    last_mailed_at = models.DateTimeField(_("zuletzt gemailt"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beendet"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Suchauftrag")
        verbose_name_plural = _("Suchaufträge")
        indexes = [
            models.Index(fields=["status", "last_mailed_at"], name="portal_alert_due"),
            models.Index(fields=["email"], name="portal_alert_email"),
        ]

    def __str__(self):
        return self.email


class SearchAlertOffer(models.Model):
    """An offer mailed for an alert: the unique pair makes "each offer at most once per alert" hold."""

    alert = models.ForeignKey(SearchAlert, on_delete=models.CASCADE, related_name="mailed")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    mailed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "offer"], name="portal_alert_offer_once")]


# What an editor's change (ChangeRequest.data) may set on each model, besides related rows.
PROFILE_FIELDS = [
    "name", "short_description", "description", "sector", "employees", "founded_year", "website",
    "linkedin_url", "instagram_url", "facebook_url", "youtube_url",
]  # fmt: skip
SITE_FIELDS = ["name", "street", "postcode", "city", "is_main"]
OFFER_FIELDS = ["kind", "title", "places", "requirements", "how_to_apply", "apply_email", "apply_url", "is_active"]

# The models whose versions staff see and restore, by their key in the URL.
HISTORY_MODELS = {"profil": CompanyProfile, "standort": Site, "angebot": Offer}

register_fulltext(Offer._meta.db_table, ["search_stems"])
register_fulltext(CompanyProfile._meta.db_table, ["search_stems"])
