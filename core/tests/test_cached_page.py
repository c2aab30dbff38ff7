"""core.fragments.cached_page: the page around a public page's content is rendered once per process,
and still every visitor sees their own token, way back, messages and registration (issue 18)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event, Registration
from events.tests.factories import event_with_audience

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_fragments")]


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _way_back(page: str) -> str:
    return re.search(r'<input name="next" type="hidden" value="([^"]*)">', page).group(1)


def _register(visitor: Client, url: str, audience, name: str):
    page = visitor.get(url).content.decode()
    data = {"csrfmiddlewaretoken": _token(page), "audience": audience.pk, "first_name": name,
            "last_name": "Muster", "email": f"{name.lower()}@example.org"}  # fmt: skip
    return visitor.post(url, data)


def test_each_visitor_gets_a_token_of_their_own_that_registers_them():
    event, audience = event_with_audience(quota=10)
    url = reverse("events:detail", args=[event.slug])
    anna, ben = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    anna_page, ben_page = anna.get(url).content.decode(), ben.get(url).content.decode()
    assert _token(anna_page) != _token(ben_page)
    assert anna_page.replace(_token(anna_page), "T") == ben_page.replace(_token(ben_page), "T")  # the rest alike
    assert _register(anna, url, audience, "Anna").status_code == 302
    assert _register(ben, url, audience, "Ben").status_code == 302


def test_the_language_switch_leads_each_visitor_back_to_where_they_came_from(client):
    event, _audience = event_with_audience(quota=10)
    url = reverse("events:detail", args=[event.slug])
    assert _way_back(client.get(url + "?von=newsletter").content.decode()) == url + "?von=newsletter"
    assert _way_back(client.get(url).content.decode()) == url


def test_the_confirmation_shows_each_person_their_own_registration_and_its_message_once():
    event, audience = event_with_audience(quota=10)
    url = reverse("events:detail", args=[event.slug])
    anna, ben = Client(), Client()
    anna_confirmation = anna.get(_register(anna, url, audience, "Anna")["Location"]).content.decode()
    ben_confirmation = ben.get(_register(ben, url, audience, "Ben")["Location"]).content.decode()
    assert "Sie sind angemeldet" in anna_confirmation and "Anna Muster" in anna_confirmation
    assert "Sie sind angemeldet" in ben_confirmation and "Ben Muster" in ben_confirmation
    assert "Anna" not in ben_confirmation
    again = anna.get(Registration.objects.get(email="anna@example.org").get_manage_url()).content.decode()
    assert "Sie sind angemeldet" not in again and "Anna Muster" in again  # the message shown once, as before


def test_a_signed_in_user_sees_their_own_header_not_a_visitors(client, staff):
    event, _audience = event_with_audience(quota=10)
    url = reverse("events:detail", args=[event.slug])
    assert "Abmelden" not in client.get(url).content.decode()
    client.force_login(staff)
    assert "Abmelden" in client.get(url).content.decode()
    client.logout()
    assert "Abmelden" not in client.get(url).content.decode()


def test_a_renamed_event_has_its_new_title_on_the_next_request(client):
    event, _audience = event_with_audience(quota=10, title="Meet the Boss")
    url = reverse("events:detail", args=[event.slug])
    assert "<title>Meet the Boss – Kammerwerk</title>" in client.get(url).content.decode()
    Event.objects.filter(pk=event.pk).update(title="Meet the Chef")
    assert "<title>Meet the Chef – Kammerwerk</title>" in client.get(url).content.decode()


def test_english_visitors_get_the_page_in_english(client, settings):
    event, _audience = event_with_audience(quota=10)
    url = reverse("events:detail", args=[event.slug])
    assert '<html lang="de">' in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page and "Skip to content" in page


def test_the_home_page_offers_a_signed_in_user_their_area_and_a_visitor_not(client, public_user):
    home = reverse("core:home")
    assert "Zu meinem Bereich" not in client.get(home).content.decode()
    client.force_login(public_user)
    assert "Zu meinem Bereich" in client.get(home).content.decode()
    client.logout()
    assert "Zu meinem Bereich" not in client.get(home).content.decode()
