"""The one organisation picker: search, label, parse back.

A text field with a ``<datalist>``: staff type a name, place or member number; htmx refreshes the
suggestions from ``contacts:organisation_suggestions`` while they type. Without JavaScript the
server resolves what was typed when the form is sent, and after an ambiguous entry the field
comes back with the candidates as suggestions. Every form that names an organisation uses
:class:`OrganisationField`.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from core.search import fulltext_filter, search_words

SUGGESTION_LIMIT = 8


def organisation_label(organisation: Organisation) -> str:
    """How the picker shows an organisation: "Name (PLZ Ort)"."""
    place = " ".join(part for part in (organisation.postcode, organisation.city) if part)
    return f"{organisation.name} ({place})" if place else organisation.name


def organisation_candidates(query: str, limit: int = SUGGESTION_LIMIT) -> list[Organisation]:
    """Organisations whose name, place or member number match every word of ``query`` as a prefix."""
    if not search_words(query):
        return []
    queryset = Organisation.objects.only("pk", "name", "postcode", "city", "member_number").order_by("name", "pk")
    return list(fulltext_filter(queryset, query)[:limit])


def organisation_resolve(text: str) -> tuple[Organisation | None, list[Organisation]]:
    """The one organisation ``text`` names: ``(organisation, [])``, else ``(None, candidates)``.

    Accepts a label as offered by :func:`organisation_label`, a member number, an exact name or
    any words that match exactly one organisation. No candidates: nothing matched; several: the
    text is ambiguous.
    """
    text = " ".join((text or "").split())
    if not text:
        return None, []
    by_number = Organisation.objects.filter(member_number=text).first()
    if by_number is not None:
        return by_number, []
    candidates = organisation_candidates(text, limit=50)
    for matches in (
        [org for org in candidates if organisation_label(org) == text],
        [org for org in candidates if org.name.casefold() == text.casefold()],
        candidates,
    ):
        if len(matches) == 1:
            return matches[0], []
    return None, candidates[:SUGGESTION_LIMIT]


class OrganisationSearchInput(forms.TextInput):
    template_name = "contacts/widgets/organisation_search.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.suggestions: list[str] = []

    def format_value(self, value):
        if isinstance(value, Organisation):
            return organisation_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and value.isascii()):
            organisation = Organisation.objects.filter(pk=int(value)).first()
            return organisation_label(organisation) if organisation else ""
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}_options"
        context["widget"]["attrs"].update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": f"{reverse('contacts:organisation_suggestions')}?feld={name}",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        context["widget"]["list_id"] = list_id
        context["widget"]["suggestions"] = self.suggestions
        return context


class OrganisationField(forms.CharField):
    """A form field whose cleaned value is an :class:`Organisation` (or ``None`` when left empty)."""

    widget = OrganisationSearchInput
    default_help_text = _("Name, Ort oder Mitgliedsnummer tippen und aus der Liste wählen.")

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return organisation_label(value) if isinstance(value, Organisation) else value

    def clean(self, value):
        text = super().clean(value)
        if not (text or "").strip():
            return None
        organisation, candidates = organisation_resolve(text)
        if organisation is not None:
            return organisation
        if not candidates:
            raise forms.ValidationError(
                _("Keine Organisation gefunden zu „%(text)s“. Bitte Namen, Ort oder Mitgliedsnummer prüfen."),
                params={"text": text.strip()},
                code="not_found",
            )
        labels = [organisation_label(candidate) for candidate in candidates]
        self.widget.suggestions = labels
        raise forms.ValidationError(
            _(
                "Mehrere Organisationen passen zu „%(text)s“: %(names)s. Bitte wählen Sie eine aus der Liste "
                "oder geben Sie die Mitgliedsnummer an."
            ),
            params={"text": text.strip(), "names": "; ".join(labels)},
            code="ambiguous",
        )
