"""Login with e-mail and password, the rate limit (django-axes), logout, roles."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from core.roles import Role, expand_roles
from testing.factories import PASSWORD, UserFactory

LOGIN_URL = reverse("accounts:login")
ADMIN_LOGIN_URL = reverse("admin:login")


def _login(client, email, password, ip="10.0.0.1", **headers):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip, **headers)


def _admin_login(client, email, password, ip="10.0.0.1"):
    data = {"username": email, "password": password, "next": reverse("admin:index")}
    return client.post(ADMIN_LOGIN_URL, data, REMOTE_ADDR=ip)


def _page_without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.mark.django_db
@pytest.mark.smoke
def test_login_with_email_and_password_lands_on_the_start_page(client, staff):
    response = _login(client, "Team@Example.ORG", PASSWORD)  # the address is not case-sensitive
    assert response.status_code == 302
    assert response["Location"] == reverse("core:start")
    page = client.get(reverse("core:start"))
    assert page.status_code == 200
    assert "Willkommen, Tara" in page.content.decode()


@pytest.mark.django_db
def test_wrong_password_shows_a_german_error_and_no_session(client, staff):
    response = _login(client, staff.email, "falsches-passwort")
    assert response.status_code == 200
    html = response.content.decode()
    assert "E-Mail-Adresse oder Passwort ist falsch." in html
    assert '<div class="form-errors" role="alert">' in html
    assert f'value="{staff.email}"' in html  # the address stays filled in
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_keeps_the_next_page(client, staff):
    response = client.post(
        LOGIN_URL + "?next=/konto/profil/", {"username": staff.email, "password": PASSWORD, "next": "/konto/profil/"}
    )
    assert response["Location"] == "/konto/profil/"


@pytest.mark.django_db
def test_login_refuses_a_foreign_next_url(client, staff):
    response = client.post(LOGIN_URL, {"username": staff.email, "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:start")


@pytest.mark.django_db
@pytest.mark.smoke
def test_five_failures_lock_the_login_even_for_the_right_password(client, staff, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_login(client, staff.email, f"falsch-{n}").status_code for n in range(5)]
    # four ordinary refusals, the fifth failure already answers with the lock page
    assert statuses == [200, 200, 200, 200, 429]
    locked = _login(client, staff.email, PASSWORD)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in html
    assert reverse("accounts:password_reset") in html
    assert "_auth_user_id" not in client.session
    # the lock is per username and IP address: the same person elsewhere, and others here, still get in
    assert _login(client, staff.email, PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()


@pytest.mark.django_db
def test_spelling_the_address_differently_does_not_escape_the_lock(client, staff):
    for n, spelling in enumerate(
        ["team@example.org", "TEAM@example.org", "Team@Example.Org", " team@EXAMPLE.org", "tEam@example.org"]
    ):
        _login(client, spelling, f"falsch-{n}")
    assert _login(client, "Team@example.org", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_lock_is_per_username(client, staff, lead):
    for n in range(5):
        _login(client, staff.email, f"falsch-{n}")
    assert _login(client, lead.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, staff, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    for n in range(5):
        _login(client, staff.email, f"falsch-{n}")
    assert _login(client, staff.email, PASSWORD).status_code == 429
    time_machine.move_to(timezone.now() + timedelta(hours=1, minutes=1), tick=False)
    assert _login(client, staff.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(client, staff):
    for n in range(4):
        _login(client, staff.email, f"falsch-{n}")
    assert _login(client, staff.email, PASSWORD).status_code == 302
    client.logout()
    for n in range(4):
        assert _login(client, staff.email, f"nochmal-falsch-{n}").status_code == 200
    assert _login(client, staff.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_inactive_account_cannot_log_in(client, staff):
    staff.is_active = False
    staff.save()
    assert _login(client, staff.email, PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_ends_the_session(login, staff):
    client = login(staff)
    assert client.get(reverse("core:start")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    after = client.get(reverse("core:start"))
    assert after.status_code == 302 and after["Location"].startswith(LOGIN_URL)


@pytest.mark.django_db
def test_logout_by_get_is_refused(login, staff):
    client = login(staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("core:start")).status_code == 200


@pytest.mark.django_db
def test_a_logged_in_user_visiting_the_login_page_goes_to_the_start_page(login, staff):
    response = login(staff).get(LOGIN_URL)
    assert response.status_code == 302 and response["Location"] == reverse("core:start")


@pytest.mark.django_db
def test_lead_implies_staff(lead, staff, login):
    assert expand_roles({Role.LEAD}) == {Role.LEAD, Role.STAFF}
    assert expand_roles({Role.STAFF}) == {Role.STAFF}
    assert lead.has_role(Role.STAFF) and lead.has_role(Role.LEAD)
    assert staff.has_role(Role.STAFF) and not staff.has_role(Role.LEAD)
    # a staff-only page lets the lead in
    assert login(lead).get(reverse("accounts:invite")).status_code == 200


# --- one lock for every login form (issue 12, item 2) -----------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return UserFactory(email="chefin@example.org", full_name="Clara Chefin", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_a_locked_account_gets_the_same_answer_at_the_admin_login_for_right_and_wrong_passwords(client, admin_user):
    for n in range(5):
        _login(client, admin_user.email, f"falsch-{n}")
    right = _admin_login(client, admin_user.email, PASSWORD)
    wrong = _admin_login(client, admin_user.email, "noch-falscher")
    assert right.status_code == wrong.status_code == 429
    assert _page_without_tokens(right) == _page_without_tokens(wrong)
    assert "Anmeldung vorübergehend gesperrt" in right.content.decode()
    assert "_auth_user_id" not in client.session
    # spelled differently at the admin form, it is still the same account and the same lock
    assert _admin_login(client, "Chefin@Example.ORG", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_failures_at_the_admin_login_lock_the_ordinary_login_too(client, admin_user):
    for n in range(5):
        _admin_login(client, admin_user.email, f"falsch-{n}")
    assert _login(client, admin_user.email, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().username == admin_user.email


@pytest.mark.django_db
def test_the_admin_is_not_at_the_well_known_address_and_only_for_admin_accounts(settings, login, staff, admin_user):
    assert settings.ADMIN_URL != "admin/" and reverse("admin:index") == f"/{settings.ADMIN_URL}"
    client = login(staff)  # staff of the department, but no admin access
    assert client.get("/admin/").status_code == 404
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN_URL)
    assert login(admin_user).get(reverse("admin:index")).status_code == 200


# --- the visitor's address behind the TLS proxy (issue 12, item 9) ----------------------------------------------


@pytest.mark.django_db
def test_without_the_proxy_setting_a_forged_forwarded_header_does_not_dodge_the_lock(client, staff, settings):
    settings.BEHIND_TLS_PROXY = False
    statuses = [
        _login(client, staff.email, f"falsch-{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert _login(client, staff.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.77").status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


@pytest.mark.django_db
def test_behind_the_proxy_one_visitor_cannot_lock_an_account_for_everybody(client, staff, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = "10.0.0.254"  # every request reaches us from the proxy, which appends the visitor's address
    for n in range(5):
        _login(client, staff.email, f"falsch-{n}", ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    # the attacker is locked, even when putting a made-up address in front of the one the proxy added
    assert _login(client, staff.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 429
    forged = "192.0.2.1, 203.0.113.66"
    assert _login(client, staff.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=forged).status_code == 429
    # the owner of the account, behind the same proxy, still gets in
    assert _login(client, staff.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.5").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
