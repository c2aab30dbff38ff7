"""Pages opened by a personal token are kept by no shared cache and no browser history (issue 12,
item 13): a booking, a registration, newsletter preferences and their data export, a survey, a
password link. Every matrix entry whose URL carries a token is checked; the views use
``core.http.private_page``.
"""

import pytest

from testing.fuzz import path_converters
from testing.matrix import PERSONAS, matrices, persona_for, request_as


def token_entries() -> list[str]:
    """Matrix entries whose URL carries a personal token (a path argument named ``…token…``)."""
    return [name for name in sorted(matrices()[0]) if any("token" in argument for argument in path_converters(name))]


def test_the_token_pages_are_found():
    assert {"advisory:booking_manage", "events:registration_manage", "newsletter:preferences"} <= set(token_entries())


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", token_entries())
def test_a_page_opened_by_a_personal_token_is_not_kept_by_caches_or_history(client, world, url_name):
    access = matrices()[0][url_name]
    persona = persona_for(access)
    assert persona in PERSONAS
    url, response = request_as(client, world, persona, url_name, access)
    assert response.status_code < 500, (url, response.status_code)
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control, f"{url}: Cache-Control {response.get('Cache-Control')!r}"
