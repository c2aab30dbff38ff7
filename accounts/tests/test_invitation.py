"""Invitations by staff: mail, first password, roles, company editors, the organisation picker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import organisation_label
from accounts.services import user_invite
from contacts.models import OrganisationEditor
from core.models import OutgoingMail
from core.roles import Role
from testing.factories import OrganisationFactory

from .helpers import link_in

INVITE_URL = reverse("accounts:invite")
NEW_PASSWORD = "Kammer-Sommer-2026"


def _invite(client, **data):
    payload = {"email": "neu@example.org", "full_name": "Nina Neu", "roles": [Role.EXPERT], "language": "de"}
    payload.update(data)
    return client.post(INVITE_URL, payload)


def _accept(client, link, password=NEW_PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


@pytest.mark.django_db
@pytest.mark.smoke
def test_staff_invites_an_editor_who_sets_a_password_and_is_logged_in(login, staff, company_a, client):
    staff_client = login(staff)
    response = _invite(staff_client, roles=[Role.EDITOR], organisation=company_a.name)
    assert response.status_code == 302 and response["Location"] == INVITE_URL
    assert "Die Einladung an neu@example.org ist unterwegs." in staff_client.get(INVITE_URL).content.decode()

    invited = User.objects.get(email="neu@example.org")
    assert invited.full_name == "Nina Neu" and not invited.has_usable_password()
    assert invited.roles == {Role.EDITOR}
    assert OrganisationEditor.objects.filter(user=invited, organisation=company_a).exists()

    mail = OutgoingMail.objects.get(reference=f"accounts.user:{invited.pk}")
    assert mail.to_email == "neu@example.org" and mail.template == "invitation"
    assert mail.subject.startswith("Einladung zu Kammerwerk")
    assert "Tara Team hat Sie zu Kammerwerk eingeladen" in mail.body_text
    assert f"Sie pflegen künftig den Eintrag von {company_a.name}." in mail.body_text
    assert "Firmenredaktion" in mail.body_text
    link = link_in(mail)

    staff_client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "neu@example.org" in page.content.decode()
    accepted = _accept(client, link)
    assert accepted.status_code == 302 and accepted["Location"] == reverse("core:start")
    start = client.get(reverse("core:start"))
    assert start.status_code == 200 and start.context["user"] == invited
    assert "Ihr Passwort ist gesetzt" in start.content.decode()
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)

    # the link is single-use
    client.logout()
    reused = client.get(link)
    assert reused.status_code == 400 and "Einladung ungültig" in reused.content.decode()
    assert _accept(client, link, "Noch-ein-Passwort-99").status_code == 400
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_invitation_link_expires_after_three_days(staff, client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    invited = user_invite(email="spaet@example.org", full_name="Sina Spät", roles=[Role.JUROR], invited_by=staff)
    link = link_in(OutgoingMail.objects.get(reference=f"accounts.user:{invited.pk}"))
    time_machine.move_to(timezone.now() + timedelta(days=3, hours=1), tick=False)
    expired = client.get(link)
    assert expired.status_code == 400
    html = expired.content.decode()
    assert "Einladung ungültig" in html and reverse("accounts:password_reset") in html
    assert _accept(client, link).status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_tampered_invitation_link_is_invalid(staff, client):
    invited = user_invite(email="x@example.org", full_name="X", roles=[Role.PUBLIC], invited_by=staff)
    link = link_in(OutgoingMail.objects.get(reference=f"accounts.user:{invited.pk}"))
    assert client.get(link[:-3] + "zzz/").status_code == 400
    assert client.get(reverse("accounts:invitation_accept", kwargs={"uidb64": "!!", "token": "x"})).status_code == 400


@pytest.mark.django_db
def test_invitation_grants_several_roles_and_keeps_existing_ones(staff, expert):
    user_invite(email=expert.email, full_name="egal", roles=[Role.JUROR], invited_by=staff)
    expert.refresh_from_db()
    assert expert.roles == {Role.EXPERT, Role.JUROR}
    invited = user_invite(email="Zwei@Example.org ", full_name="Zora Zwei", roles=[Role.LEAD], invited_by=staff)
    assert invited.email == "zwei@example.org"
    assert invited.roles == {Role.LEAD, Role.STAFF}


@pytest.mark.django_db
def test_invitation_in_english(login, staff):
    _invite(login(staff), email="john@example.org", full_name="John Doe", language="en")
    mail = OutgoingMail.objects.get(to_email="john@example.org")
    assert mail.language == "en" and mail.subject.startswith("Invitation to Kammerwerk")
    assert "has invited you to Kammerwerk" in mail.body_text


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor_a", "expert", "juror", "public_user"])
def test_only_staff_may_invite(request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(INVITE_URL).status_code == 403
    assert _invite(client).status_code == 403
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
def test_anonymous_invite_goes_to_login(client):
    response = client.get(INVITE_URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- the organisation picker -------------------------------------------------------


@pytest.mark.django_db
def test_editor_needs_an_organisation(login, staff):
    response = _invite(login(staff), roles=[Role.EDITOR], organisation="")
    assert response.status_code == 200
    assert "Für die Firmenredaktion bitte die Organisation angeben." in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
def test_unknown_organisation_is_a_clear_german_error(login, staff, company_a):
    response = _invite(login(staff), roles=[Role.EDITOR], organisation="Gibtsnicht Werke")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keine Organisation gefunden zu „Gibtsnicht Werke“" in html
    assert 'aria-invalid="true"' in html
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_ambiguous_organisation_lists_the_candidates_to_choose_from(login, staff):
    north = OrganisationFactory(name="Müller Metallbau GmbH", postcode="48143", city="Münster")
    south = OrganisationFactory(name="Müller Metallbau GmbH", postcode="46325", city="Borken")
    client = login(staff)
    response = _invite(client, roles=[Role.EDITOR], organisation="müller metall")
    html = response.content.decode()
    assert "Mehrere Organisationen passen zu „müller metall“" in html
    # the candidates are offered in the field's <datalist>, so picking one works without JavaScript
    assert f'<option value="{organisation_label(north)}">' in html
    assert f'<option value="{organisation_label(south)}">' in html
    assert organisation_label(south) == "Müller Metallbau GmbH (46325 Borken)"

    response = _invite(client, roles=[Role.EDITOR], organisation=organisation_label(south))
    assert response.status_code == 302
    assert list(OrganisationEditor.objects.values_list("organisation", flat=True)) == [south.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["Firma A Maschinenbau", "firma a maschinenbau", "  Firma   A Maschinenbau ", "firma a masch", "4711", "A Münster"],
)
def test_organisation_found_by_name_words_place_or_member_number(login, staff, company_a, company_b, text):
    company_a.member_number = "4711"
    company_a.save()
    response = _invite(login(staff), roles=[Role.EDITOR], organisation=text)
    assert response.status_code == 302, response.content.decode()
    assert OrganisationEditor.objects.get().organisation == company_a


@pytest.mark.django_db
def test_exact_name_wins_over_longer_names(login, staff):
    short = OrganisationFactory(name="Kabel Werk")
    OrganisationFactory(name="Kabel Werk Nord")
    response = _invite(login(staff), roles=[Role.EDITOR], organisation="Kabel Werk")
    assert response.status_code == 302
    assert OrganisationEditor.objects.get().organisation == short


@pytest.mark.django_db
def test_invite_page_offers_an_accessible_picker(login, staff):
    html = login(staff).get(INVITE_URL).content.decode()
    assert '<label for="id_organisation">' in html
    assert 'list="id_organisation_options"' in html and '<datalist id="id_organisation_options">' in html
    assert f'hx-get="{INVITE_URL}"' in html
    assert 'aria-describedby="id_organisation_helptext"' in html
    assert 'inputmode="numeric"' not in html


@pytest.mark.django_db
def test_htmx_suggestions_while_typing(login, staff, company_a, company_b):
    client = login(staff)
    response = client.get(INVITE_URL, {"organisation": "firma"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<form" not in html
    assert organisation_label(company_a) in html and organisation_label(company_b) in html
    assert "HX-Request" in response["Vary"]
    narrowed = client.get(INVITE_URL, {"organisation": "kunststoff"}, HTTP_HX_REQUEST="true").content.decode()
    assert organisation_label(company_b) in narrowed and company_a.name not in narrowed
    assert client.get(INVITE_URL, {"organisation": ""}, HTTP_HX_REQUEST="true").content.decode().strip() == ""
    # without htmx the same address is the ordinary page
    assert "<form" in client.get(INVITE_URL, {"organisation": "firma"}).content.decode()


@pytest.mark.django_db
def test_organisation_suggestions_are_a_fixed_number_of_queries(login, staff, django_assert_max_num_queries):
    for n in range(30):
        OrganisationFactory(name=f"Serienfirma {n}")
    client = login(staff)
    with django_assert_max_num_queries(6):
        html = client.get(INVITE_URL, {"organisation": "serienfirma"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count("<option") == 8
