"""The one organisation picker: search, label, parse back.

A text field with a ``<datalist>``: staff type a name, place or member number; htmx refreshes the
suggestions from ``contacts:organisation_suggestions`` while they type. Without JavaScript the
server resolves what was typed when the form is sent, and after an ambiguous entry the field
comes back with the candidates as suggestions. Every form that names an organisation uses
:class:`OrganisationField`.
"""

import re

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
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
    return list(fulltext_filter(queryset, query, folded=True)[:limit])


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
    suggestions_url = "contacts:organisation_suggestions"

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
                "hx-get": f"{reverse(self.suggestions_url)}?feld={name}",
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


class OrganisationListInput(forms.Widget):
    """Several organisation pickers under one name: the chosen organisations plus ``extra`` empty ones.

    Each input has its own ``<datalist>`` and htmx suggestions; without JavaScript the server
    resolves every line when the form is sent. Rendered as a group (legend = the field's label).
    """

    template_name = "contacts/widgets/organisation_list.html"
    use_fieldset = True

    def __init__(self, attrs=None, extra: int = 2):
        super().__init__(attrs)
        self.extra = extra
        self.item_label = ""
        self.suggestions: dict[str, list[str]] = {}  # typed text → candidates, after an ambiguous entry

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value) -> list[str]:
        items = [value] if isinstance(value, str | Organisation) else list(value or [])
        labels = [organisation_label(item) if isinstance(item, Organisation) else str(item).strip() for item in items]
        return [label for label in labels if label]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or name
        suggest_url = f"{reverse('contacts:organisation_suggestions')}?feld={name}"
        items = []
        for index, label in enumerate(widget["value"] + [""] * self.extra):
            item_id = base_id if index == 0 else f"{base_id}_{index}"
            item_attrs = {
                **widget["attrs"], "id": item_id, "list": f"{item_id}_options", "autocomplete": "off",
                "hx-get": suggest_url, "hx-trigger": "input changed delay:250ms", "hx-target": f"#{item_id}_options",
                "hx-swap": "innerHTML", "hx-sync": "this:replace",
            }  # fmt: skip
            items.append(
                {
                    "attrs": item_attrs,
                    "value": label,
                    "number": index + 1,
                    "suggestions": self.suggestions.get(label, []),
                }
            )
        widget["items"] = items
        widget["item_label"] = self.item_label or _("Organisation")
        return context


class OrganisationListField(forms.Field):
    """Several organisations (partners, organisers …): cleaned to a list of :class:`Organisation`,
    in the order typed, without duplicates; every non-empty entry must name exactly one."""

    widget = OrganisationListInput
    max_entry_length = 300

    def __init__(self, *, extra: int = 2, **kwargs):
        kwargs.setdefault("help_text", OrganisationField.default_help_text)
        super().__init__(**kwargs)
        self.widget.extra = extra
        self.widget.item_label = self.label or ""

    def to_python(self, value) -> list[str]:
        items = [value] if isinstance(value, str) else list(value or [])
        return [" ".join(str(item).split()) for item in items if str(item).strip()]

    def clean(self, value) -> list[Organisation]:
        texts = self.to_python(value)
        self.validate(texts)
        organisations: list[Organisation] = []
        errors = []
        self.widget.suggestions = {}
        for text in texts:
            if len(text) > self.max_entry_length:
                errors.append(
                    forms.ValidationError(
                        _("Keine Organisation gefunden zu „%(text)s“. Bitte Namen, Ort oder Mitgliedsnummer prüfen."),
                        params={"text": text[:40] + "…"},
                        code="not_found",
                    )
                )
                continue
            organisation, candidates = organisation_resolve(text)
            if organisation is not None:
                if organisation not in organisations:
                    organisations.append(organisation)
            elif not candidates:
                errors.append(
                    forms.ValidationError(
                        _("Keine Organisation gefunden zu „%(text)s“. Bitte Namen, Ort oder Mitgliedsnummer prüfen."),
                        params={"text": text},
                        code="not_found",
                    )
                )
            else:
                labels = [organisation_label(candidate) for candidate in candidates]
                self.widget.suggestions[text] = labels
                errors.append(
                    forms.ValidationError(
                        _(
                            "Mehrere Organisationen passen zu „%(text)s“: %(names)s. Bitte wählen Sie eine aus der "
                            "Liste oder geben Sie die Mitgliedsnummer an."
                        ),
                        params={"text": text, "names": "; ".join(labels)},
                        code="ambiguous",
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return organisations


# --- people ------------------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"\(Nr\. (\d{1,12})\)\s*$")


def person_label(person: Person) -> str:
    """How the picker shows a person: "Vorname Nachname (E-Mail)", or with the number if there is no e-mail."""
    name = " ".join(part for part in (person.first_name, person.last_name) if part)
    return f"{name} ({person.email})" if person.email else f"{name} (Nr. {person.pk})"


def person_candidates(
    query: str, limit: int = SUGGESTION_LIMIT, organisation: Organisation | None = None
) -> list[Person]:
    """People (not anonymised) whose name or e-mail match every word of ``query`` as a prefix, umlauts folded;
    with ``organisation`` only its people (all of them if ``query`` is empty)."""
    queryset = Person.objects.filter(anonymised_at__isnull=True).only("pk", "first_name", "last_name", "email")
    if organisation is not None:
        queryset = queryset.filter(roles__organisation=organisation).distinct()
    elif not search_words(query):
        return []
    queryset = queryset.order_by("last_name", "first_name", "pk")
    return list(fulltext_filter(queryset, query, folded=True)[:limit] if search_words(query) else queryset[:limit])


def person_resolve(text: str) -> tuple[Person | None, list[Person]]:
    """The one person ``text`` names: ``(person, [])``, else ``(None, candidates)`` (as :func:`organisation_resolve`).

    Accepts a label as offered by :func:`person_label` (with the e-mail or "(Nr. 12)"), an e-mail
    address, or words matching exactly one person.
    """
    text = " ".join((text or "").split())
    if not text:
        return None, []
    people = Person.objects.filter(anonymised_at__isnull=True)
    if text.isdigit() and text.isascii():  # the value of a form sent with the person's number
        person = people.filter(pk=int(text)).first()
        return (person, []) if person is not None else (None, [])
    number = _NUMBER_RE.search(text)
    if number:
        person = people.filter(pk=int(number.group(1))).first()
        if person is not None:
            return person, []
        text = text[: number.start()].strip()
    if "@" in text and " " not in text:
        matches = list(people.filter(email__iexact=text).order_by("pk")[:SUGGESTION_LIMIT])
        if matches:
            return (matches[0], []) if len(matches) == 1 else (None, matches)
    candidates = person_candidates(text, limit=50)
    for matches in ([p for p in candidates if person_label(p) == text], candidates):
        if len(matches) == 1:
            return matches[0], []
    return None, candidates[:SUGGESTION_LIMIT]


class PersonSearchInput(OrganisationSearchInput):
    suggestions_url = "contacts:person_suggestions"

    def format_value(self, value):
        if isinstance(value, Person):
            return person_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and value.isascii()):
            person = Person.objects.filter(pk=int(value)).first()
            return person_label(person) if person else ""
        return forms.TextInput.format_value(self, value)


class PersonField(forms.CharField):
    """A form field whose cleaned value is a :class:`Person` (or ``None`` when left empty).

    A text field with a ``<datalist>`` (htmx refreshes it from ``contacts:person_suggestions``
    while typing); without JavaScript the server resolves the text when the form is sent and,
    if several people match, shows the field again with them as suggestions.
    """

    widget = PersonSearchInput
    default_help_text = _("Name oder E-Mail-Adresse tippen und aus der Liste wählen.")

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return person_label(value) if isinstance(value, Person) else value

    def clean(self, value):
        text = super().clean(value)
        if not (text or "").strip():
            return None
        person, candidates = person_resolve(text)
        if person is not None:
            return person
        if not candidates:
            raise forms.ValidationError(
                _("Keine Person gefunden zu „%(text)s“. Bitte Namen oder E-Mail-Adresse prüfen."),
                params={"text": text.strip()[:80]},
                code="not_found",
            )
        labels = [person_label(candidate) for candidate in candidates]
        self.widget.suggestions = labels
        raise forms.ValidationError(
            _("Mehrere Personen passen zu „%(text)s“: %(names)s. Bitte wählen Sie eine aus der Liste."),
            params={"text": text.strip()[:80], "names": "; ".join(labels)},
            code="ambiguous",
        )
