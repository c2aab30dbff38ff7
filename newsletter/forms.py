from django import forms
from django.utils.translation import gettext_lazy as _

from newsletter.models import Issue, Item, NewsletterList
from newsletter.services.issues import ITEM_FIELDS, LIST_FIELDS

LANGUAGES = [("de", "Deutsch"), ("en", "English")]


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    name = forms.CharField(label=_("Name (freiwillig)"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Sprache der E-Mails"), choices=LANGUAGES, initial="de")
    consent = forms.BooleanField(
        label=_("Ich willige ein (Wortlaut oben)."),
        error_messages={"required": _("Ohne Ihre Einwilligung können wir Sie nicht eintragen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].error_messages["invalid"] = _("Bitte geben Sie eine gültige E-Mail-Adresse an.")


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Sprache der E-Mails"), choices=LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class NewsletterListForm(forms.ModelForm):
    class Meta:
        model = NewsletterList
        fields = LIST_FIELDS


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["newsletter_list", "subject", "intro"]


class IssueEditForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "intro"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ITEM_FIELDS
        widgets = {"source": forms.TextInput(attrs={"list": "item-sources"})}


class TestSendForm(forms.Form):
    addresses = forms.CharField(
        label=_("Testadressen"), help_text=_("Bis zu 10 Adressen, durch Komma getrennt."), max_length=2000
    )


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Versand am"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Leer lassen, um die Planung aufzuheben."),
    )  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_("Spalten: E-Mail, Name, Sprache, eingewilligt_am. Höchstens 5 MB und 20.000 Zeilen."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    proof = forms.CharField(
        label=_("Nachweis der Einwilligung"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wann, wie und wo haben diese Personen eingewilligt? z. B. „Anmeldekarten Messe AzuBeYou 11/2020, Ordner 3“."),
    )  # fmt: skip
