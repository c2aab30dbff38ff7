"""Industry networks, the industry initiative, acquisition and outreach campaigns.

Organisations and people are the CRM's (``contacts``); meetings and initiative events are events of
the events module, stored here as event ids and read through ``events.selectors`` (no foreign key
into another feature module). Occupations presented in a campaign post are the portal's, stored by
slug and name.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The events module's vocabulary, as stored in its rows (networks reads events only through events.selectors).
EVENT_KIND_NETWORK_MEETING = "network_meeting"
EVENT_KIND_MEET_THE_BOSS = "meet_the_boss"
EVENT_KIND_FAIR_STAND = "fair_stand"
EVENT_HELD = "held"
EVENT_CANCELLED = "cancelled"
EVENT_DRAFT = "draft"
MEETING_MODES = [("in_person", _("vor Ort")), ("online", _("online")), ("hybrid", _("hybrid"))]


class Network(models.Model):
    """An industry network (Industrieverbund): companies of a region that meet regularly."""

    class State(models.TextChoices):
        FOUNDING = "founding", _("in Gründung")
        ACTIVE = "active", _("aktiv")
        DORMANT = "dormant", _("ruhend")
        CLOSED = "closed", _("aufgelöst")

    name = models.CharField(_("Name"), max_length=150, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=160, unique=True)
    region = models.CharField(_("Region"), max_length=120, blank=True)
    topic = models.CharField(_("Thema"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.FOUNDING)
    state_since = models.DateField(_("Status seit"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("zuständig"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="networks_responsible",
    )  # fmt: skip
    next_step = models.CharField(_("Nächster Schritt"), max_length=300, blank=True)
    next_step_due = models.DateField(_("fällig am"), null=True, blank=True)
    # set by the daily job when an active network has not met for twelve months; cleared when it meets
    dormant_flagged_on = models.DateField(_("seit 12 Monaten ohne Treffen (markiert am)"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Industrieverbund")
        verbose_name_plural = _("Industrieverbünde")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:network_detail", args=[self.pk])


class StateChange(models.Model):
    """One entry of a network's state history: when, from what to what, and why."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="state_changes")
    previous_state = models.CharField(_("vorher"), max_length=10, choices=Network.State.choices, blank=True)
    state = models.CharField(_("Status"), max_length=10, choices=Network.State.choices)
    changed_on = models.DateField(_("Datum"))
    reason = models.CharField(_("Grund"), max_length=500)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel")
        indexes = [models.Index(fields=["changed_on", "state"], name="networks_state_change_on")]

    @property
    def is_reactivation(self) -> bool:
        return self.previous_state == Network.State.DORMANT and self.state in (
            Network.State.FOUNDING,
            Network.State.ACTIVE,
        )


class NetworkMembership(models.Model):
    """An organisation in a network, with its role and contact persons."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        SPOKESPERSON = "spokesperson", _("Sprecher/-in")
        PARTNER = "partner", _("Partner")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "contacts.Organisation", verbose_name=_("Organisation"), on_delete=models.CASCADE,
        related_name="network_memberships",
    )  # fmt: skip
    role = models.CharField(_("Rolle"), max_length=14, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("Mitglied seit"))
    left_on = models.DateField(_("ausgetreten am"), null=True, blank=True)
    contact_persons = models.ManyToManyField(
        "contacts.Person", verbose_name=_("Ansprechpersonen"), blank=True, related_name="network_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("Mitgliedschaft im Industrieverbund")
        verbose_name_plural = _("Mitgliedschaften in Industrieverbünden")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(left_on__isnull=True),
                name="networks_one_active_membership",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="networks_membership_period"
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()


class NetworkMeeting(models.Model):
    """A meeting of a network: an event of the events module, by id."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    event_id = models.PositiveBigIntegerField(_("Veranstaltung"), db_index=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Treffen")
        verbose_name_plural = _("Treffen")
        constraints = [models.UniqueConstraint(fields=["network", "event_id"], name="networks_meeting_once")]


class UniversityPartnership(models.Model):
    """A partner university of the initiative (its students meet the bosses at Meet-the-Boss)."""

    organisation = models.OneToOneField(
        "contacts.Organisation", verbose_name=_("Hochschule"), on_delete=models.CASCADE,
        related_name="university_partnership",
    )  # fmt: skip
    since = models.DateField(_("Partner seit"))
    until = models.DateField(_("Partner bis"), null=True, blank=True)
    notes = models.CharField(_("Notiz"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Partnerhochschule")
        verbose_name_plural = _("Partnerhochschulen")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="networks_partnership_period"
            )
        ]


class Support(models.Model):
    """A member or sponsor of the industry initiative in one year: level, contribution and period."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        SPONSOR = "sponsor", _("Förderer")

    class Level(models.TextChoices):
        BASIC = "basic", _("Basis")
        SILVER = "silver", _("Silber")
        GOLD = "gold", _("Gold")
        PLATINUM = "platinum", _("Platin")

    organisation = models.ForeignKey(
        "contacts.Organisation", verbose_name=_("Organisation"), on_delete=models.CASCADE,
        related_name="initiative_supports",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("Jahr"))
    kind = models.CharField(_("Art"), max_length=8, choices=Kind.choices, default=Kind.MEMBER)
    level = models.CharField(_("Stufe"), max_length=10, choices=Level.choices, default=Level.BASIC)
    contribution = models.DecimalField(_("Beitrag (€)"), max_digits=10, decimal_places=2, default=0)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    contact_persons = models.ManyToManyField(
        "contacts.Person", verbose_name=_("Ansprechpersonen"), blank=True, related_name="initiative_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("Mitgliedschaft in der Industrie-Initiative")
        verbose_name_plural = _("Mitgliedschaften in der Industrie-Initiative")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="networks_support_once_a_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="networks_support_period"),
        ]


class Logo(models.Model):
    """An organisation's logo for the supporters page and the one-pager, and whether it may be shown."""

    organisation = models.OneToOneField("contacts.Organisation", on_delete=models.CASCADE, related_name="networks_logo")
    image = models.ImageField(_("Logo"), upload_to="networks/logos/")
    public = models.BooleanField(_("darf öffentlich gezeigt werden"), default=False)
    consent_wording = models.TextField(_("Wortlaut der Zustimmung"), blank=True)
    consent_source = models.CharField(_("Nachweis der Zustimmung"), max_length=300, blank=True)
    consent_at = models.DateTimeField(_("Zustimmung erfasst am"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Logo")
        verbose_name_plural = _("Logos")


class InitiativeEvent(models.Model):
    """An event of the initiative (Meet-the-Boss, Social Day …), by id of the events module."""

    event_id = models.PositiveBigIntegerField(_("Veranstaltung"), unique=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Veranstaltung der Initiative")
        verbose_name_plural = _("Veranstaltungen der Initiative")


class Prospect(models.Model):
    """A company the department wants to win for a network (or, without network, for the initiative)."""

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("identifiziert")
        CONTACTED = "contacted", _("kontaktiert")
        INTERESTED = "interested", _("interessiert")
        JOINED = "joined", _("beigetreten")
        DECLINED = "declined", _("abgesagt")

    network = models.ForeignKey(
        Network, verbose_name=_("Industrieverbund"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="prospects", help_text=_("Leer: für die Industrie-Initiative."),
    )  # fmt: skip
    organisation = models.ForeignKey(
        "contacts.Organisation", verbose_name=_("Unternehmen"), on_delete=models.CASCADE,
        related_name="network_prospects",
    )  # fmt: skip
    contact_name = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    stage = models.CharField(_("Phase"), max_length=10, choices=Stage.choices, default=Stage.IDENTIFIED)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("zuständig"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="network_prospects",
    )  # fmt: skip
    next_step = models.CharField(_("Nächster Schritt"), max_length=300, blank=True)
    next_step_due = models.DateField(_("fällig am"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    notes = models.TextField(_("Notizen"), blank=True)
    # what joining created (ended again if the prospect is moved back)
    membership = models.ForeignKey(
        NetworkMembership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    support = models.ForeignKey("Support", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("aufgenommen"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    CLOSED = (Stage.JOINED, Stage.DECLINED)
    ORDER = {
        Stage.IDENTIFIED: 0, Stage.CONTACTED: 1, Stage.INTERESTED: 2, Stage.JOINED: 3, Stage.DECLINED: 3,
    }  # fmt: skip

    class Meta:
        ordering = ["next_step_due", "organisation__name", "id"]
        verbose_name = _("Akquise-Kontakt")
        verbose_name_plural = _("Akquise-Kontakte")
        indexes = [models.Index(fields=["responsible", "stage", "next_step_due"], name="networks_prospect_due")]

    def __str__(self):
        return f"{self.organisation} → {self.target_name}"

    def get_absolute_url(self):
        return reverse("networks:prospect_detail", args=[self.pk])

    @property
    def target_name(self) -> str:
        return self.network.name if self.network_id else str(_("Industrie-Initiative"))

    @property
    def is_open(self) -> bool:
        return self.stage not in self.CLOSED


class ProspectActivity(models.Model):
    """What happened with a prospect: taken up, moved to another stage, one-pager sent."""

    class Kind(models.TextChoices):
        CREATED = "created", _("aufgenommen")
        MOVED = "moved", _("Phase geändert")
        ONEPAGER = "onepager", _("One-Pager gesendet")

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_stage = models.CharField(max_length=10, choices=Prospect.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=10, choices=Prospect.Stage.choices, blank=True)
    reason = models.CharField(_("Begründung"), max_length=500, blank=True)
    recipient = models.EmailField(_("Empfänger"), blank=True)
    mail = models.ForeignKey("core.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "to_stage", "at"], name="networks_activity_kind_at")]


# --- outreach campaigns ---------------------------------------------------------------------------------------------


class Channel(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", _("anderer Kanal")


class Campaign(models.Model):
    """An outreach campaign, e.g. "Azubimojis meets Industrie-Initiative" on the chamber's Instagram channel."""

    name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(_("Kürzel"), max_length=160, unique=True)
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices, default=Channel.INSTAGRAM)
    partner = models.CharField(_("Partner"), max_length=200, blank=True, help_text=_("z. B. Geschäftsbereich Bildung"))
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("Kampagne")
        verbose_name_plural = _("Kampagnen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="networks_campaign_period"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:campaign_detail", args=[self.pk])


class Post(models.Model):
    """One post of a campaign: who presented which occupation of which company, where, and its reach."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("von Hand")
        IMPORT = "import", _("Import")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="posts")
    published_on = models.DateField(_("Datum"))
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices)
    author_name = models.CharField(_("Autor/-in"), max_length=150, blank=True, help_text=_("z. B. die Auszubildende"))
    author_role = models.CharField(_("Funktion"), max_length=120, blank=True, help_text=_("z. B. Auszubildende/r"))
    author_email = models.EmailField(_("E-Mail der Autorin/des Autors"), blank=True)
    organisation = models.ForeignKey(
        "contacts.Organisation", verbose_name=_("Unternehmen"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="campaign_posts",
    )  # fmt: skip
    occupation_slug = models.CharField(_("Beruf"), max_length=120, blank=True)
    occupation_name = models.CharField(_("Beruf (Bezeichnung)"), max_length=200, blank=True)
    link = models.URLField(_("Link"), max_length=500)
    caption = models.CharField(_("Titel"), max_length=300, blank=True)
    reach = models.PositiveIntegerField(_("Reichweite"), null=True, blank=True)
    interactions = models.PositiveIntegerField(_("Interaktionen"), null=True, blank=True)
    metrics_source = models.CharField(max_length=8, choices=Source.choices, blank=True)
    metrics_updated_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["published_on", "id"]
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        constraints = [models.UniqueConstraint(fields=["campaign", "link"], name="networks_post_link_once")]


class PostImport(models.Model):
    """An uploaded channel export, checked and shown as a preview; applied only on confirmation."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Vorschau")
        DONE = "done", _("übernommen")
        DISCARDED = "discarded", _("verworfen")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    # [{"line": 2, "status": "new"|"update"|"error", "data": {...}, "errors": [...], "post_id": …}]
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Import von Reichweiten")
        verbose_name_plural = _("Importe von Reichweiten")


class FairStand(models.Model):
    """A stand at a fair (AzuBeYou) where leads are collected; the fair itself may be an event."""

    name = models.CharField(_("Name"), max_length=200)
    held_on = models.DateField(_("Datum"))
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    event_id = models.PositiveBigIntegerField(_("Veranstaltung"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "name"]
        verbose_name = _("Messestand")
        verbose_name_plural = _("Messestände")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:stand_detail", args=[self.pk])


class Lead(models.Model):
    """A person met at a stand: name, interest, and what they consented to."""

    stand = models.ForeignKey(FairStand, on_delete=models.CASCADE, related_name="leads")
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), blank=True)
    interest = models.CharField(_("Interesse"), max_length=300, blank=True)
    occupation_slug = models.CharField(_("Beruf"), max_length=120, blank=True)
    occupation_name = models.CharField(_("Beruf (Bezeichnung)"), max_length=200, blank=True)
    consent_contact = models.BooleanField(_("Einwilligung: Kontakt durch die IHK"), default=False)
    consent_newsletter = models.BooleanField(_("Einwilligung: Newsletter"), default=False)
    consent_wording = models.TextField(_("Wortlaut der Einwilligung"), blank=True)
    newsletter_list_slug = models.CharField(max_length=60, blank=True)
    newsletter_signup_at = models.DateTimeField(_("zum Newsletter angemeldet"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("erfasst"), default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Kontakt vom Messestand")
        verbose_name_plural = _("Kontakte vom Messestand")
