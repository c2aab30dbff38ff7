"""Outgoing mail: render a template trio, store it, let the worker send it.

Every mail is a template trio under ``templates/mail/``::

    <name>_subject.txt   one line
    <name>.txt           the plain-text part
    <name>.html          the HTML part (extends ``mail/base.html``)

rendered in the recipient's language and stored as an :class:`OutgoingMail`
row. ``deliver_mail`` (a task queued on commit) sends it. A row is claimed
with a conditional UPDATE before it is sent, so a task that runs twice, or two
workers, never send the same row twice.
"""

import base64
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.models import OutgoingMail

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
STALE_CLAIM_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str

    def as_json(self) -> dict:
        raw = self.content.encode("utf-8") if isinstance(self.content, str) else self.content
        return {"filename": self.filename, "mimetype": self.mimetype, "content_b64": base64.b64encode(raw).decode()}


def render_mail(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render the trio in ``language``; returns (subject, text, html)."""
    context = {"site_url": settings.SITE_URL, "organisation_name": settings.KAMMERWERK_ORGANISATION_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"mail/{template}_subject.txt", context).strip()
        text = render_to_string(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    return " ".join(subject.split()), text, html


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = "de",
    attachments: list[Attachment] = (),
    headers: dict | None = None,
    reference: str = "",
) -> OutgoingMail:
    """Render and store a mail, and queue its delivery after commit."""
    from core.jobs import enqueue_on_commit
    from core.tasks import deliver_mail

    subject, text, html = render_mail(template, context, language)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    mail = OutgoingMail.objects.create(
        to_email=to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        body_text=text,
        body_html=html,
        headers=headers or {},
        attachments=[attachment.as_json() for attachment in attachments],
        template=template,
        language=language,
        reference=reference,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    enqueue_on_commit(deliver_mail, mail.pk)
    return mail


def build_message(mail: OutgoingMail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=mail.from_email,
        to=[mail.to_email],
        headers={"Message-ID": mail.message_id, **mail.headers},
        connection=connection,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        content = base64.b64decode(attachment["content_b64"])
        if attachment["mimetype"].startswith("text/"):
            content = content.decode("utf-8")
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def _claim(mail_id: int) -> bool:
    """Take the row for sending; False if it is sent, failed or being sent."""
    now = timezone.now()
    claimable = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.QUEUED)
    stale = OutgoingMail.objects.filter(
        pk=mail_id, status=OutgoingMail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    update = {"status": OutgoingMail.Status.SENDING, "claimed_at": now, "attempts": F("attempts") + 1}
    return bool(claimable.update(**update) or stale.update(**update))


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def mail_deliver(mail_id: int, connection=None) -> str:
    """Send one stored mail. Returns the row's new status.

    Temporary failures put the row back in the queue (the caller retries with
    back-off); permanent ones, or too many attempts, mark it failed.
    """
    if not _claim(mail_id):
        return OutgoingMail.objects.filter(pk=mail_id).values_list("status", flat=True).first() or "missing"
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        build_message(mail, connection=connection or get_connection()).send()
    except (smtplib.SMTPException, OSError) as error:
        give_up = _is_permanent(error) or mail.attempts >= settings.MAIL_MAX_ATTEMPTS
        status = OutgoingMail.Status.FAILED if give_up else OutgoingMail.Status.QUEUED
        OutgoingMail.objects.filter(pk=mail_id).update(status=status, last_error=f"{type(error).__name__}: {error}")
        logger.warning("Mail %s to %s: %s (%s)", mail_id, mail.to_email, error, status)
        return status
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return OutgoingMail.Status.SENT


def retry_delay(attempts: int) -> timedelta:
    """Back-off: 30 s, 1 min, 2 min, 4 min ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))
