"""The shared helpers of ARCHITECTURE.md "One way to do each thing"."""

import pytest
from django.test import RequestFactory

from core.http import client_ip, safe_next_url
from core.params import int_param, page_param, parse_int, year_param


@pytest.mark.parametrize("value", ["0", "999999", "²", "2020\x00", "", None, "1e3", " ", "12" * 40, "-5"])
def test_hostile_year_values_give_the_current_year(value):
    from django.utils import timezone

    assert year_param({"jahr": value}) == timezone.localdate().year


def test_a_plausible_year_is_taken_and_none_can_mean_no_year():
    assert year_param({"jahr": "2020"}) == 2020
    assert year_param({}, default=None) is None


def test_integers_accept_ascii_digits_only_and_are_clamped():
    assert parse_int("٣") is None  # an Arabic-Indic digit passes str.isdigit(), not this parser
    assert parse_int("42") == 42
    assert int_param({"n": "500"}, "n", default=1, maximum=100) == 100
    assert page_param({"seite": "0"}) == 1
    assert page_param({"seite": "7"}, last=3) == 3


def test_an_id_parameter_that_is_no_id_means_none():
    from core.params import id_param

    assert id_param({"zielgruppe": "-5"}, "zielgruppe") is None
    assert id_param({"zielgruppe": "0"}, "zielgruppe") is None
    assert id_param({"zielgruppe": "9" * 30}, "zielgruppe") is None
    assert id_param({"zielgruppe": "12"}, "zielgruppe") == 12


def test_next_url_must_stay_on_the_site():
    factory = RequestFactory()
    assert safe_next_url(factory.get("/", {"next": "https://evil.example/"}), "/start/") == "/start/"
    assert safe_next_url(factory.get("/", {"next": "//evil.example/x"}), "/start/") == "/start/"
    assert safe_next_url(factory.get("/", {"next": "/beratung/"}), "/start/") == "/beratung/"


def test_client_address_comes_from_the_proxy_header_only_behind_the_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.django_db
def test_a_nul_byte_in_a_parameter_is_a_bad_request_not_a_server_error(client):
    assert client.get("/portal/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/klima/rechner/%00/").status_code in (400, 404)
