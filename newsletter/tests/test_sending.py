"""Sending an issue: queue, render once, personalise, record; retries, permanent failures, no second copy."""

import email.policy
import smtplib

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import ServiceError, StateConflict
from newsletter import rendering, services, smtp
from newsletter.models import Delivery, DeliveryBatch, Issue, Subscriber
from newsletter.services import sending
from newsletter.tests.factories import IssueFactory, ItemFactory, NewsletterListFactory, active_subscribers


@pytest.fixture
def issue(db):
    newsletter_list = NewsletterListFactory()
    issue = IssueFactory(newsletter_list=newsletter_list, subject="Industrie-Newsletter März – Wärme & Wasserstoff")
    ItemFactory(issue=issue, title="Meet-the-Boss", source="Industrie-Initiative")
    ItemFactory(issue=issue, title="Redakteurskonferenz", source="Industrie-Initiative")
    return issue


def test_an_issue_without_items_is_refused(db):
    issue = IssueFactory()
    with pytest.raises(ServiceError, match="ohne Meldungen"):
        services.issue_send(issue=issue)
    assert not Delivery.objects.exists()


def test_sending_twice_is_refused_and_sends_nothing_twice(issue, smtp_server):
    active_subscribers(issue.newsletter_list, 5)
    assert services.issue_send(issue=issue) == 5
    with pytest.raises(StateConflict, match="bereits"):
        services.issue_send(issue=issue)
    assert sending.deliveries_queue(issue) == 0  # the unique rows make a second queue a no-op
    sending.issue_deliver(issue.pk)
    sending.issue_deliver(issue.pk)  # a task that runs twice finds nothing to claim
    assert len(smtp_server.messages) == 5
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 5
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.sent_at


def test_every_subscriber_gets_a_personal_copy_with_html_text_and_unsubscribe_headers(issue, smtp_server):
    subscribers = active_subscribers(issue.newsletter_list, 3)
    Subscriber.objects.filter(pk=subscribers[0].pk).update(language="en")
    services.issue_send(issue=issue)
    counts = sending.issue_deliver(issue.pk)
    assert counts["sent"] == 3
    messages = smtp_server.messages
    assert sorted(m["To"] for m in messages) == sorted(s.email for s in subscribers)
    assert len({m["Message-ID"] for m in messages}) == 3
    for message in messages:
        subscriber = Subscriber.objects.get(email=message["To"])
        assert message["Message-ID"] == Delivery.objects.get(subscriber=subscriber).message_id
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Unsubscribe"] == f"<http://127.0.0.1:8000/newsletter/abmelden/{subscriber.token}/>"
        assert message["Subject"] == "Industrie-Newsletter März – Wärme & Wasserstoff"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert f"/newsletter/abmelden/{subscriber.token}/" in text
        assert f"/newsletter/abmelden/{subscriber.token}/" in html
        assert "Meet-the-Boss" in text and "Meet-the-Boss" in html
        assert "Industrie-Initiative" in html
        assert "&amp;" not in text  # the text part is not HTML-escaped
        assert 'role="presentation"' in html and "style=" in html  # tables and inlined CSS
        assert "placeholder" not in message.as_string()
    english = next(m for m in messages if m["To"] == subscribers[0].email)
    assert (
        "Unsubscribe" in english.get_body(("plain",)).get_content()
        or "Abmelden" in english.get_body(("plain",)).get_content()
    )


def test_no_tracking_by_default(issue, smtp_server):
    active_subscribers(issue.newsletter_list, 1)
    services.issue_send(issue=issue)
    sending.issue_deliver(issue.pk)
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    assert "/newsletter/o/" not in html and "/newsletter/k/" not in html


def test_tracking_when_switched_on_is_in_the_mail_and_the_consent_wording(issue, smtp_server, client):
    newsletter_list = issue.newsletter_list
    newsletter_list.open_tracking = newsletter_list.click_tracking = True
    newsletter_list.save()
    wording, version = services.consent_wording_for(newsletter_list)
    assert "Zählpixel" in wording and "Links" in wording and version.endswith("+open+click")
    active_subscribers(newsletter_list, 1)
    services.issue_send(issue=issue)
    sending.issue_deliver(issue.pk)
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    pixel = html.split('src="http://127.0.0.1:8000', 1)[1].split('"', 1)[0]
    assert pixel.startswith("/newsletter/o/")
    assert client.get(pixel).status_code == 200
    assert Delivery.objects.get().opened_at is not None


def test_temporary_failure_is_retried_with_back_off(issue, smtp_server):
    active_subscribers(issue.newsletter_list, 2)
    smtp_server.handler.fail_next_with = ["451 4.3.0 try again later"]
    services.issue_send(issue=issue)
    counts = sending.issue_deliver(issue.pk)
    assert counts == {"sent": 1, "failed": 0, "retry": 1, "abandoned": 0}
    retry = Delivery.objects.get(status="queued")
    assert retry.next_attempt_at > timezone.now() and "451" in retry.last_error
    assert sending.issue_deliver(issue.pk)["sent"] == 0  # not due yet
    Delivery.objects.filter(pk=retry.pk).update(next_attempt_at=timezone.now())
    assert sending.issue_deliver(issue.pk)["sent"] == 1
    assert len(smtp_server.messages) == 2
    assert len({m["To"] for m in smtp_server.messages}) == 2


def test_permanent_failure_marks_the_address(issue, smtp_server):
    active_subscribers(issue.newsletter_list, 2)
    smtp_server.handler.fail_next_with = ["550 5.1.1 mailbox unavailable"]
    services.issue_send(issue=issue)
    counts = sending.issue_deliver(issue.pk)
    assert counts["sent"] == 1 and counts["failed"] == 1
    failed = Delivery.objects.get(status="failed")
    assert failed.subscriber.status == Subscriber.Status.BOUNCED
    assert failed.subscriber.events.filter(kind="bounce").exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_rows_taken_over_by_a_resume_are_abandoned_not_sent(issue, smtp_server, monkeypatch):
    """The 'sent' mark is a fencing check: if a resume took the row, the message is never terminated."""
    active_subscribers(issue.newsletter_list, 3)
    services.issue_send(issue=issue)
    real_mark_sent = sending._mark_sent

    def resume_in_between(cursor, delivery_id, claim):
        sending.deliveries_resume(stale_after=0, enqueue=False)  # another process declares us dead
        return real_mark_sent(cursor, delivery_id, claim)

    monkeypatch.setattr(sending, "_mark_sent", resume_in_between)
    counts = sending.issue_deliver(issue.pk)
    assert counts["abandoned"] == 1 and counts["sent"] == 0
    assert smtp_server.messages == []
    monkeypatch.setattr(sending, "_mark_sent", real_mark_sent)
    sending.issue_deliver(issue.pk)
    assert len(smtp_server.messages) == 3


def test_connection_refused_puts_the_batch_back(issue, settings):
    settings.EMAIL_PORT = 1  # nothing listens
    active_subscribers(issue.newsletter_list, 2)
    services.issue_send(issue=issue)
    counts = sending.issue_deliver(issue.pk)
    assert counts["sent"] == 0
    assert Delivery.objects.filter(status="queued", next_attempt_at__isnull=False).count() == 2


def test_unsubscribed_before_the_worker_gets_there_is_not_sent(issue, smtp_server):
    subscribers = active_subscribers(issue.newsletter_list, 2)
    services.issue_send(issue=issue)
    services.subscriber_unsubscribe(subscriber=subscribers[0])
    sending.issue_deliver(issue.pk)
    assert [m["To"] for m in smtp_server.messages] == [subscribers[1].email]


def test_fast_path_bytes_equal_a_fully_built_message(issue):
    """The byte-replacement copy parses to the same parts as a message built for that recipient."""
    subscriber = active_subscribers(issue.newsletter_list, 1)[0]
    renderer = rendering.IssueRenderer(issue)
    data = renderer.personalise(
        email=subscriber.email, message_id="<x@y>", token=subscriber.token, delivery_id=1, language="de"
    )
    message = email.message_from_bytes(data.replace(b"\r\n..", b"\r\n."), policy=email.policy.default)
    subject, text, html = rendering.issue_render(issue, token=subscriber.token)
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n").strip() == text.strip()
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n").strip() == html.strip()
    assert message["Subject"] == subject


def test_scheduled_issue_starts_when_due(issue):
    active_subscribers(issue.newsletter_list, 1)
    services.issue_schedule(issue=issue, when=timezone.now() + timezone.timedelta(hours=1))
    assert services.issues_send_due() == []
    assert services.issues_send_due(now=timezone.now() + timezone.timedelta(hours=2)) == [issue.pk]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING


def test_smtp_errors_classified():
    assert smtp.is_permanent(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")}))
    assert not smtp.is_permanent(smtplib.SMTPRecipientsRefused({"a@b": (451, b"later")}))
    assert not smtp.is_permanent(OSError("refused"))


def test_several_connections_send_each_subscriber_one_copy(issue, smtp_server, settings):
    """NEWSLETTER_CONNECTIONS side by side: one progress write per round, every row sent once."""
    settings.NEWSLETTER_CONNECTIONS = 3
    subscribers = active_subscribers(issue.newsletter_list, 8)  # rounds of 3, 3 and 2
    services.issue_send(issue=issue)
    counts = sending.issue_deliver(issue.pk)
    assert counts == {"sent": 8, "failed": 0, "retry": 0, "abandoned": 0}
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(s.email for s in subscribers)
    for message in smtp_server.messages:
        token = Subscriber.objects.get(email=message["To"]).token
        assert message["List-Unsubscribe"] == f"<http://127.0.0.1:8000/newsletter/abmelden/{token}/>"
    assert Delivery.objects.filter(issue=issue, status="sent", sent_at__isnull=False).count() == 8
    assert not DeliveryBatch.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_refused_recipient_in_a_round_does_not_hold_back_the_others(issue, smtp_server, settings):
    settings.NEWSLETTER_CONNECTIONS = 3
    subscribers = active_subscribers(issue.newsletter_list, 5)
    refused = sorted(subscribers, key=lambda s: s.pk)[1]
    smtp_server.handler.refuse_recipients[refused.email] = "550 5.1.1 mailbox unavailable"
    smtp_server.handler.fail_next_with = ["451 4.3.0 try again later"]  # the final "." of the first message
    services.issue_send(issue=issue)
    counts = sending.issue_deliver(issue.pk)
    assert counts == {"sent": 3, "failed": 1, "retry": 1, "abandoned": 0}
    failed = Delivery.objects.get(status="failed")
    assert failed.subscriber == refused and "550" in failed.last_error
    refused.refresh_from_db()
    assert refused.status == Subscriber.Status.BOUNCED
    retry = Delivery.objects.get(status="queued")
    assert "451" in retry.last_error and retry.next_attempt_at
    assert Delivery.objects.filter(status="sent").count() == 3
    assert len(smtp_server.messages) == 3


def test_resume_counts_what_a_dead_worker_recorded_as_sent_and_requeues_the_rest(issue, smtp_server):
    """A batch's progress is the proof: rows up to it were terminated, the others were not."""
    active_subscribers(issue.newsletter_list, 5)
    services.issue_send(issue=issue)
    claim, rows = sending._claim_batch(issue.pk, 10)
    with connection.cursor() as cursor:
        assert sending._mark_sent(cursor, rows[1].id, claim)  # the worker died after the second message
    assert Delivery.objects.filter(status="sending").count() == 5
    result = sending.deliveries_resume(stale_after=0, enqueue=False)
    assert result == {"requeued": 3, "sent": 2, "issues": [issue.pk]}
    assert set(Delivery.objects.filter(status="sent").values_list("pk", flat=True)) == {rows[0].id, rows[1].id}
    assert not DeliveryBatch.objects.exists()
    with connection.cursor() as cursor:
        assert not sending._mark_sent(cursor, rows[2].id, claim)  # the dead worker's batch is fenced off
    sending.issue_deliver(issue.pk)
    assert len(smtp_server.messages) == 3
    assert Delivery.objects.filter(status="sent").count() == 5


def test_a_resume_abandons_every_open_message_of_the_round(issue, smtp_server, settings, monkeypatch):
    settings.NEWSLETTER_CONNECTIONS = 2
    active_subscribers(issue.newsletter_list, 4)
    services.issue_send(issue=issue)
    real_mark_sent = sending._mark_sent

    def resume_in_between(cursor, delivery_id, claim):
        sending.deliveries_resume(stale_after=0, enqueue=False)
        return real_mark_sent(cursor, delivery_id, claim)

    monkeypatch.setattr(sending, "_mark_sent", resume_in_between)
    counts = sending.issue_deliver(issue.pk)
    assert counts["abandoned"] == 2 and counts["sent"] == 0
    assert smtp_server.messages == []
    assert Delivery.objects.filter(status="queued").count() == 4
    monkeypatch.setattr(sending, "_mark_sent", real_mark_sent)
    sending.issue_deliver(issue.pk)
    assert len(smtp_server.messages) == 4


def test_with_several_connections_no_message_is_accepted_before_its_progress_is_committed(
    issue, smtp_server, settings, monkeypatch
):
    """Each connection writes a message's final "." only after the commit that covers it."""
    settings.NEWSLETTER_CONNECTIONS = 4
    active_subscribers(issue.newsletter_list, 13)
    services.issue_send(issue=issue)
    ids = dict(Delivery.objects.filter(issue=issue).values_list("message_id", "pk"))
    committed = {"upto": 0, "commits": 0}
    early = []
    real_mark_sent = sending._mark_sent

    def mark_sent(cursor, delivery_id, claim):
        done = real_mark_sent(cursor, delivery_id, claim)
        if done:
            committed["upto"], committed["commits"] = delivery_id, committed["commits"] + 1
        return done

    real_handle_data = smtp_server.handler.handle_DATA

    async def handle_data(server, session, envelope):
        message_id = next(line for line in envelope.content.split(b"\r\n") if line.startswith(b"Message-ID:"))
        if ids[message_id.split(b":", 1)[1].strip().decode()] > committed["upto"]:
            early.append(message_id)
        return await real_handle_data(server, session, envelope)

    monkeypatch.setattr(sending, "_mark_sent", mark_sent)
    monkeypatch.setattr(smtp_server.handler, "handle_DATA", handle_data)
    counts = sending.issue_deliver(issue.pk)
    assert counts == {"sent": 13, "failed": 0, "retry": 0, "abandoned": 0}
    assert early == []
    assert committed["commits"] == 4  # one per round: 4 + 4 + 4 + 1
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(Delivery.objects.values_list("email", flat=True))
    assert all("Meet-the-Boss" in m.get_body(("plain",)).get_content() for m in smtp_server.messages)


def test_a_database_error_at_the_commit_drops_every_open_message(issue, smtp_server, settings, monkeypatch):
    settings.NEWSLETTER_CONNECTIONS = 3
    active_subscribers(issue.newsletter_list, 6)
    services.issue_send(issue=issue)

    def broken(cursor, delivery_id, claim):
        raise sending.DatabaseError("the database went away")

    monkeypatch.setattr(sending, "_mark_sent", broken)
    with pytest.raises(sending.DatabaseError):
        sending.issue_deliver(issue.pk)
    assert smtp_server.messages == []  # nothing was terminated without its progress committed
    monkeypatch.undo()
    sending.deliveries_resume(stale_after=0, enqueue=False)
    sending.issue_deliver(issue.pk)
    assert len(smtp_server.messages) == 6


def test_replies_are_read_from_the_socket_single_and_multi_line():
    import socket

    class Raw:  # what BulkSMTP uses of smtplib.SMTP once connected
        def __init__(self, sock):
            self.sock = sock

        def close(self):
            self.sock.close()

    ours, server = socket.socketpair()
    connection_ = smtp.BulkSMTP()
    connection_.smtp = Raw(ours)
    server.sendall(b"250-first\r\n250-second\r\n250 last\r\n")
    assert connection_.reply() == (250, b"first\nsecond\nlast")
    server.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
    assert connection_.reply() == (354, b"End data with <CR><LF>.<CR><LF>")
    server.close()
    with pytest.raises(smtplib.SMTPServerDisconnected):
        connection_.reply()
    assert connection_.smtp is None  # dropped
