"""GDPR: a prospect's contact person, a post's author and a fair-stand lead get their data exported and erased."""

import pytest
from django.urls import reverse

from contacts.models import OrganisationRole
from core.figures import figures_for_year
from core.privacy import ANONYMISED, DataSubject, personal_data_erase, personal_data_export
from networks import services
from networks.models import Lead, NetworkMembership, Post, Prospect, ProspectActivity
from networks.tests.factories import CampaignFactory, MembershipFactory, PostFactory, ProspectFactory, StandFactory
from testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

EMAIL = "lea.azubi@firma.example"


def _world(company_a):
    person = PersonFactory(first_name="Lea", last_name="Azubi", email=EMAIL)
    OrganisationRole.objects.create(person=person, organisation=company_a, kind="training")
    prospect = ProspectFactory(
        organisation=company_a, contact_name="Lea Azubi", contact_email=EMAIL, notes="mag Kaffee"
    )
    ProspectActivity.objects.create(prospect=prospect, kind="onepager", recipient=EMAIL)
    post = PostFactory(campaign=CampaignFactory(), author_name="Lea Azubi", author_role="Auszubildende",
                       author_email=EMAIL, reach=3000)  # fmt: skip
    stand = StandFactory()
    Lead.objects.create(stand=stand, name="Lea Azubi", email=EMAIL, interest="Ausbildung", consent_contact=True,
                        consent_wording=services.lead_contact_wording())  # fmt: skip
    membership = MembershipFactory(organisation=company_a)
    membership.contact_persons.add(person)
    return person, prospect, post


def test_the_export_holds_prospects_posts_authors_and_fair_leads(company_a):
    person, _prospect, _post = _world(company_a)
    data = personal_data_export(DataSubject(email=EMAIL, person=person))["networks"]
    assert data["prospects"][0]["contact_name"] == "Lea Azubi" and data["prospects"][0]["notes"] == "mag Kaffee"
    assert len(data["onepagers_received"]) == 1
    assert data["campaign_posts"][0]["author_role"] == "Auszubildende"
    assert (
        data["fair_leads"][0]["interest"] == "Ausbildung" and "kontaktiert" in data["fair_leads"][0]["consent_wording"]
    )
    assert data["contact_person_of"][0]["company"] == company_a.name


def test_erasure_removes_the_person_and_keeps_the_figures(login, lead, company_a):
    person, prospect, post = _world(company_a)
    before = figures_for_year(2020, "campaigns.")
    response = login(lead).post(reverse("contacts:person_erase", args=[person.pk]), {"confirm": "ja"})
    assert response.status_code == 302
    prospect = Prospect.objects.get(pk=prospect.pk)
    assert (prospect.contact_name, prospect.contact_email, prospect.notes) == ("", "", "")
    assert not ProspectActivity.objects.filter(recipient=EMAIL).exists()
    post = Post.objects.get(pk=post.pk)
    assert (post.author_name, post.author_email, post.reach) == (ANONYMISED, "", 3000)
    lead_row = Lead.objects.get()
    assert (lead_row.name, lead_row.email, lead_row.interest) == (ANONYMISED, "", "")
    assert not NetworkMembership.contact_persons.through.objects.filter(person_id=person.pk).exists()
    assert figures_for_year(2020, "campaigns.") == before
    assert EMAIL not in str(personal_data_export(DataSubject(email=EMAIL))["networks"])


def test_a_lead_known_only_by_address_is_erased_too():
    stand = StandFactory()
    Lead.objects.create(stand=stand, name="Finn Fair", email="finn@schule.example")
    result = personal_data_erase(DataSubject(email="Finn@Schule.example"))
    assert result["networks"] == 1 and Lead.objects.get().name == ANONYMISED
