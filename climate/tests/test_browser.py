"""Acceptance in Chromium: a visitor calculates, sees the chart, downloads CSV and PDF; the same in English."""

import pytest

from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def test_visitor_calculates_and_downloads_in_german_and_english(page):
    page.goto("/klima/")
    page.get_by_label("Erdgas (kWh (Hs))").fill("1.000.000")
    page.get_by_label("Heizöl EL (l)").fill("10.000")
    page.get_by_role("button", name="Berechnen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Ihr Ergebnis").is_visible()
    row_2025 = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2025", exact=True)).first
    assert "11.448,66\u00a0€" in row_2025.inner_text()
    assert page.get_by_role("img", name="CO2-Kosten pro Jahr").is_visible()
    assert "BEHG/EBeV – Rechtsstand 19.08.2026" in page.content()
    assert not axe_violations(page)

    filename, content = _download(page, "Zahlen als CSV")
    assert filename.endswith(".csv")
    text = content.decode("utf-8-sig")
    assert "2025;Summe;;;208,157;55,00;11448,66;11448,66;11448,66;" in text
    filename, content = _download(page, "Ergebnis als PDF")
    assert filename.endswith(".pdf") and content.startswith(b"%PDF")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Your result").is_visible()
    row_2025 = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2025", exact=True)).first
    assert "11,448.66\u00a0€" in row_2025.inner_text()
    assert not axe_violations(page)
    _filename, content = _download(page, "Figures as CSV")
    assert "Natural gas" in content.decode("utf-8-sig")
    _filename, content = _download(page, "Result as PDF")
    assert content.startswith(b"%PDF")


def test_calculator_jumps_to_its_result_without_javascript(chromium, live_server):
    """On a phone the result is far below the form: after "Berechnen" the page opens at the result."""
    from playwright.sync_api import expect

    context = chromium.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=False,
                                   viewport={"width": 375, "height": 700})  # fmt: skip
    try:
        page = context.new_page()
        page.goto("/klima/")
        page.get_by_label("Erdgas (kWh (Hs))").fill("1.000.000")
        page.get_by_role("button", name="Berechnen").click()
        page.wait_for_load_state()
        assert page.url.endswith("#ergebnis")
        expect(page.get_by_role("heading", name="Ihr Ergebnis")).to_be_in_viewport()
    finally:
        context.close()


def test_bad_input_shows_a_message_in_the_browser(page):
    page.goto("/klima/")
    page.get_by_label("Erdgas (kWh (Hs))").fill("-5")
    page.get_by_role("button", name="Berechnen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Bitte geben Sie keine negative Zahl ein.").is_visible()


def test_climate_result_pages_pass_axe(page):
    """Result pages with computed figures (the bare pages are covered by core's axe walk)."""
    from testing.axe import format_violations

    failures = []
    for path in ("/klima/entlastung/?natural_gas=20000000&year=2025&level=95&deductible=150&berechnen=1",
                 "/klima/wasserstoff/?natural_gas=1000000&heating_oil=1000&basis=lhv&h2_price=7,6&gas_price=0,08"
                 "&oil_price=1&berechnen=1",
                 "/klima/?natural_gas=-1&berechnen=1"):  # fmt: skip
        page.context.clear_cookies()
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{format_violations(violations)}")
    assert not failures, "\n\n".join(failures)
