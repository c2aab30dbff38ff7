"""Password reset: a queued mail with a working, single-use link; no account enumeration."""

import pytest
from django.urls import reverse

from core.models import OutgoingMail
from testing.factories import PASSWORD, UserFactory
from testing.mail import deliver_queued_mail

from .helpers import link_in

NEW_PASSWORD = "Kammer-Sommer-2026"


def _request_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


@pytest.mark.django_db
@pytest.mark.smoke
def test_reset_mail_link_sets_a_new_password_once(client, staff):
    response = _request_reset(client, "team@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")

    mail = OutgoingMail.objects.get(reference=f"accounts.user:{staff.pk}")
    assert mail.to_email == staff.email and mail.template == "password_reset"
    assert mail.status == OutgoingMail.Status.QUEUED
    assert mail.subject == "Neues Passwort für Kammerwerk"
    link = link_in(mail)

    # Django swaps the token into the session and redirects to a token-free URL
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")

    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD) and not staff.check_password(PASSWORD)
    login = client.post(reverse("accounts:login"), {"username": staff.email, "password": NEW_PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("core:start")
    client.logout()

    # the link is single-use
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "Dieser Link ist ungültig oder abgelaufen" in again.content.decode()


@pytest.mark.django_db
def test_unknown_address_gets_the_same_answer_and_no_mail(client, staff):
    known = _request_reset(client, staff.email)
    unknown = _request_reset(client, "niemand@example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert OutgoingMail.objects.filter(to_email="niemand@example.org").count() == 0
    assert OutgoingMail.objects.count() == 1
    done = client.get(unknown["Location"]).content.decode()
    assert "Falls ein Konto mit dieser Adresse existiert" in done


@pytest.mark.django_db
def test_inactive_accounts_get_no_mail(client):
    inactive = UserFactory(email="alt@example.org", is_active=False)
    assert not inactive.is_active
    _request_reset(client, "alt@example.org")
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_an_invited_person_whose_link_expired_can_still_set_a_password(client, staff):
    from accounts.services import user_invite
    from core.roles import Role

    invited = user_invite(email="spaet@example.org", full_name="Sina Spät", roles=[Role.JUROR], invited_by=staff)
    assert not invited.has_usable_password()
    _request_reset(client, "Spaet@Example.org")
    mail = OutgoingMail.objects.get(template="password_reset")
    assert mail.to_email == "spaet@example.org"
    form_page = client.get(link_in(mail), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_wrong_token_shows_the_invalid_page(client, staff):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    page = client.get(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": "abc-def"}))
    assert page.status_code == 200 and not page.context["validlink"]


@pytest.mark.django_db
def test_reset_link_expires_after_three_days(client, staff, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    _request_reset(client, staff.email)
    link = link_in(OutgoingMail.objects.get())
    time_machine.move_to(timezone.now() + timedelta(days=3, hours=1), tick=False)
    assert not client.get(link, follow=True).context["validlink"]


@pytest.mark.django_db
def test_reset_mail_is_in_the_users_language_and_delivered_with_the_link(client, mailoutbox):
    UserFactory(email="john@example.org", language="en")
    _request_reset(client, "john@example.org")
    mail = OutgoingMail.objects.get()
    assert mail.language == "en" and mail.subject == "New password for Kammerwerk"
    assert "You asked for a new password" in mail.body_text
    link = link_in(mail)
    deliver_queued_mail()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["john@example.org"] and link in message.body
    assert link in message.alternatives[0][0]


@pytest.mark.django_db
def test_weak_new_password_is_refused_in_german(client, staff):
    _request_reset(client, staff.email)
    form_page = client.get(link_in(OutgoingMail.objects.get()), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "kurz", "new_password2": "kurz"})
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.content.decode()
