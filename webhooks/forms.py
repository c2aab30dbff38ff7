from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import EVENT_TYPES


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=120)
    url = forms.CharField(
        label=_("Adresse (URL)"), max_length=500,
        help_text=_("Die Adresse, an die wir jedes Ereignis per HTTP POST senden, z. B. https://crm.example.de/hooks."),
    )  # fmt: skip
    event_types = forms.MultipleChoiceField(
        label=_("Ereignisse"), choices=EVENT_TYPES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens ein Ereignis aus der Liste."),
                        "invalid_choice": _("Bitte wählen Sie mindestens ein Ereignis aus der Liste.")},
    )  # fmt: skip
    is_active = forms.BooleanField(label=_("aktiv"), required=False, initial=True)
