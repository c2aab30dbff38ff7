from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, OrganisationRole, Person
from contacts.picker import OrganisationField, PersonField
from contacts.regions import WZ_SECTIONS, SizeClass
from core.fragments import filter_fields_fragment
from core.organisations import organisation_filters


class OrganisationForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Schlagwörter"), required=False, help_text=_("Durch Kommas getrennt, z. B. Wasserstoff, Ausbildung")
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "legal_form", "street", "postcode", "city", "district", "wz_code", "employees", "size_class",
            "member_number", "energy_intensive", "website", "email", "phone", "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size_class"].help_text = _(
            "Wird aus der Zahl der Beschäftigten bestimmt, wenn diese angegeben ist."
        )
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(tag.name for tag in self.instance.tags.all())

    def clean_tag_names(self):
        names = [name.strip() for name in self.cleaned_data["tag_names"].split(",") if name.strip()]
        if any(len(name) > 60 for name in names):
            raise forms.ValidationError(_("Ein Schlagwort darf höchstens 60 Zeichen lang sein."))
        return names

    def clean_member_number(self):
        number = self.cleaned_data["member_number"].strip()
        if number and Organisation.objects.filter(member_number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Diese Mitgliedsnummer ist schon vergeben."))
        return number


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Suche"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, Ort, PLZ, Mitgliedsnr.")}),
    )
    district = forms.ChoiceField(label=_("Kreis"), required=False)
    section = forms.ChoiceField(
        label=_("Branche (WZ-Abschnitt)"),
        required=False,
        choices=[("", _("alle"))] + [(k, f"{k} – {v}") for k, v in WZ_SECTIONS.items()],
    )
    size_class = forms.ChoiceField(
        label=_("Größe"), required=False, choices=[("", _("alle"))] + list(SizeClass.choices)
    )
    member = forms.ChoiceField(
        label=_("Mitglied"),
        required=False,
        choices=[("", _("alle")), ("yes", _("Mitglied")), ("no", _("kein Mitglied"))],
    )
    energy_intensive = forms.BooleanField(label=_("nur energieintensive"), required=False)
    tag = forms.ChoiceField(label=_("Schlagwort"), required=False)

    def __init__(self, *args, districts=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("alle"))] + [(d.slug, d.name) for d in districts]
        self.fields["tag"].choices = [("", _("alle"))] + [(t, t) for t in tags]
        extra_key = []
        for extra in organisation_filters():  # filters other modules add (core.organisations)
            choices = list(extra.choices())
            self.fields[extra.param] = forms.ChoiceField(
                label=extra.label, required=False, choices=[("", _("alle")), *choices]
            )
            extra_key.append((extra.param, str(extra.label), tuple(choices)))
        # every input of the rendering that may change at run time (the other choices are constants)
        self.choices_key = (tuple((d.slug, d.name) for d in districts), tuple(tags), tuple(extra_key))

    def fields_html(self) -> str:
        """The filter fields as HTML; a valid or empty form is rendered once per process for the same
        choices and chosen values (``core.fragments``), a form with errors each time."""
        key = ("contacts.organisation_filters", self.choices_key)
        return filter_fields_fragment(self, key, "contacts/_organisation_filter_fields.html")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_("Höchstens 5 MB und 20.000 Zeilen; die erste Zeile enthält die Spaltenüberschriften."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        from django.template.defaultfilters import filesizeformat

        from contacts.importing import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist zu groß (höchstens %(max)s). Bitte teilen Sie sie in mehrere Dateien auf."),
                params={"max": filesizeformat(MAX_FILE_BYTES)},
            )
        return upload


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["salutation", "title", "first_name", "last_name", "email", "phone", "language", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class PersonAtOrganisationForm(forms.Form):
    """Add a person to an organisation with a role, in one step."""

    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    kind = forms.ChoiceField(label=_("Funktion"), choices=OrganisationRole.Kind.choices)
    job_title = forms.CharField(label=_("Stellenbezeichnung"), max_length=120, required=False)


class EditorInviteForm(forms.Form):
    """Invite a company editor for an organisation (picked with the one organisation picker)."""

    organisation = OrganisationField(label=_("Organisation"))
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    full_name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Sprache der Einladung"), choices=[("de", "Deutsch"), ("en", "English")])


class MergeChooseForm(forms.Form):
    """Step 1 of a merge, from a record's page: the other record and which of the two stays."""

    KEEP_THIS, KEEP_OTHER = "diesen", "anderen"

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        if isinstance(record, Organisation):
            self.fields["other"] = OrganisationField(label=_("Dublette bzw. andere Organisation"))
        else:
            self.fields["other"] = PersonField(label=_("Dublette bzw. andere Person"))
        self.fields["keep"] = forms.ChoiceField(
            label=_("Welcher Eintrag bleibt?"),
            widget=forms.RadioSelect,
            initial=self.KEEP_THIS,
            choices=[
                (self.KEEP_THIS, _("dieser: %(name)s (Nr. %(id)s)") % {"name": record, "id": record.pk}),
                (self.KEEP_OTHER, _("der andere (die Dublette wird dieser Eintrag)")),
            ],
            help_text=_("Alle Verknüpfungen des anderen Eintrags gehen auf den bleibenden über."),
        )

    def clean(self):
        data = super().clean()
        other = data.get("other")
        if other is not None and other.pk == self.record.pk:
            self.add_error(
                "other",
                _("Ein Eintrag kann nicht mit sich selbst zusammengeführt werden. Bitte wählen Sie die Dublette aus."),
            )
        return data

    def pair(self):
        """(kept, merged) as chosen."""
        other = self.cleaned_data["other"]
        if self.cleaned_data["keep"] == self.KEEP_THIS:
            return self.record, other
        return other, self.record
