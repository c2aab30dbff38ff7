"""The annual report: a report of a year, its versions, and each version's sections.

A version is either a **draft** (staff edit its sections; figures are computed live from the records)
or **frozen** (its text can no longer change and ``snapshot`` holds every figure it shows, as it was
on the day it was frozen). A report has at most one draft; "new version" copies the latest version's
sections into a new draft. A frozen version can be published (one per report at a time).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    subtitle = models.CharField(_("Untertitel"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("Berichtsjahr"), db_index=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("Jahresbericht")
        verbose_name_plural = _("Jahresberichte")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        FROZEN = "frozen", _("eingefroren")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Version"))
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("zuletzt bearbeitet"), auto_now=True)
    frozen_at = models.DateTimeField(_("eingefroren am"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The figures as they were when frozen (reports.source.FrozenFigures reads them).
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("Berichtsversion")
        verbose_name_plural = _("Berichtsversionen")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_number"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="draft"), name="reports_one_draft_per_report"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="frozen"), name="reports_only_frozen_published"
            ),
        ]

    def __str__(self):
        return f"{self.report.title}, Version {self.number}"

    def get_absolute_url(self):
        return reverse("reports:version_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.FROZEN


class Section(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(
        _("Text"),
        blank=True,
        help_text=_(
            "Absätze durch eine Leerzeile trennen. Kennzahlen als Platzhalter in geschweiften Klammern, "
            "z. B. {advisory.inventor_talks} oder {advisory.talks_funding|rund}."
        ),
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")

    def __str__(self):
        return self.title
