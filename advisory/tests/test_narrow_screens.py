"""Phones first: no public page of advisory, events or newsletter scrolls sideways at 375 px.

``overflowing_pages`` takes URL-name prefixes, so the same check can walk any module's public
pages from the permission matrix (the portal has its own; the lead may merge them).
"""

import pytest
from playwright.sync_api import Error as PlaywrightError

from testing.access import PUBLIC
from testing.matrix import matrices, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 375
OVERFLOW = """() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    culprits: [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .filter(el => !el.closest('.table-wrap, .table-scroll'))
        .slice(0, 5)
        .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '')),
})"""


def overflowing_pages(page, world, prefixes, *, width: int = PHONE_WIDTH) -> list[str]:
    """Every public GET page whose URL name starts with one of ``prefixes``, opened at ``width``
    pixels; returns the pages where ``document.documentElement.scrollWidth > window.innerWidth``."""
    page.set_viewport_size({"width": width, "height": 800})
    page.context.clear_cookies()
    failures, checked = [], 0
    for url_name, access in sorted(matrices()[0].items()):
        if not (access.is_page and access.allowed == PUBLIC and url_name.startswith(tuple(prefixes))):
            continue
        url = url_for(access, world, url_name)
        query = "&".join(f"{key}={value}" for key, value in access.data.items())
        try:
            page.goto(f"{url}?{query}" if query else url)
        except PlaywrightError as error:
            failures.append(f"{url} ({url_name}) did not open: {error.message.splitlines()[0]}")
            continue
        checked += 1
        result = page.evaluate(OVERFLOW)
        if result["scroll"] > result["inner"]:
            failures.append(
                f"{url} ({url_name}): {result['scroll']} px wide > {result['inner']} px {result['culprits']}"
            )
    assert checked, f"no public page found for {prefixes}"
    return failures


def test_public_pages_of_advisory_events_and_newsletter_fit_a_phone(page, world):
    failures = overflowing_pages(page, world, ["advisory:", "events:", "newsletter:"])
    assert not failures, "\n".join(failures)
