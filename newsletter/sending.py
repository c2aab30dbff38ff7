"""Bulk sending of an issue: queue one Delivery row per subscriber, then send in batches.

The pipeline (see README.md, "Sending"):

1. ``deliveries_queue``: one ``INSERT … SELECT`` writes a row per active subscriber, with a
   fixed Message-ID. The unique (issue, subscriber) constraint makes a second run a no-op.
2. ``issue_deliver`` (the worker's task) claims a batch with a conditional UPDATE
   (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), renders the issue once per language into
   pre-serialised MIME bytes with placeholders, and personalises only recipient, Message-ID
   and the unsubscribe link/header by byte replacement.
3. Each message goes over one SMTP connection per batch with the **row marked sent before the
   final "." of DATA is written**: a crash before that commit leaves the row "sending" and the
   server holding an unterminated message, which it discards; a crash after it leaves a row
   that says "sent" for a message whose terminating dot is one ``send()`` away. The remaining
   window is the few microseconds between the commit returning and that ``send()``
   (a loss, never a duplicate). The commit is also a fencing check: if a resume took the row
   away from this worker, the UPDATE matches nothing and the message is abandoned unterminated.
4. ``deliveries_resume`` puts rows a dead worker left in "sending" back to "queued" (they were
   never accepted by the server, by 3.) and queues the task again.
"""

import logging
import re
import smtplib
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from core.mail import render_mail, retry_delay
from newsletter import conf
from newsletter.models import Delivery, Issue, Subscriber, SubscriptionEvent

logger = logging.getLogger(__name__)

TEMPLATE = "newsletter_issue"
PH_RCPT = "kw-rcpt-placeholder@placeholder.invalid"
PH_MSGID = "<kw-msgid-placeholder@placeholder.invalid>"
PH_TOKEN = "KWTOKENPLACEHOLDERKWTOKENPLACEHOLDER"  # noqa: S105 – a placeholder, replaced per recipient
PH_TRACK = "KWTRACKPLACEHOLDER"
TRACK_SALT = "newsletter.track"


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rsplit("@", 1)[-1] or "localhost"


# --- rendering ------------------------------------------------------------------


def item_dicts(issue: Issue, *, track: bool = False) -> list[dict]:
    items = []
    for item in issue.items.all():
        link = item.link
        if track and link:
            link = settings.SITE_URL + reverse("newsletter:track_click", args=[PH_TRACK, item.pk])
        items.append(
            {
                "title": item.title,
                "teaser": item.teaser,
                "text": item.text,
                "link": link,
                "source": item.source,
                "image_url": (settings.SITE_URL + item.image.url) if item.image else "",
                "image_alt": item.image_alt,
            }
        )
    return items


def issue_context(issue: Issue, *, token: str, tracking: str = "", for_web: bool = False) -> dict:
    """The template context of an issue; ``token`` is the subscriber's (or a placeholder)."""
    newsletter_list = issue.newsletter_list
    site = settings.SITE_URL
    context = {
        "issue": issue,
        "newsletter_list": newsletter_list,
        "items": item_dicts(issue, track=bool(tracking) and newsletter_list.click_tracking and not for_web),
        "archive_url": site + reverse("newsletter:archive_detail", args=[issue.pk]),
        "unsubscribe_url": site + reverse("newsletter:unsubscribe", args=[token]) if token else "",
        "preferences_url": site + reverse("newsletter:preferences", args=[token]) if token else "",
        "subscribe_url": site + reverse("newsletter:subscribe", args=[newsletter_list.slug]),
        "open_pixel_url": (
            site + reverse("newsletter:track_open", args=[tracking])
            if tracking and newsletter_list.open_tracking and not for_web
            else ""
        ),
    }
    return context


def issue_render(issue: Issue, *, language: str = "de", token: str = "", tracking: str = "") -> tuple[str, str, str]:
    """(subject, text, html) of an issue as a subscriber receives it."""
    return render_mail(TEMPLATE, issue_context(issue, token=token, tracking=tracking), language)


def list_headers(issue: Issue, unsubscribe_url: str) -> dict:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{issue.newsletter_list.name} <{issue.newsletter_list.slug}.{_domain()}>",
    }


def _normalise(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    head, sep, body = data.partition(b"\r\n\r\n")
    # a value folded right after "Name:" (long URLs) is joined again: some clients keep the leading blank
    data = re.sub(rb"(?m)^([A-Za-z-]+):[ \t]*\r\n[ \t]+", rb"\1: ", head) + sep + body
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffing (RFC 5321 4.5.2)


def build_message(issue, *, to, message_id, subject, text, html, unsubscribe_url) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, **list_headers(issue, unsubscribe_url)},
    )
    message.attach_alternative(html, "text/html")
    return message


class IssueRenderer:
    """Renders an issue once per language into MIME bytes; personalises a copy per recipient."""

    def __init__(self, issue: Issue):
        self.issue = issue
        self.tracking = issue.newsletter_list.open_tracking or issue.newsletter_list.click_tracking
        self._templates: dict[str, bytes | None] = {}
        self._parts: dict[str, tuple[str, str, str]] = {}

    def _rendered(self, language: str) -> tuple[str, str, str]:
        if language not in self._parts:
            self._parts[language] = issue_render(
                self.issue, language=language, token=PH_TOKEN, tracking=PH_TRACK if self.tracking else ""
            )
        return self._parts[language]

    def _template(self, language: str) -> bytes | None:
        if language not in self._templates:
            subject, text, html = self._rendered(language)
            unsubscribe_url = settings.SITE_URL + reverse("newsletter:unsubscribe", args=[PH_TOKEN])
            message = build_message(
                self.issue, to=PH_RCPT, message_id=PH_MSGID, subject=subject, text=text, html=html,
                unsubscribe_url=unsubscribe_url,
            )  # fmt: skip
            data = _normalise(message.message().as_bytes(linesep="\r\n"))
            # The fast path needs every placeholder verbatim in the bytes (8bit bodies, unfolded headers).
            ok = data.count(PH_RCPT.encode()) == 1 and data.count(PH_MSGID.encode()) == 1
            ok = ok and data.count(PH_TOKEN.encode()) == (subject + text + html).count(PH_TOKEN) + 1
            ok = ok and data.count(PH_TRACK.encode()) == (subject + text + html).count(PH_TRACK)
            self._templates[language] = data if ok else None
        return self._templates[language]

    def personalise(self, *, email: str, message_id: str, token: str, delivery_id: int, language: str) -> bytes:
        language = language if language in ("de", "en") else "de"
        tracking = signing.dumps(delivery_id, salt=TRACK_SALT) if self.tracking else ""
        template = self._template(language) if email.isascii() else None
        if template is not None:
            data = template.replace(PH_RCPT.encode(), email.encode()).replace(PH_MSGID.encode(), message_id.encode())
            data = data.replace(PH_TOKEN.encode(), token.encode())
            if tracking:
                data = data.replace(PH_TRACK.encode(), tracking.encode())
            return data
        # slow path: build this recipient's message from the rendered strings
        subject, text, html = (
            part.replace(PH_TOKEN, token).replace(PH_TRACK, tracking) for part in self._rendered(language)
        )
        unsubscribe_url = settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])
        message = build_message(
            self.issue, to=email, message_id=message_id, subject=subject, text=text, html=html,
            unsubscribe_url=unsubscribe_url,
        )  # fmt: skip
        return _normalise(message.message().as_bytes(linesep="\r\n"))


# --- SMTP -----------------------------------------------------------------------


class Abandoned(Exception):
    """The row was taken away from this worker (a resume); the message was left unterminated."""


class BulkSMTP:
    """One SMTP connection; sends pre-serialised, dot-stuffed bytes in two phases (see module doc)."""

    def __init__(self):
        self.smtp = None

    def __enter__(self):
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        if settings.EMAIL_USE_SSL:
            self.smtp = smtplib.SMTP_SSL(host, port, timeout=settings.EMAIL_TIMEOUT)
        else:
            self.smtp = smtplib.SMTP(host, port, timeout=settings.EMAIL_TIMEOUT)
        # the final "." is a small write right after the large body: without TCP_NODELAY, Nagle's
        # algorithm holds it until the body is acknowledged (a delayed ACK: ~40 ms a message)
        self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.smtp.ehlo()
        if settings.EMAIL_USE_TLS:
            self.smtp.starttls(context=ssl.create_default_context())
            self.smtp.ehlo()
        if settings.EMAIL_HOST_USER:
            self.smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        self.options = ["BODY=8BITMIME"] if self.smtp.has_extn("8bitmime") else []
        return self

    def __exit__(self, *exc):
        if self.smtp is not None:
            try:
                if exc[0] is None:
                    self.smtp.quit()
                else:
                    self.smtp.close()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def send(self, sender: str, recipient: str, data: bytes, commit) -> None:
        smtp = self.smtp
        code, response = smtp.mail(sender, self.options)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, response, sender)
        code, response = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, response)})
        smtp.putcmd("data")
        code, response = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, response)
        smtp.send(data)
        if not commit():
            smtp.close()  # the unterminated message is discarded by the server
            self.smtp = None
            raise Abandoned(recipient)
        smtp.send(b".\r\n")
        code, response = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, response)


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


# --- the database side --------------------------------------------------------------


def _db_time(value):
    return connection.ops.adapt_datetimefield_value(value)


def deliveries_queue(issue: Issue) -> int:
    """One Delivery row per active subscriber (idempotent). Returns the rows added."""
    table = Delivery._meta.db_table
    subscribers = Subscriber._meta.db_table
    prefix = f"<nl.{issue.pk}.{uuid.uuid4().hex[:8]}."
    suffix = f"@{_domain()}>"
    sql = f"""
        INSERT INTO {table} (issue_id, subscriber_id, email, status, attempts, message_id, claim, last_error)
        SELECT %s, s.id, s.email, 'queued', 0, CAST(%s AS TEXT) || CAST(s.id AS TEXT) || CAST(%s AS TEXT), '', ''
        FROM {subscribers} s
        WHERE s.newsletter_list_id = %s AND s.status = 'active'
        ON CONFLICT DO NOTHING
    """  # noqa: S608 – table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [issue.pk, prefix, suffix, issue.newsletter_list_id])
        return cursor.rowcount


@dataclass
class Claimed:
    id: int
    email: str
    message_id: str
    token: str
    language: str
    subscriber_id: int | None
    attempts: int


def _claim_batch(issue_id: int, size: int) -> tuple[str, list[Claimed]]:
    table = Delivery._meta.db_table
    claim = uuid.uuid4().hex
    now = timezone.now()
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = f"""
        UPDATE {table} SET status = 'sending', claim = %s, claimed_at = %s, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM {table}
            WHERE issue_id = %s AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
            ORDER BY id LIMIT %s{lock}
        )
    """  # noqa: S608
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [claim, _db_time(now), issue_id, _db_time(now), size])
            if not cursor.rowcount:
                return claim, []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT d.id, d.email, d.message_id, s.token, s.language, d.subscriber_id, d.attempts
                FROM {table} d LEFT JOIN {Subscriber._meta.db_table} s ON s.id = d.subscriber_id
                WHERE d.claim = %s AND d.status = 'sending' ORDER BY d.id""",  # noqa: S608
            [claim],
        )
        rows = [Claimed(*row) for row in cursor.fetchall()]
    return claim, rows


def _mark_sent(delivery_id: int, claim: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET status = 'sent', sent_at = %s, last_error = '' "  # noqa: S608
            "WHERE id = %s AND claim = %s AND status = 'sending'",
            [_db_time(timezone.now()), delivery_id, claim],
        )
        return cursor.rowcount == 1


def _mark_failure(row: Claimed, claim: str, error: Exception) -> str:
    permanent = _is_permanent(error)
    give_up = permanent or row.attempts >= settings.MAIL_MAX_ATTEMPTS
    text = f"{type(error).__name__}: {error}"[:300]
    rows = Delivery.objects.filter(pk=row.id, claim=claim)
    if give_up:
        rows.update(status=Delivery.Status.FAILED, last_error=text)
        if permanent and row.subscriber_id:
            from newsletter.services import subscriber_mark_bounced

            subscriber_mark_bounced(subscriber_id=row.subscriber_id, reason=text)
        return Delivery.Status.FAILED
    rows.update(
        status=Delivery.Status.QUEUED,
        claim="",
        last_error=text,
        next_attempt_at=timezone.now() + retry_delay(row.attempts),
    )
    return Delivery.Status.QUEUED


def _release(claim: str, *, delay: timedelta | None = None) -> int:
    """Give the unsent rows of a batch back to the queue (SMTP connection lost)."""
    return Delivery.objects.filter(claim=claim, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, claim="", next_attempt_at=(timezone.now() + delay) if delay else None
    )


def issue_finish_if_done(issue_id: int) -> bool:
    pending = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).exists()
    if pending:
        return False
    return bool(
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
    )


class _Throttle:
    def __init__(self, per_second: int):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def issue_deliver(issue_id: int, *, max_batches: int | None = None) -> dict:
    """Send what is queued for an issue (the worker's task calls this). Returns counts.

    Safe to run in several workers at once and to run again after a crash.
    """
    counts = {"sent": 0, "failed": 0, "retry": 0, "abandoned": 0}
    issue = Issue.objects.select_related("newsletter_list").filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.SENDING:
        return counts
    renderer = IssueRenderer(issue)
    sender = conf.bounce_address()
    rate = conf.max_per_second()
    throttle = _Throttle(rate)
    size = conf.batch_size() if not rate else max(1, min(conf.batch_size(), rate * 60))
    postgres = connection.vendor == "postgresql"
    if postgres and not connection.in_atomic_block:
        # A worker crash never loses a committed row; only a PostgreSQL crash could lose the
        # last fraction of a second of "sent" marks (README: Sending).
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            claim, rows = _claim_batch(issue_id, size)
            if not rows:
                break
            batches += 1
            try:
                with BulkSMTP() as smtp:
                    for row in rows:
                        throttle.wait()
                        data = renderer.personalise(
                            email=row.email, message_id=row.message_id, token=row.token or "",
                            delivery_id=row.id, language=row.language or "de",
                        )  # fmt: skip
                        try:
                            smtp.send(sender, row.email, data, lambda row=row, claim=claim: _mark_sent(row.id, claim))
                            counts["sent"] += 1
                        except Abandoned:
                            counts["abandoned"] += 1
                            raise
                        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
                            counts["failed" if _mark_failure(row, claim, error) == "failed" else "retry"] += 1
                        except smtplib.SMTPDataError as error:
                            _undo_sent(row.id, claim)
                            counts["failed" if _mark_failure(row, claim, error) == "failed" else "retry"] += 1
            except Abandoned:
                logger.warning("Issue %s: batch %s was resumed elsewhere; leaving it", issue_id, claim)
                _release(claim)
                break
            except (smtplib.SMTPException, OSError) as error:
                # connection trouble: the unsent rest of the batch goes back, later
                released = _release(claim, delay=retry_delay(1))
                counts["retry"] += released
                logger.warning("Issue %s: SMTP connection failed (%s); %s back in the queue", issue_id, error, released)
                break
    finally:
        if postgres and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO DEFAULT")
    if not issue_finish_if_done(issue_id):
        _schedule_next_run(issue_id)
    return counts


def _undo_sent(delivery_id: int, claim: str) -> None:
    """The server refused the message after the row was marked sent: make it 'sending' again."""
    Delivery.objects.filter(pk=delivery_id, claim=claim, status=Delivery.Status.SENT).update(
        status=Delivery.Status.SENDING, sent_at=None
    )


def _schedule_next_run(issue_id: int) -> None:
    """Queue the task again for rows waiting for a retry (or left by a stopped batch loop)."""
    from newsletter.tasks import enqueue_deliver

    waiting = Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.QUEUED)
    if not waiting.exists():
        return
    next_at = (
        waiting.order_by(F("next_attempt_at").asc(nulls_first=True)).values_list("next_attempt_at", flat=True).first()
    )
    enqueue_deliver(issue_id, run_after=next_at)


def deliveries_resume(*, stale_after: int | None = None, enqueue: bool = True) -> dict:
    """Put rows a dead worker left in 'sending' back in the queue and restart their issues.

    Safe by construction: a 'sending' row was never terminated on the SMTP connection
    (the 'sent' mark comes first), so sending it again cannot produce a second copy.
    """
    from newsletter.tasks import enqueue_deliver

    seconds = conf.stale_after_seconds() if stale_after is None else stale_after
    cutoff = timezone.now() - timedelta(seconds=seconds)
    stale = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lte=cutoff)
    issue_ids = set(stale.values_list("issue_id", flat=True).distinct())
    requeued = stale.update(status=Delivery.Status.QUEUED, claim="")
    # issues still marked sending whose queue has no running task (e.g. the worker died between batches)
    idle_before = timezone.now() - timedelta(seconds=seconds)
    for issue_id in Issue.objects.filter(status=Issue.Status.SENDING, send_started_at__lte=idle_before).values_list(
        "pk", flat=True
    ):
        busy = Delivery.objects.filter(
            issue_id=issue_id, status=Delivery.Status.SENDING, claimed_at__gt=cutoff
        ).exists()
        if not busy:
            issue_ids.add(issue_id)
    restarted = []
    for issue_id in sorted(issue_ids):
        if issue_finish_if_done(issue_id):
            continue
        if enqueue:
            enqueue_deliver(issue_id)
        restarted.append(issue_id)
    return {"requeued": requeued, "issues": restarted}


def subscriber_event(subscriber: Subscriber, kind: str, at=None) -> None:
    SubscriptionEvent.objects.create(
        newsletter_list_id=subscriber.newsletter_list_id, subscriber=subscriber, kind=kind, at=at or timezone.now()
    )


def render_for_language(issue: Issue, language: str):
    with translation.override(language):
        return issue_render(issue, language=language)
