"""Every page of the module renders for the people allowed to see it, in German and in English."""

import pytest
from django.urls import reverse

from networks.tests.url_access import URL_ACCESS
from testing.matrix import persona_for, url_for

pytestmark = pytest.mark.django_db


def test_every_page_and_download_answers_200_to_the_people_allowed(client, world):
    for url_name, access in URL_ACCESS.items():
        if access.method != "get":
            continue
        persona = persona_for(access)
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(world, persona), backend="accounts.backends.UserRolesBackend")
        for fmt in ("", "xlsx") if not access.page else ("",):
            response = client.get(url_for(access, world, url_name), {"format": fmt} if fmt else {})
            assert response.status_code == 200, f"{url_name} ({fmt or 'page'}) → {response.status_code}"


def test_pages_speak_english_when_asked(client, world):
    client.force_login(world.staff, backend="accounts.backends.UserRolesBackend")
    client.post("/sprache/", {"language": "en", "next": "/"})
    page = client.get(reverse("networks:overview")).content.decode()
    assert "Industry networks" in page and "Industrieverbünde" not in page
    board = client.get(reverse("networks:prospect_board")).content.decode()
    assert "Acquisition" in board and "identified" in board
