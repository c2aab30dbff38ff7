"""The token page in Chromium (axe-clean, also with a new token and the list), and the OpenAPI page:
swagger-ui loads from our static files only and the Content-Security-Policy refuses nothing."""

import re

import pytest

from api.services import token_create
from testing.axe import axe_violations, format_violations, watch_policy_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_token_page_shows_a_new_token_once_and_is_accessible(page, staff, login_page_as):
    token_create(user=staff, name="Altes Token", scopes=["events:read"])
    refused = watch_policy_violations(page)
    login_page_as(staff)
    page.goto("/api/tokens/")
    page.get_by_label("Bezeichnung").fill("Website-Export")
    page.get_by_label("Veranstaltungen und Anmeldungen – lesen").check()
    page.get_by_role("button", name="Token anlegen").click()
    assert page.locator("#new-token").inner_text().startswith("kw_")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.get_by_role("button", name=re.compile("Widerrufen.*Website-Export")).click()
    assert page.locator("#new-token").count() == 0
    assert "widerrufen" in page.locator("table").inner_text()
    assert not refused


def test_the_openapi_page_loads_only_our_own_assets(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    refused = watch_policy_violations(page)
    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/organisations").first.wait_for()
    foreign = [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert not foreign, foreign
    assert not refused, refused
