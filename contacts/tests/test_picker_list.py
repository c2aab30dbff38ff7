"""The multi-organisation picker (``OrganisationListField``): several organisations in one form field."""

import pytest
from django import forms
from django.http import QueryDict

from contacts.picker import OrganisationListField, organisation_label
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class PartnersForm(forms.Form):
    partners = OrganisationListField(label="Partner", required=False)


def _form(*values: str) -> PartnersForm:
    data = QueryDict(mutable=True)
    data.setlist("partners", list(values))
    return PartnersForm(data)


def test_each_line_names_one_organisation_in_the_order_typed_without_duplicates():
    first = OrganisationFactory(name="Fachhochschule Münster", member_number="4711")
    second = OrganisationFactory(name="Westfälische Hochschule")
    form = _form("Westfälische Hochschule", "", organisation_label(first), "4711")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["partners"] == [second, first]


def test_nothing_typed_is_an_empty_list_and_every_input_has_a_label():
    form = _form("", "")
    assert form.is_valid() and form.cleaned_data["partners"] == []
    html = str(PartnersForm()["partners"])
    assert html.count('<input type="text" name="partners"') == 2
    assert 'for="id_partners">Partner 1</label>' in html and 'for="id_partners_1">Partner 2</label>' in html


def test_an_unknown_entry_is_refused_and_comes_back_as_typed():
    OrganisationFactory(name="Fachhochschule Münster")
    form = _form("Fachhochschule Münster", "Gibt es nicht")
    assert not form.is_valid()
    assert "Keine Organisation gefunden zu „Gibt es nicht“" in str(form.errors["partners"])
    assert 'value="Gibt es nicht"' in str(form["partners"])
