import datetime
import re
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from contacts.models import District, Organisation, OrganisationRole
from contacts.validators import validate_german_postcode, validate_phone
from portal.models import ALERT_CONSENT_WORDING, CONSENT_WORDING, CompanyProfile, Occupation, Offer, Sector, Site
from portal.places import Place, place_lookup
from portal.selectors import RADII_KM, OfferFilters, occupation_names, occupation_resolve
from portal.validators import html_clean, html_removes_content, image_clean, validate_web_url

URL_FIELDS = ["website", "linkedin_url", "instagram_url", "facebook_url", "youtube_url"]
LOGO_MAX_SIDE = 600  # pixels; pages show logos at most 160 × 100 CSS pixels


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100,
                        help_text=_("z. B. Mechatroniker Borken"))  # fmt: skip
    ort = forms.CharField(
        label=_("Wohnort oder PLZ"), required=False, max_length=60,
        help_text=_("zeigt die Entfernung, z. B. Coesfeld"),
    )  # fmt: skip
    umkreis = forms.TypedChoiceField(
        label=_("Umkreis"), required=False, coerce=int, empty_value=None,
        choices=[("", _("beliebig"))] + [(radius, f"{radius} km") for radius in RADII_KM],
    )  # fmt: skip
    beruf = forms.ChoiceField(label=_("Ausbildungsberuf"), required=False)
    kreis = forms.ChoiceField(label=_("Kreis"), required=False)
    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle"))] + Offer.Kind.choices)
    jahr = forms.TypedChoiceField(label=_("Beginn im Jahr"), required=False, coerce=int, empty_value=None)
    branche = forms.ChoiceField(label=_("Branche"), required=False, choices=[("", _("alle"))] + Sector.choices)
    sortierung = forms.ChoiceField(
        label=_("Sortierung"), required=False,
        choices=[("relevanz", _("Relevanz")), ("beginn", _("Beginn")), ("entfernung", _("Entfernung"))],
    )  # fmt: skip

    def __init__(self, *args, occupations=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beruf"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in occupations]
        self.fields["kreis"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in districts]
        year = timezone.localdate().year
        self.fields["jahr"].choices = [("", _("alle"))] + [(y, str(y)) for y in range(year, year + 4)]
        self.fields["ort"].widget.attrs.update({"list": "portal-places", "autocomplete": "address-level2"})

    def clean_ort(self) -> Place | None:
        text = self.cleaned_data.get("ort", "").strip()
        if not text:
            return None
        place = place_lookup(text)
        if place is None:
            raise forms.ValidationError(
                _(
                    "„%(text)s“ kennen wir nicht. Bitte wählen Sie einen Ort in Nord-Westfalen aus der Liste "
                    "oder geben Sie eine Postleitzahl ein."
                ),
                params={"text": text},
                code="unknown_place",
            )
        return place

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("umkreis") and not cleaned.get("ort") and "ort" not in self.errors:
            self.add_error("ort", _("Für einen Umkreis geben Sie bitte Ihren Ort oder Ihre PLZ an."))
        return cleaned

    def filters(self) -> OfferFilters:
        """The filters of every valid field (a field with an error is left out, the others still apply)."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        place = data.get("ort")
        return OfferFilters(
            q=data.get("q", ""), occupation=data.get("beruf", ""), district=data.get("kreis", ""),
            kind=data.get("art", ""), year=data.get("jahr"), sector=data.get("branche", ""),
            sort=data.get("sortierung") or ("entfernung" if place else "relevanz"), place=place,
            radius=data.get("umkreis") if place else None,
        )  # fmt: skip


_VALID_FILTERS: dict[tuple, OfferFilters] = {}


def valid_search_filters(data, *, occupations, districts) -> OfferFilters | None:
    """The filters of a search whose form has no error, or None (then the form is needed to show it).

    Parsed once per process for the same parameters, choice lists and year (``OfferFilters`` is
    immutable): the key holds every input of the form's cleaning, so it can never be stale.
    """
    occupations, districts = tuple(occupations), tuple(districts)
    params = tuple((name, tuple(data.getlist(name))) for name in OfferSearchForm.base_fields) if data else None
    key = (params, occupations, districts, timezone.localdate().year)
    filters = _VALID_FILTERS.get(key)
    if filters is None:
        form = OfferSearchForm(data or None, occupations=occupations, districts=districts)
        filters = form.filters()
        if form.errors:
            return None
        if len(_VALID_FILTERS) > 1000:
            _VALID_FILTERS.clear()
        _VALID_FILTERS[key] = filters
    return filters


class CompanySearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100)
    kreis = forms.ChoiceField(label=_("Kreis"), required=False)
    branche = forms.ChoiceField(label=_("Branche"), required=False, choices=[("", _("alle"))] + Sector.choices)
    beruf = forms.ChoiceField(label=_("bildet aus als"), required=False)

    def __init__(self, *args, occupations=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beruf"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in occupations]
        self.fields["kreis"].choices = [("", _("alle"))] + [(slug, name) for _pk, slug, name in districts]


class RichTextarea(forms.Textarea):
    """A textarea that ``portal/editor.js`` turns into the rich-text editor (toolbar rendered here, translated).

    Without JavaScript the textarea stays and takes the few HTML tags the help text names.
    """

    template_name = "portal/widgets/rich_text.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 12, "data-rich-text": "", **(attrs or {})})


class OccupationPicker(forms.Widget):
    """Chosen occupations as chips (checked checkboxes: untick to remove) plus a search field to add one.

    The search field suggests occupations through htmx (``portal:occupation_suggestions``; ``editor.js``
    turns a picked suggestion into a chip). Without JavaScript its ``<datalist>`` offers every name and
    the server resolves what was typed when the form is sent.
    """

    template_name = "portal/widgets/occupation_picker.html"
    use_fieldset = True

    def value_from_datadict(self, data, files, name):
        chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        return {"chosen": list(chosen), "add": data.get(f"{name}_neu", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_neu" not in data

    def format_value(self, value) -> dict:
        if isinstance(value, dict):
            return {"chosen": [str(item) for item in value.get("chosen", [])], "add": value.get("add", "")}
        items = value or []
        return {"chosen": [str(item.pk if isinstance(item, Occupation) else item) for item in items], "add": ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        names = occupation_names()
        chosen = []
        for item in widget["value"]["chosen"]:
            if item.isdigit() and int(item) in names and int(item) not in {pk for pk, _name in chosen}:
                chosen.append((int(item), names[int(item)]))
        widget["chips"] = sorted(chosen, key=lambda chip: chip[1])
        widget["add"] = widget["value"]["add"]
        widget["all_names"] = list(names.values())
        widget["base_id"] = widget["attrs"].get("id") or f"id_{name}"
        widget["suggest_url"] = reverse("portal:occupation_suggestions")
        return context


class OccupationsField(forms.Field):
    """Occupations chosen with :class:`OccupationPicker`; cleaned to a list of occupation ids.

    Names typed into the search field (several separated by ";") are resolved on the server: an
    exact name, or words that match exactly one occupation.
    """

    widget = OccupationPicker

    def clean(self, value):
        value = value if isinstance(value, dict) else {"chosen": value or [], "add": ""}
        names = occupation_names()
        ids = []
        for item in value.get("chosen", []):
            if not (str(item).isdigit() and int(item) in names):
                raise forms.ValidationError(_("Bitte wählen Sie Ausbildungsberufe aus der Liste."), code="invalid")
            if int(item) not in ids:
                ids.append(int(item))
        problems = []
        for text in re.split(r"[;\n]+", value.get("add", "") or ""):
            if not text.strip():
                continue
            pk, candidates = occupation_resolve(text)
            if pk is not None:
                ids.append(pk) if pk not in ids else None
            elif candidates:
                problems.append(
                    _("„%(text)s“ passt zu mehreren Berufen: %(names)s.")
                    % {"text": text.strip(), "names": "; ".join(candidates)}
                )
            else:
                problems.append(_("„%(text)s“ ist kein Ausbildungsberuf der Liste.") % {"text": text.strip()[:100]})
        if problems:
            raise forms.ValidationError(problems, code="unknown_occupation")
        return ids


class ProfileForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG oder WebP, höchstens 5 MB. SVG ist nicht erlaubt.")
    )
    logo_clear = forms.BooleanField(label=_("Logo entfernen"), required=False)
    occupations = OccupationsField(
        label=_("Ausbildungsberufe"), required=False,
        help_text=_("Tippen Sie einen Beruf und wählen Sie ihn aus den Vorschlägen; ein Haken weniger entfernt ihn."),
    )  # fmt: skip

    class Meta:
        model = CompanyProfile
        fields = [
            "name", "short_description", "description", "sector", "employees", "founded_year", "website",
            "linkedin_url", "instagram_url", "facebook_url", "youtube_url", "occupations",
        ]  # fmt: skip
        widgets = {"description": RichTextarea()}
        help_texts = {
            "description": _(
                "Absätze, Fett, Kursiv, Listen, Zwischenüberschriften und Links. Ohne JavaScript: HTML mit "
                '<p>, <strong>, <em>, <ul>/<ol>/<li>, <h3>/<h4> und <a href="https://…">.'
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in URL_FIELDS:
            self.fields[name].validators = [validate_web_url]
            self.fields[name].error_messages["invalid"] = validate_web_url.message
        self.description_was_cleaned = False

    def clean_description(self):
        raw = self.cleaned_data.get("description", "")
        self.description_was_cleaned = html_removes_content(raw)
        return html_clean(raw)

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1500 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Bitte ein Gründungsjahr zwischen 1500 und heute angeben."))
        return year

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        return image_clean(upload, max_side=LOGO_MAX_SIDE) if upload else None


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
                  "apply_email", "apply_url", "contact", "is_active"]  # fmt: skip
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
        self.fields["apply_url"].validators = [validate_web_url]
        self.fields["apply_url"].error_messages["invalid"] = validate_web_url.message

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


class AlertForm(forms.Form):
    """Sign-up for mails about new offers of a search (the search's parameters come as hidden fields)."""

    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"), max_length=254)
    consent = forms.BooleanField(label=ALERT_CONSENT_WORDING, error_messages={
        "required": _("Bitte stimmen Sie zu, damit wir Ihnen neue Angebote schicken dürfen.")})  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("freigeben")), ("reject", _("ablehnen"))])
    note = forms.CharField(label=_("Anmerkung"), required=False, max_length=500)


_OPTION_CACHE: dict[tuple, list[tuple[str, str]]] = {}


# The filters shown at once; the others wait behind "Weitere Filter" (open when one of them is set).
PRIMARY_FILTERS = {"q", "ort", "umkreis"}


@dataclass(frozen=True)
class FilterFields:
    primary: list[dict]
    more: list[dict]

    @property
    def more_open(self) -> bool:
        return any(field["value"] or field["errors"] for field in self.more)


def filter_fields(form) -> FilterFields:
    """The public filter forms as plain data with the <option>s already escaped.

    Rendering 90 options through widget templates (and translating each label) cost more than
    the search query itself; the escaped (value, label) lists are kept per language. A field
    with an error carries it (shown under the field, tied with ``aria-describedby``).
    """
    from django.utils.html import escape, format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    fields = []
    for bound in form:
        raw = bound.value()
        current = "" if raw is None else str(raw)
        entry = {
            "id": bound.id_for_label, "name": bound.html_name, "label": bound.label, "value": current,
            "help": bound.help_text, "errors": bound.errors if form.is_bound else [],
            "list": bound.field.widget.attrs.get("list", ""),
            "autocomplete": bound.field.widget.attrs.get("autocomplete", ""),
        }  # fmt: skip
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
    return FilterFields(
        primary=[field for field in fields if field["name"] in PRIMARY_FILTERS],
        more=[field for field in fields if field["name"] not in PRIMARY_FILTERS],
    )
