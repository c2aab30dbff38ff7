import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from climate.calculator import FUELS, UNITS
from climate.models import CO2Price, EmissionFactor, PolicyTalk, Publication, ReferenceTableVersion
from climate.parsing import parse_decimal
from climate.reference import read_becv
from contacts.models import District
from contacts.picker import OrganisationField
from contacts.regions import WZ_SECTIONS

BECV = read_becv()
PRICE_UNITS = {"kwh_hs": "€/kWh", "l": "€/l", "kg": "€/kg", "t": "€/t"}
CALCULATOR_PARAMS = {"berechnen", "format"}  # the submit button; CSV or XLSX


class DecimalTextField(forms.CharField):
    """A text input that takes German ("1.234,5") and plain ("1234.5") numbers."""

    def __init__(self, *args, maximum: Decimal | None = None, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        value = super().to_python(value)
        if self.maximum is not None:
            return parse_decimal(value, maximum=self.maximum)
        return parse_decimal(value)


def _fuel_label(fuel) -> str:
    return f"{fuel.label(get_language() or 'de')} ({UNITS[fuel.unit]})"


class CalculatorForm(forms.Form):
    """Quantities per fuel (and optional net prices); GET, so results can be linked, downloaded and printed."""

    def __init__(self, *args, fuels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fuel_keys = list(fuels or FUELS)
        for key in self.fuel_keys:
            fuel = FUELS[key]
            self.fields[key] = DecimalTextField(label=_fuel_label(fuel), help_text=fuel.note(get_language() or "de"))
            self.fields[f"{key}_preis"] = DecimalTextField(
                label=_("Nettopreis %(fuel)s (%(unit)s, optional)")
                % {"fuel": fuel.label(get_language() or "de"), "unit": PRICE_UNITS[fuel.unit]},
                maximum=Decimal(100000),
            )

    def quantity_fields(self):
        return [self[key] for key in self.fuel_keys]

    def price_fields(self):
        return [self[f"{key}_preis"] for key in self.fuel_keys]

    def clean(self):
        data = super().clean()
        unknown = sorted(set(self.data) - set(self.fields) - CALCULATOR_PARAMS)
        if unknown:
            raise ValidationError(
                _("Unbekannte Angabe: %(names)s. Bitte wählen Sie einen Brennstoff aus der Liste.")
                % {"names": ", ".join(name[:30] for name in unknown[:5])}
            )
        if not self.errors and not any(data.get(key) for key in self.fuel_keys):
            raise ValidationError(_("Bitte geben Sie mindestens eine Verbrauchsmenge größer als null ein."))
        return data

    def quantities(self) -> dict[str, Decimal]:
        return {key: self.cleaned_data[key] for key in self.fuel_keys if self.cleaned_data.get(key)}

    def net_prices(self) -> dict[str, Decimal]:
        return {
            key: self.cleaned_data[f"{key}_preis"]
            for key in self.fuel_keys
            if self.cleaned_data.get(key) and self.cleaned_data.get(f"{key}_preis") is not None
        }


RELIEF_FUELS = ["natural_gas", "heating_oil", "heavy_fuel_oil", "lpg_kg", "hard_coal", "lignite_briquettes", "coke"]


class ReliefForm(CalculatorForm):
    year = forms.TypedChoiceField(
        label=_("Abrechnungsjahr"), coerce=int, choices=[(y, y) for y in BECV["years"]], initial=2025
    )
    level = forms.TypedChoiceField(
        label=_("Kompensationsgrad Ihres Sektors (Spalte 4 der BECV-Anlage)"),
        coerce=Decimal,
        choices=[(p, f"{p} %") for p in BECV["compensation_levels_percent"]],
        initial=65,
    )
    deductible = forms.TypedChoiceField(
        label=_("Selbstbehalt"),
        coerce=Decimal,
        initial=150,
        help_text=_(
            "§ 9 Abs. 6 BECV: Unter 10 GWh fossilem Brennstoffeinsatz sinkt der Selbstbehalt stufenweise auf "
            "130, 110, 90, 70 oder 50 t; die Stufengrenzen prüfen Sie bitte im Verordnungstext."
        ),
    )
    intensity_ok = forms.BooleanField(
        label=_("Unsere Emissionsintensität liegt über dem Schwellenwert (ab 2023 nötig, sonst 60 %)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, fuels=RELIEF_FUELS, **kwargs)
        for key in RELIEF_FUELS:
            del self.fields[f"{key}_preis"]
        # Labels with a number are built per form, in the language of the request.
        self.fields["deductible"].choices = [
            (BECV["deductible_t"], _("%(t)s t (ab 10 GWh fossilem Brennstoffeinsatz)") % {"t": BECV["deductible_t"]}),
            *((t, _("%(t)s t (unter 10 GWh, gestaffelt)") % {"t": t}) for t in BECV["reduced_deductibles_t"]),
        ]


class HydrogenForm(forms.Form):
    natural_gas = DecimalTextField(label=_("Erdgas, das ersetzt werden soll (kWh Hs/Jahr, wie abgerechnet)"))
    heating_oil = DecimalTextField(label=_("Heizöl EL, das ersetzt werden soll (Liter/Jahr)"))
    basis = forms.ChoiceField(
        label=_("Umrechnungsbasis"),
        choices=[
            ("lhv", _("Heizwert Hi (Brenner ohne Brennwertnutzung, Öfen; industrieüblich)")),
            ("hhv", _("Brennwert Hs (Brennwertgeräte)")),
        ],
        initial="lhv",
        widget=forms.RadioSelect,
    )
    h2_price = DecimalTextField(label=_("Wasserstoffpreis (€/kg, netto)"), maximum=Decimal(1000))
    gas_price = DecimalTextField(label=_("Ihr Erdgaspreis (€/kWh, netto, optional)"), maximum=Decimal(100))
    oil_price = DecimalTextField(label=_("Ihr Heizölpreis (€/l, netto, optional)"), maximum=Decimal(100))

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("natural_gas") or data.get("heating_oil")):
            raise ValidationError(_("Bitte geben Sie eine Menge Erdgas oder Heizöl größer als null ein."))
        return data


def _switch_years():
    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year, 2051)]


class SurveyForm(forms.Form):
    contact_name = forms.CharField(label=_("Ihr Name"), max_length=200)
    contact_email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))
    natural_gas_kwh = DecimalTextField(label=_("Erdgasverbrauch heute (kWh Hs/Jahr)"))
    heating_oil_l = DecimalTextField(label=_("Heizölverbrauch heute (Liter/Jahr)"))
    switch_year = forms.TypedChoiceField(label=_("Ab welchem Jahr möchten Sie Wasserstoff nutzen?"), coerce=int)
    switch_share = forms.IntegerField(
        label=_("Welchen Anteil davon möchten Sie ersetzen (%)?"), min_value=1, max_value=100, initial=50
    )
    can_host = forms.BooleanField(
        label=_("Wir könnten auf unserem Gelände Erzeugung oder Speicher aufnehmen"), required=False
    )
    needs_connection = forms.BooleanField(
        label=_("Wir brauchen einen Anschluss an ein Wasserstoffnetz"), required=False
    )
    note = forms.CharField(label=_("Anmerkung (optional)"), required=False, widget=forms.Textarea, max_length=2000)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["switch_year"].choices = _switch_years()
        if organisations is not None and len(organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Unternehmen"), coerce=int, choices=[(o.pk, o.name) for o in organisations]
            )
            self.order_fields(["organisation"])

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("natural_gas_kwh") or data.get("heating_oil_l")):
            raise ValidationError(_("Bitte geben Sie Ihren heutigen Erdgas- oder Heizölverbrauch an."))
        return data


class SurveyInviteForm(forms.Form):
    organisation = OrganisationField(label=_("Unternehmen"))
    email = forms.EmailField(label=_("E-Mail-Adresse der Ansprechperson"))
    name = forms.CharField(label=_("Name der Ansprechperson"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Sprache"), choices=[("de", "Deutsch"), ("en", "English")])


class SurveyFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("Kreis"), queryset=District.objects.order_by("name"), required=False, empty_label=_("alle")
    )
    section = forms.ChoiceField(
        label=_("WZ-Abschnitt"), required=False, choices=[("", _("alle")), *sorted(WZ_SECTIONS.items())]
    )

    def filters(self) -> dict:
        """``district_id`` and ``section`` for the selectors; an invalid value filters nothing."""
        self.is_valid()  # fills cleaned_data with the fields that are valid (none when unbound)
        data = getattr(self, "cleaned_data", {})
        district = data.get("district")
        return {"district_id": district.pk if district else None, "section": data.get("section") or ""}


class NewVersionForm(forms.Form):
    label = forms.CharField(label=_("Bezeichnung der neuen Version"), max_length=120)
    valid_from = forms.DateField(label=_("gültig ab"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Was hat sich geändert und warum?"), widget=forms.Textarea)

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if ReferenceTableVersion.objects.filter(label=label).exists():
            raise ValidationError(_("Eine Version mit dieser Bezeichnung gibt es schon."))
        return label


class PriceForm(NewVersionForm):
    year = forms.IntegerField(label=_("Jahr"), min_value=2021, max_value=2100)
    kind = forms.ChoiceField(label=_("Art"), choices=CO2Price.Kind.choices)
    low = DecimalTextField(label=_("niedrig (€/t)"), required=True, maximum=Decimal(10000))
    mid = DecimalTextField(label=_("mittel (€/t)"), required=True, maximum=Decimal(10000))
    high = DecimalTextField(label=_("hoch (€/t)"), required=True, maximum=Decimal(10000))
    legal_basis = forms.CharField(label=_("Rechtsgrundlage"), widget=forms.Textarea)
    status = forms.CharField(label=_("Stand / Bestätigung"), max_length=300, required=False)
    source = forms.CharField(label=_("Quelle"), widget=forms.Textarea, required=False)

    field_order = [
        "year",
        "kind",
        "low",
        "mid",
        "high",
        "legal_basis",
        "status",
        "source",
        "label",
        "valid_from",
        "note",
    ]

    @staticmethod
    def initial_for(price: CO2Price | None, *, valid_from: datetime.date) -> dict:
        """The form filled with a year's current price (to change it), or empty (to add a year)."""
        initial = {"valid_from": valid_from}
        if price is not None:
            initial.update(year=price.year, kind=price.kind, low=price.low, mid=price.mid, high=price.high,
                           legal_basis=price.legal_basis, status=price.status, source=price.source)  # fmt: skip
        return initial

    def clean(self):
        data = super().clean()
        low, mid, high = data.get("low"), data.get("mid"), data.get("high")
        if None not in (low, mid, high) and not (low <= mid <= high):
            raise ValidationError(_("Es muss gelten: niedrig ≤ mittel ≤ hoch."))
        return data


class FactorForm(NewVersionForm):
    factor = forms.IntegerField(label=_("Zeile"), widget=forms.Select)
    ef_t_per_gj = DecimalTextField(label=_("Emissionsfaktor (t CO2/GJ Hi)"), required=True, maximum=Decimal(1))
    hi_gj_per_t = DecimalTextField(label=_("Heizwert Hi (GJ/t), falls angegeben"), maximum=Decimal(1000))
    density_t_per_1000l = DecimalTextField(label=_("Dichte (t/1000 l), falls angegeben"), maximum=Decimal(10))
    source = forms.CharField(label=_("Quelle"), widget=forms.Textarea)

    field_order = [
        "factor",
        "ef_t_per_gj",
        "hi_gj_per_t",
        "density_t_per_1000l",
        "source",
        "label",
        "valid_from",
        "note",
    ]

    def __init__(self, *args, factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor"].widget.choices = [(f.pk, f"{f.regulation} Nr. {f.nr} – {f.fuel_de}") for f in factors]
        self.factor_ids = {f.pk for f in factors}

    @staticmethod
    def initial_for(factor: EmissionFactor | None, *, valid_from: datetime.date) -> dict:
        """The form filled with a row's current values, or only the date when no row was chosen."""
        initial = {"valid_from": valid_from}
        if factor is not None:
            initial.update(factor=factor.pk, ef_t_per_gj=factor.ef_t_per_gj, hi_gj_per_t=factor.hi_gj_per_t,
                           density_t_per_1000l=factor.density_t_per_1000l, source=factor.source)  # fmt: skip
        return initial

    def clean_factor(self):
        value = self.cleaned_data["factor"]
        if value not in self.factor_ids:
            raise ValidationError(_("Bitte wählen Sie eine Zeile der aktuellen Version."))
        return value

    def clean_ef_t_per_gj(self):
        value = self.cleaned_data["ef_t_per_gj"]
        if value is not None and value <= 0:
            raise ValidationError(_("Der Emissionsfaktor muss größer als null sein."))
        return value


class PolicyTalkForm(forms.ModelForm):
    class Meta:
        model = PolicyTalk
        fields = ["date", "institution", "people", "topic", "outcome"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["title", "kind", "published_on", "authors", "summary", "file", "is_public"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            if not upload.name.lower().endswith(".pdf"):
                raise ValidationError(_("Bitte laden Sie eine PDF-Datei hoch."))
            if upload.size > 20 * 1024 * 1024:
                raise ValidationError(_("Die Datei ist größer als 20 MB."))
        return upload


def default_valid_from() -> datetime.date:
    return timezone.localdate()
