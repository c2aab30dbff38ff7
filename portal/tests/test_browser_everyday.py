"""Acceptance in Chromium (issue 19): an editor formats a description and previews it under a strict CSP; a pupil
saves a search near their town, confirms by the mailed link, gets a new offer by mail and leaves with one click."""

import re

import pytest

from testing.axe import AXE_PATH, WCAG_TAGS, axe_violations, format_violations
from testing.mail import deliver_queued_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the platform's Content-Security-Policy allows at most: no inline script, no inline style, nothing foreign.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
WORD_CLIPBOARD = (
    "<html><head><style>p.MsoNormal{margin:0}</style></head><body>"
    "<p class=MsoNormal><b><span style='font-family:Arial'>Aus Word</span></b><o:p></o:p></p>"
    "<p class=MsoListParagraphCxSpFirst style='mso-list:l0 level1 lfo1'><span style='font-family:Symbol'>"
    "<span style='mso-list:Ignore'>·<span style='font:7pt'>&nbsp;&nbsp;</span></span></span>Schweißen<o:p></o:p></p>"
    "<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><span style='font-family:Symbol'>"
    "<span style='mso-list:Ignore'>·<span style='font:7pt'>&nbsp;&nbsp;</span></span></span>Löten<o:p></o:p></p>"
    "<script>window.pwned = true</script><img src=x onerror='window.pwned = true'></body></html>"
)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _strict_csp(page):
    """Serve every page with the strict policy and record what the browser refuses."""

    def with_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    page.route(
        "**/*", lambda route: with_policy(route) if route.request.resource_type == "document" else route.continue_()
    )
    page.add_init_script(
        "window.__refused = []; document.addEventListener('securitypolicyviolation', event => "
        "window.__refused.push([event.effectiveDirective, event.sourceFile, event.blockedURI].join(' ')));"
    )


def _axe_under_csp(page) -> list[dict]:
    """axe-core on a page whose policy forbids inline scripts (``add_script_tag`` would be refused)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def _refused(page) -> list[str]:
    # htmx adds its indicator style inline (the platform configures it away); nothing else may be refused
    return [entry for entry in page.evaluate("window.__refused") if "htmx" not in entry]


def test_editor_formats_a_description_and_previews_it(page, login_page_as, media_root):
    from portal.models import ChangeRequest
    from portal.tests.factories import ProfileFactory
    from testing.factories import OrganisationFactory, make_editor

    profile = ProfileFactory(organisation=OrganisationFactory(name="Coesfelder Drahtwerk"), review_required=True)
    editor = make_editor(profile.organisation, "redaktion@drahtwerk.example")
    _strict_csp(page)
    login_page_as(editor)
    page.goto(f"/portal/redaktion/{profile.pk}/profil/")

    # the textarea became an editor with a toolbar
    assert page.locator("textarea[name=description]").is_hidden()
    surface = page.get_by_role("textbox", name="Beschreibung:", exact=True)
    toolbar = page.get_by_role("toolbar", name="Formatierung")
    assert toolbar.is_visible()
    surface.click()
    toolbar.get_by_role("button", name="Fett").click()
    page.keyboard.type("Ausbildung mit Zukunft")
    toolbar.get_by_role("button", name="Fett").click()
    assert toolbar.get_by_role("button", name="Fett").get_attribute("aria-pressed") == "false"
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Liste", exact=True).click()
    page.keyboard.type("Drehen")
    page.keyboard.press("Enter")
    page.keyboard.type("Fräsen")
    assert toolbar.get_by_role("button", name="Liste", exact=True).get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty list item ends the list
    # a paste from Word: its list stays a list, its styles and its script go
    surface.evaluate(
        "(element, html) => { const data = new DataTransfer(); data.setData('text/html', html);"
        " data.setData('text/plain', 'Aus Word'); element.dispatchEvent(new ClipboardEvent('paste',"
        " {clipboardData: data, bubbles: true, cancelable: true})); }",
        WORD_CLIPBOARD,
    )
    assert page.evaluate("window.pwned === undefined")
    # occupations by search: a suggestion becomes a chip
    page.get_by_label("Beruf hinzufügen").fill("Chemikantin")
    page.get_by_role("button", name="Chemikant/-in hinzufügen").click()
    assert page.get_by_role("checkbox", name="Chemikant/-in").is_checked()
    assert page.get_by_label("Beruf hinzufügen").input_value() == ""
    violations = _axe_under_csp(page)
    assert not violations, format_violations(violations)

    page.get_by_role("button", name="Vorschau ansehen").click()
    preview = page.locator(".preview-frame")
    assert preview.locator(".rich-text b", has_text="Ausbildung mit Zukunft").is_visible()
    assert preview.locator(".rich-text ul li").all_inner_texts()[:2] == ["Drehen", "Fräsen"]
    assert "Schweißen" in preview.locator(".rich-text").inner_text()
    assert preview.get_by_role("link", name="Chemikant/-in").is_visible()
    assert not ChangeRequest.objects.exists()  # a preview stores nothing
    violations = _axe_under_csp(page)
    assert not violations, format_violations(violations)

    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    assert "zur Prüfung eingereicht" in page.locator(".messages").inner_text()
    stored = ChangeRequest.objects.get().data["description"]
    assert "<b>Ausbildung mit Zukunft</b>" in stored and "<li>Drehen</li><li>Fräsen</li>" in stored
    assert "<li>Schweißen</li><li>Löten</li>" in stored.replace("\n", "")
    for gone in ("style", "class", "span", "o:p", "script", "img", "pwned", "mso"):
        assert gone not in stored, gone
    assert not _refused(page), _refused(page)

    # the pending change has a preview of the public page, too
    page.get_by_role("link", name="Vorschau").first.click()
    assert page.locator(".rich-text b", has_text="Ausbildung mit Zukunft").is_visible()


def test_pupil_saves_a_search_near_their_town_and_gets_new_offers_by_mail(page, smtp_server):
    from portal import services
    from portal.models import SearchAlert
    from portal.selectors import clear_caches
    from portal.tests.factories import OfferFactory, ProfileFactory
    from testing.factories import DistrictFactory, OrganisationFactory

    district = DistrictFactory(name="Coesfeld", slug="coesfeld")
    profile = ProfileFactory(
        organisation=OrganisationFactory(
            name="Coesfelder Drahtwerk", city="Coesfeld", postcode="48653", district=district
        )
    )
    OfferFactory(profile=profile)
    clear_caches()

    page.goto("/portal/")
    page.get_by_label("Suchbegriff").fill("Mechatroniker")
    page.get_by_label("Wohnort oder PLZ").fill("Dülmen")
    page.get_by_label("Umkreis").select_option("25")
    page.get_by_role("button", name="Suchen").click()
    result = page.locator(".result-list li").first
    assert re.search(r"Entfernung: ca\. 1[3-7] km", result.inner_text())
    assert not axe_violations(page), format_violations(axe_violations(page))

    page.get_by_label("Ihre E-Mail-Adresse").fill("pia@example.org")
    page.get_by_label("Ich möchte neue Angebote").check()
    page.get_by_role("button", name="Suchauftrag anlegen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fast geschafft: bitte bestätigen"

    deliver_queued_mail()
    confirmation = smtp_server.wait_for(1)[0]
    assert confirmation["To"] == "pia@example.org"
    link = re.search(r"https?://\S+/suchauftrag/bestaetigen/\S+/", confirmation.get_body(("plain",)).get_content())
    page.goto(_path(link.group(0)))
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("button", name="Suchauftrag bestätigen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ihr Suchauftrag ist aktiv"

    fresh = OfferFactory(profile=profile, title="Mechatroniker/-in mit Abitur")
    assert services.alerts_send() == 1
    deliver_queued_mail()
    offers_mail = smtp_server.wait_for(2)[1]
    assert offers_mail["Subject"].strip().startswith("1 neues Angebot:")
    assert "Mechatroniker/-in mit Abitur" in offers_mail.get_body(("html",)).get_content()
    assert offers_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = offers_mail["List-Unsubscribe"].strip().strip("<>")

    # the mail client's one-click unsubscribe (RFC 8058): a POST without cookies or CSRF token
    page.context.clear_cookies()
    response = page.request.post(_path(unsubscribe), form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    assert SearchAlert.objects.get().status == SearchAlert.Status.ENDED
    page.goto(_path(unsubscribe))
    assert "ist beendet" in page.locator("main").inner_text()
    assert not axe_violations(page), format_violations(axe_violations(page))
    assert fresh.pk
