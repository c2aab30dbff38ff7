"""Staff creating an organisation or a person that looks like an existing one are warned first.

The form shows the likely duplicates with links and saves only after "Trotzdem anlegen"; it
works as a plain form post (no JavaScript involved).
"""

import pytest
from django.urls import reverse

from contacts.duplicates import organisation_domain, organisation_name_key
from contacts.models import Organisation, OrganisationRole, Person
from testing.factories import OrganisationFactory, OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("contacts:organisation_create")


def _organisation(**values):
    data = {"name": "", "postcode": "", "city": "", "website": "", "email": "", "employees": ""}
    data.update(values)
    return data


@pytest.mark.parametrize(
    "name",
    ["Bröcker GmbH", "BROECKER GmbH & Co. KG", "Bröcker AG", "bröcker", "Brocker e.K.", "Bröcker-GmbH"],
)
def test_legal_form_case_accents_and_punctuation_do_not_hide_a_duplicate_name(name):
    assert organisation_name_key(name) == "brocker"


def test_mail_provider_domains_are_no_sign_of_the_same_company():
    assert organisation_domain(email="info@gmail.com") == ""
    assert organisation_domain(email="info@broecker.de") == "broecker.de"
    assert organisation_domain(website="https://www.broecker.de/kontakt", email="x@gmx.de") == "broecker.de"


def test_creating_an_organisation_with_the_name_of_an_existing_one_warns_and_saves_nothing(client, staff):
    existing = OrganisationFactory(name="Bröcker Maschinenbau GmbH", postcode="48143", city="Münster")
    client.force_login(staff)

    response = client.post(CREATE, _organisation(name="Broecker Maschinenbau GmbH & Co. KG", postcode="59065"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mögliche Dubletten" in page and existing.get_absolute_url() in page and "gleicher Name" in page
    assert "Trotzdem anlegen" in page
    assert Organisation.objects.count() == 1


def test_trotzdem_anlegen_creates_the_organisation_after_the_warning(client, staff):
    existing = OrganisationFactory(name="Bröcker Maschinenbau GmbH")
    client.force_login(staff)
    data = _organisation(name="Bröcker Maschinenbau AG")

    client.post(CREATE, data)
    response = client.post(CREATE, {**data, "trotzdem": "1", "dubletten_bestaetigt": str(existing.pk)})

    assert response.status_code == 302
    assert Organisation.objects.filter(name="Bröcker Maschinenbau AG").exists()


def test_a_duplicate_not_shown_before_asks_again_even_with_trotzdem(client, staff):
    first = OrganisationFactory(name="Bröcker Maschinenbau GmbH")
    second = OrganisationFactory(name="Other", website="https://broecker.de")
    client.force_login(staff)
    data = _organisation(name="Bröcker Maschinenbau", website="https://www.broecker.de")
    response = client.post(CREATE, {**data, "trotzdem": "1", "dubletten_bestaetigt": str(first.pk)})
    assert response.status_code == 200 and second.get_absolute_url() in response.content.decode()
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(
    ("existing", "new", "reason"),
    [
        ({"name": "Alpha Technik", "website": "https://www.alpha-technik.de"},
         {"name": "A. Technik Vertrieb", "website": "alpha-technik.de"}, "gleiche Domain"),
        ({"name": "Alpha Technik", "email": "info@alpha-technik.de"},
         {"name": "Technik Alpha", "email": "verkauf@alpha-technik.de"}, "gleiche Domain"),
        ({"name": "Hölscher Logistik", "postcode": "48155"},
         {"name": "Hoelscher Spedition", "postcode": "48155"}, "ähnlicher Name, gleiche PLZ"),
    ],
)  # fmt: skip
def test_same_domain_or_same_postcode_and_similar_name_warn(client, staff, existing, new, reason):
    OrganisationFactory(**{"postcode": "", **existing})
    client.force_login(staff)
    response = client.post(CREATE, _organisation(**new))
    assert response.status_code == 200 and reason in response.content.decode()


def test_an_unrelated_organisation_is_created_without_a_warning(client, staff):
    OrganisationFactory(name="Bröcker Maschinenbau GmbH", postcode="48143")
    client.force_login(staff)
    response = client.post(CREATE, _organisation(name="Kunststoff Nord GmbH", postcode="48143"))
    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_editing_an_organisation_does_not_warn_about_itself(client, staff):
    organisation = OrganisationFactory(name="Bröcker GmbH")
    client.force_login(staff)
    response = client.post(
        reverse("contacts:organisation_edit", args=[organisation.pk]),
        _organisation(name="Bröcker GmbH", city="Münster"),
    )
    assert response.status_code == 302


def test_creating_a_person_with_a_known_email_warns_first(client, staff):
    existing = PersonFactory(first_name="Anna", last_name="Schmitz", email="anna@example.org")
    client.force_login(staff)
    data = {"first_name": "Anne", "last_name": "Schmitz", "email": "ANNA@example.org", "language": "de"}

    response = client.post(reverse("contacts:person_create"), data)
    assert "gleiche E-Mail-Adresse" in response.content.decode()
    assert existing.get_absolute_url() in response.content.decode()
    assert Person.objects.count() == 1

    data.update({"trotzdem": "1", "dubletten_bestaetigt": str(existing.pk)})
    assert client.post(reverse("contacts:person_create"), data).status_code == 302
    assert Person.objects.count() == 2


def test_adding_a_person_with_the_same_name_at_the_company_warns_first(client, staff, company_a):
    existing = OrganisationRoleFactory(
        organisation=company_a, person=PersonFactory(first_name="Jörg", last_name="Müller", email="")
    ).person
    client.force_login(staff)
    url = reverse("contacts:organisation_add_person", args=[company_a.pk])
    data = {"first_name": "Joerg", "last_name": "Mueller", "email": "", "kind": "hr"}

    response = client.post(url, data)
    assert "gleicher Name bei" in response.content.decode() and existing.get_absolute_url() in response.content.decode()
    assert OrganisationRole.objects.filter(organisation=company_a).count() == 1

    response = client.post(url, {**data, "trotzdem": "1", "dubletten_bestaetigt": str(existing.pk)})
    assert response.status_code == 302
    assert OrganisationRole.objects.filter(organisation=company_a).count() == 2
