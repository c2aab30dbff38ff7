"""Outgoing mail: rendered trio, real SMTP delivery, retries, never twice."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from core.mail import Attachment, mail_deliver, mail_queue
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


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_mail_send_it_once(smtp_server):
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite is one connection; the claim is tested on PostgreSQL")
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
