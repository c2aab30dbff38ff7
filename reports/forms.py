from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import FIRST_YEAR
from reports.models import Section


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    subtitle = forms.CharField(label=_("Untertitel"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Berichtsjahr"), min_value=FIRST_YEAR)
    template = forms.ChoiceField(
        label=_("Text übernehmen aus"), required=False,
        help_text=_("Abschnitte und Platzhalter eines früheren Berichts; die Zahlen werden für das neue Jahr berechnet."),
    )  # fmt: skip

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(version.pk): version for version in templates}
        self.fields["template"].choices = [("", _("– leer beginnen –"))] + [
            (str(version.pk), f"{version.report.title} ({version.report.year}), Version {version.number}")
            for version in templates
        ]
        self.fields["year"].widget.attrs.update({"max": timezone.localdate().year + 1})

    def clean_year(self):
        year, last = self.cleaned_data["year"], timezone.localdate().year + 1
        if year > last:
            raise forms.ValidationError(_("Das Berichtsjahr darf höchstens %(year)s sein.") % {"year": last})
        return year

    def chosen_template(self):
        return self.templates.get(self.cleaned_data.get("template") or "")


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "spellcheck": "true", "class": "report-source"})}
