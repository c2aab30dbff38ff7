"""Phones first (issue 19, acceptance): no public page of the permission matrix scrolls sideways at
375 px, and the everyday pages are kept as screenshots at 375 and 1280 px.

The screenshots land in ``test-results/screenshots/`` (git-ignored; CI may keep the folder as an
artefact): the start page, an event, a booking, a portal search, the personal area and the staff
start page.
"""

from pathlib import Path

import pytest

from testing.axe import axe_violations, format_violations
from testing.matrix import matrices, url_for
from testing.viewport import DESKTOP, PHONE, horizontal_overflow, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_no_public_page_scrolls_sideways_on_a_phone(page, world):
    """Every public page of the matrix at 375 px; the failure lists every page that overflows."""
    assert len(public_pages()) >= 40
    failures = horizontal_overflow(page, world, extra={"portal:search": ["?q=Mechatroniker&ort=Coesfeld"]})
    assert not failures, f"{len(failures)} pages scroll sideways at 375 px:\n" + "\n".join(failures)


def _everyday_pages(world) -> list[tuple[str, str, object]]:
    """(file name, path, who is logged in) of the pages the acceptance names."""
    matrix = matrices()[0]

    def path(url_name):
        return url_for(matrix[url_name], world, url_name)

    return [
        ("start-page", path("core:home"), None),
        ("event", path("events:detail"), None),
        ("booking", path("advisory:booking_manage"), None),
        ("portal-search", path("portal:search") + "?q=Mechatroniker&ort=Coesfeld", None),
        ("personal-area", path("core:personal"), world.public_user),
        ("staff-start-page", path("core:start"), world.staff),
    ]


def _a_day_with_something_in_it(world) -> None:
    """The pupil's registration, booking and subscription; an event and a consultation day today."""
    import datetime

    from django.utils import timezone

    from advisory.tests.factories import book, make_day
    from events.tests.factories import RegistrationFactory, event_with_audience
    from newsletter.tests.factories import SubscriberFactory

    email = world.public_user.email
    _event, audience = event_with_audience(title="Meet the Future: Ausbildung in der Industrie", quota=20)
    RegistrationFactory(audience=audience, email=email, first_name="Sam", last_name="Schüler")
    book(make_day(world.expert, count=4), email=email, name="Sam Schüler")
    SubscriberFactory(email=email)
    now = timezone.now()
    _today, today_audience = event_with_audience(
        title="Netzwerktreffen Energie", starts_at=now + datetime.timedelta(hours=2), quota=30,
        ends_at=now + datetime.timedelta(hours=4),
    )  # fmt: skip
    RegistrationFactory(audience=today_audience)
    book(make_day(world.expert, days_ahead=0.05, count=4), email="firma@example.org", name="Frank Firma")


def test_screenshots_of_the_everyday_pages_at_phone_and_desktop_width(page, world, login_page_as):
    _a_day_with_something_in_it(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide, violations = [], []
    for name, path, user in _everyday_pages(world):
        if user is None:
            page.context.clear_cookies()
        else:
            login_page_as(user)
        for label, size in (("375", PHONE), ("1280", DESKTOP)):
            page.set_viewport_size(size)
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            if size == PHONE and not _fits(page):
                too_wide.append(f"{name} ({path})")
            if size == DESKTOP and axe_violations(page):
                violations.append(f"{name}: {format_violations(axe_violations(page))}")
            target = SCREENSHOTS / f"{name}-{label}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 5_000, target
    assert not too_wide, "scroll sideways at 375 px: " + ", ".join(too_wide)
    assert not violations, "\n".join(violations)
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 12
