"""Campaigns: posts by hand, reach from the channel's export (preview, bad rows shown, all or nothing), totals and a
chart, companies and occupations linked to the portal, fair-stand leads with their consent."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Consent
from core.figures import figures_for_year
from core.models import OutgoingMail
from networks import services
from networks.models import Lead, Post, PostImport
from networks.services import NetworksRefused
from networks.tests.factories import CampaignFactory, PostFactory, StandFactory
from portal import selectors as portal_selectors
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _upload(client, campaign, text: str, name="export.csv"):
    return client.post(
        reverse("networks:post_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def test_a_campaign_csv_with_unknown_columns_is_refused_and_nothing_is_stored(login, staff):
    campaign = CampaignFactory()
    post = PostFactory(campaign=campaign, reach=100)
    response = _upload(login(staff), campaign, f"Link;Reichweite;Follower-Wachstum;Stimmung\n{post.link};2000;12;gut\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unbekannte Spalten: „Follower-Wachstum“, „Stimmung“." in page and "Es wurde nichts übernommen." in page
    assert not PostImport.objects.exists()
    post.refresh_from_db()
    assert post.reach == 100


def test_a_campaign_csv_with_duplicate_posts_shows_the_rows_and_cannot_be_confirmed(login, staff):
    campaign = CampaignFactory()
    post = PostFactory(campaign=campaign, reach=100)
    client = login(staff)
    csv = (
        "Link;Datum;Reichweite;Interaktionen\n"
        f"{post.link};14.09.2020;2000;150\n"
        "https://www.instagram.com/p/neu1/;21.09.2020;1800;90\n"
        f"{post.link}/?utm_source=ig;14.09.2020;2100;160\n"  # the same post again
        "https://www.instagram.com/p/neu2/;28.09.2020;viele;10\n"
    )
    response = _upload(client, campaign, csv)
    batch = PostImport.objects.get()
    assert response["Location"] == reverse("networks:post_import_preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Derselbe Beitrag steht schon in Zeile 2." in page
    assert "Reichweite: „viele“ ist keine ganze Zahl ≥ 0." in page
    assert "Übernehmen" not in page
    confirm = client.post(reverse("networks:post_import_confirm", args=[batch.pk]))
    assert confirm.status_code == 302
    assert "2 fehlerhafte Zeilen" in client.get(confirm["Location"]).content.decode()
    post.refresh_from_db()
    assert post.reach == 100 and Post.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == PostImport.Status.PREVIEW


def test_a_clean_channel_export_updates_reach_and_adds_new_posts_in_one_step(login, staff):
    campaign = CampaignFactory()
    post = PostFactory(campaign=campaign, reach=None)
    client = login(staff)
    csv = (
        "Permalink,Publish time,Reach,Likes,Comments,Shares,Saves,Description\n"
        f'{post.link},2020-09-14T10:00:00,"4.210",300,40,20,28,Lea stellt vor\n'
        "https://www.instagram.com/p/neu1/,2020-09-21T10:00:00,3890,250,30,11,10,Jonas\n"
    )
    response = _upload(client, campaign, csv)
    batch = PostImport.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "Übernehmen" in preview and "fehlerhafte Zeilen</dt><dd>0" in preview.replace("\n", "")
    client.post(reverse("networks:post_import_confirm", args=[batch.pk]))
    post.refresh_from_db()
    assert (post.reach, post.interactions, post.metrics_source) == (4210, 388, "import")
    new = Post.objects.get(link="https://www.instagram.com/p/neu1")
    assert (new.published_on, new.reach, new.interactions) == (datetime.date(2020, 9, 21), 3890, 301)
    again = client.post(reverse("networks:post_import_confirm", args=[batch.pk]))
    assert again.status_code == 302 and Post.objects.count() == 2  # confirmed once only


def test_reach_typed_by_hand_and_a_duplicate_link_is_refused(login, staff):
    campaign = CampaignFactory()
    existing = PostFactory(campaign=campaign)
    with pytest.raises(NetworksRefused) as error:
        services.post_save(campaign=campaign, published_on=datetime.date(2020, 9, 1), link=existing.link + "/")
    assert error.value.field == "link"
    client = login(staff)
    response = client.post(
        reverse("networks:post_edit", args=[existing.pk]),
        {"published_on": "2020-09-14", "channel": "instagram", "link": existing.link, "reach": "1500",
         "interactions": "120", "occupation": ""},
    )  # fmt: skip
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.reach, existing.metrics_source) == (1500, "manual")


def test_the_campaign_page_shows_totals_a_chart_and_what_it_made_visible_linked_to_the_portal(login, staff):
    from portal.tests.factories import ProfileFactory

    campaign = CampaignFactory(name="Azubimojis meets Industrie-Initiative")
    in_portal = OrganisationFactory(name="Terhechte Fördertechnik")
    profile = ProfileFactory(organisation=in_portal)
    elsewhere = OrganisationFactory(name="Nicht im Portal GmbH")
    _pk, slug, name = portal_selectors.occupation_choices()[0]
    PostFactory(campaign=campaign, organisation=in_portal, occupation_slug=slug, occupation_name=name, reach=4000,
                interactions=300, published_on=datetime.date(2020, 9, 14))  # fmt: skip
    PostFactory(campaign=campaign, organisation=elsewhere, reach=2500, interactions=100,
                published_on=datetime.date(2020, 11, 2))  # fmt: skip
    response = login(staff).get(reverse("networks:campaign_detail", args=[campaign.pk]))
    page = response.content.decode()
    detail = response.context["detail"]
    assert (detail.reach, detail.interactions) == (6500, 400)
    assert [row[0] for row in detail.chart_rows] == ["09/20", "10/20", "11/20"]
    assert "Reichweite je Monat" in page and "6.500" in page
    assert f'href="{profile.get_absolute_url()}"' in page and "Nicht im Portal GmbH" in page
    assert f'href="{reverse("portal:occupation_detail", args=[slug])}"' in page
    figures = figures_for_year(2020, "campaigns.")
    assert (figures["campaigns.posts"], figures["campaigns.reach"], figures["campaigns.companies"]) == (2, 6500, 2)
    assert figures["campaigns.occupations"] == 1


def test_a_lead_with_consent_becomes_a_newsletter_subscriber_and_a_contact_of_the_ihk(login, staff):
    from newsletter.tests.factories import NewsletterListFactory

    newsletter_list = NewsletterListFactory(slug="industrie")
    stand = StandFactory(name="AzuBeYou 2020")
    _pk, slug, name = portal_selectors.occupation_choices()[0]
    client = login(staff)
    response = client.post(
        reverse("networks:stand_detail", args=[stand.pk]),
        {"name": "Mia Messe", "email": "Mia@Schule.example", "interest": "Ausbildung nach dem Abitur",
         "occupation": slug, "consent_contact": "on", "consent_newsletter": "on", "newsletter_list": "industrie"},
    )  # fmt: skip
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.email, lead.occupation_name, lead.newsletter_list_slug) == ("mia@schule.example", name, "industrie")
    consent = Consent.objects.get(purpose=services.LEAD_CONTACT_PURPOSE)
    assert consent.email == "mia@schule.example" and "AzuBeYou 2020" in consent.source
    assert newsletter_list.subscribers.get().status == "pending"  # the double opt-in mail is on its way
    assert OutgoingMail.objects.filter(to_email="mia@schule.example", template="newsletter_confirm").exists()
    page = client.get(reverse("networks:stand_detail", args=[stand.pk])).content.decode()
    assert "Mia Messe" in page and reverse("portal:occupation_detail", args=[slug]) in page
    assert figures_for_year(2020, "campaigns.")["campaigns.fair_leads"] == 1


def test_a_consent_without_an_address_is_refused_and_nothing_is_stored(login, staff):
    stand = StandFactory()
    response = login(staff).post(
        reverse("networks:stand_detail", args=[stand.pk]), {"name": "Ohne Mail", "consent_contact": "on"}
    )
    assert response.status_code == 400
    assert "Für eine Einwilligung brauchen wir die E-Mail-Adresse." in response.content.decode()
    assert not Lead.objects.exists() and not Consent.objects.exists()
