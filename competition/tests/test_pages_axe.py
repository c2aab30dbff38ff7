"""axe-core on every competition page (the same check as core's accessibility test, for this app only),
in German, and the public ones in English too."""

import pytest
from django.urls import reverse

from testing.axe import axe_violations, format_violations
from testing.matrix import matrices, persona_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_competition_pages_have_no_axe_violations(page, world, login_page_as, live_server):
    matrix, _ = matrices()
    failures, checked = [], 0
    for url_name, access in sorted(matrix.items()):
        if not url_name.startswith("competition:") or not access.is_page:
            continue
        persona = persona_for(access)
        if persona == "anonymous":
            page.context.clear_cookies()
        else:
            login_page_as(getattr(world, persona))
        for language in ("de", "en") if persona == "anonymous" else ("de",):
            page.context.add_cookies([{"name": "kammerwerk_language", "value": language, "url": live_server.url}])
            url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
            response = page.goto(url)
            assert response.status == 200, (url, response.status)
            checked += 1
            violations = axe_violations(page)
            if violations:
                failures.append(f"{url} ({language}) as {persona}:\n{format_violations(violations)}")
    assert checked >= 25
    assert not failures, "\n\n".join(failures)


def test_the_public_page_and_a_mail_speak_english_when_asked(client, settings):
    from django.utils import translation

    from core.mail import render_mail

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("competition:home")).content.decode()
    assert "Who can take part?" in page and "The seven subject areas" in page
    with translation.override("en"):
        subject, text, _html = render_mail("competition_account", {"user": None, "new": True, "link": "x"}, "en")
    assert subject == "Your access to Jugend forscht" and "Set your password here" in text
