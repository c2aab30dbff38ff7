"""Energy and climate: versioned reference tables, the hydrogen survey, policy work.

Reference data (CO2 price path, standard emission factors) is stored as rows of a
:class:`ReferenceTableVersion`. A change never edits a published version: it
creates a new version (a copy with the change), which becomes the current one.
Every calculator result names the version it used.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceTableVersion(models.Model):
    label = models.CharField(_("Bezeichnung"), max_length=120, unique=True)
    valid_from = models.DateField(_("gültig ab"))
    source = models.TextField(_("Quelle / Rechtsstand"))
    note = models.TextField(_("Änderungsnotiz"), blank=True)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Version der Referenztabellen")
        verbose_name_plural = _("Versionen der Referenztabellen")

    def __str__(self):
        return self.label


class CO2Price(models.Model):
    """The CO2 price of one year in one version: a fixed price, a corridor or scenarios."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Festpreis")
        CORRIDOR = "corridor", _("Preiskorridor (Versteigerung)")
        SCENARIO = "scenario", _("Szenario (Recht offen)")
        ETS2 = "ets2", _("EU-ETS 2 (Marktpreis, Szenario)")

    version = models.ForeignKey(ReferenceTableVersion, on_delete=models.CASCADE, related_name="prices")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    low = models.DecimalField(_("niedrig (€/t)"), max_digits=8, decimal_places=2)
    mid = models.DecimalField(_("mittel (€/t)"), max_digits=8, decimal_places=2)
    high = models.DecimalField(_("hoch (€/t)"), max_digits=8, decimal_places=2)
    legal_basis = models.TextField(_("Rechtsgrundlage"))
    status = models.CharField(_("Stand"), max_length=300, blank=True)
    source = models.TextField(_("Quelle"), blank=True)

    class Meta:
        ordering = ["version", "year"]
        verbose_name = _("CO2-Preis")
        verbose_name_plural = _("CO2-Preise")
        constraints = [
            models.UniqueConstraint(fields=["version", "year"], name="climate_price_unique_year"),
            models.CheckConstraint(
                condition=models.Q(low__gte=0)
                & models.Q(mid__gte=models.F("low"))
                & models.Q(high__gte=models.F("mid")),
                name="climate_price_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.mid} €/t"

    @property
    def is_band(self) -> bool:
        return self.low != self.high


class EmissionFactor(models.Model):
    """A standard value of the EBeV (one fuel row of one regulation) in one version."""

    version = models.ForeignKey(ReferenceTableVersion, on_delete=models.CASCADE, related_name="factors")
    regulation = models.CharField(_("Verordnung"), max_length=20)  # "EBeV 2030", "EBeV 2022"
    first_year = models.PositiveSmallIntegerField(_("gilt ab Jahr"))
    last_year = models.PositiveSmallIntegerField(_("gilt bis Jahr"))
    nr = models.CharField(_("Nr."), max_length=10)
    fuel_de = models.CharField(_("Brennstoff"), max_length=120)
    fuel_en = models.CharField(_("Brennstoff (englisch)"), max_length=120)
    conversion_text = models.CharField(_("Umrechnungsfaktor (Wortlaut)"), max_length=200, blank=True)
    density_t_per_1000l = models.DecimalField(
        _("Dichte (t/1000 l)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    hi_gj_per_t = models.DecimalField(_("Heizwert Hi (GJ/t)"), max_digits=8, decimal_places=3, null=True, blank=True)
    gj_per_mwh_hs = models.DecimalField(
        _("Umrechnung GJ(Hi) je MWh(Hs)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    ef_t_per_gj = models.DecimalField(_("Emissionsfaktor (t CO2/GJ Hi)"), max_digits=8, decimal_places=5)
    source = models.TextField(_("Quelle"))

    class Meta:
        ordering = ["version", "regulation", "nr"]
        verbose_name = _("Emissionsfaktor")
        verbose_name_plural = _("Emissionsfaktoren")
        constraints = [
            models.UniqueConstraint(fields=["version", "regulation", "nr"], name="climate_factor_unique_row"),
            models.CheckConstraint(condition=models.Q(ef_t_per_gj__gt=0), name="climate_factor_positive"),
        ]

    def __str__(self):
        return f"{self.regulation} Nr. {self.nr} {self.fuel_de}"


class CalculatorUse(models.Model):
    """How often the public calculator computed a result in a month. No personal data."""

    month = models.DateField(_("Monat"), unique=True)  # first day of the month
    count = models.PositiveIntegerField(_("Berechnungen"), default=0)

    class Meta:
        ordering = ["month"]
        verbose_name = _("Rechner-Nutzung")
        verbose_name_plural = _("Rechner-Nutzungen")


class SurveyInvitation(models.Model):
    """A personal survey link, created by staff and mailed to a company contact."""

    organisation = models.ForeignKey("contacts.Organisation", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("E-Mail"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Umfrage-Einladung")
        verbose_name_plural = _("Umfrage-Einladungen")


class SurveySubmission(models.Model):
    """A company's answer to the regional hydrogen-demand survey.

    District and WZ section are copied from the organisation when submitted, so the
    regional picture does not change when the master data changes later. A newer
    submission of the same organisation supersedes the older ones (``is_current``).
    """

    organisation = models.ForeignKey(
        "contacts.Organisation", on_delete=models.CASCADE, related_name="hydrogen_submissions"
    )
    district = models.ForeignKey(
        "contacts.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    wz_section = models.CharField(_("WZ-Abschnitt"), max_length=1, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200)
    contact_email = models.EmailField(_("E-Mail"), db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    natural_gas_kwh = models.DecimalField(_("Erdgas (kWh Hs/Jahr)"), max_digits=16, decimal_places=2, default=0)
    heating_oil_l = models.DecimalField(_("Heizöl EL (l/Jahr)"), max_digits=16, decimal_places=2, default=0)
    switch_year = models.PositiveSmallIntegerField(_("geplantes Umstiegsjahr"))
    switch_share = models.PositiveSmallIntegerField(_("Anteil (%)"))
    h2_demand_t = models.DecimalField(
        _("Wasserstoffbedarf (t/Jahr, Hi-Basis)"), max_digits=14, decimal_places=3, default=0
    )
    can_host = models.BooleanField(_("könnte Erzeugung/Speicher aufnehmen"), default=False)
    needs_connection = models.BooleanField(_("braucht einen Netzanschluss"), default=False)
    note = models.TextField(_("Anmerkung"), blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("eingereicht am"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Wasserstoff-Umfrage: Antwort")
        verbose_name_plural = _("Wasserstoff-Umfrage: Antworten")
        indexes = [
            # covers the regional aggregation: an index-only scan already in GROUP BY order
            models.Index(
                fields=["is_current", "district", "wz_section", "switch_year", "h2_demand_t", "can_host",
                        "needs_connection"],
                name="climate_sub_agg",
            )
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=models.Q(switch_share__gte=1) & models.Q(switch_share__lte=100), name="climate_sub_share"
            ),
            models.CheckConstraint(
                condition=models.Q(natural_gas_kwh__gte=0) & models.Q(heating_oil_l__gte=0),
                name="climate_sub_nonnegative",
            ),
        ]


class PolicyTalk(models.Model):
    date = models.DateField(_("Datum"))
    people = models.TextField(_("Gesprächspartner/-innen"))
    institution = models.CharField(_("Institution"), max_length=200)
    topic = models.CharField(_("Thema"), max_length=300)
    outcome = models.TextField(_("Ergebnis"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Politikgespräch")
        verbose_name_plural = _("Politikgespräche")

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.institution}: {self.topic}"


class Publication(models.Model):
    class Kind(models.TextChoices):
        STUDY = "study", _("Studie")
        POSITION = "position", _("Positionspapier")
        OTHER = "other", _("Sonstige Veröffentlichung")

    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.STUDY)
    published_on = models.DateField(_("veröffentlicht am"))
    authors = models.CharField(_("Autorinnen/Autoren"), max_length=300, blank=True)
    summary = models.TextField(_("Kurzfassung"), blank=True)
    file = models.FileField(_("Datei (PDF)"), upload_to="climate/publications/", blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("Veröffentlichung")
        verbose_name_plural = _("Veröffentlichungen")

    def __str__(self):
        return self.title
