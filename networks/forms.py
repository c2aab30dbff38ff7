"""Forms parse and check types; the rules (periods, stages, duplicates) live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.picker import OrganisationField
from networks.models import MEETING_MODES, Channel, Network, NetworkMembership, Prospect, Support
from networks.services import lead_contact_wording


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _date(label, *, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class ResponsibleField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name()


def _responsible(users, required=False):
    from accounts.models import User

    field = ResponsibleField(
        label=_("zuständig"), required=required, queryset=User.objects.filter(pk__in=[u.pk for u in users])
    )
    field.choices = [("", "–")] + [(u.pk, u.get_full_name()) for u in users]
    return field


class NetworkCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    topic = forms.CharField(label=_("Thema"), max_length=200, required=False)
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    state = forms.ChoiceField(label=_("Status"), choices=Network.State.choices, initial=Network.State.FOUNDING)
    since = _date(_("Status seit"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Anlass"), max_length=500, required=False, help_text=_("z. B. Neugründung"))

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = _responsible(users)


class NetworkEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    topic = forms.CharField(label=_("Thema"), max_length=200, required=False)
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_step = forms.CharField(label=_("Nächster Schritt"), max_length=300, required=False)
    next_step_due = _date(_("fällig am"), required=False)

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = _responsible(users)


class StateChangeForm(forms.Form):
    state = forms.ChoiceField(label=_("Neuer Status"), choices=Network.State.choices)
    changed_on = _date(_("Datum"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Grund"), max_length=500)


class MembershipAddForm(forms.Form):
    organisation = OrganisationField(label=_("Unternehmen"))
    role = forms.ChoiceField(label=_("Rolle"), choices=NetworkMembership.Role.choices)
    joined_on = _date(_("Mitglied seit"), initial=timezone.localdate)


class ContactPersonsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, person):
        return f"{person.full_name} ({person.email})" if person.email else person.full_name


def _contact_persons(people):
    from contacts.models import Person

    return ContactPersonsField(
        label=_("Ansprechpersonen"), required=False, queryset=Person.objects.filter(pk__in=[p.pk for p in people]),
        help_text=_("Personen mit einer Funktion bei der Organisation (im CRM hinzufügen)."),
    )  # fmt: skip


class MembershipEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=NetworkMembership.Role.choices)
    joined_on = _date(_("Mitglied seit"))
    left_on = _date(_("ausgetreten am"), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_persons"] = _contact_persons(people)


class MeetingLinkForm(forms.Form):
    event = forms.TypedChoiceField(label=_("Veranstaltung"), coerce=int)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            (e.pk, f"{timezone.localtime(e.starts_at):%d.%m.%Y} – {e.title} ({e.get_status_display()})") for e in events
        ]


class MeetingPlanForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DateTimeInput())
    mode = forms.ChoiceField(label=_("Format"), choices=MEETING_MODES)
    venue_name = forms.CharField(label=_("Veranstaltungsort"), max_length=200, required=False)
    venue_street = forms.CharField(label=_("Straße und Hausnummer"), max_length=200, required=False)
    venue_postcode = forms.CharField(label=_("PLZ"), max_length=5, required=False)
    venue_city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    online_url = forms.URLField(label=_("Zugangslink (online)"), required=False, assume_scheme="https")


class ProspectCreateForm(forms.Form):
    target = forms.ChoiceField(label=_("Akquise für"))
    organisation = OrganisationField(label=_("Unternehmen"))
    contact_name = forms.CharField(label=_("Ansprechperson"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("E-Mail der Ansprechperson"), required=False)
    next_step = forms.CharField(label=_("Nächster Schritt"), max_length=300, required=False)
    next_step_due = _date(_("fällig am"), required=False)
    notes = forms.CharField(label=_("Notizen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, networks=(), users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("initiative", _("Industrie-Initiative"))] + [
            (slug, name) for slug, name in networks
        ]
        self.fields["responsible"] = _responsible(users)


class ProspectEditForm(forms.Form):
    contact_name = forms.CharField(label=_("Ansprechperson"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("E-Mail der Ansprechperson"), required=False)
    next_step = forms.CharField(label=_("Nächster Schritt"), max_length=300, required=False)
    next_step_due = _date(_("fällig am"), required=False)
    notes = forms.CharField(label=_("Notizen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = _responsible(users)


class ProspectMoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Neue Phase"), choices=Prospect.Stage.choices)
    reason = forms.CharField(
        label=_("Begründung"), max_length=500, required=False, help_text=_("Nötig bei einem Schritt zurück.")
    )


class OnePagerSendForm(forms.Form):
    to = forms.EmailField(label=_("An (E-Mail)"))
    message = forms.CharField(label=_("Nachricht"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class SupportForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Art"), choices=Support.Kind.choices)
    level = forms.ChoiceField(label=_("Stufe"), choices=Support.Level.choices)
    contribution = forms.DecimalField(label=_("Beitrag (€)"), min_value=0, max_digits=10, decimal_places=2)
    starts_on = _date(_("Beginn"))
    ends_on = _date(_("Ende"))

    def __init__(self, *args, people=None, with_organisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_organisation:
            self.fields = {"organisation": OrganisationField(label=_("Unternehmen")), **self.fields}
        if people is not None:
            self.fields["contact_persons"] = _contact_persons(people)


class LogoForm(forms.Form):
    image = forms.FileField(
        label=_("Logo (PNG, JPEG oder WebP)"), required=False, help_text=_("Höchstens 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )  # fmt: skip
    public = forms.BooleanField(label=_("Das Unternehmen hat zugestimmt: Logo und Name dürfen öffentlich erscheinen"),
                                required=False)  # fmt: skip
    consent_source = forms.CharField(
        label=_("Nachweis der Zustimmung"), max_length=200, required=False,
        help_text=_("z. B. „E-Mail von Frau Muster vom 03.02.2020“"),
    )  # fmt: skip


class PartnershipForm(forms.Form):
    organisation = OrganisationField(label=_("Hochschule"))
    since = _date(_("Partner seit"))
    until = _date(_("Partner bis"), required=False)
    notes = forms.CharField(label=_("Notiz"), max_length=300, required=False)


class EventChoiceForm(forms.Form):
    event = forms.TypedChoiceField(label=_("Veranstaltung"), coerce=int)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            (e.pk, f"{timezone.localtime(e.starts_at):%d.%m.%Y} – {e.title}") for e in events
        ]


class InviteForm(EventChoiceForm):
    message = forms.CharField(
        label=_("Persönliche Nachricht"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    partner = forms.CharField(label=_("Partner"), max_length=200, required=False)
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = _date(_("Beginn"))
    ends_on = _date(_("Ende"), required=False)


def _occupation(occupations, label):
    return forms.ChoiceField(label=label, required=False, choices=[("", "–"), *occupations])


class PostForm(forms.Form):
    published_on = _date(_("Datum"))
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    link = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    caption = forms.CharField(label=_("Titel"), max_length=300, required=False)
    author_name = forms.CharField(label=_("Autor/-in"), max_length=150, required=False)
    author_role = forms.CharField(label=_("Funktion"), max_length=120, required=False,
                                  help_text=_("z. B. Auszubildende/r"))  # fmt: skip
    author_email = forms.EmailField(label=_("E-Mail der Autorin/des Autors"), required=False)
    organisation = OrganisationField(label=_("Unternehmen"), required=False)
    reach = forms.IntegerField(label=_("Reichweite"), min_value=0, required=False)
    interactions = forms.IntegerField(label=_("Interaktionen"), min_value=0, required=False)

    def __init__(self, *args, occupations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"] = _occupation(occupations, _("Vorgestellter Beruf"))


class PostImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"), help_text=_("Der Export des Kanals; höchstens 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )  # fmt: skip


class StandForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    held_on = _date(_("Datum"))
    place = forms.CharField(label=_("Ort"), max_length=200, required=False)
    event = forms.TypedChoiceField(label=_("Veranstaltung"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "–")] + [
            (e.pk, f"{timezone.localtime(e.starts_at):%d.%m.%Y} – {e.title}") for e in events
        ]


class LeadForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    interest = forms.CharField(label=_("Interesse"), max_length=300, required=False,
                               help_text=_("z. B. Ausbildung nach dem Abitur, Praktikum"))  # fmt: skip
    consent_contact = forms.BooleanField(label=_("Einwilligung: Kontakt durch die IHK"), required=False)
    consent_newsletter = forms.BooleanField(label=_("Einwilligung: Newsletter (Bestätigungsmail folgt)"),
                                            required=False)  # fmt: skip

    def __init__(self, *args, occupations=(), newsletters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"] = _occupation(occupations, _("Beruf, für den sie/er sich interessiert"))
        self.fields["consent_contact"].help_text = lead_contact_wording()
        self.fields["newsletter_list"] = forms.ChoiceField(
            label=_("Newsletter"), required=False, choices=list(newsletters)
        )
        order = ["name", "email", "interest", "occupation", "consent_contact", "consent_newsletter", "newsletter_list"]
        self.order_fields(order)
