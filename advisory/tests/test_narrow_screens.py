"""Phones first (issue 19, item 1): no public page of advisory, events or newsletter scrolls sideways
at 375 px.

``overflowing_pages`` takes URL-name prefixes, so the same check walks any module's public pages from
the permission matrix (the portal has its own; the lead may merge them into one).
"""

import pytest
from django.urls import reverse
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
        .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
             + (el.className ? '.' + String(el.className).split(' ').join('.') : '')),
})"""


def overflowing_urls(page, urls: dict[str, str], *, width: int = PHONE_WIDTH) -> list[str]:
    """Open each URL (name → URL) at ``width`` pixels as a visitor; return those that scroll sideways
    (``document.documentElement.scrollWidth > window.innerWidth``), naming the elements that stick out."""
    page.set_viewport_size({"width": width, "height": 800})
    page.context.clear_cookies()
    failures = []
    for name, url in urls.items():
        try:
            page.goto(url)
        except PlaywrightError as error:
            failures.append(f"{url} ({name}) did not open: {error.message.splitlines()[0]}")
            continue
        result = page.evaluate(OVERFLOW)
        if result["scroll"] > result["inner"]:
            failures.append(f"{url} ({name}): {result['scroll']} px > {result['inner']} px {result['culprits']}")
    return failures


def overflowing_pages(page, world, prefixes, *, width: int = PHONE_WIDTH) -> list[str]:
    """Every public GET page of the permission matrix whose URL name starts with one of ``prefixes``."""
    urls = {}
    for url_name, access in sorted(matrices()[0].items()):
        if access.is_page and access.allowed == PUBLIC and url_name.startswith(tuple(prefixes)):
            url = url_for(access, world, url_name)
            query = "&".join(f"{key}={value}" for key, value in access.data.items())
            urls[url_name] = f"{url}?{query}" if query else url
    assert urls, f"no public page found for {prefixes}"
    return overflowing_urls(page, urls, width=width)


def test_public_pages_of_advisory_events_and_newsletter_fit_a_phone(page, world):
    failures = overflowing_pages(page, world, ["advisory:", "events:", "newsletter:"])
    assert not failures, "\n".join(failures)


def test_more_states_of_those_pages_fit_a_phone(page, world):
    """States the matrix does not open: a Meet-the-Boss registration form (checkbox lists), a full day
    (the waiting-list form), a booking that can move (the list of free slots), a filtered calendar."""
    urls = {
        "Meet-the-Boss": reverse("events:detail", args=[world.mtb_event.slug]),
        "full day": reverse("advisory:day_public", args=[world.full_day.pk]),
        "move a booking": reverse("advisory:booking_manage", args=[world.spare_booking.token]),
        "calendar filtered": reverse("events:calendar") + "?art=meet_the_boss",
    }
    failures = overflowing_urls(page, urls)
    assert not failures, "\n".join(failures)
