"""The event types an endpoint can subscribe to (emitted through ``core.hooks.emit``)."""

from django.utils.translation import gettext_lazy as _

EVENT_TYPES = [
    ("registration.created", _("Anmeldung zu einer Veranstaltung eingegangen (auch auf die Warteliste)")),
    ("registration.updated", _("Status einer Anmeldung geändert (Platz angeboten, bestätigt, freigegeben)")),
    ("registration.cancelled", _("Anmeldung storniert")),
    ("booking.created", _("Sprechtag-Termin gebucht")),
    ("booking.moved", _("Sprechtag-Termin verschoben")),
    ("booking.cancelled", _("Sprechtag-Termin storniert")),
    ("subscription.confirmed", _("Newsletter-Anmeldung bestätigt")),
    ("subscription.unsubscribed", _("Newsletter abbestellt")),
    ("offer.published", _("Angebot im Industrie-Portal veröffentlicht")),
    ("offer.changed", _("Angebot im Industrie-Portal geändert")),
    ("offer.withdrawn", _("Angebot im Industrie-Portal zurückgezogen")),
]
EVENT_TYPE_NAMES = [name for name, _label in EVENT_TYPES]
