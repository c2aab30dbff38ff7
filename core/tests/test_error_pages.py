"""Error pages in the site's layout and language, with a way back (issue 19, item 2).

Tests run with DEBUG off, as production does, so Django shows the project's pages.
"""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from core.views import server_error


def _assert_in_layout_with_a_way_back(response, heading):
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the site's layout
    assert f'href="{reverse("core:home")}"' in html.split("<main", 1)[1]  # a way back, in the page itself


@pytest.mark.django_db
def test_a_mistyped_address_shows_a_german_not_found_page_with_a_way_back(client):
    assert not settings.DEBUG
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    _assert_in_layout_with_a_way_back(response, "Seite nicht gefunden")
    assert '<html lang="de">' in response.content.decode()


@pytest.mark.django_db
def test_an_english_visitor_gets_the_not_found_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    _assert_in_layout_with_a_way_back(response, "Page not found")
    assert "Back to the home page" in response.content.decode()


@pytest.mark.django_db
def test_a_pupil_on_a_staff_page_is_told_they_lack_the_permission_and_can_go_to_their_area(login, public_user):
    response = login(public_user).get(reverse("core:mail_log"))
    assert response.status_code == 403
    _assert_in_layout_with_a_way_back(response, "Kein Zugriff")
    assert f'href="{reverse("core:start")}"' in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_the_address_gives_the_bad_request_page(client):
    response = client.get("/portal/", {"q": "a\x00b"})
    assert response.status_code == 400
    _assert_in_layout_with_a_way_back(response, "Ungültige Anfrage")


@pytest.mark.django_db
def test_a_form_sent_from_an_old_tab_explains_the_expired_form_and_offers_a_reload():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    _assert_in_layout_with_a_way_back(response, "Formular abgelaufen")
    assert f'href="{reverse("accounts:login")}">Seite neu laden</a>' in response.content.decode()


@pytest.mark.django_db
def test_a_bug_shows_the_technical_error_page_not_a_bare_server_message(settings):
    settings.ROOT_URLCONF = "core.tests.urls_with_error"
    client = Client(raise_request_exception=False)
    response = client.get("/kaputt/")
    assert response.status_code == 500
    _assert_in_layout_with_a_way_back(response, "Technischer Fehler")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _assert_in_layout_with_a_way_back(client.get("/kaputt/"), "Technical error")


def test_the_500_page_needs_neither_database_nor_request_context(rf):
    # No django_db mark: any query would fail this test. The request is not passed to the template.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    _assert_in_layout_with_a_way_back(response, "Technischer Fehler")


@pytest.mark.django_db
def test_the_browser_finds_a_favicon_at_the_usual_address_and_in_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("core/favicon.ico")
    assert finders.find("core/favicon.ico") and finders.find("core/favicon.svg")
    assert 'rel="icon" href="/static/core/favicon.svg"' in client.get("/").content.decode()
