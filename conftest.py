"""Shared fixtures: the personas, a real SMTP server, a real Chromium.

Personas (STYLE.md): staff, lead, editor_a (of company_a), editor_b (of
company_b), expert, juror, public_user; ``client`` is anonymous.
"""

import os
import shutil
from types import SimpleNamespace

import pytest
from django.db import connection

from core.roles import Role
from testing.factories import PASSWORD, OrganisationFactory, UserFactory, make_editor

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]  # fmt: skip


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL test on another database while REQUIRE_POSTGRES is set")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} while REQUIRE_BROWSER is set")
        pytest.skip("needs Chromium (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _german_by_default():
    # A request with the English cookie leaves English active in the thread; the next
    # test must start in German, as a new request would.
    from django.utils import translation

    translation.activate("de")
    yield
    translation.activate("de")


@pytest.fixture
def fresh_fragments():
    """Start with no rendered fragment kept (core.fragments), as a new worker does, and leave none."""
    from core.fragments import fragments_clear

    fragments_clear()
    yield
    fragments_clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashing costs ~0.3 s per password on these machines; tests need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- personas -----------------------------------------------------------------


@pytest.fixture
def company_a(db):
    return OrganisationFactory(name="Firma A Maschinenbau")


@pytest.fixture
def company_b(db):
    return OrganisationFactory(name="Firma B Kunststofftechnik")


@pytest.fixture
def staff(db):
    return UserFactory(email="team@example.org", full_name="Tara Team", roles=[Role.STAFF])


@pytest.fixture
def lead(db):
    return UserFactory(email="leitung@example.org", full_name="Lea Leitung", roles=[Role.LEAD])


@pytest.fixture
def editor_a(company_a):
    return make_editor(company_a, "redaktion-a@example.org")


@pytest.fixture
def editor_b(company_b):
    return make_editor(company_b, "redaktion-b@example.org")


@pytest.fixture
def expert(db):
    return UserFactory(email="expertin@example.org", full_name="Dr. Erika Expert", roles=[Role.EXPERT])


@pytest.fixture
def juror(db):
    return UserFactory(email="jury@example.org", full_name="Jens Jury", roles=[Role.JUROR])


@pytest.fixture
def public_user(db):
    return UserFactory(email="schueler@example.org", full_name="Sam Schüler", roles=[Role.PUBLIC])


@pytest.fixture
def login(client):
    """``login(user)`` → the test client, logged in as ``user``."""

    def _login(user):
        client.force_login(user, backend="accounts.backends.UserRolesBackend")
        return client

    return _login


@pytest.fixture
def persona_password():
    return PASSWORD


# --- mail ---------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; Django's SMTP backend sends to it."""
    from testing.smtp import SMTPSink

    with SMTPSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = False
        yield sink


# --- browser --------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh German-speaking browser tab; ``page.base_url`` is the live server."""
    context = chromium.new_context(locale="de-DE", base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture
def browser_login(page):
    """``browser_login(user)`` logs ``user`` in through the real login form."""

    def _login(user, password=PASSWORD):
        page.goto("/konto/anmelden/")
        page.get_by_label("E-Mail-Adresse").fill(user.email)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        return page

    return _login


@pytest.fixture
def login_page_as(page, live_server):
    """``login_page_as(user)``: put a logged-in session cookie into the browser tab."""
    from django.test import Client

    def _login(user):
        client = Client()
        client.force_login(user, backend="accounts.backends.UserRolesBackend")
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        return page

    return _login


# --- the permission matrix's world ------------------------------------------------


def _access_matrix_builders():
    from testing.matrix import matrices

    return matrices()[1]


@pytest.fixture
def world(company_a, company_b, staff, lead, editor_a, editor_b, expert, juror, public_user):
    world = SimpleNamespace(
        company_a=company_a, company_b=company_b, staff=staff, lead=lead, editor_a=editor_a, editor_b=editor_b,
        expert=expert, juror=juror, public_user=public_user,
    )  # fmt: skip
    for build in _access_matrix_builders():
        build(world)
    return world
