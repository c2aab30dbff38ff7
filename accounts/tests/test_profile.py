"""The profile page (name, language) and the person's own data export (Art. 15 GDPR)."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from core.privacy import DataSubject, personal_data_erase
from core.roles import Role
from testing.factories import PASSWORD, PersonFactory

PROFILE_URL = reverse("accounts:profile")


@pytest.mark.django_db
def test_profile_changes_name_and_language(login, expert):
    client = login(expert)
    page = client.get(PROFILE_URL)
    assert page.status_code == 200
    assert f'value="{expert.full_name}"' in page.content.decode()

    response = client.post(PROFILE_URL, {"full_name": "Dr. Erika Neuname", "language": "en"})
    assert response.status_code == 302 and response["Location"] == PROFILE_URL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    expert.refresh_from_db()
    assert (expert.full_name, expert.language) == ("Dr. Erika Neuname", "en")

    after = client.get(PROFILE_URL)
    html = after.content.decode()
    assert '<html lang="en">' in html and "Your details have been saved." in html
    assert 'value="Dr. Erika Neuname"' in html


@pytest.mark.django_db
def test_profile_needs_a_name(login, expert):
    response = login(expert).post(PROFILE_URL, {"full_name": "", "language": "de"})
    assert response.status_code == 200 and "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    expert.refresh_from_db()
    assert expert.full_name == "Dr. Erika Expert"


@pytest.mark.django_db
def test_profile_needs_a_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_my_data_export_is_json_with_my_account_and_contact_data(login, editor_a, company_a, client):
    PersonFactory(email=editor_a.email, first_name="Rita", last_name="Redaktion", user=editor_a)
    client.post(reverse("accounts:login"), {"username": editor_a.email, "password": PASSWORD})  # a login record
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": editor_a.email, "password": "falsch"})  # a failure
    response = login(editor_a).post(reverse("accounts:my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten.json"'
    data = json.loads(response.content)
    [account] = data["accounts"]["accounts"]
    assert account["email"] == editor_a.email and account["full_name"] == editor_a.full_name
    assert account["roles"] == ["Firmenredaktion"]
    assert data["contacts"]["edits_organisations"] == [company_a.name]
    assert [log["ip_address"] for log in data["accounts"]["failed_logins"]] == ["127.0.0.1"]
    assert "127.0.0.1" in [log["ip_address"] for log in data["accounts"]["logins"]]
    assert [p["last_name"] for p in data["contacts"]["people"]] == ["Redaktion"]


@pytest.mark.django_db
def test_my_data_export_holds_nobody_elses_data(login, staff, expert):
    data = json.loads(login(expert).post(reverse("accounts:my_data_export")).content)
    assert staff.email not in json.dumps(data)
    assert [a["email"] for a in data["accounts"]["accounts"]] == [expert.email]


@pytest.mark.django_db
def test_my_data_export_is_post_only(login, expert):
    assert login(expert).get(reverse("accounts:my_data_export")).status_code == 405


@pytest.mark.django_db
def test_erasure_closes_the_account(client, editor_a, company_a):
    personal_data_erase(DataSubject(email=editor_a.email))
    editor_a.refresh_from_db()
    assert editor_a.email == f"anonymisiert-{editor_a.pk}@invalid.example"
    assert not editor_a.is_active and not editor_a.has_usable_password()
    assert not editor_a.role_assignments.exists() and not editor_a.editor_of.exists()
    assert not editor_a.has_role(Role.EDITOR)
    response = client.post(reverse("accounts:login"), {"username": "redaktion-a@example.org", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_change_password_needs_the_old_one_and_keeps_the_session(login, expert):
    client = login(expert)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    wrong = client.post(
        url, {"old_password": "falsch", "new_password1": "Kammer-Sommer-2026", "new_password2": "Kammer-Sommer-2026"}
    )
    assert wrong.status_code == 200 and "Das alte Passwort war falsch." in wrong.content.decode()
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Kammer-Sommer-2026", "new_password2": "Kammer-Sommer-2026"}
    )
    assert response.status_code == 302 and response["Location"] == PROFILE_URL
    assert "Ihr neues Passwort ist gespeichert." in client.get(PROFILE_URL).content.decode()
    expert.refresh_from_db()
    assert expert.check_password("Kammer-Sommer-2026")
