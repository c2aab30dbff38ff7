"""axe-core on every advisory page (the same check as core's accessibility test, for this app only),
in German and in English."""

import pytest
from django.urls import reverse

from testing.axe import axe_violations, format_violations
from testing.matrix import matrices, persona_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advisory_pages_have_no_axe_violations(page, world, login_page_as, live_server):
    matrix, _ = matrices()
    failures, checked = [], 0
    for url_name, access in sorted(matrix.items()):
        if not url_name.startswith("advisory:") or not access.is_page:
            continue
        persona = persona_for(access)
        if persona == "anonymous":
            page.context.clear_cookies()
        else:
            login_page_as(getattr(world, persona))
        for language in ("de", "en") if persona == "anonymous" else ("de",):
            page.context.add_cookies([{"name": "kammerwerk_language", "value": language, "url": live_server.url}])
            url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
            query = "&".join(f"{k}={v}" for k, v in access.data.items())
            response = page.goto(f"{url}?{query}" if query else url)
            assert response.status == 200, (url, response.status)
            checked += 1
            violations = axe_violations(page)
            if violations:
                failures.append(f"{url} ({language}) as {persona}:\n{format_violations(violations)}")
    assert checked >= 20
    assert not failures, "\n\n".join(failures)
