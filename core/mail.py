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
import functools
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from core.models import OutgoingMail

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send; a queued row whose
# next attempt is this much overdue has lost its task.
STALE_CLAIM_AFTER = timedelta(minutes=15)
# What a redacted secret (a password link) reads like in the stored row once the mail is sent.
REDACTED = "[entfernt]"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str

    def as_json(self) -> dict:
        raw = self.content.encode("utf-8") if isinstance(self.content, str) else self.content
        return {"filename": self.filename, "mimetype": self.mimetype, "content_b64": base64.b64encode(raw).decode()}


@functools.cache
def _plain_text_templates() -> DjangoTemplates:
    """The project's templates without HTML autoescaping, for subjects and plain-text parts.

    A plain-text part is no HTML: ``O'Neill & Söhne`` must read so, not ``O&#x27;Neill &amp; Söhne``.
    """
    config = settings.TEMPLATES[0]
    options = {**config.get("OPTIONS", {}), "autoescape": False}
    return DjangoTemplates(
        {
            "NAME": "mail_plain_text",
            "DIRS": config.get("DIRS", []),
            "APP_DIRS": config.get("APP_DIRS", False),
            "OPTIONS": options,
        }
    )


def render_mail(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render the trio in ``language``; returns (subject, text, html).

    Subject and text are rendered without HTML escaping, the HTML part with it.
    """
    context = {"site_url": settings.SITE_URL, "organisation_name": settings.KAMMERWERK_ORGANISATION_NAME, **context}
    plain = _plain_text_templates()
    with translation.override(language):
        subject = plain.get_template(f"mail/{template}_subject.txt").render(context).strip()
        text = plain.get_template(f"mail/{template}.txt").render(context)
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
    redact: tuple[str, ...] | list[str] = (),
) -> OutgoingMail:
    """Render and store a mail, and queue its delivery after commit.

    ``redact`` names context entries that are secrets (``redact=["link"]`` for a password link):
    the message sent carries them, the stored row keeps them only until the mail is sent and then
    reads "[entfernt]" in their place.
    """
    from core.jobs import enqueue_on_commit
    from core.tasks import deliver_mail

    subject, text, html = render_mail(template, context, language)
    secrets = [str(context[key]) for key in redact if context.get(key)]
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
        redact=sorted({*secrets, *(str(escape(secret)) for secret in secrets)}, key=len, reverse=True),
    )
    enqueue_on_commit(deliver_mail, mail.pk)
    return mail


def mail_exists(*, reference: str) -> bool:
    """Whether any mail with this reference (e.g. ``events.registration:12``) was queued."""
    return OutgoingMail.objects.filter(reference=reference).exists()


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
        OutgoingMail.objects.filter(pk=mail_id).update(
            status=status,
            last_error=f"{type(error).__name__}: {error}",
            next_attempt_at=timezone.now() + retry_delay(mail.attempts),
        )
        logger.warning("Mail %s to %s: %s (%s)", mail_id, mail.to_email, error, status)
        return status
    sent = {"status": OutgoingMail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if mail.redact:
        sent.update(redacted_fields(mail), redact=[])
    OutgoingMail.objects.filter(pk=mail_id).update(**sent)
    return OutgoingMail.Status.SENT


def redacted_fields(mail: OutgoingMail) -> dict[str, str]:
    """Subject, text and HTML of ``mail`` with its secrets replaced by "[entfernt]"."""
    fields = {"subject": mail.subject, "body_text": mail.body_text, "body_html": mail.body_html}
    for secret in mail.redact:  # longest first, so an escaped form is replaced before its raw part
        fields = {name: value.replace(secret, REDACTED) for name, value in fields.items()}
    return fields


def retry_delay(attempts: int) -> timedelta:
    """Back-off: 30 s, 1 min, 2 min, 4 min ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))
