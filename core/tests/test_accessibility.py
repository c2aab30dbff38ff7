"""axe-core in Chromium on every page the app has (WCAG 2.2 AA).

The pages come from the permission matrix: every GET URL, opened as a persona
allowed to see it, in German; the public pages again in English. While they load,
the browser must refuse nothing under the Content-Security-Policy (no inline script,
no inline style element, no eval).
"""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from testing.axe import axe_violations, format_violations, watch_policy_violations
from testing.matrix import matrices, persona_for, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _query(access) -> str:
    return "&".join(f"{key}={value}" for key, value in access.data.items())


def test_every_page_has_no_axe_violations(page, world, login_page_as):
    """Every GET page of the matrix, opened as a persona allowed to see it, in German."""
    pages = {name: access for name, access in matrices()[0].items() if access.is_page}
    refused = watch_policy_violations(page)
    failures, checked = [], 0
    for url_name, access in sorted(pages.items()):
        persona = persona_for(access)
        if persona == "anonymous":
            page.context.clear_cookies()
        else:
            login_page_as(getattr(world, persona))
        url = url_for(access, world, url_name)
        query = _query(access)
        try:
            response = page.goto(f"{url}?{query}" if query else url)
        except PlaywrightError as error:  # "Download is starting": a file, not a page
            failures.append(f"{url} ({url_name}) is no page ({error.message.splitlines()[0]}): mark it page=False")
            continue
        content_type = (response.headers.get("content-type") or "") if response else ""
        if "html" not in content_type:
            failures.append(f"{url} ({url_name}) is no HTML page ({content_type}): mark it page=False")
            continue
        checked += 1
        violations = axe_violations(page)
        if violations:
            failures.append(f"{url} as {persona}:\n{format_violations(violations)}")
    assert not failures, "\n\n".join(failures)
    assert checked == len(pages)
    assert not refused, "refused under the Content-Security-Policy:\n" + "\n".join(refused)


def test_every_public_page_in_english_has_no_axe_violations(page, world, live_server):
    """The public pages as an English-speaking visitor (language cookie ``en``) sees them."""
    pages = {
        name: access for name, access in matrices()[0].items() if access.is_page and persona_for(access) == "anonymous"
    }
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    refused = watch_policy_violations(page)
    failures, checked = [], 0
    for url_name, access in sorted(pages.items()):
        url = url_for(access, world, url_name)
        query = _query(access)
        response = page.goto(f"{url}?{query}" if query else url)
        if response is None or response.status >= 500:  # 4xx may be the page (an invalid link's notice)
            failures.append(f"{url} ({url_name}): {response.status if response else 'no response'}")
            continue
        if page.locator("html").get_attribute("lang") != "en":
            failures.append(f"{url} ({url_name}) is not in English")
            continue
        checked += 1
        violations = axe_violations(page)
        if violations:
            failures.append(f"{url} (en):\n{format_violations(violations)}")
    assert not failures, "\n\n".join(failures)
    assert checked == len(pages) > 0
    assert not refused, "refused under the Content-Security-Policy:\n" + "\n".join(refused)


def test_json_ld_data_blocks_still_reach_search_engines_under_the_policy(page, world):
    """JSON-LD ``<script type="application/ld+json">`` is data, not script: the policy leaves it readable."""
    refused = watch_policy_violations(page)
    matrix = matrices()[0]
    for url_name in ("events:detail", "portal:offer_detail"):
        page.goto(url_for(matrix[url_name], world, url_name))
        blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
        assert blocks, f"{url_name} has no JSON-LD"
        assert all(json.loads(block)["@context"].startswith("https://schema.org") for block in blocks)
    assert not refused


def test_language_switch_to_english_and_back(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("link", name="Anmelden").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Log in").is_visible()
    assert not axe_violations(page)
    page.get_by_role("button", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"


def test_staff_can_log_in_through_the_form(page, staff, browser_login):
    browser_login(staff)
    assert page.url.endswith(reverse("core:start"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Willkommen")
    assert page.get_by_role("navigation", name="Arbeitsbereich").get_by_role("link", name="Organisationen").is_visible()
