import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from contacts.models import District, Organisation, OrganisationRole
from contacts.validators import validate_german_postcode, validate_phone
from portal.models import CONSENT_WORDING, CompanyProfile, Occupation, Offer, Sector, Site
from portal.validators import html_clean, image_clean, validate_web_url

URL_FIELDS = ["website", "linkedin_url", "instagram_url", "facebook_url", "youtube_url"]


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100,
                        help_text=_("z. B. Mechatroniker Borken"))  # fmt: skip
    beruf = forms.ChoiceField(label=_("Ausbildungsberuf"), required=False)
    kreis = forms.ChoiceField(label=_("Kreis"), required=False)
    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle"))] + Offer.Kind.choices)
    jahr = forms.TypedChoiceField(label=_("Beginn im Jahr"), required=False, coerce=int, empty_value=None)
    branche = forms.ChoiceField(label=_("Branche"), required=False, choices=[("", _("alle"))] + Sector.choices)
    sortierung = forms.ChoiceField(
        label=_("Sortierung"), required=False, choices=[("relevanz", _("Relevanz")), ("beginn", _("Beginn"))]
    )

    def __init__(self, *args, occupations=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beruf"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in occupations]
        self.fields["kreis"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in districts]
        year = timezone.localdate().year
        self.fields["jahr"].choices = [("", _("alle"))] + [(y, str(y)) for y in range(year, year + 4)]


class CompanySearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100)
    kreis = forms.ChoiceField(label=_("Kreis"), required=False)
    branche = forms.ChoiceField(label=_("Branche"), required=False, choices=[("", _("alle"))] + Sector.choices)
    beruf = forms.ChoiceField(label=_("bildet aus als"), required=False)

    def __init__(self, *args, occupations=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beruf"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in occupations]
        self.fields["kreis"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in districts]


class ProfileForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG oder WebP, höchstens 5 MB. SVG ist nicht erlaubt.")
    )
    logo_clear = forms.BooleanField(label=_("Logo entfernen"), required=False)
    occupations = forms.ModelMultipleChoiceField(
        label=_("Ausbildungsberufe"), queryset=Occupation.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = CompanyProfile
        fields = [
            "name", "short_description", "description", "sector", "employees", "founded_year", "website",
            "linkedin_url", "instagram_url", "facebook_url", "youtube_url", "occupations",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in URL_FIELDS:
            self.fields[name].validators = [validate_web_url]
            self.fields[name].error_messages["invalid"] = validate_web_url.message
        self.description_was_cleaned = False

    def clean_description(self):
        raw = self.cleaned_data.get("description", "")
        cleaned = html_clean(raw)
        self.description_was_cleaned = cleaned != raw.strip()
        return cleaned

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1500 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Bitte ein Gründungsjahr zwischen 1500 und heute angeben."))
        return year

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        return image_clean(upload) if upload else None


class SiteForm(forms.ModelForm):
    district = forms.ModelChoiceField(label=_("Kreis"), queryset=District.objects.order_by("name"))

    class Meta:
        model = Site
        fields = ["name", "street", "postcode", "city", "district", "is_main"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].validators = [validate_german_postcode]


class OfferForm(forms.ModelForm):
    """Site and contact can only be chosen from the editor's own company; a forged id is "not a valid choice"."""

    class Meta:
        model = Offer
        fields = ["kind", "occupation", "title", "site", "start_date", "places", "requirements", "how_to_apply",
                  "contact", "is_active"]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, profile: CompanyProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = Occupation.objects.order_by("name")
        self.fields["site"].queryset = Site.objects.filter(profile=profile)
        self.fields["contact"].queryset = OrganisationRole.objects.filter(
            organisation_id=profile.organisation_id,
            kind__in=[OrganisationRole.Kind.HR, OrganisationRole.Kind.TRAINING],
            is_active=True,
        ).select_related("person")
        self.fields["contact"].label_from_instance = lambda role: f"{role.person.full_name} ({role.get_kind_display()})"
        self.fields["start_date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields["places"].min_value = 1
        self.fields["places"].widget.attrs["min"] = 1

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if self.instance.pk is None and start < timezone.localdate():
            raise forms.ValidationError(_("Der Beginn liegt in der Vergangenheit."))
        if start > timezone.localdate() + datetime.timedelta(days=4 * 366):
            raise forms.ValidationError(_("Bitte einen Beginn in den nächsten vier Jahren angeben."))
        return start

    def clean_places(self):
        places = self.cleaned_data["places"]
        if not 1 <= places <= 500:
            raise forms.ValidationError(_("Bitte zwischen 1 und 500 Plätze angeben."))
        return places


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Funktion"),
        choices=[(OrganisationRole.Kind.TRAINING, _("Ausbildung")), (OrganisationRole.Kind.HR, _("Personal"))],
    )
    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    job_title = forms.CharField(label=_("Stellenbezeichnung"), max_length=120, required=False)
    email = forms.EmailField(label=_("dienstliche E-Mail"))
    phone = forms.CharField(label=_("dienstliches Telefon"), max_length=30, required=False, validators=[validate_phone])
    consent = forms.BooleanField(
        label=_(
            "Die Person hat schriftlich eingewilligt, im Portal mit Name, Funktion und Kontaktdaten genannt zu werden."
        ),
        required=False,
        help_text=format_lazy(
            _("Wortlaut: „{wording}“ Ohne Einwilligung wird der Kontakt gespeichert, aber nicht veröffentlicht."),
            wording=CONSENT_WORDING,
        ),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto"), help_text=_("PNG, JPEG oder WebP, höchstens 5 MB."))
    alt_text = forms.CharField(label=_("Bildbeschreibung"), max_length=200)

    def clean_image(self):
        return image_clean(self.cleaned_data["image"])


class ProfileCreateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(portal_profile__isnull=True).order_by("name")
    )
    review_required = forms.BooleanField(label=_("Änderungen der Redaktion prüfen"), required=False)


class ProfileSettingsForm(forms.Form):
    is_published = forms.BooleanField(label=_("veröffentlicht"), required=False)
    review_required = forms.BooleanField(
        label=_("Änderungen prüfen"),
        required=False,
        help_text=_("Änderungen der Redaktion erscheinen erst nach Freigabe."),
    )


class EditorInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    language = forms.ChoiceField(label=_("Sprache"), choices=[("de", "Deutsch"), ("en", "English")])


class EventInviteForm(forms.Form):
    """One of the upcoming public events of the events module; ``cleaned_data["event"]`` is the event."""

    event = forms.TypedChoiceField(label=_("Veranstaltung"), coerce=int)
    message = forms.CharField(
        label=_("Nachricht"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Erscheint in der Einladung über dem Link zur Anmeldung."),
    )  # fmt: skip

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.events = {event.pk: event for event in events}
        self.fields["event"].choices = [("", _("– bitte wählen –"))] + [
            (event.pk, f"{event.title} ({date_format(timezone.localtime(event.starts_at), 'd.m.Y')})")
            for event in events
        ]

    def clean_event(self):
        return self.events[self.cleaned_data["event"]]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("freigeben")), ("reject", _("ablehnen"))])
    note = forms.CharField(label=_("Anmerkung"), required=False, max_length=500)


_OPTION_CACHE: dict[tuple, list[tuple[str, str]]] = {}


def filter_fields(form) -> list[dict]:
    """The public filter forms as plain data with the <option>s already escaped.

    Rendering 90 options through widget templates (and translating each label) cost more than
    the search query itself; the escaped (value, label) lists are kept per language.
    """
    from django.utils.html import escape, format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    fields = []
    for bound in form:
        raw = bound.value()
        current = "" if raw is None else str(raw)
        entry = {"id": bound.id_for_label, "name": bound.html_name, "label": bound.label, "value": current}
        choices = getattr(bound.field, "choices", None)
        if choices is not None:
            key = (get_language(), bound.name, tuple(str(value) for value, _label in choices))
            options = _OPTION_CACHE.get(key)
            if options is None:
                options = [(escape(str(value)), escape(str(label))) for value, label in choices]
                if len(_OPTION_CACHE) > 200:
                    _OPTION_CACHE.clear()
                _OPTION_CACHE[key] = options
            selected = escape(current)
            entry["options"] = mark_safe(  # noqa: S308 – every piece is escaped above
                "".join(
                    f'<option value="{value}"{" selected" if value == selected else ""}>{label}</option>'
                    for value, label in options
                )
            )
            entry["value"] = format_html("{}", current)
        fields.append(entry)
    return fields
