"""Password reset: a queued mail with a working, single-use link; no account enumeration, no mail flood.

The form only queues a background job (``accounts.tasks.password_reset_mail``); the job looks the
address up and queues the mail. ``request_reset`` posts the form and runs the job as the worker would.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import RESET_MAILS_PER_HOUR
from accounts.tasks import password_reset_mail
from core.models import OutgoingMail
from testing.factories import PASSWORD, UserFactory
from testing.mail import deliver_queued_mail

from .helpers import link_in, queued_tasks, run_queued_tasks

NEW_PASSWORD = "Kammer-Sommer-2026"
RESET_URL = reverse("accounts:password_reset")


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    def request(client, email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESET_URL, {"email": email})
        run_queued_tasks(password_reset_mail)
        return response

    return request


@pytest.mark.django_db
@pytest.mark.smoke
def test_reset_mail_link_sets_a_new_password_once(client, staff, request_reset):
    response = request_reset(client, "team@example.org")
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
def test_unknown_address_gets_the_same_answer_and_no_mail(client, staff, request_reset):
    known = request_reset(client, staff.email)
    unknown = request_reset(client, "niemand@example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert OutgoingMail.objects.filter(to_email="niemand@example.org").count() == 0
    assert OutgoingMail.objects.count() == 1
    done = client.get(unknown["Location"]).content.decode()
    assert "Falls ein Konto mit dieser Adresse existiert" in done


@pytest.mark.django_db
def test_inactive_accounts_get_no_mail(client, request_reset):
    inactive = UserFactory(email="alt@example.org", is_active=False)
    assert not inactive.is_active
    request_reset(client, "alt@example.org")
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_an_invited_person_whose_link_expired_can_still_set_a_password(client, staff, request_reset):
    from accounts.services import user_invite
    from core.roles import Role

    invited = user_invite(email="spaet@example.org", full_name="Sina Spät", roles=[Role.JUROR], invited_by=staff)
    assert not invited.has_usable_password()
    request_reset(client, "Spaet@Example.org")
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
def test_reset_link_expires_after_three_days(client, staff, time_machine, request_reset):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    request_reset(client, staff.email)
    link = link_in(OutgoingMail.objects.get())
    time_machine.move_to(timezone.now() + timedelta(days=3, hours=1), tick=False)
    assert not client.get(link, follow=True).context["validlink"]


@pytest.mark.django_db
def test_reset_mail_is_in_the_users_language_and_delivered_with_the_link(client, mailoutbox, request_reset):
    UserFactory(email="john@example.org", language="en")
    request_reset(client, "john@example.org")
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
def test_weak_new_password_is_refused_in_german(client, staff, request_reset):
    request_reset(client, staff.email)
    form_page = client.get(link_in(OutgoingMail.objects.get()), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "kurz", "new_password2": "kurz"})
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.content.decode()


# --- no mail flood, no timing oracle (issue 12, item 14) -------------------------------------------------------


@pytest.mark.django_db
def test_a_fourth_reset_request_within_an_hour_sends_no_mail(client, staff, time_machine, request_reset):
    time_machine.move_to(timezone.now(), tick=False)
    assert RESET_MAILS_PER_HOUR == 3
    for _ in range(4):
        response = request_reset(client, "Team@Example.org")
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert OutgoingMail.objects.filter(to_email=staff.email, template="password_reset").count() == 3
    # another address is not held up by it
    UserFactory(email="kollegin@example.org")
    request_reset(client, "kollegin@example.org")
    assert OutgoingMail.objects.filter(to_email="kollegin@example.org").count() == 1
    # an hour after the first one, a mail goes out again
    time_machine.move_to(timezone.now() + timedelta(hours=1, minutes=1), tick=False)
    request_reset(client, staff.email)
    assert OutgoingMail.objects.filter(to_email=staff.email, template="password_reset").count() == 4


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_response_and_the_same_background_job(
    client, staff, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answers, statements = [], []
    for email in (staff.email, "niemand@example.org"):
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESET_URL, {"email": email})
        answers.append((response.status_code, response["Location"]))
        statements.append([query["sql"] for query in queries.captured_queries])
    assert answers[0] == answers[1] == (302, reverse("accounts:password_reset_done"))
    # the request itself never looks the address up: the same statements whether it is known or not
    assert not any("accounts_user" in sql for sql in statements[0])
    assert len(statements[0]) == len(statements[1])
    assert queued_tasks(password_reset_mail) == [
        {"args": [staff.email], "kwargs": {}},
        {"args": ["niemand@example.org"], "kwargs": {}},
    ]
    assert not OutgoingMail.objects.exists()  # nothing sent from the request
    assert run_queued_tasks(password_reset_mail) == ["sent", "unknown"]
    assert list(OutgoingMail.objects.values_list("to_email", flat=True)) == [staff.email]
