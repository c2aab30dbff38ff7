import datetime

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from advisory import selectors
from advisory.models import (
    DESCRIPTION_MAX_LENGTH,
    Consultation,
    ConsultationDay,
    ConsultationSeries,
    FundingProgramme,
    Topic,
)
from advisory.recurrence import MAX_COUNT, is_last_weekday_of_month, recurrence_dates
from contacts.models import District, Organisation
from contacts.picker import OrganisationField, PersonField, person_label
from contacts.regions import WZ_SECTIONS
from core.fragments import fill_slots, filter_fields_fragment, fragment, slot_marker
from core.roles import Role


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


def _topics():
    return (
        Topic.objects.filter(is_active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    )


class ConsultationForm(forms.Form):
    organisation = OrganisationField(
        label=_("Unternehmen"),
        required=False,
        help_text=_("Name, Ort oder Mitgliedsnummer tippen und aus der Liste wählen; leer lassen bei Privatpersonen."),
    )
    person = PersonField(
        label=_("Gesprächspartner/-in aus dem Unternehmen"),
        required=False,
        help_text=_("Name oder E-Mail tippen: die Personen des gewählten Unternehmens in den Kontakten"),
        error_messages={"invalid_choice": _("Diese Person gehört nicht zum gewählten Unternehmen.")},
    )
    contact_name = forms.CharField(
        label=_("Gesprächspartner/-in"),
        max_length=150,
        required=False,
        help_text=_("wenn die Person nicht in der Liste steht"),
    )
    contact_email = forms.EmailField(
        label=_("E-Mail der Gesprächspartnerin bzw. des Gesprächspartners"),
        required=False,
        help_text=_(
            "optional: verknüpft das Gespräch mit der Person in den Kontakten (bei einem Unternehmen wird sie dort "
            "angelegt, wenn es sie noch nicht gibt)"
        ),
    )
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    channel = forms.ChoiceField(label=_("Weg"), choices=Consultation.Channel.choices, widget=forms.RadioSelect)
    duration_minutes = forms.IntegerField(label=_("Dauer (Minuten)"), min_value=1, max_value=600, initial=30)
    topics = TopicChoiceField(label=_("Themen"), queryset=Topic.objects.none())
    outcome = forms.CharField(
        label=_("Ergebnis"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = forms.DateField(
        label=_("Wiedervorlage"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("besprochene Programme"),
        queryset=FundingProgramme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation: Organisation | None = None, recent: list[str] = (), **kwargs):
        """``organisation``: the talk's company (its people are offered); ``recent``: the adviser's recent
        companies, offered in the picker before anything is typed."""
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = _topics()
        self.fields["programmes"].queryset = FundingProgramme.objects.order_by("short_name")
        self.fields["organisation"].widget.suggestions = list(recent)
        # htmx: the person picker's suggestions are the people of the company typed above
        self.fields["person"].widget.attrs["hx-include"] = f"#{self['organisation'].auto_id}"
        if not self.is_bound:  # any person may be sent; clean_person checks they belong to the company
            self._offer_people(organisation)

    def _offer_people(self, organisation: Organisation | None) -> None:
        people = selectors.organisation_people(organisation) if organisation else []
        if not self.fields["person"].widget.suggestions:  # after an ambiguous entry: its candidates
            self.fields["person"].widget.suggestions = [person_label(p) for p in people]

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if "organisation" not in self.cleaned_data:
            return person  # the company itself is wrong: that error is shown
        organisation = self.cleaned_data["organisation"]
        if person is not None and (organisation is None or not any(
            p.pk == person.pk for p in selectors.organisation_people(organisation)
        )):  # fmt: skip
            raise forms.ValidationError(self.fields["person"].error_messages["invalid_choice"])
        return person

    def clean(self):
        data = super().clean()
        self._offer_people(data.get("organisation"))
        if data.get("person") and (data.get("contact_name") or data.get("contact_email")):
            raise forms.ValidationError(
                _("Bitte wählen Sie entweder eine Person aus der Liste oder tragen Sie Name und E-Mail ein.")
            )
        if not (data.get("organisation") or data.get("person") or data.get("contact_name")) and not self.errors:
            raise forms.ValidationError(_("Bitte geben Sie ein Unternehmen oder eine Person an."))
        follow_up, date = data.get("follow_up_on"), data.get("date")
        if follow_up and date and follow_up < date:
            self.add_error("follow_up_on", _("Die Wiedervorlage liegt vor dem Gespräch."))
        return data


class ConsultationFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=2000, max_value=2100)
    topic = forms.ModelChoiceField(
        label=_("Thema"), queryset=Topic.objects.none(), required=False, empty_label=_("alle")
    )
    adviser = forms.ModelChoiceField(
        label=_("Berater/-in"), queryset=User.objects.none(), required=False, empty_label=_("alle")
    )
    district = forms.ModelChoiceField(
        label=_("Kreis"), queryset=District.objects.all(), required=False, empty_label=_("alle")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.select_related("parent").order_by("parent_id", "position", "name")
        self.fields["adviser"].queryset = User.objects.filter(
            role_assignments__role__in=[Role.STAFF, Role.LEAD]
        ).distinct()

    def fields_html(self) -> str:
        """The filter fields as HTML; a valid or empty form is rendered once per process for the same
        choices and chosen values (``core.fragments``), a form with errors each time. The key reads
        what each option shows from the fields' own querysets (same rows, same order)."""
        choices = (
            tuple(self.fields["topic"].queryset.values_list("pk", "name", "parent__name")),
            tuple(self.fields["adviser"].queryset.values_list("pk", "full_name", "email")),
            tuple(self.fields["district"].queryset.values_list("pk", "name")),
        )
        key = ("advisory.consultation_filters", choices)
        return filter_fields_fragment(self, key, "advisory/_consultation_filter_fields.html")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = FundingProgramme
        fields = [
            "name", "short_name", "slug", "funder", "level", "region", "target_group", "companies_eligible", "applicants",
            "min_employees", "max_employees", "sectors", "funding_rate", "max_rate_percent", "max_amount",
            "max_amount_text", "max_project_budget", "topics", "status", "status_note", "starts_on", "ends_on",
            "url", "sources",
        ]  # fmt: skip
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "sources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = _topics()

    def clean_sectors(self):
        sectors = [s.strip().upper() for s in self.cleaned_data["sectors"].split(",") if s.strip()]
        unknown = [s for s in sectors if s not in WZ_SECTIONS]
        if unknown:
            raise forms.ValidationError(_("Unbekannte WZ-Abschnitte: %(list)s") % {"list": ", ".join(unknown)})
        return ",".join(sectors)


class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Ebene"), required=False, choices=[("", _("alle"))] + FundingProgramme.Level.choices
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"), queryset=Topic.objects.none(), required=False, empty_label=_("alle")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("offene Programme")), ("all", _("alle, auch beendete"))] + FundingProgramme.Status.choices,
    )
    employees = forms.IntegerField(label=_("Beschäftigte Ihres Unternehmens"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = (
            Topic.objects.filter(programmes__isnull=False).distinct().select_related("parent")
        )


class MatcherForm(forms.Form):
    organisation = OrganisationField(label=_("Unternehmen (optional, füllt Größe und Branche)"), required=False)
    employees = forms.IntegerField(label=_("Beschäftigte"), required=False, min_value=0, max_value=1_000_000)
    wz_section = forms.ChoiceField(
        label=_("Branche (WZ-Abschnitt)"), required=False, choices=[("", _("keine Angabe"))] + list(WZ_SECTIONS.items())
    )
    district = forms.ModelChoiceField(
        label=_("Kreis"), queryset=District.objects.all(), required=False, empty_label=_("keine Angabe")
    )
    topics = TopicChoiceField(label=_("Thema des Projekts"), queryset=Topic.objects.none(), required=False)
    budget = forms.DecimalField(
        label=_("Projektbudget (€)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    starts_on = forms.DateField(
        label=_("geplanter Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = _topics()


def _clean_when_and_where(form: forms.Form, data: dict) -> dict:
    """A day's date and time become ``starts_at`` (in the future); it needs a place or an online link."""
    if data.get("date") and data.get("time"):
        starts = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        if starts <= timezone.now():
            form.add_error("date", _("Der Sprechtag muss in der Zukunft liegen."))
        data["starts_at"] = starts
    if not data.get("place") and not data.get("online_url"):
        raise forms.ValidationError(_("Bitte geben Sie einen Ort oder einen Online-Link an."))
    return data


def _experts():
    return User.objects.filter(role_assignments__role=Role.EXPERT).distinct().order_by("full_name")


class DayForm(forms.Form):
    series = forms.ModelChoiceField(label=_("Reihe"), queryset=ConsultationSeries.objects.all())
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(
        label=_("Beginn"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), initial="14:00"
    )
    expert = forms.ModelChoiceField(label=_("Experte/Expertin"), queryset=User.objects.none())
    place = forms.CharField(label=_("Ort"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Online-Link"), required=False, assume_scheme="https")
    format = forms.ChoiceField(
        label=_("Format"), choices=ConsultationDay.Format.choices, widget=forms.RadioSelect, initial="slots"
    )
    slot_minutes = forms.IntegerField(
        label=_("Dauer je Termin bzw. der Gruppe (Minuten)"), min_value=5, max_value=600, initial=30
    )
    slot_count = forms.IntegerField(label=_("Anzahl Termine bzw. Plätze"), min_value=1, max_value=200, initial=3)
    note = forms.CharField(label=_("Hinweis"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = _experts()

    def clean(self):
        return _clean_when_and_where(self, super().clean())


class DayEditForm(forms.Form):
    """Edit or move a whole day; the slots move with it (their number and length stay)."""

    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Beginn"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    expert = forms.ModelChoiceField(label=_("Experte/Expertin"), queryset=User.objects.none())
    place = forms.CharField(label=_("Ort"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Online-Link"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Hinweis"), required=False, max_length=300)
    message = forms.CharField(
        label=_("Nachricht an die Gebuchten und Wartenden"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Geht mit, wenn sich Datum, Uhrzeit, Ort oder Online-Link ändern."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = _experts()

    @classmethod
    def for_day(cls, day: ConsultationDay, data=None):
        starts = timezone.localtime(day.starts_at)
        initial = {
            "date": starts.date(), "time": starts.time(), "expert": day.expert, "place": day.place,
            "online_url": day.online_url, "note": day.note,
        }  # fmt: skip
        return cls(data, initial=initial)

    def clean(self):
        return _clean_when_and_where(self, super().clean())


RHYTHM_CHOICES = [
    ("weekly-1", _("jede Woche")),
    ("weekly-2", _("alle zwei Wochen (jeden zweiten Dienstag usw.)")),
    ("weekly-3", _("alle drei Wochen")),
    ("weekly-4", _("alle vier Wochen")),
    ("monthly", _("monatlich, gleicher Wochentag (z. B. jeder zweite Dienstag im Monat)")),
    ("monthly-last", _("monatlich, letzter dieses Wochentags im Monat")),
]


def _parse_dates(text: str) -> list[datetime.date]:
    dates = []
    for part in text.replace(",", "\n").replace(";", "\n").split():
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                dates.append(datetime.datetime.strptime(part, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("„%(value)s“ ist kein Datum. Bitte schreiben Sie TT.MM.JJJJ, eines je Zeile.") % {"value": part}
            )
    return dates


class DaySeriesForm(DayForm):
    """Several days in one go: the first date, a rhythm and how many (each becomes a normal day)."""

    rhythm = forms.ChoiceField(label=_("Rhythmus"), choices=RHYTHM_CHOICES, initial="weekly-2")
    count = forms.IntegerField(label=_("Anzahl Sprechtage"), min_value=2, max_value=MAX_COUNT, initial=6)
    skip = forms.CharField(
        label=_("Auslassen (z. B. Feiertage)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Daten im Format TT.MM.JJJJ, eines je Zeile; sie zählen nicht mit."),
    )
    field_order = ["series", "date", "time", "rhythm", "count", "skip"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Erster Sprechtag")

    def clean_skip(self):
        return _parse_dates(self.cleaned_data["skip"])

    def clean(self):
        data = super().clean()
        first, rhythm = data.get("date"), data.get("rhythm")
        if first and rhythm == "monthly-last" and not is_last_weekday_of_month(first):
            self.add_error("rhythm", _("Der erste Sprechtag ist nicht der letzte dieses Wochentags im Monat."))
        return data

    def dates(self) -> list[datetime.date]:
        data = self.cleaned_data
        return recurrence_dates(data["date"], data["rhythm"], data["count"], data["skip"])


def slot_choices(slots) -> list[tuple[int, str]]:
    """The slots as the booking form offers them, ``(id, times)``: their times in the current time zone,
    looked up once (``timezone.localtime`` looks it up again for every value, more than half of each
    label's cost)."""
    zone = timezone.get_current_timezone()
    return [
        (slot.pk, f"{slot.starts_at.astimezone(zone):%H:%M}–{slot.ends_at.astimezone(zone):%H:%M}") for slot in slots
    ]


class BookingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    company_name = forms.CharField(label=_("Unternehmen (optional)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Ihr Anliegen in wenigen Sätzen (vertraulich)"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Nur die Expertin bzw. der Experte und das Team der Kammer sehen diesen Text; er wird nach dem Sprechtag gelöscht. Höchstens 2000 Zeichen."
        ),
    )
    consent = forms.BooleanField(
        label=_("Ich willige in die Verarbeitung meiner Angaben zur Durchführung des Sprechtags ein."),
        error_messages={"required": _("Bitte bestätigen Sie die Einwilligung zur Verarbeitung Ihrer Angaben.")},
    )

    TEXT_FIELDS = ("name", "email", "company_name", "description")

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        if slots is not None:
            self._offer(slot_choices(slots))

    def _offer(self, choices: list[tuple]) -> None:
        self.fields = {
            "slot": forms.TypedChoiceField(
                label=_("Termin"),
                coerce=int,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Dieser Termin ist nicht mehr frei. Bitte wählen Sie einen anderen.")
                },
            ),
            **self.fields,
        }

    @classmethod
    def html(cls, *, prefix: str, slots=None, form: "BookingForm | None" = None) -> SafeString:
        """The form as ``includes/form.html`` renders it: empty, or ``form`` with the visitor's input
        and its errors (a slot taken in between, a missing consent …).

        Django's widget templates cost milliseconds, but the markup depends on few things: the
        prefix, how many slots are offered and which of them is chosen, each field's errors, whether
        consent is ticked and which text fields are filled (plus the language, added by
        ``core.fragments``). That shape is the key: it is rendered once per process through the real
        form and widgets, with markers where the values go (each slot's id and times, the text the
        visitor typed), and the values are put in on every call, escaped as the template escapes
        them, in one pass (so a visitor's text is never searched for markers)."""
        offered = None if slots is None else [(str(pk), label) for pk, label in slot_choices(slots)]
        values = {}
        data = None
        chosen = errors = None
        if offered is not None:
            for i, (pk, label) in enumerate(offered):
                values[f"s{i}v"], values[f"s{i}l"] = pk, label
        if form is not None:
            data = {}
            if offered is not None:
                raw = form["slot"].value() if "slot" in form.fields else None
                chosen = next((i for i, (pk, _label) in enumerate(offered) if pk == str(raw)), None)
                if chosen is not None:
                    data[f"{prefix}-slot"] = slot_marker(f"s{chosen}v")
            for name in cls.TEXT_FIELDS:
                value = form[name].value()
                if value not in (None, ""):
                    values[name] = value
                    data[f"{prefix}-{name}"] = slot_marker(name)
            if form["consent"].value():
                data[f"{prefix}-consent"] = "on"
            errors = tuple((name, tuple(str(error) for error in errs)) for name, errs in form.errors.items())
        key = (
            "advisory.booking_form", prefix, None if offered is None else len(offered), chosen, errors,
            None if data is None else tuple(sorted(data)),
        )  # fmt: skip

        def render():
            shaped = cls(data, prefix=prefix)
            if offered is not None:
                shaped._offer([(slot_marker(f"s{i}v"), slot_marker(f"s{i}l")) for i in range(len(offered))])
            if form is not None:
                shaped._errors = form.errors
            return render_to_string("includes/form.html", {"form": shaped})

        return fill_slots(fragment(key, render), values)


class MoveForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("neuer Termin"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (s.pk, f"{timezone.localtime(s.starts_at):%d.%m.%Y %H:%M} – {s.day.place or _('online')}") for s in slots
        ]
