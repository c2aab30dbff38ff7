"""Webhook endpoints and their deliveries (see README.md)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(32)


class Endpoint(models.Model):
    name = models.CharField(_("Bezeichnung"), max_length=120)
    url = models.URLField(_("Adresse (URL)"), max_length=500)
    secret = models.CharField(_("Geheimnis"), max_length=80, default=new_secret)
    event_types = models.JSONField(_("Ereignisse"), default=list)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("angelegt von"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("Geheimnis erneuert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook-Endpunkt")
        verbose_name_plural = _("Webhook-Endpunkte")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event for one endpoint. ``event_id`` is the idempotency key (``Webhook-Id``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        DELIVERED = "delivered", _("zugestellt")
        FAILED = "failed", _("fehlgeschlagen")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(_("Ereignis-ID"), default=uuid.uuid4)
    event_type = models.CharField(_("Ereignis"), max_length=60)
    occurred_at = models.DateTimeField(_("Zeitpunkt des Ereignisses"))
    payload = models.JSONField(_("Daten"), default=dict)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    # A worker holds a delivery while it posts; a lease that ran out belonged to a worker that died.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("letzter HTTP-Status"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    delivered_at = models.DateTimeField(_("zugestellt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhooks_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due")]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class Attempt(models.Model):
    """One POST of a delivery. An attempt without ``finished_at`` was cut off (the worker died)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField(_("Nr."))
    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    status_code = models.PositiveIntegerField(_("HTTP-Status"), null=True, blank=True)
    error = models.TextField(_("Fehler"), blank=True)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number}"
