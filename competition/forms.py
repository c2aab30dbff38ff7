"""Forms: they parse and label the input; the rules live in the services."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from competition import services
from competition.models import Division, Edition, Gender, Jury, Project, School, SubjectArea
from contacts.models import District

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EditionForm(forms.Form):
    number = forms.IntegerField(label=_("Runde"), min_value=1, max_value=999, help_text=_("z. B. 34"))
    year = forms.IntegerField(label=_("Wettbewerbsjahr"), min_value=2000, max_value=2100)
    venue = forms.CharField(label=_("Ort"), max_length=200)
    contest_date = forms.DateField(label=_("Wettbewerbstag"), widget=DATE)
    registration_deadline = forms.DateField(label=_("Anmeldeschluss"), widget=DATE)
    written_work_deadline = forms.DateField(label=_("Abgabe der schriftlichen Arbeit bis"), widget=DATE)
    prescore_deadline = forms.DateField(label=_("Vorbewertung der Jury bis"), widget=DATE)
    retention_until = forms.DateField(
        label=_("Daten der Teilnehmenden löschen am"),
        widget=DATE,
        help_text=_("Danach bleiben nur Zahlen, außer die Eltern haben in die Aufbewahrung eingewilligt."),
    )
    junior_name = forms.CharField(label=_("Name der Juniorsparte"), max_length=60, initial="Jugend forscht junior")
    max_pages = forms.IntegerField(label=_("höchstens Seiten (PDF)"), min_value=1, max_value=200, initial=20)
    max_upload_mb = forms.IntegerField(label=_("höchstens MB je PDF"), min_value=1, max_value=50, initial=10)
    interviews_start = forms.TimeField(label=_("Jurygespräche ab"), widget=TIME, initial=datetime.time(9, 0))
    interview_minutes = forms.IntegerField(
        label=_("Dauer je Jurygespräch (Minuten)"), min_value=5, max_value=120, initial=15
    )
    interview_gap_minutes = forms.IntegerField(
        label=_("Pause zwischen Gesprächen (Minuten)"), min_value=0, max_value=60, initial=5
    )

    @classmethod
    def for_edition(cls, edition: Edition | None, data=None):
        if edition is None:
            year = datetime.date.today().year + 1
            number = (Edition.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            initial = {"number": number, "year": year, **services.default_dates(year)}
        else:
            initial = {name: getattr(edition, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def to_data(self) -> services.EditionData:
        return services.EditionData(**self.cleaned_data)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Kriterium"), max_length=120)
    description = forms.CharField(label=_("Leitfragen"), max_length=400, required=False)
    weight = forms.IntegerField(label=_("Gewicht"), min_value=1, max_value=10, initial=1)
    max_points = forms.IntegerField(label=_("Höchstpunktzahl"), min_value=1, max_value=100, initial=10)


# --- registration ---------------------------------------------------------------------------------------------------

MEMBER_FIELDS = ("first_name", "last_name", "birth_date", "gender", "email", "parent_email")


class RegistrationForm(forms.Form):
    title = forms.CharField(label=_("Projekttitel"), max_length=200)
    abstract = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Thema und Fragestellung in ein paar Sätzen (höchstens 1.500 Zeichen)."),
    )
    subject_area = forms.ChoiceField(label=_("Fachgebiet"), choices=[("", "–")] + SubjectArea.choices)
    division = forms.ChoiceField(
        label=_("Sparte"),
        required=False,
        help_text=_("Das älteste Teammitglied entscheidet (Alter am 31. Dezember des Anmeldejahres)."),
    )
    school_name = forms.CharField(label=_("Schule"), max_length=200)
    school_city = forms.CharField(label=_("Ort der Schule"), max_length=100)
    district = forms.ModelChoiceField(label=_("Kreis"), queryset=District.objects.none(), required=False)
    teacher_name = forms.CharField(label=_("Betreuende Lehrkraft"), max_length=150)
    teacher_email = forms.EmailField(label=_("E-Mail der Lehrkraft"))

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["division"].choices = [("", _("automatisch nach Alter"))] + [
            (value, edition.division_label(value)) for value in (Division.JUNIOR, Division.SENIOR)
        ]
        self.fields["district"].queryset = District.objects.order_by("name")
        for number in range(1, 4):
            required = number == 1
            prefix = f"m{number}_"
            self.fields[prefix + "first_name"] = forms.CharField(label=_("Vorname"), max_length=80, required=required)
            self.fields[prefix + "last_name"] = forms.CharField(label=_("Nachname"), max_length=80, required=required)
            self.fields[prefix + "birth_date"] = forms.DateField(
                label=_("Geburtsdatum"), widget=DATE, required=required
            )
            self.fields[prefix + "gender"] = forms.ChoiceField(
                label=_("Geschlecht"), choices=Gender.choices, required=False
            )
            self.fields[prefix + "email"] = forms.EmailField(label=_("E-Mail (optional)"), required=False)
            self.fields[prefix + "parent_email"] = forms.EmailField(
                label=_("E-Mail eines Elternteils"),
                required=False,
                help_text=_("nötig bei Minderjährigen: dorthin geht der Link zur Einwilligung"),
            )

    def member_blocks(self):
        """The three member blocks for the template: (number, [bound fields])."""
        return [(n, [self[f"m{n}_{name}"] for name in MEMBER_FIELDS]) for n in range(1, 4)]

    def project_fields(self):
        return [self[name] for name in ("title", "abstract", "subject_area", "division")]

    def school_fields(self):
        return [self[name] for name in ("school_name", "school_city", "district", "teacher_name", "teacher_email")]

    def to_data(self) -> services.ProjectData:
        data = self.cleaned_data
        members = []
        for number in range(1, 4):
            values = {name: data.get(f"m{number}_{name}") for name in MEMBER_FIELDS}
            if number > 1 and not any(values.values()):
                continue  # an empty block: no member
            members.append(
                services.MemberData(
                    first_name=values["first_name"] or "",
                    last_name=values["last_name"] or "",
                    birth_date=values["birth_date"],
                    gender=values["gender"] or "",
                    email=values["email"] or "",
                    parent_email=values["parent_email"] or "",
                )  # fmt: skip
            )
        return services.ProjectData(
            title=data["title"], abstract=data["abstract"], subject_area=data["subject_area"],
            division=data.get("division") or "", school_name=data["school_name"], school_city=data["school_city"],
            district_id=data["district"].pk if data.get("district") else None, teacher_name=data["teacher_name"],
            teacher_email=data["teacher_email"], members=members,
        )  # fmt: skip


class ConsentForm(forms.Form):
    parent_name = forms.CharField(label=_("Ihr Name"), max_length=150, required=False)
    agree = forms.BooleanField(label=_("Ich bin sorgeberechtigt und willige ein (Text oben)."), required=False)
    keep_data = forms.BooleanField(
        label=_("Die Kammer darf Name und Ergebnis auch nach der Runde aufbewahren (freiwillig)."), required=False
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Schriftliche Arbeit (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Bitte wählen Sie die PDF-Datei Ihrer Arbeit aus."),
            "empty": _("Die Datei ist leer. Bitte wählen Sie die PDF-Datei Ihrer Arbeit aus."),
        },
    )


class StandForm(forms.Form):
    power = forms.BooleanField(label=_("Stromanschluss"), required=False)
    table = forms.BooleanField(label=_("Tisch"), required=False)
    water = forms.BooleanField(label=_("Wasseranschluss"), required=False)
    note = forms.CharField(label=_("Weitere Wünsche zum Stand"), max_length=300, required=False)


class AccountRequestForm(forms.Form):
    full_name = forms.CharField(label=_("Ihr Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"))


# --- jury ---------------------------------------------------------------------------------------------------------------


class ScoreForm(forms.Form):
    phase = forms.ChoiceField(label=_("Bewertung"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Notiz für die Jury (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        from competition.models import ScoreSheet

        self.fields["phase"].choices = ScoreSheet.Phase.choices
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"k{criterion.id}"] = forms.IntegerField(
                label=_("%(name)s (0–%(max)s Punkte, Gewicht %(weight)s)")
                % {"name": criterion.name, "max": criterion.max_points, "weight": criterion.weight},
                min_value=0,
                max_value=criterion.max_points,
                help_text=criterion.description,
            )
        self.order_fields(["phase", *[f"k{c.id}" for c in self.criteria], "comment"])

    def points(self) -> dict[int, int]:
        return {c.id: self.cleaned_data[f"k{c.id}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Grund der Befangenheit"), max_length=200)


class JurorForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    affiliation = forms.CharField(label=_("Hochschule, Unternehmen oder Schule"), max_length=200, required=False)
    school = forms.ModelChoiceField(
        label=_("Eigene Schule (Befangenheit bei deren Projekten)"), queryset=School.objects.none(), required=False
    )
    is_chair = forms.BooleanField(label=_("Vorsitz der Jury"), required=False)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(projects__edition=edition).distinct().order_by("name")


class StaffConflictForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none())
    juror = forms.ModelChoiceField(label=_("Jurymitglied"), queryset=None)
    reason = forms.CharField(label=_("Grund"), max_length=200)

    def __init__(self, *args, jury: Jury, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["project"].queryset = jury.projects.exclude(status=Project.Status.WITHDRAWN).order_by("number")
        self.fields["juror"].queryset = User.objects.filter(jury_memberships__jury=jury).order_by("full_name")


class AssignJuryForm(forms.Form):
    jury = forms.ModelChoiceField(label=_("Jury"), queryset=Jury.objects.none(), required=False)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jury"].queryset = Jury.objects.filter(edition=edition).select_related("edition")


class PrizeForm(forms.Form):
    name = forms.CharField(label=_("Preis"), max_length=150)
    sponsor = forms.CharField(label=_("Stifter"), max_length=150, required=False)
    topic = forms.CharField(label=_("Thema"), max_length=150, required=False)
    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none(), required=False)
    reason = forms.CharField(label=_("Begründung"), max_length=400, required=False)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            edition=edition, status=Project.Status.REGISTERED
        ).order_by("number")


class ProjectFilterForm(forms.Form):
    """GET filters of the staff project list; German names in the URL."""

    bereich = forms.ChoiceField(label=_("Fachgebiet"), choices=[("", _("alle"))] + SubjectArea.choices, required=False)
    sparte = forms.ChoiceField(label=_("Sparte"), choices=[("", _("alle"))] + Division.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("alle"))] + Project.Status.choices, required=False)
    q = forms.CharField(label=_("Suche"), max_length=100, required=False)
    unvollstaendig = forms.BooleanField(label=_("nur unvollständige"), required=False)

    def filters(self):
        from competition.selectors import ProjectFilters

        if not self.is_valid():
            return ProjectFilters()
        data = self.cleaned_data
        return ProjectFilters(
            area=data["bereich"], division=data["sparte"], status=data["status"], q=data["q"].strip(),
            incomplete=data["unvollstaendig"],
        )  # fmt: skip
