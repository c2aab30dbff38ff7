"""The site's header and footer are rendered once per process (core.fragments); what differs per
visit (the current menu entry, the page the language switch returns to, the CSRF token, logged in
or not) must still be each visitor's own."""

import re

import pytest
from django.test import Client
from django.urls import reverse


def _current_entries(html: str) -> list[str]:
    menu = html.split('<nav class="public-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', menu)


@pytest.mark.django_db
def test_the_menu_marks_the_page_shown_and_no_other_after_visiting_several_pages(client):
    calendar, portal = reverse("events:calendar"), reverse("portal:search")
    assert _current_entries(client.get(calendar).content.decode()) == [calendar]
    assert _current_entries(client.get(portal).content.decode()) == [portal]
    assert _current_entries(client.get(reverse("core:imprint")).content.decode()) == []


@pytest.mark.django_db
def test_switching_the_language_brings_each_visitor_back_to_their_own_page_with_its_query(client):
    html = client.get(reverse("portal:search"), {"q": 'Mechatroniker "<b>'}).content.decode()
    next_value = re.search(r'<input name="next" type="hidden" value="([^"]*)">', html).group(1)
    assert next_value == "/portal/?q=Mechatroniker+%22%3Cb%3E"  # the query as sent, escaped once
    html = client.get(reverse("core:imprint")).content.decode()
    assert '<input name="next" type="hidden" value="/impressum/">' in html

    response = client.post(reverse("set_language"), {"language": "en", "next": "/impressum/"})
    assert response.status_code == 302 and response["Location"] == "/impressum/"
    assert 'lang="en"' in client.get("/impressum/").content.decode()


@pytest.mark.django_db
def test_each_visitor_switches_the_language_with_their_own_csrf_token():
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(reverse("core:imprint")).content.decode()
        form = html.split('class="lang-switch">', 1)[1].split("</form>", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        tokens.append(token)
        response = visitor.post(reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": "/"})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_a_logged_in_user_sees_logout_and_a_visitor_login_on_the_same_page(client, staff):
    assert "Anmelden" in client.get(reverse("core:imprint")).content.decode()
    client.force_login(staff)
    html = client.get(reverse("core:imprint")).content.decode()
    assert "Abmelden" in html and reverse("core:start") in html
    assert f'href="{reverse("accounts:login")}"' not in html
