"""Invitations by staff: mail, first password, roles and who may grant them, existing accounts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import AccountExists, user_invite, user_roles_grant
from core.errors import NotAllowed
from core.models import OutgoingMail
from core.roles import Role

from .helpers import link_in

INVITE_URL = reverse("accounts:invite")
AUDIT_URL = reverse("contacts:audit_log")
NEW_PASSWORD = "Kammer-Sommer-2026"


def _invite(client, **data):
    payload = {"email": "neu@example.org", "full_name": "Nina Neu", "roles": [Role.EXPERT], "language": "de"}
    payload.update(data)
    return client.post(INVITE_URL, payload)


def roles_of(user) -> frozenset[str]:
    """The roles as stored now (``user.roles`` is cached on the instance)."""
    return User.objects.get(pk=user.pk).roles


def _accept(client, link, password=NEW_PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


@pytest.mark.django_db
@pytest.mark.smoke
def test_staff_invites_an_expert_who_sets_a_password_and_is_logged_in(login, staff, client):
    staff_client = login(staff)
    response = _invite(staff_client, roles=[Role.EXPERT, Role.JUROR])
    assert response.status_code == 302 and response["Location"] == INVITE_URL
    assert "Die Einladung an neu@example.org ist unterwegs." in staff_client.get(INVITE_URL).content.decode()

    invited = User.objects.get(email="neu@example.org")
    assert invited.full_name == "Nina Neu" and not invited.has_usable_password()
    assert invited.roles == {Role.EXPERT, Role.JUROR}
    assert not (invited.is_staff or invited.is_superuser)

    mail = OutgoingMail.objects.get(reference=f"accounts.user:{invited.pk}")
    assert mail.to_email == "neu@example.org" and mail.template == "invitation"
    assert mail.subject.startswith("Einladung zu Kammerwerk")
    assert "Tara Team hat Sie zu Kammerwerk eingeladen" in mail.body_text
    assert "Ihre Rollen: Experte/Expertin, Jurymitglied" in mail.body_text
    assert "Eintrag von" not in mail.body_text  # no organisation: not a company editor
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


# --- who may grant what (issue 12, item 1) ------------------------------------------------------------------------


def _offered_roles(client) -> set[str]:
    return {value for value, _label in client.get(INVITE_URL).context["form"].fields["roles"].choices}


@pytest.mark.django_db
def test_staff_cannot_make_themselves_department_lead(login, staff):
    client = login(staff)
    assert Role.LEAD not in _offered_roles(client)
    assert "Bereichsleitung" not in client.get(INVITE_URL).content.decode()

    # the own address with the lead role: refused at the form, the account unchanged
    response = _invite(client, email=staff.email, full_name="Tara Team", roles=[Role.LEAD])
    assert response.status_code == 200 and response.context["form"].has_error("roles")
    # a new address with the lead role (a colleague who would then grant it back): refused too
    response = _invite(client, roles=[Role.LEAD])
    assert response.status_code == 200 and response.context["form"].has_error("roles")
    assert not User.objects.filter(email="neu@example.org").exists()
    # and the service holds the rule for every other caller
    with pytest.raises(NotAllowed):
        user_invite(email="neu@example.org", full_name="Nina Neu", roles=[Role.LEAD], invited_by=staff)
    with pytest.raises(NotAllowed):
        user_roles_grant(user=staff, roles=[Role.LEAD], granted_by=staff)
    assert roles_of(staff) == {Role.STAFF}
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_the_lead_may_invite_a_new_lead(login, lead):
    client = login(lead)
    assert _offered_roles(client) == {Role.STAFF, Role.LEAD, Role.EXPERT, Role.JUROR, Role.PUBLIC}
    assert _invite(client, email="Zwei@Example.org ", roles=[Role.LEAD]).status_code == 302
    invited = User.objects.get(email="zwei@example.org")
    assert invited.roles == {Role.LEAD, Role.STAFF}


@pytest.mark.django_db
def test_an_invitation_never_grants_admin_access(login, lead):
    response = _invite(login(lead), roles=[Role.STAFF], is_staff="on", is_superuser="on")
    assert response.status_code == 302
    invited = User.objects.get(email="neu@example.org")
    assert not (invited.is_staff or invited.is_superuser)


@pytest.mark.django_db
def test_inviting_an_existing_account_never_changes_its_roles_silently(login, staff, expert):
    response = _invite(login(staff), email="Expertin@Example.org", full_name="egal", roles=[Role.STAFF])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Für expertin@example.org gibt es schon ein Konto." in html
    assert "das kann nur die Bereichsleitung" in html
    assert roles_of(expert) == {Role.EXPERT}
    assert not OutgoingMail.objects.exists()
    with pytest.raises(AccountExists):
        user_invite(email=expert.email, full_name="egal", roles=[Role.JUROR], invited_by=staff)
    assert expert.role_assignments.count() == 1


@pytest.mark.django_db
def test_staff_cannot_confirm_a_role_change_by_posting_the_confirmation(login, staff, expert):
    response = _invite(login(staff), email=expert.email, full_name="egal", roles=[Role.STAFF], confirm="roles")
    assert response.status_code == 200 and "gibt es schon ein Konto" in response.content.decode()
    assert roles_of(expert) == {Role.EXPERT}


@pytest.mark.django_db
def test_the_lead_sees_a_role_change_to_confirm_and_it_lands_in_the_audit_trail(login, lead, expert):
    client = login(lead)
    preview = _invite(client, email=expert.email, full_name="egal", roles=[Role.JUROR])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Rollen eines bestehenden Kontos ändern" in html
    assert preview.context["roles_before"] == ["Experte/Expertin"]
    assert preview.context["roles_after"] == ["Experte/Expertin", "Jurymitglied"]
    assert 'name="confirm" value="roles"' in html
    assert roles_of(expert) == {Role.EXPERT}  # nothing changed before the confirmation

    confirmed = _invite(client, email=expert.email, full_name="egal", roles=[Role.JUROR], confirm="roles")
    assert confirmed.status_code == 302
    assert "Die Rollen von expertin@example.org sind geändert." in client.get(INVITE_URL).content.decode()
    assert roles_of(expert) == {Role.EXPERT, Role.JUROR}
    assert not OutgoingMail.objects.exists()  # an existing account gets no invitation link

    audit = client.get(AUDIT_URL).content.decode()
    assert "expertin@example.org: Jurymitglied" in audit
    [record] = expert.role_assignments.get(role=Role.JUROR).history.all()
    assert record.history_type == "+" and record.history_user == lead


@pytest.mark.django_db
def test_roles_granted_at_an_invitation_are_in_the_audit_trail(login, staff, lead):
    _invite(login(staff), roles=[Role.JUROR])
    invited = User.objects.get(email="neu@example.org")
    [record] = invited.role_assignments.get().history.all()
    assert record.history_user == staff
    audit = login(lead).get(AUDIT_URL).content.decode()
    assert "neu@example.org: Jurymitglied" in audit and "Tara Team" in audit


@pytest.mark.django_db
def test_the_lead_is_told_when_an_existing_account_already_has_the_roles(login, lead, expert):
    response = _invite(login(lead), email=expert.email, full_name="egal", roles=[Role.EXPERT])
    assert response.status_code == 200
    assert "expertin@example.org hat diese Rollen schon." in response.content.decode()
    assert expert.role_assignments.get().history.count() == 1  # only the original grant
