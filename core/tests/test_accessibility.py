"""axe-core in Chromium on every page the app has (WCAG 2.2 AA).

The pages come from the permission matrix: every GET URL, opened as a persona
allowed to see it. German is the default; the same pages in English are checked
for the language switch.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from accounts.roles import expand_roles
from core.testing.access import LOGIN, PUBLIC
from core.testing.axe import axe_violations, format_violations
from core.tests.test_permission_matrix import PERSONAS, _matrices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _persona_for(access):
    if access.allowed == PUBLIC:
        return "anonymous"
    for persona, roles in PERSONAS.items():
        if roles is None:
            continue
        if access.allowed == LOGIN or expand_roles(set(roles)) & access.roles:
            return persona
    return "staff"


def test_every_page_has_no_axe_violations(page, world, login_page_as):
    matrix, _ = _matrices()
    failures = []
    checked = 0
    for url_name, access in sorted(matrix.items()):
        if access.method != "get" or url_name == "core:healthz":
            continue
        persona = _persona_for(access)
        if persona == "anonymous":
            page.context.clear_cookies()
        else:
            login_page_as(getattr(world, persona))
        url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a download (.ics, .csv, .xlsx, .pdf) is no page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "html" not in (response.headers.get("content-type") or ""):
            continue
        checked += 1
        violations = axe_violations(page)
        if violations:
            failures.append(f"{url} as {persona}:\n{format_violations(violations)}")
    assert checked > 5
    assert not failures, "\n\n".join(failures)


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
