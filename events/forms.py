from dataclasses import dataclass

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from contacts.picker import OrganisationListField
from core.fragments import fill_slots, filter_fields_fragment, fragment, slot_marker
from events.models import OCCUPATION_FIELDS, SECTORS, Audience, Event, EventPartner, Question, Topic
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
        self.topic_key = tuple((t.slug, t.name) for t in topics)

    def fields_html(self) -> str:
        """The filter fields as HTML; a valid or empty form is rendered once per process for the
        same topics and choices (``core.fragments``), a form with errors each time."""
        key = ("events.calendar_filters", self.topic_key)
        return filter_fields_fragment(self, key, "events/_calendar_filter_fields.html")


def _free_state(free: int | None) -> str:
    """What the form's wording depends on: unlimited, seats free (the number is filled in), or full."""
    return "unlimited" if free is None else "free" if free else "full"


class RegistrationForm(forms.Form):
    audience = forms.TypedChoiceField(label=_("Ich nehme teil als"), coerce=int, widget=forms.RadioSelect)
    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    organisation_name = forms.CharField(label=_("Unternehmen / Hochschule"), max_length=200, required=False)
    partner_code = forms.CharField(
        label=_("Partnercode"), max_length=100, required=False,
        help_text=_("Nur für Plätze, die Partnerorganisationen vorbehalten sind: den Code erhalten Sie von Ihrer "
                    "Organisation. Ohne Code genügt die E-Mail-Adresse Ihrer Organisation; sonst prüfen wir Ihre "
                    "Anmeldung, bevor sie gilt."),
    )  # fmt: skip

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
        if not any(row["audience"].partners_only for row in availability):
            del self.fields["partner_code"]
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

    @staticmethod
    def empty_html(event: Event, availability: list[dict]) -> str:
        """The unbound form as HTML, rendered once per process for the same inputs (``core.fragments``):
        the key holds everything ``__init__`` reads – the event's kind, each audience and whether it
        has free seats, is full or unlimited, each question – so a changed question or an audience
        running full renders anew. The number of free seats is filled in on every request: in a rush
        every registration changes it, and rendering the form anew each time cost more than the rest
        of the page."""
        key = (
            "events.registration_form", event.pk, event.kind,
            tuple((row["audience"].pk, row["audience"].name, row["audience"].partners_only, _free_state(row["free"]))
                  for row in availability),
            tuple((q.pk, q.text, q.kind, q.choices, q.required) for q in event.questions.all()),
        )  # fmt: skip
        free = {f"free_{row['audience'].pk}": str(row["free"]) for row in availability if row["free"]}
        marked = [
            {**row, "free": slot_marker(f"free_{row['audience'].pk}")} if row["free"] else row for row in availability
        ]
        html = fragment(
            key,
            lambda: render_to_string(
                "includes/form.html", {"form": RegistrationForm(event=event, availability=marked)}
            ),
        )
        return fill_slots(html, free)

    def to_input(self, language: str) -> RegistrationInput:
        data = self.cleaned_data
        return RegistrationInput(
            audience_id=data["audience"], email=data["email"], first_name=data["first_name"],
            last_name=data["last_name"], organisation_name=data.get("organisation_name", ""),
            partner_code=data.get("partner_code", ""),
            answers={int(name[2:]): value for name, value in data.items() if name.startswith("q_")},
            sectors=data.get("sectors", []), occupation_fields=data.get("occupation_fields", []),
            language=language, join_waiting_list=data.get("join_waiting_list", False),
        )  # fmt: skip


@dataclass(frozen=True)
class FieldGroup:
    """A titled part of a form, rendered as a ``<fieldset>`` with ``includes/form.html``.

    ``kind_only`` names the event type the part belongs to: the page says so in the legend (without
    JavaScript), and ``event_form.js`` shows the part only while that type is chosen."""

    legend: str
    fields: list
    kind_only: str = ""

    def visible_fields(self):
        return self.fields

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return []


class EventForm(forms.ModelForm):
    """The event's own fields; partners and organisers are picked with the contacts picker."""

    GROUPS = [
        (_("Veranstaltung"), ["title", "kind", "topic", "status", "summary", "description"], ""),
        (_("Termin und Ort"), ["mode", "starts_at", "ends_at", "venue_name", "venue_street", "venue_postcode",
                               "venue_city", "online_url"], ""),
        (_("Anmeldung"), ["capacity", "registration_deadline", "requires_approval", "offer_hours"], ""),
        (_("Partner und Veranstalter"), ["partners", "organisers"], ""),
        (_("Meet-the-Boss – nur für Meet-the-Boss-Veranstaltungen"), ["rounds", "seats_per_table", "min_meetings"],
         Event.Kind.MEET_THE_BOSS),
        (_("Änderung mitteilen"), ["change_message"], ""),
    ]  # fmt: skip

    partners = OrganisationListField(label=_("Partner (z. B. Hochschulen)"), required=False)
    organisers = OrganisationListField(label=_("Veranstalter"), required=False)
    change_message = forms.CharField(
        label=_("Nachricht an die Angemeldeten"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wird mitgeschickt, wenn sich Termin, Ort oder Format ändern."),
    )  # fmt: skip

    class Meta:
        model = Event
        fields = [
            "title", "kind", "topic", "status", "mode", "summary", "description", "starts_at", "ends_at",
            "venue_name", "venue_street", "venue_postcode", "venue_city", "online_url", "capacity",
            "registration_deadline", "requires_approval", "offer_hours", "rounds", "seats_per_table", "min_meetings",
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
        if self.instance.pk:
            self.fields["partners"].initial = list(self.instance.partners.order_by("name"))
            self.fields["organisers"].initial = list(self.instance.organisers.order_by("name"))
        else:  # nobody is registered yet: nobody to tell of a change
            del self.fields["change_message"]

    def groups(self) -> list[FieldGroup]:
        """The form in titled parts; every field belongs to exactly one."""
        return [
            FieldGroup(legend=legend, fields=[self[name] for name in names if name in self.fields], kind_only=kind)
            for legend, names, kind in self.GROUPS
            if any(name in self.fields for name in names)
        ]

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
    """Read by the view; ``services.audience_create`` writes."""

    class Meta:
        model = Audience
        fields = ["name", "role", "quota", "partners_only"]


class QuestionForm(forms.ModelForm):
    """Read by the view; ``services.question_create`` writes (and checks the answers of a choice)."""

    class Meta:
        model = Question
        fields = ["text", "kind", "choices", "required"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


class PartnerProofForm(forms.Form):
    """Per partner of the event: the code its members type, and the e-mail domain that proves them."""

    def __init__(self, *args, partnerships: list[EventPartner], **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = partnerships
        for partnership in partnerships:
            name = str(partnership.organisation)
            self.fields[f"code_{partnership.pk}"] = forms.CharField(
                label=_("Partnercode: %(name)s") % {"name": name}, max_length=40, required=False,
                initial=partnership.code, help_text=_("mindestens 6 Zeichen; leer = kein Code"),
            )  # fmt: skip
            self.fields[f"domain_{partnership.pk}"] = forms.CharField(
                label=_("E-Mail-Domain: %(name)s") % {"name": name}, max_length=100, required=False,
                initial=partnership.email_domain, help_text=_("z. B. fh-muenster.de (Subdomains zählen mit)"),
            )  # fmt: skip

    def proofs(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {p.pk: (data[f"code_{p.pk}"], data[f"domain_{p.pk}"]) for p in self.partnerships}


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
