from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from events.models import OCCUPATION_FIELDS, SECTORS, Audience, Event, Question, Topic
from events.services import MAX_ANSWER_LENGTH, RegistrationInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CalendarFilterForm(forms.Form):
    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle"))] + list(Event.Kind.choices))
    thema = forms.ChoiceField(label=_("Thema"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", _("alle"))] + list(Event.Mode.choices))
    monat = forms.RegexField(
        label=_("Monat"), required=False, regex=r"^\d{4}-\d{2}$", widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = [("", _("alle"))] + [(t.slug, t.name) for t in topics]


class RegistrationForm(forms.Form):
    audience = forms.TypedChoiceField(label=_("Ich nehme teil als"), coerce=int, widget=forms.RadioSelect)
    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    organisation_name = forms.CharField(label=_("Unternehmen / Hochschule"), max_length=200, required=False)

    def __init__(self, *args, event: Event, availability: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        choices = []
        for row in availability:
            audience = row["audience"]
            if row["free"] is None:
                label = audience.name
            elif row["free"]:
                label = _("%(name)s (noch %(free)s Plätze frei)") % {"name": audience.name, "free": row["free"]}
            else:
                label = _("%(name)s (ausgebucht – Warteliste)") % {"name": audience.name}
            choices.append((audience.pk, label))
        self.fields["audience"].choices = choices
        if len(choices) == 1:
            self.fields["audience"].initial = choices[0][0]
        partners = [p.name for p in event.partners.all()]
        if partners:
            self.fields["organisation_name"].help_text = _("Partner: %(names)s") % {"names": ", ".join(partners)}
            self.fields["organisation_name"].widget.attrs["list"] = "partner-list"
        self.partner_names = partners
        for question in event.questions.all():
            name = f"q_{question.pk}"
            if question.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[("", "–")] + [(c, c) for c in question.choice_list], required=question.required
                )
            elif question.kind == Question.Kind.YESNO:
                field = forms.ChoiceField(
                    choices=[("ja", _("Ja")), ("nein", _("Nein"))], widget=forms.RadioSelect, required=question.required
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_ANSWER_LENGTH, required=question.required
                )
            field.label = question.text
            self.fields[name] = field
        if event.is_meet_the_boss:
            help_text = _("Studierende: was Sie interessiert. Unternehmer/-innen: was Ihr Unternehmen bietet.")
            self.fields["sectors"] = forms.MultipleChoiceField(
                label=_("Branchen"), choices=SECTORS, required=False, widget=forms.CheckboxSelectMultiple,
                help_text=help_text,
            )  # fmt: skip
            self.fields["occupation_fields"] = forms.MultipleChoiceField(
                label=_("Berufsfelder"), choices=OCCUPATION_FIELDS, required=False, widget=forms.CheckboxSelectMultiple
            )
        self.fields["join_waiting_list"] = forms.BooleanField(
            label=_("Falls ausgebucht: auf die Warteliste setzen"), required=False, initial=True
        )

    def to_input(self, language: str) -> RegistrationInput:
        data = self.cleaned_data
        return RegistrationInput(
            audience_id=data["audience"], email=data["email"], first_name=data["first_name"],
            last_name=data["last_name"], organisation_name=data.get("organisation_name", ""),
            answers={int(name[2:]): value for name, value in data.items() if name.startswith("q_")},
            sectors=data.get("sectors", []), occupation_fields=data.get("occupation_fields", []),
            language=language, join_waiting_list=data.get("join_waiting_list", False),
        )  # fmt: skip


class EventForm(forms.ModelForm):
    change_message = forms.CharField(
        label=_("Nachricht an die Angemeldeten"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wird mitgeschickt, wenn sich Termin, Ort oder Format ändern."),
    )  # fmt: skip

    class Meta:
        model = Event
        fields = [
            "title", "kind", "topic", "status", "mode", "summary", "description", "starts_at", "ends_at",
            "venue_name", "venue_address", "online_url", "capacity", "registration_deadline", "requires_approval",
            "offer_hours", "partners", "organisers", "rounds", "seats_per_table", "min_meetings",
        ]  # fmt: skip
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Event.Status.choices if c[0] != Event.Status.CANCELLED]
        if self.instance.status == Event.Status.CANCELLED:
            self.fields["status"].choices = Event.Status.choices
            self.fields["status"].disabled = True
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        for name in ("partners", "organisers"):
            self.fields[name].queryset = Organisation.objects.order_by("name")
            self.fields[name].widget.attrs["size"] = 6

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        deadline = data.get("registration_deadline")
        if deadline and starts and deadline > starts:
            self.add_error("registration_deadline", _("Der Anmeldeschluss muss vor dem Beginn liegen."))
        if data.get("mode") in (Event.Mode.IN_PERSON, Event.Mode.HYBRID) and not data.get("venue_name"):
            self.add_error("venue_name", _("Bitte geben Sie einen Ort an."))
        return data


class AudienceForm(forms.ModelForm):
    class Meta:
        model = Audience
        fields = ["name", "role", "quota", "partners_only"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "choices", "required"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("kind") == Question.Kind.CHOICE and not [
            c for c in data.get("choices", "").splitlines() if c.strip()
        ]:
            self.add_error("choices", _("Bitte geben Sie die Antwortmöglichkeiten an."))
        return data


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an die Angemeldeten"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(label=_("Ja, die Veranstaltung absagen und alle Angemeldeten benachrichtigen"))


class MoveOnlineForm(forms.Form):
    online_url = forms.URLField(label=_("Zugangslink"), help_text=_("Geht nur an angemeldete Teilnehmende."))
    message = forms.CharField(
        label=_("Nachricht an die Angemeldeten"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-Mail-Adressen"), widget=forms.Textarea(attrs={"rows": 6}), max_length=200_000,
        help_text=_("Eine je Zeile (oder durch Komma getrennt)."),
    )  # fmt: skip
    message = forms.CharField(
        label=_("Persönliche Nachricht"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def email_list(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]


class YearForm(forms.Form):
    jahr = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2100, required=False)

    def year(self) -> int:
        if self.is_valid() and self.cleaned_data["jahr"]:
            return self.cleaned_data["jahr"]
        return timezone.localdate().year
