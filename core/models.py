from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One message to one recipient, as rendered; the worker sends it.

    The row is the source of truth: tests, the staff mail log and the retry
    logic all read it. ``message_id`` is fixed at creation so a message that
    is sent again after an unclear failure can be recognised by the receiver.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in Warteschlange")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    to_email = models.EmailField(_("Empfänger"), max_length=254)
    from_email = models.CharField(_("Absender"), max_length=254)
    subject = models.CharField(_("Betreff"), max_length=255)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    template = models.CharField(_("Vorlage"), max_length=120)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    reference = models.CharField(
        _("Bezug"), max_length=120, blank=True, db_index=True, help_text=_("z. B. advisory.booking:12")
    )
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gesendet"), null=True, blank=True)
    # When the worker is due to try (again): creation, then each back-off after a temporary failure.
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    # Secrets in the stored text (a password link) replaced by "[entfernt]" once the mail is sent.
    redact = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="core_mail_status_next_idx"),
        ]

    def __str__(self):
        return f"{self.to_email}: {self.subject}"


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker, for /healthz."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()
    started_at = models.DateTimeField()


class ScheduledJobRun(models.Model):
    """When a recurring job was last enqueued; one row per job name.

    The scheduler updates the row with a conditional UPDATE, so two workers
    never enqueue the same run twice.
    """

    name = models.CharField(max_length=120, unique=True)
    last_run_at = models.DateTimeField()
