"""Phones first: no public portal page scrolls sideways at 375 px (filters, tables, long option texts)."""

import pytest

from testing.viewport import horizontal_overflow, public_pages, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_public_portal_page_scrolls_sideways_on_a_phone(page, world):
    from portal.models import Offer
    from portal.selectors import clear_caches

    # the longest texts the pages hold: a long occupation as the offer's title, a long company name
    Offer.objects.filter(pk=world.portal_offer.pk).update(
        title="Elektronikerin für Automatisierungstechnik (Schwerpunkt Prozessleittechnik) mit Zusatzqualifikation"
    )
    world.portal_a.name = "Westmünsterländische Präzisionsmaschinenbaugesellschaft mbH & Co. KG"
    world.portal_a.save()
    clear_caches()
    assert len(public_pages("portal:")) >= 8
    failures = horizontal_overflow(
        page, world, prefix="portal:",
        extra={
            "portal:search": [
                "?ansicht=berufe", "?ort=Hintertupfingen&umkreis=25",
                "?beruf=elektroniker-in-fuer-automatisierungstechnik&ort=Coesfeld",
            ],
            "portal:occupation_detail": ["?kreis=borken"],
        },
    )  # fmt: skip
    assert not failures, "\n".join(failures)


def test_portal_search_screenshots_at_phone_and_desktop_width(page, world):
    taken = screenshots(page, "/portal/?q=Mechatroniker&ort=Coesfeld", "portal-search")
    assert all(path.stat().st_size > 10_000 for path in taken)
