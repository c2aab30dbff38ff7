"""Search engines find the public pages: /robots.txt names /sitemap.xml, which lists every app's public pages."""

import pytest
from django.urls import reverse

from core import sitemaps

pytestmark = pytest.mark.django_db


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()


def test_sitemap_lists_the_start_page_a_company_and_an_offer(client, company_a):
    from portal.tests.factories import OfferFactory, ProfileFactory

    profile = ProfileFactory(organisation=company_a)
    offer = OfferFactory(profile=profile)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset')
    assert "<url><loc>http://testserver/</loc></url>" in body
    assert f"<loc>http://testserver{profile.get_absolute_url()}</loc>" in body
    assert f"<loc>http://testserver{offer.get_absolute_url()}</loc><lastmod>" in body
    assert "<loc>http://testserver/impressum/</loc>" in body


def test_sitemap_lists_the_public_pages_of_every_module(client):
    from advisory.tests.factories import make_day
    from events.tests.factories import EventFactory
    from testing.factories import UserFactory

    event = EventFactory()
    day = make_day(UserFactory(email="expertin-sitemap@example.org"))
    body = client.get("/sitemap.xml").content.decode()
    for path in (
        "/veranstaltungen/", event.get_absolute_url(), "/beratung/sprechtage/", day.get_absolute_url(),
        reverse("climate:calculator"), reverse("newsletter:index"), reverse("competition:home"),
        reverse("networks:supporters"),
    ):  # fmt: skip
        assert f"<loc>http://testserver{path}</loc>" in body, path


def test_the_old_portal_sitemap_address_leads_to_the_site_wide_one(client):
    response = client.get(reverse("portal:sitemap"))
    assert response.status_code == 301 and response.url == "/sitemap.xml"


def test_past_the_size_limit_the_sitemap_becomes_an_index_of_files(client, monkeypatch):
    @sitemaps.register_sitemap("zz-test")
    def many():
        for number in range(5):
            yield f"/test/{number}/", None

    monkeypatch.setattr(sitemaps, "MAX_URLS", 3)
    try:
        index = client.get("/sitemap.xml").content.decode()
        assert "<sitemapindex" in index
        assert "<loc>http://testserver/sitemap-zz-test-1.xml</loc>" in index
        assert "<loc>http://testserver/sitemap-zz-test-2.xml</loc>" in index
        assert "sitemap-zz-test-3.xml" not in index
        second = client.get("/sitemap-zz-test-2.xml").content.decode()
        assert "/test/3/" in second and "/test/4/" in second and "/test/0/" not in second
        assert client.get("/sitemap-zz-test-3.xml").status_code == 404
        assert client.get("/sitemap-unbekannt-1.xml").status_code == 404
    finally:
        sitemaps._SECTIONS.pop("zz-test")
