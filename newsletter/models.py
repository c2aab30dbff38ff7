"""Newsletter lists, subscribers, issues with their items, and one delivery row per recipient."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NewsletterList(models.Model):
    """A list people subscribe to, e.g. the industry newsletter."""

    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_public = models.BooleanField(_("öffentlich abonnierbar"), default=True)
    consent_wording = models.TextField(
        _("Wortlaut der Einwilligung"),
        help_text=_("Wird beim Anmelden angezeigt und mit der Einwilligung gespeichert."),
    )
    consent_version = models.CharField(_("Version des Wortlauts"), max_length=40, default="1")
    open_tracking = models.BooleanField(
        _("Öffnungen messen"), default=False, help_text=_("Aus, solange nicht ausdrücklich gewünscht.")
    )
    click_tracking = models.BooleanField(
        _("Klicks messen"), default=False, help_text=_("Aus, solange nicht ausdrücklich gewünscht.")
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Verteiler")
        verbose_name_plural = _("Verteiler")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletter:subscribe", args=[self.slug])


class Subscriber(models.Model):
    """One address on one list. The status is the current state; SubscriptionEvent keeps the history."""

    class Status(models.TextChoices):
        PENDING = "pending", _("unbestätigt")
        ACTIVE = "active", _("aktiv")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet")
        BOUNCED = "bounced", _("unzustellbar")

    newsletter_list = models.ForeignKey(
        NewsletterList, verbose_name=_("Verteiler"), on_delete=models.PROTECT, related_name="subscribers"
    )
    email = models.EmailField(_("E-Mail"))
    name = models.CharField(_("Name"), max_length=150, blank=True)
    language = models.CharField(
        _("Sprache"), max_length=8, default="de", choices=[("de", "Deutsch"), ("en", "English")]
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    # The management token: unsubscribe, preferences and data-export links. It is never put in a
    # confirmation link; the subscriber learns it once confirmed (confirmation redirect, every issue).
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    # Names the pending sign-up in the signed, expiring confirmation link; emptied once used.
    confirm_key = models.CharField(max_length=40, blank=True, editable=False)
    source = models.CharField(_("Quelle"), max_length=200, blank=True)
    # the wording shown at sign-up; becomes the Consent row once confirmed
    consent_wording = models.TextField(blank=True)
    consent_version = models.CharField(max_length=60, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    consent = models.ForeignKey(
        "contacts.Consent", on_delete=models.SET_NULL, null=True, blank=True, related_name="newsletter_subscribers"
    )
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="newsletter_subscriptions"
    )
    created_at = models.DateTimeField(_("angemeldet"))
    confirmation_sent_at = models.DateTimeField(_("Bestätigungsmail gesendet"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("abgemeldet"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("unzustellbar seit"), null=True, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["email"]
        verbose_name = _("Abonnent/-in")
        verbose_name_plural = _("Abonnenten")
        constraints = [models.UniqueConstraint(fields=["newsletter_list", "email"], name="unique_subscriber_email")]
        indexes = [models.Index(fields=["newsletter_list", "status", "id"], name="nl_sub_list_status")]

    def __str__(self):
        return self.email


class SubscriptionEvent(models.Model):
    """What happened to a subscription, when: the figures' time series are counted from these rows.

    Erasing a subscriber keeps the event (without the subscriber) so past counts hold.
    """

    class Kind(models.TextChoices):
        JOIN = "join", _("angemeldet")
        CONFIRM = "confirm", _("bestätigt")
        LEAVE = "leave", _("abgemeldet")
        BOUNCE = "bounce", _("unzustellbar")

    newsletter_list = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="events")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["newsletter_list", "kind", "at"], name="nl_event_list_kind_at")]


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SCHEDULED = "scheduled", _("geplant")
        SENDING = "sending", _("wird versandt")
        SENT = "sent", _("versandt")

    newsletter_list = models.ForeignKey(
        NewsletterList, verbose_name=_("Verteiler"), on_delete=models.PROTECT, related_name="issues"
    )
    number = models.PositiveIntegerField(_("Nummer"))
    subject = models.CharField(_("Betreff"), max_length=200)
    intro = models.TextField(_("Einleitung"), blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("geplant für"), null=True, blank=True)
    send_started_at = models.DateTimeField(_("Versand begonnen"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        constraints = [models.UniqueConstraint(fields=["newsletter_list", "number"], name="unique_issue_number")]

    def __str__(self):
        return f"{self.newsletter_list} Nr. {self.number}: {self.subject}"

    def get_absolute_url(self):
        return reverse("newsletter:issue_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class Item(models.Model):
    """One news item of an issue."""

    SOURCES = ["Industrie-Initiative", "IHK", "Veranstaltungen", "Industrie-Portal", "Förderung", "Energie und Umwelt"]

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    title = models.CharField(_("Titel"), max_length=200)
    teaser = models.CharField(_("Anreißer"), max_length=400, blank=True)
    text = models.TextField(_("Text"), blank=True)
    link = models.URLField(_("Link"), blank=True)
    image = models.ImageField(_("Bild"), upload_to="newsletter/", blank=True)
    image_alt = models.CharField(_("Bildbeschreibung"), max_length=200, blank=True)
    source = models.CharField(_("Quelle"), max_length=80, blank=True, help_text=_("z. B. Industrie-Initiative"))
    origin = models.CharField(max_length=80, blank=True, help_text="e.g. events.event:12")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One issue to one subscriber. The row is the proof of what was sent, and the resume point after a crash.

    ``message_id`` is fixed when the row is queued, so a receiver can recognise a copy
    sent again after an unclear failure.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in Warteschlange")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")
        BOUNCED = "bounced", _("unzustellbar")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    email = models.EmailField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(max_length=200, unique=True)
    claim = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # only filled when the list has tracking switched on (off by default)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="unique_delivery")]
        indexes = [
            models.Index(fields=["issue", "status", "id"], name="nl_delivery_issue_status"),
            models.Index(fields=["claim"], name="nl_delivery_claim"),
        ]


class DeliveryBatch(models.Model):
    """A worker's claim on a batch of deliveries and how far it has sent (``services/sending.py``).

    The worker writes ``sent_upto`` (the highest delivery id whose message is about to be terminated)
    before each final "." of DATA: one small write per message instead of an update of the
    delivery row, whose status follows in bulk when the batch is settled. The row is the fence: a
    resume deletes it, and a worker whose write then matches nothing abandons its messages.
    """

    claim = models.CharField(max_length=40, unique=True)
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField()
    sent_upto = models.BigIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Versandstapel")
        verbose_name_plural = _("Versandstapel")


class SubscriberImport(models.Model):
    """An uploaded list of existing subscribers, checked and shown before anything is written."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Vorschau")
        DONE = "done", _("importiert")
        DISCARDED = "discarded", _("verworfen")

    newsletter_list = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    proof = models.TextField(_("Nachweis der Einwilligung"))
    rows = models.JSONField(default=list)  # [{"line": 2, "data": {...}, "errors": [...], "duplicate": bool}]
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Abonnenten-Import")
        verbose_name_plural = _("Abonnenten-Importe")
