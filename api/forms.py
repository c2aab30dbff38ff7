import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import EDITOR_SCOPES, MODULES


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=100, help_text=_("z. B. das System, das das Token nutzt"))
    organisation = forms.TypedChoiceField(label=_("Unternehmen"), coerce=int, required=False)
    scopes = forms.MultipleChoiceField(
        label=_("Berechtigungen"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Lesen und Schreiben je Modul; Schreiben schließt Lesen nicht ein."),
    )  # fmt: skip
    expires_on = forms.DateField(
        label=_("gültig bis"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leer lassen für unbefristet; das Token gilt bis zum Ende dieses Tages."),
    )  # fmt: skip

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (f"{module}:{access}", f"{label} – {_('lesen') if access == 'read' else _('schreiben')}")
            for module, label in MODULES.items()
            for access in ("read", "write")
            if organisations is None or f"{module}:{access}" in EDITOR_SCOPES
        ]
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].required = True
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Vergangenheit."))
        return day

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
