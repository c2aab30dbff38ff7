"""Outgoing mail: rendered trio, real SMTP delivery, retries, never twice."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.mail import Attachment, mail_deliver, mail_queue, render_mail
from core.models import OutgoingMail
from core.tasks import deliver_mail
from testing.mail import deliver_queued_mail


def _queue_invitation_like(**overrides):
    context = {"user": type("U", (), {"get_full_name": lambda self: "Erika Muster"})(), "link": "https://example.org/x"}
    return mail_queue(
        to=overrides.get("to", "erika@example.org"),
        template="password_reset",
        context=context,
        language=overrides.get("language", "de"),
        attachments=overrides.get("attachments", []),
        headers=overrides.get("headers"),
        reference="test:1",
    )


@pytest.mark.django_db
@pytest.mark.smoke
def test_queued_mail_is_a_row_rendered_in_the_recipients_language():
    german = _queue_invitation_like()
    english = _queue_invitation_like(language="en", to="john@example.org")
    assert german.status == OutgoingMail.Status.QUEUED
    assert german.subject == "Neues Passwort für Kammerwerk"
    assert "Sie haben ein neues Passwort angefordert" in german.body_text
    assert "<html" in german.body_html
    assert english.subject == "New password for Kammerwerk"
    assert "You asked for a new password" in english.body_text


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_over_real_smtp_with_html_text_and_calendar(smtp_server):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nEND:VCALENDAR\r\n"
    mail = _queue_invitation_like(attachments=[Attachment("termin.ics", ics, "text/calendar")])
    # The task was queued on commit (transactional test): the real database worker runs it.
    call_command("worker", batch=True)
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "erika@example.org"
    assert message["Subject"] == "Neues Passwort für Kammerwerk"
    assert message["Message-ID"] == mail.message_id
    assert "Sie haben ein neues Passwort angefordert" in message.get_body(("plain",)).get_content()
    assert "<html" in message.get_body(("html",)).get_content()
    attachments = list(message.iter_attachments())
    assert [part.get_filename() for part in attachments] == ["termin.ics"]
    assert "BEGIN:VCALENDAR" in attachments[0].get_content()
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT and mail.sent_at is not None


@pytest.mark.django_db
def test_a_retried_task_never_sends_twice(smtp_server):
    mail = _queue_invitation_like()
    assert deliver_mail.call(mail.pk) == OutgoingMail.Status.SENT
    assert deliver_mail.call(mail.pk) == OutgoingMail.Status.SENT  # the retry finds it sent
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1
    mail.refresh_from_db()
    assert mail.attempts == 1


@pytest.mark.postgres  # in-memory SQLite is one connection shared by the threads
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_mail_send_it_once(smtp_server):
    mail = _queue_invitation_like()
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            mail_deliver(mail.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_temporary_failure_requeues_and_a_later_attempt_succeeds(smtp_server):
    smtp_server.handler.fail_next_with = ["451 4.3.0 try again later"]
    mail = _queue_invitation_like()
    assert mail_deliver(mail.pk) == OutgoingMail.Status.QUEUED
    mail.refresh_from_db()
    assert "451" in mail.last_error and mail.attempts == 1
    assert mail_deliver(mail.pk) == OutgoingMail.Status.SENT
    assert len(smtp_server.wait_for(1)) == 1


@pytest.mark.django_db
def test_permanent_failure_marks_failed_without_retry(smtp_server):
    smtp_server.handler.fail_next_with = ["550 5.1.1 user unknown"]
    mail = _queue_invitation_like()
    assert mail_deliver(mail.pk) == OutgoingMail.Status.FAILED
    assert mail_deliver(mail.pk) == OutgoingMail.Status.FAILED  # stays failed, nothing sent
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_unreachable_server_is_temporary_then_gives_up(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.MAIL_MAX_ATTEMPTS = 2
    mail = _queue_invitation_like()
    assert mail_deliver(mail.pk) == OutgoingMail.Status.QUEUED
    assert mail_deliver(mail.pk) == OutgoingMail.Status.FAILED


@pytest.mark.django_db
def test_deliver_queued_mail_helper_uses_the_configured_backend(mailoutbox):
    _queue_invitation_like()
    deliver_queued_mail()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_retry_delay_backs_off():
    from core.mail import retry_delay

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 10, 20)] == [30, 60, 120, 3600, 3600]


@pytest.mark.django_db
def test_the_outbox_is_part_of_a_persons_data_export_and_erasure():
    from core.privacy import DataSubject, personal_data_erase, personal_data_export

    _queue_invitation_like(to="Erika@Example.org")
    _queue_invitation_like(to="someone-else@example.org")
    exported = personal_data_export(DataSubject(email="erika@example.org"))
    assert [mail["subject"] for mail in exported["mail"]] == ["Neues Passwort für Kammerwerk"]
    personal_data_erase(DataSubject(email="erika@example.org"))
    assert list(OutgoingMail.objects.values_list("to_email", flat=True)) == ["someone-else@example.org"]


# --- issue 12, item 12: plain text is not HTML ------------------------------------------------

NAME = "O'Neill & Söhne <GmbH>"


def test_plain_text_mail_and_subject_show_oneill_and_soehne_as_written_not_as_html_entities(settings):
    settings.KAMMERWERK_ORGANISATION_NAME = NAME
    person = SimpleNamespace(get_full_name=lambda: NAME)
    subject, text, html = render_mail(
        "invitation",
        {"user": person, "invited_by": person, "organisation": SimpleNamespace(name=NAME), "roles": [], "link": "x"},
        "de",
    )
    assert subject == f"Einladung zu Kammerwerk – {NAME}"
    assert f"Guten Tag {NAME}," in text and f"Sie pflegen künftig den Eintrag von {NAME}." in text
    assert "&#x27;" not in text + subject and "&amp;" not in text + subject and "&lt;" not in text + subject
    # The HTML part still escapes what it shows.
    assert "O&#x27;Neill &amp; Söhne &lt;GmbH&gt;" in html and NAME not in html


# --- issue 12, item 20: password links do not stay in the outgoing-mail table -----------------


def _queue_with_secret_link(link="https://example.org/konto/passwort/neu/MQ/abc-123/?a=1&b=2"):
    context = {"user": SimpleNamespace(get_full_name=lambda: "Erika Muster"), "link": link}
    return mail_queue(to="erika@example.org", template="password_reset", context=context, redact=["link"])


@pytest.mark.django_db
def test_a_password_link_is_no_longer_readable_in_the_outgoing_mail_table_once_sent(smtp_server):
    link = "https://example.org/konto/passwort/neu/MQ/abc-123/?a=1&b=2"
    mail = _queue_with_secret_link(link)
    assert link in mail.body_text  # the worker needs it until the mail is out

    assert mail_deliver(mail.pk) == OutgoingMail.Status.SENT
    message = smtp_server.wait_for(1)[0]
    assert link in message.get_body(("plain",)).get_content()
    assert link.replace("&", "&amp;") in message.get_body(("html",)).get_content()

    mail.refresh_from_db()
    stored = mail.subject + mail.body_text + mail.body_html
    assert "abc-123" not in stored
    assert "[entfernt]" in mail.body_text and "[entfernt]" in mail.body_html
    assert mail.redact == []


@pytest.mark.django_db
def test_a_password_link_survives_a_temporary_failure_so_the_retry_still_carries_it(smtp_server):
    smtp_server.handler.fail_next_with = ["451 4.3.0 try again later"]
    mail = _queue_with_secret_link()
    assert mail_deliver(mail.pk) == OutgoingMail.Status.QUEUED
    mail.refresh_from_db()
    assert "abc-123" in mail.body_text
    assert mail_deliver(mail.pk) == OutgoingMail.Status.SENT
    assert "abc-123" in smtp_server.wait_for(1)[0].get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_password_reset_and_invitation_links_are_removed_from_the_table_after_sending(
    client, lead, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.services import user_invite
    from accounts.tasks import password_reset_mail
    from accounts.tests.helpers import run_queued_tasks
    from core.roles import Role
    from testing.factories import UserFactory

    UserFactory(email="vergessen@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "vergessen@example.org"})
    run_queued_tasks(password_reset_mail)  # the form only queues the job; the worker would run it
    user_invite(email="neu@example.org", full_name="Nina Neu", roles=[Role.STAFF], invited_by=lead)
    deliver_queued_mail()

    assert {message.to[0] for message in mailoutbox} == {"vergessen@example.org", "neu@example.org"}
    for message in mailoutbox:
        assert "/konto/" in message.body  # the recipient got a working link
    for mail in OutgoingMail.objects.filter(to_email__in=["vergessen@example.org", "neu@example.org"]):
        assert mail.status == OutgoingMail.Status.SENT
        assert "/konto/passwort/neu/" not in mail.body_text + mail.body_html
        assert "/konto/einladung/" not in mail.body_text + mail.body_html
        assert "[entfernt]" in mail.body_text


# --- the sweeper respects the back-off ------------------------------------------------------------


@pytest.mark.django_db
def test_the_mail_sweeper_leaves_a_mail_waiting_out_its_back_off_alone(smtp_server, settings):
    from django_tasks_db.models import DBTaskResult

    from core.tasks import requeue_stuck_mail

    settings.MAIL_MAX_ATTEMPTS = 10
    smtp_server.handler.fail_next_with = ["451 4.3.0 try again later"] * 8
    backing_off = _queue_invitation_like()
    for _attempt in range(8):  # eight temporary failures: the next try is an hour away
        assert mail_deliver(backing_off.pk) == OutgoingMail.Status.QUEUED
    backing_off.refresh_from_db()
    assert backing_off.next_attempt_at > timezone.now() + timedelta(minutes=59)

    lost = _queue_invitation_like(to="lost@example.org")  # due 20 minutes ago, its task vanished
    twenty_minutes_ago = timezone.now() - timedelta(minutes=20)
    OutgoingMail.objects.update(created_at=twenty_minutes_ago)
    OutgoingMail.objects.filter(pk=lost.pk).update(next_attempt_at=twenty_minutes_ago)
    DBTaskResult.objects.all().delete()

    assert requeue_stuck_mail.call() == 1
    queued_for = [result.args_kwargs["args"][0] for result in DBTaskResult.objects.all()]
    assert queued_for == [lost.pk]


@pytest.mark.django_db
def test_a_temporary_failure_schedules_the_retry_at_the_stored_next_attempt(smtp_server):
    from django_tasks_db.models import DBTaskResult

    smtp_server.handler.fail_next_with = ["451 4.3.0 try again later"]
    mail = _queue_invitation_like()
    assert deliver_mail.call(mail.pk) == OutgoingMail.Status.QUEUED
    mail.refresh_from_db()
    retry = DBTaskResult.objects.get(task_path="core.tasks.deliver_mail")
    assert retry.run_after == mail.next_attempt_at
    assert timedelta(seconds=25) < mail.next_attempt_at - timezone.now() <= timedelta(seconds=30)
