"""API tokens: a random secret shown once, stored as its SHA-256; scopes per module and read/write."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The modules a token can be scoped to (German labels for the staff page).
MODULES = {
    "contacts": _("Organisationen und Personen"),
    "events": _("Veranstaltungen und Anmeldungen"),
    "advisory": _("Sprechtage und Buchungen"),
    "portal": _("Ausbildungsportal"),
    "newsletter": _("Newsletter"),
    "competition": _("Wettbewerb"),
    "networks": _("Netzwerke"),
    "figures": _("Kennzahlen"),
}
SCOPES = [f"{module}:{access}" for module in MODULES for access in ("read", "write")]
# What a company editor (and their token) may do, as on the pages: read their own company's record,
# read and write their company in the portal. Nothing else.
EDITOR_SCOPES = ("contacts:read", "portal:read", "portal:write")


class ApiToken(models.Model):
    name = models.CharField(_("Bezeichnung"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)  # shown in lists, identifies the token
    key_hash = models.CharField(max_length=64, unique=True, editable=False)  # sha256 hex of the secret
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("angelegt von")
    )
    # set for a company editor's token: it acts only within this organisation
    organisation = models.ForeignKey(
        "contacts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scopes = models.JSONField(_("Berechtigungen"), default=list)
    expires_at = models.DateTimeField(_("gültig bis"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def has_scope(self, module: str, write: bool = False) -> bool:
        return f"{module}:{'write' if write else 'read'}" in self.scopes
